package org.softsegments.training;

import java.util.List;
import java.util.function.Function;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.image.ResizeBilinear;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

import com.google.gson.JsonObject;

/**
 * The shape of a trainable feature network: its parameters (names, shapes, initialisation) and a
 * builder of its forward pass. The builder takes one operand per parameter, so the same code
 * serves training (the weights are variables, {@link TrainingGraph}) and export (the weights are
 * constants, {@link SavedModelExport}). Implementations are immutable value objects:
 * {@link UNetArchitecture} (the shipped U-Net) and {@link StudentArchitecture} (the distilled
 * network).
 * <p>
 * Contract of the forward pass: input NHWC float32 RGB in [0, 1] (the graph normalises it), height
 * and width multiples of {@link #multiple()}; {@link #forwardAtOutputStride} gives the embedding on
 * the grid of {@link #outputStride()} (cell centres at {@code (i + ½)·stride − ½} input pixels) and
 * {@link #forward} resizes it bilinearly (half-pixel centres) to the input's height and width.
 */
public interface FeatureArchitecture {

	/** The trainable tensors in a fixed order: name and shape (HWIO for kernels). */
	List<Parameter> parameters();

	/** D, the number of output channels. */
	int embeddingDim();

	/** Input height and width must be multiples of this. */
	int multiple();

	/** Ratio of the input size to the size of {@link #forwardAtOutputStride}'s grid. */
	int outputStride();

	/** Context in pixels (a multiple of {@link #multiple()}) added around each tile at inference. */
	int tileMargin();

	/** The model card's {@code "architecture"} section. */
	JsonObject cardSection();

	/**
	 * Standard deviation of the He-normal initialisation of a kernel ({@code √(2/fan-in)} for
	 * kernels followed by a ReLU, {@code √(1/fan-in)} for the linear head, named {@code head…}).
	 */
	default double initialStd(final Parameter p) {
		return Math.sqrt((p.name.startsWith("head") ? 1.0 : 2.0) / p.fanIn());
	}

	/** Total number of trainable values. */
	default long parameterCount() {
		long n = 0;
		for (final Parameter p : parameters()) n += p.size();
		return n;
	}

	/**
	 * Adds the network up to its output grid.
	 *
	 * @param rgb NHWC float input, RGB in [0, 1], height and width multiples of {@link #multiple()}
	 * @param weights the operand of each parameter, by name
	 * @return NHWC embedding with {@link #embeddingDim()} channels on the {@link #outputStride()} grid
	 */
	Operand<TFloat32> forwardAtOutputStride(Ops tf, Operand<TFloat32> rgb, Function<String, Operand<TFloat32>> weights);

	/** The embedding at the input's height and width (bilinear resize of the output grid). */
	default Operand<TFloat32> forward(final Ops tf, final Operand<TFloat32> rgb, final Function<String, Operand<TFloat32>> weights) {
		return resizeToInput(tf, forwardAtOutputStride(tf, rgb, weights), rgb, outputStride());
	}

	/** {@code grid} resized bilinearly (half-pixel centres) to the height and width of {@code input}; as is when stride is 1. */
	static Operand<TFloat32> resizeToInput(final Ops tf, final Operand<TFloat32> grid, final Operand<TFloat32> input, final int stride) {
		if (stride == 1) return grid;
		final Operand<TInt32> size = tf.stridedSlice(tf.shape(input), tf.constant(new int[] { 1 }), tf.constant(new int[] { 3 }),
			tf.constant(new int[] { 1 }));
		return tf.image.resizeBilinear(grid, size, ResizeBilinear.halfPixelCenters(true));
	}

	/** One trainable tensor: its name and shape. */
	final class Parameter {

		public final String name;
		private final long[] shape;

		Parameter(final String name, final long... shape) {
			this.name = name;
			this.shape = shape;
		}

		public long[] shape() {
			return shape.clone();
		}

		public boolean isKernel() {
			return shape.length == 4;
		}

		/** Number of values. */
		public int size() {
			long n = 1;
			for (final long s : shape) n *= s;
			return Math.toIntExact(n);
		}

		/** Fan-in of a kernel (kh·kw·in), 0 for a bias. */
		public int fanIn() {
			return isKernel() ? (int) (shape[0] * shape[1] * shape[2]) : 0;
		}
	}
}
