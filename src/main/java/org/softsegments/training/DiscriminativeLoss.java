package org.softsegments.training;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.types.TFloat32;

/**
 * Class-agnostic metric-learning loss on annotated regions: the discriminative loss of De
 * Brabandere, Neven and Van Gool ("Semantic instance segmentation with a discriminative loss
 * function", 2017). For the embeddings {@code x_p} of one image and its regions {@code c} with
 * means {@code μ_c}:
 * <ul>
 * <li>pull: mean over regions of the mean over its pixels of {@code max(0, ‖x_p − μ_c‖ − δ_v)²};</li>
 * <li>push: mean over ordered pairs of distinct regions of {@code max(0, 2δ_d − ‖μ_a − μ_b‖)²};</li>
 * <li>regularisation: mean over regions of {@code ‖μ_c‖}, weight {@code γ}.</li>
 * </ul>
 * Pixels labelled {@link LabelledImage#IGNORE} take no part. The loss of a batch is the mean of the
 * per-image losses. Region membership is given to the graph as a dense one-hot matrix
 * {@code M} (pixels × regions, all-zero rows for ignored pixels), so that only ops with
 * gradients in TensorFlow's C++ registry are needed (MatMul, Square, Sqrt, Relu, Sum).
 * Host-side {@link Targets} build M and the weights.
 */
public final class DiscriminativeLoss {

	/** Pull margin δ_v. */
	public static final float DELTA_VAR = 0.5f;
	/** Push margin δ_d (centres are pushed to at least 2δ_d apart). */
	public static final float DELTA_DIST = 1.5f;
	/** Weight of the centre-norm regulariser. */
	public static final float GAMMA = 0.001f;

	private DiscriminativeLoss() {}

	/**
	 * Loss of one image.
	 *
	 * @param x embeddings, [P, D]
	 * @param m region one-hot matrix, [P, S]
	 * @param invCount 1/(pixels of each region), [S, 1] (0 for empty padding regions)
	 * @param regionWeight weight of each region in the pull and regularisation means, [S, 1]
	 * @param pairWeight weight of each ordered region pair in the push mean, [S, S]
	 */
	public static Operand<TFloat32> imageLoss(final Ops tf, final Operand<TFloat32> x, final Operand<TFloat32> m,
		final Operand<TFloat32> invCount, final Operand<TFloat32> regionWeight, final Operand<TFloat32> pairWeight)
	{
		final Operand<TFloat32> mu = tf.math.mul(tf.linalg.matMul(m, x, MatMul.transposeA(true)), invCount); // [S, D]
		final Operand<TFloat32> centre = tf.linalg.matMul(m, mu); // [P, D]
		final Operand<TFloat32> diff = tf.math.sub(x, centre);
		final Operand<TFloat32> dist = tf.math.sqrt(tf.math.add(
			tf.reduceSum(tf.math.square(diff), tf.constant(1), org.tensorflow.op.core.ReduceSum.keepDims(true)), tf.constant(1e-8f)));
		final Operand<TFloat32> hinge = tf.math.square(tf.nn.relu(tf.math.sub(dist, tf.constant(DELTA_VAR)))); // [P, 1]
		final Operand<TFloat32> pullPerRegion = tf.math.mul(tf.linalg.matMul(m, hinge, MatMul.transposeA(true)), invCount); // [S, 1]
		final Operand<TFloat32> pull = tf.reduceSum(tf.math.mul(pullPerRegion, regionWeight), tf.constant(new int[] { 0, 1 }));

		final Operand<TFloat32> sq = tf.reduceSum(tf.math.square(mu), tf.constant(1), org.tensorflow.op.core.ReduceSum.keepDims(true)); // [S, 1]
		final Operand<TFloat32> gram = tf.linalg.matMul(mu, mu, MatMul.transposeB(true)); // [S, S]
		final Operand<TFloat32> d2 = tf.nn.relu(tf.math.sub(tf.math.add(sq, tf.reshape(sq, tf.constant(new int[] { 1, -1 }))),
			tf.math.mul(tf.constant(2f), gram)));
		final Operand<TFloat32> centreDist = tf.math.sqrt(tf.math.add(d2, tf.constant(1e-6f)));
		final Operand<TFloat32> pushHinge = tf.math.square(tf.nn.relu(tf.math.sub(tf.constant(2 * DELTA_DIST), centreDist)));
		final Operand<TFloat32> push = tf.reduceSum(tf.math.mul(pushHinge, pairWeight), tf.constant(new int[] { 0, 1 }));

		final Operand<TFloat32> norms = tf.math.sqrt(tf.math.add(sq, tf.constant(1e-8f)));
		final Operand<TFloat32> reg = tf.reduceSum(tf.math.mul(norms, regionWeight), tf.constant(new int[] { 0, 1 }));
		return tf.math.add(tf.math.add(pull, push), tf.math.mul(tf.constant(GAMMA), reg));
	}

	/**
	 * The loss of a batch as a {@link TrainingObjective}: the sum of the per-image losses on the
	 * output at the crop size (the {@link Targets} weights include the 1/batch factor). One
	 * instance serves one graph.
	 */
	public static final class Objective implements TrainingObjective {

		private final List<Placeholder<TFloat32>[]> targets = new ArrayList<>();
		private int pixels;

