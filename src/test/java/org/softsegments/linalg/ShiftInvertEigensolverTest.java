package org.softsegments.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.concurrent.ForkJoinPool;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.decomposition.eig.SymmetricQRAlgorithmDecomposition_DDRM;
import org.junit.jupiter.api.Test;
import org.softsegments.core.Progress;
import org.softsegments.core.SegmentationCancelledException;

class ShiftInvertEigensolverTest {

	/** ARPACK warns when it finds no native library; its pure-Java fallback is what these tests run. */
	private static final java.util.logging.Logger NETLIB_LOG = java.util.logging.Logger.getLogger("dev.ludovic.netlib");

	static {
		NETLIB_LOG.setLevel(java.util.logging.Level.SEVERE);
	}

	@Test
	void pathGraphMatchesClosedForm() {
		final int n = 400, count = 20;
		final SparseMatrix l = TestLaplacians.path(n);
		final ShiftInvertEigensolver.Report report = new ShiftInvertEigensolver.Report();
		final SpectralBasis basis = ShiftInvertEigensolver.solve(l, count, 1, Progress.NONE, report);
		assertTrue(!report.dense);
		final double[] expected = new double[count];
		for (int k = 0; k < count; k++) expected[k] = 2 - 2 * Math.cos(Math.PI * k / n);
		final double[] got = basis.values().clone();
		Arrays.sort(got);
		assertArrayEquals(expected, got, 1e-12);
		assertOrthonormal(basis, 1e-10);
		assertResidualsBelow(l, basis, 1e-10);
	}

	@Test
	void indefiniteImageProxyMatchesDenseSolver() {
		final SparseMatrix l = TestLaplacians.imageProxy(24, 25, 1);
		final double[] all = denseEigenvalues(l);
		assertTrue(all[0] < -1e-5, "the proxy must be indefinite, smallest eigenvalue " + all[0]);
		final int count = 40;
		final SpectralBasis basis = ShiftInvertEigensolver.smallestMagnitude(l, count, 5, Progress.NONE);
		assertSameMagnitudeSelection(all, basis.values(), count, 1e-10);
		assertOrthonormal(basis, 1e-10);
		assertResidualsBelow(l, basis, 1e-10);
	}

	@Test
	void selectsByMagnitudeWhenNegativeEigenvaluesAreLarge() {
		// a 12×40 grid with a few strongly negative edges: some negative eigenvalues are larger in
		// magnitude than the positive ones selected.
		final SparseMatrix grid = TestLaplacians.gridAffinity(12, 40);
		final int n = grid.size();
		final int[] r = { 5, 400, 30, 300, 100, 470 };
		final int[] c = { 400, 5, 300, 30, 470, 100 };
		final double[] v = { -1.2, -1.2, -0.9, -0.9, -0.7, -0.7 };
		final SparseMatrix l = grid.plus(SparseMatrix.fromTriplets(n, r, c, v, r.length), 1).laplacian();
		final double[] all = denseEigenvalues(l);
		int negatives = 0;
		for (final double x : all) if (x < 0) negatives++;
		assertTrue(negatives >= 2, "expected negative eigenvalues, got " + negatives);
		final double[] sortedAbs = sortedByMagnitude(all);
		assertTrue(Math.abs(all[0]) > Math.abs(sortedAbs[15]), "a negative eigenvalue must rank beyond small positive ones");
		for (final int count : new int[] { 15, 25 }) {
			final SpectralBasis basis = ShiftInvertEigensolver.smallestMagnitude(l, count, 3, Progress.NONE);
			assertSameMagnitudeSelection(all, basis.values(), count, 1e-10);
			assertOrthonormal(basis, 1e-10);
			assertResidualsBelow(l, basis, 1e-10);
		}
	}

	@Test
	void blockLanczosAgreesWithArpack() {
		final SparseMatrix l = TestLaplacians.imageProxy(30, 25, 6);
		final int count = 30;
		final ShiftInvertEigensolver.Report r1 = new ShiftInvertEigensolver.Report();
		final ShiftInvertEigensolver.Report r2 = new ShiftInvertEigensolver.Report();
		final SpectralBasis lanczos = ShiftInvertEigensolver.solve(l, count, 9, Progress.NONE, r1, false, ShiftInvertEigensolver.Accuracy.REFERENCE);
		final SpectralBasis arpack = ShiftInvertEigensolver.solve(l, count, 9, Progress.NONE, r2, true, ShiftInvertEigensolver.Accuracy.REFERENCE);
		assertTrue(r1.solves > 0 && r2.solves > 0);
		final double[] a = lanczos.values().clone(), b = arpack.values().clone();
		Arrays.sort(a);
		Arrays.sort(b);
		assertArrayEquals(b, a, 1e-10 * ShiftInvertEigensolver.infinityNorm(l));
		assertSameMagnitudeSelection(denseEigenvalues(l), a, count, 1e-10);
	}

