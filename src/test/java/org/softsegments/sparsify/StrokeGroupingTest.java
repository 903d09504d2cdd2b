package org.softsegments.sparsify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.softsegments.core.Progress;
import org.softsegments.image.PlanarImage;
import org.softsegments.linalg.SparseMatrix;

/** Exact cases of {@link StrokeGrouping}: which segments the strokes pin, and where the others go. */
class StrokeGroupingTest {

	/** Six pixels in a row; segment k covers pixel k (hard). */
	private static double[][] hardSegments(final int n) {
		final double[][] s = new double[n][n];
		for (int k = 0; k < n; k++) s[k][k] = 1;
		return s;
	}

	private static PlanarImage strokes(final int n, final int[]... pixelsPerLayer) {
		final float[][] planes = new float[pixelsPerLayer.length][n];
		for (int j = 0; j < pixelsPerLayer.length; j++) for (final int i : pixelsPerLayer[j]) planes[j][i] = 1;
		return new PlanarImage(n, 1, planes);
	}

	/** Path graph 0–…–5 with affinity 1, but {@code weak} between pixels 2 and 3. */
	private static SparseMatrix path(final double weak) {
		final int n = 6;
		final int[] r = new int[4 * (n - 1)], c = new int[4 * (n - 1)];
		final double[] v = new double[4 * (n - 1)];
		int t = 0;
		for (int a = 0; a < n - 1; a++) {
			final double w = a == 2 ? weak : 1;
			r[t] = a; c[t] = a + 1; v[t++] = -w;
			r[t] = a + 1; c[t] = a; v[t++] = -w;
			r[t] = a; c[t] = a; v[t++] = w;
			r[t] = a + 1; c[t] = a + 1; v[t++] = w;
		}
		return SparseMatrix.fromTriplets(n, r, c, v, t);
	}

	@Test
	void freeSegmentsJoinThePinnedGroupTheyAreMostStronglyTiedTo() {
		// strokes: layer 1 on pixel 0, layer 2 on pixel 5; the free segments 1–4 grow from them along the ties
		final LayerGrouping.Result r = StrokeGrouping.group(hardSegments(6), path(0.01),
			strokes(6, new int[] { 0 }, new int[] { 5 }), Progress.NONE);
		assertArrayEquals(new int[] { 0, 0, 0, 1, 1, 1 }, r.ids());
		// without the weak tie: each end keeps its stroke
		final LayerGrouping.Result m = StrokeGrouping.group(hardSegments(6), path(1), strokes(6, new int[] { 0 }, new int[] { 5 }), Progress.NONE);
		assertEquals(0, m.ids()[0]);
		assertEquals(1, m.ids()[5]);
		// the strokes override the ties: pixel 4 marked as layer 1, so 3 and 4 go with 0–2
		final LayerGrouping.Result o = StrokeGrouping.group(hardSegments(6), path(0.01),
			strokes(6, new int[] { 0, 4 }, new int[] { 5 }), Progress.NONE);
		assertArrayEquals(new int[] { 0, 0, 0, 0, 0, 1 }, o.ids());
		// the layers are the sums of their segments
		assertArrayEquals(new double[] { 1, 1, 1, 0, 0, 0 }, r.layers()[0], 0);
	}

	@Test
	void thePropagatedMapsFollowTheTiesAndKeepTheStrokes() {
		final PlanarImage cover = strokes(6, new int[] { 0 }, new int[] { 5 });
		final double[][] p = StrokeGrouping.propagate(path(0.01), cover, Progress.NONE);
		for (int i = 0; i < 6; i++) assertEquals(1, p[0][i] + p[1][i], 1e-9, "the maps sum to 1 at pixel " + i);
		assertTrue(p[0][0] > 0.99 && p[1][5] > 0.99, java.util.Arrays.toString(p[0]));
		// a near-constant plateau on each side of the weak tie
		assertTrue(p[0][2] > 0.9 && p[0][3] < 0.1, java.util.Arrays.toString(p[0]));
	}

