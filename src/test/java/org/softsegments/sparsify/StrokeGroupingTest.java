package org.softsegments.sparsify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.softsegments.image.PlanarImage;

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

	/** Features: pixels 0–2 dark, 3–5 bright. */
	private static PlanarImage features() {
		final float[] f = { 0.1f, 0.15f, 0.2f, 0.8f, 0.85f, 0.9f };
		return new PlanarImage(6, 1, new float[][] { f, f, f });
	}

	@Test
	void pinnedSegmentsKeepTheirLayerAndTheOthersJoinTheNearestGroup() {
		// strokes: layer 1 on pixel 0, layer 2 on pixel 5; the free segments 1–4 follow the features
		final LayerGrouping.Result r = StrokeGrouping.group(hardSegments(6), features(), strokes(6, new int[] { 0 }, new int[] { 5 }));
		assertArrayEquals(new int[] { 0, 0, 0, 1, 1, 1 }, r.ids());
		// the strokes override the features: pixel 4 (bright) marked as layer 1
		final LayerGrouping.Result o = StrokeGrouping.group(hardSegments(6), features(), strokes(6, new int[] { 0, 4 }, new int[] { 5 }));
		assertTrue(o.ids()[4] == 0 && o.ids()[5] == 1 && o.ids()[0] == 0, java.util.Arrays.toString(o.ids()));
	}

	@Test
	void aSegmentGoesToTheLayerItCarriesTheMostStrokeMassUnder() {
		// segment 0 covers pixels 0 and 1; layer 1 strokes pixel 0 at 30 %, layer 2 strokes pixel 1 fully
		final double[][] s = { { 1, 1, 0, 0 }, { 0, 0, 1, 0 }, { 0, 0, 0, 1 } };
		final PlanarImage cover = new PlanarImage(4, 1, new float[][] { { 0.3f, 0, 0, 1 }, { 0, 1, 0, 0 } });
		final int[] pinned = StrokeGrouping.pin(s, cover);
		assertArrayEquals(new int[] { 1, -1, 0 }, pinned);
	}

	@Test
	void aLayerWithoutSegmentTakesOneFromALayerThatKeepsAnother() {
		// one wide segment under both strokes, more under layer 1's; layer 2 must still get a segment
		final double[][] s = { { 1, 1, 1, 0 }, { 0, 0, 0, 1 } };
		final PlanarImage cover = new PlanarImage(4, 1, new float[][] { { 1, 1, 0, 1 }, { 0, 0, 1, 0 } });
		final int[] pinned = StrokeGrouping.pin(s, cover);
		assertArrayEquals(new int[] { 1, 0 }, pinned);
		// both strokes on the single segment: impossible to separate, said in words
		final double[][] one = { { 1, 1, 1, 1 } };
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
			() -> StrokeGrouping.pin(one, new PlanarImage(4, 1, new float[][] { { 1, 0, 0, 0 }, { 0, 1, 0, 0 } })));
		assertTrue(e.getMessage().contains("layer 2") && e.getMessage().contains("draw them inside"), e.getMessage());
	}
}
