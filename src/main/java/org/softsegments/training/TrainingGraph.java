package org.softsegments.training;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.softsegments.features.network.TensorFlowRuntime;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.proto.framework.ConfigProto;
import org.tensorflow.types.TFloat32;

/**
 * The training graph: a {@link FeatureArchitecture feature network} on a batch of square crops, a
 * {@link TrainingObjective loss} (the {@link DiscriminativeLoss} for the U-Net, the
 * {@link DistillationLoss} for the student), gradients by TensorFlow's C++ gradient registry,
 * global-norm gradient clipping and Adam ({@code ApplyAdam}, Kingma and Ba 2015) whose learning
 * rate and bias corrections are fed at each step (so the schedule is exact after a resume). A
 * second input runs the same weights on one image of any padded size, for validation. Variables:
 * the network weights (initialised from Java with He-normal values drawn from a seed) and the Adam
 * moments; all are saved and restored by {@link #save(Path)} / {@link #restore(Path)}.
 */
public final class TrainingGraph implements AutoCloseable {

	public static final float BETA1 = 0.9f;
	public static final float BETA2 = 0.999f;
	public static final float EPSILON = 1e-7f;

	private final FeatureArchitecture arch;
	private final int batch;
	private final int crop;
	private final Graph graph;
	private final Session session;
	private final Placeholder<TFloat32> images;
	private final DiscriminativeLoss.Objective discriminative;
	private final Placeholder<TFloat32> lr;
	private final Placeholder<TFloat32> beta1Power;
	private final Placeholder<TFloat32> beta2Power;
	private final Operand<TFloat32> loss;
	private final Operand<TFloat32> gradNorm;
	private final List<Op> updates = new ArrayList<>();
	private final Placeholder<TFloat32> evalImage;
	private final Operand<TFloat32> evalGrid;
	private final Operand<TFloat32> evalEmbedding;
	private final Map<String, Variable<TFloat32>> weights = new LinkedHashMap<>();
	private final Map<String, Placeholder<TFloat32>> initFeeds = new LinkedHashMap<>();
	private final Map<String, Op> initAssigns = new LinkedHashMap<>();

	/**
	 * The U-Net with the {@link DiscriminativeLoss}.
	 *
	 * @param threads TensorFlow intra-op threads (0 = TensorFlow's default)
	 * @param clipNorm global gradient norm limit
	 */
	public TrainingGraph(final UNetArchitecture arch, final int batch, final int crop, final int threads, final float clipNorm) {
		this(arch, new DiscriminativeLoss.Objective(), batch, crop, threads, clipNorm);
	}

