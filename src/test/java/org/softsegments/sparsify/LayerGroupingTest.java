package org.softsegments.sparsify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.softsegments.image.PlanarImage;

class LayerGroupingTest {

	static final int W = 40, H = 30;

	/** Four quadrants with clearly different 3-channel features. */
	static final float[][] QUADRANT_FEATURE = { { 0.1f, 0.1f, 0.1f }, { 0.9f, 0.1f, 0.1f }, { 0.1f, 0.9f, 0.1f },
		{ 0.1f, 0.1f, 0.9f } };

	static int quadrant(final int p) {
		final int x = p % W, y = p / W;
		return (x < W / 2 ? 0 : 1) + (y < H / 2 ? 0 : 2);
	}

	static PlanarImage quadrantFeatures(final Random r) {
		final PlanarImage f = PlanarImage.zeros(W, H, 3);
		for (int p = 0; p < W * H; p++) {
			for (int c = 0; c < 3; c++) {
				f.plane(c)[p] = QUADRANT_FEATURE[quadrant(p)][c] + 0.02f * (float) r.nextGaussian();
			}
		}
		return f;
	}

	/**
	 * 8 soft layers summing to 1 per pixel; layers 2q and 2q+1 live (mostly) in quadrant
	 * {@code order[..]}, with small leakage and a few slightly negative values elsewhere.
	 */
	static double[][] layers(final Random r, final int[] quadrantOfLayer) {
		final int n = W * H, count = quadrantOfLayer.length;
		final double[][] a = new double[count][n];
		for (int p = 0; p < n; p++) {
			double sum = 0;
			for (int k = 0; k < count; k++) {
				a[k][p] = quadrantOfLayer[k] == quadrant(p) ? 0.5 + r.nextDouble() : 0.01 * r.nextDouble();
				sum += a[k][p];
			}
			for (int k = 0; k < count; k++) a[k][p] /= sum;
			// a signed perturbation that keeps the per-pixel sum: slightly negative alphas
			final int k0 = r.nextInt(count), k1 = r.nextInt(count);
			if (k0 != k1 && r.nextInt(10) == 0) {
				a[k0][p] -= 0.02;
				a[k1][p] += 0.02;
			}
		}
		return a;
	}

	@Test
	void groupsLayersWithSimilarSignaturesAndKeepsPerPixelSums() {
		final Random r = new Random(3);
		final PlanarImage f = quadrantFeatures(r);
		final int[] quadrantOfLayer = { 2, 0, 3, 1, 0, 2, 1, 3 };
		final double[][] a = layers(r, quadrantOfLayer);
		final LayerGrouping.Result g = LayerGrouping.groupWithIds(a, f, 4, 11L);
		assertEquals(4, g.groups());
		assertEquals(8, g.ids().length);
		// same quadrant <=> same group
		for (int i = 0; i < 8; i++) {
			for (int j = 0; j < 8; j++) {
				assertEquals(quadrantOfLayer[i] == quadrantOfLayer[j], g.ids()[i] == g.ids()[j], i + " vs " + j);
			}
		}
		// each group is exactly the sum of its layers, and per-pixel totals are preserved
		for (int p = 0; p < W * H; p++) {
			double in = 0, out = 0;
			for (int k = 0; k < 8; k++) in += a[k][p];
			for (int j = 0; j < 4; j++) {
				out += g.layers()[j][p];
				double expected = 0;
				for (int k = 0; k < 8; k++) {
					if (g.ids()[k] == j) expected += a[k][p];
				}
				assertEquals(expected, g.layers()[j][p], 0);
			}
			assertEquals(in, out, 1e-12);
			assertEquals(1, out, 1e-12);
		}
		assertArrayEquals(g.layers(), LayerGrouping.group(a, f, 4, 11L));
	}

	@Test
	void signaturesAreAlphaWeightedMeansWithGuards() {
		final PlanarImage f = new PlanarImage(2, 1, new float[][] { { 0, 1 }, { 2, 6 }, { 0.5f, 0.5f } });
		final double[][] a = { { 1, 3 }, // (1·f0 + 3·f1) / 4
			{ 0.5, -0.5 }, // signed mass 0: |α| weights
			{ 0, 0 }, // no mass: plain mean
			{ -1, -1 } }; // negative mass is used as is
		final double[] g = LayerGrouping.signatures(a, f);
		assertArrayEquals(new double[] { 0.75, 5, 0.5, 0.5, 4, 0.5, 0.5, 4, 0.5, 0.5, 4, 0.5 }, g, 1e-15);
	}

	@Test
	void fewerLayersThanGroupsAreReturnedUnchanged() {
		final Random r = new Random(5);
		final PlanarImage f = quadrantFeatures(r);
		final double[][] a = layers(r, new int[] { 0, 1, 2 });
		for (final int groups : new int[] { 3, 5 }) {
			final LayerGrouping.Result g = LayerGrouping.groupWithIds(a, f, groups, 1L);
			assertArrayEquals(new int[] { 0, 1, 2 }, g.ids());
			assertEquals(3, g.groups());
			for (int k = 0; k < 3; k++) {
				assertArrayEquals(a[k], g.layers()[k], 0);
				assertNotSame(a[k], g.layers()[k]);
			}
		}
	}

	@Test
	void deterministicOnAnyPoolSize() throws Exception {
		final Random r = new Random(8);
		final PlanarImage f = quadrantFeatures(r);
		final double[][] a = layers(r, new int[] { 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2 });
		final LayerGrouping.Result ref = LayerGrouping.groupWithIds(a, f, 3, 4L);
		for (final int threads : new int[] { 1, 2 }) {
			final ForkJoinPool pool = new ForkJoinPool(threads);
			try {
				final LayerGrouping.Result g = pool.submit(() -> LayerGrouping.groupWithIds(a, f, 3, 4L)).get();
				assertArrayEquals(ref.ids(), g.ids());
				assertArrayEquals(ref.layers(), g.layers());
			}
			finally {
				pool.shutdown();
				pool.awaitTermination(10, TimeUnit.SECONDS);
			}
		}
		for (final int size : sizes(ref.ids(), 3)) assertTrue(size > 0);
	}

	static int[] sizes(final int[] ids, final int groups) {
		final int[] s = new int[groups];
		for (final int id : ids) s[id]++;
		return s;
	}

	@Test
	void rejectsBadInput() {
		final PlanarImage f = PlanarImage.zeros(2, 2, 3);
		final IllegalArgumentException wrongSize = assertThrows(IllegalArgumentException.class,
			() -> LayerGrouping.group(new double[][] { new double[3] }, f, 1, 0L));
		assertTrue(wrongSize.getMessage().contains("2×2 = 4 pixels"), wrongSize.getMessage());
		assertThrows(IllegalArgumentException.class, () -> LayerGrouping.group(new double[0][], f, 1, 0L));
		assertThrows(IllegalArgumentException.class, () -> LayerGrouping.group(new double[][] { new double[4] }, f, 0,
			0L));
		final IllegalArgumentException nan = assertThrows(IllegalArgumentException.class, () -> LayerGrouping.group(
			new double[][] { new double[4], { 0, Double.NaN, 0, 0 } }, f, 1, 0L));
		assertNotEquals(-1, nan.getMessage().indexOf("non-finite"), nan.getMessage());
	}
}
