package org.softsegments.training;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.stream.IntStream;

import org.softsegments.image.PlanarImage;
/**
 * Trains the {@link StudentArchitecture student} from random initialisation to reproduce a
 * teacher's per-pixel embeddings ({@link TeacherTargets}) with the {@link DistillationLoss}, on
 * random crops of the training photos ({@link DistillationData#sampleCrop}: random square region,
 * flip, colour jitter; the target cut from the same region of its grid). The loop, checkpoints,
 * resume, learning-rate schedule and time budget are {@link TrainingRun}'s; crop {@code b} of step
 * {@code t} draws from {@link TrainingRun#cropRandom}(seed, t, b), so a batch depends on nothing
 * else and the next one is prepared on another thread while TensorFlow runs the current one.
 * <p>
 * Validation, every {@code evalEvery} steps: on the fixed validation photos, each whole photo at
 * the size the plugin runs the network at (long side {@code validationMaxSide}), the mean squared
 * error against its target ({@code val_mse}, same definition as the loss) and the mean cosine
 * similarity between student and target vectors per cell ({@code val_cosine}); on the
 * human-labelled validation split of {@link SharedDataset}, when given, the pair AUCs
 * ({@code val_auc}, {@code val_auc_local}, {@link FeatureTrainer#validate}).
 */
public final class DistillationTrainer {

	/** The validation scores, in log column order. */
	public static final List<String> METRICS = List.of("val_mse", "val_cosine", "val_auc", "val_auc_local");

	private DistillationTrainer() {}

	/** Training settings (public fields with the defaults of {@code scripts/train-features.sh distill}). */
	public static final class Config extends TrainingConfig {

		public int[] widths = StudentArchitecture.standard().widths();
		public int[] depths = StudentArchitecture.standard().depths();
		public int poolWidth = StudentArchitecture.standard().poolWidth();
		public int decoderWidth = StudentArchitecture.standard().decoderWidth();
		public int embeddingDim = StudentArchitecture.standard().embeddingDim();
		/** Residual steps in the student's stages ({@code --residual}). */
		public boolean residual = false;
		/** The loss's form ({@code --loss mse|relational}, {@link DistillationLoss.Form}). */
		public String loss = "mse";
		/** Side of a training crop's square region, as a fraction of the photo's shorter side: lower bound. */
		public double minCropFraction = 0.4;
		/** Upper bound of the crop fraction. */
		public double maxCropFraction = 1.0;
		/** Number of fixed validation photos (from {@code unlabelled/}). */
		public int validationPhotos = 60;
		/** Long side of the validation photos as the network sees them (the plugin's {@code inputMaxSide}). */
		public int validationMaxSide = 320;
		/** Images of the {@link SharedDataset} validation split for the pair AUC (0: none). */
		public int aucImages = 24;
		public int aucPairs = 2000;
		public int localRadius = 24;

		public Config() {
			crop = 256;
			steps = 6000;
			warmupSteps = 100;
		}

		public StudentArchitecture architecture() {
			return new StudentArchitecture(widths, depths, poolWidth, decoderWidth, embeddingDim, residual);
		}
	}

