package org.softsegments.training;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * The training loop shared by the trainers: one work folder per run, a fresh start or a resume from
 * its last checkpoint, Adam steps on the {@link TrainingConfig#learningRateAt learning-rate
 * schedule}, periodic evaluation, checkpoints and a time budget. The trainer supplies the batches
 * and the validation scores ({@link Task}).
 * <p>
 * Work folder: {@code config.json} (the configuration; a resume must use the same one),
 * {@code checkpoint/} (all variables + {@code state.json} with the step, seconds, last loss and
 * scores; replaced atomically), {@code log.tsv} (step, seconds, learning rate, mean loss since the
 * last row, mean gradient norm, then one column per validation score). Running again with the same
 * work folder resumes from the last checkpoint. A time budget stops the run after a checkpoint; the
 * caller runs it again to continue. Deterministic given the seed as far as TensorFlow's CPU kernels
 * are: crop {@code b} of step {@code t} should draw from {@link #cropRandom}.
 */
public final class TrainingRun {

	/** What a trainer does at each step and at each evaluation. */
	public interface Task {

		/** One optimisation step {@code t} (0-based) with the given learning rate. */
		TrainingGraph.StepResult step(TrainingGraph g, long t, double learningRate) throws IOException;

		/** The validation scores, by the names given to the {@link TrainingRun} (NaN when not measured). */
		Map<String, Double> evaluate(TrainingGraph g) throws IOException;
	}

	/** What a call to {@link #train} achieved. */
	public static final class Summary {

		public final int step;
		public final boolean finished;
		public final double lastLoss;
		/** The last validation AUC ({@code val_auc}), NaN if none. */
		public final double lastValidationAuc;
		public final double seconds;
		private final Map<String, Double> metrics;

		Summary(final int step, final boolean finished, final double lastLoss, final Map<String, Double> metrics, final double seconds) {
			this.step = step;
			this.finished = finished;
			this.lastLoss = lastLoss;
			this.metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
			this.lastValidationAuc = metric("val_auc");
			this.seconds = seconds;
		}

		/** The last value of a validation score, NaN if never measured. */
		public double metric(final String name) {
			final Double v = metrics.get(name);
			return v == null ? Double.NaN : v;
		}

		/** All last validation scores by name. */
		public Map<String, Double> metrics() {
			return metrics;
		}
	}

	/** A checkpoint's state: step, seconds of training before it, last loss and scores. */
	public static final class State {

		public final int step;
		public final double seconds;
		public final double loss;
		public final Map<String, Double> metrics;

		State(final int step, final double seconds, final double loss, final Map<String, Double> metrics) {
			this.step = step;
			this.seconds = seconds;
			this.loss = loss;
			this.metrics = metrics;
		}
	}

	private final TrainingConfig cfg;
	private final Path workDir;
	private final List<String> metricNames;
	private final PrintStream log;

	/**
	 * Opens the work folder: writes {@code config.json}, or checks that the one there matches.
	 *
	 * @param metricNames the validation scores' names, in log column order
	 */
	public TrainingRun(final TrainingConfig cfg, final Path workDir, final List<String> metricNames, final PrintStream log)
		throws IOException
	{
		this.cfg = cfg;
		this.workDir = workDir;
		this.metricNames = List.copyOf(metricNames);
		this.log = log;
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
	}

	/** Restores the last checkpoint into {@code g}; null (and {@code g} untouched) when there is none. */
	public State restore(final TrainingGraph g) throws IOException {
		final Path ckpt = existingCheckpoint(workDir);
		if (ckpt == null) return null;
		g.restore(ckpt.resolve("ckpt"));
		final JsonObject st = JsonParser.parseString(Files.readString(ckpt.resolve("state.json"))).getAsJsonObject();
		final Map<String, Double> metrics = new LinkedHashMap<>();
		if (st.has("valAuc")) metrics.put("val_auc", st.get("valAuc").getAsDouble()); // written by earlier versions
		if (st.has("metrics")) {
			for (final Map.Entry<String, com.google.gson.JsonElement> e : st.getAsJsonObject("metrics").entrySet()) {
				metrics.put(e.getKey(), e.getValue().getAsDouble());
			}
		}
		return new State(st.get("step").getAsInt(), st.get("seconds").getAsDouble(),
			st.has("loss") ? st.get("loss").getAsDouble() : Double.NaN, metrics);
	}

	/**
	 * Trains until {@code cfg.steps} steps are done or {@code budgetSeconds} have passed (0 = no
	 * budget), resuming from the work folder's checkpoint when there is one (else initialising
	 * {@code g} from the seed).
	 */
	public Summary train(final TrainingGraph g, final Task task, final double budgetSeconds) throws IOException {
		final long start = System.nanoTime();
		int step = 0;
		double elapsedBefore = 0;
		double lastLoss = Double.NaN;
		Map<String, Double> lastMetrics = new LinkedHashMap<>();
		final State resumed = restore(g);
		if (resumed != null) {
			step = resumed.step;
			elapsedBefore = resumed.seconds;
			lastLoss = resumed.loss;
			lastMetrics = resumed.metrics;
			log.printf(Locale.ROOT, "resumed at step %d (%.0f s of training before)%n", step, elapsedBefore);
			appendLog(String.format(Locale.ROOT, "# resumed at step %d%n", step));
		}
		else {
			g.initialise(cfg.seed);
			log.printf(Locale.ROOT, "fresh start: %s, %,d parameters, batch %d × %d², %d steps%n", g.architecture(),
				g.architecture().parameterCount(), cfg.batch, cfg.crop, cfg.steps);
			appendLog("step\tseconds\tlr\tloss\tgrad_norm" + (metricNames.isEmpty() ? "" : "\t" + String.join("\t", metricNames)) + "\n");
		}
		double lossSum = 0;
		double gradSum = 0;
		int lossCount = 0;
		long lastCheckpoint = System.nanoTime();
		while (step < cfg.steps) {
			final TrainingGraph.StepResult r = task.step(g, step, cfg.learningRateAt(step));
			if (!Double.isFinite(r.loss)) throw new IllegalStateException("Loss became " + r.loss + " at step " + step);
			step++;
			lossSum += r.loss;
			gradSum += r.gradientNorm;
			lossCount++;
			if (step % cfg.evalEvery == 0 || step == cfg.steps) {
				lastLoss = lossSum / lossCount;
				lastMetrics = new LinkedHashMap<>();
				final Map<String, Double> m = task.evaluate(g);
				for (final String name : metricNames) lastMetrics.put(name, m.getOrDefault(name, Double.NaN));
				final double seconds = elapsedBefore + (System.nanoTime() - start) / 1e9;
				final StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%d\t%.1f\t%.3g\t%.5f\t%.4f", step, seconds,
					cfg.learningRateAt(step - 1), lastLoss, gradSum / lossCount));
				final StringBuilder console = new StringBuilder(String.format(Locale.ROOT, "step %d  %.0f s  lr %.3g  loss %.4f  |g| %.3f",
					step, seconds, cfg.learningRateAt(step - 1), lastLoss, gradSum / lossCount));
				for (final String name : metricNames) {
					line.append(String.format(Locale.ROOT, "\t%.4f", lastMetrics.get(name)));
					console.append(String.format(Locale.ROOT, "  %s %.4f", name, lastMetrics.get(name)));
				}
				appendLog(line.append('\n').toString());
				log.println(console);
				lossSum = 0;
				gradSum = 0;
				lossCount = 0;
			}
			final boolean outOfTime = budgetSeconds > 0 && (System.nanoTime() - start) / 1e9 >= budgetSeconds;
			if (step == cfg.steps || outOfTime || (System.nanoTime() - lastCheckpoint) / 1e9 >= cfg.checkpointSeconds) {
				checkpoint(g, step, elapsedBefore + (System.nanoTime() - start) / 1e9, lastLoss, lastMetrics);
				lastCheckpoint = System.nanoTime();
			}
			if (outOfTime && step < cfg.steps) {
				log.printf(Locale.ROOT, "time budget reached at step %d of %d; run again to resume%n", step, cfg.steps);
				break;
			}
		}
		return new Summary(step, step >= cfg.steps, lastLoss, lastMetrics, elapsedBefore + (System.nanoTime() - start) / 1e9);
	}

	/** The summary of the last checkpoint (for an export before the end of the schedule), or null. */
	public Summary checkpointSummary(final TrainingGraph g) throws IOException {
		final State st = restore(g);
		return st == null ? null : new Summary(st.step, st.step >= cfg.steps, st.loss, st.metrics, st.seconds);
	}

	/** The last complete checkpoint folder, or null. */
	public static Path existingCheckpoint(final Path workDir) {
		for (final String n : new String[] { "checkpoint", "checkpoint.old" }) {
			final Path p = workDir.resolve(n);
			if (Files.isRegularFile(p.resolve("state.json")) && Files.isRegularFile(p.resolve("ckpt.index"))) return p;
		}
		return null;
	}

	private void checkpoint(final TrainingGraph g, final int step, final double seconds, final double loss,
		final Map<String, Double> metrics) throws IOException
	{
		final Path fresh = workDir.resolve("checkpoint.new");
		SavedModelExport.deleteRecursively(fresh);
		Files.createDirectories(fresh);
		g.save(fresh.resolve("ckpt"));
		final JsonObject st = new JsonObject();
		st.addProperty("step", step);
		st.addProperty("seconds", seconds);
		if (Double.isFinite(loss)) st.addProperty("loss", loss);
		final JsonObject m = new JsonObject();
		for (final Map.Entry<String, Double> e : metrics.entrySet()) if (Double.isFinite(e.getValue())) m.addProperty(e.getKey(), e.getValue());
		st.add("metrics", m);
		writeAtomically(fresh.resolve("state.json"), st.toString());
		final Path cur = workDir.resolve("checkpoint");
		final Path old = workDir.resolve("checkpoint.old");
		SavedModelExport.deleteRecursively(old);
		if (Files.exists(cur)) Files.move(cur, old, StandardCopyOption.ATOMIC_MOVE);
		Files.move(fresh, cur, StandardCopyOption.ATOMIC_MOVE);
		SavedModelExport.deleteRecursively(old);
	}

	/** The random generator of crop {@code b} of step {@code step}: depends on (seed, step, b) only. */
	public static SplittableRandom cropRandom(final long seed, final long step, final int b) {
		return new SplittableRandom(mix64(seed * 0x9E3779B97F4A7C15L ^ mix64(step * 1_000_003L + b)));
	}

	static long mix64(long z) {
		z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
		z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
		return z ^ (z >>> 31);
	}

	private void appendLog(final String text) throws IOException {
		Files.writeString(workDir.resolve("log.tsv"), text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
	}

	static void writeAtomically(final Path file, final String text) throws IOException {
		final Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
		Files.writeString(tmp, text, StandardCharsets.UTF_8);
		Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
	}
}
