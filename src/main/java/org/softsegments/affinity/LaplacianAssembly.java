package org.softsegments.affinity;

import org.softsegments.core.Parallel;
import org.softsegments.linalg.SparseMatrix;

/**
 * Graph Laplacian of the combined affinity (spec §3.6, paper Eq. 6):
 * {@code W = weightL·W_L + weightS·W_S + weightC·W_C} and {@code L = D − W}, with
 * {@code D = diag(row sums of W)} (unnormalised; the reference weights are 1, 0.01, 0.01).
 * <p>
 * Each entry {@code W_ij} is evaluated from the stored entries of the three inputs in the fixed
 * order L, S, C, so symmetric inputs give a bit-for-bit symmetric {@code L}. Exact zeros are
 * dropped (MATLAB {@code sparse} semantics).
 * <p>
 * Deviation from the reference (round-off only): the diagonal is computed as
 * {@code L_ii = Σ_{j≠i} W_ij}, i.e. self-loops {@code W_ii} cancel exactly, instead of
 * {@code (Σ_j W_ij) − W_ii}.
 */
public final class LaplacianAssembly {

	/** Weight of the matting affinity in the reference. */
	public static final double DEFAULT_WEIGHT_MATTING = 1;

	/** Weight of the semantic affinity in the reference. */
	public static final double DEFAULT_WEIGHT_SEMANTIC = 0.01;

	/** Weight of the colour affinity in the reference. */
	public static final double DEFAULT_WEIGHT_COLOR = 0.01;

	private LaplacianAssembly() {}

	/**
	 * @param wL matting affinity (required), symmetric
	 * @param wS semantic affinity, symmetric, or {@code null} if absent
	 * @param wC colour affinity, symmetric, or {@code null} if absent
	 * @param weightL weight of {@code wL}
	 * @param weightS weight of {@code wS} (ignored if {@code wS} is null)
	 * @param weightC weight of {@code wC} (ignored if {@code wC} is null)
	 * @return {@code L = D − W}, symmetric if the inputs are
	 */
	public static SparseMatrix assemble(final SparseMatrix wL, final SparseMatrix wS, final SparseMatrix wC,
		final double weightL, final double weightS, final double weightC)
	{
		if (wL == null) throw new IllegalArgumentException("The matting affinity W_L is required, got null");
		final int n = wL.size();
		checkSize("W_S", wS, n);
		checkSize("W_C", wC, n);
		checkWeight("weightL", weightL);
		if (wS != null) checkWeight("weightS", weightS);
		if (wC != null) checkWeight("weightC", weightC);

		final SparseMatrix[] parts = wS == null ? (wC == null ? new SparseMatrix[] { wL } : new SparseMatrix[] { wL, wC })
			: (wC == null ? new SparseMatrix[] { wL, wS } : new SparseMatrix[] { wL, wS, wC });
		final double[] weights = wS == null ? (wC == null ? new double[] { weightL } : new double[] { weightL, weightC })
			: (wC == null ? new double[] { weightL, weightS } : new double[] { weightL, weightS, weightC });

		final int grain = 8192;
		final int[] rowCount = new int[n + 1];
		Parallel.forRange(n, grain, (r0, r1) -> {
			final Merger m = new Merger(parts, weights);
			for (int i = r0; i < r1; i++) rowCount[i + 1] = m.row(i, null, null, 0);
		});
		for (int i = 0; i < n; i++) {
			if (rowCount[i + 1] > Integer.MAX_VALUE - 8 - rowCount[i]) {
				throw new IllegalArgumentException("The Laplacian has more than " + (Integer.MAX_VALUE - 8) + " non-zeros");
			}
			rowCount[i + 1] += rowCount[i];
		}
		final int[] columns = new int[rowCount[n]];
		final double[] values = new double[rowCount[n]];
		Parallel.forRange(n, grain, (r0, r1) -> {
			final Merger m = new Merger(parts, weights);
			for (int i = r0; i < r1; i++) m.row(i, columns, values, rowCount[i]);
		});
		return new SparseMatrix(n, rowCount, columns, values);
	}

	private static void checkSize(final String name, final SparseMatrix m, final int n) {
		if (m != null && m.size() != n) {
			throw new IllegalArgumentException(name + " is " + m.size() + "×" + m.size() + " but W_L is " + n + "×" + n +
				"; all affinities must have the same size");
		}
	}