	/**
	 * Any network with any objective (a fresh objective instance: it keeps its placeholders).
	 *
	 * @param threads TensorFlow intra-op threads (0 = TensorFlow's default)
	 * @param clipNorm global gradient norm limit
	 */
	@SuppressWarnings("unchecked")
	public TrainingGraph(final FeatureArchitecture arch, final TrainingObjective objective, final int batch, final int crop,
		final int threads, final float clipNorm)
	{
		if (batch < 1) throw new IllegalArgumentException("Batch size must be at least 1, got " + batch);
		if (crop < arch.multiple() || crop % arch.multiple() != 0) {
			throw new IllegalArgumentException("Crop size must be a positive multiple of " + arch.multiple() + ", got " + crop);
		}
		TensorFlowRuntime.ensureLoaded();
		this.arch = arch;
		this.batch = batch;
		this.crop = crop;
		this.discriminative = objective instanceof DiscriminativeLoss.Objective ? (DiscriminativeLoss.Objective) objective : null;
		graph = new Graph();
		final Ops tf = Ops.create(graph);
		for (final FeatureArchitecture.Parameter p : arch.parameters()) {
			final Variable<TFloat32> v = tf.withName(p.name).variable(Shape.of(p.shape()), TFloat32.class);
			weights.put(p.name, v);
			final Placeholder<TFloat32> feed = tf.withName(p.name + "_init_value").placeholder(TFloat32.class,
				Placeholder.shape(Shape.of(p.shape())));
			initFeeds.put(p.name, feed);
			initAssigns.put(p.name, tf.withName(p.name + "_init").assign(v, feed));
		}
		images = tf.withName("train_images").placeholder(TFloat32.class, Placeholder.shape(Shape.of(batch, crop, crop, 3)));
		final Ops train = tf.withSubScope("train");
		final int side = objective.atOutputStride() ? crop / arch.outputStride() : crop;
		final Operand<TFloat32> out = objective.atOutputStride() ? arch.forwardAtOutputStride(train, images, weights::get)
			: arch.forward(train, images, weights::get);
		loss = tf.withName("loss").identity(objective.build(tf, out, batch, side, side, arch.embeddingDim()));

		final List<Variable<TFloat32>> vars = new ArrayList<>(weights.values());
		final Output<?>[] varOutputs = new Output<?>[vars.size()];
		for (int i = 0; i < varOutputs.length; i++) varOutputs[i] = vars.get(i).asOutput();
		final Output<?>[] grads = graph.addGradients(loss.asOutput(), varOutputs);
		Operand<TFloat32> sq = tf.constant(0f);
		for (final Output<?> g : grads) sq = tf.math.add(sq, tf.reduceSum(tf.math.square((Output<TFloat32>) g), allAxes(tf, g)));
		gradNorm = tf.withName("grad_norm").math.sqrt(sq);
		final Operand<TFloat32> factor = tf.math.div(tf.constant(clipNorm), tf.math.maximum(gradNorm, tf.constant(clipNorm)));
		lr = tf.withName("learning_rate").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
		beta1Power = tf.withName("beta1_power").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
		beta2Power = tf.withName("beta2_power").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
		for (int i = 0; i < vars.size(); i++) {
			final Variable<TFloat32> v = vars.get(i);
			final String name = arch.parameters().get(i).name;
			final Operand<TFloat32> zeros = tf.zeros(tf.constant(arch.parameters().get(i).shape()), TFloat32.class);
			final Variable<TFloat32> m = tf.withName(name + "_adam_m").variable(zeros);
			final Variable<TFloat32> s = tf.withName(name + "_adam_v").variable(zeros);
			updates.add(tf.train.applyAdam(v, m, s, beta1Power, beta2Power, lr, tf.constant(BETA1), tf.constant(BETA2),
				tf.constant(EPSILON), tf.math.mul((Output<TFloat32>) grads[i], factor)));
		}

		evalImage = tf.withName("eval_image").placeholder(TFloat32.class, Placeholder.shape(Shape.of(1, -1, -1, 3)));
		final Ops eval = tf.withSubScope("eval");
		evalGrid = arch.forwardAtOutputStride(eval, evalImage, weights::get);
		evalEmbedding = FeatureArchitecture.resizeToInput(eval, evalGrid, evalImage, arch.outputStride());

		ConfigProto.Builder config = ConfigProto.newBuilder();
		if (threads > 0) config = config.setIntraOpParallelismThreads(threads).setInterOpParallelismThreads(threads);
		session = new Session(graph, config.build());
	}

	private static Operand<org.tensorflow.types.TInt32> allAxes(final Ops tf, final Output<?> g) {
		final int rank = g.shape().numDimensions();
		final int[] axes = new int[rank];
		for (int i = 0; i < rank; i++) axes[i] = i;
		return tf.constant(axes);
	}

	public FeatureArchitecture architecture() {
		return arch;
	}

	public int batch() {
		return batch;
	}

	public int crop() {
		return crop;
	}

