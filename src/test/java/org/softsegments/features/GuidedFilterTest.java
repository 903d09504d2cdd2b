package org.softsegments.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;

class GuidedFilterTest {

	private static final int W = 13, H = 9;

	@Test
	void greyMatchesBruteForceDefinition() {
		final SplittableRandom rnd = new SplittableRandom(11);
		for (final int window : new int[] { 10, 3, 2 }) {
			for (final double eps : new double[] { 0.01, 1e-4 }) {
				final float[] p = random(rnd, -5, 5);
				final float[] g = random(rnd, 0, 1);
				final float[] fast = GuidedFilter.grey(p, g, W, H, window, eps);
				final double[] slow = bruteGrey(p, g, window, eps);
				assertClose(slow, fast, "grey window " + window + " eps " + eps);
			}
		}
	}

	@Test
	void colorMatchesBruteForceDefinition() {
		final SplittableRandom rnd = new SplittableRandom(12);
		for (final int window : new int[] { 10, 3, 4 }) {
			for (final double eps : new double[] { 0.01, 1e-4 }) {
				final float[] p = random(rnd, -5, 5);
				final float[][] g = { random(rnd, 0, 1), random(rnd, 0, 1), random(rnd, 0, 1) };
				final float[] fast = GuidedFilter.color(p, g, W, H, window, eps);
				final double[] slow = bruteColor(p, g, window, eps);
				assertClose(slow, fast, "colour window " + window + " eps " + eps);
			}
		}
	}

	@Test
	void constantInputStaysConstant() {
		final SplittableRandom rnd = new SplittableRandom(13);
		final float[] p = new float[W * H];
		java.util.Arrays.fill(p, 0.75f);
		final float[][] g = { random(rnd, 0, 1), random(rnd, 0, 1), random(rnd, 0, 1) };
		final float[] grey = GuidedFilter.grey(p, g[0], W, H, 10, 0.01);
		final float[] color = GuidedFilter.color(p, g, W, H, 10, 0.01);
		for (int i = 0; i < p.length; i++) {
			assertEquals(0.75f, grey[i], 1e-6f);
			assertEquals(0.75f, color[i], 1e-6f);
		}
	}

	@Test
	void inputEqualToGuideIsNearlyPreservedForTinyEps() {
		// a = σ²/(σ²+ε) → 1 and b → 0 for ε ≪ σ²: the filter reproduces its guide.
		final SplittableRandom rnd = new SplittableRandom(14);
		final float[] g = random(rnd, 0, 1);
		final float[] q = GuidedFilter.grey(g, g, W, H, 3, 1e-9);
		for (int i = 0; i < g.length; i++) assertEquals(g[i], q[i], 1e-5f);
	}

	@Test
	void rejectsBadArguments() {
		final float[] p = new float[W * H];
		assertThrows(IllegalArgumentException.class, () -> GuidedFilter.grey(p, new float[5], W, H, 10, 0.01));
		assertThrows(IllegalArgumentException.class, () -> GuidedFilter.grey(p, p, W, H, 0, 0.01));
		assertThrows(IllegalArgumentException.class, () -> GuidedFilter.grey(p, p, W, H, 10, 0));
		assertThrows(IllegalArgumentException.class, () -> GuidedFilter.color(p, new float[][] { p, p }, W, H, 10, 0.01));
		assertThrows(IllegalArgumentException.class, () -> GuidedFilter.color(new float[3], new float[][] { p, p, p }, W, H, 10, 0.01));
	}

	// ---- brute force: every mean evaluated directly over the window, 3×3 systems solved by LU ----

