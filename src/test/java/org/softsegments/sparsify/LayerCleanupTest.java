package org.softsegments.sparsify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.softsegments.image.PlanarImage;

class LayerCleanupTest {

	/** One pixel per column: {@code pixels[i]} holds pixel i's K layer values. */
	private static PlanarImage pixels(final float[]... pixels) {
		final int k = pixels[0].length;
		final float[][] planes = new float[k][pixels.length];
		for (int i = 0; i < pixels.length; i++) {
			for (int l = 0; l < k; l++) planes[l][i] = pixels[i][l];
		}
		return new PlanarImage(pixels.length, 1, planes);
	}

	private static float[] pixel(final PlanarImage image, final int i) {
		final float[] v = new float[image.channels()];
		for (int l = 0; l < v.length; l++) v[l] = image.plane(l)[i];
		return v;
	}

	@Test
	void exactValuesOnTinyPixels() {
		final PlanarImage out = LayerCleanup.softThreshold(pixels(
			new float[] { 0.5f, 0.5f, 0f }, // a transition between two layers is kept
			new float[] { 0.8f, 0.195f, 0.005f }, // the floor below τ goes, the rest is lowered by τ
			new float[] { 1.2f, -0.1f, -0.1f }, // overshoot of the upsampling is clipped
			new float[] { 0.01f, 0.99f, 0f }), 0.01); // exactly τ becomes 0
		assertArrayEquals(new float[] { 0.5f, 0.5f, 0f }, pixel(out, 0), 1e-7f);
		// (0.79, 0.185, 0) / 0.975
		assertArrayEquals(new float[] { (float) (0.79 / 0.975), (float) (0.185 / 0.975), 0f }, pixel(out, 1), 1e-7f);
		assertArrayEquals(new float[] { 1f, 0f, 0f }, pixel(out, 2), 0f);
		assertArrayEquals(new float[] { 0f, 1f, 0f }, pixel(out, 3), 0f);
	}

	@Test
	void zeroThresholdOnlyClipsAndRenormalises() {
		final PlanarImage out = LayerCleanup.softThreshold(pixels(new float[] { 0.7f, 0.3f, 0.002f },
			new float[] { 1.1f, 0.1f, -0.2f }), 0);
		assertArrayEquals(new float[] { (float) (0.7 / 1.002), (float) (0.3 / 1.002), (float) (0.002 / 1.002) },
			pixel(out, 0), 1e-7f);
		assertArrayEquals(new float[] { (float) (1 / 1.1), (float) (0.1 / 1.1), 0f }, pixel(out, 1), 1e-7f);
	}

	@Test
	void layersStayInRangeAndSumToOneAndTheInputIsUntouched() {
		final int k = 5, n = 40_000;
		final SplittableRandom random = new SplittableRandom(3);
		final float[][] planes = new float[k][n];
		for (int i = 0; i < n; i++) {
			double sum = 0;
			for (int l = 0; l < k; l++) sum += planes[l][i] = (float) (Math.pow(random.nextDouble(), 6) - 0.01);
			planes[random.nextInt(k)][i] += (float) (1 - sum); // sums to 1, values slightly outside [0, 1]
		}
		final float[][] copy = new float[k][];
		for (int l = 0; l < k; l++) copy[l] = planes[l].clone();
		final PlanarImage out = LayerCleanup.softThreshold(new PlanarImage(200, 200, planes), 0.01);
		int zeros = 0;
		for (int i = 0; i < n; i++) {
			double sum = 0;
			for (int l = 0; l < k; l++) {
				final float v = out.plane(l)[i];
				assertTrue(v >= 0 && v <= 1, "value " + v);
				if (v == 0) zeros++;
				sum += v;
			}
			assertEquals(1, sum, 1e-6);
		}
		assertTrue(zeros > n, "most small values become exactly 0: " + zeros);
		for (int l = 0; l < k; l++) assertArrayEquals(copy[l], planes[l], 0f, "input modified");
	}

	@Test
	void pixelsWhoseLayersAreAllBelowTheThresholdKeepTheirClippedShares() {
		final PlanarImage out = LayerCleanup.softThreshold(pixels(new float[] { 0.005f, 0.015f, -0.01f },
			new float[] { 0f, 0f, 0f }), 0.02);
		assertArrayEquals(new float[] { 0.25f, 0.75f, 0f }, pixel(out, 0), 1e-7f);
		assertArrayEquals(new float[] { 1 / 3f, 1 / 3f, 1 / 3f }, pixel(out, 1), 1e-7f);
	}

	@Test
	void thresholdMustLeaveTheLargestLayer() {
		final PlanarImage layers = pixels(new float[] { 0.5f, 0.5f, 0f, 0f, 0f });
		assertThrows(IllegalArgumentException.class, () -> LayerCleanup.softThreshold(layers, 0.2));
		assertThrows(IllegalArgumentException.class, () -> LayerCleanup.softThreshold(layers, -0.01));
		assertThrows(IllegalArgumentException.class, () -> LayerCleanup.softThreshold(layers, Double.NaN));
		assertEquals(5, LayerCleanup.softThreshold(layers, 0.19).channels());
	}
}