	/** Fresh start: He-normal kernels ({@link FeatureArchitecture#initialStd}), zero biases, zero Adam moments. */
	public void initialise(final long seed) {
		final Map<String, float[]> values = new LinkedHashMap<>();
		final Random rng = new Random(seed);
		for (final FeatureArchitecture.Parameter p : arch.parameters()) {
			final float[] v = new float[p.size()];
			if (p.isKernel()) {
				final double std = arch.initialStd(p);
				for (int i = 0; i < v.length; i++) v[i] = (float) (rng.nextGaussian() * std);
			}
			values.put(p.name, v);
		}
		setWeights(values);
		session.initialize();
	}

	/** Overwrites the network weights (not the Adam moments). */
	public void setWeights(final Map<String, float[]> values) {
		final Session.Runner r = session.runner();
		final List<TFloat32> tensors = new ArrayList<>();
		try {
			for (final FeatureArchitecture.Parameter p : arch.parameters()) {
				final float[] v = values.get(p.name);
				if (v == null || v.length != p.size()) throw new IllegalArgumentException("Missing or wrong-size weights for " + p.name);
				final TFloat32 t = TFloat32.tensorOf(Shape.of(p.shape()), DataBuffers.of(v, true, false));
				tensors.add(t);
				r.feed(initFeeds.get(p.name), t).addTarget(initAssigns.get(p.name));
			}
			r.run().close();
		}
		finally {
			for (final TFloat32 t : tensors) t.close();
		}
	}

	/** The current network weights, by parameter name. */
	public Map<String, float[]> weights() {
		final Map<String, float[]> out = new LinkedHashMap<>();
		final Session.Runner r = session.runner();
		for (final Variable<TFloat32> v : weights.values()) r.fetch(v);
		try (Result res = r.run()) {
			int i = 0;
			for (final FeatureArchitecture.Parameter p : arch.parameters()) {
				final float[] a = new float[p.size()];
				((TFloat32) res.get(i++)).read(DataBuffers.of(a, false, false));
				out.put(p.name, a);
			}
		}
		return out;
	}

	/** Result of one optimisation step. */
	public static final class StepResult {

		public final double loss;
		public final double gradientNorm;

		StepResult(final double loss, final double gradientNorm) {
			this.loss = loss;
			this.gradientNorm = gradientNorm;
		}
	}

	/**
	 * One Adam step on a batch (U-Net graph with the {@link DiscriminativeLoss}).
	 *
	 * @param nhwc the crops, [batch, crop, crop, 3] row-major, RGB in [0, 1]
	 * @param targetList one {@link DiscriminativeLoss.Targets} per crop
	 * @param step 0-based step number (for Adam's bias correction)
	 */
	public StepResult step(final float[] nhwc, final List<DiscriminativeLoss.Targets> targetList, final long step,
		final double learningRate)
	{
		return run(nhwc, discriminativeFeed(targetList), step, learningRate, true);
	}

	/** The loss of a batch without updating anything (U-Net graph with the {@link DiscriminativeLoss}). */
	public double loss(final float[] nhwc, final List<DiscriminativeLoss.Targets> targetList) {
		return run(nhwc, discriminativeFeed(targetList), 0, 0, false).loss;
	}

	private TrainingObjective.TargetFeed discriminativeFeed(final List<DiscriminativeLoss.Targets> targetList) {
		if (discriminative == null) throw new IllegalStateException("This graph does not train with the discriminative loss");
		return discriminative.feed(targetList);
	}

	/**
	 * One Adam step on a batch.
	 *
	 * @param nhwc the crops, [batch, crop, crop, 3] row-major, RGB in [0, 1]
	 * @param targets the batch's targets, from this graph's objective
	 * @param step 0-based step number (for Adam's bias correction)
	 */
	public StepResult step(final float[] nhwc, final TrainingObjective.TargetFeed targets, final long step, final double learningRate) {
		return run(nhwc, targets, step, learningRate, true);
	}

	/** The loss of a batch without updating anything. */
	public double loss(final float[] nhwc, final TrainingObjective.TargetFeed targets) {
		return run(nhwc, targets, 0, 0, false).loss;
	}

