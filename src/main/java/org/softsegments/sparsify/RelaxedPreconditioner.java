package org.softsegments.sparsify;

import org.softsegments.core.Parallel;
import org.softsegments.linalg.LinearOperator;
import org.softsegments.linalg.SparseMatrix;

/**
 * Preconditioners {@code z = M⁻¹ r} for the relaxed-sparsification system (spec §3.12)
 * <pre>
 *   A = I_K ⊗ L + δ·CᵀC + diag(d)          (K·N unknowns, layer-major: entry k·N + i)
 * </pre>
 * applied matrix-free (see {@link RelaxedSystemOperator}). Not part of the reference, which
 * uses unpreconditioned CG; used by the fast mode of {@link RelaxedSparsification}.
 * <p>
 * Both variants are built on the exact inverse of the per-pixel K×K diagonal block of
 * {@code A}, which couples the K layers of one pixel:
 * <pre>
 *   B_i = diag(a_i) + δ·11ᵀ,   a_ik = L_ii + d_{k·N+i}
 *   B_i⁻¹ v = a_i⁻¹∘v − c_i · a_i⁻¹ (a_i⁻¹ᵀ v),   c_i = δ / (1 + δ Σ_k 1/a_ik)
 * </pre>
 * (Sherman–Morrison; O(K) per pixel, no K×K matrix is formed).
 * <ul>
 * <li>{@link #blockJacobi}: {@code M = blockdiag(B_i)}. It removes the stiff sum-to-one
 * coupling (eigenvalue {@code K·δ} per pixel) and the spread of the IRLS diagonal
 * ({@code d} ranges from about 2 to 160 at the reference constants); the spatial part
 * {@code L} remains.</li>
 * <li>{@link #blockSymmetricGaussSeidel}: one symmetric block Gauss–Seidel (SSOR) sweep,
 * {@code M = (B + ωE) B⁻¹ (B + ωEᵀ)} with {@code B = blockdiag(B_i)} and {@code E} the
 * strictly lower part of {@code I_K ⊗ L}, restricted to couplings inside fixed chunks of
 * {@code chunk} consecutive pixels (couplings across chunks are dropped), so the chunks are
 * swept independently in parallel. {@code M} is symmetric positive definite for
 * {@code 0 < ω < 2}, and the result does not depend on the number of threads because the
 * chunks do not. Costs about one operator application more per CG iteration than block
 * Jacobi.</li>
 * </ul>
 * {@code M} depends on the live diagonal {@code d} (owned by the caller, shared with the
 * operator): call {@link #update()} after every change of {@code d}.
 * <p>
 * A pixel with {@code L_ii + d ≤ 0} (not expected: {@code d ≥ σ_F > 0} and the Laplacian's
 * diagonal is positive) uses {@code |L_ii| + |d| + 1} instead, so that {@code M} stays
 * positive definite.
 */
public final class RelaxedPreconditioner implements LinearOperator {

	/** Pixels per parallel chunk of the block-Jacobi loops. */
	private static final int GRAIN = 4096;

	private final SparseMatrix laplacian;
	private final int layers;
	private final int n;
	private final double delta;
	private final double[] diagonal;
	private final double[] laplacianDiagonal;
	/** {@code 1 / a_ik}, layer-major. */
	private final double[] inverse;
	/** {@code c_i}. */
	private final double[] coupling;
	/** Pixels per chunk of the Gauss–Seidel sweeps; 0 for block Jacobi. */
	private final int chunk;
	private final double omega;
	/** Per row: first entry with column ≥ row, first entry with column &gt; row (Gauss–Seidel only). */
	private final int[] lowerEnd, upperStart;

	private RelaxedPreconditioner(final SparseMatrix laplacian, final int layers, final double delta,
		final double[] diagonal, final int chunk, final double omega)
	{
		if (laplacian == null) throw new IllegalArgumentException("laplacian must not be null");
		if (layers < 1) throw new IllegalArgumentException("layers must be >= 1, got " + layers);
		this.laplacian = laplacian;
		this.layers = layers;
		this.n = laplacian.size();
		if ((long) layers * n > Integer.MAX_VALUE - 8) throw new IllegalArgumentException(
			layers + " layers of " + n + " pixels exceed the largest Java array");
		if (diagonal == null || diagonal.length != layers * n) throw new IllegalArgumentException(
			"diagonal must have K·N = " + layers * n + " entries, got " + (diagonal == null ? "null" : diagonal.length));
		if (!(Double.isFinite(delta) && delta >= 0)) throw new IllegalArgumentException(
			"delta must be finite and >= 0, got " + delta);
		this.delta = delta;
		this.diagonal = diagonal;
		this.laplacianDiagonal = laplacian.diagonal();
		this.inverse = new double[layers * n];
		this.coupling = new double[n];
		this.chunk = chunk;
		this.omega = omega;
		if (chunk > 0) {
			lowerEnd = new int[n];
			upperStart = new int[n];
			final int[] rowStart = laplacian.rowStart();
			final int[] columns = laplacian.columns();
			Parallel.forRange(n, GRAIN, (s, e) -> {
				for (int i = s; i < e; i++) {
					int m = rowStart[i];
					final int end = rowStart[i + 1];
					while (m < end && columns[m] < i) m++;
					lowerEnd[i] = m;
					if (m < end && columns[m] == i) m++;
					upperStart[i] = m;
				}
			});
		}
		else {
			lowerEnd = upperStart = null;
		}
		update();
	}

