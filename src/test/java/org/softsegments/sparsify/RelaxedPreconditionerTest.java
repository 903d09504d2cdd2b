package org.softsegments.sparsify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;
import org.softsegments.linalg.SparseMatrix;
import org.softsegments.sparsify.RelaxedSparsification.Params;

/** Brute-force dense checks of {@link RelaxedPreconditioner} and of the IRLS weights. */
class RelaxedPreconditionerTest {

	private static final double DELTA = 100;

	private static double[] random(final int size, final double lo, final double hi, final long seed) {
		final SplittableRandom rnd = new SplittableRandom(seed);
		final double[] v = new double[size];
		for (int i = 0; i < size; i++) v[i] = rnd.nextDouble(lo, hi);
		return v;
	}

	/** Dense block diagonal {@code blockdiag(B_i)}, {@code B_i = diag(L_ii + d_i) + δ11ᵀ}, layer-major. */
	private static DMatrixRMaj blocks(final SparseMatrix l, final int k, final double[] d) {
		final int n = l.size();
		final DMatrixRMaj b = new DMatrixRMaj(k * n, k * n);
		for (int i = 0; i < n; i++) {
			for (int p = 0; p < k; p++) {
				for (int q = 0; q < k; q++) b.set(p * n + i, q * n + i, DELTA + (p == q ? l.get(i, i) + d[p * n + i] : 0));
			}
		}
		return b;
	}

	private static double[] solveDense(final DMatrixRMaj a, final double[] r) {
		final DMatrixRMaj x = new DMatrixRMaj(r.length, 1);
		assertTrue(CommonOps_DDRM.solve(a, new DMatrixRMaj(r.length, 1, true, r), x));
		return x.data;
	}

	private static void assertClose(final double[] expected, final double[] actual, final double rel) {
		assertEquals(expected.length, actual.length);
		double scale = 0;
		for (final double e : expected) scale = Math.max(scale, Math.abs(e));
		for (int i = 0; i < expected.length; i++) assertEquals(expected[i], actual[i], rel * scale, "entry " + i);
	}

	@Test
	void blockJacobiIsTheExactInverseOfThePixelBlocks() {
		for (final int k : new int[] { 1, 3, 5 }) {
			final int n = 9;
			final SparseMatrix l = RelaxedSparsificationTest.randomLaplacian(n, 3 + k);
			final double[] d = random(k * n, 1, 160, 5);
			final double[] r = random(k * n, -1, 1, 6);
			final double[] z = new double[k * n];
			RelaxedPreconditioner.blockJacobi(l, k, DELTA, d).apply(r, z);
			assertClose(solveDense(blocks(l, k, d), r), z, 1e-13);
		}
	}

	@Test
	void blockGaussSeidelIsTheChunkedSsorInverse() {
		final int n = 10, chunk = 4;
		final double omega = 1.3;
		for (final int k : new int[] { 2, 5 }) {
			final SparseMatrix l = RelaxedSparsificationTest.randomLaplacian(n, 11 + k);
			final double[] d = random(k * n, 1, 50, 7);
			final double[] r = random(k * n, -1, 1, 8);
			// M = (B + ωE) B⁻¹ (B + ωEᵀ), E = strictly lower part of I_K ⊗ L inside the chunks
			final DMatrixRMaj b = blocks(l, k, d);
			final DMatrixRMaj lower = new DMatrixRMaj(k * n, k * n);
			for (int p = 0; p < k; p++) {
				for (int i = 0; i < n; i++) {
					for (int j = 0; j < i; j++) {
						if (i / chunk == j / chunk) lower.set(p * n + i, p * n + j, omega * l.get(i, j));
					}
				}
			}
			final DMatrixRMaj left = b.copy(), right = b.copy();
			CommonOps_DDRM.addEquals(left, lower);
			CommonOps_DDRM.addEquals(right, CommonOps_DDRM.transpose(lower, null));
			final DMatrixRMaj bInv = b.copy();
			assertTrue(CommonOps_DDRM.invert(bInv));
			final DMatrixRMaj tmp = new DMatrixRMaj(k * n, k * n), m = new DMatrixRMaj(k * n, k * n);
			CommonOps_DDRM.mult(left, bInv, tmp);
			CommonOps_DDRM.mult(tmp, right, m);
			final RelaxedPreconditioner gs = RelaxedPreconditioner.blockSymmetricGaussSeidel(l, k, DELTA, d, chunk, omega);
			final double[] z = new double[k * n];
			gs.apply(r, z);
			assertClose(solveDense(m, r), z, 1e-12);
			// symmetric: uᵀ M⁻¹ v = vᵀ M⁻¹ u
			final double[] u = random(k * n, -1, 1, 9), mu = new double[k * n], mr = new double[k * n];
			gs.apply(u, mu);
			gs.apply(r, mr);
			assertEquals(dot(r, mu), dot(u, mr), 1e-12 * Math.abs(dot(r, mu)));
		}
	}

	@Test
	void fiveLayerSweepIsBitIdenticalToGenericSweep() {
		final int w = 30, h = 20, n = w * h, k = 5;
		final SparseMatrix l = GridLaplacians.of(GridLaplacians.twoRegionImage(w, h), w, h, 2, 0.1);
		final double[] d = random(k * n, 1, 160, 3);
		final double[] r = random(k * n, -1, 1, 4);
		final RelaxedPreconditioner gs = RelaxedPreconditioner.blockSymmetricGaussSeidel(l, k, DELTA, d, 128, 1.1);
		final double[] fast = new double[k * n], generic = new double[k * n];
		gs.apply(r, fast);
		for (int c0 = 0; c0 < n; c0 += 128) gs.sweep(r, generic, c0, Math.min(n, c0 + 128));
		assertArrayEquals(generic, fast, 0);
	}

