package org.softsegments.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;

import org.junit.jupiter.api.Test;
import org.softsegments.core.Progress;

class SupernodalLdltTest {

	@Test
	void solvesShiftedIndefiniteSystemAccurately() {
		final SparseMatrix l = TestLaplacians.imageProxy(40, 30, 2);
		final double sigma = -1e-5;
		final SupernodalLdlt f = SupernodalLdlt.factor(l, SupernodalLdlt.analyse(l), sigma, Progress.NONE);
		final double[] b = random(l.size(), 1);
		final double[] x = new double[l.size()];
		f.solve(b, x);
		assertTrue(relativeResidual(l, sigma, x, b) < 1e-14, "backward error " + relativeResidual(l, sigma, x, b));
	}

	@Test
	void negativePivotsCountEigenvaluesBelowTheShift() {
		final SparseMatrix l = TestLaplacians.imageProxy(24, 25, 1);
		final double[] eigenvalues = ShiftInvertEigensolverTest.denseEigenvalues(l);
		final SupernodalLdlt.Symbolic symbolic = SupernodalLdlt.analyse(l);
		for (final double sigma : new double[] { -1e-3, -1e-4, -1e-6, 1e-4, 0.05 }) {
			int below = 0;
			for (final double e : eigenvalues) if (e < sigma) below++;
			assertEquals(below, SupernodalLdlt.factor(l, symbolic, sigma, Progress.NONE).negativePivots(), "σ = " + sigma);
		}
	}

	@Test
	void blockSolveMatchesSingleSolves() {
		final SparseMatrix l = TestLaplacians.imageProxy(50, 40, 3);
		final SupernodalLdlt f = SupernodalLdlt.factor(l, SupernodalLdlt.analyse(l), -1e-4, Progress.NONE);
		final int n = l.size();
		final double[][] b = new double[7][];
		final double[][] x = new double[7][n];
		for (int c = 0; c < b.length; c++) b[c] = random(n, 10 + c);
		f.solve(b, x);
		for (int c = 0; c < b.length; c++) {
			final double[] single = new double[n];
			f.solve(b[c], single);
			double diff = 0, norm = 0;
			for (int i = 0; i < n; i++) {
				diff = Math.max(diff, Math.abs(single[i] - x[c][i]));
				norm = Math.max(norm, Math.abs(single[i]));
			}
			assertTrue(diff <= 1e-12 * norm, "block and single solves differ by " + diff);
		}
	}

	@Test
	void factorAndSolveAreIndependentOfThreadCount() throws Exception {
		final SparseMatrix l = TestLaplacians.imageProxy(60, 50, 4);
		final SupernodalLdlt.Symbolic symbolic = SupernodalLdlt.analyse(l);
		final double[][] b = { random(l.size(), 5), random(l.size(), 6) };
		final double[][] x1 = solveIn(new ForkJoinPool(1), l, symbolic, b);
		final double[][] x3 = solveIn(new ForkJoinPool(3), l, symbolic, b);
		for (int c = 0; c < b.length; c++) assertArrayEquals(x1[c], x3[c], 0);
	}

	@Test
	void singularShiftIsReported() {
		// the path Laplacian is singular (constant vector): σ = 0 leaves a zero pivot
		final SparseMatrix l = TestLaplacians.path(50);
		assertThrows(SupernodalLdlt.SingularShiftException.class,
			() -> SupernodalLdlt.factor(l, SupernodalLdlt.analyse(l), 0, Progress.NONE));
	}

	@Test
	void tinyMatrixExactFactor() {
		// [[2, -1], [-1, 2]] − 0·I: L = [1 0; −1/2 1], D = (2, 3/2); solve with b = (1, 0) → (2/3, 1/3)
		final SparseMatrix a = SparseMatrix.fromTriplets(2, new int[] { 0, 0, 1, 1 }, new int[] { 0, 1, 0, 1 },
			new double[] { 2, -1, -1, 2 }, 4);
		final SupernodalLdlt f = SupernodalLdlt.factor(a, SupernodalLdlt.analyse(a), 0, Progress.NONE);
		final double[] x = new double[2];
		f.solve(new double[] { 1, 0 }, x);
		assertArrayEquals(new double[] { 2.0 / 3, 1.0 / 3 }, x, 1e-15);
		assertEquals(0, f.negativePivots());
		assertEquals(3, f.factorEntries());
	}

	private static double[][] solveIn(final ForkJoinPool pool, final SparseMatrix l, final SupernodalLdlt.Symbolic symbolic,
		final double[][] b) throws Exception
	{
		return pool.submit(() -> {
			final SupernodalLdlt f = SupernodalLdlt.factor(l, symbolic, -2e-5, Progress.NONE);
			final double[][] x = new double[b.length][l.size()];
			f.solve(b, x);
			return x;
		}).get();
	}

	private static double[] random(final int n, final long seed) {
		final SplittableRandom r = new SplittableRandom(seed);
		final double[] v = new double[n];
		for (int i = 0; i < n; i++) v[i] = r.nextDouble() - 0.5;
		return v;
	}

	/** ‖(A − σI)x − b‖ / (‖A − σI‖₁ ‖x‖ + ‖b‖), infinity norms. */
	private static double relativeResidual(final SparseMatrix a, final double sigma, final double[] x, final double[] b) {
		final double[] y = new double[x.length];
		a.multiply(x, y);
		double r = 0, xn = 0, bn = 0;
		for (int i = 0; i < x.length; i++) {
			r = Math.max(r, Math.abs(y[i] - sigma * x[i] - b[i]));
			xn = Math.max(xn, Math.abs(x[i]));
			bn = Math.max(bn, Math.abs(b[i]));
		}
		return r / ((ShiftInvertEigensolver.infinityNorm(a) + Math.abs(sigma)) * xn + bn);
	}
}