	@Test
	void shiftIsMovedWhenTheWantedEigenvaluesAreTinyRelativeToTheDiagonal() {
		// a path with one very heavy edge: mean |L_ii| is large, the smallest eigenvalues are tiny
		final int n = 600;
		final SparseMatrix heavy = SparseMatrix.fromTriplets(n, new int[] { 0, 1 }, new int[] { 1, 0 }, new double[] { 1e6, 1e6 }, 2);
		final SparseMatrix l = TestLaplacians.gridAffinity(n, 1).plus(heavy, 1).laplacian();
		final ShiftInvertEigensolver.Report report = new ShiftInvertEigensolver.Report();
		final int count = 12;
		final SpectralBasis basis = ShiftInvertEigensolver.solve(l, count, 4, Progress.NONE, report);
		assertTrue(report.shiftsTried >= 2, "the shift should have been moved: " + report);
		assertSameMagnitudeSelection(denseEigenvalues(l), basis.values(), count, 1e-9);
		assertResidualsBelow(l, basis, 1e-10);
	}

	@Test
	void repeatedEigenvaluesOfSquareGridAreAllFound() {
		final SparseMatrix l = TestLaplacians.grid(20, 20);
		final double[] all = denseEigenvalues(l);
		final int count = 30;
		final SpectralBasis basis = ShiftInvertEigensolver.smallestMagnitude(l, count, 11, Progress.NONE);
		assertSameMagnitudeSelection(all, basis.values(), count, 1e-10);
		assertOrthonormal(basis, 1e-10);
	}

	@Test
	void multipleZeroEigenvalueOfDisconnectedGraphIsFoundCompletely() {
		// 7 disjoint grids: eigenvalue 0 has multiplicity 7, more than the Lanczos block size
		final int parts = 7, w = 9, h = 7, size = w * h;
		final SparseMatrix one = TestLaplacians.grid(w, h);
		final int n = parts * size;
		final int[] r = new int[parts * (int) one.nonZeros()], c = new int[r.length];
		final double[] v = new double[r.length];
		int t = 0;
		for (int p = 0; p < parts; p++) {
			for (int i = 0; i < size; i++) {
				for (int q = one.rowStart()[i]; q < one.rowStart()[i + 1]; q++) {
					r[t] = p * size + i;
					c[t] = p * size + one.columns()[q];
					v[t++] = one.values()[q] * (1 + 0.1 * p); // distinct non-zero spectra per part
				}
			}
		}
		final SparseMatrix l = SparseMatrix.fromTriplets(n, r, c, v, t);
		final double[] all = denseEigenvalues(l);
		final int count = 20;
		final SpectralBasis basis = ShiftInvertEigensolver.smallestMagnitude(l, count, 2, Progress.NONE);
		assertSameMagnitudeSelection(all, basis.values(), count, 1e-10);
		assertOrthonormal(basis, 1e-10);
	}

	@Test
	void deterministicForSeedAndThreadCount() throws Exception {
		final SparseMatrix l = TestLaplacians.imageProxy(30, 20, 4);
		final SpectralBasis a = ShiftInvertEigensolver.smallestMagnitude(l, 25, 42, Progress.NONE);
		final SpectralBasis b = new ForkJoinPool(1).submit(() -> ShiftInvertEigensolver.smallestMagnitude(l, 25, 42, Progress.NONE)).get();
		final SpectralBasis c = new ForkJoinPool(3).submit(() -> ShiftInvertEigensolver.smallestMagnitude(l, 25, 42, Progress.NONE)).get();
		for (final SpectralBasis o : new SpectralBasis[] { b, c }) {
			assertArrayEquals(a.values(), o.values(), 0);
			for (int j = 0; j < a.size(); j++) assertArrayEquals(a.vector(j), o.vector(j), 0);
		}
	}

