package org.softsegments.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.softsegments.core.Progress;
import org.softsegments.testing.ReferenceData;

/**
 * Splitting k-means (k = 40) on the reference's 3-channel features of docia at 320×320 versus the
 * reference's own initial clustering: same kind of partition, SSE not much worse.
 */
class SplittingKMeansReferenceTest {

	/**
	 * The reference features as points (row-major N×3, pixel p = x + y·w, sample / 255 in double);
	 * {@code size} receives w, h.
	 */
	static double[] features(final ReferenceData ref, final int[] size) throws IOException {
		final ReferenceData.DoubleRgb rgb = ReferenceData.readPngAsDouble(ref.file("features.png"));
		final double[][] f = rgb.planes();
		size[0] = rgb.width();
		size[1] = rgb.height();
		final int n = f[0].length;
		final double[] x = new double[n * 3];
		for (int p = 0; p < n; p++) {
			for (int c = 0; c < 3; c++) x[3 * p + c] = f[c][p];
		}
		return x;
	}

	@Test
	void docia40ClustersNotMuchWorseThanReference() throws IOException {
		final ReferenceData data = ReferenceData.docia();
		final int[] size = new int[2];
		final double[] x = features(data, size);
		final int n = size[0] * size[1];
		final int[] ref = data.labels("init_kmeans_labels");
		final long t0 = System.nanoTime();
		final int[] ours = SplittingKMeans.cluster(x, n, 3, 40, 5, 7, 100, 13, 1L, Progress.NONE);
		final double seconds = (System.nanoTime() - t0) / 1e9;
		final int[] oursSizes = SplittingKMeansTest.sizes(ours);
		final int[] refSizes = SplittingKMeansTest.sizes(ref);
		assertEquals(40, oursSizes.length);
		assertEquals(40, refSizes.length);
		final double sseOurs = KMeans.sse(x, n, 3, ours, 40);
		final double sseRef = KMeans.sse(x, n, 3, ref, 40);
		final int[] so = oursSizes.clone(), sr = refSizes.clone();
		Arrays.sort(so);
		Arrays.sort(sr);
		System.out.printf("docia 320x320 splitting k-means k=40: %.2f s; SSE ours %.4f, reference %.4f (ratio %.4f)%n",
			seconds, sseOurs, sseRef, sseOurs / sseRef);
		System.out.println("  sorted sizes ours: " + Arrays.toString(so));
		System.out.println("  sorted sizes ref:  " + Arrays.toString(sr));
		for (final int s : oursSizes) assertTrue(s > 0);
		assertTrue(sseOurs <= 1.2 * sseRef, "SSE " + sseOurs + " vs reference " + sseRef);
	}
}
