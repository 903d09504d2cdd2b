package org.softsegments.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.softsegments.core.Progress;
import org.softsegments.demo.SyntheticScene;
import org.softsegments.eval.BestSubset;
import org.softsegments.image.PlanarImage;

/** The fast path (issue 6) end to end on a synthetic scene whose true alpha is known. */
class FastPathTest {

	private static SyntheticScene scene;
	private static SegmentationResult fast;

	private static Settings fastSettings() {
		final Settings s = new Settings();
		assertEquals(Settings.Mode.FAST, s.mode, "the fast path is the default");
		s.workingPixels = 120 * 90;
		return s;
	}

	@BeforeAll
	static void runOnce() {
		scene = SyntheticScene.create(240, 180, 6, 7);
		fast = SemanticSoftSegmentation.run(scene.image(), null, fastSettings(), Progress.NONE, true);
	}

	@Test
	void workingSizeKeepsTheAspectRatioWithinTheBudget() {
		final Settings s = Settings.reference();
		assertArrayEquals(new int[] { 640, 480 }, SemanticSoftSegmentation.workingSize(640, 480, s), "reference path");
		s.mode = Settings.Mode.FAST;
		assertArrayEquals(new int[] { 163, 122 }, SemanticSoftSegmentation.workingSize(640, 480, s));
		assertArrayEquals(new int[] { 200, 100 }, SemanticSoftSegmentation.workingSize(200, 100, s), "small image");
		s.workingPixels = 0;
		assertArrayEquals(new int[] { 640, 480 }, SemanticSoftSegmentation.workingSize(640, 480, s), "0 = full size");
		s.workingPixels = 100;
		assertThrows(IllegalArgumentException.class, s::validate);
	}

	@Test
	void rawFeaturesAtTheWorkingSizeGiveTheSameLayersAsFullSizeOnes() {
		// 6 raw channels (preprocessed by the engine): the shape masks plus noise, at full size
		final PlanarImage full = rawFeatures(scene);
		final Settings s = fastSettings();
		final int[] size = SemanticSoftSegmentation.workingSize(240, 180, s);
		final SegmentationResult a = SemanticSoftSegmentation.run(scene.image(), full, s, Progress.NONE, false);
		final SegmentationResult b = SemanticSoftSegmentation.run(scene.image(), org.softsegments.image.Resize.smooth(full, size[0],
			size[1]), s, Progress.NONE, false);
		for (int k = 0; k < a.layers().channels(); k++) assertArrayEquals(a.layers().plane(k), b.layers().plane(k), "layer " + k);
		// any other size is refused, and the working size is not accepted on the reference path
		assertThrows(IllegalArgumentException.class, () -> SemanticSoftSegmentation.run(scene.image(), org.softsegments.image.Resize
			.smooth(full, size[0] + 1, size[1]), s, Progress.NONE, false));
		final Settings ref = Settings.reference();
		ref.superpixels = 200;
		ref.eigenvectors = 20;
		assertThrows(IllegalArgumentException.class, () -> SemanticSoftSegmentation.run(scene.image(), org.softsegments.image.Resize
			.smooth(full, size[0], size[1]), ref, Progress.NONE, false));
	}

	private static PlanarImage rawFeatures(final SyntheticScene scene) {
		final int n = 240 * 180;
		final java.util.SplittableRandom rng = new java.util.SplittableRandom(3);
		final float[][] f = new float[6][n];
		for (int c = 0; c < 6; c++) {
			final float[] alpha = scene.alphas()[c % scene.shapes()];
			for (int i = 0; i < n; i++) f[c][i] = alpha[i] + 0.05f * (float) rng.nextGaussian();
		}
		return new PlanarImage(240, 180, f);
	}