	/**
	 * Trains until {@code cfg.steps} steps are done or {@code budgetSeconds} have passed (0 = no
	 * budget), resuming from {@code workDir} when it holds a checkpoint.
	 *
	 * @param aucValidation human-labelled images for the pair AUC (may be null)
	 * @param graphOut receives the training graph at the end (may be null)
	 */
	public static TrainingRun.Summary train(final Config cfg, final DistillationData data, final TrainingSource aucValidation,
		final Path workDir, final double budgetSeconds, final PrintStream log, final Consumer<TrainingGraph> graphOut) throws IOException
	{
		final StudentArchitecture arch = cfg.architecture();
		if (data.targets().channels() != arch.embeddingDim()) {
			throw new IllegalArgumentException("The targets have " + data.targets().channels() + " channels, the student "
				+ arch.embeddingDim() + " (--dim)");
		}
		final TrainingRun run = new TrainingRun(cfg, workDir, METRICS, log);
		final Augmentation jitter = new Augmentation(cfg.crop, 1, 1, cfg.jitter);
		final DistillationLoss loss = new DistillationLoss(DistillationLoss.Form.of(cfg.loss));
		final ExecutorService prefetch = Executors.newSingleThreadExecutor(r -> {
			final Thread t = new Thread(r, "distillation-batches");
			t.setDaemon(true);
			return t;
		});
		try (TrainingGraph g = new TrainingGraph(arch, loss, cfg.batch, cfg.crop, cfg.threads, cfg.clipNorm)) {
			final Validation validation = data.validationSize() > 0 ? new Validation(data, arch, cfg.validationMaxSide) : null;
			if (validation != null) {
				log.printf(Locale.ROOT, "validation: %d photos; target variance %.4f (the MSE of the best constant)%n",
					data.validationSize(), validation.targetVariance());
			}
			final TrainingRun.Summary summary = run.train(g, new TrainingRun.Task() {

				private long pendingStep = -1;
				private Future<Batch> pending;

				@Override
				public TrainingGraph.StepResult step(final TrainingGraph graph, final long step, final double lr) throws IOException {
					final Batch batch;
					try {
						batch = pendingStep == step ? pending.get() : batch(cfg, arch, data, jitter, step);
					}
					catch (final InterruptedException e) {
						Thread.currentThread().interrupt();
						throw new IOException("Interrupted while preparing a batch", e);
					}
					catch (final UncheckedIOException e) {
						throw e.getCause();
					}
					catch (final ExecutionException e) {
						if (e.getCause() instanceof UncheckedIOException) throw ((UncheckedIOException) e.getCause()).getCause();
						throw new IllegalStateException("Preparing batch " + step + " failed", e.getCause());
					}
					// the next batch is prepared while TensorFlow runs this one
					pendingStep = step + 1 < cfg.steps ? step + 1 : -1;
					pending = pendingStep < 0 ? null : prefetch.submit(() -> batch(cfg, arch, data, jitter, step + 1));
					return graph.step(batch.images, loss.feed(batch.targets), step, lr);
				}

				@Override
				public Map<String, Double> evaluate(final TrainingGraph graph) throws IOException {
					final Map<String, Double> m = new LinkedHashMap<>();
					if (validation != null) {
						final double[] v = validation.score(graph);
						m.put("val_mse", v[0]);
						m.put("val_cosine", v[1]);
					}
					if (aucValidation != null && aucValidation.size() > 0 && cfg.aucImages > 0) {
						final double[] auc = FeatureTrainer.validate(graph, aucValidation, cfg.aucImages, cfg.validationMaxSide, cfg.aucPairs,
							cfg.localRadius);
						m.put("val_auc", auc[0]);
						m.put("val_auc_local", auc[1]);
					}
					return m;
				}
			}, budgetSeconds);
			if (graphOut != null) graphOut.accept(g);
			return summary;
		}
		finally {
			prefetch.shutdownNow();
		}
	}

	/** One step's crops and targets (NHWC arrays). */
	private static final class Batch {

		final float[] images;
		final float[] targets;

		Batch(final float[] images, final float[] targets) {
			this.images = images;
			this.targets = targets;
		}
	}

