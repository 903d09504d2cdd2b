package org.softsegments.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.softsegments.features.network.FeatureNetwork;
import org.softsegments.features.network.ModelCard;
import org.softsegments.image.PlanarImage;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * Tiny distillation runs on a synthetic data root: photos of three coloured regions whose target
 * is a fixed vector per region. The student learns it, a resumed run matches an uninterrupted one,
 * and the command line trains, stops on its time budget, exports early and at the end, and writes
 * a SavedModel that {@link FeatureNetwork} loads and that reproduces the training graph.
 */
class DistillationTest {

	@TempDir
	Path tmp;

	static final int C = 6;
	static final float[][] REGION_VECTORS = { { 1, 0, -1, 0.5f, 0, 1 }, { -1, 1, 0, 0, 0.5f, -1 }, { 0, -1, 1, -0.5f, -0.5f, 0 } };

	/** Region of normalised position (u, v) in synthetic photo k: left part 0, right-top 1, right-bottom 2. */
	static int region(final double u, final double v, final int k) {
		final double split = 0.35 + 0.05 * (k % 4);
		return u < split ? 0 : v < 0.3 + 0.1 * (k % 3) ? 1 : 2;
	}

	static final float[][] COLOURS = { { 0.85f, 0.2f, 0.2f }, { 0.2f, 0.75f, 0.3f }, { 0.25f, 0.3f, 0.8f } };

	/** Writes photo k (w×h, JPEG or PNG by the name) and returns its region map. */
	static int[] writePhoto(final Path file, final int w, final int h, final int k) throws IOException {
		final BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
		final SplittableRandom rng = new SplittableRandom(k);
		final int[] labels = new int[w * h];
		for (int y = 0; y < h; y++) {
			for (int x = 0; x < w; x++) {
				final int l = region((x + 0.5) / w, (y + 0.5) / h, k);
				labels[x + y * w] = l;
				int rgb = 0;
				for (int c = 0; c < 3; c++) {
					final int v = (int) Math.round(255 * Math.max(0, Math.min(1, COLOURS[l][c] + 0.05 * rng.nextGaussian())));
					rgb = rgb << 8 | v;
				}
				img.setRGB(x, y, rgb);
			}
		}
		Files.createDirectories(file.getParent());
		final String name = file.getFileName().toString();
		ImageIO.write(img, name.substring(name.lastIndexOf('.') + 1).equals("png") ? "png" : "jpg", file.toFile());
		return labels;
	}

	/** The target of photo k: the region vector of each grid cell's centre. */
	static float[] target(final int gw, final int gh, final int k) {
		final float[] t = new float[gw * gh * C];
		for (int i = 0; i < gh; i++) {
			for (int j = 0; j < gw; j++) {
				System.arraycopy(REGION_VECTORS[region((j + 0.5) / gw, (i + 0.5) / gh, k)], 0, t, (i * gw + j) * C, C);
			}
		}
		return t;
	}

	/**
	 * A data root with 6 unlabelled PNG photos and 10 COCO photos with instance maps (SharedDataset
	 * holds one of them out), all with targets in {@code targets/}.
	 */
	static void syntheticData(final Path data, final Path targets) throws IOException {
		final JsonObject teacher = new JsonObject();
		teacher.addProperty("model", "synthetic region vectors");
		try (TeacherTargets.Writer w = TeacherTargets.Writer.open(targets, teacher, C, 1, null)) {
			for (int k = 0; k < 16; k++) {
				final boolean coco = k >= 6;
				final int pw = 64, ph = 48;
				final String image = coco ? "coco/images/00000000000" + (k - 6) + ".jpg" : "unlabelled/images/synth_" + k + ".png";
				final int[] labels = writePhoto(data.resolve(image), pw, ph, k);
				if (coco) {
					final BufferedImage inst = new BufferedImage(pw, ph, BufferedImage.TYPE_BYTE_GRAY);
					for (int i = 0; i < labels.length; i++) inst.getRaster().setSample(i % pw, i / pw, 0, labels[i]);
					Files.createDirectories(data.resolve("coco/instances"));
					ImageIO.write(inst, "png", data.resolve("coco/instances/00000000000" + (k - 6) + ".png").toFile());
				}
				final int[] g = TeacherTargets.gridSize(pw, ph);
				w.write(image, g[0], g[1], target(g[0], g[1], k));
			}
		}
	}

	static DistillationTrainer.Config tinyConfig(final int steps) {
		final DistillationTrainer.Config cfg = new DistillationTrainer.Config();
		final StudentArchitecture a = StudentArchitectureTest.tiny();
		cfg.widths = a.widths();
		cfg.depths = a.depths();
		cfg.poolWidth = a.poolWidth();
		cfg.decoderWidth = a.decoderWidth();
		cfg.embeddingDim = a.embeddingDim();
		cfg.batch = 2;
		cfg.crop = 32;
		cfg.steps = steps;
		cfg.learningRate = 0.01;
		cfg.warmupSteps = 2;
		cfg.evalEvery = 1000;
		cfg.validationPhotos = 1;
		cfg.validationMaxSide = 64;
		cfg.aucImages = 0;
		cfg.seed = 5;
		cfg.threads = 1;
		return cfg;
	}

