package org.softsegments.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SparseMatrixTest {

	@Test
	void tripletsSumDuplicatesAndDropZeros() {
		final int[] r = { 0, 1, 0, 2, 2, 1 };
		final int[] c = { 1, 0, 1, 2, 0, 1 };
		final double[] v = { 1, 2, 3, 0, 5, -0.0 };
		final SparseMatrix m = SparseMatrix.fromTriplets(3, r, c, v, v.length);
		assertEquals(3, m.nonZeros());
		assertEquals(4, m.get(0, 1));
		assertEquals(2, m.get(1, 0));
		assertEquals(5, m.get(2, 0));
		assertEquals(0, m.get(2, 2));
		final double[] y = new double[3];
		m.multiply(new double[] { 1, 10, 100 }, y);
		assertArrayEquals(new double[] { 40, 2, 5 }, y);
	}

	@Test
	void laplacianAnnihilatesConstantsAndStaysSymmetric() {
		final int[] r = { 0, 1, 1, 2, 0, 0 };
		final int[] c = { 1, 0, 2, 1, 0, 2 };
		final double[] v = { 0.5, 0.5, -0.25, -0.25, 3, 0 };
		final SparseMatrix w = SparseMatrix.fromTriplets(3, r, c, v, v.length);
		final SparseMatrix l = w.laplacian();
		assertTrue(l.isSymmetric());
		final double[] y = new double[3];
		l.multiply(new double[] { 1, 1, 1 }, y);
		assertArrayEquals(new double[] { 0, 0, 0 }, y, 1e-15);
		assertEquals(0.25, l.get(1, 1), 0);
		assertEquals(0.5, l.get(0, 0), 0);
	}
}