	private static double[] bruteGrey(final float[] p, final float[] g, final int r, final double eps) {
		final int n = W * H;
		final double[] a = new double[n], b = new double[n];
		for (int y = 0; y < H; y++) {
			for (int x = 0; x < W; x++) {
				final int i = x + y * W;
				final double mg = mean(g, null, x, y, r), mp = mean(p, null, x, y, r);
				final double var = mean(g, g, x, y, r) - mg * mg;
				final double cov = mean(g, p, x, y, r) - mg * mp;
				a[i] = cov / (var + eps);
				b[i] = mp - a[i] * mg;
			}
		}
		final double[] q = new double[n];
		for (int y = 0; y < H; y++) {
			for (int x = 0; x < W; x++) {
				final int i = x + y * W;
				q[i] = mean(a, x, y, r) * g[i] + mean(b, x, y, r);
			}
		}
		return q;
	}

	private static double[] bruteColor(final float[] p, final float[][] g, final int r, final double eps) {
		final int n = W * H;
		final double[][] a = new double[3][n];
		final double[] b = new double[n];
		for (int y = 0; y < H; y++) {
			for (int x = 0; x < W; x++) {
				final int i = x + y * W;
				final double mp = mean(p, null, x, y, r);
				final double[] mg = new double[3];
				for (int k = 0; k < 3; k++) mg[k] = mean(g[k], null, x, y, r);
				final DMatrixRMaj sigma = new DMatrixRMaj(3, 3);
				final DMatrixRMaj c = new DMatrixRMaj(3, 1);
				for (int k = 0; k < 3; k++) {
					for (int l = 0; l < 3; l++) {
						sigma.set(k, l, mean(g[k], g[l], x, y, r) - mg[k] * mg[l] + (k == l ? eps : 0));
					}
					c.set(k, mean(g[k], p, x, y, r) - mg[k] * mp);
				}
				final DMatrixRMaj sol = new DMatrixRMaj(3, 1);
				CommonOps_DDRM.solve(sigma, c, sol);
				double bb = mp;
				for (int k = 0; k < 3; k++) {
					a[k][i] = sol.get(k);
					bb -= sol.get(k) * mg[k];
				}
				b[i] = bb;
			}
		}
		final double[] q = new double[n];
		for (int y = 0; y < H; y++) {
			for (int x = 0; x < W; x++) {
				final int i = x + y * W;
				double s = mean(b, x, y, r);
				for (int k = 0; k < 3; k++) s += mean(a[k], x, y, r) * g[k][i];
				q[i] = s;
			}
		}
		return q;
	}

	/** Window mean of u·v (v null: of u), window −⌊(r−1)/2⌋ … r−1−⌊(r−1)/2⌋, replicate border. */
	private static double mean(final float[] u, final float[] v, final int x, final int y, final int r) {
		final int lo = (r - 1) / 2, hi = r - 1 - lo;
		double s = 0;
		for (int j = y - lo; j <= y + hi; j++) {
			for (int i = x - lo; i <= x + hi; i++) {
				final int k = clamp(i, W) + clamp(j, H) * W;
				s += v == null ? u[k] : (double) u[k] * v[k];
			}
		}
		return s / (r * r);
	}

	private static double mean(final double[] u, final int x, final int y, final int r) {
		final int lo = (r - 1) / 2, hi = r - 1 - lo;
		double s = 0;
		for (int j = y - lo; j <= y + hi; j++) {
			for (int i = x - lo; i <= x + hi; i++) s += u[clamp(i, W) + clamp(j, H) * W];
		}
		return s / (r * r);
	}

	private static int clamp(final int i, final int n) {
		return Math.min(n - 1, Math.max(0, i));
	}

	private static float[] random(final SplittableRandom rnd, final double lo, final double hi) {
		final float[] f = new float[W * H];
		for (int i = 0; i < f.length; i++) f[i] = (float) rnd.nextDouble(lo, hi);
		return f;
	}

	private static void assertClose(final double[] expected, final float[] actual, final String what) {
		for (int i = 0; i < expected.length; i++) {
			// float output: allow float rounding of the value plus a little cancellation error.
			assertEquals(expected[i], actual[i], 1e-6 * Math.max(1, Math.abs(expected[i])), what + " at " + i);
		}
	}
}
