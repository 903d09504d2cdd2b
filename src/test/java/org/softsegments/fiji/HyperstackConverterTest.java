package org.softsegments.fiji;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.IndexColorModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.softsegments.eval.LayerVisualization;
import org.softsegments.image.PlanarImage;

import ij.CompositeImage;
import ij.IJ;
import ij.ImagePlus;
import ij.ImageStack;
import ij.measure.Calibration;
import ij.process.ByteProcessor;
import ij.process.ColorProcessor;
import ij.process.FloatProcessor;
import ij.process.LUT;
import ij.process.ShortProcessor;

/** Exact tests of the ImagePlus ↔ engine conversions on tiny images (no engine run). */
class HyperstackConverterTest {

	private static final int W = 3, H = 2;

	@Test
	void rgbIsUnpackedAndEqualsTheSameValuesAsThreeChannelComposite() {
		final int[] rgb = { 0xff102030, 0xff405060, 0xff708090, 0xffa0b0c0, 0xffd0e0f0, 0xff000000 };
		final PlanarImage fromRgb = single(new ImagePlus("rgb", new ColorProcessor(W, H, rgb)));
		assertEquals(3, fromRgb.channels());
		assertEquals(0x10 / 255f, fromRgb.get(0, 0, 0));
		assertEquals(0x20 / 255f, fromRgb.get(0, 0, 1));
		assertEquals(0xf0 / 255f, fromRgb.get(1, 1, 2));

		final ImageStack stack = new ImageStack(W, H);
		for (int c = 0; c < 3; c++) {
			final byte[] p = new byte[W * H];
			for (int i = 0; i < p.length; i++) p[i] = (byte) (rgb[i] >> (16 - 8 * c));
			stack.addSlice(new ByteProcessor(W, H, p));
		}
		final ImagePlus three = new ImagePlus("c3", stack);
		three.setDimensions(3, 1, 1);
		final CompositeImage composite = new CompositeImage(three, IJ.COMPOSITE);
		assertTrue(fromRgb.sameAs(single(composite)), "3-channel composite differs from RGB");
	}

	@Test
	void greyEightBitIsDividedBy255() {
		final PlanarImage p = single(new ImagePlus("g", new ByteProcessor(W, H, new byte[] { 0, 51, (byte) 255, 1, 2, 3 })));
		assertEquals(1, p.channels());
		assertArrayEquals(new float[] { 0, 51 / 255f, 1, 1 / 255f, 2 / 255f, 3 / 255f }, p.plane(0));
	}

	@Test
	void sixteenBitUsesTheDisplayRange() {
		final ImagePlus imp = new ImagePlus("s", new ShortProcessor(W, H, new short[] { 100, 200, 300, 1000, 0, 150 },
			null));
		imp.setDisplayRange(100, 300);
		assertArrayEquals(new float[] { 0, 0.5f, 1, 1, 0, 0.25f }, single(imp).plane(0), 1e-7f);
	}

	@Test
	void sixteenBitCompositeUsesEachChannelsDisplayRange() {
		final ImageStack stack = new ImageStack(W, H);
		for (int c = 0; c < 3; c++) stack.addSlice(new ShortProcessor(W, H, new short[] { 0, 10, 20, 30, 40, 50 }, null));
		final ImagePlus imp = new ImagePlus("c3", stack);
		imp.setDimensions(3, 1, 1);
		final CompositeImage ci = new CompositeImage(imp, IJ.COMPOSITE);
		for (int c = 1; c <= 3; c++) {
			ci.setPosition(c, 1, 1);
			ci.setDisplayRange(0, 10 * c);
		}
		final PlanarImage p = single(ci);
		assertEquals(1f, p.get(2, 0, 1), 1e-7f); // 20 / 20
		assertEquals(1f, p.get(2, 0, 0), 1e-7f); // 20 clamped to the range 0–10
		assertEquals(1f, p.get(1, 0, 0), 1e-7f); // 10 / 10
		assertEquals(0.5f, p.get(1, 0, 1), 1e-7f); // 10 / 20
		assertEquals(1 / 3f, p.get(1, 0, 2), 1e-6f); // 10 / 30
	}

