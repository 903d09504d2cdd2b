package org.softsegments.bench;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import javax.imageio.ImageIO;

import org.softsegments.eval.LayerVisualization;
import org.softsegments.image.PlanarImage;
import org.softsegments.image.Resize;

/**
 * Contact sheets: rows of captioned image tiles with a text column on the left. A case's sheet
 * is a header row (input, ground truth, trimaps, features) followed by one row per method
 * (colour visualisation of the layers, each layer, the best-subset matte next to the truth);
 * rows are rendered separately (each method may run in its own JVM) and stacked by
 * {@link #stitch}.
 */
public final class ContactSheet {

	/** Largest tile width and height in pixels; smaller images are enlarged up to 4×. */
	public static final int TILE_WIDTH = 200, TILE_HEIGHT = 170;

	private static final int TEXT_COLUMN = 150, CAPTION = 16, GAP = 6;

	/** A captioned image: 1 channel (grey, clamped to [0,1]) or 3 channels (RGB in [0,1]). */
	public record Tile(String caption, PlanarImage image) {}

	private ContactSheet() {}

	/** Display size of a tile for a w×h image: fits {@link #TILE_WIDTH}×{@link #TILE_HEIGHT}, at most 4× enlarged. */
	static int[] tileSize(final int w, final int h) {
		final double f = Math.min(4, Math.min(TILE_WIDTH / (double) w, TILE_HEIGHT / (double) h));
		return new int[] { Math.max(1, (int) Math.round(w * f)), Math.max(1, (int) Math.round(h * f)) };
	}

	/** One row: the text lines (first in bold) left of the tiles. */
	public static BufferedImage row(final List<String> text, final List<Tile> tiles) {
		int tw = 1, th = 1;
		for (final Tile t : tiles) {
			final int[] s = tileSize(t.image().width(), t.image().height());
			tw = Math.max(tw, s[0]);
			th = Math.max(th, s[1]);
		}
		final int width = TEXT_COLUMN + tiles.size() * (tw + GAP) + GAP;
		final int height = Math.max(CAPTION + th + 2 * GAP, 16 * text.size() + 2 * GAP);
		final BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
		final Graphics2D g = Charts.canvas(img);
		for (int i = 0; i < text.size(); i++) {
			g.setFont(g.getFont().deriveFont(i == 0 ? Font.BOLD : Font.PLAIN, i == 0 ? 13f : 11f));
			Charts.text(g, text.get(i), GAP, GAP + 13 + 16 * i);
		}
		g.setFont(g.getFont().deriveFont(Font.PLAIN, 11f));
		for (int k = 0; k < tiles.size(); k++) {
			final Tile t = tiles.get(k);
			final int x = TEXT_COLUMN + k * (tw + GAP);
			g.setColor(Color.BLACK);
			Charts.text(g, t.caption(), x, GAP + 11);
			final int[] s = tileSize(t.image().width(), t.image().height());
			g.drawImage(toImage(Resize.smooth(t.image(), s[0], s[1])), x, GAP + CAPTION, null);
		}
		g.dispose();
		return img;
	}

	/** Stacks rows vertically (left-aligned, white padding), separated by a thin grey line. */
	public static BufferedImage stitch(final List<BufferedImage> rows) {
		int w = 1, h = 0;
		for (final BufferedImage r : rows) {
			w = Math.max(w, r.getWidth());
			h += r.getHeight() + 1;
		}
		final BufferedImage out = new BufferedImage(w, Math.max(1, h), BufferedImage.TYPE_INT_RGB);
		final Graphics2D g = Charts.canvas(out);
		int y = 0;
		for (final BufferedImage r : rows) {
			g.drawImage(r, 0, y, null);
			y += r.getHeight();
			g.setColor(new Color(200, 200, 200));
			g.drawLine(0, y, w, y);
			y++;
		}
		g.dispose();
		return out;
	}

	/** Reads row PNGs and stitches them into {@code out}. */
	public static void stitch(final List<Path> rowFiles, final Path out) throws IOException {
		final List<BufferedImage> rows = new java.util.ArrayList<>();
		for (final Path p : rowFiles) {
			final BufferedImage r = ImageIO.read(p.toFile());
			if (r != null) rows.add(r);
		}
		Charts.writePng(stitch(rows), out);
	}

	/** An 8-bit RGB image of a 1- or 3-channel image with values clamped to [0,1]. */
	public static BufferedImage toImage(final PlanarImage p) {
		final int w = p.width(), h = p.height();
		final BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
		final boolean grey = p.channels() < 3;
		for (int i = 0; i < w * h; i++) {
			final int r = to8(p.plane(0)[i]);
			final int gr = grey ? r : to8(p.plane(1)[i]);
			final int b = grey ? r : to8(p.plane(2)[i]);
			img.setRGB(i % w, i / w, r << 16 | gr << 8 | b);
		}
		return img;
	}

	/** An instance map in colour: 0 black, 255 (ignore) light grey, instance l palette colour l−1. */
	public static PlanarImage instanceColours(final int[] labels, final int w, final int h) {
		final float[][] rgb = new float[3][w * h];
		for (int i = 0; i < labels.length; i++) {
			final int l = labels[i];
			if (l == 0) continue;
			final int[] c = l == 255 ? new int[] { 200, 200, 200 } : LayerVisualization.color(l - 1);
			for (int ch = 0; ch < 3; ch++) rgb[ch][i] = c[ch] / 255f;
		}
		return new PlanarImage(w, h, rgb);
	}

	/**
	 * Mattes of several instances in one picture: at each pixel the colour of the instance with
	 * the largest matte value, scaled by that value.
	 *
	 * @param labels instance label of each matte (colour = palette colour label−1)
	 * @param mattes one matte per label, values in [0,1]
	 */
	public static PlanarImage matteColours(final int[] labels, final float[][] mattes, final int w, final int h) {
		final float[][] rgb = new float[3][w * h];
		for (int i = 0; i < w * h; i++) {
			int best = -1;
			float v = 0;
			for (int m = 0; m < mattes.length; m++) {
				if (mattes[m][i] > v) {
					v = mattes[m][i];
					best = m;
				}
			}
			if (best < 0) continue;
			final int[] c = LayerVisualization.color(labels[best] - 1);
			for (int ch = 0; ch < 3; ch++) rgb[ch][i] = v * c[ch] / 255f;
		}
		return new PlanarImage(w, h, rgb);
	}

	private static int to8(final float v) {
		final float c = v < 0 ? 0 : v > 1 ? 1 : v;
		return Math.round(c * 255);
	}
}
