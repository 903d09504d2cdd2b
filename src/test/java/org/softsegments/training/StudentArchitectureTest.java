package org.softsegments.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.softsegments.image.PlanarImage;

class StudentArchitectureTest {

	/** Widths 4-4-8-8-8, depths 1-1-1-2, pool 4, decoder 8, C = 6: multiple 32, output stride 4. */
	static StudentArchitecture tiny() {
		return new StudentArchitecture(new int[] { 4, 4, 8, 8, 8 }, new int[] { 1, 1, 1, 2 }, 4, 8, 6);
	}

	@Test
	void parameterCountOfTheTinyNet() {
		// stem 3·3·3·4+4 = 112; stage1a 3·3·4·4+4 = 148; stage2a 3·3·4·8+8 = 296; stage3a, stage4a, stage4b 3·3·8·8+8 = 584 each;
		// pool 8·4+4 = 36; top 8·8+8 = 72; top_pool 4·8 = 32; lateral3, lateral2 8·8+8 = 72 each, lateral1 4·8+8 = 40;
		// fuse3, fuse2, fuse1 3·3·8·8+8 = 584 each; head 8·6+6 = 54
		assertEquals(112 + 148 + 296 + 3 * 584 + 36 + 72 + 32 + 2 * 72 + 40 + 3 * 584 + 54, tiny().parameterCount());
		assertEquals(32, tiny().multiple());
		assertEquals(4, tiny().outputStride());
	}

	@Test
	void standardNetworkFitsTheBudget() {
		final StudentArchitecture s = StudentArchitecture.standard();
		assertEquals(32, s.embeddingDim());
		assertEquals(32, s.multiple());
		assertTrue(s.parameterCount() <= 5_000_000, s.parameterCount() + " parameters");
		assertEquals(s, new StudentArchitecture(s.widths(), s.depths(), s.poolWidth(), s.decoderWidth(), s.embeddingDim()));
		assertEquals(0, StudentArchitecture.gridStride("pool_kernel"), "the image-pooling branch runs on one pixel");
		assertEquals(32, StudentArchitecture.gridStride("stage4c_kernel"));
		assertEquals(4, StudentArchitecture.gridStride("fuse1_kernel"));
		assertEquals(16, StudentArchitecture.gridStride("lateral3_bias"));
	}

	@Test
	void invalidShapesAreRejected() {
		assertThrows(IllegalArgumentException.class, () -> new StudentArchitecture(new int[] { 4, 4, 8, 8 }, new int[] { 1, 1, 1, 1 }, 4, 8, 6));
		assertThrows(IllegalArgumentException.class, () -> new StudentArchitecture(new int[] { 4, 4, 8, 8, 8 }, new int[] { 1, 1, 1 }, 4, 8, 6));
		assertThrows(IllegalArgumentException.class, () -> new StudentArchitecture(new int[] { 4, 4, 8, 8, 8 }, new int[] { 1, 0, 1, 1 }, 4, 8, 6));
		assertThrows(IllegalArgumentException.class, () -> new StudentArchitecture(new int[] { 4, 4, 8, 8, 8 }, new int[] { 1, 1, 1, 1 }, 4, 8, 3));
		assertThrows(IllegalArgumentException.class, () -> new StudentArchitecture(new int[] { 4, 0, 8, 8, 8 }, new int[] { 1, 1, 1, 1 }, 4, 8, 6));
	}

	static float[] nhwc(final PlanarImage rgb) {
		final float[] a = new float[rgb.pixels() * 3];
		FeatureTrainer.copyNhwc(rgb, a, 0);
		return a;
	}

	@Test
	void graphGivesTheInputSizeAndGlobalContext() {
		final StudentArchitecture a = tiny();
		try (TrainingGraph g = new TrainingGraph(a, new DistillationLoss(), 1, 32, 1, 5)) {
			g.initialise(3);
			final PlanarImage img = TinyModels.testImage(96, 64, 2);
			final float[] full = g.embed(nhwc(img), 96, 64);
			final float[] grid = g.embedAtOutputStride(nhwc(img), 96, 64);
			assertEquals(96 * 64 * 6, full.length);
			assertEquals(24 * 16 * 6, grid.length);
			// the full-size output is the output grid resized bilinearly with half-pixel centres
			final float[][] planes = new float[6][24 * 16];
			for (int i = 0; i < 24 * 16; i++) for (int c = 0; c < 6; c++) planes[c][i] = grid[i * 6 + c];
			final PlanarImage up = Augmentation.resample(new PlanarImage(24, 16, planes), 0, 0, 4, 4, 96, 64, false);
			double max = 0, scale = 0;
			for (int i = 0; i < 96 * 64; i++) {
				for (int c = 0; c < 6; c++) {
					max = Math.max(max, Math.abs(full[i * 6 + c] - up.plane(c)[i]));
					scale = Math.max(scale, Math.abs(full[i * 6 + c]));
				}
			}
			assertTrue(scale > 0 && max <= 1e-5 * scale, "resize differs by " + max + " (scale " + scale + ")");
			// image pooling: a change in one corner reaches the opposite corner
			final PlanarImage poked = img.copy();
			for (int c = 0; c < 3; c++) poked.set(0, 0, c, 1 - poked.get(0, 0, c));
			final float[] after = g.embedAtOutputStride(nhwc(poked), 96, 64);
			final int far = (15 * 24 + 23) * 6;
			double change = 0;
			for (int c = 0; c < 6; c++) change += Math.abs(after[far + c] - grid[far + c]);
			assertTrue(change > 0, "the far corner does not see the change");
		}
	}
}
