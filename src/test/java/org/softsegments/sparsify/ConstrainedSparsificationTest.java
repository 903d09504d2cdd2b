package org.softsegments.sparsify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ForkJoinPool;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.softsegments.core.Progress;
import org.softsegments.core.SegmentationCancelledException;
import org.softsegments.linalg.SparseMatrix;
import org.softsegments.linalg.SpectralBasis;
import org.softsegments.sparsify.ConstrainedSparsification.Params;
import org.softsegments.sparsify.ConstrainedSparsification.Result;

class ConstrainedSparsificationTest {

	private static final int W = 20, H = 20, N = W * H, M = 12;
	private static SparseMatrix laplacian;
	private static SpectralBasis basis;

	@BeforeAll
	static void setUp() {
		laplacian = ConstrainedFixtures.gridLaplacian(W, H, 7);
		basis = ConstrainedFixtures.smallestEigenpairs(laplacian, M);
	}

	/** 8 Voronoi regions plus three single-pixel clusters 8, 9, 10 (too small to survive). */
	private static int[] labelsWithTinyClusters() {
		final int[] labels = ConstrainedFixtures.voronoiLabels(W, H, 8, 3);
		labels[5 + 5 * W] = 8;
		labels[14 + 3 * W] = 9;
		labels[2 + 17 * W] = 10;
		return labels;
	}

	/**
	 * First iterate = orthogonal projection of the indicators onto span(E). At the indicators
	 * every weight e0+e1 equals W = c(1 + 1e12), c = 0.3^0.8 ≈ 0.38, so A_k = T = W·EᵀE + Λ; the
	 * exact solution of the coupled system differs from the projection E Eᵀχ_k by terms of
	 * relative size 2c/W ≈ 2e-12 (the 0.38 weights of the "other" term) and ‖Λ‖/W ≈ 1e-11 here
	 * (largest eigenvalue used ≈ 0.6); Eᵀ(L·1) is rounding noise. The block system is well
	 * conditioned (I + MT ≈ K·I), so rounding adds ~1e-14. Observed: 1.7–1.9e-12 (the 2c/W
	 * term). Asserted: 1e-9 relative, a margin of ~100× over these bounds. The last layer matches too because 1 ∈ span(E) (λ = 0 vector of a
	 * graph Laplacian).
	 */
	@Test
	void firstIterateIsOrthogonalProjectionOfIndicators() {
		final int k = 6;
		final int[] labels = ConstrainedFixtures.voronoiLabels(W, H, k, 11);
		final double[][] alpha = ConstrainedSparsification.run(basis, laplacian, labels, k, Params.DEFAULTS.withIterations(1),
			Progress.NONE);
		assertEquals(k, alpha.length);
		assertTrue(basis.values()[M - 1] < 1, "fixture: eigenvalues small compared with the IRLS weights");
		for (int layer = 0; layer < k; layer++) {
			final double[] chi = new double[N];
			for (int p = 0; p < N; p++) chi[p] = labels[p] == layer ? 1 : 0;
			final double[] expected = ConstrainedFixtures.project(basis.vectors(), chi);
			double maxAbs = 0, maxErr = 0;
			for (int p = 0; p < N; p++) {
				maxAbs = Math.max(maxAbs, Math.abs(expected[p]));
				maxErr = Math.max(maxErr, Math.abs(expected[p] - alpha[layer][p]));
			}
			assertTrue(maxErr <= 1e-9 * maxAbs, "layer " + layer + ": relative deviation " + maxErr / maxAbs);
		}
	}

