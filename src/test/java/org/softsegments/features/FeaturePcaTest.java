package org.softsegments.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;

import org.junit.jupiter.api.Test;
import org.softsegments.core.Progress;
import org.softsegments.image.PlanarImage;

class FeaturePcaTest {

	/** D channels = random mixtures of 4 latent signals with clearly different variances, plus small noise. */
	private static PlanarImage latentFeatures(final int w, final int h, final int d, final long seed) {
		final SplittableRandom rnd = new SplittableRandom(seed);
		final int n = w * h;
		final double[] scale = { 4, 2, 1, 0.5 };
		final double[][] latent = new double[4][n];
		for (int k = 0; k < 4; k++) {
			for (int i = 0; i < n; i++) latent[k][i] = scale[k] * (rnd.nextDouble() * 2 - 1);
		}
		// random orthonormal-ish mixing: Gram–Schmidt of random D-vectors
		final double[][] mix = new double[4][d];
		for (int k = 0; k < 4; k++) {
			for (int c = 0; c < d; c++) mix[k][c] = rnd.nextGaussian();
			for (int l = 0; l < k; l++) {
				double dot = 0;
				for (int c = 0; c < d; c++) dot += mix[k][c] * mix[l][c];
				for (int c = 0; c < d; c++) mix[k][c] -= dot * mix[l][c];
			}
			double norm = 0;
			for (int c = 0; c < d; c++) norm += mix[k][c] * mix[k][c];
			norm = Math.sqrt(norm);
			for (int c = 0; c < d; c++) mix[k][c] /= norm;
		}
		final float[][] planes = new float[d][n];
		for (int c = 0; c < d; c++) {
			for (int i = 0; i < n; i++) {
				double v = 0.3 + 0.01 * rnd.nextGaussian();
				for (int k = 0; k < 4; k++) v += latent[k][i] * mix[k][c];
				planes[c][i] = (float) v;
			}
		}
		return new PlanarImage(w, h, planes);
	}

	private static PlanarImage pcaNormalised(final PlanarImage f) {
		final PlanarImage p = FeaturePca.project(f, 3);
		FeaturePca.normalizeMinMax(p);
		return p;
	}

	private static double distance(final PlanarImage img, final int i, final int j) {
		double s = 0;
		for (int c = 0; c < img.channels(); c++) {
			final double d = img.plane(c)[i] - img.plane(c)[j];
			s += d * d;
		}
		return Math.sqrt(s);
	}

	private static void assertSameDistances(final PlanarImage a, final PlanarImage b) {
		final SplittableRandom rnd = new SplittableRandom(99);
		final int n = a.pixels();
		for (int t = 0; t < 2000; t++) {
			final int i = rnd.nextInt(n), j = rnd.nextInt(n);
			assertEquals(distance(a, i, j), distance(b, i, j), 1e-5, "pair " + i + "," + j);
		}
	}

	@Test
	void signFlipsOfInputChannelsLeaveDistancesUnchanged() {
		final PlanarImage f = latentFeatures(40, 30, 9, 1);
		final PlanarImage reference = pcaNormalised(f);
		for (final int[] flip : new int[][] { { 0 }, { 3, 5 }, { 0, 1, 2, 3, 4, 5, 6, 7, 8 } }) {
			final PlanarImage g = f.copy();
			for (final int c : flip) {
				final float[] p = g.plane(c);
				for (int i = 0; i < p.length; i++) p[i] = -p[i];
			}
			assertSameDistances(reference, pcaNormalised(g));
		}
	}

	@Test
	void permutingInputChannelsLeavesDistancesUnchanged() {
		final PlanarImage f = latentFeatures(40, 30, 9, 2);
		final PlanarImage reference = pcaNormalised(f);
		final int[] perm = { 4, 8, 0, 2, 7, 1, 6, 3, 5 };
		final float[][] planes = new float[9][];
		for (int c = 0; c < 9; c++) planes[c] = f.plane(perm[c]).clone();
		assertSameDistances(reference, pcaNormalised(new PlanarImage(40, 30, planes)));
	}

	@Test
	void signConventionMakesLargestComponentPositive() {
		final double[][] cov = { { 4, 0, 0 }, { 0, 1, 0 }, { 0, 0, 9 } };
		final double[][] v = FeaturePca.topEigenvectors(cov, 3);
		assertArrayEquals(new double[] { 0, 0, 1 }, v[0], 1e-12);
		assertArrayEquals(new double[] { 1, 0, 0 }, v[1], 1e-12);
		assertArrayEquals(new double[] { 0, 1, 0 }, v[2], 1e-12);
	}

