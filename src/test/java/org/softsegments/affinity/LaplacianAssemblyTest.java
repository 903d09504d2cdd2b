package org.softsegments.affinity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.softsegments.linalg.SparseMatrix;

class LaplacianAssemblyTest {

	private static SparseMatrix sym(final int n, final double[][] entries) {
		final int[] r = new int[2 * entries.length], c = new int[r.length];
		final double[] v = new double[r.length];
		int t = 0;
		for (final double[] e : entries) {
			r[t] = (int) e[0];
			c[t] = (int) e[1];
			v[t++] = e[2];
			if (e[0] != e[1]) {
				r[t] = (int) e[1];
				c[t] = (int) e[0];
				v[t++] = e[2];
			}
		}
		return SparseMatrix.fromTriplets(n, r, c, v, t);
	}

	private static final SparseMatrix WL = sym(4, new double[][] { { 0, 0, 0.5 }, { 0, 1, 0.25 }, { 1, 2, 0.01 },
		{ 2, 3, 1 }, { 3, 3, 2 } });
	private static final SparseMatrix WS = sym(4, new double[][] { { 1, 2, -1 }, { 0, 3, 0.5 }, { 2, 2, 4 } });
	private static final SparseMatrix WC = sym(4, new double[][] { { 0, 3, 0.25 }, { 0, 2, 1 } });

	@Test
	void exactEntries() {
		final SparseMatrix l = LaplacianAssembly.assemble(WL, WS, WC, 1, 0.01, 0.01);
		// W(1,2) = 0.01 + 0.01·(−1) = 0 exactly: dropped
		assertEquals(0, l.get(1, 2), 0);
		assertEquals(-0.25, l.get(0, 1), 0);
		assertEquals(-(0.01 * 0.5 + 0.01 * 0.25), l.get(0, 3), 0);
		assertEquals(-0.01, l.get(0, 2), 0);
		assertEquals(-1, l.get(2, 3), 0);
		assertEquals(0.25 + 0.01 + (0.01 * 0.5 + 0.01 * 0.25), l.get(0, 0), 1e-17);
		assertEquals(0.25, l.get(1, 1), 0);
		assertEquals(0.01 + 1, l.get(2, 2), 0);
		assertEquals(1 + (0.01 * 0.5 + 0.01 * 0.25), l.get(3, 3), 1e-16);
		// 4 diagonal entries + 2·(0,1) (0,2) (0,3) (2,3)
		assertEquals(4 + 8, l.nonZeros());
		assertTrue(l.isSymmetric());
		final double[] y = new double[4];
		l.multiply(new double[] { 1, 1, 1, 1 }, y);
		assertArrayEquals(new double[4], y, 1e-16);
	}

	@Test
	void absentPartsAndWeights() {
		final SparseMatrix l = LaplacianAssembly.assemble(WL, null, null, 2, Double.NaN, Double.NaN);
		assertEquals(-0.5, l.get(0, 1), 0);
		assertEquals(-0.02, l.get(1, 2), 0);
		assertEquals(0.5 + 0.02, l.get(1, 1), 0);
		assertEquals(2, l.get(3, 3), 0);
		assertTrue(l.isSymmetric());
		final SparseMatrix onlyC = LaplacianAssembly.assemble(WL, null, WC, 1, 0, 0.5);
		assertEquals(-0.5, onlyC.get(0, 2), 0);
		assertEquals(-0.125, onlyC.get(0, 3), 0);
		assertEquals(0, onlyC.get(2, 2) - (0.01 + 1 + 0.5), 1e-15);
	}

	@Test
	void rejectsBadInput() {
		final SparseMatrix small = sym(3, new double[][] { { 0, 1, 1 } });
		assertThrows(IllegalArgumentException.class, () -> LaplacianAssembly.assemble(null, WS, WC, 1, 1, 1));
		assertThrows(IllegalArgumentException.class, () -> LaplacianAssembly.assemble(WL, small, null, 1, 1, 1));
		assertThrows(IllegalArgumentException.class, () -> LaplacianAssembly.assemble(WL, null, small, 1, 1, 1));
		assertThrows(IllegalArgumentException.class, () -> LaplacianAssembly.assemble(WL, WS, null, Double.NaN, 1, 1));
		assertThrows(IllegalArgumentException.class, () -> LaplacianAssembly.assemble(WL, WS, null, 1, Double.POSITIVE_INFINITY, 1));
	}
}
