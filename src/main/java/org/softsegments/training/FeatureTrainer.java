package org.softsegments.training;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import org.softsegments.image.PlanarImage;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * Trains the {@link UNetArchitecture U-Net} feature network with the {@link DiscriminativeLoss} on
 * random {@link Augmentation augmented} crops, with Adam, a linear warm-up and a cosine learning
 * rate decay. Deterministic given the seed: crop {@code b} of step {@code t} draws everything from
 * its own generator seeded by (seed, t, b), and weights are initialised from the seed (TensorFlow's
 * multi-threaded CPU kernels may still round differently between runs).
 * <p>
 * Work folder: {@code config.json} (the configuration; a resume must use the same one),
 * {@code checkpoint/} (all variables + {@code state.json} with the step; replaced atomically),
 * {@code log.tsv} (step, seconds, learning rate, mean loss, gradient norm, validation AUCs).
 * Running again with the same work folder resumes from the last checkpoint. A time budget stops
 * the run early (after a checkpoint); the caller runs it again to continue.
 */
public final class FeatureTrainer {

	private FeatureTrainer() {}

	/** Training settings (public fields with the shipped model's values). */
	public static final class Config {

		public int[] encoderWidths = UNetArchitecture.standard().encoderWidths();
		public int headWidth = UNetArchitecture.standard().headWidth();
		public int embeddingDim = UNetArchitecture.standard().embeddingDim();
		public int inputStride = UNetArchitecture.standard().inputStride();
		public int batch = 8;
		public int crop = 192;
		public double minScale = 0.4;
		public double maxScale = 1.0;
		public double jitter = 0.2;
		public int steps = 1500;
		public double learningRate = 1e-3;
		public int warmupSteps = 50;
		public double finalLearningRateFraction = 0.05;
		public long seed = 1;
		public int maxRegions = 48;
		public int minRegionPixels = 16;
		public float clipNorm = 5;
		public int evalEvery = 100;
		public int validationImages = 24;
		public int validationMaxSide = 256;
		public int validationPairs = 2000;
		public int localRadius = 24;
		/** TensorFlow threads, 0 = its default. Not part of the result's identity. */
		public transient int threads = 0;
		/** Seconds between checkpoints. */
		public transient int checkpointSeconds = 300;

		public UNetArchitecture architecture() {
			return new UNetArchitecture(encoderWidths, headWidth, embeddingDim, inputStride);
		}

		/** Learning rate at 0-based step {@code t}. */
		public double learningRateAt(final long t) {
			if (t < warmupSteps) return learningRate * (t + 1) / warmupSteps;
			final double progress = Math.min(1, (double) (t - warmupSteps) / Math.max(1, steps - warmupSteps));
			final double min = learningRate * finalLearningRateFraction;
			return min + (learningRate - min) * 0.5 * (1 + Math.cos(Math.PI * progress));
		}

		public JsonObject toJson() {
			return new GsonBuilder().create().toJsonTree(this).getAsJsonObject();
		}

		public static Config fromJson(final JsonObject o) {
			return new GsonBuilder().create().fromJson(o, Config.class);
		}
	}

	/** What a call to {@link #train} achieved. */
	public static final class Summary {

		public final int step;
		public final boolean finished;
		public final double lastLoss;
		public final double lastValidationAuc;
		public final double seconds;

		Summary(final int step, final boolean finished, final double lastLoss, final double lastValidationAuc, final double seconds) {
			this.step = step;
			this.finished = finished;
			this.lastLoss = lastLoss;
			this.lastValidationAuc = lastValidationAuc;
			this.seconds = seconds;
		}
	}

