package org.softsegments.training;

import org.softsegments.image.PlanarImage;

/**
 * An RGB image (values in [0, 1]) with a class-agnostic region map: {@code labels[x + y·width]}
 * is a region id ≥ 0, or {@link #IGNORE} where the pixel defines no region (COCO background 0
 * and crowd 255).
 */
public final class LabelledImage {

	/** Label of pixels that take no part in the loss or the validation pairs. */
	public static final int IGNORE = -1;

	private final PlanarImage rgb;
	private final int[] labels;

	public LabelledImage(final PlanarImage rgb, final int[] labels) {
		if (rgb.channels() != 3) throw new IllegalArgumentException("Training images must be RGB, got " + rgb.channels() + " channels");
		if (labels.length != rgb.pixels()) {
			throw new IllegalArgumentException("Label map has " + labels.length + " values for a " + rgb.width() + "×" + rgb.height() + " image");
		}
		this.rgb = rgb;
		this.labels = labels;
	}

	public PlanarImage rgb() {
		return rgb;
	}

	/** Live label array. */
	public int[] labels() {
		return labels;
	}

	public int width() {
		return rgb.width();
	}

	public int height() {
		return rgb.height();
	}
}
