package org.softsegments.training;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Distillation loss: the mean squared error between the student's output on its own output grid
 * ({@link FeatureArchitecture#forwardAtOutputStride}, stride 4 for the {@link StudentArchitecture})
 * and the teacher's target embedding resampled to that grid, averaged over crops, cells and
 * channels. The targets are {@link TeacherTargets} (divided by their scale, so values are of order
 * 1). The loss is taken on the grid rather than on the resized output because the bilinear resize
 * adds no information and the teacher's grid is no finer than the student's. One instance serves
 * one graph.
 */
public final class DistillationLoss implements TrainingObjective {

	private Placeholder<TFloat32> targets;
	private Shape shape;

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
		return tf.math.mean(tf.math.squaredDifference(output, targets), tf.constant(new int[] { 0, 1, 2, 3 }));
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
