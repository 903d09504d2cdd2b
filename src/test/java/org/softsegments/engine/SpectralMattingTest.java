package org.softsegments.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.softsegments.core.Progress;
import org.softsegments.core.SegmentationCancelledException;
import org.softsegments.demo.SyntheticScene;
import org.softsegments.eval.BestSubset;
import org.softsegments.image.PlanarImage;

class SpectralMattingTest {

	private static final SpectralMatting.Params SMALL = new SpectralMatting.Params(24, 10, 0.8, 20);

	@Test
	void layersSumToOneAndReproduceTheShapes() {
		final SyntheticScene scene = SyntheticScene.create(64, 48, 2, 7);
		final SegmentationResult r = SpectralMatting.run(scene.image(), new Settings(), SMALL, Progress.NONE);
		final PlanarImage layers = r.layers();
		assertEquals(5, layers.channels());
		double worst = 0;
		for (int i = 0; i < layers.pixels(); i++) {
			double s = 0;
			for (int k = 0; k < 5; k++) s += layers.plane(k)[i];
			worst = Math.max(worst, Math.abs(s - 1));
		}
		assertTrue(worst < 1e-6, "max |Σα − 1| = " + worst);
		for (int k = 0; k < scene.shapes(); k++) {
			final BestSubset.Match m = BestSubset.find(layers, scene.alphas()[k]);
			assertTrue(m.mse < 0.01, "shape " + k + ": " + m);
		}
		for (final String stage : new String[] { SemanticSoftSegmentation.AFFINITIES, SemanticSoftSegmentation.EIGENVECTORS,
			SemanticSoftSegmentation.INITIAL_CLUSTERS, SemanticSoftSegmentation.CONSTRAINED, SemanticSoftSegmentation.GROUPING,
			"total" })
		{
			assertTrue(r.stageSeconds().containsKey(stage), stage);
		}
		assertEquals(6, r.stageSeconds().size(), "no superpixel, feature or relaxed stage");
	}

	@Test
	void sameSeedGivesBitIdenticalLayersOnOneAndTwoThreads() {
		final SyntheticScene scene = SyntheticScene.create(40, 30, 2, 3);
		final Settings one = new Settings();
		one.threads = 1;
		final Settings two = new Settings();
		two.threads = 2;
		final PlanarImage a = SpectralMatting.run(scene.image(), one, SMALL, Progress.NONE).layers();
		final PlanarImage b = SpectralMatting.run(scene.image(), two, SMALL, Progress.NONE).layers();
		assertTrue(a.sameAs(b));
	}

	@Test
	void cancellationStopsTheRun() {
		final SyntheticScene scene = SyntheticScene.create(40, 30, 2, 3);
		final Progress cancelled = new Progress() {
			@Override
			public void report(final String stage, final double fraction) {}

			@Override
			public boolean isCancelled() {
				return true;
			}
		};
		assertThrows(SegmentationCancelledException.class,
			() -> SpectralMatting.run(scene.image(), new Settings(), SMALL, cancelled));
	}

	@Test
	void badInputIsRejected() {
		assertThrows(IllegalArgumentException.class, () -> new SpectralMatting.Params(10, 10, 0.8, 20),
			"needs components + 1 eigenvectors");
		assertThrows(IllegalArgumentException.class, () -> new SpectralMatting.Params(50, 1, 0.8, 20));
		final PlanarImage tiny = SyntheticScene.create(8, 8, 1, 1).image();
		assertThrows(IllegalArgumentException.class, () -> SpectralMatting.run(tiny, new Settings(), Progress.NONE),
			"64 pixels cannot hold 50 eigenvectors");
	}
}