	DistillationData data(final DistillationTrainer.Config cfg) throws IOException {
		final Path root = tmp.resolve("data"), targets = tmp.resolve("targets");
		if (!Files.isDirectory(targets)) syntheticData(root, targets);
		final TeacherTargets t = TeacherTargets.open(targets);
		final java.util.Set<String> heldOut = DistillationData.heldOutImages(root);
		return new DistillationData(root, t, heldOut, DistillationData.chooseValidation(t, cfg.validationPhotos, heldOut));
	}

	@Test
	void studentLearnsTheTargets() throws IOException {
		final DistillationTrainer.Config cfg = tinyConfig(150);
		final DistillationData data = data(cfg);
		final DistillationTrainer.Validation val = new DistillationTrainer.Validation(data, cfg.architecture(), cfg.validationMaxSide);
		final double[] before = new double[1];
		try (TrainingGraph g = new TrainingGraph(cfg.architecture(), new DistillationLoss(), cfg.batch, cfg.crop, 1, cfg.clipNorm)) {
			g.initialise(cfg.seed);
			before[0] = val.score(g)[0];
		}
		final TrainingRun.Summary s = DistillationTrainer.train(cfg, data, null, tmp.resolve("work"), 0, quiet(), null);
		assertTrue(s.finished);
		assertEquals(150, s.step);
		final double variance = val.targetVariance();
		final double after = s.metric("val_mse");
		assertTrue(after < 0.5 * before[0], "validation MSE should drop: " + before[0] + " → " + after);
		assertTrue(after < 0.5 * variance, "the student should beat the best constant (" + variance + "): " + after);
		assertTrue(s.metric("val_cosine") > 0.5, "cosine " + s.metric("val_cosine"));
		final String log = Files.readString(tmp.resolve("work/log.tsv"));
		assertTrue(log.startsWith("step\tseconds\tlr\tloss\tgrad_norm\tval_mse\tval_cosine\tval_auc\tval_auc_local\n"), log);
	}

