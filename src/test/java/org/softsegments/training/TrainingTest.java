package org.softsegments.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.softsegments.features.network.FeatureNetwork;
import org.softsegments.image.PlanarImage;

/**
 * A tiny training run on a synthetic pair of images: the loss goes down, a resumed run continues
 * where it stopped, and the exported SavedModel loads in DJL and reproduces the training graph.
 */
class TrainingTest {

	@TempDir
	Path tmp;

	/** Two synthetic 48×40 images with 3 and 4 regions of distinct colours, noise and an ignored strip. */
	static TrainingSource syntheticPair() {
		final LabelledImage[] imgs = new LabelledImage[2];
		for (int k = 0; k < 2; k++) {
			final int w = 48, h = 40;
			final SplittableRandom rng = new SplittableRandom(k);
			final float[][] p = new float[3][w * h];
			final int[] lab = new int[w * h];
			for (int y = 0; y < h; y++) {
				for (int x = 0; x < w; x++) {
					final int i = x + y * w;
					int l = x < w / 2 ? (y < h / 2 ? 0 : 1) : 2;
					if (k == 1 && x >= w / 2 && y >= h / 2) l = 3;
					final float[] colour = { l == 0 ? 0.9f : 0.2f, l == 1 ? 0.8f : 0.3f, l >= 2 ? 0.7f - 0.3f * (l - 2) : 0.1f };
					for (int c = 0; c < 3; c++) p[c][i] = (float) Math.max(0, Math.min(1, colour[c] + 0.08 * rng.nextGaussian()));
					lab[i] = y < 2 ? LabelledImage.IGNORE : l;
				}
			}
			imgs[k] = new LabelledImage(new PlanarImage(w, h, p), lab);
		}
		return new TrainingSource() {

			@Override
			public int size() {
				return 2;
			}

			@Override
			public LabelledImage load(final int index, final SplittableRandom rng) {
				return imgs[index];
			}

			@Override
			public String name(final int index) {
				return "synthetic/" + index;
			}
		};
	}

	static FeatureTrainer.Config tinyConfig(final int steps) {
		final FeatureTrainer.Config cfg = new FeatureTrainer.Config();
		final UNetArchitecture a = TinyModels.tinyArchitecture();
		cfg.encoderWidths = a.encoderWidths();
		cfg.headWidth = a.headWidth();
		cfg.embeddingDim = a.embeddingDim();
		cfg.inputStride = a.inputStride();
		cfg.batch = 2;
		cfg.crop = 32;
		cfg.minScale = 0.8;
		cfg.maxScale = 1.0;
		cfg.steps = steps;
		cfg.learningRate = 0.01;
		cfg.warmupSteps = 2;
		cfg.evalEvery = 1000;
		cfg.validationImages = 0;
		cfg.seed = 5;
		return cfg;
	}

	/** A fixed evaluation batch: one crop per synthetic image, fixed seeds. */
	static double fixedBatchLoss(final TrainingGraph g, final FeatureTrainer.Config cfg, final TrainingSource src) throws IOException {
		final Augmentation aug = new Augmentation(cfg.crop, 1, 1, 0);
		final float[] batch = new float[cfg.batch * cfg.crop * cfg.crop * 3];
		final List<DiscriminativeLoss.Targets> targets = new ArrayList<>();
		for (int b = 0; b < cfg.batch; b++) {
			final LabelledImage crop = aug.sample(src.load(b % 2, null), new SplittableRandom(100 + b));
			for (int i = 0; i < crop.rgb().pixels(); i++) {
				for (int c = 0; c < 3; c++) batch[(b * crop.rgb().pixels() + i) * 3 + c] = crop.rgb().plane(c)[i];
			}
			targets.add(DiscriminativeLoss.Targets.of(crop.labels(), cfg.maxRegions, cfg.minRegionPixels, cfg.batch));
		}
		return g.loss(batch, targets);
	}

