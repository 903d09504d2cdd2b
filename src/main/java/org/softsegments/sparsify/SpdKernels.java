package org.softsegments.sparsify;

/**
 * Cholesky factorisation, inverse and solve of small dense symmetric positive definite blocks
 * (m ≈ 100), written so that every inner loop is an axpy over a contiguous row that HotSpot C2
 * vectorises. Used by the fast path's {@link CoupledLayerSystem#solveVectorised}, where one
 * factorisation and one inverse per layer and iteration (≈ 1000 of them per image) took about a
 * quarter of the constrained sparsification with EJML's scalar {@code invert}.
 * <p>
 * Factor: {@code A = UᵀU} with U upper triangular, row-major ({@code u[i][j]} for j ≥ i, the
 * rest zero), right-looking (row k scaled, then the trailing upper triangle updated row by row).
 * Inverse: {@code Uᵀ Y = I} by forward substitution on rows (Y lower triangular), then
 * {@code U X = Y} by back substitution on full rows, {@code X = A⁻¹}, made exactly symmetric from
 * its upper triangle. All sums run in a fixed order: results do not depend on threads. Same
 * quantities as EJML's Cholesky solver, different rounding.
 */
final class SpdKernels {

	private SpdKernels() {}

	/**
	 * Upper Cholesky factor of the symmetric matrix {@code a} (only its upper triangle is read; not
	 * modified), or null when a pivot is not positive and finite (not numerically positive definite).
	 */
	static double[][] cholesky(final double[][] a) {
		final int m = a.length;
		final double[][] u = new double[m][m];
		for (int i = 0; i < m; i++) System.arraycopy(a[i], i, u[i], i, m - i);
		for (int k = 0; k < m; k++) {
			final double[] uk = u[k];
			final double pivot = uk[k];
			if (!(pivot > 0) || pivot == Double.POSITIVE_INFINITY) return null;
			final double d = Math.sqrt(pivot);
			final double inv = 1 / d;
			uk[k] = d;
			for (int j = k + 1; j < m; j++) uk[j] *= inv;
			for (int i = k + 1; i < m; i++) {
				final double f = uk[i];
				final double[] ui = u[i];
				for (int j = i; j < m; j++) ui[j] -= f * uk[j];
			}
		}
		return u;
	}

	/** {@code A⁻¹} (full symmetric m×m) from the upper Cholesky factor {@code u} of A. */
	static double[][] inverse(final double[][] u) {
		final int m = u.length;
		// Uᵀ Y = I (Y lower triangular): row j −= U[k][j]·row k, only the columns ≤ k are nonzero
		final double[][] y = new double[m][m];
		for (int k = 0; k < m; k++) {
			final double[] yk = y[k], uk = u[k];
			yk[k] += 1;
			final double inv = 1 / uk[k];
			for (int c = 0; c <= k; c++) yk[c] *= inv;
			for (int j = k + 1; j < m; j++) {
				final double f = uk[j];
				final double[] yj = y[j];
				for (int c = 0; c <= k; c++) yj[c] -= f * yk[c];
			}
		}
		// U X = Y: row i −= U[i][k]·row k, full rows
		for (int k = m - 1; k >= 0; k--) {
			final double[] xk = y[k];
			final double inv = 1 / u[k][k];
			for (int c = 0; c < m; c++) xk[c] *= inv;
			for (int i = 0; i < k; i++) {
				final double f = u[i][k];
				final double[] xi = y[i];
				for (int c = 0; c < m; c++) xi[c] -= f * xk[c];
			}
		}
		// symmetric up to rounding: make it exactly symmetric from the upper triangle
		for (int i = 1; i < m; i++) {
			for (int j = 0; j < i; j++) y[i][j] = y[j][i];
		}
		return y;
	}

	/** Solves {@code UᵀU y = r} for the upper Cholesky factor {@code u}; r is not modified. */
	static double[] solve(final double[][] u, final double[] r) {
		final int m = u.length;
		final double[] y = r.clone();
		// Uᵀ w = r, column-oriented
		for (int k = 0; k < m; k++) {
			final double[] uk = u[k];
			final double wk = y[k] / uk[k];
			y[k] = wk;
			for (int j = k + 1; j < m; j++) y[j] -= uk[j] * wk;
		}
		// U y = w
		for (int k = m - 1; k >= 0; k--) {
			final double[] uk = u[k];
			double s = y[k];
			for (int j = k + 1; j < m; j++) s -= uk[j] * y[j];
			y[k] = s / uk[k];
		}
		return y;
	}
}