	@Test
	void thirtyTwoBitInUnitRangeIsUsedAsIsOtherwiseRescaledWithANote() {
		final float[] unit = { 0, 0.25f, 0.5f, 1, 0.125f, 0.75f };
		final ImagePlanes asIs = ImagePlanes.toPlanes(new ImagePlus("f", new FloatProcessor(W,
			H, unit.clone())));
		assertArrayEquals(unit, asIs.images().get(0).plane(0));
		assertTrue(asIs.notes().isEmpty());

		final float[] wide = { -10, 0, 10, 30, 20, -10 };
		final ImagePlanes scaled = ImagePlanes.toPlanes(new ImagePlus("f", new FloatProcessor(W,
			H, wide)));
		assertArrayEquals(new float[] { 0, 0.25f, 0.5f, 1, 0.75f, 0 }, scaled.images().get(0).plane(0), 1e-7f);
		assertEquals(1, scaled.notes().size());
		assertTrue(scaled.notes().get(0).contains("rescaled"), scaled.notes().get(0));
		assertEquals(-10, wide[0], "the input array must not change");
	}

	@Test
	void indexedColourIsMappedThroughItsLut() {
		final byte[] r = new byte[256], g = new byte[256], b = new byte[256];
		for (int i = 0; i < 256; i++) { // a palette (not a smooth pseudo-colour ramp), as in a GIF
			r[i] = (byte) (i * 37);
			g[i] = (byte) (i * 101);
			b[i] = (byte) (i * 59);
		}
		final ByteProcessor bp = new ByteProcessor(W, H, new byte[] { 0, 10, (byte) 200, 3, 4, 5 },
			new IndexColorModel(8, 256, r, g, b));
		final ImagePlus imp = new ImagePlus("indexed", bp);
		imp.setTypeToColor256(); // what ImageJ's GIF/BMP openers do
		assertEquals(ImagePlus.COLOR_256, imp.getType());
		final PlanarImage p = single(imp);
		assertEquals(3, p.channels());
		assertEquals((200 * 37 & 255) / 255f, p.get(2, 0, 0));
		assertEquals((200 * 101 & 255) / 255f, p.get(2, 0, 1));
		assertEquals((200 * 59 & 255) / 255f, p.get(2, 0, 2));
		// ImageJ opens GIFs as 8-bit grey type with a palette LUT: also mapped through the LUT
		final ImagePlus gifLike = new ImagePlus("gif", bp.duplicate());
		assertEquals(ImagePlus.GRAY8, gifLike.getType());
		assertTrue(p.sameAs(single(gifLike)));
		// a pseudo-colour ramp (e.g. "Fire") on grey data: the values are grey levels
		final ByteProcessor fire = new ByteProcessor(W, H, new byte[] { 0, 10, (byte) 200, 3, 4, 5 });
		fire.setLut(LUT.createLutFromColor(java.awt.Color.ORANGE));
		final PlanarImage grey = single(new ImagePlus("fire", fire));
		assertEquals(1, grey.channels());
		assertEquals(200 / 255f, grey.get(2, 0, 0));
	}

	@Test
	void zAndTPlanesComeInImageJOrder() {
		final ImageStack stack = new ImageStack(W, H);
		for (int i = 0; i < 6; i++) {
			final byte[] p = new byte[W * H];
			java.util.Arrays.fill(p, (byte) (10 * i));
			stack.addSlice(new ByteProcessor(W, H, p));
		}
		final ImagePlus imp = new ImagePlus("zt", stack);
		imp.setDimensions(1, 2, 3);
		final ImagePlanes planes = ImagePlanes.toPlanes(imp);
		assertEquals(2, planes.slices());
		assertEquals(3, planes.frames());
		for (int t = 0; t < 3; t++) {
			for (int z = 0; z < 2; z++) {
				final int index = imp.getStackIndex(1, z + 1, t + 1) - 1;
				assertEquals(10 * index / 255f, planes.images().get(z + 2 * t).get(0, 0, 0));
			}
		}
	}

