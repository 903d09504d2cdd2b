package org.softsegments.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.softsegments.core.Progress;
import org.softsegments.linalg.ShiftInvertEigensolver;
import org.softsegments.linalg.SparseMatrix;
import org.softsegments.linalg.SpectralBasis;
import org.softsegments.sparsify.ConstrainedSparsification.Acceleration;
import org.softsegments.sparsify.ConstrainedSparsification;

/**
 * Which constrained sparsification {@link SemanticSoftSegmentation#constrained} runs for which
 * settings: the reference path and {@code sampledGrams = false} give exactly
 * {@link Acceleration#NONE}; the fast path exactly {@link Acceleration#FAST} with the settings'
 * seed and {@link Settings#gramSamplesPerVector}, which changes the sample.
 */
class ConstrainedChoiceTest {

	private static final int W = 30, H = 30;
	private static SparseMatrix laplacian;
	private static SpectralBasis basis;
	private static int[] clusters;

	/** A 4-connected grid with weak edges along x = 15 and y = 15; 12 eigenvectors; 9 clusters in 3×3 blocks. */
	@BeforeAll
	static void scene() {
		final int n = W * H;
		final int[] r = new int[8 * n], c = new int[8 * n];
		final double[] v = new double[8 * n];
		int t = 0;
		for (int y = 0; y < H; y++) {
			for (int x = 0; x < W; x++) {
				final int p = x + y * W;
				for (int d = 0; d < 2; d++) {
					final int qx = x + (d == 0 ? 1 : 0), qy = y + (d == 1 ? 1 : 0);
					if (qx >= W || qy >= H) continue;
					final int q = qx + qy * W;
					final double w = (d == 0 && x == 14) || (d == 1 && y == 14) ? 0.001 : 1;
					r[t] = p; c[t] = q; v[t++] = -w;
					r[t] = q; c[t] = p; v[t++] = -w;
					r[t] = p; c[t] = p; v[t++] = w;
					r[t] = q; c[t] = q; v[t++] = w;
				}
			}
		}
		laplacian = SparseMatrix.fromTriplets(n, r, c, v, t);
		basis = ShiftInvertEigensolver.smallestMagnitude(laplacian, 12, 1, Progress.NONE);
		clusters = new int[n];
		for (int p = 0; p < n; p++) clusters[p] = (p % W) / 10 + 3 * ((p / W) / 10);
	}

	private static double[][] engine(final Settings s) {
		return SemanticSoftSegmentation.constrained(basis, laplacian, clusters, s, Progress.NONE);
	}

	private static double[][] direct(final Acceleration acc) {
		return ConstrainedSparsification.run(basis, laplacian, clusters, 9, ConstrainedSparsification.Params.DEFAULTS, acc,
			Progress.NONE).layers();
	}

	private static void assertSameLayers(final double[][] want, final double[][] got) {
		assertEquals(want.length, got.length);
		for (int k = 0; k < want.length; k++) assertArrayEquals(want[k], got[k], 0, "layer " + k);
	}

	@Test
	void referencePathAndUnsampledFastPathAreTheExactIteration() {
		final double[][] none = direct(Acceleration.NONE);
		assertSameLayers(none, engine(Settings.reference()));
		final Settings unsampled = new Settings();
		unsampled.sampledGrams = false;
		assertSameLayers(none, engine(unsampled));
	}

	@Test
	void fastPathUsesTheSettingsSeedAndSampleSize() {
		final Settings s = new Settings();
		s.seed = 5;
		s.gramSamplesPerVector = 3;
		final Acceleration want = Acceleration.FAST.withSeed(5).withSamplesPerVector(3);
		assertEquals(25, want.stride(W * H, 12), "strata of ⌊900 / (3 · 12)⌋ pixels");
		final double[][] got = engine(s);
		assertSameLayers(direct(want), got);
		// another sample size draws another sample: the layers differ
		s.gramSamplesPerVector = 24;
		final double[][] other = engine(s);
		boolean differs = other.length != got.length;
		for (int k = 0; k < Math.min(other.length, got.length) && !differs; k++) differs = !Arrays.equals(other[k], got[k]);
		assertTrue(differs, "24 samples per vector give other layers than 3");
		// layers still sum to one at every pixel (the last iteration is exact)
		for (int p = 0; p < W * H; p++) {
			double sum = 0;
			for (final double[] layer : got) sum += layer[p];
			assertEquals(1, sum, 1e-9, "sum at pixel " + p);
		}
	}

	@Test
	void sampleSizeIsValidated() {
		final Settings s = new Settings();
		s.gramSamplesPerVector = 0;
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, s::validate);
		assertTrue(e.getMessage().contains("gramSamplesPerVector"), e.getMessage());
		assertFalse(e.getMessage().isBlank());
	}
}