	/**
	 * Block Jacobi: {@code M = blockdiag(B_i)}, the exact inverse of every pixel's K×K block.
	 *
	 * @param laplacian the N×N Laplacian {@code L} (used as is)
	 * @param layers the number K of layers, ≥ 1
	 * @param delta the sum-to-one weight δ, ≥ 0
	 * @param diagonal the live diagonal {@code d} of length K·N (not copied)
	 */
	public static RelaxedPreconditioner blockJacobi(final SparseMatrix laplacian, final int layers, final double delta,
		final double[] diagonal)
	{
		return new RelaxedPreconditioner(laplacian, layers, delta, diagonal, 0, 1);
	}

	/**
	 * One symmetric block Gauss–Seidel sweep (block SSOR with relaxation {@code omega}) inside
	 * fixed chunks of {@code chunk} pixels.
	 *
	 * @param laplacian the N×N Laplacian {@code L}, symmetric (used as is)
	 * @param layers the number K of layers, ≥ 1
	 * @param delta the sum-to-one weight δ, ≥ 0
	 * @param diagonal the live diagonal {@code d} of length K·N (not copied)
	 * @param chunk pixels per independently swept chunk, ≥ 1 (larger: stronger, less parallel)
	 * @param omega relaxation factor in (0, 2) (1 = symmetric Gauss–Seidel)
	 */
	public static RelaxedPreconditioner blockSymmetricGaussSeidel(final SparseMatrix laplacian, final int layers,
		final double delta, final double[] diagonal, final int chunk, final double omega)
	{
		if (chunk < 1) throw new IllegalArgumentException("chunk must be >= 1 pixel, got " + chunk);
		if (!(omega > 0 && omega < 2)) throw new IllegalArgumentException("omega must be in (0, 2), got " + omega);
		return new RelaxedPreconditioner(laplacian, layers, delta, diagonal, chunk, omega);
	}

	/** Number of unknowns {@code K·N}. */
	public int size() {
		return layers * n;
	}

	/** Recomputes the block inverses from the live diagonal {@code d}; call after every change of it. */
	public void update() {
		final int k = layers, nn = n;
		final double dl = delta;
		final double[] d = diagonal, ld = laplacianDiagonal, inv = inverse, c = coupling;
		Parallel.forRange(n, GRAIN, (s, e) -> {
			for (int i = s; i < e; i++) {
				double sum = 0;
				for (int l = 0, idx = i; l < k; l++, idx += nn) {
					double a = ld[i] + d[idx];
					if (!(a > 0)) a = Math.abs(ld[i]) + Math.abs(d[idx]) + 1;
					final double ia = 1 / a;
					inv[idx] = ia;
					sum += ia;
				}
				c[i] = dl / (1 + dl * sum);
			}
		});
	}

	@Override
	public void apply(final double[] r, final double[] z) {
		final int size = layers * n;
		if (r.length != size || z.length != size) throw new IllegalArgumentException(
			"vectors must have K·N = " + size + " entries, got " + r.length + " and " + z.length);
		if (chunk == 0) {
			Parallel.forRange(n, GRAIN, (s, e) -> {
				final double[] t = new double[layers];
				for (int i = s; i < e; i++) {
					for (int l = 0, idx = i; l < layers; l++, idx += n) t[l] = r[idx];
					blockSolve(i, t, z, 1);
				}
			});
		}
		else {
			if (layers == 5) Parallel.forRange(n, chunk, (c0, c1) -> sweepFive(r, z, c0, c1));
			else Parallel.forRange(n, chunk, (c0, c1) -> sweep(r, z, c0, c1));
		}
	}

	/**
	 * {@code z_i = B_i⁻¹ t} ({@code sign = 1}) or {@code z_i −= B_i⁻¹ t} ({@code sign = −1});
	 * {@code t} holds one value per layer.
	 */
	private void blockSolve(final int i, final double[] t, final double[] z, final int sign) {
		double w = 0;
		for (int l = 0, idx = i; l < layers; l++, idx += n) w += inverse[idx] * t[l];
		final double cw = coupling[i] * w;
		if (sign > 0) {
			for (int l = 0, idx = i; l < layers; l++, idx += n) z[idx] = inverse[idx] * (t[l] - cw);
		}
		else {
			for (int l = 0, idx = i; l < layers; l++, idx += n) z[idx] -= inverse[idx] * (t[l] - cw);
		}
	}

