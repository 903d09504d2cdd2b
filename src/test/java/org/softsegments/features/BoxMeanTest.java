package org.softsegments.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class BoxMeanTest {

	@Test
	void windowOffsetsFollowImguidedfilter() {
		assertEquals(4, BoxMean.before(10));
		assertEquals(5, BoxMean.after(10));
		assertEquals(1, BoxMean.before(3));
		assertEquals(1, BoxMean.after(3));
		assertEquals(0, BoxMean.before(2));
		assertEquals(1, BoxMean.after(2));
		assertEquals(0, BoxMean.before(1));
		assertEquals(0, BoxMean.after(1));
	}

	@Test
	void evenWindowTwoIsForwardLookingWithReplicateBorder() {
		// rows [1 2 3] / [4 5 6]; window 2 covers offsets 0..+1 on both axes.
		final double[] in = { 1, 2, 3, 4, 5, 6 };
		final double[] out = BoxMean.mean(in, 3, 2, 2);
		assertArrayEquals(new double[] { 3, 4, 4.5, 4.5, 5.5, 6 }, out, 1e-15);
	}

	@Test
	void evenWindowFourOnOneRow() {
		// offsets -1..+2; one row, so the vertical direction replicates the row 4 times.
		final double[] in = { 1, 2, 3, 4, 10 };
		final double[] out = BoxMean.mean(in, 5, 1, 4);
		assertArrayEquals(new double[] { 7 / 4.0, 10 / 4.0, 19 / 4.0, 27 / 4.0, 34 / 4.0 }, out, 1e-15);
	}

	@Test
	void oddWindowThreeWithCornerReplication() {
		final double[] in = { 0, 1, 2, 3, 4, 5, 6, 7, 8 };
		final double[] out = BoxMean.mean(in, 3, 3, 3);
		assertEquals(4.0, out[4], 1e-15);
		assertEquals(12 / 9.0, out[0], 1e-15); // rows 0,0,1 x cols 0,0,1
		assertEquals(18 / 9.0, out[1], 1e-15); // rows 0,0,1 x cols 0,1,2: 2·(0+1+2) + (3+4+5)
		assertEquals(60 / 9.0, out[8], 1e-15); // rows 1,2,2 x cols 1,2,2: (4+5+5) + 2·(7+8+8)
	}

	@Test
	void diracShowsAsymmetricWindowOfTen() {
		final int w = 20, h = 17, x0 = 9, y0 = 8;
		final double[] in = new double[w * h];
		in[x0 + y0 * w] = 100;
		final double[] out = BoxMean.mean(in, w, h, 10);
		for (int y = 0; y < h; y++) {
			for (int x = 0; x < w; x++) {
				// out(x) sees in(x-4 .. x+5), so the impulse shows at x0-5 .. x0+4.
				final boolean inside = x >= x0 - 5 && x <= x0 + 4 && y >= y0 - 5 && y <= y0 + 4;
				assertEquals(inside ? 1.0 : 0.0, out[x + y * w], 1e-13, "at " + x + "," + y);
			}
		}
	}

	@Test
	void matchesDirectEvaluationOnRandomData() {
		final SplittableRandom rnd = new SplittableRandom(7);
		for (final int window : new int[] { 1, 2, 3, 4, 10, 15, 30 }) {
			final int w = 13, h = 9;
			final double[] in = new double[w * h];
			for (int i = 0; i < in.length; i++) in[i] = rnd.nextDouble() * 2 - 1;
			final double[] fast = BoxMean.mean(in, w, h, window);
			final double[] direct = direct(in, w, h, window);
			assertArrayEquals(direct, fast, 1e-13, "window " + window);
		}
	}

	@Test
	void inPlaceEqualsOutOfPlace() {
		final SplittableRandom rnd = new SplittableRandom(3);
		final double[] in = new double[11 * 6];
		for (int i = 0; i < in.length; i++) in[i] = rnd.nextDouble();
		final double[] expected = BoxMean.mean(in, 11, 6, 10);
		BoxMean.mean(in, 11, 6, 10, new double[in.length], in);
		assertArrayEquals(expected, in, 0);
	}

	@Test
	void rejectsBadArguments() {
		assertThrows(IllegalArgumentException.class, () -> BoxMean.mean(new double[6], 3, 2, 0));
		assertThrows(IllegalArgumentException.class, () -> BoxMean.mean(new double[5], 3, 2, 3));
		final double[] a = new double[6];
		assertThrows(IllegalArgumentException.class, () -> BoxMean.mean(a, 3, 2, 3, a, new double[6]));
	}

	/** Direct definition: average of in[clamp(x+i), clamp(y+j)] for i, j in -before..after. */
	static double[] direct(final double[] in, final int w, final int h, final int r) {
		final int lo = (r - 1) / 2, hi = r - 1 - lo;
		final double[] out = new double[w * h];
		for (int y = 0; y < h; y++) {
			for (int x = 0; x < w; x++) {
				double s = 0;
				for (int j = -lo; j <= hi; j++) {
					for (int i = -lo; i <= hi; i++) {
						final int xx = Math.min(w - 1, Math.max(0, x + i));
						final int yy = Math.min(h - 1, Math.max(0, y + j));
						s += in[xx + yy * w];
					}
				}
				out[x + y * w] = s / (r * r);
			}
		}
		return out;
	}
}
