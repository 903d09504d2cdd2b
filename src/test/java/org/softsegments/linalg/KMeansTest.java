package org.softsegments.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class KMeansTest {

	/** Gaussian blobs: {@code points} plus the true blob of each point. */
	record Blobs(double[] points, int[] truth, int n, int dim) {}

	static Blobs blobs(final double[][] centres, final int perBlob, final double sigma, final long seed) {
		final int dim = centres[0].length;
		final int n = centres.length * perBlob;
		final double[] x = new double[n * dim];
		final int[] truth = new int[n];
		final Random r = new Random(seed);
		for (int i = 0; i < n; i++) {
			// interleave blobs so that no blob occupies a contiguous index range
			final int b = i % centres.length;
			truth[i] = b;
			for (int t = 0; t < dim; t++) x[i * dim + t] = centres[b][t] + sigma * r.nextGaussian();
		}
		return new Blobs(x, truth, n, dim);
	}

	static final double[][] FIVE_CENTRES = { { 0, 0, 0 }, { 1, 0, 0 }, { 0, 1, 0 }, { 0, 0, 1 }, { 1, 1, 1 } };

	/** True if {@code labels} equals {@code truth} up to a bijective renaming. */
	static boolean samePartition(final int[] labels, final int[] truth, final int k) {
		final int[] map = new int[k];
		final int[] inverse = new int[k];
		Arrays.fill(map, -1);
		Arrays.fill(inverse, -1);
		for (int i = 0; i < labels.length; i++) {
			final int t = truth[i], l = labels[i];
			if (map[t] == -1 && inverse[l] == -1) {
				map[t] = l;
				inverse[l] = t;
			}
			else if (map[t] != l || inverse[l] != t) {
				return false;
			}
		}
		return true;
	}

	@Test
	void recoversBlobsWithEveryStartMode() {
		final Blobs b = blobs(FIVE_CENTRES, 120, 0.05, 7);
		for (final KMeans.Start s : new KMeans.Start[] { KMeans.Start.SAMPLE, KMeans.Start.CLUSTER,
			KMeans.Start.PLUS })
		{
			final KMeans.Result r = KMeans.cluster(b.points(), b.n(), 3, 5,
				KMeans.Options.defaults().start(s).replicates(5).seed(42));
			assertTrue(samePartition(r.labels(), b.truth(), 5), "start " + s);
			assertTrue(r.converged(), "start " + s);
			assertEquals(KMeans.sse(b.points(), b.n(), 3, r.labels(), 5), r.sse(), 1e-12);
		}
		// GIVEN: rough centres, deliberately in another order
		final double[] given = { 0.9, 0.9, 0.8, 0.2, 0.1, 0.1, 0.1, 0.2, 0.8, 0.8, 0.1, 0.2, 0.1, 0.8, 0.1 };
		final KMeans.Result r = KMeans.cluster(b.points(), b.n(), 3, 5, KMeans.Options.defaults().givenCentroids(given));
		assertTrue(samePartition(r.labels(), b.truth(), 5));
		assertEquals(1, r.labels()[0]); // blob 0 (origin) is nearest to given centroid 1
		assertEquals(0, r.labels()[4]); // blob 4 (1,1,1) to given centroid 0
	}

	@Test
	void exactLloydTraceOnTinyInput() {
		final double[] x = { 0, 1, 2, 10, 11, 12 };
		final KMeans.Result r = KMeans.cluster(x, 6, 1, 2,
			KMeans.Options.defaults().givenCentroids(new double[] { 0, 1 }).computeDistances(true));
		assertArrayEquals(new int[] { 0, 0, 0, 1, 1, 1 }, r.labels());
		assertArrayEquals(new double[] { 1, 11 }, r.centroids(), 0);
		assertEquals(4, r.sse(), 0);
		assertEquals(2, r.iterations());
		assertTrue(r.converged());
		assertArrayEquals(new double[] { 1, 121, 0, 100, 1, 81, 81, 1, 100, 0, 121, 1 }, r.distances(), 0);
		assertArrayEquals(new double[] { 4 }, r.replicateSse(), 0);
	}

	@Test
	void iterationLimitStopsEarly() {
		final double[] x = { 0, 1, 2, 10, 11, 12 };
		final KMeans.Result r = KMeans.cluster(x, 6, 1, 2,
			KMeans.Options.defaults().givenCentroids(new double[] { 0, 1 }).maxIterations(1));
		// one centroid update (0, 7.2) and no reassignment
		assertArrayEquals(new int[] { 0, 1, 1, 1, 1, 1 }, r.labels());
		assertArrayEquals(new double[] { 0, 7.2 }, r.centroids(), 1e-15);
		assertEquals(1, r.iterations());
		assertFalse(r.converged());
		assertNull(r.distances());
	}

	@Test
	void emptyClusterIsReseededWithFarthestPoint() {
		// centroid 2 (at 100) gets no point: the farthest point from its own centroid (ties: the
		// lowest index, point 0 at distance 0.25) becomes a singleton cluster
		final double[] x = { 0, 1, 10, 11 };
		final KMeans.Result r = KMeans.cluster(x, 4, 1, 3,
			KMeans.Options.defaults().givenCentroids(new double[] { 0.5, 10.5, 100 }));
		assertArrayEquals(new int[] { 2, 0, 1, 1 }, r.labels());
		assertArrayEquals(new double[] { 1, 10.5, 0 }, r.centroids(), 0);
		assertEquals(0.5, r.sse(), 0);
		assertArrayEquals(new int[] { 1, 2, 1 }, r.sizes());
	}

	@Test
	void emptyClusterTakesFromNonSingletonWhenFarthestIsAlone() {
		// all points sit on their centroids, so the "farthest" is point 0, alone in cluster 0:
		// the first point of the first cluster with >= 2 members (point 1) is taken instead
		final double[] x = { 0, 5, 5 };
		final KMeans.Result r = KMeans.cluster(x, 3, 1, 3,
			KMeans.Options.defaults().givenCentroids(new double[] { 0, 5, 9 }));
		assertArrayEquals(new int[] { 0, 2, 1 }, r.labels());
		assertArrayEquals(new double[] { 0, 5, 5 }, r.centroids(), 0);
		assertEquals(0, r.sse(), 0);
	}

	@Test
	void emptyClustersInTwoDimensionsAllGetFilled() {
		// three far-away given centroids: only one attracts the points
		final Blobs b = blobs(new double[][] { { 0, 0 }, { 3, 0 }, { 0, 3 } }, 30, 0.1, 3);
		final KMeans.Result r = KMeans.cluster(b.points(), b.n(), 2, 3,
			KMeans.Options.defaults().givenCentroids(new double[] { 1, 1, 50, 50, -50, 60 }));
		for (final int s : r.sizes()) assertTrue(s > 0);
		assertTrue(r.converged());
		// a converged Lloyd result: every point sits in one of its nearest clusters
		for (int i = 0; i < b.n(); i++) {
			double own = 0, best = Double.POSITIVE_INFINITY;
			for (int j = 0; j < 3; j++) {
				double d = 0;
				for (int t = 0; t < 2; t++) d += Math.pow(b.points()[i * 2 + t] - r.centroids()[j * 2 + t], 2);
				if (j == r.labels()[i]) own = d;
				best = Math.min(best, d);
			}
			assertEquals(best, own, 0);
		}
	}

	@Test
	void replicatesKeepTheLowestSse() {
		// unequal blobs and SAMPLE starts: some replicates end in a local minimum
		final double[][] centres = { { 0, 0 }, { 0.6, 0 }, { 5, 0 }, { 5, 0.6 }, { 10, 10 }, { 20, 0 } };
		final Blobs b = blobs(centres, 40, 0.08, 11);
		final KMeans.Options o = KMeans.Options.defaults().start(KMeans.Start.SAMPLE).seed(5);
		final KMeans.Result many = KMeans.cluster(b.points(), b.n(), 2, 6, o.replicates(12));
		final double[] all = many.replicateSse();
		assertEquals(12, all.length);
		double min = Double.POSITIVE_INFINITY, max = 0;
		int first = -1;
		for (int r = 0; r < all.length; r++) {
			if (all[r] < min) {
				min = all[r];
				first = r;
			}
			max = Math.max(max, all[r]);
		}
		assertTrue(max > 1.5 * min, "data must have local minima for this test to mean something: " + Arrays.toString(all));
		assertEquals(min, many.sse(), 0);
		assertEquals(KMeans.sse(b.points(), b.n(), 2, many.labels(), 6), many.sse(), 1e-12);
		// the starts of replicate r only depend on the stream prefix: fewer replicates = prefix
		for (final int count : new int[] { 1, first + 1 }) {
			final KMeans.Result few = KMeans.cluster(b.points(), b.n(), 2, 6, o.replicates(count));
			assertArrayEquals(Arrays.copyOf(all, count), few.replicateSse(), 0);
		}
		assertTrue(samePartition(many.labels(), b.truth(), 6));
	}

	@Test
	void sameSeedGivesBitIdenticalResultsOnAnyPoolSize() throws Exception {
		// > 3 chunks of points so that the parallel loops really split
		final Blobs b = blobs(FIVE_CENTRES, 6000, 0.3, 1);
		for (final KMeans.Start s : new KMeans.Start[] { KMeans.Start.CLUSTER, KMeans.Start.PLUS }) {
			final KMeans.Options o = KMeans.Options.defaults().start(s).replicates(2).seed(123).computeDistances(true);
			final KMeans.Result ref = KMeans.cluster(b.points(), b.n(), 3, 7, o);
			final KMeans.Result again = KMeans.cluster(b.points(), b.n(), 3, 7, o);
			assertIdentical(ref, again);
			for (final int threads : new int[] { 1, 2, 3 }) {
				final ForkJoinPool pool = new ForkJoinPool(threads);
				try {
					final KMeans.Result r = pool.submit(() -> KMeans.cluster(b.points(), b.n(), 3, 7, o)).get();
					assertIdentical(ref, r);
				}
				finally {
					pool.shutdown();
					pool.awaitTermination(10, TimeUnit.SECONDS);
				}
			}
		}
	}

	static void assertIdentical(final KMeans.Result a, final KMeans.Result b) {
		assertArrayEquals(a.labels(), b.labels());
		assertArrayEquals(a.centroids(), b.centroids(), 0);
		assertArrayEquals(a.distances(), b.distances(), 0);
		assertArrayEquals(a.replicateSse(), b.replicateSse(), 0);
		assertEquals(Double.doubleToRawLongBits(a.sse()), Double.doubleToRawLongBits(b.sse()));
		assertEquals(a.iterations(), b.iterations());
	}

	@Test
	void differentSeedsCanDiffer() {
		final Blobs b = blobs(FIVE_CENTRES, 50, 0.4, 2);
		final KMeans.Options o = KMeans.Options.defaults().start(KMeans.Start.SAMPLE);
		boolean differs = false;
		final KMeans.Result first = KMeans.cluster(b.points(), b.n(), 3, 9, o.seed(0));
		for (long s = 1; s < 10 && !differs; s++) {
			differs = !Arrays.equals(first.labels(), KMeans.cluster(b.points(), b.n(), 3, 9, o.seed(s)).labels());
		}
		assertTrue(differs);
	}

	@Test
	void plusPlusWithDuplicatePointsStillFillsEveryCluster() {
		final double[] x = { 1, 1, 1, 1, 2, 2 }; // only 2 distinct values, k = 3
		final KMeans.Result r = KMeans.cluster(x, 6, 1, 3, KMeans.Options.defaults().seed(9));
		for (final int s : r.sizes()) assertTrue(s > 0);
		assertEquals(0, r.sse(), 0);
	}

	@Test
	void kEqualsNGivesSingletons() {
		final double[] x = { 3, 1, 2 };
		final KMeans.Result r = KMeans.cluster(x, 3, 1, 3, KMeans.Options.defaults().start(KMeans.Start.CLUSTER));
		assertArrayEquals(new int[] { 1, 1, 1 }, r.sizes());
		assertEquals(0, r.sse(), 0);
	}

	@Test
	void rejectsBadInput() {
		final double[] x = { 0, 1, 2, 3 };
		final KMeans.Options o = KMeans.Options.defaults();
		assertMessage("k must be >= 1", () -> KMeans.cluster(x, 4, 1, 0, o));
		assertMessage("exceeds the number of points", () -> KMeans.cluster(x, 4, 1, 5, o));
		assertMessage("n·dim", () -> KMeans.cluster(x, 3, 1, 2, o));
		assertMessage("non-finite", () -> KMeans.cluster(new double[] { 0, Double.NaN, 1, 2 }, 2, 2, 1, o));
		assertMessage("k·dim", () -> KMeans.cluster(x, 4, 1, 2, o.givenCentroids(new double[] { 1 })));
		assertMessage("only 1 replicate",
			() -> KMeans.cluster(x, 4, 1, 2, o.givenCentroids(new double[] { 1, 2 }).replicates(2)));
		assertMessage("maxIterations", () -> o.maxIterations(0));
		assertMessage("replicates", () -> o.replicates(0));
	}

	@Test
	void distanceBoundsGiveBitIdenticalResultsToBruteForce() {
		final Random r = new Random(99);
		for (int trial = 0; trial < 24; trial++) {
			final int dim = 1 + trial % 5;
			final int n = 200 + r.nextInt(9000);
			final int k = 1 + r.nextInt(12);
			final double[] x = new double[n * dim];
			final boolean grid = trial % 3 == 0; // integer grid: many exact ties
			final double offset = trial % 4 == 1 ? 1e6 : 0; // large magnitudes
			for (int i = 0; i < x.length; i++) {
				x[i] = offset + (grid ? r.nextInt(4) : (i / dim) % 5 + 0.7 * r.nextGaussian());
			}
			final KMeans.Start start = KMeans.Start.values()[trial % 3];
			final KMeans.Options o = KMeans.Options.defaults().start(start).replicates(2).seed(trial)
				.computeDistances(true);
			final KMeans.Result fast = KMeans.cluster(x, n, dim, k, o, true);
			final KMeans.Result slow = KMeans.cluster(x, n, dim, k, o, false);
			assertIdentical(slow, fast);
		}
	}

	static void assertMessage(final String part, final org.junit.jupiter.api.function.Executable call) {
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
		assertTrue(e.getMessage().contains(part), e.getMessage());
	}
}
