package org.softsegments.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.softsegments.image.PlanarImage;

class LayerHealthTest {

	@Test
	void handMadeCase() {
		// 4 pixels, 3 layers
		// pixel 0: 1, 0, 0            sum 1,    largest 1    (opaque)
		// pixel 1: 0.5, 0.5, 0        sum 1,    largest 0.5
		// pixel 2: 1.1, -0.1, 0.02    sum 1.02, largest 1.1  (opaque; 1.1 and −0.1 out of range)
		// pixel 3: 0.95, 0, -0.04     sum 0.91, largest 0.95 (opaque; −0.04 in range)
		final float[][] p = { { 1, 0.5f, 1.1f, 0.95f }, { 0, 0.5f, -0.1f, 0 }, { 0, 0, 0.02f, -0.04f } };
		final LayerHealth.Result r = LayerHealth.of(new PlanarImage(2, 2, p));
		assertEquals(3, r.layers());
		assertEquals(0.09, r.maxSumError(), 1e-6);
		assertEquals((0 + 0 + 0.02 + 0.09) / 4, r.meanSumError(), 1e-6);
		assertEquals(2 / 12.0, r.outOfRange(), 1e-12);
		assertEquals(3 / 4.0, r.sparsity(), 1e-12);
		assertEquals(2, r.nonEmpty(), "layer 3 never exceeds 0.1");
	}

	@Test
	void perfectHardLayers() {
		final float[][] p = { { 1, 0, 0 }, { 0, 1, 0 }, { 0, 0, 1 }, { 0, 0, 0 } };
		final LayerHealth.Result r = LayerHealth.of(new PlanarImage(3, 1, p));
		assertEquals(0, r.maxSumError());
		assertEquals(0, r.outOfRange());
		assertEquals(1, r.sparsity());
		assertEquals(3, r.nonEmpty());
	}
}