	/**
	 * Trains until {@code cfg.steps} steps are done or {@code budgetSeconds} have passed (0 = no
	 * budget), resuming from {@code workDir} when it holds a checkpoint.
	 *
	 * @param validation images for the periodic validation AUC (may be null or empty)
	 * @param graphOut receives the training graph's weights at the end (may be null)
	 */
	public static Summary train(final Config cfg, final TrainingSource train, final TrainingSource validation, final Path workDir,
		final double budgetSeconds, final PrintStream log, final java.util.function.Consumer<TrainingGraph> graphOut) throws IOException
	{
		final long start = System.nanoTime();
		Files.createDirectories(workDir);
		final JsonObject cfgJson = cfg.toJson();
		final Path cfgFile = workDir.resolve("config.json");
		if (Files.exists(cfgFile)) {
			final JsonObject saved = JsonParser.parseString(Files.readString(cfgFile)).getAsJsonObject();
			if (!saved.equals(cfgJson)) {
				throw new IllegalArgumentException("The work folder " + workDir + " holds a run with another configuration:\n  saved: "
					+ saved + "\n  now:   " + cfgJson + "\nUse another work folder or the same settings.");
			}
		}
		else writeAtomically(cfgFile, new GsonBuilder().setPrettyPrinting().create().toJson(cfgJson));

		final UNetArchitecture arch = cfg.architecture();
		final Augmentation aug = new Augmentation(cfg.crop, cfg.minScale, cfg.maxScale, cfg.jitter);
		try (TrainingGraph g = new TrainingGraph(arch, cfg.batch, cfg.crop, cfg.threads, cfg.clipNorm)) {
			int step = 0;
			double elapsedBefore = 0;
			double resumedLoss = Double.NaN;
			double resumedAuc = Double.NaN;
			final Path ckpt = existingCheckpoint(workDir);
			if (ckpt != null) {
				g.restore(ckpt.resolve("ckpt"));
				final JsonObject st = JsonParser.parseString(Files.readString(ckpt.resolve("state.json"))).getAsJsonObject();
				step = st.get("step").getAsInt();
				elapsedBefore = st.get("seconds").getAsDouble();
				if (st.has("loss")) resumedLoss = st.get("loss").getAsDouble();
				if (st.has("valAuc")) resumedAuc = st.get("valAuc").getAsDouble();
				log.printf(Locale.ROOT, "resumed at step %d (%.0f s of training before)%n", step, elapsedBefore);
				appendLog(workDir, String.format(Locale.ROOT, "# resumed at step %d%n", step));
			}
			else {
				g.initialise(cfg.seed);
				log.printf(Locale.ROOT, "fresh start: %s, %,d parameters, batch %d × %d², %d steps%n", arch, arch.parameterCount(),
					cfg.batch, cfg.crop, cfg.steps);
				appendLog(workDir, "step\tseconds\tlr\tloss\tgrad_norm\tval_auc\tval_auc_local\n");
			}
			double lossSum = 0;
			double gradSum = 0;
			int lossCount = 0;
			double lastLoss = resumedLoss;
			double lastAuc = resumedAuc;
			long lastCheckpoint = System.nanoTime();
			final float[] batch = new float[cfg.batch * cfg.crop * cfg.crop * 3];
			while (step < cfg.steps) {
				final List<DiscriminativeLoss.Targets> targets = new ArrayList<>(cfg.batch);
				for (int b = 0; b < cfg.batch; b++) {
					final LabelledImage crop = sampleCrop(train, aug, cfg, step, b);
					copyNhwc(crop.rgb(), batch, b);
					targets.add(DiscriminativeLoss.Targets.of(crop.labels(), cfg.maxRegions, cfg.minRegionPixels, cfg.batch));
				}
				final TrainingGraph.StepResult r = g.step(batch, targets, step, cfg.learningRateAt(step));
				if (!Double.isFinite(r.loss)) throw new IllegalStateException("Loss became " + r.loss + " at step " + step);
				step++;
				lossSum += r.loss;
				gradSum += r.gradientNorm;
				lossCount++;
				final double seconds = elapsedBefore + (System.nanoTime() - start) / 1e9;
				final boolean evalNow = step % cfg.evalEvery == 0 || step == cfg.steps;
				if (evalNow) {
					lastLoss = lossSum / lossCount;
					double[] auc = { Double.NaN, Double.NaN };
					if (validation != null && validation.size() > 0 && cfg.validationImages > 0) auc = validate(g, validation, cfg);
					lastAuc = auc[0];
					final String line = String.format(Locale.ROOT, "%d\t%.1f\t%.3g\t%.5f\t%.4f\t%.4f\t%.4f%n", step, seconds,
						cfg.learningRateAt(step - 1), lastLoss, gradSum / lossCount, auc[0], auc[1]);
					appendLog(workDir, line);
					log.printf(Locale.ROOT, "step %d  %.0f s  lr %.3g  loss %.4f  |g| %.3f  val AUC %.4f (local %.4f)%n", step, seconds,
						cfg.learningRateAt(step - 1), lastLoss, gradSum / lossCount, auc[0], auc[1]);
					lossSum = 0;
					gradSum = 0;
					lossCount = 0;
				}
				final boolean outOfTime = budgetSeconds > 0 && (System.nanoTime() - start) / 1e9 >= budgetSeconds;
				if (step == cfg.steps || outOfTime || (System.nanoTime() - lastCheckpoint) / 1e9 >= cfg.checkpointSeconds) {
					checkpoint(g, workDir, step, seconds, lastLoss, lastAuc);
					lastCheckpoint = System.nanoTime();
				}
				if (outOfTime && step < cfg.steps) {
					log.printf(Locale.ROOT, "time budget reached at step %d of %d; run again to resume%n", step, cfg.steps);
					break;
				}
			}
			if (graphOut != null) graphOut.accept(g);
			return new Summary(step, step >= cfg.steps, lastLoss, lastAuc, elapsedBefore + (System.nanoTime() - start) / 1e9);
		}
	}

