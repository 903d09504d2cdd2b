package org.softsegments.features;

/**
 * Guided filter (He, Sun, Tang, ECCV 2010 / TPAMI 2013) with the semantics of MATLAB
 * {@code imguidedfilter(A, G, 'NeighborhoodSize', r, 'DegreeOfSmoothing', eps)} for double
 * data, as used by the feature preprocessing of spec §3.1.
 * <p>
 * Every "mean" is the {@link BoxMean} of size {@code r} (replicate border, asymmetric window
 * {@code −⌊(r−1)/2⌋ … r−1−⌊(r−1)/2⌋} for even {@code r}, always divided by {@code r²}); the same
 * window is used for the second pass {@code mean(a)}, {@code mean(b)}.
 * <ul>
 * <li>Grey guide ({@link #grey}): {@code μ_G = mean(G)}, {@code μ_p = mean(p)},
 * {@code σ²_G = mean(G·G) − μ_G²}, {@code c = mean(G·p) − μ_G·μ_p}, {@code a = c / (σ²_G + ε)},
 * {@code b = μ_p − a·μ_G}, output {@code q = mean(a)·G + mean(b)}.</li>
 * <li>Colour guide ({@link #color}): {@code Σ} = the 3×3 box-mean covariance of the RGB guide
 * plus {@code ε} on its diagonal, {@code c} = box-mean covariances of each guide channel with
 * {@code p}, {@code a = Σ⁻¹c} (closed-form 3×3 inverse by cofactors), {@code b = μ_p − a·μ_G},
 * output {@code q = Σ_k mean(a_k)·G_k + mean(b)}.</li>
 * </ul>
 * All intermediate values are double; the output is stored as float. The guide statistics can be
 * computed once and reused for many inputs ({@link GreyGuide}, {@link ColorGuide}); both are
 * immutable and safe to share between threads. Per-input work: 4 box means (grey) or 8 (colour).
 * <p>
 * Deviation: none intended; the running-sum box mean differs from MATLAB's correlation by
 * rounding only.
 */
public final class GuidedFilter {

	private GuidedFilter() {}

	/** Grey-guided filter of {@code input} with the single-channel {@code guide}. */
	public static float[] grey(final float[] input, final float[] guide, final int width, final int height,
		final int window, final double eps)
	{
		return GreyGuide.of(guide, width, height, window, eps).filter(input);
	}

	/** Colour-guided filter of the single-channel {@code input} with the 3-channel guide {@code guideRgb[3][N]}. */
	public static float[] color(final float[] input, final float[][] guideRgb, final int width, final int height,
		final int window, final double eps)
	{
		return ColorGuide.of(guideRgb, width, height, window, eps).filter(input);
	}

	/** Precomputed statistics of a single-channel guide: {@code μ_G} and {@code σ²_G + ε}. */
	public static final class GreyGuide {

		private final int width, height, window;
		private final float[] guide;
		private final double[] meanG;
		private final double[] varEps;

		private GreyGuide(final float[] guide, final int width, final int height, final int window,
			final double[] meanG, final double[] varEps)
		{
			this.guide = guide;
			this.width = width;
			this.height = height;
			this.window = window;
			this.meanG = meanG;
			this.varEps = varEps;
		}

		/** Statistics of {@code guide} (not copied: do not modify it while the guide is in use). */
		public static GreyGuide of(final float[] guide, final int width, final int height, final int window,
			final double eps)
		{
			checkCommon(guide, "guide", width, height, window, eps);
			final int n = guide.length;
			final double[] tmp = new double[n];
			final double[] g = new double[n];
			final double[] gg = new double[n];
			for (int i = 0; i < n; i++) {
				g[i] = guide[i];
				gg[i] = g[i] * g[i];
			}
			final double[] meanG = new double[n];
			BoxMean.mean(g, width, height, window, tmp, meanG);
			BoxMean.mean(gg, width, height, window, tmp, gg);
			for (int i = 0; i < n; i++) gg[i] = gg[i] - meanG[i] * meanG[i] + eps;
			return new GreyGuide(guide, width, height, window, meanG, gg);
		}

