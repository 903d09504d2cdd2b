package org.softsegments.fiji;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import ij.CompositeImage;
import ij.IJ;
import ij.ImagePlus;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.softsegments.cli.InputImages;
import org.softsegments.eval.LayerVisualization;
import org.softsegments.image.PlanarImage;

class HyperstackTiffTest {

	@TempDir
	Path tmp;

	private static PlanarImage layers(final int w, final int h, final int k) {
		final float[][] planes = new float[k][w * h];
		for (int c = 0; c < k; c++) {
			for (int i = 0; i < w * h; i++) planes[c][i] = 0.1f * (c + 1) + 0.001f * i;
		}
		return new PlanarImage(w, h, planes);
	}

	@Test
	void reopensAsCompositeHyperstackWithExactValues() throws Exception {
		final PlanarImage layers = layers(7, 5, 4);
		final Path file = tmp.resolve("out.tif");
		HyperstackTiff.write(layers, "t soft segments", "segments=4\n", file);
		final ImagePlus imp = IJ.openImage(file.toString());
		assertEquals(7, imp.getWidth());
		assertEquals(5, imp.getHeight());
		assertEquals(4, imp.getNChannels());
		assertEquals(1, imp.getNSlices());
		assertEquals(1, imp.getNFrames());
		assertEquals(32, imp.getBitDepth());
		assertTrue(imp.isComposite());
		assertEquals(CompositeImage.COMPOSITE, ((CompositeImage) imp).getMode());
		assertEquals("segments=4\n", imp.getInfoProperty());
		for (int c = 0; c < 4; c++) {
			assertArrayEquals(layers.plane(c), (float[]) imp.getStack().getPixels(c + 1), "channel " + c);
			assertEquals("layer " + (c + 1), imp.getStack().getSliceLabel(c + 1));
			final int[] rgb = LayerVisualization.color(c);
			final int top = ((CompositeImage) imp).getChannelLut(c + 1).getRGB(255) & 0xffffff;
			assertEquals(rgb[0] << 16 | rgb[1] << 8 | rgb[2], top, "LUT of channel " + c);
			assertEquals(0, ((CompositeImage) imp).getChannelLut(c + 1).min);
			assertEquals(1, ((CompositeImage) imp).getChannelLut(c + 1).max);
		}
		try (Stream<Path> s = Files.list(tmp)) {
			assertEquals(List.of("out.tif"), s.map(p -> p.getFileName().toString()).collect(Collectors.toList()));
		}
	}

	@Test
	void replacesAnExistingFileAndReadsBackAsFeatures() throws Exception {
		final Path file = tmp.resolve("f.tif");
		Files.writeString(file, "old");
		final PlanarImage layers = layers(6, 4, 5);
		HyperstackTiff.write(layers, "f", null, file);
		final PlanarImage back = InputImages.readFeatures(file);
		assertTrue(back.sameAs(layers));
	}

	@Test
	void singleLayerIsAPlainImage() throws Exception {
		final Path file = tmp.resolve("one.tif");
		final PlanarImage one = layers(3, 3, 1);
		HyperstackTiff.write(one, "one", null, file);
		final ImagePlus imp = IJ.openImage(file.toString());
		assertEquals(1, imp.getNChannels());
		assertArrayEquals(one.plane(0), (float[]) imp.getProcessor().getPixels());
	}
}