	/** The last complete checkpoint folder, or null. */
	public static Path existingCheckpoint(final Path workDir) {
		for (final String n : new String[] { "checkpoint", "checkpoint.old" }) {
			final Path p = workDir.resolve(n);
			if (Files.isRegularFile(p.resolve("state.json")) && Files.isRegularFile(p.resolve("ckpt.index"))) return p;
		}
		return null;
	}

	private static void checkpoint(final TrainingGraph g, final Path workDir, final int step, final double seconds,
		final double loss, final double valAuc) throws IOException
	{
		final Path fresh = workDir.resolve("checkpoint.new");
		SavedModelExport.deleteRecursively(fresh);
		Files.createDirectories(fresh);
		g.save(fresh.resolve("ckpt"));
		final JsonObject st = new JsonObject();
		st.addProperty("step", step);
		st.addProperty("seconds", seconds);
		if (Double.isFinite(loss)) st.addProperty("loss", loss);
		if (Double.isFinite(valAuc)) st.addProperty("valAuc", valAuc);
		writeAtomically(fresh.resolve("state.json"), st.toString());
		final Path cur = workDir.resolve("checkpoint");
		final Path old = workDir.resolve("checkpoint.old");
		SavedModelExport.deleteRecursively(old);
		if (Files.exists(cur)) Files.move(cur, old, StandardCopyOption.ATOMIC_MOVE);
		Files.move(fresh, cur, StandardCopyOption.ATOMIC_MOVE);
		SavedModelExport.deleteRecursively(old);
	}

	/** Crop {@code b} of step {@code step}: up to 5 draws until it holds at least one region. */
	static LabelledImage sampleCrop(final TrainingSource src, final Augmentation aug, final Config cfg, final long step, final int b)
		throws IOException
	{
		final SplittableRandom rng = new SplittableRandom(mix64(cfg.seed * 0x9E3779B97F4A7C15L ^ mix64(step * 1_000_003L + b)));
		LabelledImage crop = null;
		for (int attempt = 0; attempt < 5; attempt++) {
			final int i = rng.nextInt(src.size());
			crop = aug.sample(src.load(i, rng), rng);
			if (DiscriminativeLoss.Targets.of(crop.labels(), cfg.maxRegions, cfg.minRegionPixels, 1).regionWeight[0] > 0) break;
		}
		return crop;
	}

	static long mix64(long z) {
		z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
		z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
		return z ^ (z >>> 31);
	}

	private static void copyNhwc(final PlanarImage rgb, final float[] dst, final int b) {
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
		final int n = Math.min(cfg.validationImages, val.size());
		final List<PairAuc.Pairs> global = new ArrayList<>(), local = new ArrayList<>();
		for (int i = 0; i < n; i++) {
			LabelledImage img = val.load(i, new SplittableRandom(1000 + i));
			final int side = Math.max(img.width(), img.height());
			if (cfg.validationMaxSide > 0 && side > cfg.validationMaxSide) img = Augmentation.resize(img, (double) cfg.validationMaxSide / side);
			final PlanarImage emb = embed(g, img.rgb());
			global.add(PairAuc.sample(emb, img.labels(), cfg.validationPairs, 0, 7919L * i + 1));
			local.add(PairAuc.sample(emb, img.labels(), cfg.validationPairs, cfg.localRadius, 7919L * i + 2));
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

	private static void appendLog(final Path workDir, final String text) throws IOException {
		Files.writeString(workDir.resolve("log.tsv"), text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
	}

	static void writeAtomically(final Path file, final String text) throws IOException {
		final Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
		Files.writeString(tmp, text, StandardCharsets.UTF_8);
		Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
	}

	/** Model-card sections describing the training data, its licences and this configuration. */
	public static JsonObject trainingSection(final Config cfg, final Summary summary, final SharedDataset train, final SharedDataset val) {
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
