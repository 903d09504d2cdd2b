package org.softsegments.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.softsegments.features.network.TensorFlowRuntime;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

class DiscriminativeLossTest {

	@Test
	void targetsOfATinyLabelMap() {
		// labels: region 5 ×3, region 2 ×2, ignored ×1, region 9 ×1 (below minPixels = 2)
		final int[] labels = { 5, 2, 5, -1, 2, 5, 9 };
		final DiscriminativeLoss.Targets t = DiscriminativeLoss.Targets.of(labels, 10, 2, 2);
		assertEquals(2, t.regions);
		// slot 0 = region 5 (largest), slot 1 = region 2
		assertArrayEquals(new float[] { 1, 0, 0, 1, 1, 0, 0, 0, 0, 1, 1, 0, 0, 0 }, t.membership);
		assertArrayEquals(new float[] { 1 / 3f, 1 / 2f }, t.invCount);
		assertArrayEquals(new float[] { 1 / 4f, 1 / 4f }, t.regionWeight); // 1/(S·batch)
		assertArrayEquals(new float[] { 0, 1 / 4f, 1 / 4f, 0 }, t.pairWeight); // 1/(S(S−1)·batch)
	}

	@Test
	void regionCapKeepsTheLargest() {
		final int[] labels = { 0, 1, 1, 2, 2, 2 };
		final DiscriminativeLoss.Targets t = DiscriminativeLoss.Targets.of(labels, 1, 1, 1);
		assertEquals(1, t.regions);
		assertArrayEquals(new float[] { 0, 0, 0, 1, 1, 1 }, t.membership);
		assertArrayEquals(new float[] { 0 }, t.pairWeight);
	}

	@Test
	void noRegionGivesZeroWeights() {
		final DiscriminativeLoss.Targets t = DiscriminativeLoss.Targets.of(new int[] { -1, -1 }, 5, 1, 1);
		assertEquals(1, t.regions);
		assertArrayEquals(new float[] { 0, 0 }, t.membership);
		assertArrayEquals(new float[] { 0 }, t.regionWeight);
	}

	@Test
	void graphLossEqualsBruteForce() {
		TensorFlowRuntime.ensureLoaded();
		final Random rng = new Random(3);
		final int p = 9, d = 3;
		final int[] labels = { 0, 0, 1, 1, 1, 2, -1, 2, 0 };
		final float[] x = new float[p * d];
		for (int i = 0; i < x.length; i++) x[i] = (float) (rng.nextGaussian() * 1.5);
		final DiscriminativeLoss.Targets t = DiscriminativeLoss.Targets.of(labels, 10, 1, 1);
		final double graph;
		try (Graph g = new Graph()) {
			final Ops tf = Ops.create(g);
			final int s = t.regions;
			final Operand<TFloat32> loss = DiscriminativeLoss.imageLoss(tf, tf.constant(Shape.of(p, d), DataBuffers.of(x)),
				tf.constant(Shape.of(p, s), DataBuffers.of(t.membership)), tf.constant(Shape.of(s, 1), DataBuffers.of(t.invCount)),
				tf.constant(Shape.of(s, 1), DataBuffers.of(t.regionWeight)), tf.constant(Shape.of(s, s), DataBuffers.of(t.pairWeight)));
			try (Session session = new Session(g); Result r = session.runner().fetch(loss).run()) {
				graph = ((TFloat32) r.get(0)).getFloat();
			}
		}
		// brute force
		final int regions = 3;
		final double[][] mu = new double[regions][d];
		final int[] count = new int[regions];
		for (int i = 0; i < p; i++) {
			if (labels[i] < 0) continue;
			count[labels[i]]++;
			for (int c = 0; c < d; c++) mu[labels[i]][c] += x[i * d + c];
		}
		for (int r = 0; r < regions; r++) for (int c = 0; c < d; c++) mu[r][c] /= count[r];
		double pull = 0;
		for (int r = 0; r < regions; r++) {
			double sum = 0;
			for (int i = 0; i < p; i++) {
				if (labels[i] != r) continue;
				double dd = 0;
				for (int c = 0; c < d; c++) dd += Math.pow(x[i * d + c] - mu[r][c], 2);
				sum += Math.pow(Math.max(0, Math.sqrt(dd) - DiscriminativeLoss.DELTA_VAR), 2);
			}
			pull += sum / count[r];
		}
		pull /= regions;
		double push = 0;
		for (int a = 0; a < regions; a++) {
			for (int b = 0; b < regions; b++) {
				if (a == b) continue;
				double dd = 0;
				for (int c = 0; c < d; c++) dd += Math.pow(mu[a][c] - mu[b][c], 2);
				push += Math.pow(Math.max(0, 2 * DiscriminativeLoss.DELTA_DIST - Math.sqrt(dd)), 2);
			}
		}
		push /= regions * (regions - 1);
		double reg = 0;
		for (int r = 0; r < regions; r++) {
			double n = 0;
			for (int c = 0; c < d; c++) n += mu[r][c] * mu[r][c];
			reg += Math.sqrt(n);
		}
		reg /= regions;
		final double expected = pull + push + DiscriminativeLoss.GAMMA * reg;
		assertEquals(expected, graph, 1e-4 * Math.max(1, expected));
	}
}