	/**
	 * Every IRLS iteration solves the linear system of spec §3.9 for the weights of the previous
	 * iteration's layers: checked against the reference's dense {@code (K−1)m} system, set up
	 * and solved (EJML LU) in the test ({@link ConstrainedFixtures.DenseStep}), at each of 12
	 * iterations, removals included: the relative residual of the implementation's coefficients,
	 * and the largest difference between its layers and those of the dense solution.
	 */
	@Test
	void everyIterationSolvesTheDenseSystemOfTheReference() {
		final Params params = Params.DEFAULTS.withIterations(12);
		final int[] labels = labelsWithTinyClusters();
		final double[][] start = new double[11][N];
		for (int p = 0; p < N; p++) start[labels[p]][p] = 1;
		final List<double[][]> before = new ArrayList<>(), after = new ArrayList<>();
		final double[][][] previous = { start };
		ConstrainedSparsification.solve(basis, laplacian, labels, 11, params, Progress.NONE, (iteration, layers, kept) -> {
			final double[][] copy = new double[layers.length][];
			for (int k = 0; k < layers.length; k++) copy[k] = layers[k].clone();
			before.add(previous[0]);
			after.add(copy);
			previous[0] = kept == null ? copy : java.util.Arrays.stream(kept).mapToObj(k -> copy[k]).toArray(double[][]::new);
		});
		assertEquals(12, after.size());
		for (int i = 0; i < after.size(); i++) {
			final ConstrainedFixtures.DenseStep dense = new ConstrainedFixtures.DenseStep(basis, laplacian, before.get(i), params);
			final double residual = dense.residual(after.get(i));
			final double difference = ConstrainedFixtures.relativeMaxDifference(after.get(i), dense.layers());
			assertTrue(residual <= DENSE_RESIDUAL, "iteration " + (i + 1) + ": relative residual " + residual);
			assertTrue(difference <= DENSE_DIFFERENCE, "iteration " + (i + 1) + ": layers differ from the dense solve by "
				+ difference + " (relative to the largest value)");
		}
	}

	/**
	 * Bounds of {@link #everyIterationSolvesTheDenseSystemOfTheReference}: a backward-stable solve
	 * leaves a residual of a few hundred rounding errors; the layers may differ by the residual
	 * times the condition number of the system (the weights span 1 … 4e11).
	 */
	static final double DENSE_RESIDUAL = 1e-10, DENSE_DIFFERENCE = 1e-7;

	@Test
	void layersSumToOneAtEveryPixel() {
		for (final int iterations : new int[] { 1, 12, 40 }) {
			final double[][] alpha = ConstrainedSparsification.run(basis, laplacian, labelsWithTinyClusters(), 11,
				Params.DEFAULTS.withIterations(iterations), Progress.NONE);
			for (int p = 0; p < N; p++) {
				double sum = 0;
				for (final double[] layer : alpha) sum += layer[p];
				assertEquals(1, sum, 1e-9, "pixel " + p + " after " + iterations + " iterations");
			}
		}
	}

	/** Removal happens exactly at iterations 11, 21, 31 and drops exactly the layers with max|α| ≤ 0.1. */
	@Test
	void removalScheduleDefault() {
		checkRemovalSchedule(40, List.of(11, 21, 31));
	}

	/** With 20 iterations: R = ceil(20/4) = 5, removal at 6, 11 and 16 (spec §3.13). */
	@Test
	void removalScheduleTwentyIterations() {
		checkRemovalSchedule(20, List.of(6, 11, 16));
	}

	private static void checkRemovalSchedule(final int iterations, final List<Integer> removalIterations) {
		final List<Integer> seenRemovals = new ArrayList<>();
		final boolean[] smallLayerKeptElsewhere = { false };
		final int[] removedTotal = { 0 };
		final Result result = ConstrainedSparsification.solve(basis, laplacian, labelsWithTinyClusters(), 11,
			Params.DEFAULTS.withIterations(iterations), Progress.NONE, (iteration, layers, kept) -> {
				final double[] max = new double[layers.length];
				for (int k = 0; k < layers.length; k++) for (final double v : layers[k]) max[k] = Math.max(max[k], Math.abs(v));
				if (kept != null) {
					seenRemovals.add(iteration);
					final int[] expected = java.util.stream.IntStream.range(0, layers.length).filter(k -> max[k] > 0.1).toArray();
					assertArrayEquals(expected, kept, "iteration " + iteration);
					removedTotal[0] += layers.length - kept.length;
				}
				else if (Arrays.stream(max).anyMatch(v -> v <= 0.1)) {
					smallLayerKeptElsewhere[0] = true;
				}
			});
		assertEquals(removalIterations, seenRemovals);
		assertTrue(removedTotal[0] >= 3, "the three single-pixel clusters must be removed");
		assertTrue(smallLayerKeptElsewhere[0], "small layers exist at non-removal iterations and are not dropped there");
		final int[] counts = result.layerCounts();
		assertEquals(iterations, counts.length);
		for (int i = 1; i < iterations; i++) {
			if (!removalIterations.contains(i + 1)) assertEquals(counts[i - 1], counts[i], "count changed at iteration " + (i + 1));
		}
		assertEquals(result.layers().length, counts[iterations - 1]);
		assertEquals(11 - removedTotal[0], result.layers().length);
	}

