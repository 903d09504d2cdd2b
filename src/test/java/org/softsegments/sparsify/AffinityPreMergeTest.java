package org.softsegments.sparsify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.softsegments.linalg.SparseMatrix;

/** {@link AffinityPreMerge} on a path graph whose affinities the test sets. */
class AffinityPreMergeTest {

	/**
	 * Laplacian D − W of the path 0–1–2–3–4–5 with weights 1, 1, 0.01 (a strong edge between 2
	 * and 3), 1, 1.
	 */
	private static SparseMatrix path() {
		final double[] w = { 1, 1, 0.01, 1, 1 };
		final int n = 6;
		final int[] r = new int[4 * w.length], c = new int[4 * w.length];
		final double[] v = new double[4 * w.length];
		int t = 0;
		for (int i = 0; i < w.length; i++) {
			final int a = i, b = i + 1;
			r[t] = a; c[t] = b; v[t++] = -w[i];
			r[t] = b; c[t] = a; v[t++] = -w[i];
			r[t] = a; c[t] = a; v[t++] = w[i];
			r[t] = b; c[t] = b; v[t++] = w[i];
		}
		return SparseMatrix.fromTriplets(n, r, c, v, t);
	}

	/** Segments A = {0, 1}, B = {2}, C = {3}, D = {4, 5} as indicator vectors. */
	private static double[][] segments() {
		return new double[][] { { 1, 1, 0, 0, 0, 0 }, { 0, 0, 1, 0, 0, 0 }, { 0, 0, 0, 1, 0, 0 }, { 0, 0, 0, 0, 1, 1 } };
	}

	@Test
	void interactionsAreTheBoundaryAffinities() {
		final double[][] phi = AffinityPreMerge.interactions(segments(), path());
		assertEquals(-1, phi[0][1], 0);
		assertEquals(-0.01, phi[1][2], 0);
		assertEquals(-1, phi[2][3], 0);
		assertEquals(0, phi[0][3], 0);
		assertEquals(1, phi[0][0], 0); // A's only boundary edge: weight 1
		assertEquals(1.01, phi[1][1], 1e-15);
		for (int i = 0; i < 4; i++) for (int j = 0; j < 4; j++) assertEquals(phi[i][j], phi[j][i], 0);
	}

	@Test
	void mergesAcrossWeakEdgesFirstAndNeverAcrossTheStrongOneBeforeTheLastStep() {
		// scores −Φ/min(m): A–B 1/1, C–D 1/1 (tie: lowest pair first), B–C 0.01/1, A–D 0
		assertArrayEquals(new int[] { 0, 1, 2, 3 }, AffinityPreMerge.merge(segments(), path(), 4));
		assertArrayEquals(new int[] { 0, 0, 1, 2 }, AffinityPreMerge.merge(segments(), path(), 3));
		assertArrayEquals(new int[] { 0, 0, 1, 1 }, AffinityPreMerge.merge(segments(), path(), 2));
		assertArrayEquals(new int[] { 0, 0, 0, 0 }, AffinityPreMerge.merge(segments(), path(), 1));
		assertArrayEquals(new int[] { 0, 1, 2, 3 }, AffinityPreMerge.merge(segments(), path(), 9));
	}

	@Test
	void aSmallSegmentIsAbsorbedByItsMainNeighbour() {
		// a one-pixel segment at 2 beside A = {0, 1} and a big D = {3, 4, 5} across the strong edge:
		// per pixel of the smaller, its tie to A (1) beats its tie to D (0.01)
		final double[][] s = { { 1, 1, 0, 0, 0, 0 }, { 0, 0, 1, 0, 0, 0 }, { 0, 0, 0, 1, 1, 1 } };
		assertArrayEquals(new int[] { 0, 0, 1 }, AffinityPreMerge.merge(s, path(), 2));
		// the order of the segments does not change the grouping, only the numbering
		final double[][] swapped = { s[2], s[1], s[0] };
		assertArrayEquals(new int[] { 0, 1, 1 }, AffinityPreMerge.merge(swapped, path(), 2));
	}

	@Test
	void badInputIsExplained() {
		assertThrows(IllegalArgumentException.class, () -> AffinityPreMerge.merge(segments(), path(), 0));
		assertThrows(IllegalArgumentException.class, () -> AffinityPreMerge.merge(new double[][] { { 1, 0 } }, path(), 1));
	}
}
