package org.softsegments.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.softsegments.engine.Progress;
import org.softsegments.features.network.FeatureNetwork;
import org.softsegments.image.PlanarImage;

class UNetArchitectureTest {

	@TempDir
	Path tmp;

	@Test
	void parameterCountOfTheTinyNet() {
		final UNetArchitecture a = TinyModels.tinyArchitecture(); // widths 4-8-8, head 8, D 6
		// enc0: 3·3·3·4+4 + 3·3·4·4+4 = 112+148; enc1: 3·3·4·8+8 + 3·3·8·8+8 = 296+584; enc2: 3·3·8·8+8 twice = 584+584
		// dec1: 3·3·16·8+8 + 3·3·8·8+8 = 1160+584; dec0: 3·3·12·8+8 = 872; head: 8·6+6 = 54
		assertEquals(112 + 148 + 296 + 584 + 584 + 584 + 1160 + 584 + 872 + 54, a.parameterCount());
		assertEquals(4, a.multiple());
		assertEquals(16, UNetArchitecture.standard().multiple());
	}

	@Test
	void invalidShapesAreRejected() {
		assertThrows(IllegalArgumentException.class, () -> new UNetArchitecture(new int[] { 8 }, 8, 8));
		assertThrows(IllegalArgumentException.class, () -> new UNetArchitecture(new int[] { 8, 0 }, 8, 8));
		assertThrows(IllegalArgumentException.class, () -> new UNetArchitecture(new int[] { 8, 8 }, 8, 3));
	}

	@Test
	void receptiveRadiusBoundsTheInfluenceOfAPixel() throws IOException {
		// change one input pixel: outputs may only change within the stated receptive radius
		final UNetArchitecture a = TinyModels.tinyArchitecture();
		final Path dir = tmp.resolve("m");
		TinyModels.export(a, TinyModels.randomWeights(a, 3), dir, 32);
		try (FeatureNetwork net = FeatureNetwork.load(dir)) {
			final PlanarImage img = TinyModels.testImage(80, 80, 1);
			final PlanarImage before = net.features(img, 1024, Progress.NONE);
			final PlanarImage poked = img.copy();
			final int px = 41, py = 38;
			for (int c = 0; c < 3; c++) poked.set(px, py, c, 1 - poked.get(px, py, c));
			final PlanarImage after = net.features(poked, 1024, Progress.NONE);
			int reach = 0;
			for (int y = 0; y < 80; y++) {
				for (int x = 0; x < 80; x++) {
					for (int c = 0; c < a.embeddingDim(); c++) {
						if (before.get(x, y, c) != after.get(x, y, c)) reach = Math.max(reach, Math.max(Math.abs(x - px), Math.abs(y - py)));
					}
				}
			}
			assertTrue(reach > 0);
			assertTrue(reach <= a.receptiveRadius(), "influence reaches " + reach + " px, stated radius " + a.receptiveRadius());
		}
	}
}