	@Test
	void aSegmentAcrossABoundaryFollowsMostOfItsMassNotTheStrokeOnIt() {
		// segment 0 covers pixels 0–2 (strongly tied), segment 1 pixels 3–5; layer 2's stroke touches pixel 2,
		// layer 1's stroke pixel 0: segment 0 still goes to layer 1, where most of it lies
		final double[][] s = { { 1, 1, 1, 0, 0, 0 }, { 0, 0, 0, 1, 1, 1 } };
		final LayerGrouping.Result r = StrokeGrouping.group(s, path(0.01), strokes(6, new int[] { 0, 1 }, new int[] { 2, 4, 5 }),
			Progress.NONE);
		assertArrayEquals(new int[] { 0, 1 }, r.ids());
	}

	@Test
	void aRegionTiedToAStrokeOnlyByAWeakLinkFollowsThatLink() {
		// stroke of layer 1 on pixel 0, of layer 2 on pixel 6; pixels 1–4 form a plateau tied to pixel 0 by
		// 1e-5 and to pixel 5 by 1e-7; pixel 5 is tied to pixel 6. Segment 0 covers the plateau and pixel 5:
		// four of its five pixels lean to layer 1, so it joins layer 1. A prior as strong as the weak link
		// pulls the plateau to 1/2, and pixel 5 then outweighs it.
		final int n = 7;
		final double[] ties = { 1e-5, 1, 1, 1, 1e-7, 1 };
		final int[] r = new int[4 * (n - 1)], c = new int[4 * (n - 1)];
		final double[] v = new double[4 * (n - 1)];
		int t = 0;
		for (int a = 0; a < n - 1; a++) {
			r[t] = a; c[t] = a + 1; v[t++] = -ties[a];
			r[t] = a + 1; c[t] = a; v[t++] = -ties[a];
			r[t] = a; c[t] = a; v[t++] = ties[a];
			r[t] = a + 1; c[t] = a + 1; v[t++] = ties[a];
		}
		final double[][] s = { { 0, 1, 1, 1, 1, 1, 0 }, { 1, 0, 0, 0, 0, 0, 0 }, { 0, 0, 0, 0, 0, 0, 1 } };
		final PlanarImage cover = strokes(n, new int[] { 0 }, new int[] { 6 });
		final SparseMatrix laplacian = SparseMatrix.fromTriplets(n, r, c, v, t);
		final double[][] p = StrokeGrouping.propagate(laplacian, cover, Progress.NONE);
		assertTrue(p[0][2] > 0.95, "the plateau follows its weak link to layer 1: " + java.util.Arrays.toString(p[0]));
		assertArrayEquals(new int[] { 0, 0, 1 }, StrokeGrouping.group(s, laplacian, cover, Progress.NONE).ids());
	}

	@Test
	void aLayerWithoutSegmentTakesOneFromALayerThatKeepsAnother() {
		final double[][] s = { { 1, 1, 1, 0 }, { 0, 0, 0, 1 } };
		final PlanarImage cover = new PlanarImage(4, 1, new float[][] { { 1, 1, 0, 1 }, { 0, 0, 1, 0 } });
		final int[] ids = { 0, 0 };
		StrokeGrouping.everyLayer(ids, s, cover);
		assertArrayEquals(new int[] { 1, 0 }, ids);
		// both layers' strokes on the single segment: impossible to separate, said in words
		final double[][] one = { { 1, 1, 1, 1 } };
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StrokeGrouping.everyLayer(new int[] { 0 },
			one, new PlanarImage(4, 1, new float[][] { { 1, 0, 0, 0 }, { 0, 1, 0, 0 } })));
		assertTrue(e.getMessage().contains("layer 2") && e.getMessage().contains("draw them inside"), e.getMessage());
	}
}
