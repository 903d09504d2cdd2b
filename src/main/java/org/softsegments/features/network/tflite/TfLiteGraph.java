package org.softsegments.features.network.tflite;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.softsegments.features.network.TensorFlowRuntime;
import org.softsegments.features.network.tflite.TfLiteFile.Operator;
import org.softsegments.features.network.tflite.TfLiteFile.Tensor;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.image.ResizeBilinear;
import org.tensorflow.op.math.Mean;
import org.tensorflow.op.nn.Conv2d;
import org.tensorflow.op.nn.DepthwiseConv2dNative;
import org.tensorflow.types.TFloat32;

/**
 * A TFLite network rebuilt as a TensorFlow graph (TF Java, the runtime of the SavedModels) and
 * run in a session. Only the operators that the requested output tensors depend on are built.
 * <p>
 * Quantisation: constant tensors with quantisation parameters (int8/uint8 weights, int32 biases;
 * per tensor or per channel) are dequantised once in Java as {@code scale · (q − zero_point)};
 * activations of a quantised graph (uint8/int8 tensors) are computed in float and rounded to
 * their tensor's grid after every operator ({@code clamp(round(x/s) + z) − z) · s}), which
 * mirrors the integer kernels up to their internal rounding. Float activations stay float, as in
 * TFLite's dynamic-range ("hybrid") kernels up to their on-the-fly input quantisation.
 * <p>
 * Supported operators: {@value #SUPPORTED}. Anything else fails with a message naming it.
 */
public final class TfLiteGraph implements AutoCloseable {

	/** The operators this builder can rebuild. */
	public static final String SUPPORTED = "ADD, SUB, MUL, CONV_2D, DEPTHWISE_CONV_2D, AVERAGE_POOL_2D, MAX_POOL_2D, MEAN, "
		+ "CONCATENATION, RESIZE_BILINEAR, SPACE_TO_BATCH_ND, BATCH_TO_SPACE_ND, PAD, RESHAPE, RELU, RELU6, LOGISTIC, TANH, "
		+ "SOFTMAX, QUANTIZE, DEQUANTIZE";

	private final TfLiteFile file;
	private final Tensor input;
	private final List<Tensor> outputs;
	private final Graph graph;
	private final Session session;
	private final Placeholder<TFloat32> placeholder;
	private final List<Operand<TFloat32>> fetches = new ArrayList<>();

	private TfLiteGraph(final TfLiteFile file, final Tensor input, final List<Tensor> outputs) {
		this.file = file;
		this.input = input;
		this.outputs = outputs;
		graph = new Graph();
		try {
			final Ops tf = Ops.create(graph);
			placeholder = tf.withName("tflite_input").placeholder(TFloat32.class, Placeholder.shape(Shape.of(toLongs(input.shape))));
			final Builder b = new Builder(tf);
			for (final Tensor t : outputs) fetches.add(b.value(t.index));
			session = new Session(graph);
		}
		catch (final RuntimeException e) {
			graph.close();
			throw e;
		}
	}

	/**
	 * Builds the graph that computes {@code outputNames} from the model's (single, 4-D) input.
	 *
	 * @throws IllegalArgumentException for an unknown tensor name (the message lists the feature
	 *           map candidates), a tensor that is not computed from the input, a non-float output, an
	 *           operator this builder does not support (named), or a model without one NHWC input
	 */
	public static TfLiteGraph build(final TfLiteFile file, final List<String> outputNames) {
		final List<Tensor> ins = file.inputs();
		if (ins.size() != 1 || ins.get(0).shape.length != 4 || ins.get(0).shape[0] != 1) {
			throw new IllegalArgumentException("The TFLite model " + file.source() + " has inputs " + ins
				+ "; a feature network needs a single image input [1, H, W, C]");
		}
		final List<Tensor> outs = new ArrayList<>();
		for (final String name : outputNames) {
			final Tensor t = file.tensor(name);
			if (t == null) {
				throw new IllegalArgumentException("The TFLite model " + file.source() + " has no tensor '" + name
					+ "'. Its 4-D float tensors computed from the input (candidates for features) are: " + featureCandidates(file));
			}
			outs.add(t);
		}
		final BitSet needed = needed(file, outs);
		for (final Operator o : file.operators()) {
			if (needed.get(o.index) && !supported(o.code)) {
				throw new IllegalArgumentException("The TFLite model " + file.source() + " uses the operator " + o.name() + " (for tensor '"
					+ file.tensors().get(o.outputs[0]).name + "'), which this plugin cannot run; supported operators: " + SUPPORTED);
			}
		}
		TensorFlowRuntime.ensureLoaded();
		return new TfLiteGraph(file, ins.get(0), outs);
	}

