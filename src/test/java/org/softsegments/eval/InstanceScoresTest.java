package org.softsegments.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.softsegments.image.PlanarImage;

class InstanceScoresTest {

	@Test
	void perfectLayersGiveIoUOne() {
		// 4×2 image: instance 1 left half, instance 2 right half; layers = the two masks
		final int[] labels = { 1, 1, 2, 2, 1, 1, 2, 2 };
		final float[][] p = { { 1, 1, 0, 0, 1, 1, 0, 0 }, { 0, 0, 1, 1, 0, 0, 1, 1 } };
		final InstanceScores.Result r = InstanceScores.evaluate(new PlanarImage(4, 2, p), labels);
		assertEquals(2, r.instances().size());
		assertEquals(1, r.meanIoU(), 1e-12);
		assertEquals(1, r.above50());
		assertEquals(1, r.above75());
		assertEquals(0b01, r.instances().get(0).subset());
		assertEquals(0b10, r.instances().get(1).subset());
	}

	@Test
	void handMadeCaseGivesTheHandComputedIoU() {
		// 5 pixels, labels: 0 0 1 1 255 (pixel 4 ignored). Instance 1 = pixels 2, 3.
		final int[] labels = { 0, 0, 1, 1, 255 };
		// layer 0: {0.2, 0, 1, 0.5, 1}; layer 1: {0.8, 1, 0, 0.5, 0}
		final float[][] p = { { 0.2f, 0, 1, 0.5f, 1 }, { 0.8f, 1, 0, 0.5f, 0 } };
		final InstanceScores.Result r = InstanceScores.evaluate(new PlanarImage(5, 1, p), labels);
		// subset {0}: Σmin = 1 + 0.5 = 1.5; Σmax = 0.2 + 0 + 1 + 1 = 2.2 → 0.6818…
		// subset {1}: Σmin = 0 + 0.5; Σmax = 0.8 + 1 + 1 + 1 = 3.8 → 0.1316…
		// subset {0,1}: sum = 1 everywhere: Σmin = 2; Σmax = 4 → 0.5
		assertEquals(1, r.instances().size());
		final InstanceScores.Instance in = r.instances().get(0);
		assertEquals(1, in.label());
		assertEquals(2, in.pixels());
		assertEquals(0.5, in.coverage(), 1e-12);
		assertEquals(0b01, in.subset());
		assertEquals(1.5 / 2.2, in.iou(), 1e-6);
		assertEquals(1, r.above50());
		assertEquals(0, r.above75());
	}

	@Test
	void smallInstancesAreNotScored() {
		final int n = 200;
		final int[] labels = new int[n];
		labels[0] = 3; // 1 pixel of 200 = 0.5 %
		for (int i = 10; i < 20; i++) labels[i] = 4; // 5 %
		for (int i = 100; i < 200; i++) labels[i] = 255; // ignored: instance 3 covers 1 of 100 = 1 %
		final float[][] p = new float[2][n];
		for (int i = 0; i < n; i++) p[0][i] = 1;
		final InstanceScores.Result r = InstanceScores.evaluate(new PlanarImage(n, 1, p), labels);
		assertEquals(2, r.instances().size(), "1 % of the non-ignored pixels qualifies");
		labels[150] = 0;
		labels[151] = 0; // now 102 valid pixels: instance 3 covers < 1 %
		assertEquals(1, InstanceScores.evaluate(new PlanarImage(n, 1, p), labels).instances().size());
	}

	@Test
	void noInstanceGivesNaN() {
		final InstanceScores.Result r = InstanceScores.evaluate(new PlanarImage(2, 1, new float[][] { { 1, 1 } }),
			new int[] { 0, 255 });
		assertTrue(r.instances().isEmpty());
		assertTrue(Double.isNaN(r.meanIoU()));
	}

	@Test
	void agreesWithBruteForceSoftIoUOverAllSubsets() {
		final SplittableRandom rnd = new SplittableRandom(5);
		final int w = 12, h = 9, n = w * h, k = 4;
		final float[][] p = new float[k][n];
		for (int c = 0; c < k; c++) for (int i = 0; i < n; i++) p[c][i] = (float) (rnd.nextDouble() * 0.7 - 0.1);
		final int[] labels = new int[n];
		for (int i = 0; i < n; i++) labels[i] = rnd.nextInt(10) == 0 ? 255 : rnd.nextInt(4);
		final PlanarImage layers = new PlanarImage(w, h, p);
		final InstanceScores.Result r = InstanceScores.evaluate(layers, labels);
		for (final InstanceScores.Instance in : r.instances()) {
			double best = -1;
			long bestSubset = -1;
			for (long s = 1; s < (1L << k); s++) {
				// soft IoU of LayerMatching over the non-ignored pixels
				int valid = 0;
				for (final int l : labels) if (l != 255) valid++;
				final float[] a = new float[valid], m = new float[valid];
				int j = 0;
				for (int i = 0; i < n; i++) {
					if (labels[i] == 255) continue;
					for (int c = 0; c < k; c++) if ((s >> c & 1) != 0) a[j] += p[c][i];
					m[j++] = labels[i] == in.label() ? 1 : 0;
				}
				final double iou = LayerMatching.softIoU(a, m);
				if (iou > best) {
					best = iou;
					bestSubset = s;
				}
			}
			assertEquals(best, in.iou(), 1e-6, "instance " + in.label());
			assertEquals(bestSubset, in.subset(), "instance " + in.label());
		}
	}

	@Test
	void badInputIsRejected() {
		final PlanarImage layers = new PlanarImage(2, 1, new float[][] { { 1, 1 } });
		assertThrows(IllegalArgumentException.class, () -> InstanceScores.evaluate(layers, new int[3]));
		assertThrows(IllegalArgumentException.class, () -> InstanceScores.evaluate(layers, new int[] { 0, 300 }));
	}
}
