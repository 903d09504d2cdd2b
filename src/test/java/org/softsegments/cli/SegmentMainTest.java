package org.softsegments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import ij.CompositeImage;
import ij.IJ;
import ij.ImagePlus;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.softsegments.eval.LayerVisualization;
import org.softsegments.features.ColorFeatures;
import org.softsegments.image.PlanarImage;

/**
 * The command line end to end on tiny synthetic images (small settings so that each
 * segmentation takes about a second once the JIT is warm).
 */
class SegmentMainTest {

	/** Small settings: 3 layers, 12 eigenvectors, 30 superpixels, 2 threads. */
	static final String[] SMALL = { "--segments", "3", "--eigenvectors", "12", "--superpixels", "30", "--threads", "2" };

	@TempDir
	Path tmp;

	static String[] args(final String[] first, final String... more) {
		final String[] all = new String[first.length + more.length + SMALL.length];
		System.arraycopy(first, 0, all, 0, first.length);
		System.arraycopy(more, 0, all, first.length, more.length);
		System.arraycopy(SMALL, 0, all, first.length + more.length, SMALL.length);
		return all;
	}

	private static Set<String> list(final Path dir) throws Exception {
		try (Stream<Path> s = Files.list(dir)) {
			return s.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
		}
	}

	@Test
	void aPortraitPhotoIsSegmentedUprightAndItsOrientationRecorded() throws Exception {
		// stored 40×30 with EXIF orientation 6, as a phone stores a portrait photo: viewers show it 30×40
		final Path in = Files.write(tmp.resolve("portrait.jpg"), org.softsegments.io.ImageFilesTest.orientedJpeg(6, false,
			true)), out = tmp.resolve("out");
		final Sss r = Sss.run(args(new String[] { in.toString(), "--out", out.toString(), "--progress", "none" }));
		assertEquals(0, r.exitCode, r.toString());
		final ImagePlus imp = IJ.openImage(out.resolve("portrait_soft_segments.tif").toString());
		assertEquals(30, imp.getWidth(), "upright width");
		assertEquals(40, imp.getHeight(), "upright height");
		assertTrue(imp.getInfoProperty().contains("exif_orientation=6 (the input was turned 90° clockwise"), imp
			.getInfoProperty());
		final BufferedImage vis = ImageIO.read(out.resolve("portrait_visualization.png").toFile());
		assertEquals(30, vis.getWidth());
		assertEquals(40, vis.getHeight());
	}

