package org.softsegments.fiji;

import java.awt.HeadlessException;
import java.awt.Rectangle;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.softsegments.engine.StrokeLabels;

import ij.gui.Line;
import ij.gui.Roi;
import ij.plugin.frame.RoiManager;
import ij.process.FloatPolygon;
import ij.process.ImageProcessor;

/**
 * The strokes of {@code strokes=[ROI Manager]}: ImageJ 1.x ROIs → {@link StrokeLabels}.
 * <p>
 * <b>Layers.</b> A ROI with a group ({@link Roi#getGroup()}, 1–64) marks that layer. ROIs without a
 * group share a layer when they have the same name; these layers take the numbers that no group
 * uses, in the order in which their names first appear (a ROI without a name is a layer of its
 * own). The layers must be 1…K without gaps, K ≥ 2.
 * <p>
 * <b>Pixels.</b> ROI coordinates as ImageJ shows them: pixel (x, y) covers the square
 * [x, x+1]×[y, y+1], its centre is (x + ½, y + ½). Line ROIs (straight, segmented, freehand) are a
 * round brush of diameter w = their stroke width, at least {@value #MIN_WIDTH}: every pixel whose
 * centre lies within w/2 of the line (inclusive). Point ROIs mark the 3×3 pixels around each point.
 * Area ROIs mark the pixels of their mask ({@link Roi#getMask()}: those whose centre lies inside).
 * Where ROIs overlap, the later ROI of the list wins. Pixels outside the image are ignored.
 */
final class StrokeRois {

	/** The smallest brush diameter of a line ROI, in pixels. */
	static final int MIN_WIDTH = 3;

	private StrokeRois() {}

	/** Strokes plus a description of each layer ("group 2 (3 ROIs)", "'sky' (1 ROI)"), for the log. */
	record Result(StrokeLabels strokes, List<String> layers) {}

	/**
	 * The ROIs of the ROI Manager, read without opening it (never creates a window).
	 *
	 * @throws IllegalArgumentException when there is no ROI Manager (always so headless: it is a
	 *           window) or it is empty
	 */
	static Roi[] managerRois() {
		RoiManager manager;
		try {
			manager = RoiManager.getInstance2(); // the open one, or a macro's batch-mode manager
		}
		catch (final HeadlessException e) {
			manager = null; // a batch-mode manager cannot be created headless
		}
		if (manager == null) {
			throw new IllegalArgumentException("strokes=[ROI Manager]: no ROI Manager is open" + (java.awt.GraphicsEnvironment
				.isHeadless() ? " (headless ImageJ has none: give the strokes as a label image, strokes=[label image] " +
					"stroke_image=<title>)" : "; draw the strokes and add them with Analyze › Tools › ROI Manager… (key t)"));
		}
		final Roi[] rois = manager.getRoisAsArray();
		if (rois.length == 0) {
			throw new IllegalArgumentException("strokes=[ROI Manager]: the ROI Manager is empty; draw the strokes (lines " +
				"or areas) and add each with [t], one group or name per layer");
		}
		return rois;
	}

	/**
	 * The strokes of {@code rois} on a {@code width × height} image (see the class javadoc).
	 *
	 * @throws IllegalArgumentException in the ROIs' terms: no ROI, a group above 64, a ROI that is
	 *           neither a line, a point nor an area or that marks no pixel of the image, groups with
	 *           a gap, fewer than two layers
	 */
	static Result labels(final Roi[] rois, final int width, final int height) {
		if (rois == null || rois.length == 0) {
			throw new IllegalArgumentException("No ROIs given: strokes need ROIs of at least two layers");
		}
		final int[] layer = layers(rois);
		final int k = max(layer);
		final int[] labels = new int[width * height];
		final int[] count = new int[k + 1];
		for (int r = 0; r < rois.length; r++) {
			final int marked = paint(rois[r], r, layer[r], labels, width, height);
			if (marked == 0) {
				throw new IllegalArgumentException(describe(rois[r], r) + " marks no pixel of the " + width + "×" + height +
					" image (it lies outside, or is an empty area)");
			}
			count[layer[r]]++;
		}
		final List<String> names = names(rois, layer, count, k);
		final int[] pixels = new int[k + 1];
		for (final int l : labels) pixels[l]++;
		for (int l = 1; l <= k; l++) {
			if (count[l] > 0 && pixels[l] == 0) {
				throw new IllegalArgumentException("The ROIs of layer " + l + " (" + names.get(l - 1) + ") are all covered by " +
					"later ROIs of other layers");
			}
		}
		if (k < 2) {
			throw new IllegalArgumentException("All ROIs are one layer (" + names.get(0) + "): strokes need at least two " +
				"layers; give the ROIs two or more groups (1, 2, …) or names");
		}
		for (int l = 1; l <= k; l++) {
			if (count[l] == 0) {
				throw new IllegalArgumentException("No ROI marks layer " + l + ", but ROI group " + k + " is used: the groups " +
					"must be 1, 2, …, K without gaps (one per layer)");
			}
		}
		return new Result(new StrokeLabels(width, height, labels), names);
	}