	private StepResult run(final float[] nhwc, final TrainingObjective.TargetFeed targetFeed, final long step,
		final double learningRate, final boolean update)
	{
		if (nhwc.length != batch * crop * crop * 3) throw new IllegalArgumentException("Batch array has the wrong size");
		final List<Tensor> tensors = new ArrayList<>();
		try {
			final Session.Runner r = session.runner();
			r.feed(images, track(tensors, TFloat32.tensorOf(Shape.of(batch, crop, crop, 3), DataBuffers.of(nhwc, true, false))));
			targetFeed.feed(r, tensors);
			r.fetch(loss);
			if (update) {
				final long t = step + 1;
				r.feed(lr, track(tensors, TFloat32.scalarOf((float) learningRate)));
				r.feed(beta1Power, track(tensors, TFloat32.scalarOf((float) Math.pow(BETA1, t))));
				r.feed(beta2Power, track(tensors, TFloat32.scalarOf((float) Math.pow(BETA2, t))));
				r.fetch(gradNorm);
				for (final Op u : updates) r.addTarget(u);
			}
			try (Result res = r.run()) {
				final double l = ((TFloat32) res.get(0)).getFloat();
				final double g = update ? ((TFloat32) res.get(1)).getFloat() : Double.NaN;
				return new StepResult(l, g);
			}
		}
		finally {
			for (final Tensor t : tensors) t.close();
		}
	}

	private static TFloat32 track(final List<Tensor> list, final TFloat32 t) {
		list.add(t);
		return t;
	}

	/**
	 * Embedding of one image whose width and height are multiples of {@link FeatureArchitecture#multiple()}.
	 *
	 * @param nhwc [1, h, w, 3] row-major RGB in [0, 1]
	 * @return [h, w, D] row-major
	 */
	public float[] embed(final float[] nhwc, final int width, final int height) {
		if (width % arch.multiple() != 0 || height % arch.multiple() != 0) {
			throw new IllegalArgumentException("Image size " + width + "×" + height + " must be a multiple of " + arch.multiple());
		}
		try (TFloat32 in = TFloat32.tensorOf(Shape.of(1, height, width, 3), DataBuffers.of(nhwc, true, false));
			Result res = session.runner().feed(evalImage, in).fetch(evalEmbedding).run())
		{
			final float[] out = new float[width * height * arch.embeddingDim()];
			((TFloat32) res.get(0)).read(DataBuffers.of(out, false, false));
			return out;
		}
	}

	/**
	 * The network's output grid ({@link FeatureArchitecture#forwardAtOutputStride}) for one image
	 * whose width and height are multiples of {@link FeatureArchitecture#multiple()}.
	 *
	 * @param nhwc [1, h, w, 3] row-major RGB in [0, 1]
	 * @return [h / stride, w / stride, D] row-major
	 */
	public float[] embedAtOutputStride(final float[] nhwc, final int width, final int height) {
		if (width % arch.multiple() != 0 || height % arch.multiple() != 0) {
			throw new IllegalArgumentException("Image size " + width + "×" + height + " must be a multiple of " + arch.multiple());
		}
		final int s = arch.outputStride();
		try (TFloat32 in = TFloat32.tensorOf(Shape.of(1, height, width, 3), DataBuffers.of(nhwc, true, false));
			Result res = session.runner().feed(evalImage, in).fetch(evalGrid).run())
		{
			final float[] out = new float[width / s * (height / s) * arch.embeddingDim()];
			((TFloat32) res.get(0)).read(DataBuffers.of(out, false, false));
			return out;
		}
	}

	/** Saves all variables (weights and Adam moments) under the checkpoint prefix. */
	public void save(final Path prefix) {
		session.save(prefix.toString());
	}

	/** Restores all variables saved by {@link #save(Path)} with the same architecture. */
	public void restore(final Path prefix) {
		session.restore(prefix.toString());
	}

	@Override
	public void close() {
		session.close();
		graph.close();
	}
}