	@Test
	void unsupportedImagesGiveClearErrors() {
		assertMessage("No input image", () -> ImagePlanes.toPlanes(null));
		assertMessage("empty", () -> ImagePlanes.toPlanes(new ImagePlus()));
		assertMessage("has 2 channels", () -> ImagePlanes.toPlanes(channels(2)));
		assertMessage("has 4 channels", () -> ImagePlanes.toPlanes(channels(4)));
		final ImageStack rgbStack = new ImageStack(W, H);
		rgbStack.addSlice(new ColorProcessor(W, H));
		rgbStack.addSlice(new ColorProcessor(W, H));
		final ImagePlus rgbChannels = new ImagePlus("rgb2", rgbStack);
		rgbChannels.setDimensions(2, 1, 1);
		assertMessage("RGB hyperstack with 2 channels", () -> ImagePlanes.toPlanes(rgbChannels));
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ImagePlanes
			.toPlanes(channels(2)));
		assertTrue(e.getMessage().contains("accepted are RGB colour"), e.getMessage());
	}

	@Test
	void featureImagesMustFitTheImage() {
		final ImagePlus image = new ImagePlus("img", new ColorProcessor(W, H));
		final ImagePlanes planes = ImagePlanes.toPlanes(image);
		// a raw feature stack that opened as Z slices: all planes are channels, 32-bit as is
		final ImageStack stack = new ImageStack(W, H);
		for (int i = 0; i < 5; i++) {
			final float[] p = new float[W * H];
			java.util.Arrays.fill(p, -3 + i);
			stack.addSlice(new FloatProcessor(W, H, p));
		}
		final List<PlanarImage> f = ImagePlanes.featurePlanes(new ImagePlus("feat", stack), image, planes);
		assertEquals(1, f.size());
		assertEquals(5, f.get(0).channels());
		assertEquals(-3 + 4, f.get(0).get(2, 1, 4));
		assertMessage("must have the same size", () -> ImagePlanes.featurePlanes(new ImagePlus("small",
			new ColorProcessor(W + 1, H)), image, planes));
		final ImagePlus frames = FijiTestImages.rgbFrames("two", 8, 8, 1, 2);
		final ImagePlus oneFeature = new ImagePlus("f", new ColorProcessor(8, 8));
		assertMessage("one feature plane", () -> ImagePlanes.featurePlanes(oneFeature, frames,
			ImagePlanes.toPlanes(frames)));
	}

	@Test
	void layerHyperstackHasPaletteLutsLabelsRangeAndZeroPadding() {
		final PlanarImage three = new PlanarImage(W, H, new float[][] { fill(0.2f), fill(0.3f), fill(0.5f) });
		final PlanarImage two = new PlanarImage(W, H, new float[][] { fill(0.6f), fill(0.4f) });
		final ImagePlus out = LayerHyperstacks.layersHyperstack(List.of(three, two), 1, 2, "x soft segments");
		assertTrue(out instanceof CompositeImage);
		final CompositeImage ci = (CompositeImage) out;
		assertEquals(IJ.COMPOSITE, ci.getMode());
		assertEquals("x soft segments", ci.getTitle());
		assertArrayEquals(new int[] { W, H, 3, 1, 2 }, ci.getDimensions());
		assertEquals(32, ci.getBitDepth());
		for (int c = 1; c <= 3; c++) {
			final LUT lut = ci.getChannelLut(c);
			final int[] col = LayerVisualization.PALETTE[c - 1];
			assertEquals(col[0], lut.getRed(255));
			assertEquals(col[1], lut.getGreen(255));
			assertEquals(col[2], lut.getBlue(255));
			assertEquals(0, lut.getRGB(0) & 0xffffff);
			assertEquals(0, lut.min);
			assertEquals(1, lut.max);
			for (int t = 1; t <= 2; t++) assertEquals("layer " + c, ci.getStack().getSliceLabel(ci.getStackIndex(c, 1, t)));
		}
		assertEquals(0.5f, ((float[]) ci.getStack().getPixels(ci.getStackIndex(3, 1, 1)))[0]);
		assertEquals(0f, ((float[]) ci.getStack().getPixels(ci.getStackIndex(3, 1, 2)))[0], "padding layer");
		assertEquals(0.4f, ((float[]) ci.getStack().getPixels(ci.getStackIndex(2, 1, 2)))[0]);

		// ImageJ 1.x limits composite mode to 8 channels: more layers are shown in colour mode
		final float[][] ten = new float[10][];
		for (int k = 0; k < 10; k++) ten[k] = fill(0.1f);
		final CompositeImage many = (CompositeImage) LayerHyperstacks.layersHyperstack(List.of(new PlanarImage(W, H,
			ten)), 1, 1, "many");
		assertEquals(10, many.getNChannels());
		assertEquals(IJ.COLOR, many.getMode());
		assertEquals(LayerVisualization.PALETTE[9][0], many.getChannelLut(10).getRed(255));
	}

	@Test
	void visualizationIsThePaletteComposite() {
		final PlanarImage layers = new PlanarImage(W, H, new float[][] { fill(0.25f), fill(0.75f) });
		final ImagePlus vis = LayerHyperstacks.visualization(List.of(layers), 1, 1, "v");
		assertEquals(24, vis.getBitDepth());
		final PlanarImage expected = LayerVisualization.composite(layers);
		final int rgb = ((int[]) vis.getProcessor().getPixels())[0];
		assertEquals(Math.round(expected.plane(0)[0] * 255), (rgb >> 16) & 255);
		assertEquals(Math.round(expected.plane(1)[0] * 255), (rgb >> 8) & 255);
		assertEquals(Math.round(expected.plane(2)[0] * 255), rgb & 255);
	}

	@Test
	void savedTiffReopensAsTheSameHyperstack(@TempDir final Path dir) throws Exception {
		final PlanarImage a = new PlanarImage(W, H, new float[][] { fill(0.25f), fill(0.75f) });
		final PlanarImage b = new PlanarImage(W, H, new float[][] { fill(0.5f), fill(0.5f) });
		final ImagePlus out = LayerHyperstacks.layersHyperstack(List.of(a, b, a), 1, 3, "x soft segments");
		final Calibration cal = new Calibration();
		cal.pixelWidth = 2;
		cal.setUnit("mm");
		cal.frameInterval = 0.5;
		out.setCalibration(cal);
		final Path tif = dir.resolve("x_soft_segments.tif");
		HyperstackTiff.write(out, tif);
		assertEquals("x soft segments", out.getTitle(), "the saved image must keep its title");
		try (java.util.stream.Stream<Path> files = Files.list(dir)) {
			assertEquals(List.of(tif), files.collect(java.util.stream.Collectors.toList()), "temporary file left");
		}
		final ImagePlus back = IJ.openImage(tif.toString());
		assertTrue(back instanceof CompositeImage);
		assertTrue(back.isHyperStack());
		assertArrayEquals(new int[] { W, H, 2, 1, 3 }, back.getDimensions());
		assertEquals(IJ.COMPOSITE, ((CompositeImage) back).getMode());
		assertEquals(LayerVisualization.PALETTE[1][2], ((CompositeImage) back).getChannelLut(2).getBlue(255));
		assertEquals(1, ((CompositeImage) back).getChannelLut(2).max);
		assertEquals("layer 2", back.getStack().getSliceLabel(back.getStackIndex(2, 1, 3)));
		assertEquals(2, back.getCalibration().pixelWidth);
		assertEquals("mm", back.getCalibration().getUnit());
		assertEquals(0.5, back.getCalibration().frameInterval);
		assertArrayEquals(b.plane(1), (float[]) back.getStack().getPixels(back.getStackIndex(2, 1, 2)));
	}

	private static float[] fill(final float v) {
		final float[] p = new float[W * H];
		java.util.Arrays.fill(p, v);
		return p;
	}

	private static ImagePlus channels(final int c) {
		final ImageStack stack = new ImageStack(W, H);
		for (int i = 0; i < c; i++) stack.addSlice(new ByteProcessor(W, H));
		final ImagePlus imp = new ImagePlus("c" + c, stack);
		imp.setDimensions(c, 1, 1);
		return new CompositeImage(imp, IJ.COMPOSITE);
	}

	private static PlanarImage single(final ImagePlus imp) {
		final ImagePlanes p = ImagePlanes.toPlanes(imp);
		assertEquals(1, p.images().size());
		return p.images().get(0);
	}

	private static void assertMessage(final String expected, final org.junit.jupiter.api.function.Executable e) {
		final IllegalArgumentException x = assertThrows(IllegalArgumentException.class, e);
		assertTrue(x.getMessage().contains(expected), "message '" + x.getMessage() + "' lacks '" + expected + "'");
	}
}