	/** Operators (by index) that the outputs depend on. */
	private static BitSet needed(final TfLiteFile file, final List<Tensor> outs) {
		final BitSet ops = new BitSet();
		final BitSet tensors = new BitSet();
		final java.util.ArrayDeque<Integer> todo = new java.util.ArrayDeque<>();
		for (final Tensor t : outs) todo.add(t.index);
		while (!todo.isEmpty()) {
			final int t = todo.poll();
			if (t < 0 || tensors.get(t)) continue;
			tensors.set(t);
			final Operator p = file.producer(t);
			if (p == null) {
				final Tensor tensor = file.tensors().get(t);
				if (tensor.data == null && tensor.index != file.inputs().get(0).index) {
					throw new IllegalArgumentException("The TFLite tensor '" + tensor.name + "' is neither computed by an operator nor a constant");
				}
				continue;
			}
			if (ops.get(p.index)) continue;
			ops.set(p.index);
			for (final int i : p.inputs) todo.add(i);
		}
		return ops;
	}

	private static boolean supported(final int code) {
		switch (code) {
			case BuiltinOps.ADD:
			case BuiltinOps.SUB:
			case BuiltinOps.MUL:
			case BuiltinOps.CONV_2D:
			case BuiltinOps.DEPTHWISE_CONV_2D:
			case BuiltinOps.AVERAGE_POOL_2D:
			case BuiltinOps.MAX_POOL_2D:
			case BuiltinOps.MEAN:
			case BuiltinOps.CONCATENATION:
			case BuiltinOps.RESIZE_BILINEAR:
			case BuiltinOps.SPACE_TO_BATCH_ND:
			case BuiltinOps.BATCH_TO_SPACE_ND:
			case BuiltinOps.PAD:
			case BuiltinOps.RESHAPE:
			case BuiltinOps.RELU:
			case BuiltinOps.RELU6:
			case BuiltinOps.LOGISTIC:
			case BuiltinOps.TANH:
			case BuiltinOps.SOFTMAX:
			case BuiltinOps.QUANTIZE:
			case BuiltinOps.DEQUANTIZE:
				return true;
			default:
				return false;
		}
	}

	/** Names of the model's 4-D float (or quantised) activation tensors, with their shapes, for messages. */
	public static String featureCandidates(final TfLiteFile file) {
		final Set<String> names = new LinkedHashSet<>();
		for (final Operator o : file.operators()) {
			for (final int k : o.outputs) {
				final Tensor t = file.tensors().get(k);
				if (t.shape.length == 4 && t.type != TfLiteFile.INT64 && t.type != TfLiteFile.INT32) {
					names.add(t.name + " " + Arrays.toString(t.shape));
				}
			}
		}
		if (names.size() > 40) {
			final List<String> l = new ArrayList<>(names);
			return String.join(", ", l.subList(l.size() - 40, l.size())) + " (last 40 of " + l.size() + ")";
		}
		return String.join(", ", names);
	}

	/** The input tensor. */
	public Tensor input() {
		return input;
	}

	/** The output tensors, in the order given to {@link #build}. */
	public List<Tensor> outputs() {
		return outputs;
	}

	/**
	 * Runs the graph.
	 *
	 * @param nhwc the input, [1, H, W, C] row-major, in the input tensor's real-valued units (for
	 *          a quantised uint8 input: the 0–255 values)
	 * @return each output, row-major in its tensor's shape
	 */
	public synchronized float[][] run(final float[] nhwc) {
		if (nhwc.length != input.size()) {
			throw new IllegalArgumentException("The TFLite input '" + input.name + "' takes " + input.size() + " values " + Arrays.toString(
				input.shape) + ", got " + nhwc.length);
		}
		try (TFloat32 in = TFloat32.tensorOf(Shape.of(toLongs(input.shape)), DataBuffers.of(nhwc, true, false))) {
			final Session.Runner r = session.runner().feed(placeholder, in);
			for (final Operand<TFloat32> f : fetches) r.fetch(f);
			try (Result res = r.run()) {
				final float[][] out = new float[outputs.size()][];
				for (int i = 0; i < out.length; i++) {
					final TFloat32 t = (TFloat32) res.get(i);
					out[i] = new float[(int) t.shape().size()];
					t.read(DataBuffers.of(out[i], false, false));
				}
				return out;
			}
		}
	}

	@Override
	public synchronized void close() {
		session.close();
		graph.close();
	}

	private static long[] toLongs(final int[] a) {
		final long[] l = new long[a.length];
		for (int i = 0; i < a.length; i++) l[i] = a[i];
		return l;
	}

