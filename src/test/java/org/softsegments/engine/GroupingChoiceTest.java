package org.softsegments.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;
import org.softsegments.image.PlanarImage;
import org.softsegments.linalg.SparseMatrix;
import org.softsegments.sparsify.AffinityPreMerge;
import org.softsegments.sparsify.LayerGrouping;
import org.softsegments.sparsify.MassWeightedGrouping;

/**
 * Which grouping {@link SemanticSoftSegmentation#group} runs for which settings: switching
 * {@link Settings#affinityPreMerge} off gives exactly {@link MassWeightedGrouping}, and on it is
 * exactly {@link AffinityPreMerge} to 2K followed by that grouping, which keeps apart what
 * the Laplacian separates.
 */
class GroupingChoiceTest {

	private static final int PIXELS = 16;

	/** Path graph 0–…–15, affinity 1 everywhere but 0.01 between pixels 7 and 8. */
	private static SparseMatrix path() {
		final int edges = PIXELS - 1;
		final int[] r = new int[4 * edges], c = new int[4 * edges];
		final double[] v = new double[4 * edges];
		int t = 0;
		for (int a = 0; a < edges; a++) {
			final double w = a == 7 ? 0.01 : 1;
			final int b = a + 1;
			r[t] = a; c[t] = b; v[t++] = -w;
			r[t] = b; c[t] = a; v[t++] = -w;
			r[t] = a; c[t] = a; v[t++] = w;
			r[t] = b; c[t] = b; v[t++] = w;
		}
		return SparseMatrix.fromTriplets(PIXELS, r, c, v, t);
	}

	/** Eight soft segments, runs of two pixels, with a 0.25 overlap into the next run. */
	private static double[][] segments() {
		final double[][] s = new double[8][PIXELS];
		for (int k = 0; k < 8; k++) {
			s[k][2 * k] = 1;
			s[k][2 * k + 1] = k < 7 ? 0.75 : 1;
			if (k > 0) s[k][2 * k - 1] = 0.25;
		}
		return s;
	}

	/** One feature channel alternating between runs, so colour alone would interleave the halves. */
	private static PlanarImage features() {
		final float[] f = new float[PIXELS];
		for (int i = 0; i < PIXELS; i++) f[i] = (i / 2) % 2 == 0 ? 0.1f : 0.9f;
		return new PlanarImage(PIXELS, 1, new float[][] { f });
	}

	private static Settings fast(final int layers, final boolean preMerge) {
		final Settings s = new Settings();
		s.layers = layers;
		s.seed = 3;
		s.affinityPreMerge = preMerge;
		return s;
	}

	/** The facade's grouping for these settings is exactly {@link MassWeightedGrouping}'s. */
	private static void assertMassWeightedGrouping(final Settings s) {
		final LayerGrouping.Result got = SemanticSoftSegmentation.group(segments(), path(), features(), s);
		final LayerGrouping.Result want = MassWeightedGrouping.group(segments(), features(), s.layers,
			MassWeightedGrouping.REPLICATES, s.seed);
		assertArrayEquals(want.ids(), got.ids());
		for (int k = 0; k < s.layers; k++) assertArrayEquals(want.layers()[k], got.layers()[k], 0);
	}

	@Test
	void withoutThePreMergeTheGroupingIsExactlyTheMassWeightedOne() {
		assertMassWeightedGrouping(fast(2, false));
	}

	@Test
	void withFewSegmentsThePreMergeIsSkipped() {
		assertMassWeightedGrouping(fast(4, true)); // 8 segments, K = 4: 2K = 8, nothing to pre-merge
	}

	@Test
	void withThePreMergeTheGroupingIsItsCompositionAndRespectsTheWeakEdge() {
		final double[][] segments = segments();
		final Settings s = fast(2, true);
		final LayerGrouping.Result got = SemanticSoftSegmentation.group(segments, path(), features(), s);
		final int[] pre = AffinityPreMerge.merge(segments, path(), 2 * s.layers);
		final LayerGrouping.Result second = MassWeightedGrouping.group(LayerGrouping.sumGroups(segments, pre, 2 * s.layers),
			features(), s.layers, MassWeightedGrouping.REPLICATES, s.seed);
		for (int k = 0; k < segments.length; k++) assertEquals(second.ids()[pre[k]], got.ids()[k], "segment " + k);
		// the pre-merge never joins across the weak edge between pixels 7 and 8 (segments 0–3 | 4–7)
		for (int a = 0; a < 4; a++) {
			for (int b = 4; b < 8; b++) assertNotEquals(pre[a], pre[b], "segments " + a + ", " + b);
		}
		// while the features alone group alternate runs together
		final int[] colourOnly = SemanticSoftSegmentation.group(segments, path(), features(), fast(2, false)).ids();
		for (int k = 0; k < 8; k++) assertEquals(colourOnly[k % 2], colourOnly[k], "segment " + k);
		assertNotEquals(colourOnly[0], colourOnly[1]);
		// the layers are the sums of their segments: per-pixel totals are kept exactly
		for (int i = 0; i < PIXELS; i++) {
			double before = 0, after = 0;
			for (final double[] segment : segments) before += segment[i];
			for (final double[] l : got.layers()) after += l[i];
			assertEquals(before, after, 1e-15, "pixel " + i);
		}
	}
}
