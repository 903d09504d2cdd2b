package org.softsegments.bench;

import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.imageio.ImageIO;

import org.softsegments.demo.SyntheticScene;
import org.softsegments.image.PlanarImage;
import org.softsegments.io.ImageFiles;

/**
 * Writes benchmark cases built from {@link SyntheticScene}s (known alpha), in both layouts
 * {@link BenchCase} reads:
 * <ul>
 * <li>{@code DIR/matting/synthetic-disc/} and {@code synthetic-square/}: {@code image.png},
 * {@code alpha.png} (the disc's or the rounded square's alpha, from scenes with different
 * seeds), {@code trimap1.png} (unknown = the soft edge grown by {@code ~min(w,h)/40} pixels);
 * the disc case also has {@code features.png} (a 3-channel feature image: the scene's true
 * alphas of the three shapes, so the {@code sss} method runs with ideal "semantic" features);</li>
 * <li>{@code DIR/instances/images/synthetic-scene.jpg} + {@code instances/synthetic-scene.png}:
 * each shape (α &gt; 0.5) is an instance 1..3, a 4×4 corner is 255 (ignore).</li>
 * </ul>
 * Usage: {@code SyntheticCases DIR [WIDTHxHEIGHT]} (default 240x180).
 */
public final class SyntheticCases {

	private SyntheticCases() {}

	public static void main(final String[] args) throws IOException {
		if (args.length < 1 || args.length > 2 || (args.length == 2 && !args[1].matches("\\d+x\\d+"))) {
			System.err.println("Usage: SyntheticCases DIR [WIDTHxHEIGHT]");
			System.exit(2);
		}
		int w = 240, h = 180;
		if (args.length == 2) {
			final String[] s = args[1].split("x");
			w = Integer.parseInt(s[0]);
			h = Integer.parseInt(s[1]);
		}
		write(Path.of(args[0]), w, h);
		System.out.println(Path.of(args[0]).resolve("matting") + " " + Path.of(args[0]).resolve("instances"));
	}

	/** Writes the cases under {@code dir} at size w×h (at least 16×16). */
	public static void write(final Path dir, final int w, final int h) throws IOException {
		if (w < 16 || h < 16) throw new IllegalArgumentException("Synthetic cases need at least 16×16, got " + w + "×" + h);
		final double edge = Math.max(1.5, Math.min(w, h) / 60.0);
		final SyntheticScene a = SyntheticScene.create(w, h, edge, 7);
		final Path disc = dir.resolve("matting").resolve("synthetic-disc");
		mattingCase(disc, a, 0);
		ImageFiles.writePng(new PlanarImage(w, h, a.alphas()), disc.resolve("features.png"));
		mattingCase(dir.resolve("matting").resolve("synthetic-square"), SyntheticScene.create(w, h, edge, 11), 1);

		final SyntheticScene c = SyntheticScene.create(w, h, edge, 5);
		final Path inst = dir.resolve("instances");
		Files.createDirectories(inst.resolve("images"));
		Files.createDirectories(inst.resolve("instances"));
		final BufferedImage rgb = ContactSheet.toImage(c.image());
		if (!ImageIO.write(rgb, "jpg", inst.resolve("images").resolve("synthetic-scene.jpg").toFile())) {
			throw new IOException("No JPEG writer available");
		}
		final BufferedImage labels = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
		final WritableRaster r = labels.getRaster();
		for (int y = 0; y < h; y++) {
			for (int x = 0; x < w; x++) {
				final int i = x + y * w;
				int l = 0;
				for (int k = 0; k < c.shapes(); k++) if (c.alphas()[k][i] > 0.5f) l = k + 1;
				if (x < 4 && y < 4) l = 255;
				r.setSample(x, y, 0, l);
			}
		}
		if (!ImageIO.write(labels, "png", inst.resolve("instances").resolve("synthetic-scene.png").toFile())) {
			throw new IOException("No PNG writer available");
		}
	}

	private static void mattingCase(final Path dir, final SyntheticScene s, final int shape) throws IOException {
		Files.createDirectories(dir);
		final int w = s.image().width(), h = s.image().height();
		final float[] alpha = s.alphas()[shape];
		ImageFiles.writePng(s.image(), dir.resolve("image.png"));
		ImageFiles.writePng(new PlanarImage(w, h, new float[][] { alpha }), dir.resolve("alpha.png"));
		ImageFiles.writePng(new PlanarImage(w, h, new float[][] { trimap(alpha, w, h, Math.max(1, Math.min(w, h) / 40)) }),
			dir.resolve("trimap1.png"));
	}

	/** Trimap in [0,1] (0, 128/255, 1): unknown = fractional alpha grown by {@code r} pixels. */
	static float[] trimap(final float[] alpha, final int w, final int h, final int r) {
		final float[] t = new float[w * h];
		for (int y = 0; y < h; y++) {
			for (int x = 0; x < w; x++) {
				boolean soft = false;
				for (int dy = -r; dy <= r && !soft; dy++) {
					for (int dx = -r; dx <= r && !soft; dx++) {
						final int xx = x + dx, yy = y + dy;
						if (xx < 0 || yy < 0 || xx >= w || yy >= h) continue;
						final float a = alpha[xx + yy * w];
						soft = a > 0.004f && a < 0.996f;
					}
				}
				final float a = alpha[x + y * w];
				t[x + y * w] = soft ? 128 / 255f : a >= 0.5f ? 1 : 0;
			}
		}
		return t;
	}
}
