package org.softsegments.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class OracleGroupingTest {

	private static final float[] ALPHA = { 1, 1, 0.5f, 0, 0 };

	@Test
	void everySegmentGoesToTheSideOfMostOfItsMass() {
		final double[][] segments = {
			{ 1, 1, 0, 0, 0 }, // inside: foreground
			{ 0, 0, 0, 1, 1 }, // outside: background
			{ 0, 0, 1, 0, 0 }, // on the edge, exactly half inside: not more than half, background
			{ 0, 0.6, 0, 0.5, 0 }, // 0.6 of 1.1 inside: foreground
		};
		assertArrayEquals(new int[] { 0, 1, 1, 0 }, OracleGrouping.byTrueAlpha(segments, ALPHA));
	}

	@Test
	void oneSideOnlyIsOneGroup() {
		final double[][] outside = { { 0, 0, 0, 1, 0 }, { 0, 0, 0, 0, 1 } };
		assertArrayEquals(new int[] { 0, 0 }, OracleGrouping.byTrueAlpha(outside, ALPHA));
	}

	@Test
	void lengthsMustMatch() {
		assertThrows(IllegalArgumentException.class, () -> OracleGrouping.byTrueAlpha(new double[][] { { 1, 0 } }, ALPHA));
	}
}
