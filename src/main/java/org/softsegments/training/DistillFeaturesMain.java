package org.softsegments.training;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

/**
 * Command line for training the distilled feature network ({@code scripts/train-features.sh distill}):
 * <pre>
 * distill --targets DIR [--data ../shared/data/train] [--work target/distill-training]
 *         [--out models/sss-distilled] [--name NAME] [--minutes 0] [--steps 6000] [--export-now]
 *         [--batch 8] [--crop 256] [--lr 0.001] [--warmup 100] [--seed 1] [--threads 0]
 *         [--widths 24,32,64,128,192] [--residual] [--loss mse|relational] [--pool 64] [--decoder 64] [--dim 32]
 *         [--eval-every 100] [--val-photos 60] [--auc-images 24]
 * </pre>
 * Trains the {@link StudentArchitecture student} on the {@link TeacherTargets} in {@code --targets}
 * (photo paths relative to {@code --data}), resuming from the checkpoint in {@code --work}; the
 * validation split of {@link SharedDataset} under {@code --data} (the held-out benchmark photos) is
 * never trained on. Once all steps are done, or at once with {@code --export-now} (from the
 * latest checkpoint, without training), it exports the SavedModel and its model card to
 * {@code --out}. Exit status 0: exported; 3: stopped by the time budget (run the same command
 * again to continue); 2: bad arguments or data.
 */
public final class DistillFeaturesMain {

	/** The network is run on the photo downscaled so that its long side is at most this (model card {@code inputMaxSide}). */
	public static final int INPUT_MAX_SIDE = 320;

	private DistillFeaturesMain() {}

	public static void main(final String[] args) throws IOException {
		System.exit(run(args, System.out));
	}

	/** Runs the command; returns the exit status. */
	@SuppressWarnings("unchecked")
	static int run(final String[] args, final PrintStream out) throws IOException {
		Path targetsDir = null;
		Path data = Path.of("../shared/data/train");
		Path work = Path.of("target/distill-training");
		Path modelOut = Path.of("models/sss-distilled");
		String name = null;
		double minutes = 0;
		boolean exportNow = false;
		final DistillationTrainer.Config cfg = new DistillationTrainer.Config();
		cfg.validationMaxSide = INPUT_MAX_SIDE;
		try {
			for (int i = 0; i < args.length; i++) {
				final String a = args[i];
				if (a.equals("--export-now")) {
					exportNow = true;
					continue;
				}
				if (a.equals("--residual")) {
					cfg.residual = true;
					continue;
				}
				if (i + 1 >= args.length) throw new IllegalArgumentException("Option " + a + " needs a value");
				final String v = args[++i];
				switch (a) {
					case "--targets": targetsDir = Path.of(v); break;
					case "--data": data = Path.of(v); break;
					case "--work": work = Path.of(v); break;
					case "--out": modelOut = Path.of(v); break;
					case "--name": name = v; break;
					case "--minutes": minutes = Double.parseDouble(v); break;
					case "--widths": cfg.widths = Arrays.stream(v.split(",")).mapToInt(Integer::parseInt).toArray(); break;
					case "--depths": cfg.depths = Arrays.stream(v.split(",")).mapToInt(Integer::parseInt).toArray(); break;
					case "--pool": cfg.poolWidth = Integer.parseInt(v); break;
					case "--decoder": cfg.decoderWidth = Integer.parseInt(v); break;
					case "--dim": cfg.embeddingDim = Integer.parseInt(v); break;
					case "--loss": cfg.loss = DistillationLoss.Form.of(v).name().toLowerCase(java.util.Locale.ROOT); break;
					case "--val-photos": cfg.validationPhotos = Integer.parseInt(v); break;
					case "--auc-images": cfg.aucImages = Integer.parseInt(v); break;
					default:
						if (!cfg.parseOption(a, v)) throw new IllegalArgumentException("Unknown option " + a + " (see org.softsegments.training.DistillFeaturesMain)");
				}
			}
			if (targetsDir == null) throw new IllegalArgumentException("--targets DIR is required (a folder written by TeacherTargetsMain)");
			cfg.architecture(); // validates the widths
		}
		catch (final IllegalArgumentException e) {
			out.println("Error: " + e.getMessage());
			out.println("Usage: scripts/train-features.sh distill --targets DIR [--data DIR] [--work DIR] [--minutes M] [--steps S] "
				+ "[--out DIR] [--export-now]");
			return 2;
		}
		if (name == null) name = modelOut.getFileName().toString();

		final TeacherTargets targets;
		final DistillationData dataset;
		final Set<String> heldOut;
		SharedDataset aucValidation = null;
		try {
			targets = TeacherTargets.open(targetsDir);
			heldOut = DistillationData.heldOutImages(data);
			for (final String image : heldOut.isEmpty() ? targets.images() : List.<String>of()) {
				if (image.startsWith("coco/") || image.startsWith("bsds500/")) {
					throw new IllegalArgumentException("The targets include " + image + ", but " + data
						+ " has no coco/ or bsds500/ folder to tell the held-out benchmark photos from");
				}
			}
			if (!heldOut.isEmpty() && cfg.aucImages > 0) aucValidation = SharedDataset.split(data, SharedDataset.VALIDATION_FRACTION)[1];
			if (exportNow && TrainingRun.existingCheckpoint(work) == null) {
				throw new IllegalArgumentException("--export-now: no checkpoint in " + work);
			}
			dataset = new DistillationData(data, targets, heldOut, validationImages(work, targets, cfg.validationPhotos, heldOut));
		}
		catch (final IllegalArgumentException e) {
			out.println("Error: " + e.getMessage());
			return 2;
		}
		final Map<String, Integer> bySource = DistillationData.countBySource(dataset.trainImages());
		out.printf(Locale.ROOT, "data: %d training photos %s, %d validation photos, %d held-out benchmark photos excluded%n",
			dataset.trainSize(), bySource, dataset.validationSize(), dataset.excludedCount());

		final TrainingRun.Summary summary;
		final Map<String, float[]>[] weights = new Map[1];
		try {
			if (exportNow) {
				final TrainingRun run = new TrainingRun(cfg, work, DistillationTrainer.METRICS, out);
				try (TrainingGraph g = new TrainingGraph(cfg.architecture(), new DistillationLoss(), 1, cfg.architecture().multiple(),
					cfg.threads, cfg.clipNorm))
				{
					summary = run.checkpointSummary(g);
					weights[0] = g.weights();
				}
				out.printf(Locale.ROOT, "exporting the checkpoint at step %d of %d%n", summary.step, cfg.steps);
			}
			else {
				summary = DistillationTrainer.train(cfg, dataset, aucValidation, work, minutes * 60, out, g -> weights[0] = g.weights());
				if (!summary.finished) {
					out.println("not finished: run the same command again to resume from " + work
						+ " (or add --export-now to export the latest checkpoint)");
					return 3;
				}
			}
		}
		catch (final IllegalArgumentException e) { // another configuration in the work folder, targets of another C
			out.println("Error: " + e.getMessage());
			return 2;
		}
		final String command = "scripts/train-features.sh distill " + String.join(" ", args);
		final JsonObject card = card(name, cfg, summary, dataset, work, command);
		SavedModelExport.export(cfg.architecture(), weights[0], card, modelOut);
		out.println("exported " + modelOut.toAbsolutePath());
		return 0;
	}

