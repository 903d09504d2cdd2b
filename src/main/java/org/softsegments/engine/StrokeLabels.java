package org.softsegments.engine;

import java.util.Arrays;

import org.softsegments.image.PlanarImage;
import org.softsegments.image.Resize;

/**
 * The user's strokes for a scribble-guided run: a label per pixel of the photo, 0 = no stroke,
 * 1…K = "this pixel belongs to layer k". The number of layers K is the largest label; every label
 * 1…K must mark at least one pixel. Immutable.
 */
public final class StrokeLabels {

	/** The largest label (= layer count) accepted; {@link Settings#layers}' upper bound. */
	public static final int MAX_LAYERS = 64;

	private final int width, height, layers;
	private final int[] labels;

	/**
	 * @param labels row-major labels, {@code width·height} values in 0…{@link #MAX_LAYERS}
	 * @throws IllegalArgumentException with a message in the user's terms when a label is outside
	 *         0…64, when no pixel carries a stroke, when a label 1…K marks no pixel or when K &lt; 2
	 */
	public StrokeLabels(final int width, final int height, final int[] labels) {
		if (width < 1 || height < 1 || labels == null || labels.length != (long) width * height) {
			throw new IllegalArgumentException("The stroke labels must have one value per pixel of a " + width + "×" + height
				+ " image, got " + (labels == null ? "none" : labels.length + " values"));
		}
		final int[] count = new int[MAX_LAYERS + 1];
		for (int i = 0; i < labels.length; i++) {
			final int l = labels[i];
			if (l < 0 || l > MAX_LAYERS) {
				throw new IllegalArgumentException("Stroke label " + l + " at pixel (" + i % width + ", " + i / width
					+ ") is outside 0 (no stroke) to " + MAX_LAYERS + " (the layer of the stroke)");
			}
			count[l]++;
		}
		int k = 0;
		for (int l = 1; l <= MAX_LAYERS; l++) if (count[l] > 0) k = l;
		if (k == 0) throw new IllegalArgumentException("The strokes are empty: no pixel has a label from 1 to " + MAX_LAYERS);
		for (int l = 1; l <= k; l++) {
			if (count[l] == 0) {
				throw new IllegalArgumentException("Layer " + l + " has no strokes, but the largest label is " + k
					+ ": the labels must be 1, 2, …, K without gaps (one per wanted layer)");
			}
		}
		if (k < 2) {
			throw new IllegalArgumentException("All strokes have label 1: mark at least two layers (labels 1 and 2), one per wanted layer");
		}
		this.width = width;
		this.height = height;
		this.layers = k;
		this.labels = labels.clone();
	}

	public int width() {
		return width;
	}

	public int height() {
		return height;
	}

	/** K, the number of layers the strokes ask for. */
	public int layers() {
		return layers;
	}

	/** The label of pixel {@code i} (row-major). */
	public int label(final int i) {
		return labels[i];
	}

	/** A copy of the labels. */
	public int[] labels() {
		return labels.clone();
	}

	/** Number of pixels with label {@code k} (1…K). */
	public int pixels(final int k) {
		int n = 0;
		for (final int l : labels) if (l == k) n++;
		return n;
	}

	/**
	 * The strokes' coverage at another resolution: channel {@code k − 1} is the fraction of each
	 * output pixel covered by label {@code k} (area averaging, as the fast path shrinks the photo).
	 * One label at a time, so that at most one plane of the photo's size exists besides the labels.
	 */
	public PlanarImage coverage(final int w, final int h) {
		final float[][] planes = new float[layers][];
		for (int k = 1; k <= layers; k++) {
			final float[] indicator = new float[width * height];
			for (int i = 0; i < labels.length; i++) if (labels[i] == k) indicator[i] = 1;
			planes[k - 1] = Resize.smooth(new PlanarImage(width, height, new float[][] { indicator }), w, h).plane(0);
		}
		return new PlanarImage(w, h, planes);
	}

	@Override
	public boolean equals(final Object o) {
		return o instanceof StrokeLabels && ((StrokeLabels) o).width == width && Arrays.equals(((StrokeLabels) o).labels, labels);
	}

	@Override
	public int hashCode() {
		return Arrays.hashCode(labels) * 31 + width;
	}
}
