package org.softsegments.features;

import org.softsegments.image.PlanarImage;
import org.softsegments.superpixels.CieLab;

/**
 * Colour-only stand-in for semantic features, used when no feature image is given: the image's
 * CIE L*a*b* colour divided by 100 (L* to [0,1], a* and b* shifted by +0.5 so typical values
 * stay in [0,1]). Only Euclidean distances between features matter downstream (semantic
 * affinity, k-means, grouping); with this scaling the semantic affinity's centre (distance 0.15)
 * corresponds to a colour difference ΔE*ab = 15. This is not part of the paper, which always
 * has network features: it is the "colour only" baseline.
 */
public final class ColorFeatures {

	private ColorFeatures() {}

	/** 3-channel colour features of an RGB (or grey) image with values in [0,1]. */
	public static PlanarImage fromImage(final PlanarImage rgb) {
		final PlanarImage lab = CieLab.fromRgb(rgb);
		final float[] l = lab.plane(0), a = lab.plane(1), b = lab.plane(2);
		for (int i = 0; i < l.length; i++) {
			l[i] /= 100f;
			a[i] = a[i] / 100f + 0.5f;
			b[i] = b[i] / 100f + 0.5f;
		}
		return lab;
	}
}
