package org.softsegments.features.network;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.imageio.ImageIO;

import org.softsegments.core.Progress;
import org.softsegments.engine.SegmentationResult;
import org.softsegments.engine.SemanticSoftSegmentation;
import org.softsegments.engine.Settings;
import org.softsegments.eval.LayerVisualization;
import org.softsegments.image.PlanarImage;
import org.softsegments.io.ImageFiles;

/**
 * Renders the README's before/after figure: per photo, the photo, the layers with colour features
 * and with a feature network's (default settings otherwise: fast path, K = 5, seed 1; as colour
 * composites), and the network's layers one by one as mattes. Run by
 * {@code scripts/semantic-figure.sh}.
 * <p>
 * Usage: {@code SemanticFigure OUT.png MODEL PHOTO...} (MODEL: a {@code .tflite} file or a
 * SavedModel folder, as {@link FeatureNetwork#load(Path)})
 */
public final class SemanticFigure {

	private static final int PAD = 6, LABEL = 18, ROW_HEIGHT = 220;

	private SemanticFigure() {}

	public static void main(final String[] args) throws Exception {
		final Path out = Path.of(args[0]);
		final List<BufferedImage> rows = new ArrayList<>();
		final Path model = Path.of(args[1]);
		final String name = model.getFileName().toString().replaceFirst("\\.tflite$", "");
		try (FeatureNetwork net = FeatureNetwork.load(model)) {
			for (int i = 2; i < args.length; i++) {
				final Path photo = Path.of(args[i]);
				final PlanarImage image = ImageFiles.read(photo);
				final Settings s = new Settings();
				final SegmentationResult colour = SemanticSoftSegmentation.run(image, null, s, Progress.NONE, false);
				final SegmentationResult semantic = NetworkSegmentation.run(net, image, s, Progress.NONE, false);
				final List<BufferedImage> tiles = new ArrayList<>(List.of(rgb(image), rgb(LayerVisualization.composite(colour
					.layers())), rgb(LayerVisualization.composite(semantic.layers()))));
				final List<String> labels = new ArrayList<>(List.of(photo.getFileName().toString(), "colour only", name));
				for (int k = 0; k < semantic.layers().channels(); k++) {
					tiles.add(matte(semantic.layers(), k));
					labels.add("layer " + (k + 1));
				}
				rows.add(row(tiles, labels));
				System.out.println(photo.getFileName() + ": rendered");
			}
		}
		int w = 0, h = 0;
		for (final BufferedImage r : rows) {
			w = Math.max(w, r.getWidth());
			h += r.getHeight();
		}
		final BufferedImage all = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
		final Graphics2D g = all.createGraphics();
		g.setColor(Color.WHITE);
		g.fillRect(0, 0, w, h);
		int y = 0;
		for (final BufferedImage r : rows) {
			g.drawImage(r, 0, y, null);
			y += r.getHeight();
		}
		g.dispose();
		Files.createDirectories(out.toAbsolutePath().getParent());
		ImageIO.write(all, "png", out.toFile());
		System.out.println("wrote " + out);
	}

	/** One row: the tiles scaled to a common height with their labels above. */
	private static BufferedImage row(final List<BufferedImage> tiles, final List<String> labels) {
		final int th = ROW_HEIGHT - LABEL - PAD;
		int w = PAD;
		final List<Integer> widths = new ArrayList<>();
		for (final BufferedImage t : tiles) {
			final int tw = (int) Math.round(t.getWidth() * (double) th / t.getHeight());
			widths.add(tw);
			w += tw + PAD;
		}
		final BufferedImage r = new BufferedImage(w, ROW_HEIGHT, BufferedImage.TYPE_INT_RGB);
		final Graphics2D g = r.createGraphics();
		g.setColor(Color.WHITE);
		g.fillRect(0, 0, w, ROW_HEIGHT);
		g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
		g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
		g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
		g.setColor(Color.BLACK);
		int x = PAD;
		for (int i = 0; i < tiles.size(); i++) {
			g.drawString(labels.get(i), x, LABEL - 5);
			g.drawImage(tiles.get(i), x, LABEL, widths.get(i), th, null);
			x += widths.get(i) + PAD;
		}
		g.dispose();
		return r;
	}

	private static BufferedImage rgb(final PlanarImage p) {
		final BufferedImage b = new BufferedImage(p.width(), p.height(), BufferedImage.TYPE_INT_RGB);
		for (int y = 0; y < p.height(); y++) {
			for (int x = 0; x < p.width(); x++) {
				final int r = byteOf(p.get(x, y, 0)), gr = byteOf(p.get(x, y, Math.min(1, p.channels() - 1))),
						bl = byteOf(p.get(x, y, Math.min(2, p.channels() - 1)));
				b.setRGB(x, y, r << 16 | gr << 8 | bl);
			}
		}
		return b;
	}

	private static BufferedImage matte(final PlanarImage layers, final int k) {
		final BufferedImage b = new BufferedImage(layers.width(), layers.height(), BufferedImage.TYPE_INT_RGB);
		for (int y = 0; y < layers.height(); y++) {
			for (int x = 0; x < layers.width(); x++) {
				final int v = byteOf(layers.get(x, y, k));
				b.setRGB(x, y, v << 16 | v << 8 | v);
			}
		}
		return b;
	}

	private static int byteOf(final float v) {
		return Math.max(0, Math.min(255, Math.round(v * 255)));
	}
}
