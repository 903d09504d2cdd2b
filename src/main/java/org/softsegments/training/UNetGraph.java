package org.softsegments.training;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Builds the forward pass of a {@link UNetArchitecture} with the TensorFlow Java graph API. The
 * same builder serves training (weights are variables) and export (weights are constants): the
 * caller supplies one operand per {@link UNetArchitecture#parameters() parameter}.
 */
public final class UNetGraph {

	private static final List<Long> STRIDE_1 = Arrays.asList(1L, 1L, 1L, 1L);

	private UNetGraph() {}

	/**
	 * Adds the network to {@code tf}'s graph.
	 *
	 * @param rgb NHWC float input, RGB in [0, 1], height and width multiples of
	 *          {@code arch.multiple()}
	 * @param weights the operand of each parameter, by name
	 * @return NHWC embedding with {@code arch.embeddingDim()} channels, same height and width
	 */
	public static Operand<TFloat32> forward(final Ops tf, final Operand<TFloat32> rgb, final UNetArchitecture arch,
		final Function<String, Operand<TFloat32>> weights)
	{
		return arch.forward(tf, rgb, weights);
	}

	/** The network up to its head, at the resolution it runs at (the input's divided by {@code arch.inputStride()}). */
	static Operand<TFloat32> forwardAtOutputStride(final Ops tf, final Operand<TFloat32> rgb, final UNetArchitecture arch,
		final Function<String, Operand<TFloat32>> weights)
	{
		Operand<TFloat32> x = normalise(tf, rgb);
		if (arch.inputStride() == 2) {
			x = tf.nn.avgPool(x, Arrays.asList(1L, 2L, 2L, 1L), Arrays.asList(1L, 2L, 2L, 1L), "VALID");
		}

		final int levels = arch.levels();
		@SuppressWarnings("unchecked")
		final Operand<TFloat32>[] skips = new Operand[levels];
		for (int l = 0; l < levels; l++) {
			if (l > 0) x = maxPool2(tf, x);
			x = conv(tf, x, weights, "enc" + l + "a", true);
			x = conv(tf, x, weights, "enc" + l + "b", true);
			skips[l] = x;
		}
		for (int l = levels - 2; l >= 0; l--) {
			final Operand<TInt32> size = tf.stridedSlice(tf.shape(skips[l]), tf.constant(new int[] { 1 }), tf.constant(new int[] { 3 }),
				tf.constant(new int[] { 1 }));
			final Operand<TFloat32> up = tf.image.resizeNearestNeighbor(x, size);
			x = tf.concat(Arrays.asList(up, skips[l]), tf.constant(3));
			if (l > 0) {
				x = conv(tf, x, weights, "dec" + l + "a", true);
				x = conv(tf, x, weights, "dec" + l + "b", true);
			}
			else {
				x = conv(tf, x, weights, "dec0", true);
			}
		}
		return conv(tf, x, weights, "head", false);
	}

	/** {@code (rgb − INPUT_MEAN) / INPUT_STD} per channel ({@link UNetArchitecture#INPUT_MEAN}, {@link UNetArchitecture#INPUT_STD}). */
	static Operand<TFloat32> normalise(final Ops tf, final Operand<TFloat32> rgb) {
		final Operand<TFloat32> mean = tf.constant(Shape.of(1, 1, 1, 3), DataBuffers.of(UNetArchitecture.INPUT_MEAN));
		final float[] inv = new float[3];
		for (int c = 0; c < 3; c++) inv[c] = 1f / UNetArchitecture.INPUT_STD[c];
		final Operand<TFloat32> invStd = tf.constant(Shape.of(1, 1, 1, 3), DataBuffers.of(inv));
		return tf.math.mul(tf.math.sub(rgb, mean), invStd);
	}

	private static Operand<TFloat32> conv(final Ops tf, final Operand<TFloat32> x,
		final Function<String, Operand<TFloat32>> weights, final String name, final boolean relu)
	{
		return conv(tf, x, weights, name, 1, relu);
	}

	/** A "SAME"-padded convolution {@code name_kernel} with bias {@code name_bias}, optionally followed by ReLU. */
	static Operand<TFloat32> conv(final Ops tf, final Operand<TFloat32> x, final Function<String, Operand<TFloat32>> weights,
		final String name, final int stride, final boolean relu)
	{
		final List<Long> strides = stride == 1 ? STRIDE_1 : Arrays.asList(1L, (long) stride, (long) stride, 1L);
		final Operand<TFloat32> y = tf.nn.biasAdd(tf.nn.conv2d(x, weights.apply(name + "_kernel"), strides, "SAME"),
			weights.apply(name + "_bias"));
		return relu ? tf.nn.relu(y) : y;
	}

	private static Operand<TFloat32> maxPool2(final Ops tf, final Operand<TFloat32> x) {
		return tf.nn.maxPool(x, tf.constant(new int[] { 1, 2, 2, 1 }), tf.constant(new int[] { 1, 2, 2, 1 }), "VALID");
	}
}
