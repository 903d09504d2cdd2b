package org.softsegments.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.softsegments.image.PlanarImage;

class LayerMatchingTest {

	@Test
	void softIoUOfKnownLayers() {
		assertEquals(1, LayerMatching.softIoU(new float[] { 0.2f, 1 }, new float[] { 0.2f, 1 }), 1e-7);
		assertEquals(0, LayerMatching.softIoU(new float[] { 1, 0 }, new float[] { 0, 1 }));
		// min: 0.5 + 0 = 0.5, max: 1 + 0.5 = 1.5
		assertEquals(1 / 3.0, LayerMatching.softIoU(new float[] { 1, 0 }, new float[] { 0.5f, 0.5f }), 1e-7);
		// values are clamped to [0,1]
		assertEquals(1, LayerMatching.softIoU(new float[] { 1.2f, -0.1f }, new float[] { 1, 0 }), 1e-7);
	}

	@Test
	void matchingFindsThePermutation() {
		final float[][] a = { { 1, 0, 0 }, { 0, 1, 0 }, { 0, 0, 1 } };
		final float[][] b = { a[2], a[0], a[1] };
		assertEquals(1, LayerMatching.meanMatchedIoU(new PlanarImage(3, 1, a), new PlanarImage(3, 1, b)), 1e-12);
		final float[][] c = { a[0], a[1] };
		assertEquals(2 / 3.0, LayerMatching.meanMatchedIoU(new PlanarImage(3, 1, a), new PlanarImage(3, 1, c)), 1e-12);
	}
}
