package org.softsegments.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.softsegments.image.PlanarImage;

class PairAucTest {

	@Test
	void aucOfSmallArrays() {
		assertEquals(1.0, PairAuc.auc(new double[] { 0.1, 0.2 }, new double[] { 0.3, 0.4 }));
		assertEquals(0.0, PairAuc.auc(new double[] { 0.5 }, new double[] { 0.1, 0.2 }));
		// pos {1, 2, 3}, neg {2, 4}: neg 2 beats 1, ties 2 (½); neg 4 beats all 3 → (1.5 + 3) / 6
		assertEquals(0.75, PairAuc.auc(new double[] { 3, 1, 2 }, new double[] { 4, 2 }), 1e-15);
		assertEquals(0.5, PairAuc.auc(new double[] { 1, 1 }, new double[] { 1 }));
		assertTrue(Double.isNaN(PairAuc.auc(new double[0], new double[] { 1 })));
	}

	@Test
	void perfectAndUselessFeatures() {
		final int w = 20, h = 10;
		final int[] labels = new int[w * h];
		final float[][] perfect = new float[2][w * h];
		for (int i = 0; i < labels.length; i++) {
			labels[i] = (i % w) < 7 ? 0 : (i % w) < 15 ? 1 : -1;
			if (labels[i] >= 0) perfect[labels[i]][i] = 1;
		}
		final PairAuc.Pairs good = PairAuc.sample(new PlanarImage(w, h, perfect), labels, 500, 0, 1);
		assertEquals(500, good.positive.length);
		assertEquals(500, good.negative.length);
		assertEquals(1.0, good.auc());
		final PairAuc.Pairs flat = PairAuc.sample(PlanarImage.zeros(w, h, 3), labels, 300, 3, 2);
		assertEquals(0.5, flat.auc());
		// deterministic for a seed
		final PairAuc.Pairs again = PairAuc.sample(new PlanarImage(w, h, perfect), labels, 500, 0, 1);
		assertEquals(good.positive.length, again.positive.length);
		final PairAuc.Pairs both = PairAuc.Pairs.concat(java.util.List.of(good, flat));
		assertEquals(800, both.positive.length);
	}

	@Test
	void localPairsStayWithinTheRadius() {
		final int w = 30, h = 30;
		final int[] labels = new int[w * h];
		final float[][] pos = new float[2][w * h];
		for (int i = 0; i < labels.length; i++) {
			labels[i] = (i % w) < 15 ? 0 : 1;
			pos[0][i] = i % w;
			pos[1][i] = i / w;
		}
		final PairAuc.Pairs p = PairAuc.sample(new PlanarImage(w, h, pos), labels, 400, 2, 3);
		for (final double d : p.positive) assertTrue(d <= Math.sqrt(8) + 1e-9);
		for (final double d : p.negative) assertTrue(d <= Math.sqrt(8) + 1e-9);
	}
}