	/**
	 * The fixed validation photos of a work folder: read from its {@code validation.txt}, or
	 * chosen ({@link DistillationData#chooseValidation}) and written there on the first run, so that
	 * a resume validates on the same photos even if the target folder has grown.
	 */
	static List<String> validationImages(final Path work, final TeacherTargets targets, final int count, final Set<String> excluded)
		throws IOException
	{
		final Path file = work.resolve("validation.txt");
		if (Files.isRegularFile(file)) {
			final List<String> out = new ArrayList<>();
			for (final String line : Files.readAllLines(file, StandardCharsets.UTF_8)) if (!line.isBlank()) out.add(line.strip());
			return out;
		}
		final List<String> chosen = DistillationData.chooseValidation(targets, count, excluded);
		Files.createDirectories(work);
		TrainingRun.writeAtomically(file, chosen.isEmpty() ? "" : String.join("\n", chosen) + "\n");
		return chosen;
	}

	/** The model card: interface fields, architecture, training data and licences, teacher, scores, command. */
	static JsonObject card(final String name, final DistillationTrainer.Config cfg, final TrainingRun.Summary summary,
		final DistillationData data, final Path work, final String command) throws IOException
	{
		final StudentArchitecture arch = cfg.architecture();
		final JsonObject card = SavedModelExport.baseCard(name, arch);
		card.addProperty("inputMaxSide", INPUT_MAX_SIDE);
		card.addProperty("description", "Semantic feature network of the Semantic Soft Segments plugin, distilled: a small CNN "
			+ "trained from random initialisation to reproduce, per pixel, the embedding of a pretrained semantic segmentation "
			+ "network (the teacher, see \"teacher\"). Meant to run on the photo downscaled so that its long side is at most "
			+ "inputMaxSide, in one tile (its image pooling makes every output depend on the whole input).");
		final JsonObject t = new JsonObject();
		t.add("config", cfg.toJson());
		t.addProperty("stepsDone", summary.step);
		t.addProperty("stepsScheduled", cfg.steps);
		t.addProperty("finished", summary.finished);
		if (!summary.finished) {
			t.addProperty("note", "exported from the checkpoint at step " + summary.step + " before the end of the schedule (--export-now)");
		}
		t.addProperty("trainingSeconds", Math.round(summary.seconds));
		if (Double.isFinite(summary.lastLoss)) t.addProperty("finalTrainingLoss", summary.lastLoss);
		t.addProperty("loss", "mean squared error between the student's stride-" + arch.outputStride() + " output grid and the "
			+ "teacher's target (divided by the targets' scale) bilinearly resampled to that grid, over crops, cells and channels");
		t.addProperty("augmentation", "square region of " + cfg.minCropFraction + "–" + cfg.maxCropFraction + " × the photo's shorter "
			+ "side (log-uniform) at a uniform position, resized to " + cfg.crop + "², horizontal flip, colour jitter ±" + cfg.jitter
			+ " (brightness, contrast, saturation, channel gains); the target cut from the same region of its grid");
		t.addProperty("optimiser", "Adam (β1 " + TrainingGraph.BETA1 + ", β2 " + TrainingGraph.BETA2 + "), linear warm-up then cosine "
			+ "decay, global gradient norm clipped at " + cfg.clipNorm);
		t.addProperty("hardware", "CPU, TensorFlow 2.10.1 through TF Java 0.5.0 (graph mode)");
		final JsonObject d = new JsonObject();
		d.addProperty("photosWithTargets", data.targets().size());
		d.addProperty("trainPhotos", data.trainSize());
		final JsonObject bySource = new JsonObject();
		for (final Map.Entry<String, Integer> e : DistillationData.countBySource(data.trainImages()).entrySet()) {
			bySource.addProperty(e.getKey(), e.getValue());
		}
		d.add("trainPhotosBySource", bySource);
		d.addProperty("validationPhotos", data.validationSize());
		d.addProperty("validationNote", "fixed photos from unlabelled/ with targets, never trained on (listed in the work folder's "
			+ "validation.txt); used for validationMse / validationCosine");
		d.addProperty("heldOutExcluded", data.excludedCount());
		d.addProperty("exclusion", "the validation split of the labelled data (SharedDataset, " + Math.round(100 * SharedDataset.VALIDATION_FRACTION)
			+ " % of coco/ and of bsds500/, shuffled with seed " + SharedDataset.SPLIT_SEED + "): the held-out benchmark photos, "
			+ "never trained on; they serve the pair AUC (validationAuc)");
		t.add("data", d);
		card.add("training", t);
		final JsonObject teacher = data.targets().json();
		teacher.addProperty("targetsFolder", data.targets().folder().toString());
		card.add("teacher", teacher);
		final Path log = work.resolve("log.tsv");
		if (Files.isRegularFile(log)) card.add("trainingLog", TrainFeaturesMain.trainingLog(log));
		card.add("trainingData", licences(DistillationData.countBySource(data.trainImages())));
		card.addProperty("usageNote", "Trained on photos for research and non-commercial use (ADE20K, ImageNet sample, BSDS500; COCO "
			+ "photos under their Flickr licences) with targets from a teacher trained on ImageNet and ADE20K: the weights are for "
			+ "research use.");
		final JsonObject metrics = new JsonObject();
		for (final String m : DistillationTrainer.METRICS) {
			final double v = summary.metric(m);
			if (Double.isFinite(v)) metrics.addProperty(TrainFeaturesMain.cardName(m), v);
		}
		metrics.addProperty("note", "validationMse / validationCosine: on the " + data.validationSize() + " validation photos, each whole "
			+ "photo at long side " + cfg.validationMaxSide + " (multiples of " + arch.multiple() + "), against its target on the output "
			+ "grid; validationAuc / validationAucLocal: same- vs different-region pixel pairs by feature distance on the first "
			+ cfg.aucImages + " held-out labelled photos at long side " + cfg.validationMaxSide + " (as in the U-Net's card)");
		card.add("metrics", metrics);
		card.addProperty("command", command);
		card.addProperty("reproduce", "scripts/train-features.sh distill --targets DIR --steps " + cfg.steps
			+ " (resumable; the targets folder from TeacherTargetsMain; see \"command\" for the exact arguments)");
		return card;
	}