	/**
	 * Forward then backward block Gauss–Seidel sweep over the pixels {@code [c0, c1)} of one
	 * chunk; reads {@code r} and writes/reads {@code z} only inside the chunk. Forward:
	 * {@code y_i = B_i⁻¹ (r_i − ω Σ_{c0 ≤ j < i} L_ij y_j)}; backward:
	 * {@code z_i = y_i − ω B_i⁻¹ Σ_{i < j < c1} L_ij z_j}.
	 */
	void sweep(final double[] r, final double[] z, final int c0, final int c1) {
		final int[] rowStart = laplacian.rowStart();
		final int[] columns = laplacian.columns();
		final double[] values = laplacian.values();
		final int k = layers, nn = n;
		final double om = omega;
		final double[] t = new double[k];
		for (int i = c0; i < c1; i++) {
			int m0 = rowStart[i];
			final int m1 = lowerEnd[i];
			while (m0 < m1 && columns[m0] < c0) m0++;
			for (int l = 0, off = 0; l < k; l++, off += nn) {
				double acc = 0;
				for (int m = m0; m < m1; m++) acc += values[m] * z[off + columns[m]];
				t[l] = r[off + i] - om * acc;
			}
			blockSolve(i, t, z, 1);
		}
		for (int i = c1 - 1; i >= c0; i--) {
			final int m0 = upperStart[i];
			int m1 = rowStart[i + 1];
			while (m1 > m0 && columns[m1 - 1] >= c1) m1--;
			if (m1 == m0) continue;
			for (int l = 0, off = 0; l < k; l++, off += nn) {
				double acc = 0;
				for (int m = m0; m < m1; m++) acc += values[m] * z[off + columns[m]];
				t[l] = om * acc;
			}
			blockSolve(i, t, z, -1);
		}
	}

	/**
	 * {@link #sweep} for K = 5 with one pass over each row's entries and five accumulators
	 * (same operations in the same order per entry, so bit-identical to it).
	 */
	private void sweepFive(final double[] r, final double[] z, final int c0, final int c1) {
		final int[] rowStart = laplacian.rowStart();
		final int[] columns = laplacian.columns();
		final double[] values = laplacian.values();
		final int n1 = n, n2 = 2 * n, n3 = 3 * n, n4 = 4 * n;
		final double om = omega;
		final double[] inv = inverse, cp = coupling;
		for (int i = c0; i < c1; i++) {
			int m0 = rowStart[i];
			final int m1 = lowerEnd[i];
			while (m0 < m1 && columns[m0] < c0) m0++;
			double a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0;
			for (int m = m0; m < m1; m++) {
				final double v = values[m];
				final int j = columns[m];
				a0 += v * z[j];
				a1 += v * z[n1 + j];
				a2 += v * z[n2 + j];
				a3 += v * z[n3 + j];
				a4 += v * z[n4 + j];
			}
			final double t0 = r[i] - om * a0, t1 = r[n1 + i] - om * a1, t2 = r[n2 + i] - om * a2,
				t3 = r[n3 + i] - om * a3, t4 = r[n4 + i] - om * a4;
			final double i0 = inv[i], i1 = inv[n1 + i], i2 = inv[n2 + i], i3 = inv[n3 + i], i4 = inv[n4 + i];
			final double cw = cp[i] * ((((i0 * t0 + i1 * t1) + i2 * t2) + i3 * t3) + i4 * t4);
			z[i] = i0 * (t0 - cw);
			z[n1 + i] = i1 * (t1 - cw);
			z[n2 + i] = i2 * (t2 - cw);
			z[n3 + i] = i3 * (t3 - cw);
			z[n4 + i] = i4 * (t4 - cw);
		}
		for (int i = c1 - 1; i >= c0; i--) {
			final int m0 = upperStart[i];
			int m1 = rowStart[i + 1];
			while (m1 > m0 && columns[m1 - 1] >= c1) m1--;
			if (m1 == m0) continue;
			double a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0;
			for (int m = m0; m < m1; m++) {
				final double v = values[m];
				final int j = columns[m];
				a0 += v * z[j];
				a1 += v * z[n1 + j];
				a2 += v * z[n2 + j];
				a3 += v * z[n3 + j];
				a4 += v * z[n4 + j];
			}
			final double t0 = om * a0, t1 = om * a1, t2 = om * a2, t3 = om * a3, t4 = om * a4;
			final double i0 = inv[i], i1 = inv[n1 + i], i2 = inv[n2 + i], i3 = inv[n3 + i], i4 = inv[n4 + i];
			final double cw = cp[i] * ((((i0 * t0 + i1 * t1) + i2 * t2) + i3 * t3) + i4 * t4);
			z[i] -= i0 * (t0 - cw);
			z[n1 + i] -= i1 * (t1 - cw);
			z[n2 + i] -= i2 * (t2 - cw);
			z[n3 + i] -= i3 * (t3 - cw);
			z[n4 + i] -= i4 * (t4 - cw);
		}
	}
}