	private static void checkWeight(final String name, final double w) {
		if (!Double.isFinite(w)) throw new IllegalArgumentException(name + " must be a finite number, got " + w);
	}

	/** Merges one row of the weighted inputs into a row of {@code D − W}. */
	private static final class Merger {

		private final SparseMatrix[] parts;
		private final double[] weights;
		private final int[][] rowStart, cols;
		private final double[][] vals;
		private final int[] pos, end;

		Merger(final SparseMatrix[] parts, final double[] weights) {
			this.parts = parts;
			this.weights = weights;
			final int k = parts.length;
			rowStart = new int[k][];
			cols = new int[k][];
			vals = new double[k][];
			for (int j = 0; j < k; j++) {
				rowStart[j] = parts[j].rowStart();
				cols[j] = parts[j].columns();
				vals[j] = parts[j].values();
			}
			pos = new int[k];
			end = new int[k];
		}

		/**
		 * Counts (outColumns null) or writes the non-zeros of row i of {@code D − W} from
		 * {@code offset}; returns their number.
		 */
		int row(final int i, final int[] outColumns, final double[] outValues, final int offset) {
			final int k = parts.length;
			int nonEmpty = -1, nonEmptyParts = 0;
			for (int j = 0; j < k; j++) {
				if (rowStart[j][i] < rowStart[j][i + 1]) {
					nonEmpty = j;
					nonEmptyParts++;
				}
			}
			if (nonEmptyParts <= 1) return singlePartRow(i, nonEmpty, outColumns, outValues, offset);
			// pass 1: degree = Σ_{j≠i} W_ij in column order
			double degree = 0;
			for (int j = 0; j < k; j++) {
				pos[j] = rowStart[j][i];
				end[j] = rowStart[j][i + 1];
			}
			while (true) {
				final int c = nextColumn();
				if (c == Integer.MAX_VALUE) break;
				final double w = take(c);
				if (c != i) degree += w;
			}
			// pass 2: emit −W_ij off the diagonal and the degree on it, dropping exact zeros
			for (int j = 0; j < k; j++) pos[j] = rowStart[j][i];
			int out = 0;
			boolean diagonalDone = false;
			while (true) {
				final int c = nextColumn();
				if (!diagonalDone && c > i) {
					diagonalDone = true;
					out = emit(i, degree, outColumns, outValues, offset, out);
				}
				if (c == Integer.MAX_VALUE) break;
				final double w = take(c);
				if (c != i) out = emit(c, -w, outColumns, outValues, offset, out);
			}
			return out;
		}

		/** Fast path (most rows): only part j (or none, j = −1) has entries in row i. */
		private int singlePartRow(final int i, final int j, final int[] outColumns, final double[] outValues,
			final int offset)
		{
			if (j < 0) return 0;
			final int[] c = cols[j];
			final double[] v = vals[j];
			final double weight = weights[j];
			final int s = rowStart[j][i], e = rowStart[j][i + 1];
			double degree = 0;
			for (int t = s; t < e; t++) {
				if (c[t] != i) degree += weight * v[t];
			}
			int out = 0;
			boolean diagonalDone = false;
			for (int t = s; t < e; t++) {
				if (!diagonalDone && c[t] > i) {
					diagonalDone = true;
					out = emit(i, degree, outColumns, outValues, offset, out);
				}
				if (c[t] != i) out = emit(c[t], -(weight * v[t]), outColumns, outValues, offset, out);
			}
			if (!diagonalDone) out = emit(i, degree, outColumns, outValues, offset, out);
			return out;
		}

		private int nextColumn() {
			int c = Integer.MAX_VALUE;
			for (int j = 0; j < pos.length; j++) {
				if (pos[j] < end[j] && cols[j][pos[j]] < c) c = cols[j][pos[j]];
			}
			return c;
		}

		/** W entry at column c from all inputs, in input order; advances past it. */
		private double take(final int c) {
			double w = 0;
			for (int j = 0; j < pos.length; j++) {
				if (pos[j] < end[j] && cols[j][pos[j]] == c) w += weights[j] * vals[j][pos[j]++];
			}
			return w;
		}

		private static int emit(final int c, final double v, final int[] outColumns, final double[] outValues,
			final int offset, final int out)
		{
			if (v == 0) return out;
			if (outColumns != null) {
				outColumns[offset + out] = c;
				outValues[offset + out] = v;
			}
			return out + 1;
		}
	}
}
