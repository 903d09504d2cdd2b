package org.softsegments.sparsify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
	@ValueSource(doubles = { 1, 3.8e11 })
	void equalsDenseSolve(final double scale) {
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

		final double[][] y = CoupledLayerSystem.solve(a, t, rhs);
		double maxAbs = 0;
		for (int i = 0; i < size; i++) maxAbs = Math.max(maxAbs, Math.abs(x.get(i)));
		for (int k = 0; k < blocks; k++) {
			for (int i = 0; i < m; i++) assertEquals(x.get(k * m + i), y[k][i], 1e-9 * maxAbs, "y[" + k + "][" + i + "]");
		}
	}
}
