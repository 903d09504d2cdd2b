package org.softsegments.linalg;

import java.util.Arrays;

import org.softsegments.core.Parallel;

/**
 * Square sparse matrix in compressed sparse row (CSR) form with sorted column indices and
 * double values. Immutable once built. Construction from triplets follows MATLAB
 * {@code sparse(i,j,v,n,n)}: duplicates are summed, exact zeros dropped (spec §5.2).
 */
public final class SparseMatrix {

	private final int n;
	private final int[] rowStart;
	private final int[] columns;
	private final double[] values;

	/** Wraps CSR arrays (not copied). Columns within each row must be sorted and unique. */
	public SparseMatrix(final int n, final int[] rowStart, final int[] columns, final double[] values) {
		if (rowStart.length != n + 1) throw new IllegalArgumentException("rowStart must have n+1 entries");
		this.n = n;
		this.rowStart = rowStart;
		this.columns = columns;
		this.values = values;
	}

	/**
	 * Builds an {@code n×n} matrix from {@code count} triplets {@code (rows[t], cols[t], vals[t])}:
	 * duplicates summed, exact zeros (after summing) dropped.
	 */
	public static SparseMatrix fromTriplets(final int n, final int[] rows, final int[] cols, final double[] vals,
		final int count)
	{
		final int[] rowCount = new int[n + 1];
		for (int t = 0; t < count; t++) {
			checkIndex(rows[t], n);
			checkIndex(cols[t], n);
			rowCount[rows[t] + 1]++;
		}
		for (int i = 0; i < n; i++) rowCount[i + 1] += rowCount[i];
		final int[] fill = Arrays.copyOf(rowCount, n);
		final int[] c = new int[count];
		final double[] v = new double[count];
		for (int t = 0; t < count; t++) {
			final int pos = fill[rows[t]]++;
			c[pos] = cols[t];
			v[pos] = vals[t];
		}
		// sort each row by column (stable for duplicate columns: summed in triplet order), merge.
		final int[] outStart = new int[n + 1];
		int out = 0;
		for (int i = 0; i < n; i++) {
			final int s = rowCount[i], e = rowCount[i + 1];
			sortRow(c, v, s, e);
			int k = s;
			outStart[i] = out;
			while (k < e) {
				final int col = c[k];
				double sum = 0;
				while (k < e && c[k] == col) sum += v[k++];
				if (sum != 0) {
					c[out] = col;
					v[out] = sum;
					out++;
				}
			}
		}
		outStart[n] = out;
		return new SparseMatrix(n, outStart, Arrays.copyOf(c, out), Arrays.copyOf(v, out));
	}

	private static void checkIndex(final int i, final int n) {
		if (i < 0 || i >= n) throw new IndexOutOfBoundsException("index " + i + " outside 0.." + (n - 1));
	}

	/** Insertion sort of (columns, values) on [s, e) by column, stable. Rows are short. */
	private static void sortRow(final int[] c, final double[] v, final int s, final int e) {
		for (int i = s + 1; i < e; i++) {
			final int ci = c[i];
			final double vi = v[i];
			int j = i - 1;
			while (j >= s && c[j] > ci) {
				c[j + 1] = c[j];
				v[j + 1] = v[j];
				j--;
			}
			c[j + 1] = ci;
			v[j + 1] = vi;
		}
	}

	public int size() {
		return n;
	}

	public long nonZeros() {
		return rowStart[n];
	}

	/** Row pointers (live array, do not modify). */
	public int[] rowStart() {
		return rowStart;
	}

	/** Column indices (live array, do not modify). */
	public int[] columns() {
		return columns;
	}

	/** Values (live array, do not modify). */
	public double[] values() {
		return values;
	}

	/** Entry (i, j), 0 if not stored. */
	public double get(final int i, final int j) {
		final int k = Arrays.binarySearch(columns, rowStart[i], rowStart[i + 1], j);
		return k >= 0 ? values[k] : 0;
	}

	/** {@code y = A x}, parallel over rows (deterministic: each row is summed in column order). */
	public void multiply(final double[] x, final double[] y) {
		Parallel.forRange(n, 4096, (r0, r1) -> {
			for (int i = r0; i < r1; i++) {
				double s = 0;
				for (int k = rowStart[i], e = rowStart[i + 1]; k < e; k++) s += values[k] * x[columns[k]];
				y[i] = s;
			}
		});
	}

	/** Row sums. */
	public double[] rowSums() {
		final double[] s = new double[n];
		for (int i = 0; i < n; i++) {
			double t = 0;
			for (int k = rowStart[i]; k < rowStart[i + 1]; k++) t += values[k];
			s[i] = t;
		}
		return s;
	}

	/** Diagonal. */
	public double[] diagonal() {
		final double[] d = new double[n];
		for (int i = 0; i < n; i++) d[i] = get(i, i);
		return d;
	}

	/** True if every stored entry (i, j) has a bit-identical entry (j, i). */
	public boolean isSymmetric() {
		for (int i = 0; i < n; i++) {
			for (int k = rowStart[i]; k < rowStart[i + 1]; k++) {
				final int j = columns[k];
				final int t = Arrays.binarySearch(columns, rowStart[j], rowStart[j + 1], i);
				if (t < 0 || values[t] != values[k]) return false;
			}
		}
		return true;
	}

	/** {@code this + scale·other}, entries summed, exact zeros dropped. */
	public SparseMatrix plus(final SparseMatrix other, final double scale) {
		if (other.n != n) throw new IllegalArgumentException("size mismatch " + n + " vs " + other.n);
		final int[] start = new int[n + 1];
		final int[] c = new int[(int) Math.min(Integer.MAX_VALUE - 8, nonZeros() + other.nonZeros())];
		final double[] v = new double[c.length];
		int out = 0;
		for (int i = 0; i < n; i++) {
			start[i] = out;
			int a = rowStart[i], ae = rowStart[i + 1];
			int b = other.rowStart[i], be = other.rowStart[i + 1];
			while (a < ae || b < be) {
				final int ca = a < ae ? columns[a] : Integer.MAX_VALUE;
				final int cb = b < be ? other.columns[b] : Integer.MAX_VALUE;
				final int col;
				double val = 0;
				if (ca <= cb) {
					col = ca;
					val += values[a++];
					if (cb == ca) val += scale * other.values[b++];
				}
				else {
					col = cb;
					val += scale * other.values[b++];
				}
				if (val != 0) {
					c[out] = col;
					v[out] = val;
					out++;
				}
			}
		}
		start[n] = out;
		return new SparseMatrix(n, start, Arrays.copyOf(c, out), Arrays.copyOf(v, out));
	}

	/** {@code diag(rowSums) − this}: the unnormalised graph Laplacian of this affinity matrix. */
	public SparseMatrix laplacian() {
		final double[] d = rowSums();
		final int[] r = new int[n];
		final double[] v = new double[n];
		for (int i = 0; i < n; i++) {
			r[i] = i;
			v[i] = d[i];
		}
		return fromTriplets(n, r, r, v, n).plus(this, -1);
	}
}