	@Test
	void resumedRunMatchesAnUninterruptedOne() throws IOException {
		final java.util.concurrent.atomic.AtomicReference<Map<String, float[]>> straight = new java.util.concurrent.atomic.AtomicReference<>();
		final DistillationTrainer.Config cfg = tinyConfig(6);
		final DistillationData data = data(cfg);
		DistillationTrainer.train(cfg, data, null, tmp.resolve("straight"), 0, quiet(), g -> straight.set(g.weights()));
		final Path work = tmp.resolve("resumed");
		final DistillationTrainer.Config first = tinyConfig(6);
		first.checkpointSeconds = 0;
		final TrainingRun.Summary part = DistillationTrainer.train(first, data, null, work, 1e-9, quiet(), null);
		assertEquals(1, part.step, "a tiny budget stops after the first step");
		assertFalse(part.finished);
		final java.util.concurrent.atomic.AtomicReference<Map<String, float[]>> resumed = new java.util.concurrent.atomic.AtomicReference<>();
		final TrainingRun.Summary rest = DistillationTrainer.train(tinyConfig(6), data, null, work, 0, quiet(), g -> resumed.set(g.weights()));
		assertTrue(rest.finished);
		assertEquals(6, rest.step);
		double max = 0;
		for (final String k : straight.get().keySet()) {
			final float[] a = straight.get().get(k), b = resumed.get().get(k);
			for (int i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
		}
		assertTrue(max < 1e-4, "resumed weights differ from an uninterrupted run by " + max);
		assertTrue(Files.readString(work.resolve("log.tsv")).contains("# resumed at step 1"));
	}

	@Test
	void commandLineTrainsExportsAndTheModelMatchesTheTrainingGraph() throws IOException {
		final Path root = tmp.resolve("data"), targets = tmp.resolve("targets"), work = tmp.resolve("work"), out = tmp.resolve("model");
		syntheticData(root, targets);
		final List<String> base = List.of("--targets", targets.toString(), "--data", root.toString(), "--work", work.toString(), "--out",
			out.toString(), "--steps", "4", "--batch", "2", "--crop", "32", "--widths", "4,4,8,8,8", "--depths", "1,1,1,2", "--pool", "4",
			"--decoder", "8", "--dim", "6", "--val-photos", "2", "--eval-every", "2", "--lr", "0.01", "--warmup", "1", "--threads", "1");
		final ByteArrayOutputStream text = new ByteArrayOutputStream();
		final PrintStream console = new PrintStream(text, true);
		// a tiny time budget stops after the first step
		assertEquals(3, DistillFeaturesMain.run(with(base, "--minutes", "1e-9"), console), text.toString());
		assertFalse(Files.exists(out));
		// export the checkpoint before the schedule ends
		assertEquals(0, DistillFeaturesMain.run(with(base, "--export-now"), console), text.toString());
		JsonObject card = JsonParser.parseString(Files.readString(out.resolve(ModelCard.FILE_NAME))).getAsJsonObject();
		assertEquals(1, card.getAsJsonObject("training").get("stepsDone").getAsInt());
		assertFalse(card.getAsJsonObject("training").get("finished").getAsBoolean());
		// continue to the end
		assertEquals(0, DistillFeaturesMain.run(base.toArray(new String[0]), console), text.toString());
		assertTrue(text.toString().contains("resumed at step 1"), text.toString());
		card = JsonParser.parseString(Files.readString(out.resolve(ModelCard.FILE_NAME))).getAsJsonObject();
		final JsonObject training = card.getAsJsonObject("training");
		assertEquals(4, training.get("stepsDone").getAsInt());
		assertTrue(training.get("finished").getAsBoolean());
		assertEquals("image", card.getAsJsonObject("input").get("name").getAsString());
		assertEquals("RGB", card.getAsJsonObject("input").get("channelOrder").getAsString());
		assertEquals("features", card.getAsJsonObject("output").get("name").getAsString());
		assertEquals(6, card.getAsJsonObject("output").get("channels").getAsInt());
		assertEquals(32, card.get("paddingMultiple").getAsInt());
		assertEquals(320, card.get("inputMaxSide").getAsInt());
		assertEquals(StudentArchitectureTest.tiny().parameterCount(), card.getAsJsonObject("architecture").get("parameters").getAsLong());
		final JsonObject d = training.getAsJsonObject("data");
		assertEquals(1, d.get("heldOutExcluded").getAsInt(), "one COCO photo is SharedDataset's held-out benchmark photo");
		assertEquals(2, d.get("validationPhotos").getAsInt());
		assertEquals(16 - 1 - 2, d.get("trainPhotos").getAsInt());
		assertEquals(9, d.getAsJsonObject("trainPhotosBySource").get("coco").getAsInt());
		assertEquals(4, d.getAsJsonObject("trainPhotosBySource").get("unlabelled/synth").getAsInt());
		assertEquals("synthetic region vectors", card.getAsJsonObject("teacher").getAsJsonObject("teacher").get("model").getAsString());
		assertTrue(card.getAsJsonObject("metrics").has("validationMse"));
		assertTrue(card.getAsJsonObject("metrics").has("validationAuc"), "the held-out COCO photo gives a pair AUC");
		assertEquals(2, card.getAsJsonObject("trainingLog").getAsJsonArray("rows").size());
		assertTrue(card.get("command").getAsString().startsWith("scripts/train-features.sh distill --targets "));
		assertTrue(card.getAsJsonArray("trainingData").toString().contains("COCO"));

		// the exported model, run by the plugin's runner (reflection margin of tileMargin around the one tile), equals the
		// training graph restored from the final checkpoint on the same padded input
		final StudentArchitecture arch = StudentArchitectureTest.tiny();
		final int margin = card.get("tileMargin").getAsInt();
		final PlanarImage probe = TinyModels.testImage(64, 64, 9);
		try (FeatureNetwork net = FeatureNetwork.load(out);
			TrainingGraph g = new TrainingGraph(arch, new DistillationLoss(), 1, 32, 1, 5))
		{
			assertEquals(6, net.channels());
			final PlanarImage f = net.features(probe);
			assertEquals(64, f.width());
			assertEquals(64, f.height());
			g.restore(TrainingRun.existingCheckpoint(work).resolve("ckpt"));
			final int side = 64 + 2 * margin;
			final float[][] padded = new float[3][side * side];
			for (int y = 0; y < side; y++) {
				for (int x = 0; x < side; x++) {
					final int s = FeatureTrainer.reflect(x - margin, 64) + 64 * FeatureTrainer.reflect(y - margin, 64);
					for (int c = 0; c < 3; c++) padded[c][x + y * side] = probe.plane(c)[s];
				}
			}
			final float[] ref = g.embed(StudentArchitectureTest.nhwc(new PlanarImage(side, side, padded)), side, side);
			double max = 0, scale = 0;
			for (int y = 0; y < 64; y++) {
				for (int x = 0; x < 64; x++) {
					for (int c = 0; c < 6; c++) {
						final float r = ref[((y + margin) * side + x + margin) * 6 + c];
						max = Math.max(max, Math.abs(f.get(x, y, c) - r));
						scale = Math.max(scale, Math.abs(r));
					}
				}
			}
			assertTrue(scale > 0 && max <= 1e-4 * Math.max(1, scale), "exported model differs from the training graph by " + max);
		}
	}

	private static String[] with(final List<String> base, final String... more) {
		final List<String> all = new ArrayList<>(base);
		all.addAll(List.of(more));
		return all.toArray(new String[0]);
	}

	private static PrintStream quiet() {
		return new PrintStream(OutputStream.nullOutputStream());
	}
}