	@Test
	void folderWithABrokenFile() throws Exception {
		final Path in = Files.createDirectories(tmp.resolve("in")), out = tmp.resolve("out");
		Sss.writeScene(in.resolve("a.png"), 32, 24, 1);
		Sss.writeScene(in.resolve("b.png"), 30, 26, 2);
		final byte[] garbage = new byte[2000];
		new Random(5).nextBytes(garbage);
		Files.write(in.resolve("x.png"), garbage);

		final Sss r = Sss.run(args(new String[] { in.toString(), "--out", out.toString() }, "--mattes", "--progress",
			"lines"));
		assertEquals(1, r.exitCode, r.toString());
		assertTrue(r.out.contains("2 segmented, 0 skipped, 1 failed"), r.toString());
		assertTrue(r.err.contains("FAILED  [3/3] x.png: ") && r.err.contains("Not a readable image"), r.toString());
		assertTrue(r.err.contains("[1/3] a.png: relaxed sparsification"), "progress lines\n" + r);

		// exactly the promised files: no temporary or partial files, nothing for x.png
		final Set<String> expected = new TreeSet<>();
		for (final String n : new String[] { "a", "b" }) {
			expected.add(n + "_soft_segments.tif");
			expected.add(n + "_visualization.png");
			for (int k = 1; k <= 3; k++) expected.add(n + "_layer" + k + ".png");
		}
		assertEquals(expected, list(out));
		assertEquals(Set.of("a.png", "b.png", "x.png"), list(in));

		for (final String n : new String[] { "a", "b" }) {
			final ImagePlus imp = IJ.openImage(out.resolve(n + "_soft_segments.tif").toString());
			final int w = n.equals("a") ? 32 : 30, h = n.equals("a") ? 24 : 26;
			assertEquals(w, imp.getWidth());
			assertEquals(h, imp.getHeight());
			assertEquals(3, imp.getNChannels(), "C = K");
			assertEquals(1, imp.getNSlices());
			assertEquals(1, imp.getNFrames());
			assertEquals(32, imp.getBitDepth());
			assertTrue(imp.isComposite());
			assertTrue(imp.getInfoProperty().contains("segments=3"), imp.getInfoProperty());
			final float[][] planes = new float[3][];
			for (int c = 0; c < 3; c++) planes[c] = (float[]) imp.getStack().getPixels(c + 1);
			for (int i = 0; i < w * h; i++) {
				final double sum = planes[0][i] + planes[1][i] + planes[2][i];
				assertEquals(1, sum, 1e-3, n + ": layer sum at pixel " + i);
			}
			final PlanarImage layers = new PlanarImage(w, h, planes);

			// the visualisation is the palette composite of the TIFF's layers (8-bit rounding)
			final BufferedImage vis = ImageIO.read(out.resolve(n + "_visualization.png").toFile());
			assertEquals(w, vis.getWidth());
			assertEquals(h, vis.getHeight());
			final PlanarImage composite = LayerVisualization.composite(layers);
			for (int y = 0; y < h; y++) {
				for (int x = 0; x < w; x++) {
					final int rgb = vis.getRGB(x, y);
					final int[] got = { rgb >> 16 & 255, rgb >> 8 & 255, rgb & 255 };
					for (int c = 0; c < 3; c++) {
						assertEquals(composite.get(x, y, c) * 255, got[c], 0.51, n + " visualisation at " + x + "," + y);
					}
				}
			}
			// each matte is the 8-bit layer
			for (int k = 0; k < 3; k++) {
				final BufferedImage matte = ImageIO.read(out.resolve(n + "_layer" + (k + 1) + ".png").toFile());
				assertEquals(BufferedImage.TYPE_BYTE_GRAY, matte.getType());
				for (int y = 0; y < h; y++) {
					for (int x = 0; x < w; x++) {
						final float a = Math.max(0, Math.min(1, layers.get(x, y, k)));
						assertEquals(a * 255, matte.getRaster().getSample(x, y, 0), 0.51, n + " matte " + k);
					}
				}
			}
		}
	}

	@Test
	void featureImageIsUsedAndMissingFeatureFilesFailPerImage() throws Exception {
		final Path in = Files.createDirectories(tmp.resolve("in")), out = tmp.resolve("out");
		final Path feats = Files.createDirectories(tmp.resolve("feats"));
		Sss.writeScene(in.resolve("a.png"), 32, 24, 3);
		Sss.writeScene(in.resolve("b.png"), 32, 24, 4);
		Sss.writeScene(feats.resolve("a.png"), 32, 24, 9); // any 3-channel image of the same size

		// feature folder without b's features: b fails (reported), a is segmented with its features
		final Sss r = Sss.run(args(new String[] { in.toString(), "--out", out.toString(), "--feature-dir",
			feats.toString(), "--progress", "none" }));
		assertEquals(1, r.exitCode, r.toString());
		assertTrue(r.err.contains("b.png: no feature image for b.png in " + feats), r.toString());
		assertTrue(r.out.contains("1 segmented, 0 skipped, 1 failed"), r.toString());
		assertEquals(Set.of("a_soft_segments.tif", "a_visualization.png"), list(out));
		final ImagePlus imp = IJ.openImage(out.resolve("a_soft_segments.tif").toString());
		assertTrue(imp.getInfoProperty().contains("features=image a.png"), imp.getInfoProperty());

		// a feature image of the wrong size is reported as that image's failure
		Sss.writeScene(tmp.resolve("small.png"), 20, 20, 1);
		final Sss wrong = Sss.run(args(new String[] { in.resolve("b.png").toString(), "--out", out.toString(),
			"--feature-image", tmp.resolve("small.png").toString(), "--progress", "none" }));
		assertEquals(1, wrong.exitCode, wrong.toString());
		assertTrue(wrong.err.contains("b.png: Feature image is 20×20 but the image is 32×24"), wrong.toString());
		assertFalse(Files.exists(out.resolve("b_soft_segments.tif")));
	}

