package org.softsegments.sparsify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.softsegments.image.PlanarImage;
import org.softsegments.linalg.KMeans;
import org.softsegments.testing.ReferenceData;

/**
 * Grouping of the reference's 22 constrained layers of docia (320×320) with the reference's
 * features: with the reference's group ids our sums reproduce its grouped layers, the reference's
 * ids are a k-means fixed point of our signatures, and our own ids are reported next to them.
 */
class LayerGroupingReferenceTest {

	@Test
	void reproducesReferenceGroupSumsAndReportsIds() throws IOException {
		final ReferenceData ref = ReferenceData.docia();
		final PlanarImage f = ref.features();
		final int n = f.pixels();
		final double[][] layers = ReferenceData.toDouble(ref.planes("init_soft_segments"));
		final double[][] grouped = ReferenceData.toDouble(ref.planes("grouped_segments"));
		assertEquals(22, layers.length);
		final int[] refIds = ref.ints("group_ids");
		assertEquals(22, refIds.length);
		for (int k = 0; k < 22; k++) refIds[k]--;

		final double[][] sums = LayerGrouping.sumGroups(layers, refIds, 5);
		double maxErr = 0;
		for (int j = 0; j < 5; j++) {
			for (int p = 0; p < n; p++) maxErr = Math.max(maxErr, Math.abs(sums[j][p] - grouped[j][p]));
		}
		assertTrue(maxErr < 1e-5, "max |our sums − reference grouped layers| = " + maxErr);

		final double[] g = LayerGrouping.signatures(layers, f);
		final double refSse = KMeans.sse(g, 22, 3, refIds, 5);
		System.out.println("reference group ids: " + Arrays.toString(refIds) + "  signature SSE " + refSse);
		// our signatures are consistent with the reference's k-means: its ids are a Lloyd fixed point
		final double[] c = new double[15];
		final int[] count = new int[5];
		for (int k = 0; k < 22; k++) {
			count[refIds[k]]++;
			for (int t = 0; t < 3; t++) c[refIds[k] * 3 + t] += g[k * 3 + t];
		}
		for (int q = 0; q < 15; q++) c[q] /= count[q / 3];
		final KMeans.Result fixed = KMeans.cluster(g, 22, 3, 5, KMeans.Options.defaults().givenCentroids(c));
		assertArrayEquals(refIds, fixed.labels());
		for (long seed = 0; seed < 4; seed++) {
			final LayerGrouping.Result ours = LayerGrouping.groupWithIds(layers, f, 5, seed);
			assertEquals(5, ours.groups());
			for (int p = 0; p < n; p++) {
				double in = 0, out = 0;
				for (int k = 0; k < 22; k++) in += layers[k][p];
				for (int j = 0; j < 5; j++) out += ours.layers()[j][p];
				assertEquals(in, out, 1e-12);
			}
			System.out.println("our group ids seed " + seed + ": " + Arrays.toString(ours.ids()) + "  signature SSE "
				+ KMeans.sse(g, 22, 3, ours.ids(), 5) + (samePartition(ours.ids(), refIds) ? "  (= reference)" : ""));
		}
	}

	static boolean samePartition(final int[] a, final int[] b) {
		for (int i = 0; i < a.length; i++) {
			for (int j = 0; j < a.length; j++) {
				if ((a[i] == a[j]) != (b[i] == b[j])) return false;
			}
		}
		return true;
	}
}
