package org.softsegments.affinity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;

import org.apache.commons.math3.special.Erf;
import org.junit.jupiter.api.Test;
import org.softsegments.linalg.SparseMatrix;

class ColorAffinityTest {

	/** (erf(2.5) + 1)/2 to double precision. */
	private static final double HALF_ERF25 = 0.9997965239912775;

	// 8×8 image: positions (x+1)/8, (y+1)/8 are exact binary fractions; radius 0.25 = 2 pixels.
	private static final int W = 8, H = 8;
	// superpixel:                     0  1  2   3   4   5   6
	private static final int[] REP = { 0, 2, 16, 0, 45, 63, 47 };
	private static final double[][] COLORS = {
		{ 0, 0, 0 }, // 0 at (0,0)
		{ 0, 0, 0 }, // 1 at (2,0): δ(0,1) = 0.25 (kept, inclusive), d = 0
		{ 0.05, 0, 0 }, // 2 at (0,2): δ(0,2) = 0.25, d = 0.05 → exactly 0.5; δ(1,2) ≈ 0.354 (too far)
		{ 0.05, 0, 0 }, // 3 at (0,0) like 0: pair (0,3) lands on the diagonal
		{ 0, 0, 0 }, // 4 at (5,5)
		{ 0, 0, 0 }, // 5 at (7,7): δ(4,5) ≈ 0.354, too far although d = 0
		{ 1, 1, 1 }, // 6 at (7,5): near 4 and 5 but d = √3 → erf = −1 → 0, dropped
	};

	@Test
	void handMadeGraphGivesExactValues() {
		final SparseMatrix w = ColorAffinity.compute(W, H, REP, COLORS, 50, 0.95, 0.25);
		final double v0 = (Erf.erf(50 * ((1 - 0.0) - 0.95)) + 1) / 2;
		assertEquals(HALF_ERF25, v0, 1e-15);
		assertEquals(0.5, (Erf.erf(50 * ((1 - 0.05) - 0.95)) + 1) / 2, 0);
		// (0,1): v0 at (0,2); (1,3): 0.5 at (2,0) → summed by W + Wᵀ
		assertEquals(v0 + 0.5, w.get(0, 2), 0);
		assertEquals(v0 + 0.5, w.get(2, 0), 0);
		// (0,2): 0.5 at (0,16); (2,3): v0 at (16,0)
		assertEquals(v0 + 0.5, w.get(0, 16), 0);
		assertEquals(v0 + 0.5, w.get(16, 0), 0);
		// (0,3): c(0) = c(3): 0.5 on the diagonal, twice
		assertEquals(1.0, w.get(0, 0), 0);
		assertEquals(5, w.nonZeros());
		assertTrue(w.isSymmetric());
	}

	@Test
	void erfIsExactlyMinusOneBelowTheShortcut() {
		assertEquals(-1, Erf.erf(ColorAffinity.SATURATED), 0);
		assertEquals(-1, Erf.erf(-5.93), 0);
		for (double x = ColorAffinity.SATURATED; x > -45; x -= 0.001) assertEquals(-1, Erf.erf(x), 0, "erf(" + x + ")");
		assertEquals(-1, Erf.erf(Double.NEGATIVE_INFINITY), 0);
	}

	@Test
	void radiusZeroKeepsOnlyCoincidingRepresentatives() {
		final SparseMatrix w = ColorAffinity.compute(W, H, REP, COLORS, 50, 0.95, 0);
		assertEquals(1, w.nonZeros());
		assertEquals(1.0, w.get(0, 0), 0);
	}

	@Test
	void matchesBruteForceOverAllPairs() throws Exception {
		final int w = 64, h = 48, s = 500;
		final SplittableRandom rnd = new SplittableRandom(3);
		final int[] rep = new int[s];
		final double[][] colors = new double[s][3];
		for (int i = 0; i < s; i++) {
			rep[i] = rnd.nextInt(w * h);
			// clustered colours so that many pairs are neither saturated nor dropped
			final double base = rnd.nextInt(4) * 0.3;
			for (int c = 0; c < 3; c++) colors[i][c] = base + 0.08 * rnd.nextDouble();
		}
		for (final double radius : new double[] { 0.2, 0.05, 1.5, Double.POSITIVE_INFINITY }) {
			final SparseMatrix one = new ForkJoinPool(1)
				.submit(() -> ColorAffinity.compute(w, h, rep, colors, 50, 0.95, radius)).get();
			final SparseMatrix four = new ForkJoinPool(4)
				.submit(() -> ColorAffinity.compute(w, h, rep, colors, 50, 0.95, radius)).get();
			assertArrayEquals(one.rowStart(), four.rowStart());
			assertArrayEquals(one.columns(), four.columns());
			assertArrayEquals(one.values(), four.values());
			assertTrue(one.isSymmetric());

			final int[] r = new int[s * s], c = new int[s * s];
			final double[] v = new double[s * s];
			int t = 0;
			for (int a = 0; a < s; a++) {
				for (int b = a + 1; b < s; b++) {
					final double dr = (rep[a] / w + 1) / (double) h - (rep[b] / w + 1) / (double) h;
					final double dc = (rep[a] % w + 1) / (double) w - (rep[b] % w + 1) / (double) w;
					if (Math.sqrt(dr * dr + dc * dc) > radius) continue;
					double d2 = 0;
					for (int k = 0; k < 3; k++) d2 += (colors[a][k] - colors[b][k]) * (colors[a][k] - colors[b][k]);
					final double val = (Erf.erf(50 * ((1 - Math.sqrt(d2)) - 0.95)) + 1) / 2;
					r[t] = rep[a];
					c[t] = rep[b];
					v[t++] = val;
					r[t] = rep[b];
					c[t] = rep[a];
					v[t++] = val;
				}
			}
			final SparseMatrix brute = SparseMatrix.fromTriplets(w * h, r, c, v, t);
			assertEquals(brute.nonZeros(), one.nonZeros(), "radius " + radius);
			assertArrayEquals(brute.rowStart(), one.rowStart());
			assertArrayEquals(brute.columns(), one.columns());
			assertArrayEquals(brute.values(), one.values(), 1e-14);
			assertTrue(one.nonZeros() > 100, "test data must produce entries");
		}
	}

	@Test
	void rejectsBadInput() {
		assertThrows(IllegalArgumentException.class, () -> ColorAffinity.compute(W, H, REP, COLORS, 50, 0.95, -1));
		assertThrows(IllegalArgumentException.class, () -> ColorAffinity.compute(W, H, REP, COLORS, 50, 0.95, Double.NaN));
		assertThrows(IllegalArgumentException.class, () -> ColorAffinity.compute(0, H, REP, COLORS, 50, 0.95, 0.2));
		assertThrows(IllegalArgumentException.class, () -> ColorAffinity.compute(4, 4, REP, COLORS, 50, 0.95, 0.2));
		assertThrows(IllegalArgumentException.class,
			() -> ColorAffinity.compute(W, H, REP, new double[][] { { 0 } }, 50, 0.95, 0.2));
	}
}