	@Test
	void demoWritesOutputsAndScoresTheShapes() throws Exception {
		final Path out = tmp.resolve("demo out");
		final Sss r = Sss.run(args(new String[] { "--demo", "--demo-size", "32x24", "--out", out.toString() },
			"--progress", "none"));
		assertEquals(0, r.exitCode, r.toString());
		for (int s = 1; s <= 3; s++) assertTrue(r.out.contains("shape " + s + ": best subset of layers {"), r.out);
		assertTrue(r.out.contains("1 segmented, 0 skipped, 0 failed (the demo scene)"), r.out);
		assertEquals(Set.of("demo_soft_segments.tif", "demo_visualization.png"), list(out));
		final ImagePlus imp = IJ.openImage(out.resolve("demo_soft_segments.tif").toString());
		assertEquals(3, imp.getNChannels());
		assertTrue(imp instanceof CompositeImage);
	}

	/** Without a network, {@code --write-features} shows the colour-only features (CIE L*a*b*, spec §3.1). */
	@Test
	void writeFeaturesWithColourFeatures() throws Exception {
		final Path in = tmp.resolve("c.png"), out = tmp.resolve("features out");
		Sss.writeScene(in, 32, 24, 5);
		final Sss r = Sss.run(args(new String[] { in.toString(), "--out", out.toString(), "--write-features", "--progress",
			"none" }));
		assertEquals(0, r.exitCode, r.toString());
		assertEquals(Set.of("c_features.png", "c_soft_segments.tif", "c_visualization.png"), list(out));
		Sss.assertPngHolds(ColorFeatures.fromImage(InputImages.readImage(in)), out.resolve("c_features.png"));
	}

	@Test
	void fastPathRunsAtTheWorkingResolutionAndWritesFullSizeLayers() throws Exception {
		final Path out = tmp.resolve("fast out");
		final Sss r = Sss.run(args(new String[] { "--demo", "--demo-size", "64x48", "--mode", "fast", "--working-pixels",
			"1024", "--out", out.toString() }, "--progress", "none"));
		assertEquals(0, r.exitCode, r.toString());
		final ImagePlus imp = IJ.openImage(out.resolve("demo_soft_segments.tif").toString());
		assertEquals(64, imp.getWidth());
		assertEquals(48, imp.getHeight());
		assertTrue(imp.getInfoProperty().contains("mode=fast"), imp.getInfoProperty());
		assertTrue(imp.getInfoProperty().contains("cleanup_threshold=0.01"), imp.getInfoProperty());

		final Path raw = tmp.resolve("raw out");
		final Sss r0 = Sss.run(args(new String[] { "--demo", "--demo-size", "64x48", "--mode", "fast", "--working-pixels",
			"1024", "--cleanup-threshold", "0", "--out", raw.toString() }, "--progress", "none"));
		assertEquals(0, r0.exitCode, r0.toString());
		final ImagePlus unclean = IJ.openImage(raw.resolve("demo_soft_segments.tif").toString());
		assertTrue(unclean.getInfoProperty().contains("cleanup_threshold=0.0"), unclean.getInfoProperty());
		assertTrue(zeros(imp) > zeros(unclean), "the clean-up sets small values to 0: " + zeros(imp) + " vs " +
			zeros(unclean));
	}

	/** Number of layer values that are exactly 0. */
	private static int zeros(final ImagePlus imp) {
		int n = 0;
		for (int c = 1; c <= imp.getStackSize(); c++) {
			for (final float v : (float[]) imp.getStack().getProcessor(c).getPixels()) if (v == 0) n++;
		}
		return n;
	}
}
