package org.softsegments.affinity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.commons.math3.special.Erf;
import org.junit.jupiter.api.Test;
import org.softsegments.linalg.SparseMatrix;

class SemanticAffinityTest {

	/** erf(1) and erf(3) to double precision. */
	private static final double ERF1 = 0.8427007929497149, ERF3 = 0.9999779095030014;

	private static final int N = 16;
	// superpixel:           0  1   2  3   4   5
	private static final int[] REP = { 0, 5, 10, 5, 15, 3 };
	private static final double[][] FEATURES = {
		{ 0, 0, 0 }, // 0
		{ 0, 0, 0 }, // 1: d(0,1) = 0
		{ 1, 0, 0 }, // 2: d(1,2) = 1 → erf(−17) = −1 exactly (kept: only zeros are dropped)
		{ 0.1, 0, 0 }, // 3: d(0,3) = d(1,3) = 0.1 → erf(≈1)
		{ 1, 0.15, 0 }, // 4: d(2,4) = 0.15 → erf(0) = 0 → dropped
		{ 0, 0.2, 0 }, // 5: d(0,5) = 0.2 → erf(−1)
	};
	private static final int[] FIRST = { 0, 0, 1, 1, 4, 0 };
	private static final int[] SECOND = { 1, 3, 2, 3, 2, 5 };

	private static SparseMatrix compute() {
		return SemanticAffinity.compute(N, REP, FIRST, SECOND, FEATURES, 20, 0.85);
	}

	@Test
	void handMadeGraphGivesExactValues() {
		final SparseMatrix w = compute();
		final double a01 = Erf.erf(20 * ((1 - 0.0) - 0.85));
		final double a03 = Erf.erf(20 * ((1 - 0.1) - 0.85));
		assertEquals(ERF3, a01, 1e-15);
		assertEquals(ERF1, a03, 1e-14);
		assertEquals(-1, Erf.erf(20 * ((1 - 1.0) - 0.85)), 0, "saturates to exactly −1");
		assertEquals(0, Erf.erf(20 * ((1 - 0.15) - 0.85)), 0, "exactly zero at d = 0.15");

		// pairs (0,1) and (0,3) both land on (0, 5): summed
		assertEquals(a01 + a03, w.get(0, 5), 0);
		assertEquals(a01 + a03, w.get(5, 0), 0);
		// pair (1,3) has c(1) = c(3) = 5: diagonal, counted twice by W + Wᵀ
		assertEquals(2 * a03, w.get(5, 5), 0);
		// negative, not saturated
		assertEquals(-ERF1, w.get(0, 3), 1e-14);
		assertEquals(w.get(0, 3), w.get(3, 0), 0);
		// saturated pair: exactly −1 (W_S keeps it; only W_C turns saturation into a dropped 0)
		assertEquals(-1, w.get(5, 10), 0);
		assertEquals(-1, w.get(10, 5), 0);
		// the exactly-zero pair (2,4) is not stored
		assertEquals(0, w.get(10, 15), 0);
		assertEquals(7, w.nonZeros());
		assertTrue(w.isSymmetric());
	}

	@Test
	void diagonalCancelsInTheLaplacian() {
		final SparseMatrix w = compute();
		final SparseMatrix empty = SparseMatrix.fromTriplets(N, new int[0], new int[0], new double[0], 0);
		final SparseMatrix l = LaplacianAssembly.assemble(empty, w, null, 1, 1, 1);
		assertTrue(l.isSymmetric());
		assertEquals(w.get(5, 0) + w.get(5, 10), l.get(5, 5), 0, "self-loop at (5,5) does not enter the degree");
		assertEquals(-w.get(5, 0), l.get(5, 0), 0);
		assertEquals(w.get(0, 5) + w.get(0, 3), l.get(0, 0), 0);
		final double[] ones = new double[N], y = new double[N];
		java.util.Arrays.fill(ones, 1);
		l.multiply(ones, y);
		assertArrayEquals(new double[N], y, 1e-15);
		assertEquals(-1, l.get(10, 10), 0, "a repulsive pair gives a negative degree");
	}

	@Test
	void rejectsBadInput() {
		assertThrows(IllegalArgumentException.class,
			() -> SemanticAffinity.compute(N, REP, new int[] { 0 }, new int[] { 1, 2 }, FEATURES, 20, 0.85));
		assertThrows(IllegalArgumentException.class,
			() -> SemanticAffinity.compute(N, REP, new int[] { 2 }, new int[] { 2 }, FEATURES, 20, 0.85));
		assertThrows(IllegalArgumentException.class,
			() -> SemanticAffinity.compute(N, REP, new int[] { 0 }, new int[] { 6 }, FEATURES, 20, 0.85));
		assertThrows(IllegalArgumentException.class,
			() -> SemanticAffinity.compute(4, REP, FIRST, SECOND, FEATURES, 20, 0.85));
		assertThrows(IllegalArgumentException.class,
			() -> SemanticAffinity.compute(N, REP, FIRST, SECOND, new double[][] { { 0 } }, 20, 0.85));
		assertThrows(IllegalArgumentException.class,
			() -> SemanticAffinity.compute(N, REP, FIRST, SECOND, FEATURES, Double.NaN, 0.85));
	}
}