	/** The licence section: one entry per source of training photos. */
	static JsonArray licences(final Map<String, Integer> bySource) {
		final JsonArray a = new JsonArray();
		for (final Map.Entry<String, Integer> e : bySource.entrySet()) {
			final JsonObject o = new JsonObject();
			final String n = e.getValue() + " photos (no human labels used: targets from the teacher)";
			switch (e.getKey()) {
				case "bsds500":
					o.addProperty("dataset", "BSDS500 (Berkeley Segmentation Data Set, Arbeláez et al. 2011) train + val photos: " + n);
					o.addProperty("licence", "research and non-commercial use (University of California, Berkeley)");
					break;
				case "coco":
					o.addProperty("dataset", "COCO 2017 (Lin et al. 2014) photos: " + n);
					o.addProperty("licence", "images under their individual Flickr licences (many non-commercial)");
					break;
				case "unlabelled/ade20k":
					o.addProperty("dataset", "ADE20K SceneParsing validation photos (Zhou et al. 2017), via lehtoneo/cross-platform-inference-data-api: " + n);
					o.addProperty("licence", "ADE20K terms of use: non-commercial research and educational use; images remain the property of their owners");
					break;
				case "unlabelled/imagenetsample":
					o.addProperty("dataset", "ImageNet sample photos (one per class, EliSchwartz/imagenet-sample-images): " + n);
					o.addProperty("licence", "ImageNet terms of access: non-commercial research and educational use; copyright stays with the image owners");
					break;
				default:
					o.addProperty("dataset", e.getKey() + ": " + n);
					o.addProperty("licence", "see the data folder's README");
			}
			a.add(o);
		}
		return a;
	}
}
