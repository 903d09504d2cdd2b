package org.softsegments.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.softsegments.core.Progress;
import org.softsegments.core.SegmentationCancelledException;
import org.softsegments.demo.SyntheticScene;
import org.softsegments.eval.BestSubset;
import org.softsegments.image.PlanarImage;

/**
 * End-to-end tests of the reference path on synthetic scenes whose true alpha is known (the fast
 * path: {@link FastPathTest}).
 */
class SemanticSoftSegmentationTest {

	private static SyntheticScene scene;
	private static SegmentationResult paperDefaults;

	@BeforeAll
	static void runOnce() {
		scene = SyntheticScene.create(120, 90, 3, 7);
		paperDefaults = SemanticSoftSegmentation.run(scene.image(), null, Settings.reference(), Progress.NONE, true);
	}

	/** Reduced settings (reference path) so that repeated runs stay fast. */
	private static Settings small() {
		final Settings s = Settings.reference();
		s.eigenvectors = 30;
		s.initialClusters = 12;
		s.constrainedIterations = 12;
		s.relaxedIterations = 5;
		s.superpixels = 300;
		return s;
	}

	@Test
	void bestSubsetsReproduceEachShapesAlpha() {
		final PlanarImage layers = paperDefaults.layers();
		assertEquals(5, layers.channels());
		for (int k = 0; k < scene.shapes(); k++) {
			final BestSubset.Match m = BestSubset.find(layers, scene.alphas()[k]);
			// A shape covers 7–15 % of the 10 800 pixels; a MSE of 0.005 is a few soft edge pixels off.
			assertTrue(m.mse < 0.005, "shape " + k + ": " + m);
			assertTrue(m.sad / 1000 < 0.25, "shape " + k + ": " + m);
		}
	}

	@Test
	void layersSumToOne() {
		final PlanarImage layers = paperDefaults.layers();
		double worst = 0;
		for (int i = 0; i < layers.pixels(); i++) {
			double s = 0;
			for (int k = 0; k < layers.channels(); k++) s += layers.plane(k)[i];
			worst = Math.max(worst, Math.abs(s - 1));
		}
		assertTrue(worst < 1e-3, "max |Σα − 1| = " + worst);
	}

	@Test
	void intermediatesAreReturnedOnRequest() {
		final SegmentationResult.Intermediates im = paperDefaults.intermediates();
		assertNotNull(im);
		assertEquals(100, im.eigenvalues.length);
		assertEquals(3, im.features.channels());
		assertEquals(scene.image().pixels(), im.superpixelLabels.length);
		assertTrue(im.constrainedLayers.channels() >= 5);
		assertEquals(5, im.groupedLayers.channels());
		assertTrue(paperDefaults.stageSeconds().containsKey("total"));
		assertNull(SemanticSoftSegmentation.run(scene.image(), null, small(), Progress.NONE, false).intermediates());
	}

	@Test
	void sameSeedGivesBitIdenticalLayersOnOneAndTwoThreads() {
		final SyntheticScene s = SyntheticScene.create(64, 48, 2, 3);
		final Settings one = small();
		one.threads = 1;
		final Settings two = small();
		two.threads = 2;
		final PlanarImage a = SemanticSoftSegmentation.run(s.image(), null, one, Progress.NONE, false).layers();
		final PlanarImage b = SemanticSoftSegmentation.run(s.image(), null, two, Progress.NONE, false).layers();
		final PlanarImage c = SemanticSoftSegmentation.run(s.image(), null, two, Progress.NONE, false).layers();
		assertTrue(a.sameAs(b), "1 vs 2 threads differ");
		assertTrue(b.sameAs(c), "two runs differ");
	}

	@Test
	void aSuperpixelCountTooLargeForTheImageIsNoted() {
		// 120×90 pixels allow at most 675 superpixels (one per 16 pixels), fewer than the 2500 of the paper
		assertTrue(paperDefaults.notes().stream().anyMatch(n -> n.startsWith("Requested 2500 superpixels") && n.contains(
			"used 675")), paperDefaults.notes().toString());
	}

	@Test
	void greyImagesAndThreeChannelFeaturesAreAccepted() {
		final SyntheticScene s = SyntheticScene.create(48, 40, 2, 5);
		final PlanarImage grey = new PlanarImage(48, 40, new float[][] { s.image().plane(1) });
		final SegmentationResult r = SemanticSoftSegmentation.run(grey, s.image(), small(), Progress.NONE, false);
		assertEquals(5, r.layerCount());
		assertEquals(48, r.layers().width());
	}

	@Test
	void badInputGivesClearErrors() {
		final PlanarImage image = SyntheticScene.create(32, 24, 2, 1).image();
		assertMessage("at least 8×8", () -> run(PlanarImage.zeros(5, 40, 3), null, small()));
		assertMessage("channels", () -> run(PlanarImage.zeros(32, 24, 2), null, small()));
		final PlanarImage nan = image.copy();
		nan.set(3, 4, 1, Float.NaN);
		assertMessage("not finite", () -> run(nan, null, small()));
		final PlanarImage big = image.copy();
		big.set(3, 4, 1, 255);
		assertMessage("outside [0, 1]", () -> run(big, null, small()));
		assertMessage("same size", () -> run(image, PlanarImage.zeros(31, 24, 3), small()));
		assertMessage("channel(s)", () -> run(image, PlanarImage.zeros(32, 24, 2), small()));
		final Settings bad = small();
		bad.relaxedDelta = -1;
		assertMessage("relaxedDelta", () -> run(image, null, bad));
		final Settings many = small();
		many.eigenvectors = 500;
		assertMessage("eigenvectors", () -> run(image, null, many));
	}

	@Test
	void cancellationStopsTheRun() {
		final AtomicInteger reports = new AtomicInteger();
		final Progress cancelAfterSuperpixels = new Progress() {
			@Override
			public void report(final String stage, final double fraction) {
				reports.incrementAndGet();
			}

			@Override
			public boolean isCancelled() {
				return reports.get() > 3;
			}
		};
		assertThrows(SegmentationCancelledException.class, () -> SemanticSoftSegmentation.run(scene.image(), null,
			small(), cancelAfterSuperpixels, false));
	}

	private static SegmentationResult run(final PlanarImage image, final PlanarImage features, final Settings s) {
		return SemanticSoftSegmentation.run(image, features, s, Progress.NONE, false);
	}

	private static void assertMessage(final String expected, final org.junit.jupiter.api.function.Executable e) {
		final IllegalArgumentException x = assertThrows(IllegalArgumentException.class, e);
		assertTrue(x.getMessage().contains(expected), "message '" + x.getMessage() + "' lacks '" + expected + "'");
	}
}
