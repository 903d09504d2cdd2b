package org.softsegments.eval;

import org.softsegments.image.PlanarImage;

/**
 * Soft IoU between soft layers, Σ min(a,b) / Σ max(a,b) with values clamped to [0,1], and the
 * best one-to-one matching of two layer sets by total soft IoU (exhaustive over permutations,
 * for up to 8 layers). The reference README uses this "matched soft IoU" to compare runs.
 */
public final class LayerMatching {

	private LayerMatching() {}

	/** Soft IoU of two layers (1 when both are empty). */
	public static double softIoU(final float[] a, final float[] b) {
		if (a.length != b.length) throw new IllegalArgumentException("layers differ in length");
		double inter = 0, union = 0;
		for (int i = 0; i < a.length; i++) {
			final double x = clamp(a[i]), y = clamp(b[i]);
			inter += Math.min(x, y);
			union += Math.max(x, y);
		}
		return union == 0 ? 1 : inter / union;
	}

	/**
	 * Mean soft IoU of the best one-to-one matching between the layers of {@code a} and
	 * {@code b}; unmatched layers (when the counts differ) count as IoU 0 for the larger set.
	 */
	public static double meanMatchedIoU(final PlanarImage a, final PlanarImage b) {
		final int ka = a.channels(), kb = b.channels();
		if (Math.max(ka, kb) > 8) throw new IllegalArgumentException("matching supports at most 8 layers");
		final double[][] iou = new double[ka][kb];
		for (int i = 0; i < ka; i++) {
			for (int j = 0; j < kb; j++) iou[i][j] = softIoU(a.plane(i), b.plane(j));
		}
		final int k = Math.max(ka, kb);
		final int[] perm = new int[k];
		for (int i = 0; i < k; i++) perm[i] = i;
		double best = -1;
		do {
			double s = 0;
			for (int i = 0; i < ka; i++) if (perm[i] < kb) s += iou[i][perm[i]];
			best = Math.max(best, s);
		}
		while (nextPermutation(perm));
		return best / k;
	}

	private static boolean nextPermutation(final int[] p) {
		int i = p.length - 2;
		while (i >= 0 && p[i] >= p[i + 1]) i--;
		if (i < 0) return false;
		int j = p.length - 1;
		while (p[j] <= p[i]) j--;
		int t = p[i];
		p[i] = p[j];
		p[j] = t;
		for (int a = i + 1, b = p.length - 1; a < b; a++, b--) {
			t = p[a];
			p[a] = p[b];
			p[b] = t;
		}
		return true;
	}

	private static double clamp(final double v) {
		return v < 0 ? 0 : v > 1 ? 1 : v;
	}
}