	/** Builds tensors on demand, memoised by tensor index. */
	private final class Builder {

		private final Ops tf;
		private final Operand<?>[] built;

		Builder(final Ops tf) {
			this.tf = tf;
			built = new Operand<?>[file.tensors().size()];
		}

		/** The float value of tensor {@code k} (dequantised where quantised). */
		@SuppressWarnings("unchecked")
		Operand<TFloat32> value(final int k) {
			if (built[k] != null) return (Operand<TFloat32>) built[k];
			final Tensor t = file.tensors().get(k);
			final Operand<TFloat32> v;
			if (k == input.index) v = inputValue(t);
			else if (t.data != null) v = tf.constant(Shape.of(toLongs(t.shape)), DataBuffers.of(constant(t), true, false));
			else {
				final Operator p = file.producer(k);
				v = quantise(op(p), t);
			}
			built[k] = v;
			return v;
		}

		private Operand<TFloat32> inputValue(final Tensor t) {
			if (t.type == TfLiteFile.FLOAT32 || !t.quantized()) return placeholder;
			final float[] r = range(t);
			final Operand<TFloat32> q = tf.clipByValue(tf.math.round(placeholder), tf.constant(r[0]), tf.constant(r[1]));
			return tf.math.mul(tf.math.sub(q, tf.constant((float) t.zeroPoint[0])), tf.constant(t.scale[0]));
		}

		/** Rounds a quantised activation to its grid (per-tensor parameters); float tensors pass through. */
		private Operand<TFloat32> quantise(final Operand<TFloat32> x, final Tensor t) {
			if ((t.type != TfLiteFile.UINT8 && t.type != TfLiteFile.INT8) || !t.quantized()) return x;
			final float s = t.scale[0];
			final float z = t.zeroPoint == null || t.zeroPoint.length == 0 ? 0 : t.zeroPoint[0];
			final float[] r = range(t);
			final Operand<TFloat32> q = tf.clipByValue(tf.math.add(tf.math.round(tf.math.div(x, tf.constant(s))), tf.constant(z)),
				tf.constant(r[0]), tf.constant(r[1]));
			return tf.math.mul(tf.math.sub(q, tf.constant(z)), tf.constant(s));
		}

		private float[] range(final Tensor t) {
			return t.type == TfLiteFile.INT8 ? new float[] { -128, 127 } : new float[] { 0, 255 };
		}

		/** An int32 constant input (shape, axes, paddings) as Java ints. */
		private int[] ints(final int k, final Operator o) {
			final Tensor t = file.tensors().get(k);
			if (t.data == null || t.type != TfLiteFile.INT32) {
				throw new IllegalArgumentException("The TFLite operator " + o.name() + " reads its parameter tensor '" + t.name
					+ "' at run time; only constant int32 parameters are supported");
			}
			final ByteBuffer b = t.data.duplicate().order(java.nio.ByteOrder.LITTLE_ENDIAN);
			final int[] a = new int[(int) t.size()];
			for (int i = 0; i < a.length; i++) a[i] = b.getInt(4 * i);
			return a;
		}