	@Test
	void tinyProblemsAreSolvedDensely() {
		final SparseMatrix l = TestLaplacians.path(10);
		final ShiftInvertEigensolver.Report report = new ShiftInvertEigensolver.Report();
		final SpectralBasis basis = ShiftInvertEigensolver.solve(l, 3, 1, Progress.NONE, report);
		assertTrue(report.dense);
		assertArrayEquals(new double[] { 0, 2 - 2 * Math.cos(Math.PI / 10), 2 - 2 * Math.cos(2 * Math.PI / 10) }, basis.values(), 1e-13);
		assertOrthonormal(basis, 1e-12);
	}

	@Test
	void rejectsInvalidInput() {
		final SparseMatrix l = TestLaplacians.path(300);
		assertThrows(IllegalArgumentException.class, () -> ShiftInvertEigensolver.smallestMagnitude(l, 0, 1, Progress.NONE));
		assertThrows(IllegalArgumentException.class, () -> ShiftInvertEigensolver.smallestMagnitude(l, 300, 1, Progress.NONE));
		final SparseMatrix nonSymmetric = SparseMatrix.fromTriplets(3, new int[] { 0, 1 }, new int[] { 1, 0 }, new double[] { 1, 2 }, 2);
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
			() -> ShiftInvertEigensolver.smallestMagnitude(nonSymmetric, 1, 1, Progress.NONE));
		assertTrue(e.getMessage().contains("symmetric"));
		final SparseMatrix nan = SparseMatrix.fromTriplets(3, new int[] { 0, 1, 2 }, new int[] { 0, 1, 2 },
			new double[] { 1, Double.NaN, 1 }, 3);
		assertThrows(IllegalArgumentException.class, () -> ShiftInvertEigensolver.smallestMagnitude(nan, 1, 1, Progress.NONE));
	}

	@Test
	void cancellationStopsTheIteration() {
		final SparseMatrix l = TestLaplacians.path(500);
		final Progress cancelled = new Progress() {

			@Override
			public void report(final String stage, final double fraction) {}

			@Override
			public boolean isCancelled() {
				return true;
			}
		};
		assertThrows(SegmentationCancelledException.class, () -> ShiftInvertEigensolver.smallestMagnitude(l, 5, 1, cancelled));
	}

	// --- helpers

	static void assertOrthonormal(final SpectralBasis basis, final double tol) {
		double worst = 0;
		for (int i = 0; i < basis.size(); i++) {
			for (int j = 0; j <= i; j++) {
				double s = 0;
				final double[] a = basis.vector(i), b = basis.vector(j);
				for (int k = 0; k < a.length; k++) s += a[k] * b[k];
				worst = Math.max(worst, Math.abs(s - (i == j ? 1 : 0)));
			}
		}
		assertTrue(worst < tol, "max |VᵀV − I| = " + worst);
	}

	/** Residuals ‖Lv − λv‖ below tol·‖L‖₁. */
	static void assertResidualsBelow(final SparseMatrix l, final SpectralBasis basis, final double tol) {
		final double norm = ShiftInvertEigensolver.infinityNorm(l);
		for (final double r : ShiftInvertEigensolver.residuals(l, basis)) assertTrue(r < tol * norm, "residual " + r + ", ‖L‖ = " + norm);
	}

	/** The computed values are the count eigenvalues of smallest magnitude of the full spectrum. */
	static void assertSameMagnitudeSelection(final double[] all, final double[] got, final int count, final double tol) {
		assertEquals(count, got.length);
		final double[] expected = Arrays.copyOf(sortedByMagnitude(all), count);
		Arrays.sort(expected);
		final double[] g = got.clone();
		Arrays.sort(g);
		assertArrayEquals(expected, g, tol);
	}

	static double[] sortedByMagnitude(final double[] values) {
		return Arrays.stream(values).boxed().sorted((a, b) -> Double.compare(Math.abs(a), Math.abs(b)))
			.mapToDouble(Double::doubleValue).toArray();
	}

	static double[] denseEigenvalues(final SparseMatrix a) {
		final int n = a.size();
		final DMatrixRMaj m = new DMatrixRMaj(n, n);
		for (int i = 0; i < n; i++) {
			for (int q = a.rowStart()[i]; q < a.rowStart()[i + 1]; q++) m.set(i, a.columns()[q], a.values()[q]);
		}
		final SymmetricQRAlgorithmDecomposition_DDRM eig = new SymmetricQRAlgorithmDecomposition_DDRM(false);
		assertTrue(eig.decompose(m));
		final double[] v = new double[n];
		for (int i = 0; i < n; i++) v[i] = eig.getEigenvalue(i).real;
		Arrays.sort(v);
		return v;
	}
}
