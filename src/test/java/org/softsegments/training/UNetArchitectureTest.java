package org.softsegments.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.softsegments.core.Progress;
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
	}

	@Test
	void strideTwoHalvesTheResolution() {
		final UNetArchitecture a = new UNetArchitecture(new int[] { 4, 8, 8 }, 8, 6, 2);
		assertEquals(8, a.multiple());
		assertEquals(TinyModels.tinyArchitecture().parameterCount(), a.parameterCount());
		assertEquals(TinyModels.tinyArchitecture().macsPerPixel() / 4, a.macsPerPixel(), 1e-9);
		assertEquals(2 * TinyModels.tinyArchitecture().receptiveRadius() + 2, a.receptiveRadius());
		assertEquals(32, UNetArchitecture.standard().multiple());
	}

	@Test
	void invalidShapesAreRejected() {
		assertThrows(IllegalArgumentException.class, () -> new UNetArchitecture(new int[] { 8, 8 }, 8, 8, 3));
		assertThrows(IllegalArgumentException.class, () -> new UNetArchitecture(new int[] { 8 }, 8, 8));
		assertThrows(IllegalArgumentException.class, () -> new UNetArchitecture(new int[] { 8, 0 }, 8, 8));
		assertThrows(IllegalArgumentException.class, () -> new UNetArchitecture(new int[] { 8, 8 }, 8, 3));
	}

	@Test
	void receptiveRadiusBoundsTheInfluenceOfAPixel() throws IOException {
		checkReach(TinyModels.tinyArchitecture(), 32);
	}

	@Test
	void receptiveRadiusBoundsTheInfluenceOfAPixelAtStrideTwo() throws IOException {
		checkReach(new UNetArchitecture(new int[] { 4, 8, 8 }, 8, 6, 2), 48);
	}

	/** Changes one input pixel: outputs may only change within the stated receptive radius. */
	private void checkReach(final UNetArchitecture a, final int margin) throws IOException {
		final Path dir = tmp.resolve("m" + a.inputStride());
		TinyModels.export(a, TinyModels.randomWeights(a, 3), dir, margin);
		try (FeatureNetwork net = FeatureNetwork.load(dir)) {
			final int n = 120;
			final PlanarImage img = TinyModels.testImage(n, n, 1);
			final PlanarImage before = net.features(img, 1024, Progress.NONE);
			final PlanarImage poked = img.copy();
			final int px = 61, py = 58;
			for (int c = 0; c < 3; c++) poked.set(px, py, c, 1 - poked.get(px, py, c));
			final PlanarImage after = net.features(poked, 1024, Progress.NONE);
			int reach = 0;
			for (int y = 0; y < n; y++) {
				for (int x = 0; x < n; x++) {
					for (int c = 0; c < a.embeddingDim(); c++) {
						if (before.get(x, y, c) != after.get(x, y, c)) reach = Math.max(reach, Math.max(Math.abs(x - px), Math.abs(y - py)));
					}
				}
			}
			assertTrue(reach > a.receptiveRadius() / 2, "influence reaches only " + reach + " px");
			assertTrue(reach <= a.receptiveRadius(), "influence reaches " + reach + " px, stated radius " + a.receptiveRadius());
		}
	}
}