		private Operand<TFloat32> op(final Operator o) {
			final int[] in = o.inputs;
			switch (o.code) {
				case BuiltinOps.ADD:
					return activation(tf.math.add(value(in[0]), value(in[1])), o.byteOption(0, 0), o);
				case BuiltinOps.SUB:
					return activation(tf.math.sub(value(in[0]), value(in[1])), o.byteOption(0, 0), o);
				case BuiltinOps.MUL:
					return activation(tf.math.mul(value(in[0]), value(in[1])), o.byteOption(0, 0), o);
				case BuiltinOps.CONV_2D: {
					final Tensor f = file.tensors().get(in[1]);
					final Operand<TFloat32> filter = convFilter(f, o);
					Operand<TFloat32> y = tf.nn.conv2d(value(in[0]), filter, strides(o.intOption(2, 1), o.intOption(1, 1)),
						padding(o.byteOption(0, 0), o), Conv2d.dilations(strides(o.intOption(5, 1), o.intOption(4, 1))));
					if (in.length > 2 && in[2] >= 0) y = tf.nn.biasAdd(y, value(in[2]));
					return activation(y, o.byteOption(3, 0), o);
				}
				case BuiltinOps.DEPTHWISE_CONV_2D: {
					final Tensor f = file.tensors().get(in[1]);
					if (f.shape.length != 4 || f.shape[0] != 1) {
						throw new IllegalArgumentException("DEPTHWISE_CONV_2D filter '" + f.name + "' has shape " + Arrays.toString(f.shape)
							+ "; expected [1, kh, kw, C·multiplier]");
					}
					final int channels = file.tensors().get(in[0]).shape[3];
					final int mult = f.shape[3] / channels;
					// [1, kh, kw, C·M] and TensorFlow's [kh, kw, C, M] have the same memory layout
					final Operand<TFloat32> filter = tf.reshape(value(in[1]), tf.constant(new long[] { f.shape[1], f.shape[2], channels,
						mult }));
					Operand<TFloat32> y = tf.nn.depthwiseConv2dNative(value(in[0]), filter, strides(o.intOption(2, 1), o.intOption(1, 1)),
						padding(o.byteOption(0, 0), o), DepthwiseConv2dNative.dilations(strides(o.intOption(6, 1), o.intOption(5, 1))));
					if (in.length > 2 && in[2] >= 0) y = tf.nn.biasAdd(y, value(in[2]));
					return activation(y, o.byteOption(4, 0), o);
				}
				case BuiltinOps.AVERAGE_POOL_2D:
				case BuiltinOps.MAX_POOL_2D: {
					final List<Long> k = strides(o.intOption(4, 1), o.intOption(3, 1));
					final List<Long> s = strides(o.intOption(2, 1), o.intOption(1, 1));
					final String pad = padding(o.byteOption(0, 0), o);
					final Operand<TFloat32> y = o.code == BuiltinOps.AVERAGE_POOL_2D ? tf.nn.avgPool(value(in[0]), k, s, pad)
						: tf.nn.maxPool(value(in[0]), tf.constant(new int[] { 1, k.get(1).intValue(), k.get(2).intValue(), 1 }), tf
							.constant(new int[] { 1, s.get(1).intValue(), s.get(2).intValue(), 1 }), pad);
					return activation(y, o.byteOption(5, 0), o);
				}
				case BuiltinOps.MEAN:
					return tf.math.mean(value(in[0]), tf.constant(ints(in[1], o)), Mean.keepDims(o.byteOption(0, 0) != 0));
				case BuiltinOps.CONCATENATION: {
					final List<Operand<TFloat32>> parts = new ArrayList<>();
					for (final int i : in) parts.add(value(i));
					int axis = o.intOption(0, 0);
					if (axis < 0) axis += file.tensors().get(o.outputs[0]).shape.length;
					return activation(tf.concat(parts, tf.constant(axis)), o.byteOption(1, 0), o);
				}
				case BuiltinOps.RESIZE_BILINEAR:
					return tf.image.resizeBilinear(value(in[0]), tf.constant(ints(in[1], o)), ResizeBilinear.alignCorners(o.byteOption(2,
						0) != 0), ResizeBilinear.halfPixelCenters(o.byteOption(3, 0) != 0));
				case BuiltinOps.SPACE_TO_BATCH_ND:
					return tf.spaceToBatchNd(value(in[0]), tf.constant(ints(in[1], o)), tf.reshape(tf.constant(ints(in[2], o)), tf.constant(
						new int[] { -1, 2 })));
				case BuiltinOps.BATCH_TO_SPACE_ND:
					return tf.batchToSpaceNd(value(in[0]), tf.constant(ints(in[1], o)), tf.reshape(tf.constant(ints(in[2], o)), tf.constant(
						new int[] { -1, 2 })));
				case BuiltinOps.PAD:
					return tf.pad(value(in[0]), tf.reshape(tf.constant(ints(in[1], o)), tf.constant(new int[] { -1, 2 })), tf.constant(0f));
				case BuiltinOps.RESHAPE:
					return tf.reshape(value(in[0]), tf.constant(file.tensors().get(o.outputs[0]).shape));
				case BuiltinOps.RELU:
					return tf.nn.relu(value(in[0]));
				case BuiltinOps.RELU6:
					return tf.nn.relu6(value(in[0]));
				case BuiltinOps.LOGISTIC:
					return tf.math.sigmoid(value(in[0]));
				case BuiltinOps.TANH:
					return tf.math.tanh(value(in[0]));
				case BuiltinOps.SOFTMAX:
					return tf.nn.softmax(value(in[0]));
				case BuiltinOps.QUANTIZE:
				case BuiltinOps.DEQUANTIZE:
					return value(in[0]);
				default:
					throw new IllegalArgumentException("The TFLite operator " + o.name() + " is not supported; supported operators: " + SUPPORTED);
			}
		}

		/** CONV_2D filter [O, kh, kw, I] as TensorFlow's [kh, kw, I, O]. */
		private Operand<TFloat32> convFilter(final Tensor f, final Operator o) {
			if (f.shape.length != 4) {
				throw new IllegalArgumentException("CONV_2D filter '" + f.name + "' has shape " + Arrays.toString(f.shape) + "; expected [O, kh, kw, I]");
			}
			return tf.linalg.transpose(value(f.index), tf.constant(new int[] { 1, 2, 3, 0 }));
		}

