package org.softsegments.affinity;

import org.softsegments.linalg.SparseMatrix;

/**
 * Pixel-level placement of superpixel-pair affinities (spec §4): the value of pair
 * {@code (s, t)} goes to {@code (c(s), c(t))} of a one-sided matrix {@code W} (duplicates
 * summed, exact zeros dropped, like MATLAB {@code sparse}), and the result is
 * {@code W + Wᵀ}, which is bit-for-bit symmetric. A pair whose representatives coincide lands
 * on the diagonal with twice its value.
 */
final class SuperpixelPlacement {

	private SuperpixelPlacement() {}

	/**
	 * @param n matrix size (pixels)
	 * @param representative representative pixel per superpixel
	 * @param first first superpixel of each pair
	 * @param second second superpixel of each pair
	 * @param value affinity of each pair
	 * @param count number of pairs used (a prefix of the arrays)
	 */
	static SparseMatrix placeSymmetric(final int n, final int[] representative, final int[] first,
		final int[] second, final double[] value, final int count)
	{
		final int[] rows = new int[count];
		final int[] cols = new int[count];
		for (int k = 0; k < count; k++) {
			rows[k] = representative[first[k]];
			cols[k] = representative[second[k]];
		}
		final SparseMatrix oneSided = SparseMatrix.fromTriplets(n, rows, cols, value, count);
		return oneSided.plus(transpose(oneSided), 1);
	}

	/** Transpose of a CSR matrix (columns of each row come out sorted). */
	static SparseMatrix transpose(final SparseMatrix a) {
		final int n = a.size();
		final int[] rs = a.rowStart(), cs = a.columns();
		final double[] vs = a.values();
		final int nnz = rs[n];
		final int[] start = new int[n + 1];
		for (int k = 0; k < nnz; k++) start[cs[k] + 1]++;
		for (int i = 0; i < n; i++) start[i + 1] += start[i];
		final int[] fill = start.clone();
		final int[] cols = new int[nnz];
		final double[] vals = new double[nnz];
		for (int i = 0; i < n; i++) {
			for (int k = rs[i]; k < rs[i + 1]; k++) {
				final int pos = fill[cs[k]]++;
				cols[pos] = i;
				vals[pos] = vs[k];
			}
		}
		return new SparseMatrix(n, start, cols, vals);
	}

	/** Checks the representative pixels and returns the superpixel count. */
	static int checkRepresentatives(final int pixelCount, final int[] representative) {
		if (pixelCount <= 0) throw new IllegalArgumentException("Pixel count must be positive, got " + pixelCount);
		if (representative == null) throw new IllegalArgumentException("Representative pixels must not be null");
		for (int s = 0; s < representative.length; s++) {
			if (representative[s] < 0 || representative[s] >= pixelCount) {
				throw new IllegalArgumentException("Representative pixel of superpixel " + s + " is " + representative[s] +
					", outside the pixel range 0.." + (pixelCount - 1));
			}
		}
		return representative.length;
	}

	/** Checks an S×D matrix of per-superpixel means (D ≥ 1, same D in every row, finite). */
	static int checkMeans(final String what, final double[][] means, final int superpixels) {
		if (means == null) throw new IllegalArgumentException(what + " must not be null");
		if (means.length != superpixels) {
			throw new IllegalArgumentException(what + " has " + means.length + " rows but there are " + superpixels +
				" superpixels (one row per superpixel is needed)");
		}
		if (superpixels == 0) return 0;
		final int d = means[0] == null ? 0 : means[0].length;
		if (d == 0) throw new IllegalArgumentException(what + " rows must hold at least one channel");
		for (int s = 0; s < superpixels; s++) {
			if (means[s] == null || means[s].length != d) {
				throw new IllegalArgumentException(what + " row " + s + " has " + (means[s] == null ? "no" : means[s].length) +
					" channels, row 0 has " + d + " (all rows need the same number)");
			}
			for (final double v : means[s]) {
				if (!Double.isFinite(v)) throw new IllegalArgumentException(what + " row " + s + " holds a non-finite value " + v);
			}
		}
		return d;
	}

	/** Checks an erf steepness / centre parameter. */
	static void checkFinite(final String what, final double v) {
		if (!Double.isFinite(v)) throw new IllegalArgumentException(what + " must be a finite number, got " + v);
	}

	/** Euclidean distance between two rows, channels summed in order. */
	static double distance(final double[] a, final double[] b) {
		double s = 0;
		for (int c = 0; c < a.length; c++) {
			final double d = a[c] - b[c];
			s += d * d;
		}
		return Math.sqrt(s);
	}
}
