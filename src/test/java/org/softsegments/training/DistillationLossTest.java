package org.softsegments.training;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.softsegments.features.network.TensorFlowRuntime;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Exact values of the relational form of {@link DistillationLoss} on tiny crops: 0 for the teacher's
 * features rotated and shifted, 1 for constant features, 9 for the teacher's doubled, and the
 * brute-force {@code ‖XXᵀ − TTᵀ‖² / ‖TTᵀ‖²} (centred) for random features.
 */
class DistillationLossTest {

	private static final int B = 2, H = 2, W = 3, C = 3;

	private static double loss(final float[] student, final float[] teacher) {
		TensorFlowRuntime.ensureLoaded();
		try (Graph g = new Graph()) {
			final Ops tf = Ops.create(g);
			final DistillationLoss l = new DistillationLoss(DistillationLoss.Form.RELATIONAL);
			final Operand<TFloat32> out = l.build(tf, tf.constant(Shape.of(B, H, W, C), DataBuffers.of(student)), B, H, W, C);
			final List<Tensor> owned = new ArrayList<>();
			try (Session s = new Session(g)) {
				final Session.Runner runner = s.runner();
				l.feed(teacher).feed(runner, owned);
				try (Result r = runner.fetch(out).run()) {
					return ((TFloat32) r.get(0)).getFloat();
				}
			}
			finally {
				for (final Tensor t : owned) t.close();
			}
		}
	}

	private static float[] random(final long seed) {
		final Random rng = new Random(seed);
		final float[] v = new float[B * H * W * C];
		for (int i = 0; i < v.length; i++) v[i] = (float) rng.nextGaussian();
		return v;
	}

	@Test
	void exactValuesOnTinyCrops() {
		final float[] t = random(1);
		// a rotation in the (0, 1) channel plane and a shift: the same pairwise geometry
		final double a = 0.7;
		final float[] rotated = new float[t.length];
		for (int p = 0; p < t.length / C; p++) {
			rotated[p * C] = (float) (Math.cos(a) * t[p * C] - Math.sin(a) * t[p * C + 1] + 3);
			rotated[p * C + 1] = (float) (Math.sin(a) * t[p * C] + Math.cos(a) * t[p * C + 1] - 1);
			rotated[p * C + 2] = t[p * C + 2];
		}
		assertEquals(0, loss(rotated, t), 1e-5);
		assertEquals(1, loss(new float[t.length], t), 1e-5);
		final float[] doubled = t.clone();
		for (int i = 0; i < doubled.length; i++) doubled[i] *= 2;
		assertEquals(9, loss(doubled, t), 1e-4);
	}

	@Test
	void randomFeaturesMatchTheBruteForce() {
		final float[] x = random(2), t = random(3);
		double total = 0;
		final int n = H * W;
		for (int b = 0; b < B; b++) {
			final double[][] xc = centred(x, b), tc = centred(t, b);
			double num = 0, den = 0;
			for (int i = 0; i < n; i++) {
				for (int j = 0; j < n; j++) {
					double gx = 0, gt = 0;
					for (int c = 0; c < C; c++) {
						gx += xc[i][c] * xc[j][c];
						gt += tc[i][c] * tc[j][c];
					}
					num += (gx - gt) * (gx - gt);
					den += gt * gt;
				}
			}
			total += num / den;
		}
		assertEquals(total / B, loss(x, t), 1e-4 * total);
	}

	private static double[][] centred(final float[] v, final int b) {
		final int n = H * W;
		final double[][] m = new double[n][C];
		final double[] mean = new double[C];
		for (int i = 0; i < n; i++) for (int c = 0; c < C; c++) mean[c] += v[(b * n + i) * C + c] / (double) n;
		for (int i = 0; i < n; i++) for (int c = 0; c < C; c++) m[i][c] = v[(b * n + i) * C + c] - mean[c];
		return m;
	}
}