	@Test
	void updateFollowsTheLiveDiagonal() {
		final int n = 12, k = 5;
		final SparseMatrix l = RelaxedSparsificationTest.randomLaplacian(n, 2);
		final double[] d = random(k * n, 1, 10, 1);
		final double[] r = random(k * n, -1, 1, 2);
		final RelaxedPreconditioner live = RelaxedPreconditioner.blockSymmetricGaussSeidel(l, k, DELTA, d, 5, 1);
		System.arraycopy(random(k * n, 50, 100, 3), 0, d, 0, k * n);
		live.update();
		final double[] a = new double[k * n], b = new double[k * n];
		live.apply(r, a);
		RelaxedPreconditioner.blockSymmetricGaussSeidel(l, k, DELTA, d.clone(), 5, 1).apply(r, b);
		assertArrayEquals(b, a, 0);
	}

	@Test
	void bitIdenticalOnOneAndTwoThreads() throws Exception {
		final int w = 64, h = 64, n = w * h, k = 5;
		final SparseMatrix l = GridLaplacians.of(GridLaplacians.twoRegionImage(w, h), w, h, 2, 0.1);
		final double[] d = random(k * n, 1, 160, 3);
		final double[] r = random(k * n, -1, 1, 4);
		final double[][] out = new double[4][k * n];
		for (int t = 1; t <= 2; t++) {
			final ForkJoinPool pool = new ForkJoinPool(t);
			try {
				final int slot = 2 * (t - 1);
				pool.submit(() -> {
					RelaxedPreconditioner.blockJacobi(l, k, DELTA, d).apply(r, out[slot]);
					RelaxedPreconditioner.blockSymmetricGaussSeidel(l, k, DELTA, d, 500, 1).apply(r, out[slot + 1]);
				}).get();
			}
			finally {
				pool.shutdown();
			}
		}
		assertArrayEquals(out[0], out[2], 0);
		assertArrayEquals(out[1], out[3], 0);
	}

	/** The IRLS weights with the per-pixel clamp power equal the plain formula of spec §3.12 bit for bit. */
	@Test
	void irlsWeightsEqualThePlainFormula() {
		final int n = 7, k = 5;
		final Params p = Params.DEFAULTS;
		final double c = p.clamp();
		final float[] gradient = { 0, 0.03f, 0.1f, 0.5f, 0.07f, 0.0999f, 2 };
		final double[] x = { 0, c, -c, 1 - c, 1 + c, 1, 0.5, Math.nextUp(c), -Math.nextUp(c), 1e-5, 0.3, 0.999, 1.2, -0.4,
			0.02, 0.98, 0.0100001, 0.9899999, 0.7, -1e-9, 1 + 1e-9, 0.25, 0.75, 0.005, 0.995, 2, -2, 0.1, 0.9, 0.011, 0.989,
			0.6, 0.4, 0.05, 0.95 };
		assertEquals(k * n, x.length);
		final double[] target = random(k * n, 0, 1, 1);
		final double[] exponent = RelaxedSparsification.exponents(gradient, n, p);
		final double[] d = new double[k * n], b = new double[k * n];
		RelaxedSparsification.irlsSystem(x, target, exponent, RelaxedSparsification.clampPowers(exponent, p), k, n, p, d,
			b);
		for (int l = 0; l < k; l++) {
			for (int i = 0; i < n; i++) {
				final int idx = l * n + i;
				final double gamma = 0.9 + Math.min(gradient[i], 0.1);
				final double u = Math.pow(Math.max(Math.abs(x[idx]), c), gamma - 2);
				final double v = Math.pow(Math.max(Math.abs(1 - x[idx]), c), gamma - 2);
				assertEquals(u + v + 1, d[idx], 0, "d at " + idx);
				assertEquals(v + target[idx] + 100, b[idx], 0, "b at " + idx);
			}
		}
	}

	@Test
	void rejectsBadArguments() {
		final SparseMatrix l = RelaxedSparsificationTest.randomLaplacian(6, 1);
		assertThrows(IllegalArgumentException.class, () -> RelaxedPreconditioner.blockJacobi(l, 5, DELTA, new double[29]));
		assertThrows(IllegalArgumentException.class, () -> RelaxedPreconditioner.blockJacobi(l, 0, DELTA, new double[0]));
		assertThrows(IllegalArgumentException.class, () -> RelaxedPreconditioner.blockJacobi(l, 5, -1, new double[30]));
		assertThrows(IllegalArgumentException.class,
			() -> RelaxedPreconditioner.blockSymmetricGaussSeidel(l, 5, DELTA, new double[30], 0, 1));
		assertThrows(IllegalArgumentException.class,
			() -> RelaxedPreconditioner.blockSymmetricGaussSeidel(l, 5, DELTA, new double[30], 10, 2));
		final RelaxedPreconditioner m = RelaxedPreconditioner.blockJacobi(l, 5, DELTA, new double[30]);
		assertThrows(IllegalArgumentException.class, () -> m.apply(new double[30], new double[29]));
	}

	private static double dot(final double[] u, final double[] v) {
		double s = 0;
		for (int i = 0; i < u.length; i++) s += u[i] * v[i];
		return s;
	}
}
