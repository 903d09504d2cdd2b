package org.softsegments.training;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.softsegments.image.PlanarImage;

/**
 * Embedding quality as a ranking score: the area under the ROC curve of "same region" versus
 * "different regions" for pixel pairs, scored by feature distance (a smaller distance should mean
 * "same"). Pairs are sampled with a seed among labelled pixels ({@link LabelledImage#IGNORE}
 * excluded): {@code n} positive pairs (a random pixel and a random other pixel of its region) and
 * {@code n} negative pairs (a random pixel and a random pixel of another region), optionally both
 * within a square neighbourhood of the given radius. Ties count one half (Mann–Whitney U).
 */
public final class PairAuc {

	private PairAuc() {}

	/** Positive and negative distances of the sampled pairs. */
	public static final class Pairs {

		public final double[] positive;
		public final double[] negative;

		Pairs(final double[] positive, final double[] negative) {
			this.positive = positive;
			this.negative = negative;
		}

		/** Concatenates pair sets (for pooling over images). */
		public static Pairs concat(final Iterable<Pairs> parts) {
			int np = 0, nn = 0;
			for (final Pairs p : parts) {
				np += p.positive.length;
				nn += p.negative.length;
			}
			final double[] pos = new double[np], neg = new double[nn];
			int ip = 0, in = 0;
			for (final Pairs p : parts) {
				System.arraycopy(p.positive, 0, pos, ip, p.positive.length);
				System.arraycopy(p.negative, 0, neg, in, p.negative.length);
				ip += p.positive.length;
				in += p.negative.length;
			}
			return new Pairs(pos, neg);
		}

		/** AUC of these pairs, NaN when either side is empty. */
		public double auc() {
			return PairAuc.auc(positive, negative);
		}
	}

	/**
	 * Samples up to {@code n} positive and {@code n} negative pairs.
	 *
	 * @param radius maximum Chebyshev distance between the two pixels, or 0 for any distance
	 */
	public static Pairs sample(final PlanarImage features, final int[] labels, final int n, final int radius, final long seed) {
		final int w = features.width(), h = features.height();
		if (labels.length != w * h) throw new IllegalArgumentException("Labels do not match the feature image size");
		int valid = 0;
		for (final int l : labels) if (l >= 0) valid++;
		final int[] pix = new int[valid];
		for (int i = 0, k = 0; i < labels.length; i++) if (labels[i] >= 0) pix[k++] = i;
		final double[] pos = new double[n], neg = new double[n];
		int np = 0, nn = 0;
		if (valid >= 2) {
			final SplittableRandom rng = new SplittableRandom(seed);
			final int maxTries = 50 * n;
			for (int t = 0; t < maxTries && (np < n || nn < n); t++) {
				final int p = pix[rng.nextInt(valid)];
				final int q;
				if (radius > 0) {
					final int x = p % w + rng.nextInt(2 * radius + 1) - radius;
					final int y = p / w + rng.nextInt(2 * radius + 1) - radius;
					if (x < 0 || y < 0 || x >= w || y >= h) continue;
					q = x + y * w;
				}
				else q = pix[rng.nextInt(valid)];
				if (q == p || labels[q] < 0) continue;
				final boolean same = labels[p] == labels[q];
				if (same && np < n) pos[np++] = distance(features, p, q);
				else if (!same && nn < n) neg[nn++] = distance(features, p, q);
			}
		}
		return new Pairs(Arrays.copyOf(pos, np), Arrays.copyOf(neg, nn));
	}

	private static double distance(final PlanarImage f, final int p, final int q) {
		double s = 0;
		for (int c = 0; c < f.channels(); c++) {
			final double d = f.plane(c)[p] - f.plane(c)[q];
			s += d * d;
		}
		return Math.sqrt(s);
	}

	/** P(negative distance > positive distance) + ½ P(equal). */
	public static double auc(final double[] positive, final double[] negative) {
		if (positive.length == 0 || negative.length == 0) return Double.NaN;
		final double[] pos = positive.clone(), neg = negative.clone();
		Arrays.sort(pos);
		Arrays.sort(neg);
		// for each negative: count positives strictly smaller + half the equal ones
		double sum = 0;
		int lo = 0, hi = 0;
		for (final double d : neg) {
			while (lo < pos.length && pos[lo] < d) lo++;
			if (hi < lo) hi = lo;
			while (hi < pos.length && pos[hi] <= d) hi++;
			sum += lo + 0.5 * (hi - lo);
		}
		return sum / ((double) pos.length * neg.length);
	}
}
