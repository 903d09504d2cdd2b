package org.softsegments.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;
import org.softsegments.core.Parallel;
import org.softsegments.core.Progress;
import org.softsegments.core.SegmentationCancelledException;

class ConjugateGradientTest {

	private static LinearOperator dense(final double[][] a) {
		return (x, y) -> {
			for (int i = 0; i < a.length; i++) {
				double s = 0;
				for (int j = 0; j < x.length; j++) s += a[i][j] * x[j];
				y[i] = s;
			}
		};
	}

	private static double residualNorm(final double[][] a, final double[] b, final double[] x) {
		final double[] y = new double[b.length];
		dense(a).apply(x, y);
		double s = 0;
		for (int i = 0; i < b.length; i++) s += (b[i] - y[i]) * (b[i] - y[i]);
		return Math.sqrt(s);
	}

	private static double norm(final double[] v) {
		double s = 0;
		for (final double e : v) s += e * e;
		return Math.sqrt(s);
	}

	@Test
	void solvesTinySpdSystemExactly() {
		final double[][] a = { { 4, 1, 0 }, { 1, 3, 1 }, { 0, 1, 2 } };
		final double[] b = { 1, 2, 3 };
		// by hand (Cramer): det = 4(6-1) - 1(2-0) = 18; x = (1/18)(4, 2, 26)
		final double[] expected = { 4 / 18.0, 2 / 18.0, 26 / 18.0 };
		final double[] x = new double[3];
		final ConjugateGradient.Result r = ConjugateGradient.solve(dense(a), b, x, 1e-12, 10, Progress.NONE, "t");
		assertTrue(r.converged());
		assertTrue(r.iterations() <= 3, "CG needs at most n = 3 iterations, took " + r.iterations());
		assertEquals(r.iterations(), r.performedIterations());
		assertArrayEquals(expected, x, 1e-14);
		assertEquals(residualNorm(a, b, x) / norm(b), r.relativeResidual(), 1e-15);
	}