	@Test
	void layersHaveFullResolutionSumToOneAndReproduceEachShape() {
		final PlanarImage layers = fast.layers();
		assertEquals(240, layers.width());
		assertEquals(180, layers.height());
		assertEquals(5, layers.channels());
		double worst = 0;
		for (int i = 0; i < layers.pixels(); i++) {
			double sum = 0;
			for (int k = 0; k < layers.channels(); k++) sum += layers.plane(k)[i];
			worst = Math.max(worst, Math.abs(sum - 1));
		}
		assertTrue(worst < 2e-3, "worst |sum − 1| = " + worst);
		for (int k = 0; k < scene.shapes(); k++) {
			final BestSubset.Match m = BestSubset.find(layers, scene.alphas()[k]);
			assertTrue(m.mse < 0.005, "shape " + k + ": " + m);
		}
	}

	/**
	 * Summed best-subset SAD of the fast path over the scene's shapes: at most this (1.5 × what it
	 * reaches; a fast path three times worse fails).
	 */
	static final double FAST_SAD_LIMIT = 175;
	/** Per shape, the fast path's SAD is at most this fraction of the reference path's (1.5 × the worst measured ratio). */
	static final double FAST_TO_REFERENCE_LIMIT = 0.3;

	/**
	 * The fast path against the reference path (full resolution, exact iterations, no clean-up) on
	 * the scene: per shape and summed, its best-subset SAD stays within the bounds above, far below
	 * the reference path's own (which its clean-up and working resolution improve on here).
	 */
	@Test
	void agreesWithTheReferencePathOnTheScene() {
		final SegmentationResult reference = SemanticSoftSegmentation.run(scene.image(), null, Settings.reference(),
			Progress.NONE, false);
		final StringBuilder report = new StringBuilder();
		final double[] fastShape = new double[scene.shapes()], referenceShape = new double[scene.shapes()];
		double fastSad = 0, referenceSad = 0;
		for (int k = 0; k < scene.shapes(); k++) {
			fastShape[k] = BestSubset.find(fast.layers(), scene.alphas()[k]).sad;
			referenceShape[k] = BestSubset.find(reference.layers(), scene.alphas()[k]).sad;
			report.append(String.format(java.util.Locale.ROOT, " shape %d: fast %.1f reference %.1f;", k, fastShape[k],
				referenceShape[k]));
			fastSad += fastShape[k];
			referenceSad += referenceShape[k];
		}
		report.append(String.format(java.util.Locale.ROOT, " sum: fast %.1f reference %.1f", fastSad, referenceSad));
		System.out.println("fast path vs reference path, best-subset SAD:" + report);
		for (int k = 0; k < scene.shapes(); k++) {
			assertTrue(fastShape[k] <= FAST_TO_REFERENCE_LIMIT * referenceShape[k], "shape " + k + " above "
				+ FAST_TO_REFERENCE_LIMIT + " × the reference path's SAD:" + report);
		}
		assertTrue(fastSad <= FAST_SAD_LIMIT, "summed SAD of the fast path above " + FAST_SAD_LIMIT + ":" + report);
	}

	@Test
	void sampledGramsRecoverTheShapesAsWellAsExactGrams() {
		final Settings exact = fastSettings();
		exact.sampledGrams = false;
		final PlanarImage reference = SemanticSoftSegmentation.run(scene.image(), null, exact, Progress.NONE, false).layers();
		double sampledSad = 0, exactSad = 0;
		for (int k = 0; k < scene.shapes(); k++) {
			final BestSubset.Match sampled = BestSubset.find(fast.layers(), scene.alphas()[k]);
			final BestSubset.Match all = BestSubset.find(reference, scene.alphas()[k]);
			assertTrue(all.mse < 0.005, "exact Grams, shape " + k + ": " + all);
			sampledSad += sampled.sad;
			exactSad += all.sad;
		}
		assertTrue(sampledSad < 1.05 * exactSad, "summed SAD with sampled Grams " + sampledSad + " vs exact " + exactSad);
	}