		private List<Long> strides(final int h, final int w) {
			return Arrays.asList(1L, (long) h, (long) w, 1L);
		}

		private String padding(final int code, final Operator o) {
			if (code == 0) return "SAME";
			if (code == 1) return "VALID";
			throw new IllegalArgumentException("The TFLite operator " + o.name() + " has padding code " + code + "; supported: SAME, VALID");
		}

		private Operand<TFloat32> activation(final Operand<TFloat32> y, final int code, final Operator o) {
			switch (code) {
				case 0:
					return y;
				case 1:
					return tf.nn.relu(y);
				case 2:
					return tf.clipByValue(y, tf.constant(-1f), tf.constant(1f));
				case 3:
					return tf.nn.relu6(y);
				case 4:
					return tf.math.tanh(y);
				default:
					throw new IllegalArgumentException("The TFLite operator " + o.name() + " has the fused activation code " + code
						+ ", which this plugin cannot run (supported: none, RELU, RELU_N1_TO_1, RELU6, TANH)");
			}
		}
	}

	/** A constant tensor's values as float, dequantised when it carries quantisation parameters. */
	static float[] constant(final Tensor t) {
		final int n = (int) t.size();
		final ByteBuffer b = t.data.duplicate().order(java.nio.ByteOrder.LITTLE_ENDIAN);
		final float[] v = new float[n];
		for (int i = 0; i < n; i++) {
			switch (t.type) {
				case TfLiteFile.FLOAT32:
					v[i] = b.getFloat(4 * i);
					break;
				case TfLiteFile.INT32:
					v[i] = b.getInt(4 * i);
					break;
				case TfLiteFile.UINT8:
					v[i] = Byte.toUnsignedInt(b.get(i));
					break;
				case TfLiteFile.INT8:
					v[i] = b.get(i);
					break;
				case TfLiteFile.INT64:
					v[i] = b.getLong(8 * i);
					break;
				case TfLiteFile.FLOAT16:
					v[i] = halfToFloat(b.getShort(2 * i));
					break;
				default:
					throw new IllegalArgumentException("The TFLite constant '" + t.name + "' has the unsupported type " + TfLiteFile.typeName(t.type));
			}
		}
		if (t.quantized() && t.type != TfLiteFile.FLOAT32 && t.type != TfLiteFile.FLOAT16) {
			final int per = t.scale.length;
			if (per == 1) {
				final float s = t.scale[0], z = t.zeroPoint == null || t.zeroPoint.length == 0 ? 0 : t.zeroPoint[0];
				for (int i = 0; i < n; i++) v[i] = s * (v[i] - z);
			}
			else {
				// per-channel along quantized_dimension: index of that dimension from the flat index
				int inner = 1;
				for (int d = t.quantizedDimension + 1; d < t.shape.length; d++) inner *= t.shape[d];
				final int dim = t.shape[t.quantizedDimension];
				if (dim != per) throw new IllegalArgumentException("The TFLite constant '" + t.name + "' has " + per
					+ " quantisation scales for " + dim + " channels");
				for (int i = 0; i < n; i++) {
					final int c = i / inner % dim;
					final float z = t.zeroPoint == null || t.zeroPoint.length <= c ? 0 : t.zeroPoint[c];
					v[i] = t.scale[c] * (v[i] - z);
				}
			}
		}
		return v;
	}

	/** IEEE half precision to float. */
	static float halfToFloat(final short h) {
		final int bits = h & 0xffff;
		final int sign = (bits >>> 15) << 31;
		final int exp = (bits >>> 10) & 0x1f;
		final int mant = bits & 0x3ff;
		if (exp == 0) return (sign != 0 ? -1 : 1) * mant * 0x1p-24f;
		if (exp == 31) return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
		return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
	}

	/** The operator names of a model, with counts, for diagnostics. */
	public static String operatorSummary(final TfLiteFile file) {
		final java.util.Map<String, Integer> counts = new java.util.TreeMap<>();
		for (final Operator o : file.operators()) counts.merge(o.name(), 1, Integer::sum);
		return counts.toString();
	}

	/** The set of operator names a model uses that this builder cannot run (empty when all are supported). */
	public static Set<String> unsupportedOperators(final TfLiteFile file) {
		final Set<String> s = new TreeSet<>();
		for (final Operator o : file.operators()) {
			if (!supported(o.code)) s.add(o.name());
		}
		return s;
	}
}