		/** The filtered {@code input} (a new array). */
		public float[] filter(final float[] input) {
			checkLength(input, "input", guide.length);
			final int n = guide.length;
			final double[] tmp = new double[n];
			final double[] meanP = new double[n];
			final double[] x = new double[n];
			for (int i = 0; i < n; i++) x[i] = input[i];
			BoxMean.mean(x, width, height, window, tmp, meanP);
			for (int i = 0; i < n; i++) x[i] *= guide[i];
			BoxMean.mean(x, width, height, window, tmp, x); // mean(G·p)
			for (int i = 0; i < n; i++) {
				final double a = (x[i] - meanG[i] * meanP[i]) / varEps[i];
				x[i] = a;
				meanP[i] = meanP[i] - a * meanG[i]; // b
			}
			BoxMean.mean(x, width, height, window, tmp, x);
			BoxMean.mean(meanP, width, height, window, tmp, meanP);
			final float[] q = new float[n];
			for (int i = 0; i < n; i++) q[i] = (float) (x[i] * guide[i] + meanP[i]);
			return q;
		}
	}

	/** Precomputed statistics of an RGB guide: {@code μ_G} per channel and {@code (Σ + εI)⁻¹}. */
	public static final class ColorGuide {

		private final int width, height, window;
		private final float[][] guide;
		private final double[][] meanG; // [3][n]
		private final double[][] inv; // rr, rg, rb, gg, gb, bb of (Σ + εI)^-1, [6][n]

		private ColorGuide(final float[][] guide, final int width, final int height, final int window,
			final double[][] meanG, final double[][] inv)
		{
			this.guide = guide;
			this.width = width;
			this.height = height;
			this.window = window;
			this.meanG = meanG;
			this.inv = inv;
		}

		/** Statistics of {@code guideRgb[3][N]} (not copied: do not modify it while the guide is in use). */
		public static ColorGuide of(final float[][] guideRgb, final int width, final int height, final int window,
			final double eps)
		{
			if (guideRgb == null || guideRgb.length != 3) {
				throw new IllegalArgumentException("Colour guided filter needs a 3-channel (RGB) guide, got "
					+ (guideRgb == null ? "null" : guideRgb.length + " channels"));
			}
			for (int k = 0; k < 3; k++) checkCommon(guideRgb[k], "guide channel " + k, width, height, window, eps);
			final int n = width * height;
			final double[] tmp = new double[n];
			final double[][] meanG = new double[3][n];
			for (int k = 0; k < 3; k++) {
				final double[] g = meanG[k];
				final float[] src = guideRgb[k];
				for (int i = 0; i < n; i++) g[i] = src[i];
				BoxMean.mean(g, width, height, window, tmp, g);
			}
			// Second moments rr, rg, rb, gg, gb, bb, turned into covariances + eps on the diagonal.
			final int[][] pairs = { { 0, 0 }, { 0, 1 }, { 0, 2 }, { 1, 1 }, { 1, 2 }, { 2, 2 } };
			final double[][] cov = new double[6][];
			for (int e = 0; e < 6; e++) {
				final float[] gk = guideRgb[pairs[e][0]];
				final float[] gl = guideRgb[pairs[e][1]];
				final double[] mk = meanG[pairs[e][0]];
				final double[] ml = meanG[pairs[e][1]];
				final double[] m = new double[n];
				for (int i = 0; i < n; i++) m[i] = (double) gk[i] * gl[i];
				BoxMean.mean(m, width, height, window, tmp, m);
				final double diag = pairs[e][0] == pairs[e][1] ? eps : 0;
				for (int i = 0; i < n; i++) m[i] = m[i] - mk[i] * ml[i] + diag;
				cov[e] = m;
			}
			// Closed-form inverse by cofactors, in place.
			final double[] rr = cov[0], rg = cov[1], rb = cov[2], gg = cov[3], gb = cov[4], bb = cov[5];
			for (int i = 0; i < n; i++) {
				final double iRR = gg[i] * bb[i] - gb[i] * gb[i];
				final double iRG = gb[i] * rb[i] - rg[i] * bb[i];
				final double iRB = rg[i] * gb[i] - gg[i] * rb[i];
				final double iGG = rr[i] * bb[i] - rb[i] * rb[i];
				final double iGB = rb[i] * rg[i] - rr[i] * gb[i];
				final double iBB = rr[i] * gg[i] - rg[i] * rg[i];
				final double det = rr[i] * iRR + rg[i] * iRG + rb[i] * iRB;
				rr[i] = iRR / det;
				rg[i] = iRG / det;
				rb[i] = iRB / det;
				gg[i] = iGG / det;
				gb[i] = iGB / det;
				bb[i] = iBB / det;
			}
			return new ColorGuide(guideRgb, width, height, window, meanG, cov);
		}

