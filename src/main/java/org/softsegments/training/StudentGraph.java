package org.softsegments.training;

import java.util.function.Function;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.math.Mean;
import org.tensorflow.op.image.ResizeBilinear;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Builds the forward pass of a {@link StudentArchitecture} with the TensorFlow Java graph API, from
 * one operand per parameter (variables when training, constants when exporting). The widths come
 * from the weights' shapes; the stage depths and whether the stages are residual are given.
 */
final class StudentGraph {

	private StudentGraph() {}

	/** The network up to its head: NHWC, stride {@link StudentArchitecture#OUTPUT_STRIDE}. */
	static Operand<TFloat32> forwardAtOutputStride(final Ops tf, final Operand<TFloat32> rgb, final int[] depths,
		final boolean residual, final Function<String, Operand<TFloat32>> weights)
	{
		Operand<TFloat32> x = UNetGraph.normalise(tf, rgb);
		x = UNetGraph.conv(tf, x, weights, "stem", 2, true);
		@SuppressWarnings("unchecked")
		final Operand<TFloat32>[] stage = new Operand[StudentArchitecture.STAGES];
		for (int k = 1; k < StudentArchitecture.STAGES; k++) {
			for (int j = 0; j < depths[k - 1]; j++) {
				final Operand<TFloat32> y = UNetGraph.conv(tf, x, weights, StudentArchitecture.stageConv(k, j), j == 0 ? 2 : 1, true);
				x = residual && j > 0 ? tf.math.mul(tf.math.add(x, y), tf.constant((float) Math.sqrt(0.5))) : y;
			}
			stage[k] = x;
		}
		final Operand<TFloat32> pooled = tf.math.mean(x, tf.constant(new int[] { 1, 2 }), Mean.keepDims(true));
		final Operand<TFloat32> context = UNetGraph.conv(tf, pooled, weights, "pool", 1, true);
		final Operand<TFloat32> contextProjection = tf.nn.conv2d(context, weights.apply("top_pool_kernel"),
			java.util.Arrays.asList(1L, 1L, 1L, 1L), "VALID");
		Operand<TFloat32> top = tf.nn.relu(tf.math.add(UNetGraph.conv(tf, x, weights, "top", 1, false), contextProjection));
		for (int k = StudentArchitecture.STAGES - 2; k >= 1; k--) {
			final Operand<TInt32> size = tf.stridedSlice(tf.shape(stage[k]), tf.constant(new int[] { 1 }), tf.constant(new int[] { 3 }),
				tf.constant(new int[] { 1 }));
			final Operand<TFloat32> up = tf.image.resizeBilinear(top, size, ResizeBilinear.halfPixelCenters(true));
			final Operand<TFloat32> lateral = UNetGraph.conv(tf, stage[k], weights, "lateral" + k, 1, false);
			top = UNetGraph.conv(tf, tf.math.add(up, lateral), weights, "fuse" + k, 1, true);
		}
		return UNetGraph.conv(tf, top, weights, "head", 1, false);
	}
}
