package org.softsegments.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class Float16Test {

	private static int bits(final float f) {
		return Float16.fromFloat(f) & 0xffff;
	}

	@Test
	void exactValues() {
		assertEquals(0x0000, bits(0f));
		assertEquals(0x8000, bits(-0f));
		assertEquals(0x3c00, bits(1f));
		assertEquals(0xc000, bits(-2f));
		assertEquals(0x7bff, bits(65504f)); // largest finite half
		assertEquals(0x0001, bits(0x1p-24f)); // smallest subnormal
		assertEquals(0x0400, bits(0x1p-14f)); // smallest normal
		assertEquals(0x03ff, bits(0x1p-14f - 0x1p-24f)); // largest subnormal
		assertEquals(0x3555, bits(1f / 3)); // 0.333251953125, the nearest half
		assertEquals(0x7c00, bits(Float.POSITIVE_INFINITY));
		assertEquals(0xfc00, bits(Float.NEGATIVE_INFINITY));
		assertEquals(0x7e00, bits(Float.NaN));
		assertEquals(1f, Float16.toFloat((short) 0x3c00));
		assertEquals(-2f, Float16.toFloat((short) 0xc000));
		assertEquals(65504f, Float16.toFloat((short) 0x7bff));
		assertEquals(0x1p-24f, Float16.toFloat((short) 0x0001));
		assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(Float16.toFloat((short) 0x8000)));
		assertTrue(Float.isNaN(Float16.toFloat((short) 0x7e00)));
	}

	@Test
	void tiesRoundToEven() {
		// 1 + 2^-11 lies half way between 1 (0x3c00, even) and 1 + 2^-10 (0x3c01): goes down
		assertEquals(0x3c00, bits(1f + 0x1p-11f));
		// 1 + 3·2^-11 lies half way between 0x3c01 (odd) and 0x3c02 (even): goes up
		assertEquals(0x3c02, bits(1f + 3 * 0x1p-11f));
		// just above a tie rounds up, just below down
		assertEquals(0x3c01, bits(Math.nextUp(1f + 0x1p-11f)));
		assertEquals(0x3c01, bits(Math.nextDown(1f + 3 * 0x1p-11f)));
		// subnormal ties: 2^-25 (half the smallest subnormal) → 0; 3·2^-25 → 2·2^-24 (even)
		assertEquals(0x0000, bits(0x1p-25f));
		assertEquals(0x0002, bits(3 * 0x1p-25f));
		assertEquals(0x0001, bits(Math.nextUp(0x1p-25f)));
		// overflow: 65520 is the tie between 65504 (odd mantissa) and the next power, so infinity; just below stays finite
		assertEquals(0x7c00, bits(65520f));
		assertEquals(0x7bff, bits(Math.nextDown(65520f)));
		// a tie carrying into the exponent: 2 − 2^-11 lies between 0x3fff (odd) and 2 = 0x4000
		assertEquals(0x4000, bits(2f - 0x1p-11f));
	}

	@Test
	void everyHalfSurvivesARoundTrip() {
		for (int h = 0; h < 0x10000; h++) {
			final float f = Float16.toFloat((short) h);
			if (Float.isNaN(f)) continue;
			assertEquals(h, bits(f), "half 0x" + Integer.toHexString(h) + " = " + f);
		}
	}

	@Test
	void nearestHalfMatchesABruteForceSearch() {
		final java.util.SplittableRandom rng = new java.util.SplittableRandom(3);
		for (int k = 0; k < 20000; k++) {
			final float f = (float) ((rng.nextDouble() * 2 - 1) * Math.pow(2, rng.nextInt(-28, 16)));
			final float h = Float16.toFloat(Float16.fromFloat(f));
			final float up = Float16.toFloat((short) (Float16.fromFloat(f) + (f >= 0 ? 1 : -1)));
			final float down = Float16.toFloat((short) (Float16.fromFloat(f) - (f >= 0 ? 1 : -1)));
			final double err = Math.abs((double) h - f);
			if (Float.isFinite(up)) assertTrue(err <= Math.abs((double) up - f), f + " → " + h);
			if (Float.isFinite(down) && Math.signum(down) == Math.signum(h)) assertTrue(err <= Math.abs((double) down - f), f + " → " + h);
		}
	}
}
