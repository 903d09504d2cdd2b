package org.softsegments.eval;

import org.softsegments.image.PlanarImage;

/**
 * The best subset of soft layers for a target alpha matte: over all 2^K subsets of the K
 * layers, the summed subset with the smallest sum of absolute differences (SAD) to the target
 * (what a user of soft segments does: pick the layers that make the foreground; see
 * {@code ../shared/data/README.md}). Optionally restricted to a mask (e.g. a trimap's unknown
 * region).
 */
public final class BestSubset {

	/** The chosen subset (bit k set = layer k included) and its errors. */
	public static final class Match {

		/** Bit mask of the chosen layers. */
		public final long subset;
		/** Sum of absolute differences over the evaluated pixels. */
		public final double sad;
		/** Mean squared error over the evaluated pixels. */
		public final double mse;
		/** Number of evaluated pixels. */
		public final int pixels;

		Match(final long subset, final double sad, final double mse, final int pixels) {
			this.subset = subset;
			this.sad = sad;
			this.mse = mse;
			this.pixels = pixels;
		}

		@Override
		public String toString() {
			return String.format("subset=%s SAD=%.3f MSE=%.5f", Long.toBinaryString(subset), sad, mse);
		}
	}

	private BestSubset() {}

	/** Best subset over all pixels. */
	public static Match find(final PlanarImage layers, final float[] target) {
		return find(layers, target, null);
	}

	/**
	 * Best subset (by SAD) over the pixels where {@code mask} is true (all pixels if null).
	 * Layers are not clipped: a user's sum of layers is compared as is, clamped to [0,1].
	 */
	public static Match find(final PlanarImage layers, final float[] target, final boolean[] mask) {
		final int k = layers.channels();
		if (k > 20) throw new IllegalArgumentException("Best-subset search supports at most 20 layers, got " + k);
		if (target.length != layers.pixels()) {
			throw new IllegalArgumentException("Target has " + target.length + " pixels, layers have " + layers.pixels());
		}
		Match best = null;
		for (long subset = 0; subset < (1L << k); subset++) {
			final Match m = evaluate(layers, subset, target, mask);
			if (best == null || m.sad < best.sad) best = m;
		}
		return best;
	}

	/** Errors of one subset. */
	public static Match evaluate(final PlanarImage layers, final long subset, final float[] target,
		final boolean[] mask)
	{
		final int n = layers.pixels();
		double sad = 0, sq = 0;
		int count = 0;
		for (int i = 0; i < n; i++) {
			if (mask != null && !mask[i]) continue;
			double a = 0;
			for (int c = 0; c < layers.channels(); c++) {
				if ((subset >> c & 1) != 0) a += layers.plane(c)[i];
			}
			a = a < 0 ? 0 : a > 1 ? 1 : a;
			final double d = a - target[i];
			sad += Math.abs(d);
			sq += d * d;
			count++;
		}
		return new Match(subset, sad, count == 0 ? 0 : sq / count, count);
	}
}