	@Test
	void rankTwoDataProjectedToTwoKeepsAllDistances() {
		// Centred data lying in a plane: a 2-D PCA is an isometry on it.
		final int w = 23, h = 17, d = 6, n = w * h;
		final SplittableRandom rnd = new SplittableRandom(5);
		final float[][] planes = new float[d][n];
		final double[] u = { 1, 2, 0, -1, 0.5, 3 }, v = { 0, -1, 1, 1, 2, 0 };
		for (int i = 0; i < n; i++) {
			final double s = rnd.nextDouble() * 4 - 2, t = rnd.nextDouble() - 0.5;
			for (int c = 0; c < d; c++) planes[c][i] = (float) (7 + s * u[c] + t * v[c]);
		}
		final PlanarImage f = new PlanarImage(w, h, planes);
		final PlanarImage p = FeaturePca.project(f, 2);
		for (int t = 0; t < 500; t++) {
			final int i = rnd.nextInt(n), j = rnd.nextInt(n);
			assertEquals(distance(f, i, j), distance(p, i, j), 1e-4);
		}
		// first axis carries more variance than the second
		assertTrue(variance(p.plane(0)) > variance(p.plane(1)));
		assertEquals(0, mean(p.plane(0)), 1e-4);
	}

	@Test
	void covarianceMatchesNaiveSum() {
		// D = 7 (not a multiple of 4) and several pixel chunks.
		final PlanarImage f = latentFeatures(100, 51, 7, 3);
		final int n = f.pixels();
		final double[] m = new double[7];
		for (int c = 0; c < 7; c++) m[c] = mean(f.plane(c));
		final double[][] cov = FeaturePca.covariance(f.planes(), m, n, Progress.NONE);
		for (int i = 0; i < 7; i++) {
			for (int j = 0; j < 7; j++) {
				double s = 0;
				for (int p = 0; p < n; p++) s += (f.plane(i)[p] - m[i]) * (f.plane(j)[p] - m[j]);
				assertEquals(s, cov[i][j], 1e-9 * Math.abs(cov[i][i] + cov[j][j]), i + "," + j);
				assertEquals(cov[i][j], cov[j][i], 0);
			}
		}
	}

	@Test
	void bitIdenticalForAnyNumberOfThreads() throws Exception {
		final PlanarImage f = latentFeatures(120, 90, 10, 4);
		final ForkJoinPool pool1 = new ForkJoinPool(1), pool3 = new ForkJoinPool(3);
		try {
			final PlanarImage one = pool1.submit(() -> pcaNormalised(f)).get();
			final PlanarImage three = pool3.submit(() -> pcaNormalised(f)).get();
			assertTrue(one.sameAs(three));
		}
		finally {
			pool1.shutdown();
			pool3.shutdown();
		}
	}

	@Test
	void minMaxNormalisation() {
		final PlanarImage img = new PlanarImage(2, 2, new float[][] { { -1, 3, 1, 0 }, { 5, 5, 5, 5 }, { 2, 4, 3, 6 } });
		FeaturePca.normalizeMinMax(img);
		assertArrayEquals(new float[] { 0, 1, 0.5f, 0.25f }, img.plane(0), 0);
		assertArrayEquals(new float[] { 0, 0, 0, 0 }, img.plane(1), 0); // constant channel → zeros
		assertArrayEquals(new float[] { 0, 0.5f, 0.25f, 1 }, img.plane(2), 0);
	}

	@Test
	void rejectsBadArguments() {
		final PlanarImage f = PlanarImage.zeros(3, 3, 4);
		assertThrows(IllegalArgumentException.class, () -> FeaturePca.project(f, 5));
		assertThrows(IllegalArgumentException.class, () -> FeaturePca.project(f, 0));
		final PlanarImage nan = PlanarImage.zeros(2, 1, 1);
		nan.plane(0)[1] = Float.NaN;
		assertThrows(IllegalArgumentException.class, () -> FeaturePca.normalizeMinMax(nan));
	}

	private static double mean(final float[] p) {
		double s = 0;
		for (final float v : p) s += v;
		return s / p.length;
	}

	private static double variance(final float[] p) {
		final double m = mean(p);
		double s = 0;
		for (final float v : p) s += (v - m) * (v - m);
		return s / p.length;
	}
}