	@Test
	void agreesWithEjmlOnRandomSpdSystem() {
		final int n = 40;
		final SplittableRandom rnd = new SplittableRandom(7);
		final DMatrixRMaj m = new DMatrixRMaj(n, n);
		for (int i = 0; i < n * n; i++) m.data[i] = rnd.nextDouble(-1, 1);
		final DMatrixRMaj spd = new DMatrixRMaj(n, n);
		CommonOps_DDRM.multTransA(m, m, spd);
		for (int i = 0; i < n; i++) spd.add(i, i, 0.5);
		final double[][] a = new double[n][n];
		for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) a[i][j] = spd.get(i, j);
		final double[] b = new double[n];
		for (int i = 0; i < n; i++) b[i] = rnd.nextDouble(-1, 1);
		final DMatrixRMaj expected = new DMatrixRMaj(n, 1);
		assertTrue(CommonOps_DDRM.solve(spd, new DMatrixRMaj(n, 1, true, b), expected));
		final double[] x = new double[n];
		final ConjugateGradient.Result r = ConjugateGradient.solve(dense(a), b, x, 1e-12, 1000, Progress.NONE, "t");
		assertTrue(r.converged(), r.toString());
		assertTrue(r.relativeResidual() <= 1e-12);
		assertEquals(residualNorm(a, b, x) / norm(b), r.relativeResidual(), 1e-13);
		assertArrayEquals(expected.data, x, 1e-8);
	}

	@Test
	void returnsImmediatelyWhenInitialGuessSatisfiesTolerance() {
		final double[][] a = { { 4, 1, 0 }, { 1, 3, 1 }, { 0, 1, 2 } };
		final double[] b = { 1, 2, 3 };
		final double[] x = { 4 / 18.0, 2 / 18.0, 26 / 18.0 };
		final double[] x0 = x.clone();
		final int[] applications = { 0 };
		final LinearOperator op = (u, v) -> {
			applications[0]++;
			dense(a).apply(u, v);
		};
		final ConjugateGradient.Result r = ConjugateGradient.solve(op, b, x, 1e-6, 100, Progress.NONE, "t");
		assertTrue(r.converged());
		assertEquals(0, r.iterations());
		assertEquals(0, r.performedIterations());
		assertEquals(1, applications[0], "only the initial residual");
		assertArrayEquals(x0, x, 0);
		assertEquals(residualNorm(a, b, x0) / norm(b), r.relativeResidual(), 0);
	}

	@Test
	void zeroRightHandSideGivesZeroSolution() {
		final double[][] a = { { 2, 0 }, { 0, 3 } };
		final double[] x = { 5, -7 };
		final ConjugateGradient.Result r = ConjugateGradient.solve(dense(a), new double[2], x, 1e-6, 10,
			Progress.NONE, "t");
		assertArrayEquals(new double[] { 0, 0 }, x, 0);
		assertEquals(0, r.iterations());
		assertEquals(0, r.relativeResidual());
		assertTrue(r.converged());
	}

	/**
	 * Ill-conditioned diagonal system (condition 1e6) stopped after 12 iterations: the residual
	 * norm of CG is not monotone, and the solver must return the iterate with the smallest
	 * residual, recomputed here with a textbook CG that keeps every iterate.
	 */
	@Test
	void returnsMinimumResidualIterateWhenNotConverged() {
		final int n = 60;
		final int maxIt = 12;
		final double[][] a = new double[n][n];
		for (int i = 0; i < n; i++) a[i][i] = Math.pow(10, 6.0 * i / (n - 1));
		final SplittableRandom rnd = new SplittableRandom(3);
		final double[] b = new double[n];
		for (int i = 0; i < n; i++) b[i] = rnd.nextDouble(-1, 1);

		// textbook CG from x0 = 0, all iterates kept
		final List<double[]> iterates = new ArrayList<>();
		double[] xs = new double[n];
		final double[] r = b.clone();
		final double[] p = b.clone();
		iterates.add(xs.clone());
		double rr = dot(r, r);
		for (int it = 1; it <= maxIt; it++) {
			final double[] q = new double[n];
			dense(a).apply(p, q);
			final double alpha = rr / dot(p, q);
			for (int i = 0; i < n; i++) {
				xs[i] += alpha * p[i];
				r[i] -= alpha * q[i];
			}
			iterates.add(xs.clone());
			final double rrNew = dot(r, r);
			for (int i = 0; i < n; i++) p[i] = r[i] + rrNew / rr * p[i];
			rr = rrNew;
		}
		int best = 0;
		double bestRes = Double.POSITIVE_INFINITY;
		for (int it = 0; it <= maxIt; it++) {
			final double res = residualNorm(a, b, iterates.get(it));
			if (res < bestRes) {
				bestRes = res;
				best = it;
			}
		}
		final double lastRes = residualNorm(a, b, iterates.get(maxIt));
		assertNotEquals(maxIt, best, "test case must have a non-monotone residual");
		assertTrue(lastRes > 1.5 * bestRes, "last residual " + lastRes + " vs best " + bestRes);

		final double[] x = new double[n];
		final ConjugateGradient.Result res = ConjugateGradient.solve(dense(a), b, x, 1e-10, maxIt, Progress.NONE, "t");
		assertFalse(res.converged());
		assertEquals(ConjugateGradient.Status.MAX_ITERATIONS, res.status());
		assertEquals(maxIt, res.performedIterations());
		assertEquals(best, res.iterations());
		assertEquals(bestRes / norm(b), res.relativeResidual(), 1e-9 * bestRes / norm(b));
		assertEquals(residualNorm(a, b, x) / norm(b), res.relativeResidual(), 1e-12);
		final double[] expected = iterates.get(best);
		for (int i = 0; i < n; i++) assertEquals(expected[i], x[i], 1e-9 * (1 + Math.abs(expected[i])));
	}

	@Test
	void jacobiPreconditionerSolvesDiagonalSystemInOneIteration() {
		final int n = 50;
		final double[][] a = new double[n][n];
		final double[] inv = new double[n];
		final double[] b = new double[n];
		for (int i = 0; i < n; i++) {
			a[i][i] = 1 + i * i;
			inv[i] = 1 / a[i][i];
			b[i] = i - 20;
		}
		final double[] x = new double[n];
		final ConjugateGradient.Result r = ConjugateGradient.solve(dense(a), inv, b, x, 1e-10, 100, Progress.NONE, "t");
		assertTrue(r.converged());
		assertEquals(1, r.iterations());
		for (int i = 0; i < n; i++) assertEquals(b[i] / a[i][i], x[i], 1e-15);
		final double[] plain = new double[n];
		assertTrue(ConjugateGradient.solve(dense(a), b, plain, 1e-10, 100, Progress.NONE, "t").iterations() > 1);
	}

	/**
	 * A random SPD matrix {@code S (QᵀQ/n + I) S}: well conditioned up to the diagonal scaling
	 * {@code S} (entries 1 … 1000), which only a preconditioner removes.
	 */
	private static double[][] randomSpd(final int n, final long seed) {
		final SplittableRandom rnd = new SplittableRandom(seed);
		final double[][] q = new double[n][n];
		for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) q[i][j] = rnd.nextDouble(-1, 1);
		final double[] scale = new double[n];
		for (int i = 0; i < n; i++) scale[i] = Math.pow(10, rnd.nextDouble(0, 3));
		final double[][] a = new double[n][n];
		for (int i = 0; i < n; i++) {
			for (int j = 0; j < n; j++) {
				double s = 0;
				for (int m = 0; m < n; m++) s += q[m][i] * q[m][j];
				a[i][j] = scale[i] * scale[j] * (s / n + (i == j ? 1 : 0));
			}
		}
		return a;
	}

	@Test
	void nullPreconditionerIsBitIdenticalToUnpreconditioned() {
		final int n = 40;
		final double[][] a = randomSpd(n, 4);
		final double[] b = new double[n];
		for (int i = 0; i < n; i++) b[i] = Math.sin(i);
		for (final int maxIt : new int[] { 7, 500 }) {
			final double[] x1 = new double[n], x2 = new double[n];
			x1[3] = x2[3] = 0.5;
			final ConjugateGradient.Result r1 = ConjugateGradient.solve(dense(a), b, x1, 1e-10, maxIt, Progress.NONE, "t");
			final ConjugateGradient.Result r2 = ConjugateGradient.solvePreconditioned(dense(a), null, b, x2, 1e-10, maxIt,
				Progress.NONE, "t");
			assertEquals(r1, r2);
			assertArrayEquals(x1, x2, 0);
		}
	}

	/**
	 * A diagonal preconditioner given as an operator follows the Jacobi path (same iterations,
	 * same iterates to rounding: only the association of {@code rᵀM⁻¹r} differs), converging
	 * much faster than no preconditioner on a badly scaled matrix; the solution is the dense one.
	 */
	@Test
	void operatorPreconditionerMatchesJacobiPathAndDenseSolution() {
		final int n = 40;
		final double[][] a = randomSpd(n, 5);
		final double[] b = new double[n];
		final double[] inv = new double[n];
		for (int i = 0; i < n; i++) {
			b[i] = 1 + i % 3;
			inv[i] = 1 / a[i][i];
		}
		final LinearOperator jacobi = (r, z) -> {
			for (int i = 0; i < n; i++) z[i] = inv[i] * r[i];
		};
		final double[] xj = new double[n], xo = new double[n], xp = new double[n];
		final ConjugateGradient.Result rj = ConjugateGradient.solve(dense(a), inv, b, xj, 1e-10, 1000, Progress.NONE, "t");
		final ConjugateGradient.Result ro = ConjugateGradient.solvePreconditioned(dense(a), jacobi, b, xo, 1e-10, 1000,
			Progress.NONE, "t");
		final ConjugateGradient.Result rp = ConjugateGradient.solve(dense(a), b, xp, 1e-10, 1000, Progress.NONE, "t");
		assertTrue(rj.converged() && ro.converged(), rj + " " + ro);
		assertEquals(rj.iterations(), ro.iterations());
		assertTrue(ro.iterations() * 2 < rp.performedIterations(), ro + " vs " + rp);
		final DMatrixRMaj am = new DMatrixRMaj(a);
		final DMatrixRMaj expected = new DMatrixRMaj(n, 1);
		assertTrue(CommonOps_DDRM.solve(am, new DMatrixRMaj(n, 1, true, b), expected));
		for (int i = 0; i < n; i++) {
			assertEquals(xj[i], xo[i], 1e-12 * (1 + Math.abs(xj[i])));
			assertEquals(expected.data[i], xo[i], 1e-6 * (1 + Math.abs(expected.data[i])));
		}
		assertEquals(residualNorm(a, b, xo) / norm(b), ro.relativeResidual(), 1e-13);
	}

	@Test
	void exactInversePreconditionerConvergesInOneIteration() {
		final int n = 12;
		final double[][] a = randomSpd(n, 6);
		final DMatrixRMaj inverse = new DMatrixRMaj(a);
		assertTrue(CommonOps_DDRM.invert(inverse));
		final LinearOperator m = (r, z) -> {
			for (int i = 0; i < n; i++) {
				double s = 0;
				for (int j = 0; j < n; j++) s += inverse.get(i, j) * r[j];
				z[i] = s;
			}
		};
		final double[] b = new double[n];
		for (int i = 0; i < n; i++) b[i] = i - 5.5;
		final double[] x = new double[n];
		final ConjugateGradient.Result r = ConjugateGradient.solvePreconditioned(dense(a), m, b, x, 1e-8, 50,
			Progress.NONE, "t");
		assertTrue(r.converged());
		assertEquals(1, r.iterations());
	}

	/** Non-convergence with a preconditioner: the returned iterate's residual is the reported one. */
	@Test
	void preconditionedReturnsAnIterateWithTheReportedResidual() {
		final int n = 60;
		final double[][] a = randomSpd(n, 7);
		final double[] b = new double[n];
		for (int i = 0; i < n; i++) b[i] = Math.cos(i);
		final LinearOperator jacobi = (r, z) -> {
			for (int i = 0; i < n; i++) z[i] = r[i] / a[i][i];
		};
		final double[] x = new double[n];
		final ConjugateGradient.Result r = ConjugateGradient.solvePreconditioned(dense(a), jacobi, b, x, 1e-14, 5,
			Progress.NONE, "t");
		assertFalse(r.converged());
		assertEquals(5, r.performedIterations());
		assertEquals(residualNorm(a, b, x) / norm(b), r.relativeResidual(), 1e-12);
		assertTrue(r.relativeResidual() < 1);
	}

	@Test
	void preconditionedBitIdenticalOnOneAndTwoThreads() throws Exception {
		final int n = 100_000;
		final LinearOperator op = (x, y) -> Parallel.forRange(n, 5000, (s, e) -> {
			for (int i = s; i < e; i++) {
				double v = (3.05 + Math.sin(i)) * (1 + i % 7) * x[i];
				if (i > 0) v -= x[i - 1];
				if (i + 1 < n) v -= x[i + 1];
				y[i] = v;
			}
		});
		final LinearOperator m = (r, z) -> Parallel.forRange(n, 5000, (s, e) -> {
			for (int i = s; i < e; i++) z[i] = r[i] / ((3.05 + Math.sin(i)) * (1 + i % 7));
		});
		final double[] b = new double[n];
		final SplittableRandom rnd = new SplittableRandom(12);
		for (int i = 0; i < n; i++) b[i] = rnd.nextDouble();
		final double[][] xs = new double[2][];
		final ConjugateGradient.Result[] rs = new ConjugateGradient.Result[2];
		for (int t = 1; t <= 2; t++) {
			final ForkJoinPool pool = new ForkJoinPool(t);
			try {
				final int slot = t - 1;
				pool.submit(() -> {
					xs[slot] = new double[n];
					rs[slot] = ConjugateGradient.solvePreconditioned(op, m, b, xs[slot], 1e-10, 300, Progress.NONE, "t");
				}).get();
			}
			finally {
				pool.shutdown();
			}
		}
		assertEquals(rs[0], rs[1]);
		assertTrue(rs[0].performedIterations() > 5, rs[0].toString());
		assertArrayEquals(xs[0], xs[1], 0);
	}

	@Test
	void bitIdenticalOnOneAndTwoThreads() throws Exception {
		final int n = 100_000; // 13 chunks of the vector loops
		final LinearOperator op = (x, y) -> Parallel.forRange(n, 5000, (s, e) -> {
			for (int i = s; i < e; i++) {
				double v = (3.05 + Math.sin(i)) * x[i]; // SPD (Gershgorin), condition ~ 120
				if (i > 0) v -= x[i - 1];
				if (i + 1 < n) v -= x[i + 1];
				y[i] = v;
			}
		});
		final double[] b = new double[n];
		final SplittableRandom rnd = new SplittableRandom(11);
		for (int i = 0; i < n; i++) b[i] = rnd.nextDouble();
		final double[][] xs = new double[2][];
		final ConjugateGradient.Result[] rs = new ConjugateGradient.Result[2];
		for (int t = 1; t <= 2; t++) {
			final ForkJoinPool pool = new ForkJoinPool(t);
			try {
				final int slot = t - 1;
				pool.submit(() -> {
					xs[slot] = new double[n];
					rs[slot] = ConjugateGradient.solve(op, b, xs[slot], 1e-8, 300, Progress.NONE, "t");
				}).get();
			}
			finally {
				pool.shutdown();
			}
		}
		assertEquals(rs[0], rs[1]);
		assertTrue(rs[0].performedIterations() > 10);
		assertArrayEquals(xs[0], xs[1], 0);
	}

	@Test
	void checksProgressAndCancellation() {
		final double[][] a = { { 4, 1, 0 }, { 1, 3, 1 }, { 0, 1, 2 } };
		final List<Double> fractions = new ArrayList<>();
		ConjugateGradient.solve(dense(a), new double[] { 1, 2, 3 }, new double[3], 1e-12, 10,
			(stage, f) -> fractions.add(f), "cg");
		assertFalse(fractions.isEmpty());
		assertEquals(1.0, fractions.get(fractions.size() - 1));
		final Progress cancelled = new Progress() {
			@Override
			public void report(final String stage, final double fraction) {}

			@Override
			public boolean isCancelled() {
				return true;
			}
		};
		assertThrows(SegmentationCancelledException.class,
			() -> ConjugateGradient.solve(dense(a), new double[] { 1, 2, 3 }, new double[3], 1e-12, 10, cancelled, "cg"));
	}

	@Test
	void rejectsBadArguments() {
		final LinearOperator id = (x, y) -> System.arraycopy(x, 0, y, 0, x.length);
		assertThrows(IllegalArgumentException.class,
			() -> ConjugateGradient.solve(id, new double[3], new double[2], 1e-6, 10, Progress.NONE, "t"));
		assertThrows(IllegalArgumentException.class,
			() -> ConjugateGradient.solve(id, new double[3], new double[3], 0, 10, Progress.NONE, "t"));
		assertThrows(IllegalArgumentException.class,
			() -> ConjugateGradient.solve(id, new double[3], new double[3], 1e-6, -1, Progress.NONE, "t"));
		assertThrows(IllegalArgumentException.class,
			() -> ConjugateGradient.solve(id, new double[2], new double[3], new double[3], 1e-6, 10, Progress.NONE, "t"));
	}

	private static double dot(final double[] u, final double[] v) {
		double s = 0;
		for (int i = 0; i < u.length; i++) s += u[i] * v[i];
		return s;
	}
}