		@Override
		public boolean atOutputStride() {
			return false;
		}

		@Override
		@SuppressWarnings("unchecked")
		public Operand<TFloat32> build(final Ops tf, final Operand<TFloat32> output, final int batch, final int height, final int width,
			final int channels)
		{
			if (!targets.isEmpty()) throw new IllegalStateException("This objective already belongs to a graph");
			pixels = height * width;
			final Operand<TFloat32> flat = tf.reshape(output, tf.constant(new long[] { batch, (long) pixels, channels }));
			final List<Output<TFloat32>> perImage = tf.unstack(flat, (long) batch).output();
			Operand<TFloat32> total = null;
			for (int b = 0; b < batch; b++) {
				final Placeholder<TFloat32>[] t = new Placeholder[4];
				t[0] = tf.withName("membership_" + b).placeholder(TFloat32.class, Placeholder.shape(Shape.of(pixels, -1)));
				t[1] = tf.withName("inv_count_" + b).placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 1)));
				t[2] = tf.withName("region_weight_" + b).placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 1)));
				t[3] = tf.withName("pair_weight_" + b).placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, -1)));
				targets.add(t);
				final Operand<TFloat32> l = imageLoss(tf, perImage.get(b), t[0], t[1], t[2], t[3]);
				total = total == null ? l : tf.math.add(total, l);
			}
			return total;
		}

		/** The feeds of one batch: one {@link Targets} per crop. */
		public TargetFeed feed(final List<Targets> batchTargets) {
			if (batchTargets.size() != targets.size()) {
				throw new IllegalArgumentException("Need " + targets.size() + " targets, got " + batchTargets.size());
			}
			return (r, owned) -> {
				for (int b = 0; b < targets.size(); b++) {
					final Targets t = batchTargets.get(b);
					final Placeholder<TFloat32>[] ph = targets.get(b);
					final int s = t.regions;
					r.feed(ph[0], own(owned, TFloat32.tensorOf(Shape.of(pixels, s), DataBuffers.of(t.membership, true, false))));
					r.feed(ph[1], own(owned, TFloat32.tensorOf(Shape.of(s, 1), DataBuffers.of(t.invCount, true, false))));
					r.feed(ph[2], own(owned, TFloat32.tensorOf(Shape.of(s, 1), DataBuffers.of(t.regionWeight, true, false))));
					r.feed(ph[3], own(owned, TFloat32.tensorOf(Shape.of(s, s), DataBuffers.of(t.pairWeight, true, false))));
				}
			};
		}

		private static TFloat32 own(final List<org.tensorflow.Tensor> owned, final TFloat32 t) {
			owned.add(t);
			return t;
		}
	}

	/**
	 * The graph inputs for one image: regions are the distinct non-ignored labels with at least
	 * {@code minPixels} pixels; if there are more than {@code maxRegions}, the largest are kept
	 * (ties: smaller label first). Weights include the 1/batch factor.
	 */
	public static final class Targets {

		/** Number of regions S (at least 1; a single all-zero column when the image has none). */
		public final int regions;
		/** [P, S] row-major. */
		public final float[] membership;
		/** [S, 1]. */
		public final float[] invCount;
		/** [S, 1]. */
		public final float[] regionWeight;
		/** [S, S] row-major. */
		public final float[] pairWeight;

		private Targets(final int regions, final float[] membership, final float[] invCount, final float[] regionWeight,
			final float[] pairWeight)
		{
			this.regions = regions;
			this.membership = membership;
			this.invCount = invCount;
			this.regionWeight = regionWeight;
			this.pairWeight = pairWeight;
		}

		public static Targets of(final int[] labels, final int maxRegions, final int minPixels, final int batch) {
			int maxLabel = -1;
			for (final int l : labels) maxLabel = Math.max(maxLabel, l);
			final int[] count = new int[maxLabel + 1];
			for (final int l : labels) if (l >= 0) count[l]++;
			Integer[] order = new Integer[count.length];
			for (int i = 0; i < order.length; i++) order[i] = i;
			Arrays.sort(order, (a, b) -> count[a] != count[b] ? Integer.compare(count[b], count[a]) : Integer.compare(a, b));
			final int[] slot = new int[count.length];
			Arrays.fill(slot, -1);
			int s = 0;
			for (final Integer l : order) {
				if (s >= maxRegions || count[l] < minPixels) break;
				slot[l] = s++;
			}
			final int regions = Math.max(1, s);
			final int p = labels.length;
			final float[] m = new float[p * regions];
			final float[] inv = new float[regions];
			final float[] rw = new float[regions];
			final float[] pw = new float[regions * regions];
			for (int i = 0; i < p; i++) {
				final int l = labels[i];
				if (l >= 0 && slot[l] >= 0) m[i * regions + slot[l]] = 1;
			}
			for (int l = 0; l < count.length; l++) {
				if (slot[l] >= 0) {
					inv[slot[l]] = 1f / count[l];
					rw[slot[l]] = 1f / (s * batch);
				}
			}
			if (s >= 2) {
				final float w = 1f / (s * (s - 1) * batch);
				for (int a = 0; a < s; a++) for (int b = 0; b < s; b++) if (a != b) pw[a * regions + b] = w;
			}
			return new Targets(regions, m, inv, rw, pw);
		}
	}
}
