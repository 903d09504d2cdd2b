package org.softsegments.engine;

import org.softsegments.image.PlanarImage;

/**
 * Checks and normalises the pipeline's inputs (spec §1, §3.1 dispatch): the image must be 1 or
 * 3 channels (grey is replicated to RGB), values finite and in [0,1], at least
 * {@link #MIN_SIZE}×{@link #MIN_SIZE} pixels; the optional feature image must have the image's
 * size and 3 channels (used as given) or more than 3 (raw network features, preprocessed).
 */
public final class PipelineInputs {

	/** Smallest accepted width and height: the 3×3 matting window and a few superpixels. */
	static final int MIN_SIZE = 8;

	private PipelineInputs() {}

	/** The image as 3 channels in [0,1]; grey is replicated (planes shared, not copied). */
	public static PlanarImage rgb(final PlanarImage image) {
		if (image == null) throw new IllegalArgumentException("No input image given");
		if (image.width() < MIN_SIZE || image.height() < MIN_SIZE) {
			throw new IllegalArgumentException("Image is " + image.width() + "×" + image.height() +
				" pixels; semantic soft segmentation needs at least " + MIN_SIZE + "×" + MIN_SIZE);
		}
		if (image.channels() != 1 && image.channels() != 3) {
			throw new IllegalArgumentException("Image has " + image.channels() +
				" channels; accepted are 1 (grey, replicated to RGB) or 3 (RGB)");
		}
		for (int c = 0; c < image.channels(); c++) {
			final float[] p = image.plane(c);
			for (int i = 0; i < p.length; i++) {
				final float v = p[i];
				if (!(v >= 0 && v <= 1)) {
					throw new IllegalArgumentException("Image value " + v + " at pixel (" + i % image.width() + ", " +
						i / image.width() + "), channel " + c + (Float.isFinite(v) ? " is outside [0, 1]" : " is not finite") +
						"; the engine accepts finite values in [0, 1] (front ends scale 8/16/32-bit images)");
				}
			}
		}
		if (image.channels() == 3) return image;
		final float[] g = image.plane(0);
		return new PlanarImage(image.width(), image.height(), new float[][] { g, g, g });
	}

	/** Checks a feature image against the image (its size, or the fast path's working size); null is allowed (colour-only features). */
	static void checkFeatures(final PlanarImage features, final PlanarImage image, final int[] workingSize) {
		if (features == null) return;
		final boolean working = features.width() == workingSize[0] && features.height() == workingSize[1];
		if (!working && (features.width() != image.width() || features.height() != image.height())) {
			throw new IllegalArgumentException("Feature image is " + features.width() + "×" + features.height() +
				" but the image is " + image.width() + "×" + image.height() + "; they must have the same size");
		}
		if (features.channels() < 3) {
			throw new IllegalArgumentException("Feature image has " + features.channels() +
				" channel(s); accepted are 3 (preprocessed features, used as given) or more than 3 " +
				"(raw network features, preprocessed as in the paper)");
		}
		for (int c = 0; c < features.channels(); c++) {
			for (final float v : features.plane(c)) {
				if (!Float.isFinite(v)) {
					throw new IllegalArgumentException("Feature image channel " + c + " contains " + v +
						"; feature values must be finite");
				}
			}
		}
	}
}