	@Test
	void cleanupRemovesTheFloorOfSmallValuesAndLowersTheError() {
		final Settings raw = fastSettings();
		raw.cleanupThreshold = 0; // clip and renormalise only
		final PlanarImage unclean = SemanticSoftSegmentation.run(scene.image(), null, raw, Progress.NONE, false).layers();
		final PlanarImage clean = fast.layers();
		int zerosClean = 0, zerosRaw = 0;
		for (int i = 0; i < clean.pixels(); i++) {
			double sum = 0;
			for (int k = 0; k < clean.channels(); k++) {
				final float v = clean.plane(k)[i];
				assertTrue(v >= 0 && v <= 1, "pixel " + i + " layer " + k + ": " + v);
				sum += v;
				if (v == 0) zerosClean++;
				if (unclean.plane(k)[i] == 0) zerosRaw++;
			}
			assertEquals(1, sum, 1e-6, "pixel " + i);
		}
		double sadClean = 0, sadRaw = 0;
		for (int k = 0; k < scene.shapes(); k++) {
			sadClean += BestSubset.find(clean, scene.alphas()[k]).sad;
			sadRaw += BestSubset.find(unclean, scene.alphas()[k]).sad;
		}
		final String report = String.format(java.util.Locale.ROOT, "zeros %d vs %d of %d values, SAD %.1f vs %.1f",
			zerosClean, zerosRaw, clean.pixels() * clean.channels(), sadClean, sadRaw);
		assertTrue(zerosClean > 2 * zerosRaw, report);
		assertTrue(sadClean < sadRaw, report);
	}

	@Test
	void stagesAndNotesTellWhatRan() {
		assertTrue(fast.stageSeconds().containsKey(SemanticSoftSegmentation.UPSAMPLING), fast.stageSeconds().toString());
		// 10 800 working pixels allow at most 675 superpixels: said once, in the working-resolution note
		assertTrue(fast.notes().stream().anyMatch(n -> n.contains("120×90") && n.contains("675 of the 2500 superpixels")),
			fast.notes().toString());
		assertTrue(fast.notes().stream().noneMatch(n -> n.startsWith("Requested")), fast.notes().toString());
		assertEquals(120, fast.intermediates().features.width(), "intermediates are at the working resolution");
	}

	@Test
	void sameSeedGivesBitIdenticalLayersOnOneAndTwoThreads() {
		final SyntheticScene s = SyntheticScene.create(96, 72, 3, 3);
		final Settings settings = fastSettings();
		settings.workingPixels = 4096;
		settings.eigenvectors = 30;
		settings.initialClusters = 12;
		settings.constrainedIterations = 12;
		settings.relaxedIterations = 5;
		settings.superpixels = 300;
		settings.threads = 1;
		final PlanarImage one = SemanticSoftSegmentation.run(s.image(), null, settings, Progress.NONE, false).layers();
		settings.threads = 2;
		final PlanarImage two = SemanticSoftSegmentation.run(s.image(), null, settings, Progress.NONE, false).layers();
		for (int k = 0; k < one.channels(); k++) assertArrayEquals(one.plane(k), two.plane(k), "layer " + k);
	}

	@Test
	void greyImagesWorkOnTheFastPath() {
		final PlanarImage rgb = SyntheticScene.create(96, 72, 3, 5).image();
		final PlanarImage grey = new PlanarImage(96, 72, new float[][] { rgb.plane(1) });
		final Settings settings = fastSettings();
		settings.workingPixels = 1024;
		settings.eigenvectors = 30;
		settings.superpixels = 100;
		final PlanarImage layers = SemanticSoftSegmentation.run(grey, null, settings, Progress.NONE, false).layers();
		assertEquals(96, layers.width());
		for (int i = 0; i < layers.pixels(); i++) {
			double sum = 0;
			for (int k = 0; k < layers.channels(); k++) sum += layers.plane(k)[i];
			assertTrue(Math.abs(sum - 1) < 2e-3, "pixel " + i + ": sum " + sum);
		}
	}
}
