package org.softsegments.bench;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import org.softsegments.eval.MattingScores;
import org.softsegments.image.PlanarImage;
import org.softsegments.image.Resize;
import org.softsegments.io.ImageFiles;

/**
 * One benchmark case and how cases are found in a folder.
 * <p>
 * Two layouts are recognised ({@link #discover}):
 * <ul>
 * <li><b>matting</b>: {@code DIR/<case>/image.png}, {@code alpha.png} (8-bit true alpha) and
 * optionally {@code trimap*.png} (0 background, 128 unknown, 255 foreground) and
 * {@code features.png} (a 3-channel feature image, used as given); {@code DIR} may also be a
 * single such case folder;</li>
 * <li><b>instances</b>: {@code DIR/images/<id>.jpg} (or .jpeg/.png) with
 * {@code DIR/instances/<id>.png} (8- or 16-bit labels: 0 = not annotated, 1..n = instances,
 * 255 = ignore) and optionally {@code DIR/features/<id>.png}.</li>
 * </ul>
 * Cases are sorted by name, so the order (and {@code --limit}) is reproducible.
 */
public record BenchCase(String source, String name, Kind kind, Path image, Path alpha, List<Path> trimaps,
	Path instances, Path features)
{

	/** The two kinds of ground truth. */
	public enum Kind {
		MATTING("matting"), INSTANCES("instances");

		private final String label;

		Kind(final String label) {
			this.label = label;
		}

		@Override
		public String toString() {
			return label;
		}
	}

	/** File-system friendly unique id: {@code <source>-<name>}. */
	public String id() {
		return (source + "-" + name).replaceAll("[^A-Za-z0-9._-]", "_");
	}

	/**
	 * The cases under {@code dir} (see the class documentation), sorted by name.
	 *
	 * @throws IllegalArgumentException if {@code dir} has neither layout
	 */
	public static List<BenchCase> discover(final Path dir) throws IOException {
		if (!Files.isDirectory(dir)) throw new IllegalArgumentException("Case folder does not exist: " + dir);
		final String source = sourceName(dir);
		final List<BenchCase> out = new ArrayList<>();
		if (Files.isDirectory(dir.resolve("images")) && Files.isDirectory(dir.resolve("instances"))) {
			for (final Path img : list(dir.resolve("images"))) {
				final String file = img.getFileName().toString();
				final String lower = file.toLowerCase(java.util.Locale.ROOT);
				if (!(lower.endsWith(".jpg") || lower.endsWith(".jpeg") || lower.endsWith(".png"))) continue;
				final String id = file.substring(0, file.lastIndexOf('.'));
				final Path labels = dir.resolve("instances").resolve(id + ".png");
				if (!Files.isRegularFile(labels)) continue;
				final Path f = dir.resolve("features").resolve(id + ".png");
				out.add(new BenchCase(source, id, Kind.INSTANCES, img, null, List.of(), labels,
					Files.isRegularFile(f) ? f : null));
			}
			if (out.isEmpty()) throw new IllegalArgumentException("No instance cases in " + dir +
				": expected images/<id>.jpg with instances/<id>.png");
			return out;
		}
		if (isMattingCase(dir)) {
			out.add(mattingCase(dir.getParent() == null ? "cases" : sourceName(dir.getParent()), dir));
			return out;
		}
		for (final Path sub : list(dir)) {
			if (Files.isDirectory(sub) && isMattingCase(sub)) out.add(mattingCase(source, sub));
		}
		if (out.isEmpty()) {
			throw new IllegalArgumentException("No cases in " + dir + ": expected matting cases <case>/image.png + " +
				"alpha.png [+ trimap*.png, features.png] or instance cases images/<id>.jpg + instances/<id>.png");
		}
		return out;
	}

	private static String sourceName(final Path dir) {
		final Path name = dir.toAbsolutePath().normalize().getFileName();
		return name == null ? "cases" : name.toString();
	}

	private static boolean isMattingCase(final Path dir) {
		return Files.isRegularFile(dir.resolve("image.png")) && Files.isRegularFile(dir.resolve("alpha.png"));
	}

	private static BenchCase mattingCase(final String source, final Path dir) throws IOException {
		final List<Path> trimaps = new ArrayList<>();
		for (final Path p : list(dir)) {
			final String f = p.getFileName().toString();
			if (f.startsWith("trimap") && f.endsWith(".png")) trimaps.add(p);
		}
		final Path f = dir.resolve("features.png");
		return new BenchCase(source, dir.getFileName().toString(), Kind.MATTING, dir.resolve("image.png"),
			dir.resolve("alpha.png"), List.copyOf(trimaps), null, Files.isRegularFile(f) ? f : null);
	}

	private static List<Path> list(final Path dir) throws IOException {
		try (Stream<Path> s = Files.list(dir)) {
			return s.sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString())).toList();
		}
	}

	/** A case read from disk and resized. */
	public record Loaded(BenchCase source, int originalWidth, int originalHeight, PlanarImage image, float[] alpha,
		List<MattingScores.Trimap> trimaps, int[] labels, PlanarImage features)
	{
		public int width() {
			return image.width();
		}

		public int height() {
			return image.height();
		}
	}

	/**
	 * Reads the case and resizes it by {@code scale}: image, alpha and features by
	 * {@link Resize#smooth} (area averaging), trimaps and instance labels by
	 * {@link Resize#nearest}.
	 */
	public Loaded load(final double scale) throws IOException {
		final PlanarImage full = ImageFiles.read(image);
		final int w0 = full.width(), h0 = full.height();
		final int w = Resize.scaledSize(w0, scale), h = Resize.scaledSize(h0, scale);
		final PlanarImage img = Resize.smooth(full, w, h);
		float[] a = null;
		final List<MattingScores.Trimap> tri = new ArrayList<>();
		int[] lab = null;
		if (kind == Kind.MATTING) {
			final IntMap raw = readIntMap(alpha, w0, h0);
			final float[] af = new float[raw.values().length];
			for (int i = 0; i < af.length; i++) af[i] = raw.values()[i] / (float) raw.max();
			a = Resize.smooth(new PlanarImage(w0, h0, new float[][] { af }), w, h).plane(0);
			for (final Path t : trimaps) {
				final String n = t.getFileName().toString().replaceFirst("\\.png$", "");
				final IntMap m = readIntMap(t, w0, h0);
				int[] v = m.values();
				if (m.max() != 255) for (int i = 0; i < v.length; i++) v[i] = (int) Math.round(v[i] * 255.0 / m.max());
				v = Resize.nearest(v, w0, h0, w, h);
				tri.add(new MattingScores.Trimap(n, v));
			}
		}
		else {
			lab = Resize.nearest(readIntMap(instances, w0, h0).values(), w0, h0, w, h);
		}
		PlanarImage feat = null;
		if (features != null) {
			final PlanarImage f = ImageFiles.read(features);
			if (f.width() != w0 || f.height() != h0) {
				throw new IllegalArgumentException("Feature image " + features + " is " + f.width() + "×" + f.height() +
					" but the image is " + w0 + "×" + h0);
			}
			feat = Resize.smooth(f, w, h);
		}
		return new Loaded(this, w0, h0, img, a, List.copyOf(tri), lab, feat);
	}

	/** An integer map and the largest value its bit depth can hold (255 for 8-bit, 65535 for 16-bit). */
	record IntMap(int[] values, int max) {}

	/**
	 * The first band of a grey (8/16-bit) image as integers (red for colour or palette images),
	 * checked against the expected size.
	 */
	static IntMap readIntMap(final Path file, final int w, final int h) throws IOException {
		final BufferedImage img = ImageIO.read(file.toFile());
		if (img == null) throw new IOException("Not a readable image: " + file);
		if (img.getWidth() != w || img.getHeight() != h) {
			throw new IllegalArgumentException(file + " is " + img.getWidth() + "×" + img.getHeight() +
				" but the image is " + w + "×" + h);
		}
		final int[] out = new int[w * h];
		if (img.getType() == BufferedImage.TYPE_BYTE_INDEXED || img.getType() == BufferedImage.TYPE_BYTE_BINARY) {
			for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) out[x + y * w] = (img.getRGB(x, y) >> 16) & 255;
			return new IntMap(out, 255);
		}
		final Raster r = img.getRaster();
		r.getSamples(0, 0, w, h, 0, out);
		return new IntMap(out, (1 << img.getColorModel().getComponentSize(0)) - 1);
	}
}
