package org.softsegments.training;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

import com.google.gson.JsonObject;

/**
 * Command line for training and exporting the feature network (run by
 * {@code scripts/train-features.sh}):
 * <pre>
 * TrainFeaturesMain [--data ../shared/data/train] [--work target/feature-training]
 *                   [--out models/sss-unet-d32] [--name sss-unet-d32] [--minutes 0]
 *                   [--steps 1000] [--batch 8] [--crop 192] [--lr 0.001] [--seed 1]
 *                   [--widths 16,32,64,96,128] [--head 32] [--dim 32] [--stride 2] [--threads 0]
 *                   [--eval-every 100] [--val-images 24]
 * </pre>
 * Trains (resuming from the work folder), and once all steps are done exports the SavedModel and
 * its model card to {@code --out}. Exit status 0: exported; 3: stopped by the time budget (run the
 * same command again to continue).
 */
public final class TrainFeaturesMain {

	private TrainFeaturesMain() {}

	/**
	 * The evaluation rows of a {@link TrainingRun} log.tsv for the model card: step, seconds,
	 * learning rate, mean loss and the validation scores (names from the header, {@code val_x_y}
	 * as {@code validationXY}); the gradient norm is left out.
	 */
	static JsonObject trainingLog(final Path logFile) throws IOException {
		final JsonObject log = new JsonObject();
		final com.google.gson.JsonArray cols = new com.google.gson.JsonArray();
		final com.google.gson.JsonArray rows = new com.google.gson.JsonArray();
		final java.util.List<Integer> keep = new java.util.ArrayList<>();
		for (final String line : java.nio.file.Files.readAllLines(logFile)) {
			if (line.startsWith("step\t") && keep.isEmpty()) {
				final String[] names = line.split("\t");
				for (int k = 0; k < names.length; k++) {
					if (names[k].equals("grad_norm")) continue;
					keep.add(k);
					cols.add(cardName(names[k]));
				}
			}
			if (line.isEmpty() || !Character.isDigit(line.charAt(0))) continue;
			final String[] f = line.split("\t");
			final com.google.gson.JsonArray row = new com.google.gson.JsonArray();
			for (final int k : keep) {
				if (k == 0) row.add(Integer.parseInt(f[0]));
				else {
					final double x = Double.parseDouble(f[k]);
					if (Double.isFinite(x)) row.add(x);
					else row.add(com.google.gson.JsonNull.INSTANCE); // not measured; NaN is not JSON
				}
			}
			rows.add(row);
		}
		log.add("columns", cols);
		log.add("rows", rows);
		return log;
	}

	/** A log column's name in the model card: {@code lr} → {@code learningRate}, {@code loss} → {@code meanLoss}, {@code val_x_y} → {@code validationXY}. */
	static String cardName(final String column) {
		switch (column) {
			case "lr": return "learningRate";
			case "loss": return "meanLoss";
			default:
				final String[] parts = column.replaceFirst("^val_", "validation_").split("_");
				final StringBuilder sb = new StringBuilder(parts[0]);
				for (int k = 1; k < parts.length; k++) sb.append(Character.toUpperCase(parts[k].charAt(0))).append(parts[k].substring(1));
				return sb.toString();
		}
	}

	public static void main(final String[] args) throws IOException {
		Path data = Path.of("../shared/data/train");
		Path work = Path.of("target/feature-training");
		Path out = Path.of("models/sss-unet-d32");
		String name = null;
		double minutes = 0;
		final FeatureTrainer.Config cfg = new FeatureTrainer.Config();
		cfg.steps = 1000;
		for (int i = 0; i < args.length; i++) {
			final String a = args[i];
			final String v = i + 1 < args.length ? args[i + 1] : null;
			if (v == null) throw new IllegalArgumentException("Option " + a + " needs a value");
			i++;
			switch (a) {
				case "--data": data = Path.of(v); break;
				case "--work": work = Path.of(v); break;
				case "--out": out = Path.of(v); break;
				case "--name": name = v; break;
				case "--minutes": minutes = Double.parseDouble(v); break;
				case "--widths": cfg.encoderWidths = Arrays.stream(v.split(",")).mapToInt(Integer::parseInt).toArray(); break;
				case "--head": cfg.headWidth = Integer.parseInt(v); break;
				case "--dim": cfg.embeddingDim = Integer.parseInt(v); break;
				case "--stride": cfg.inputStride = Integer.parseInt(v); break;
				case "--val-images": cfg.validationImages = Integer.parseInt(v); break;
				default:
					if (!cfg.parseOption(a, v)) throw new IllegalArgumentException("Unknown option " + a + " (see the class documentation)");
			}
		}
		if (name == null) name = out.getFileName().toString();
		final SharedDataset[] split = SharedDataset.split(data, SharedDataset.VALIDATION_FRACTION);
		System.out.printf(Locale.ROOT, "data: %d training images (%d COCO), %d validation images (%d COCO)%n", split[0].size(),
			split[0].cocoCount(), split[1].size(), split[1].cocoCount());
		final String finalName = name;
		final Path finalOut = out;
		final String reproduce = "scripts/train-features.sh " + String.join(" ", args);
		final TrainingRun.Summary[] summary = new TrainingRun.Summary[1];
		final java.util.concurrent.atomic.AtomicReference<java.util.Map<String, float[]>> weights = new java.util.concurrent.atomic.AtomicReference<>();
		summary[0] = FeatureTrainer.train(cfg, split[0], split[1], work, minutes * 60, System.out, g -> weights.set(g.weights()));
		if (!summary[0].finished) {
			System.out.println("not finished: run the same command again to resume from " + work);
			System.exit(3);
		}
		final UNetArchitecture arch = cfg.architecture();
		final JsonObject card = SavedModelExport.baseCard(finalName, arch);
		card.addProperty("description", "Semantic feature network of the Semantic Soft Segments plugin: a small U-Net trained from "
			+ "scratch with a class-agnostic discriminative (metric-learning) loss so that pixels of the same region or object "
			+ "are close and different ones far apart. Replaces the unavailable network of Aksoy et al. 2018.");
		card.add("training", FeatureTrainer.trainingSection(cfg, summary[0], split[0], split[1]));
		card.add("trainingLog", trainingLog(work.resolve("log.tsv")));
		card.add("trainingData", FeatureTrainer.dataLicences());
		card.addProperty("usageNote", "Trained on research/non-commercial data (BSDS500) and COCO images under Flickr licences: "
			+ "the weights are for research use.");
		final JsonObject metrics = new JsonObject();
		if (Double.isFinite(summary[0].lastValidationAuc)) metrics.addProperty("trainingValidationAuc", summary[0].lastValidationAuc);
		metrics.addProperty("trainingValidationNote", "AUC of same- vs different-region pixel pairs by feature distance on the first "
			+ cfg.validationImages + " held-out images, shrunk to " + cfg.validationMaxSide + " px (see 'validation' for the full evaluation)");
		card.add("metrics", metrics);
		card.addProperty("reproduce", reproduce.trim() + "   (then: scripts/train-features.sh evaluate " + finalOut + ")");
		SavedModelExport.export(arch, weights.get(), card, finalOut);
		System.out.println("exported " + finalOut.toAbsolutePath());
	}
}
