package org.softsegments.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.softsegments.image.PlanarImage;

class MattingScoresTest {

	/** K random layers summing to one at every pixel. */
	private static PlanarImage randomLayers(final int k, final int w, final int h, final long seed) {
		final SplittableRandom r = new SplittableRandom(seed);
		final float[][] p = new float[k][w * h];
		for (int i = 0; i < w * h; i++) {
			double s = 0;
			for (int c = 0; c < k; c++) s += p[c][i] = (float) r.nextDouble();
			for (int c = 0; c < k; c++) p[c][i] /= s;
		}
		return new PlanarImage(w, h, p);
	}

	@Test
	void perfectLayersGiveZeroErrorEverywhere() {
		// layer 0 = the true alpha, layer 1 = its complement
		final float[] alpha = { 0, 0.25f, 0.5f, 1, 1, 0.75f };
		final float[] rest = new float[6];
		for (int i = 0; i < 6; i++) rest[i] = 1 - alpha[i];
		final PlanarImage layers = new PlanarImage(3, 2, new float[][] { rest, alpha });
		final int[] trimap = { 0, 128, 128, 255, 255, 128 };
		final MattingScores.Result r = MattingScores.evaluate(layers, alpha, List.of(new MattingScores.Trimap("t", trimap)));
		assertEquals(0b10, r.subset());
		assertEquals(0, r.sad(), 1e-6);
		assertEquals(0, r.mse(), 1e-12);
		assertEquals(0, r.unknown().get(0).sad(), 1e-6);
		assertEquals(3, r.unknown().get(0).pixels());
		assertEquals(1, r.singleLayer());
		assertEquals(0, r.singleSad(), 1e-6);
	}

	@Test
	void knownShiftGivesTheComputedErrors() {
		// the true alpha is the planted subset shifted by +0.1 on 20 of the 48 pixels
		final PlanarImage layers = randomLayers(4, 8, 6, 3);
		final float[] alpha = new float[48];
		int shifted = 0;
		for (int i = 0; i < 48; i++) {
			alpha[i] = layers.plane(0)[i] + layers.plane(2)[i];
			if (i % 5 < 2 && alpha[i] < 0.85f) {
				alpha[i] += 0.1f;
				shifted++;
			}
		}
		final int[] trimap = new int[48];
		for (int i = 0; i < 48; i++) trimap[i] = i < 24 ? 128 : 0; // unknown = first half
		int shiftedUnknown = 0;
		for (int i = 0; i < 24; i++) if (i % 5 < 2 && layers.plane(0)[i] + layers.plane(2)[i] < 0.85f) shiftedUnknown++;
		final MattingScores.Result r = MattingScores.evaluate(layers, alpha, List.of(new MattingScores.Trimap("t", trimap)));
		assertEquals(0b0101, r.subset());
		assertEquals(0.1 * shifted, r.sad(), 1e-5);
		assertEquals(0.01 * shifted / 48, r.mse(), 1e-7);
		assertEquals(0.1 * shiftedUnknown, r.unknown().get(0).sad(), 1e-5);
		assertEquals(0.01 * shiftedUnknown / 24, r.unknown().get(0).mse(), 1e-7);
	}

	@Test
	void findsAPlantedSubsetAmongFiveLayers() {
		final PlanarImage layers = randomLayers(5, 20, 10, 9);
		for (final long planted : new long[] { 0b00001, 0b10110, 0b01011, 0b11110 }) {
			final float[] alpha = MattingScores.matte(layers, planted);
			final MattingScores.Result r = MattingScores.evaluate(layers, alpha, List.of());
			assertEquals(planted, r.subset());
			assertEquals(0, r.sad(), 1e-4);
		}
	}

	@Test
	void bestSingleLayerIsTheClosestLayer() {
		final float[][] p = { { 1, 1, 0, 0 }, { 0, 0, 0.5f, 0 }, { 0, 0, 0.5f, 1 } };
		final PlanarImage layers = new PlanarImage(4, 1, p);
		final float[] alpha = { 1, 1, 0, 0.25f };
		final MattingScores.Result r = MattingScores.evaluate(layers, alpha, List.of());
		assertEquals(0, r.singleLayer());
		assertEquals(0.25, r.singleSad(), 1e-6);
		assertEquals(0.0625 / 4, r.singleMse(), 1e-9);
		assertEquals(0b001, r.subset());
	}

	@Test
	void matteSumsAndClamps() {
		final float[][] p = { { 0.7f, -0.2f }, { 0.6f, 0.1f } };
		assertArrayEquals(new float[] { 1, 0 }, MattingScores.matte(new PlanarImage(2, 1, p), 0b11), 1e-7f);
		assertArrayEquals(new float[] { 0.6f, 0.1f }, MattingScores.matte(new PlanarImage(2, 1, p), 0b10), 1e-7f);
	}

	@Test
	void sizeMismatchesAreRejected() {
		final PlanarImage layers = randomLayers(2, 3, 3, 1);
		assertThrows(IllegalArgumentException.class, () -> MattingScores.evaluate(layers, new float[8], List.of()));
		assertThrows(IllegalArgumentException.class, () -> MattingScores.evaluate(layers, new float[9],
			List.of(new MattingScores.Trimap("t", new int[4]))));
	}
}
