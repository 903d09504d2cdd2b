package org.softsegments.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ResizeTest {

	private static PlanarImage constant(final int w, final int h, final float v) {
		final float[] p = new float[w * h];
		java.util.Arrays.fill(p, v);
		return new PlanarImage(w, h, new float[][] { p, p.clone() });
	}

	@Test
	void constantImageStaysConstantAtAnyScale() {
		for (final double f : new double[] { 0.25, 0.3, 0.5, 0.77, 1.6, 3 }) {
			final PlanarImage r = Resize.smooth(constant(37, 23, 0.3f), f);
			assertEquals(Resize.scaledSize(37, f), r.width());
			assertEquals(Resize.scaledSize(23, f), r.height());
			for (int c = 0; c < 2; c++) for (final float v : r.plane(c)) assertEquals(0.3f, v, 1e-6f, "factor " + f);
		}
	}

	@Test
	void checkerboardHalvedAverages() {
		final int w = 16, h = 10;
		final float[] p = new float[w * h];
		for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) p[x + y * w] = (x + y) % 2;
		final PlanarImage r = Resize.smooth(new PlanarImage(w, h, new float[][] { p }), 0.5);
		assertEquals(8, r.width());
		assertEquals(5, r.height());
		for (final float v : r.plane(0)) assertEquals(0.5f, v, 1e-7f);
	}

	@Test
	void areaAveragingWeighsFractionalOverlaps() {
		// 3 → 2 pixels: output 0 covers [0, 1.5) = 1·a + 0.5·b, output 1 covers [1.5, 3) = 0.5·b + 1·c
		final PlanarImage in = new PlanarImage(3, 1, new float[][] { { 0, 3, 6 } });
		final PlanarImage r = Resize.smooth(in, 2, 1);
		assertArrayEquals(new float[] { 1, 5 }, r.plane(0), 1e-6f);
	}

	@Test
	void enlargingInterpolatesBetweenPixelCentres() {
		final PlanarImage in = new PlanarImage(2, 1, new float[][] { { 0, 1 } });
		final PlanarImage r = Resize.smooth(in, 4, 1);
		// output centres at input x = −0.25, 0.25, 0.75, 1.25 (edges clamped)
		assertArrayEquals(new float[] { 0, 0.25f, 0.75f, 1 }, r.plane(0), 1e-6f);
	}

	@Test
	void nearestKeepsLabelValues() {
		final int[] labels = { 0, 0, 7, 7, 0, 0, 7, 7, 255, 255, 3, 3, 255, 255, 3, 3 };
		assertArrayEquals(new int[] { 0, 7, 255, 3 }, Resize.nearest(labels, 4, 4, 2, 2));
		final int[] up = Resize.nearest(new int[] { 1, 2 }, 2, 1, 4, 1);
		assertArrayEquals(new int[] { 1, 1, 2, 2 }, up);
	}

	@Test
	void badSizesAreRejected() {
		assertThrows(IllegalArgumentException.class, () -> Resize.scaledSize(10, 0));
		assertThrows(IllegalArgumentException.class, () -> Resize.scaledSize(10, Double.NaN));
		assertThrows(IllegalArgumentException.class, () -> Resize.nearest(new int[3], 2, 2, 1, 1));
		assertEquals(1, Resize.scaledSize(10, 0.01));
	}
}
