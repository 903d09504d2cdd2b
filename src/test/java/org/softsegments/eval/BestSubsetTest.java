package org.softsegments.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.softsegments.image.PlanarImage;

class BestSubsetTest {

	/** Five random layers normalised to sum to one. */
	private static PlanarImage randomLayers(final int n, final long seed) {
		final SplittableRandom r = new SplittableRandom(seed);
		final float[][] p = new float[5][n];
		for (int i = 0; i < n; i++) {
			double s = 0;
			for (int k = 0; k < 5; k++) s += p[k][i] = (float) r.nextDouble();
			for (int k = 0; k < 5; k++) p[k][i] /= s;
		}
		return new PlanarImage(n, 1, p);
	}

	@Test
	void findsAPlantedSubsetWithZeroError() {
		final PlanarImage layers = randomLayers(500, 1);
		final float[] target = new float[500];
		for (int i = 0; i < 500; i++) target[i] = layers.plane(1)[i] + layers.plane(3)[i];
		final BestSubset.Match m = BestSubset.find(layers, target);
		assertEquals(0b01010, m.subset);
		assertEquals(0, m.sad, 1e-4);
		assertEquals(0, m.mse, 1e-9);
	}

	@Test
	void knownShiftGivesTheComputedSad() {
		final float[][] p = { { 0.5f, 0.5f, 0.5f, 0.5f }, { 0.5f, 0.5f, 0.5f, 0.5f } };
		final PlanarImage layers = new PlanarImage(2, 2, p);
		final float[] target = { 0.6f, 0.6f, 0.6f, 0.6f };
		final BestSubset.Match m = BestSubset.find(layers, target);
		assertEquals(4 * 0.1, m.sad, 1e-6);
		assertEquals(0.01, m.mse, 1e-7);
		assertEquals(1, Long.bitCount(m.subset));
	}

	@Test
	void maskRestrictsThePixels() {
		final float[][] p = { { 1, 0, 1 }, { 0, 1, 0 } };
		final PlanarImage layers = new PlanarImage(3, 1, p);
		final float[] target = { 1, 1, 1 };
		final BestSubset.Match m = BestSubset.find(layers, target, new boolean[] { true, false, true });
		assertEquals(2, m.pixels);
		assertEquals(0, m.sad);
	}
}