		/** The filtered single-channel {@code input} (a new array). */
		public float[] filter(final float[] input) {
			final double[][] ab = coefficients(input);
			final int n = width * height;
			final float[] g0 = guide[0], g1 = guide[1], g2 = guide[2];
			final double[] a0 = ab[0], a1 = ab[1], a2 = ab[2], b = ab[3];
			final float[] q = new float[n];
			for (int i = 0; i < n; i++) q[i] = (float) (a0[i] * g0[i] + a1[i] * g1[i] + a2[i] * g2[i] + b[i]);
			return q;
		}

		/**
		 * The box-averaged coefficients of the local linear model {@code q = Σ_k mean(a_k)·G_k + mean(b)}
		 * of {@code input}: {@code [mean(a_0), mean(a_1), mean(a_2), mean(b)]}, each of length N (new
		 * arrays). {@link #filter} applies them to this guide; the fast path applies them, upsampled,
		 * to a larger guide (He &amp; Sun 2015, "Fast guided filter").
		 */
		public double[][] coefficients(final float[] input) {
			final int n = width * height;
			checkLength(input, "input", n);
			final double[] tmp = new double[n];
			final double[] meanP = new double[n];
			final double[] c0 = new double[n];
			final double[] c1 = new double[n];
			final double[] c2 = new double[n];
			final float[] g0 = guide[0], g1 = guide[1], g2 = guide[2];
			for (int i = 0; i < n; i++) {
				final double p = input[i];
				c0[i] = p;
				c1[i] = p * g1[i];
				c2[i] = p * g2[i];
			}
			BoxMean.mean(c0, width, height, window, tmp, meanP);
			for (int i = 0; i < n; i++) c0[i] *= g0[i];
			BoxMean.mean(c0, width, height, window, tmp, c0);
			BoxMean.mean(c1, width, height, window, tmp, c1);
			BoxMean.mean(c2, width, height, window, tmp, c2);
			final double[] m0 = meanG[0], m1 = meanG[1], m2 = meanG[2];
			final double[] rr = inv[0], rg = inv[1], rb = inv[2], gg = inv[3], gb = inv[4], bb = inv[5];
			for (int i = 0; i < n; i++) {
				final double mp = meanP[i];
				final double v0 = c0[i] - m0[i] * mp;
				final double v1 = c1[i] - m1[i] * mp;
				final double v2 = c2[i] - m2[i] * mp;
				final double a0 = rr[i] * v0 + rg[i] * v1 + rb[i] * v2;
				final double a1 = rg[i] * v0 + gg[i] * v1 + gb[i] * v2;
				final double a2 = rb[i] * v0 + gb[i] * v1 + bb[i] * v2;
				c0[i] = a0;
				c1[i] = a1;
				c2[i] = a2;
				meanP[i] = mp - a0 * m0[i] - a1 * m1[i] - a2 * m2[i]; // b
			}
			BoxMean.mean(c0, width, height, window, tmp, c0);
			BoxMean.mean(c1, width, height, window, tmp, c1);
			BoxMean.mean(c2, width, height, window, tmp, c2);
			BoxMean.mean(meanP, width, height, window, tmp, meanP);
			return new double[][] { c0, c1, c2, meanP };
		}
	}

	private static void checkCommon(final float[] plane, final String what, final int width, final int height,
		final int window, final double eps)
	{
		if (width <= 0 || height <= 0) {
			throw new IllegalArgumentException("Guided filter needs a positive image size, got " + width + "×" + height);
		}
		if (window < 1) throw new IllegalArgumentException("Guided filter window size must be at least 1, got " + window);
		if (!(eps > 0) || Double.isInfinite(eps)) {
			throw new IllegalArgumentException("Guided filter smoothing eps must be a finite positive number, got " + eps);
		}
		checkLength(plane, what, (long) width * height);
	}

	private static void checkLength(final float[] plane, final String what, final long n) {
		if (plane == null) throw new IllegalArgumentException("Guided filter " + what + " is null");
		if (plane.length != n) {
			throw new IllegalArgumentException("Guided filter " + what + " has " + plane.length
				+ " values, expected width·height = " + n);
		}
	}
}
