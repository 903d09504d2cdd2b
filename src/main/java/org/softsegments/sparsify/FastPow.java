package org.softsegments.sparsify;

/**
 * {@code x^e} for {@code x > 0} by {@code 2^(e·log2 x)} with short polynomials: several times faster
 * than {@link Math#pow} and accurate to about 1e-12 relative for the arguments of the IRLS
 * weights (|e·log2 x| &lt; 1000; outside that range, and for x ≤ 0 or non-finite x, it falls back
 * to Math.pow). Pure double arithmetic, so deterministic. Used only by the fast path of the
 * constrained sparsification (its weights span many orders of magnitude, so 1e-12 relative
 * error is far below what matters).
 */
final class FastPow {

	private static final double SQRT2 = Math.sqrt(2);
	private static final double INV_LN2 = 1 / Math.log(2);
	private static final double LN2 = Math.log(2);

	private FastPow() {}

	static double pow(final double x, final double e) {
		if (!(x > 0) || x == Double.POSITIVE_INFINITY || x < Double.MIN_NORMAL) return Math.pow(x, e);
		final long bits = Double.doubleToRawLongBits(x);
		int k = (int) (bits >>> 52) - 1023;
		double f = Double.longBitsToDouble((bits & 0x000fffffffffffffL) | 0x3ff0000000000000L);
		if (f > SQRT2) {
			f *= 0.5;
			k++;
		}
		// ln f = 2 atanh(s), s = (f−1)/(f+1), |s| ≤ 0.1716
		final double s = (f - 1) / (f + 1);
		final double s2 = s * s;
		final double lnf = 2 * s * (1 + s2 * (1 / 3.0 + s2 * (1 / 5.0 + s2 * (1 / 7.0 + s2 * (1 / 9.0 + s2 * (1 / 11.0
			+ s2 * (1 / 13.0)))))));
		final double y = e * (k + lnf * INV_LN2);
		if (!(Math.abs(y) < 1000)) return Math.pow(x, e);
		final double i = Math.rint(y);
		final double z = (y - i) * LN2; // |z| ≤ 0.347
		final double p = 1 + z * (1 + z * (1 / 2.0 + z * (1 / 6.0 + z * (1 / 24.0 + z * (1 / 120.0 + z * (1 / 720.0 + z
			* (1 / 5040.0 + z * (1 / 40320.0 + z * (1 / 362880.0 + z * (1 / 3628800.0))))))))));
		return scale(p, (int) i);
	}

	/** {@code p · 2^n} for |n| ≤ 1000 (two steps keep the exponent in range). */
	private static double scale(final double p, final int n) {
		final int h = n / 2;
		return p * Double.longBitsToDouble((long) (h + 1023) << 52) * Double.longBitsToDouble((long) (n - h + 1023) << 52);
	}
}