	/** The batch of step {@code step}: crop {@code b} from its own generator {@link TrainingRun#cropRandom}(seed, step, b). */
	private static Batch batch(final Config cfg, final FeatureArchitecture arch, final DistillationData data, final Augmentation jitter,
		final long step)
	{
		final int grid = cfg.crop / arch.outputStride();
		final int c = arch.embeddingDim();
		final float[] images = new float[cfg.batch * cfg.crop * cfg.crop * 3];
		final float[] targets = new float[cfg.batch * grid * grid * c];
		IntStream.range(0, cfg.batch).parallel().forEach(b -> {
			try {
				final SplittableRandom rng = TrainingRun.cropRandom(cfg.seed, step, b);
				final DistillationData.Sample s = data.train(rng.nextInt(data.trainSize()));
				final DistillationData.Crop crop = DistillationData.sampleCrop(s, cfg.crop, arch.outputStride(), cfg.minCropFraction,
					cfg.maxCropFraction, jitter, rng);
				FeatureTrainer.copyNhwc(crop.rgb, images, b);
				copyHwc(crop.target, targets, b * grid * grid * c);
			}
			catch (final IOException e) {
				throw new UncheckedIOException(e);
			}
		});
		return new Batch(images, targets);
	}

	/** Copies a planar image into an HWC array at {@code offset}. */
	static void copyHwc(final PlanarImage img, final float[] dst, final int offset) {
		final int n = img.pixels(), c = img.channels();
		for (int k = 0; k < c; k++) {
			final float[] p = img.plane(k);
			for (int i = 0; i < n; i++) dst[offset + i * c + k] = p[i];
		}
	}

	/**
	 * The validation photos, prepared once: each whole photo resampled to the network input size
	 * ({@link DistillationData#inputSize}) and its target to the network's output grid, both with
	 * the same {@link DistillationData#window} (the whole photo).
	 */
	static final class Validation {

		private final int[][] sizes;
		private final float[][] inputs;
		private final float[][] targets;
		private final int channels;

		Validation(final DistillationData data, final FeatureArchitecture arch, final int maxSide) throws IOException {
			final int n = data.validationSize();
			sizes = new int[n][];
			inputs = new float[n][];
			targets = new float[n][];
			channels = arch.embeddingDim();
			final int stride = arch.outputStride();
			for (int k = 0; k < n; k++) {
				final DistillationData.Sample s = data.validation(k);
				final int[] size = DistillationData.inputSize(s.rgb.width(), s.rgb.height(), maxSide, arch.multiple());
				sizes[k] = size;
				inputs[k] = new float[size[0] * size[1] * 3];
				FeatureTrainer.copyNhwc(DistillationData.window(s.rgb, 0, 0, 1, 1, size[0], size[1], false), inputs[k], 0);
				final int gw = size[0] / stride, gh = size[1] / stride;
				targets[k] = new float[gw * gh * channels];
				copyHwc(DistillationData.window(s.target, 0, 0, 1, 1, gw, gh, false), targets[k], 0);
			}
		}

		/** Mean over photos, cells and channels of the target's squared deviation from its channel means (pooled over all photos). */
		double targetVariance() {
			final double[] sum = new double[channels], sq = new double[channels];
			long cells = 0;
			for (final float[] t : targets) {
				for (int i = 0; i < t.length; i++) {
					sum[i % channels] += t[i];
					sq[i % channels] += (double) t[i] * t[i];
				}
				cells += t.length / channels;
			}
			double v = 0;
			for (int c = 0; c < channels; c++) v += sq[c] / cells - (sum[c] / cells) * (sum[c] / cells);
			return v / channels;
		}

		/** {mean squared error, mean cosine similarity}, each cell of each photo weighted equally. */
		double[] score(final TrainingGraph g) {
			double se = 0, cos = 0;
			long cells = 0;
			for (int k = 0; k < inputs.length; k++) {
				final float[] out = g.embedAtOutputStride(inputs[k], sizes[k][0], sizes[k][1]);
				final float[] t = targets[k];
				for (int i = 0; i < out.length; i += channels) {
					double dot = 0, a2 = 0, b2 = 0;
					for (int c = 0; c < channels; c++) {
						final double a = out[i + c], b = t[i + c];
						se += (a - b) * (a - b);
						dot += a * b;
						a2 += a * a;
						b2 += b * b;
					}
					cos += dot / Math.max(1e-12, Math.sqrt(a2 * b2));
					cells++;
				}
			}
			return new double[] { se / (cells * channels), cos / cells };
		}
	}
}