	/** The layer of every ROI (class javadoc). */
	private static int[] layers(final Roi[] rois) {
		final int[] layer = new int[rois.length];
		final boolean[] taken = new boolean[StrokeLabels.MAX_LAYERS + 1];
		for (int r = 0; r < rois.length; r++) {
			final int g = rois[r].getGroup();
			if (g > StrokeLabels.MAX_LAYERS) {
				throw new IllegalArgumentException(describe(rois[r], r) + " is in group " + g + "; the groups 1–" +
					StrokeLabels.MAX_LAYERS + " are layers (0 = no group: the ROI's name gives its layer)");
			}
			if (g > 0) {
				layer[r] = g;
				taken[g] = true;
			}
		}
		final Map<String, Integer> byName = new LinkedHashMap<>();
		int next = 1;
		for (int r = 0; r < rois.length; r++) {
			if (layer[r] > 0) continue;
			final String name = rois[r].getName();
			Integer l = name == null ? null : byName.get(name);
			if (l == null) {
				while (next <= StrokeLabels.MAX_LAYERS && taken[next]) next++;
				if (next > StrokeLabels.MAX_LAYERS) {
					throw new IllegalArgumentException("The ROIs give more than " + StrokeLabels.MAX_LAYERS + " layers (ROIs " +
						"without a group: one layer per name); give ROIs of the same layer the same name or group");
				}
				l = next;
				taken[next] = true;
				if (name != null) byName.put(name, l);
			}
			layer[r] = l;
		}
		return layer;
	}

	/** Paints one ROI's pixels with {@code label}; returns how many pixels of the image it marks. */
	private static int paint(final Roi roi, final int index, final int label, final int[] labels, final int width,
		final int height)
	{
		if (roi.getType() == Roi.POINT) {
			final FloatPolygon p = roi.getFloatPolygon();
			int marked = 0;
			for (int i = 0; i < p.npoints; i++) {
				final int px = (int) Math.floor(p.xpoints[i]), py = (int) Math.floor(p.ypoints[i]);
				for (int y = py - 1; y <= py + 1; y++) {
					for (int x = px - 1; x <= px + 1; x++) marked += set(labels, width, height, x, y, label);
				}
			}
			return marked;
		}
		if (roi.isLine()) return paintLine(roi, label, labels, width, height);
		if (!roi.isArea()) {
			throw new IllegalArgumentException(describe(roi, index) + " is " + roi.getTypeAsString().toLowerCase(Locale.ROOT) +
				"; strokes are lines, points or areas");
		}
		final Rectangle b = roi.getBounds();
		final ImageProcessor mask = roi.getMask(); // null: the whole rectangle
		int marked = 0;
		for (int y = Math.max(0, b.y); y < Math.min(height, b.y + b.height); y++) {
			for (int x = Math.max(0, b.x); x < Math.min(width, b.x + b.width); x++) {
				if (mask == null || mask.get(x - b.x, y - b.y) != 0) marked += set(labels, width, height, x, y, label);
			}
		}
		return marked;
	}

	/** A line ROI as a round brush of its stroke width (at least {@link #MIN_WIDTH}). */
	private static int paintLine(final Roi roi, final int label, final int[] labels, final int width, final int height) {
		final double r = Math.max(MIN_WIDTH, roi.getStrokeWidth()) / 2, r2 = r * r;
		final double[] xs, ys;
		if (roi instanceof Line) {
			final Line l = (Line) roi; // its getFloatPolygon() is the outline of a wide line
			xs = new double[] { l.x1d, l.x2d };
			ys = new double[] { l.y1d, l.y2d };
		}
		else {
			final FloatPolygon p = roi.getFloatPolygon();
			if (p.npoints == 0) return 0;
			xs = new double[p.npoints];
			ys = new double[p.npoints];
			for (int i = 0; i < p.npoints; i++) {
				xs[i] = p.xpoints[i];
				ys[i] = p.ypoints[i];
			}
		}
		int marked = 0;
		for (int s = 0; s < Math.max(1, xs.length - 1); s++) {
			final double ax = xs[s], ay = ys[s];
			final double bx = xs[Math.min(s + 1, xs.length - 1)], by = ys[Math.min(s + 1, xs.length - 1)];
			final int x0 = Math.max(0, (int) Math.floor(Math.min(ax, bx) - r - 1));
			final int x1 = Math.min(width - 1, (int) Math.ceil(Math.max(ax, bx) + r));
			final int y0 = Math.max(0, (int) Math.floor(Math.min(ay, by) - r - 1));
			final int y1 = Math.min(height - 1, (int) Math.ceil(Math.max(ay, by) + r));
			final double dx = bx - ax, dy = by - ay, len2 = dx * dx + dy * dy;
			for (int y = y0; y <= y1; y++) {
				for (int x = x0; x <= x1; x++) {
					final double cx = x + 0.5 - ax, cy = y + 0.5 - ay;
					final double t = len2 == 0 ? 0 : Math.max(0, Math.min(1, (cx * dx + cy * dy) / len2));
					final double ex = cx - t * dx, ey = cy - t * dy;
					if (ex * ex + ey * ey <= r2) {
						labels[y * width + x] = label;
						marked++;
					}
				}
			}
		}
		return marked;
	}

	private static int set(final int[] labels, final int width, final int height, final int x, final int y,
		final int label)
	{
		if (x < 0 || y < 0 || x >= width || y >= height) return 0;
		labels[y * width + x] = label;
		return 1;
	}

	private static List<String> names(final Roi[] rois, final int[] layer, final int[] count, final int k) {
		final List<String> names = new ArrayList<>();
		for (int l = 1; l <= k; l++) {
			String what = null;
			for (int r = 0; r < rois.length && what == null; r++) {
				if (layer[r] != l) continue;
				what = rois[r].getGroup() > 0 ? "group " + l : rois[r].getName() == null ? "ROI " + (r + 1) : "'" + rois[r]
					.getName() + "'";
			}
			names.add(what == null ? "none" : what + " (" + count[l] + (count[l] == 1 ? " ROI)" : " ROIs)"));
		}
		return names;
	}

	private static String describe(final Roi roi, final int index) {
		return roi.getName() != null ? "ROI '" + roi.getName() + "'" : "ROI " + (index + 1);
	}

	private static int max(final int[] a) {
		int m = 0;
		for (final int v : a) m = Math.max(m, v);
		return m;
	}
}
