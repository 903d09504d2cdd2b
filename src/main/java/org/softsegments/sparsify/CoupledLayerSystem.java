package org.softsegments.sparsify;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;
import org.softsegments.engine.Parallel;

/**
 * Exact solver of the coupled per-iteration system of constrained sparsification (spec §3.9
 * step 2): for {@code k = 0 … K−2}
 * <pre>  A_k y_k + T Σ_l y_l = r_k</pre>
 * with SPD m×m blocks {@code A_k} and {@code T}. The reference assembles the dense
 * {@code (K−1)m} square matrix (block-diagonal {@code A_k} plus {@code T} in every block) and
 * solves it directly; this class uses the equivalent block elimination: with {@code s = Σ y_l},
 * {@code M = Σ A_k⁻¹}, {@code c = Σ A_k⁻¹ r_k}, solve {@code (I + M T) s = c} (LU with partial
 * pivoting), then {@code y_k = A_k⁻¹ (r_k − T s)}. Each {@code A_k} is factorised once by
 * Cholesky (LU as a fallback should rounding make one numerically indefinite). Work per layer is
 * O(m³) instead of O(K²m³) for the dense system. Per-layer work runs in parallel; sums are formed
 * in layer order (deterministic).
 */
final class CoupledLayerSystem {

	private CoupledLayerSystem() {}

	/**
	 * Solves the coupled system.
	 *
	 * @param a the K−1 blocks {@code A_k}, each m×m row-major {@code [m][m]} (not modified)
	 * @param t the coupling block {@code T} (m×m, not modified)
	 * @param rhs the K−1 right-hand sides {@code r_k} (length m)
	 * @return {@code y_k} for k = 0 … K−2
	 */
	static double[][] solve(final double[][][] a, final double[][] t, final double[][] rhs) {
		final int layers = a.length;
		if (rhs.length != layers) throw new IllegalArgumentException(layers + " blocks but " + rhs.length + " right-hand sides");
		if (layers == 0) return new double[0][];
		final int m = t.length;
		final DMatrixRMaj tm = toMatrix(t, m);

		final LinearSolverDense<DMatrixRMaj>[] solvers = newSolverArray(layers);
		final DMatrixRMaj[] inverses = new DMatrixRMaj[layers];
		final DMatrixRMaj[] z = new DMatrixRMaj[layers];
		Parallel.forEach(layers, (k0, k1) -> {
			for (int k = k0; k < k1; k++) {
				final DMatrixRMaj ak = toMatrix(a[k], m);
				LinearSolverDense<DMatrixRMaj> solver = LinearSolverFactory_DDRM.chol(m);
				if (!solver.setA(ak.copy())) {
					solver = LinearSolverFactory_DDRM.lu(m);
					if (!solver.setA(ak.copy())) {
						throw new IllegalStateException("layer block " + k + " of the constrained-sparsification system is singular");
					}
				}
				final DMatrixRMaj inv = new DMatrixRMaj(m, m);
				solver.invert(inv);
				final DMatrixRMaj zk = new DMatrixRMaj(m, 1);
				solver.solve(column(rhs[k], m), zk);
				solvers[k] = solver;
				inverses[k] = inv;
				z[k] = zk;
			}
		});
		final DMatrixRMaj mSum = new DMatrixRMaj(m, m);
		final DMatrixRMaj c = new DMatrixRMaj(m, 1);
		for (int k = 0; k < layers; k++) {
			CommonOps_DDRM.addEquals(mSum, inverses[k]);
			CommonOps_DDRM.addEquals(c, z[k]);
		}
		// (I + M T) s = c
		final DMatrixRMaj system = new DMatrixRMaj(m, m);
		CommonOps_DDRM.mult(mSum, tm, system);
		for (int i = 0; i < m; i++) system.add(i, i, 1);
		final LinearSolverDense<DMatrixRMaj> lu = LinearSolverFactory_DDRM.lu(m);
		if (!lu.setA(system)) throw new IllegalStateException("coupling system of constrained sparsification is singular");
		final DMatrixRMaj s = new DMatrixRMaj(m, 1);
		lu.solve(c, s);
		final DMatrixRMaj ts = new DMatrixRMaj(m, 1);
		CommonOps_DDRM.mult(tm, s, ts);

		final double[][] y = new double[layers][];
		Parallel.forEach(layers, (k0, k1) -> {
			for (int k = k0; k < k1; k++) {
				final DMatrixRMaj r = column(rhs[k], m);
				for (int i = 0; i < m; i++) r.data[i] -= ts.data[i];
				final DMatrixRMaj yk = new DMatrixRMaj(m, 1);
				solvers[k].solve(r, yk);
				y[k] = yk.data;
			}
		});
		return y;
	}