	@Test
	void keptLayersKeepsOrderAndAtLeastOne() {
		final double[][] a = { { 0.05, -0.2 }, { 0.1, 0 }, { 0.5, 0.3 }, { -0.09, 0.01 } };
		assertArrayEquals(new int[] { 0, 2 }, ConstrainedSparsification.keptLayers(a, 0.1));
		assertArrayEquals(new int[] { 2 }, ConstrainedSparsification.keptLayers(a, 0.6));
	}

	@Test
	void bitIdenticalOnOneAndTwoThreads() throws Exception {
		final Params params = Params.DEFAULTS.withIterations(13);
		final double[][] one = new ForkJoinPool(1).submit(() -> ConstrainedSparsification.run(basis, laplacian,
			labelsWithTinyClusters(), 11, params, Progress.NONE)).get();
		final double[][] two = new ForkJoinPool(2).submit(() -> ConstrainedSparsification.run(basis, laplacian,
			labelsWithTinyClusters(), 11, params, Progress.NONE)).get();
		assertEquals(one.length, two.length);
		for (int k = 0; k < one.length; k++) assertArrayEquals(one[k], two[k], 0);
	}

	@Test
	void reportsProgressAndHonoursCancellation() {
		final List<Double> fractions = new ArrayList<>();
		ConstrainedSparsification.run(basis, laplacian, labelsWithTinyClusters(), 11, Params.DEFAULTS.withIterations(3),
			(stage, f) -> fractions.add(f));
		assertEquals(List.of(0.0, 1 / 3.0, 2 / 3.0, 1.0), fractions);
		final Progress cancelled = new Progress() {

			@Override
			public void report(final String stage, final double fraction) {}

			@Override
			public boolean isCancelled() {
				return true;
			}
		};
		assertThrows(SegmentationCancelledException.class, () -> ConstrainedSparsification.run(basis, laplacian,
			labelsWithTinyClusters(), 11, Params.DEFAULTS, cancelled));
	}

	@Test
	void rejectsBadInput() {
		final int[] labels = labelsWithTinyClusters();
		final Params p = Params.DEFAULTS;
		assertMessage("outside 0", () -> ConstrainedSparsification.run(basis, laplacian, labels, 10, p, null));
		final int[] negative = labels.clone();
		negative[3] = -1;
		assertMessage("outside 0", () -> ConstrainedSparsification.run(basis, laplacian, negative, 11, p, null));
		assertMessage("initialLabels has", () -> ConstrainedSparsification.run(basis, laplacian, Arrays.copyOf(labels, N - 1), 11, p,
			null));
		assertMessage("initialCount", () -> ConstrainedSparsification.run(basis, laplacian, new int[N], 1, p, null));
		final double[][] v = basis.vectors().clone();
		v[3] = new double[N + 1];
		assertMessage("basis vector 3", () -> ConstrainedSparsification.run(new SpectralBasis(v, basis.values()), laplacian,
			labels, 11, p, null));
		final SparseMatrix small = ConstrainedFixtures.gridLaplacian(W, H - 1, 1);
		assertMessage("laplacian", () -> ConstrainedSparsification.run(basis, small, labels, 11, p, null));
		assertMessage("params", () -> ConstrainedSparsification.run(basis, laplacian, labels, 11, null, null));
		assertMessage("gamma", () -> new Params(2, 0.3, 0.3, 40, 0.1, 1e-10, 1));
		assertMessage("iterations", () -> p.withIterations(0));
		assertMessage("clamp", () -> new Params(0.8, 0.3, 0.3, 40, 0.1, 0, 1));
		assertMessage("w0", () -> new Params(0.8, Double.NaN, 0.3, 40, 0.1, 1e-10, 1));
	}

	private static void assertMessage(final String fragment, final org.junit.jupiter.api.function.Executable call) {
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
		assertTrue(e.getMessage().contains(fragment), "message '" + e.getMessage() + "' should mention '" + fragment + "'");
	}
}
