package org.softsegments.sparsify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;

import org.junit.jupiter.api.Test;

class WeightedGramTest {

	/** N not a multiple of the block or of 4, m not a multiple of the panel or of 4; several chunks. */
	private static final int N = 5003, M = 19, LAYERS = 3;

	private static double[][] random(final int rows, final int cols, final long seed, final boolean positive) {
		final SplittableRandom random = new SplittableRandom(seed);
		final double[][] a = new double[rows][cols];
		for (final double[] row : a) {
			for (int i = 0; i < cols; i++) row[i] = positive ? 0.01 + random.nextDouble() * 100 : random.nextDouble() * 2 - 1;
		}
		return a;
	}

	@Test
	void layoutHasSeveralChunksOfWholeBlocks() {
		final int len = WeightedGram.chunkLength(N);
		assertEquals(0, len % WeightedGram.BLOCK);
		assertTrue((N + len - 1) / len > 2, "test should exercise several chunks");
		assertEquals(WeightedGram.BLOCK, WeightedGram.chunkLength(10));
	}

	@Test
	void gramsEqualNaiveTripleLoop() {
		final double[][] e = random(M, N, 1, false);
		final double[][] w = random(LAYERS, N, 2, true);
		final double[][][] g = WeightedGram.grams(e, w);
		for (int k = 0; k < LAYERS; k++) {
			double maxAbs = 0, maxErr = 0;
			for (int i = 0; i < M; i++) {
				for (int j = 0; j < M; j++) {
					double s = 0;
					for (int p = 0; p < N; p++) s += w[k][p] * e[i][p] * e[j][p];
					maxAbs = Math.max(maxAbs, Math.abs(s));
					maxErr = Math.max(maxErr, Math.abs(s - g[k][i][j]));
					assertEquals(g[k][i][j], g[k][j][i], 0, "symmetric");
				}
			}
			assertTrue(maxErr <= 1e-12 * maxAbs, "layer " + k + ": max error " + maxErr + " vs max entry " + maxAbs);
		}
	}

	@Test
	void projectionsEqualNaiveLoop() {
		final double[][] e = random(M, N, 3, false);
		final double[][] v = random(LAYERS, N, 4, false);
		final double[][] proj = WeightedGram.project(e, v);
		for (int k = 0; k < LAYERS; k++) {
			for (int j = 0; j < M; j++) {
				double s = 0, scale = 0;
				for (int p = 0; p < N; p++) {
					s += e[j][p] * v[k][p];
					scale += Math.abs(e[j][p] * v[k][p]);
				}
				assertEquals(s, proj[k][j], 1e-13 * scale);
			}
		}
	}

	@Test
	void bitIdenticalOnOneAndTwoThreads() throws Exception {
		final double[][] e = random(M, N, 5, false);
		final double[][] w = random(LAYERS, N, 6, true);
		final double[][][] one = new ForkJoinPool(1).submit(() -> WeightedGram.grams(e, w)).get();
		final double[][][] two = new ForkJoinPool(2).submit(() -> WeightedGram.grams(e, w)).get();
		final double[][][] common = WeightedGram.grams(e, w);
		for (int k = 0; k < LAYERS; k++) {
			for (int i = 0; i < M; i++) {
				assertArrayEquals(one[k][i], two[k][i], 0);
				assertArrayEquals(one[k][i], common[k][i], 0);
			}
		}
	}

	@Test
	void rejectsInconsistentInput() {
		final double[][] e = random(3, 10, 7, false);
		assertThrows(IllegalArgumentException.class, () -> WeightedGram.grams(e, new double[][] { new double[9] }));
		assertThrows(IllegalArgumentException.class, () -> WeightedGram.grams(new double[][] { new double[10], new double[9] },
			new double[][] { new double[10] }));
		assertThrows(IllegalArgumentException.class, () -> WeightedGram.grams(new double[0][], new double[0][]));
	}
}
