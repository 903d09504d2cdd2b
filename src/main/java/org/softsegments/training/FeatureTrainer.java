package org.softsegments.training;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.softsegments.image.PlanarImage;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

/**
 * Trains the {@link UNetArchitecture U-Net} feature network with the {@link DiscriminativeLoss} on
 * random {@link Augmentation augmented} crops, with Adam, a linear warm-up and a cosine learning
 * rate decay. Deterministic given the seed: crop {@code b} of step {@code t} draws everything from
 * its own generator seeded by (seed, t, b), and weights are initialised from the seed (TensorFlow's
 * multi-threaded CPU kernels may still round differently between runs).
 * <p>
 * The loop, work folder, checkpoints, resume and time budget are {@link TrainingRun}'s; its
 * log.tsv has the validation AUCs ({@code val_auc}, {@code val_auc_local}) as score columns.
 */
public final class FeatureTrainer {

	private FeatureTrainer() {}

	/** Training settings (public fields with the shipped model's values). */
	public static final class Config extends TrainingConfig {

		public int[] encoderWidths = UNetArchitecture.standard().encoderWidths();
		public int headWidth = UNetArchitecture.standard().headWidth();
		public int embeddingDim = UNetArchitecture.standard().embeddingDim();
		public int inputStride = UNetArchitecture.standard().inputStride();
		public double minScale = 0.4;
		public double maxScale = 1.0;
		public int maxRegions = 48;
		public int minRegionPixels = 16;
		public int validationImages = 24;
		public int validationMaxSide = 256;
		public int validationPairs = 2000;
		public int localRadius = 24;

		public UNetArchitecture architecture() {
			return new UNetArchitecture(encoderWidths, headWidth, embeddingDim, inputStride);
		}

		public static Config fromJson(final JsonObject o) {
			return new GsonBuilder().create().fromJson(o, Config.class);
		}
	}

	/**
	 * Trains until {@code cfg.steps} steps are done or {@code budgetSeconds} have passed (0 = no
	 * budget), resuming from {@code workDir} when it holds a checkpoint.
	 *
	 * @param validation images for the periodic validation AUC (may be null or empty)
	 * @param graphOut receives the training graph's weights at the end (may be null)
	 */
	public static TrainingRun.Summary train(final Config cfg, final TrainingSource train, final TrainingSource validation,
		final Path workDir, final double budgetSeconds, final PrintStream log, final java.util.function.Consumer<TrainingGraph> graphOut)
		throws IOException
	{
		final TrainingRun run = new TrainingRun(cfg, workDir, List.of("val_auc", "val_auc_local"), log);
		final Augmentation aug = new Augmentation(cfg.crop, cfg.minScale, cfg.maxScale, cfg.jitter);
		try (TrainingGraph g = new TrainingGraph(cfg.architecture(), cfg.batch, cfg.crop, cfg.threads, cfg.clipNorm)) {
			final float[] batch = new float[cfg.batch * cfg.crop * cfg.crop * 3];
			final TrainingRun.Summary summary = run.train(g, new TrainingRun.Task() {

				@Override
				public TrainingGraph.StepResult step(final TrainingGraph graph, final long step, final double lr) throws IOException {
					final List<DiscriminativeLoss.Targets> targets = new ArrayList<>(cfg.batch);
					for (int b = 0; b < cfg.batch; b++) {
						final LabelledImage crop = sampleCrop(train, aug, cfg, step, b);
						copyNhwc(crop.rgb(), batch, b);
						targets.add(DiscriminativeLoss.Targets.of(crop.labels(), cfg.maxRegions, cfg.minRegionPixels, cfg.batch));
					}
					return graph.step(batch, targets, step, lr);
				}

				@Override
				public Map<String, Double> evaluate(final TrainingGraph graph) throws IOException {
					final Map<String, Double> m = new LinkedHashMap<>();
					if (validation != null && validation.size() > 0 && cfg.validationImages > 0) {
						final double[] auc = validate(graph, validation, cfg);
						m.put("val_auc", auc[0]);
						m.put("val_auc_local", auc[1]);
					}
					return m;
				}
			}, budgetSeconds);
			if (graphOut != null) graphOut.accept(g);
			return summary;
		}
	}

	/** Crop {@code b} of step {@code step}: up to 5 draws until it holds at least one region. */
	static LabelledImage sampleCrop(final TrainingSource src, final Augmentation aug, final Config cfg, final long step, final int b)
		throws IOException
	{
		final SplittableRandom rng = TrainingRun.cropRandom(cfg.seed, step, b);
		LabelledImage crop = null;
		for (int attempt = 0; attempt < 5; attempt++) {
			final int i = rng.nextInt(src.size());
			crop = aug.sample(src.load(i, rng), rng);
			if (DiscriminativeLoss.Targets.of(crop.labels(), cfg.maxRegions, cfg.minRegionPixels, 1).regionWeight[0] > 0) break;
		}
		return crop;
	}

	/** Copies a 3-channel image into slot {@code b} of an NHWC batch array. */
	static void copyNhwc(final PlanarImage rgb, final float[] dst, final int b) {
		final int n = rgb.pixels();
		final int off = b * n * 3;
		final float[] r = rgb.plane(0), g = rgb.plane(1), bl = rgb.plane(2);
		for (int i = 0; i < n; i++) {
			dst[off + 3 * i] = r[i];
			dst[off + 3 * i + 1] = g[i];
			dst[off + 3 * i + 2] = bl[i];
		}
	}

