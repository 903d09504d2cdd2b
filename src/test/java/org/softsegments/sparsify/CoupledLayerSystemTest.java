package org.softsegments.sparsify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CoupledLayerSystemTest {

	/** Random SPD matrix {@code scale·(B Bᵀ/m + 0.1 I)}. */
	private static double[][] spd(final int m, final SplittableRandom random, final double scale) {
		final double[][] b = new double[m][m];
		for (final double[] row : b) for (int i = 0; i < m; i++) row[i] = random.nextDouble() * 2 - 1;
		final double[][] a = new double[m][m];
		for (int i = 0; i < m; i++) {
			for (int j = 0; j < m; j++) {
				double s = 0;
				for (int k = 0; k < m; k++) s += b[i][k] * b[j][k];
				a[i][j] = scale * (s / m + (i == j ? 0.1 : 0));
			}
		}
		return a;
	}

	/** Block elimination equals the dense (K−1)m solve the reference performs. */
	@ParameterizedTest
	@CsvSource({ "1, false", "3.8e11, false", "1, true", "3.8e11, true" })
	void equalsDenseSolve(final double scale, final boolean vectorised) {
		final int blocks = 5, m = 7;
		final SplittableRandom random = new SplittableRandom(42);
		final double[][][] a = new double[blocks][][];
		for (int k = 0; k < blocks; k++) a[k] = spd(m, random, scale * (1 + k));
		final double[][] t = spd(m, random, scale);
		final double[][] rhs = new double[blocks][m];
		for (final double[] r : rhs) for (int i = 0; i < m; i++) r[i] = scale * (random.nextDouble() * 2 - 1);

		final int size = blocks * m;
		final DMatrixRMaj dense = new DMatrixRMaj(size, size);
		final DMatrixRMaj b = new DMatrixRMaj(size, 1);
		for (int k = 0; k < blocks; k++) {
			for (int l = 0; l < blocks; l++) {
				for (int i = 0; i < m; i++) {
					for (int j = 0; j < m; j++) {
						dense.set(k * m + i, l * m + j, t[i][j] + (k == l ? a[k][i][j] : 0));
					}
				}
			}
			for (int i = 0; i < m; i++) b.set(k * m + i, rhs[k][i]);
		}
		final DMatrixRMaj x = new DMatrixRMaj(size, 1);
		assertTrue(CommonOps_DDRM.solve(dense, b, x));

		final double[][] y = vectorised ? CoupledLayerSystem.solveVectorised(a, t, rhs) : CoupledLayerSystem.solve(a, t, rhs);
		double maxAbs = 0;
		for (int i = 0; i < size; i++) maxAbs = Math.max(maxAbs, Math.abs(x.get(i)));
		for (int k = 0; k < blocks; k++) {
			for (int i = 0; i < m; i++) assertEquals(x.get(k * m + i), y[k][i], 1e-9 * maxAbs, "y[" + k + "][" + i + "]");
		}
	}

	/** A block that is symmetric but indefinite takes the LU fallback and still gives the exact solution. */
	@Test
	void vectorisedFallsBackToLuOnIndefiniteBlocks() {
		final double[][][] a = { { { 2, 0 }, { 0, -1 } }, { { 3, 1 }, { 1, 2 } } };
		final double[][] t = { { 1, 0 }, { 0, 1 } };
		final double[][] rhs = { { 1, 2 }, { -1, 0.5 } };
		final double[][] expected = CoupledLayerSystem.solve(a, t, rhs);
		final double[][] y = CoupledLayerSystem.solveVectorised(a, t, rhs);
		for (int k = 0; k < 2; k++) assertArrayEquals(expected[k], y[k], 1e-12, "y[" + k + "]");
		assertNull(SpdKernels.cholesky(a[0]));
	}

	/** Exact values on a 2×2 block: A = [[4, 2], [2, 5]] = UᵀU with U = [[2, 1], [0, 2]]. */
	@Test
	void spdKernelsExactOnTwoByTwo() {
		final double[][] a = { { 4, 2 }, { 2, 5 } };
		final double[][] u = SpdKernels.cholesky(a);
		assertArrayEquals(new double[] { 2, 1 }, u[0], 0);
		assertArrayEquals(new double[] { 0, 2 }, u[1], 0);
		// A⁻¹ = [[5, −2], [−2, 4]] / 16
		final double[][] inv = SpdKernels.inverse(u);
		assertArrayEquals(new double[] { 5 / 16.0, -2 / 16.0 }, inv[0], 0);
		assertArrayEquals(new double[] { -2 / 16.0, 4 / 16.0 }, inv[1], 0);
		// A y = (8, 12) → y = (1, 2)
		assertArrayEquals(new double[] { 1, 2 }, SpdKernels.solve(u, new double[] { 8, 12 }), 0);
		assertNull(SpdKernels.cholesky(new double[][] { { 1, 2 }, { 2, 1 } }), "indefinite");
		assertNull(SpdKernels.cholesky(new double[][] { { Double.NaN } }), "not finite");
	}

	/** On a 60×60 block with weights spanning eleven orders of magnitude: A·A⁻¹ = I and A·y = r. */
	@Test
	void spdKernelsInverseAndSolveResiduals() {
		final int m = 60;
		final SplittableRandom random = new SplittableRandom(7);
		final double[][] a = spd(m, random, 1);
		for (int i = 0; i < m; i += 7) a[i][i] += 4e11; // heavy pixels: huge but SPD
		final double[][] u = SpdKernels.cholesky(a);
		final double[][] inv = SpdKernels.inverse(u);
		for (int i = 0; i < m; i++) {
			for (int j = 0; j < m; j++) {
				assertEquals(inv[i][j], inv[j][i], 0, "exactly symmetric");
				double s = 0;
				for (int k = 0; k < m; k++) s += a[i][k] * inv[k][j];
				assertEquals(i == j ? 1 : 0, s, 1e-9, "(A·A⁻¹)[" + i + "][" + j + "]");
			}
		}
		final double[] r = new double[m];
		for (int i = 0; i < m; i++) r[i] = random.nextDouble() - 0.5;
		final double[] y = SpdKernels.solve(u, r);
		for (int i = 0; i < m; i++) {
			double s = 0;
			for (int k = 0; k < m; k++) s += a[i][k] * y[k];
			assertEquals(r[i], s, 1e-9, "(A·y)[" + i + "]");
		}
	}
}
