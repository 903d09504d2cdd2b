package org.softsegments.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.softsegments.core.Progress;
import org.softsegments.core.SegmentationCancelledException;

class SplittingKMeansTest {

	/** {@code count} well separated centres on a 3-D grid with spacing 1. */
	static double[][] gridCentres(final int count) {
		final double[][] c = new double[count][];
		for (int b = 0; b < count; b++) c[b] = new double[] { b % 3, (b / 3) % 3, b / 9 };
		return c;
	}

	static int[] sizes(final int[] labels) {
		int max = -1;
		for (final int l : labels) max = Math.max(max, l);
		final int[] s = new int[max + 1];
		for (final int l : labels) s[l]++;
		return s;
	}

	@Test
	void recoversTwelveBlobsExactly() {
		final KMeansTest.Blobs b = KMeansTest.blobs(gridCentres(12), 80, 0.05, 4);
		final int[] labels = SplittingKMeans.cluster(b.points(), b.n(), 3, 12, 5, 7, 100, 13, 1L, Progress.NONE);
		assertEquals(12, sizes(labels).length);
		assertTrue(KMeansTest.samePartition(labels, b.truth(), 12));
	}

	@Test
	void returnsExactlyKNonEmptyClustersBeyondTheRefinementLimit() {
		// 18 blobs, k = 30: exercises the c >= 13 path (no refinement, stale distances)
		final KMeansTest.Blobs b = KMeansTest.blobs(gridCentres(18), 60, 0.05, 5);
		final int[] labels = SplittingKMeans.cluster(b.points(), b.n(), 3, 30, 5, 7, 100, 13, 2L, Progress.NONE);
		final int[] s = sizes(labels);
		assertEquals(30, s.length);
		for (final int v : s) assertTrue(v > 0);
		// each cluster lies inside one blob (over-segmentation of well separated blobs)
		final int[] blobOf = new int[30];
		java.util.Arrays.fill(blobOf, -1);
		for (int i = 0; i < b.n(); i++) {
			final int l = labels[i];
			if (blobOf[l] == -1) blobOf[l] = b.truth()[i];
			assertEquals(blobOf[l], b.truth()[i], "cluster " + l + " straddles two blobs");
		}
	}

	@Test
	void stopsWithFewerClustersWhenNothingCanBeSplit() {
		// 5 tight blobs of 4 points in 3-D: after the first 5-means every cluster has <= 2·dim = 6
		// points, so none can be split and 5 clusters come back instead of 10
		final KMeansTest.Blobs b = KMeansTest.blobs(KMeansTest.FIVE_CENTRES, 4, 0.01, 6);
		final int[] labels = SplittingKMeans.cluster(b.points(), b.n(), 3, 10, 5, 7, 100, 13, 3L, Progress.NONE);
		assertArrayEquals(new int[] { 4, 4, 4, 4, 4 }, sizes(labels));
		assertTrue(KMeansTest.samePartition(labels, b.truth(), 5));
	}

	@Test
	void sevenPointsCanBeSplitButSixCannot() {
		final double[] seven = { 0, 0.1, 0.2, 5, 5.1, 5.2, 5.3 };
		assertEquals(2, sizes(SplittingKMeans.cluster(seven, 7, 1, 2, 1, 1, 100, 13, 0L, Progress.NONE)).length);
		// dim 1: threshold 2·dim = 2, so here even 3 points split; use dim 3 for the 6-point case
		final double[] six = { 0, 0, 0, 0.1, 0, 0, 0.2, 0, 0, 5, 0, 0, 5.1, 0, 0, 5.2, 0, 0 };
		assertArrayEquals(new int[] { 6 }, sizes(SplittingKMeans.cluster(six, 6, 3, 2, 1, 1, 100, 13, 0L, Progress.NONE)));
		final double[] sevenIn3d = new double[21];
		System.arraycopy(six, 0, sevenIn3d, 0, 18);
		sevenIn3d[18] = 5.3;
		final int[] labels = SplittingKMeans.cluster(sevenIn3d, 7, 3, 2, 1, 1, 100, 13, 0L, Progress.NONE);
		assertTrue(KMeansTest.samePartition(labels, new int[] { 0, 0, 0, 1, 1, 1, 1 }, 2));
	}

	@Test
	void deterministicOnAnyPoolSize() throws Exception {
		// more points than one chunk so that the parallel loops really split
		final KMeansTest.Blobs b = KMeansTest.blobs(gridCentres(9), 2000, 0.25, 8);
		final int[] ref = SplittingKMeans.cluster(b.points(), b.n(), 3, 16, 5, 3, 100, 13, 77L, Progress.NONE);
		for (final int threads : new int[] { 1, 2 }) {
			final ForkJoinPool pool = new ForkJoinPool(threads);
			try {
				final int[] r = pool.submit(() -> SplittingKMeans.cluster(b.points(), b.n(), 3, 16, 5, 3, 100, 13, 77L,
					Progress.NONE)).get();
				assertArrayEquals(ref, r, "pool of " + threads);
			}
			finally {
				pool.shutdown();
				pool.awaitTermination(10, TimeUnit.SECONDS);
			}
		}
	}

	@Test
	void reportsProgressAndHonoursCancellation() {
		final KMeansTest.Blobs b = KMeansTest.blobs(gridCentres(9), 50, 0.05, 9);
		final List<Double> fractions = new ArrayList<>();
		SplittingKMeans.cluster(b.points(), b.n(), 3, 9, 5, 2, 100, 13, 1L, (stage, f) -> {
			assertEquals(SplittingKMeans.STAGE, stage);
			fractions.add(f);
		});
		assertEquals(0.0, fractions.get(0));
		assertEquals(1.0, fractions.get(fractions.size() - 1));
		for (int i = 1; i < fractions.size(); i++) assertTrue(fractions.get(i) >= fractions.get(i - 1));

		final Progress cancelled = new Progress() {

			@Override
			public void report(final String stage, final double fraction) {}

			@Override
			public boolean isCancelled() {
				return true;
			}
		};
		assertThrows(SegmentationCancelledException.class,
			() -> SplittingKMeans.cluster(b.points(), b.n(), 3, 9, 5, 2, 100, 13, 1L, cancelled));
	}

	@Test
	void rejectsBadInput() {
		final double[] x = { 0, 1, 2 };
		KMeansTest.assertMessage("exceeds", () -> SplittingKMeans.cluster(x, 3, 1, 4, 5, 7, 100, 13, 0L, Progress.NONE));
		KMeansTest.assertMessage("k must be >= 1",
			() -> SplittingKMeans.cluster(x, 3, 1, 0, 5, 7, 100, 13, 0L, Progress.NONE));
		KMeansTest.assertMessage("startK", () -> SplittingKMeans.cluster(x, 3, 1, 2, 0, 7, 100, 13, 0L, Progress.NONE));
		KMeansTest.assertMessage("non-finite", () -> SplittingKMeans.cluster(new double[] { 0, Double.NaN, 2 }, 3, 1, 2,
			5, 7, 100, 13, 0L, Progress.NONE));
	}
}
