package org.softsegments.training;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TFloat32;

/**
 * Distillation loss between the student's output on its own output grid
 * ({@link FeatureArchitecture#forwardAtOutputStride}, stride 4 for the {@link StudentArchitecture})
 * and the teacher's target embedding resampled to that grid, in one of two forms ({@link Form}):
 * <ul>
 * <li>{@link Form#MSE}: the mean squared error, averaged over crops, cells and channels;</li>
 * <li>{@link Form#RELATIONAL}: per crop, with X the student's and T the teacher's cells × channels
 * matrices centred over the cells, {@code ‖XXᵀ − TTᵀ‖²_F / ‖TTᵀ‖²_F} (the cells' pairwise inner
 * products compared, computed from the channels × channels products
 * {@code ‖XᵀX‖² + ‖TᵀT‖² − 2‖XᵀT‖²}), averaged over crops. It does not change under a rotation
 * of the student's features and weighs each principal direction of the teacher's by its squared
 * variance: what the pipeline uses, which keeps only each image's top 3 principal directions
 * (spec §3.1).</li>
 * </ul>
 * The targets are The targets are {@link TeacherTargets} (divided by their scale, so values are of order
 * 1). The loss is taken on the grid rather than on the resized output because the bilinear resize
 * adds no information and the teacher's grid is no finer than the student's. One instance serves
 * one graph.
 */
public final class DistillationLoss implements TrainingObjective {

	/** The form of the loss. */
	public enum Form {
		MSE, RELATIONAL;

		/** The form named {@code name} ({@code mse} or {@code relational}, any case). */
		public static Form of(final String name) {
			for (final Form f : values()) if (f.name().equalsIgnoreCase(name)) return f;
			throw new IllegalArgumentException("The distillation loss must be mse or relational, got " + name);
		}
	}

	private final Form form;
	private Placeholder<TFloat32> targets;
	private Shape shape;

	/** The mean squared error. */
	public DistillationLoss() {
		this(Form.MSE);
	}

	public DistillationLoss(final Form form) {
		this.form = form;
	}

	@Override
	public boolean atOutputStride() {
		return true;
	}

	@Override
	public Operand<TFloat32> build(final Ops tf, final Operand<TFloat32> output, final int batch, final int height, final int width,
		final int channels)
	{
		if (targets != null) throw new IllegalStateException("This objective already belongs to a graph");
		shape = Shape.of(batch, height, width, channels);
		targets = tf.withName("teacher_targets").placeholder(TFloat32.class, Placeholder.shape(shape));
		if (form == Form.MSE) return tf.math.mean(tf.math.squaredDifference(output, targets), tf.constant(new int[] { 0, 1, 2, 3 }));
		Operand<TFloat32> total = null;
		for (int b = 0; b < batch; b++) {
			final Operand<TFloat32> x = centred(tf, output, b, height * width, channels);
			final Operand<TFloat32> t = centred(tf, targets, b, height * width, channels);
			final Operand<TFloat32> xx = squaredNorm(tf, tf.linalg.matMul(x, x, MatMul.transposeA(true)));
			final Operand<TFloat32> tt = squaredNorm(tf, tf.linalg.matMul(t, t, MatMul.transposeA(true)));
			final Operand<TFloat32> xt = squaredNorm(tf, tf.linalg.matMul(x, t, MatMul.transposeA(true)));
			final Operand<TFloat32> diff = tf.math.sub(tf.math.add(xx, tt), tf.math.mul(tf.constant(2f), xt));
			final Operand<TFloat32> term = tf.math.div(diff, tf.math.add(tt, tf.constant(1e-6f)));
			total = total == null ? term : tf.math.add(total, term);
		}
		return tf.math.div(total, tf.constant((float) batch));
	}

	/** Crop {@code b} as a cells × channels matrix, centred over the cells. */
	private static Operand<TFloat32> centred(final Ops tf, final Operand<TFloat32> nhwc, final int b, final int cells, final int channels) {
		final Operand<TFloat32> m = tf.reshape(tf.gather(nhwc, tf.constant(b), tf.constant(0)), tf.constant(new int[] { cells, channels }));
		return tf.math.sub(m, tf.math.mean(m, tf.constant(0), Mean.keepDims(true)));
	}

	private static Operand<TFloat32> squaredNorm(final Ops tf, final Operand<TFloat32> m) {
		return tf.reduceSum(tf.math.square(m), tf.constant(new int[] { 0, 1 }));
	}

	/** Number of target values of one batch: batch × height × width × channels of the output grid. */
	public long size() {
		return shape.size();
	}

	/** The feeds of one batch: the targets as NHWC {@code [batch, height, width, channels]} row-major. */
	public TargetFeed feed(final float[] nhwc) {
		if (nhwc.length != shape.size()) {
			throw new IllegalArgumentException("Targets have " + nhwc.length + " values, the graph needs " + shape);
		}
		return (r, owned) -> {
			final TFloat32 t = TFloat32.tensorOf(shape, DataBuffers.of(nhwc, true, false));
			owned.add(t);
			r.feed(targets, t);
		};
	}
}