	/**
	 * Validation AUC {global, local} pooled over the first {@code cfg.validationImages} images,
	 * each shrunk so that its longer side is at most {@code cfg.validationMaxSide}.
	 */
	static double[] validate(final TrainingGraph g, final TrainingSource val, final Config cfg) throws IOException {
		return validate(g, val, cfg.validationImages, cfg.validationMaxSide, cfg.validationPairs, cfg.localRadius);
	}

	/**
	 * Validation AUC {global, local} pooled over the first {@code images} images, each shrunk so
	 * that its longer side is at most {@code maxSide}; {@code pairs} pixel pairs per image, local
	 * pairs within {@code localRadius}.
	 */
	static double[] validate(final TrainingGraph g, final TrainingSource val, final int images, final int maxSide, final int pairs,
		final int localRadius) throws IOException
	{
		final int n = Math.min(images, val.size());
		final List<PairAuc.Pairs> global = new ArrayList<>(), local = new ArrayList<>();
		for (int i = 0; i < n; i++) {
			LabelledImage img = val.load(i, new SplittableRandom(1000 + i));
			final int side = Math.max(img.width(), img.height());
			if (maxSide > 0 && side > maxSide) img = Augmentation.resize(img, (double) maxSide / side);
			final PlanarImage emb = embed(g, img.rgb());
			global.add(PairAuc.sample(emb, img.labels(), pairs, 0, 7919L * i + 1));
			local.add(PairAuc.sample(emb, img.labels(), pairs, localRadius, 7919L * i + 2));
		}
		return new double[] { PairAuc.Pairs.concat(global).auc(), PairAuc.Pairs.concat(local).auc() };
	}

	/** Embedding of an image of any size with the training graph (reflection padding to the multiple). */
	static PlanarImage embed(final TrainingGraph g, final PlanarImage rgb) {
		final int m = g.architecture().multiple();
		final int w = rgb.width(), h = rgb.height();
		final int pw = (w + m - 1) / m * m, ph = (h + m - 1) / m * m;
		final float[] in = new float[pw * ph * 3];
		for (int y = 0; y < ph; y++) {
			final int sy = reflect(y, h);
			for (int x = 0; x < pw; x++) {
				final int s = reflect(x, w) + sy * w;
				for (int c = 0; c < 3; c++) in[(x + y * pw) * 3 + c] = rgb.plane(c)[s];
			}
		}
		final float[] out = g.embed(in, pw, ph);
		final int d = g.architecture().embeddingDim();
		final float[][] planes = new float[d][w * h];
		for (int y = 0; y < h; y++) {
			for (int x = 0; x < w; x++) {
				final int o = (x + y * pw) * d;
				for (int c = 0; c < d; c++) planes[c][x + y * w] = out[o + c];
			}
		}
		return new PlanarImage(w, h, planes);
	}

	/** Reflection without repeating the edge pixel (…, 2, 1, 0, 1, 2, …), any overshoot. */
	public static int reflect(final int i, final int n) {
		if (n == 1) return 0;
		final int period = 2 * n - 2;
		final int k = Math.floorMod(i, period);
		return k < n ? k : period - k;
	}

	/** Model-card sections describing the training data, its licences and this configuration. */
	public static JsonObject trainingSection(final Config cfg, final TrainingRun.Summary summary, final SharedDataset train, final SharedDataset val) {
		final JsonObject t = new JsonObject();
		t.add("config", cfg.toJson());
		t.addProperty("stepsDone", summary.step);
		t.addProperty("trainingSeconds", Math.round(summary.seconds));
		if (Double.isFinite(summary.lastLoss)) t.addProperty("finalTrainingLoss", summary.lastLoss);
		t.addProperty("loss", "discriminative loss (De Brabandere et al. 2017): pull margin " + DiscriminativeLoss.DELTA_VAR
			+ ", push margin " + DiscriminativeLoss.DELTA_DIST + " (centres ≥ " + 2 * DiscriminativeLoss.DELTA_DIST
			+ " apart), regulariser " + DiscriminativeLoss.GAMMA + "; class-agnostic; COCO labels 0 and 255 ignored");
		t.addProperty("optimiser", "Adam (β1 " + TrainingGraph.BETA1 + ", β2 " + TrainingGraph.BETA2 + "), linear warm-up then cosine decay, "
			+ "global gradient norm clipped at " + cfg.clipNorm);
		t.addProperty("hardware", "CPU, TensorFlow 2.10.1 through TF Java 0.5.0 (graph mode)");
		if (train != null) {
			final JsonObject d = new JsonObject();
			d.addProperty("trainImages", train.size());
			d.addProperty("trainCoco", train.cocoCount());
			d.addProperty("validationImages", val.size());
			d.addProperty("validationCoco", val.cocoCount());
			d.addProperty("split", "per data set, shuffled with seed " + SharedDataset.SPLIT_SEED + ", 10% held out");
			t.add("data", d);
		}
		return t;
	}

	/** The licence section of the model card. */
	public static JsonArray dataLicences() {
		final JsonArray a = new JsonArray();
		final JsonObject b = new JsonObject();
		b.addProperty("dataset", "BSDS500 (Berkeley Segmentation Data Set, Arbeláez et al. 2011), train + val, 300 images with 5–7 human segmentations each");
		b.addProperty("licence", "research and non-commercial use (University of California, Berkeley)");
		a.add(b);
		final JsonObject c = new JsonObject();
		c.addProperty("dataset", "COCO 2017 (Lin et al. 2014), 352 images with instance masks");
		c.addProperty("licence", "annotations CC BY 4.0; images under their individual Flickr licences (many non-commercial)");
		a.add(c);
		return a;
	}

	/** Same JSON, pretty-printed. */
	static String pretty(final JsonObject o) {
		return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(o);
	}
}