	/**
	 * The same system with the per-layer Cholesky factorisations, inverses and solves done by
	 * {@link SpdKernels} (vectorised; fast path) instead of EJML; blocks that are not numerically
	 * positive definite fall back to EJML's LU as in {@link #solve}. Equal to {@link #solve} up to
	 * rounding; the coupling solve {@code (I + M T) s = c} is the same EJML LU.
	 */
	static double[][] solveVectorised(final double[][][] a, final double[][] t, final double[][] rhs) {
		final int layers = a.length;
		if (rhs.length != layers) throw new IllegalArgumentException(layers + " blocks but " + rhs.length + " right-hand sides");
		if (layers == 0) return new double[0][];
		final int m = t.length;
		final double[][][] factors = new double[layers][][];
		final LinearSolverDense<DMatrixRMaj>[] fallback = newSolverArray(layers);
		final double[][][] inverses = new double[layers][][];
		final double[][] z = new double[layers][];
		Parallel.forEach(layers, (k0, k1) -> {
			for (int k = k0; k < k1; k++) {
				final DMatrixRMaj ak = toMatrix(a[k], m); // validates the shape
				final double[][] u = SpdKernels.cholesky(a[k]);
				if (u != null) {
					factors[k] = u;
					inverses[k] = SpdKernels.inverse(u);
					z[k] = SpdKernels.solve(u, column(rhs[k], m).data);
					continue;
				}
				final LinearSolverDense<DMatrixRMaj> lu = LinearSolverFactory_DDRM.lu(m);
				if (!lu.setA(ak)) {
					throw new IllegalStateException("layer block " + k + " of the constrained-sparsification system is singular");
				}
				final DMatrixRMaj inv = new DMatrixRMaj(m, m);
				lu.invert(inv);
				final DMatrixRMaj zk = new DMatrixRMaj(m, 1);
				lu.solve(column(rhs[k], m), zk);
				fallback[k] = lu;
				final double[][] rows = new double[m][m];
				for (int i = 0; i < m; i++) System.arraycopy(inv.data, i * m, rows[i], 0, m);
				inverses[k] = rows;
				z[k] = zk.data;
			}
		});
		final DMatrixRMaj system = new DMatrixRMaj(m, m);
		final DMatrixRMaj c = new DMatrixRMaj(m, 1);
		final double[][] mSum = new double[m][m];
		for (int k = 0; k < layers; k++) {
			for (int i = 0; i < m; i++) {
				final double[] si = mSum[i], vi = inverses[k][i];
				for (int j = 0; j < m; j++) si[j] += vi[j];
				c.data[i] += z[k][i];
			}
		}
		// (I + M T) s = c
		CommonOps_DDRM.mult(toMatrix(mSum, m), toMatrix(t, m), system);
		for (int i = 0; i < m; i++) system.add(i, i, 1);
		final LinearSolverDense<DMatrixRMaj> lu = LinearSolverFactory_DDRM.lu(m);
		if (!lu.setA(system)) throw new IllegalStateException("coupling system of constrained sparsification is singular");
		final DMatrixRMaj s = new DMatrixRMaj(m, 1);
		lu.solve(c, s);
		final DMatrixRMaj ts = new DMatrixRMaj(m, 1);
		CommonOps_DDRM.mult(toMatrix(t, m), s, ts);

		final double[][] y = new double[layers][];
		Parallel.forEach(layers, (k0, k1) -> {
			for (int k = k0; k < k1; k++) {
				final DMatrixRMaj r = column(rhs[k], m);
				for (int i = 0; i < m; i++) r.data[i] -= ts.data[i];
				if (factors[k] != null) {
					y[k] = SpdKernels.solve(factors[k], r.data);
				}
				else {
					final DMatrixRMaj yk = new DMatrixRMaj(m, 1);
					fallback[k].solve(r, yk);
					y[k] = yk.data;
				}
			}
		});
		return y;
	}

	static DMatrixRMaj toMatrix(final double[][] rows, final int m) {
		if (rows.length != m) throw new IllegalArgumentException("block has " + rows.length + " rows, expected " + m);
		final DMatrixRMaj out = new DMatrixRMaj(m, m);
		for (int i = 0; i < m; i++) {
			if (rows[i].length != m) throw new IllegalArgumentException("block row " + i + " has length " + rows[i].length + ", expected " + m);
			System.arraycopy(rows[i], 0, out.data, i * m, m);
		}
		return out;
	}

	private static DMatrixRMaj column(final double[] v, final int m) {
		if (v.length != m) throw new IllegalArgumentException("right-hand side has length " + v.length + ", expected " + m);
		final DMatrixRMaj out = new DMatrixRMaj(m, 1);
		System.arraycopy(v, 0, out.data, 0, m);
		return out;
	}

	@SuppressWarnings("unchecked")
	private static LinearSolverDense<DMatrixRMaj>[] newSolverArray(final int n) {
		return new LinearSolverDense[n];
	}
}