	@Test
	void lossDecreasesAndExportLoadsInDjl() throws IOException {
		final FeatureTrainer.Config cfg = tinyConfig(40);
		final TrainingSource src = syntheticPair();
		final double[] before = new double[1];
		try (TrainingGraph g = new TrainingGraph(cfg.architecture(), cfg.batch, cfg.crop, 0, cfg.clipNorm)) {
			g.initialise(cfg.seed);
			before[0] = fixedBatchLoss(g, cfg, src);
		}
		final double[] after = new double[1];
		final Map<String, float[]>[] weights = new Map[1];
		final PlanarImage probe = TinyModels.testImage(81, 71, 9);
		final PlanarImage[] trainingGraphFeatures = new PlanarImage[1];
		final TrainingRun.Summary s = FeatureTrainer.train(cfg, src, null, tmp.resolve("work"), 0, quiet(), g -> {
			try {
				after[0] = fixedBatchLoss(g, cfg, src);
			}
			catch (final IOException e) {
				throw new RuntimeException(e);
			}
			weights[0] = g.weights();
			trainingGraphFeatures[0] = FeatureTrainer.embed(g, probe);
		});
		assertTrue(s.finished);
		assertEquals(40, s.step);
		assertTrue(after[0] < 0.5 * before[0], "loss on a fixed batch should drop: " + before[0] + " → " + after[0]);

		final Path model = tmp.resolve("model");
		TinyModels.export(cfg.architecture(), weights[0], model, 24);
		assertTrue(Files.size(model.resolve("saved_model.pb")) < 1_000_000);
		try (FeatureNetwork net = FeatureNetwork.load(model)) {
			assertEquals(cfg.embeddingDim, net.channels());
			final PlanarImage f = net.features(probe);
			assertEquals(81, f.width());
			assertEquals(71, f.height());
			// DJL inference with the exported constants reproduces the training graph away from the borders (the
			// two pad differently; pixels farther than the receptive radius from every border see the same input)
			final int r = cfg.architecture().receptiveRadius();
			double max = 0, scale = 0;
			for (int y = r + 1; y < 71 - r - 1; y++) {
				for (int x = r + 1; x < 81 - r - 1; x++) {
					for (int c = 0; c < f.channels(); c++) {
						max = Math.max(max, Math.abs(f.get(x, y, c) - trainingGraphFeatures[0].get(x, y, c)));
						scale = Math.max(scale, Math.abs(f.get(x, y, c)));
					}
				}
			}
			assertTrue(max <= 1e-4 * Math.max(1, scale), "exported model differs from the training graph by " + max);
		}
	}

	@Test
	void resumedRunContinuesWhereItStopped() throws IOException {
		final TrainingSource src = syntheticPair();
		final Map<String, float[]>[] straight = new Map[1];
		FeatureTrainer.train(tinyConfig(6), src, null, tmp.resolve("straight"), 0, quiet(), g -> straight[0] = g.weights());
		// same configuration, stopped after 3 steps by the test (a run with steps = 3 would change the schedule)
		final Path work = tmp.resolve("resumed");
		final FeatureTrainer.Config first = tinyConfig(6);
		first.checkpointSeconds = 0;
		final TrainingRun.Summary part = FeatureTrainer.train(first, src, null, work, 1e-9, quiet(), null);
		assertEquals(1, part.step, "a tiny budget stops after the first step");
		assertTrue(!part.finished);
		final Map<String, float[]>[] resumed = new Map[1];
		final TrainingRun.Summary rest = FeatureTrainer.train(tinyConfig(6), src, null, work, 0, quiet(), g -> resumed[0] = g.weights());
		assertTrue(rest.finished);
		assertEquals(6, rest.step);
		double max = 0;
		for (final String k : straight[0].keySet()) {
			final float[] a = straight[0].get(k), b = resumed[0].get(k);
			for (int i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
		}
		assertTrue(max < 1e-4, "resumed weights differ from an uninterrupted run by " + max);
		assertTrue(Files.readString(work.resolve("log.tsv")).contains("# resumed at step 1"));
	}

	@Test
	void otherConfigurationInTheSameWorkFolderIsRefused() throws IOException {
		final Path work = tmp.resolve("w");
		FeatureTrainer.train(tinyConfig(1), syntheticPair(), null, work, 0, quiet(), null);
		final FeatureTrainer.Config other = tinyConfig(1);
		other.learningRate = 0.5;
		final IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
			() -> FeatureTrainer.train(other, syntheticPair(), null, work, 0, quiet(), null));
		assertTrue(e.getMessage().contains("another configuration"), e.getMessage());
	}

	@Test
	void learningRateSchedule() {
		final FeatureTrainer.Config cfg = tinyConfig(102);
		cfg.learningRate = 1e-3;
		cfg.warmupSteps = 2;
		cfg.finalLearningRateFraction = 0.1;
		assertEquals(0.5e-3, cfg.learningRateAt(0), 1e-12);
		assertEquals(1e-3, cfg.learningRateAt(1), 1e-12);
		assertEquals(1e-3, cfg.learningRateAt(2), 1e-12);
		assertEquals(0.55e-3, cfg.learningRateAt(52), 1e-12); // half way down the cosine
		assertEquals(1e-4, cfg.learningRateAt(102), 1e-12);
		assertEquals(1e-4, cfg.learningRateAt(500), 1e-12);
	}

	private static PrintStream quiet() {
		return new PrintStream(java.io.OutputStream.nullOutputStream());
	}
}
