package org.softsegments.fiji;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Context;
import org.scijava.command.Command;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;
import org.softsegments.demo.SyntheticScene;
import org.softsegments.engine.StrokeLabels;
import org.softsegments.io.ImageFiles;
import org.softsegments.io.SegmentsFile;

import ij.CompositeImage;
import ij.IJ;
import ij.ImagePlus;
import ij.io.FileInfo;
import ij.gui.Line;
import ij.gui.Roi;
import ij.process.ByteProcessor;

/**
 * The editing workflow in Fiji through SciJava's {@link CommandService} in a headless context, on a
 * synthetic scene of 80×60 whose true layers are known: strokes from the ROI Manager (installed
 * headless by {@link HeadlessRoiManager}) or a label image, segments kept in memory or in a file and
 * regrouped by "Regroup Soft Segments", the unmixed RGBA layers, and the errors in words.
 */
class EditingCommandsTest {

	private static final int W = 80, H = 60;

	@TempDir
	static Path dir;

	private static Context context;
	private static CommandService commands;
	private static SyntheticScene scene;
	private static ImagePlus photo;
	private static Roi[] rois;
	/** The run with strokes from the ROI Manager, keep_segments and segments_file. */
	private static ImagePlus strokeLayers;

	static {
		HeadlessRoiManager.groupColoursWithoutLutFolder();
	}

	@BeforeAll
	static void runWithStrokes() throws Exception {
		context = new Context();
		commands = context.service(CommandService.class);
		scene = SyntheticScene.create(W, H, 2, 7);
		photo = new ImagePlus("scene.png", FijiTestImages.colorProcessor(scene.image()));
		// a short line in the middle of each shape (groups 1–3), the background (group 4) a line and a rectangle
		rois = new Roi[] { line(19.5, 18.5, 24.5, 1), line(53.5, 19.5, 58.5, 2), line(37.5, 45.5, 42.5, 3), line(70.5, 55.5,
			76.5, 4), new Roi(2, 2, 5, 4) };
		rois[4].setGroup(4);
		HeadlessRoiManager.install(rois);
		final Map<String, Object> in = inputs(photo, StrokeChoice.ROI_MANAGER);
		in.put("segments", 3); // the strokes' K = 4 overrides it
		in.put("keep_segments", true);
		in.put("segments_file", dir.resolve("scene").toFile()); // the suffix is added
		strokeLayers = output(commands.run(SemanticSoftSegmentsCommand.class, true, in).get(), "layers");
	}

	@AfterAll
	static void dispose() throws ReflectiveOperationException {
		HeadlessRoiManager.remove();
		KeptSegments.clear();
		context.dispose();
	}

	private static Line line(final double x1, final double y, final double x2, final int group) {
		final Line l = new Line(x1, y, x2, y);
		l.setGroup(group);
		return l;
	}

	/** The main command's inputs (small settings) with the editing keys. */
	private static Map<String, Object> inputs(final ImagePlus imp, final String strokes) {
		final Map<String, Object> m = SemanticSoftSegmentsCommandTest.inputs(imp);
		m.put("strokes", strokes);
		m.put("stroke_image", null);
		m.put("keep_segments", false);
		m.put("segments_file", null);
		m.put("rgba_layers", false);
		return m;
	}

	/** The regroup command's inputs. */
	private static Map<String, Object> regroupInputs(final ImagePlus imp, final int segments, final String strokes) {
		final Map<String, Object> m = new HashMap<>();
		m.put("imp", imp);
		m.put("segments", segments);
		m.put("strokes", strokes);
		m.put("stroke_image", null);
		m.put("segments_file", null);
		m.put("visualization", false);
		m.put("rgba_layers", false);
		return m;
	}

	private static ImagePlus regroup(final Map<String, Object> in) throws Exception {
		return output(commands.run(RegroupSoftSegmentsCommand.class, true, in).get(), "layers");
	}

	private static ImagePlus output(final CommandModule m, final String name) {
		final ImagePlus out = (ImagePlus) m.getOutput(name);
		assertNotNull(out, name + " missing; cancelled: " + m.getCancelReason());
		return out;
	}

	@Test
	void roiStrokesGiveOneLayerPerGroupThatMatchesItsShape() {
		assertEquals("scene.png soft segments", strokeLayers.getTitle());
		assertArrayEquals(new int[] { W, H, 4, 1, 1 }, strokeLayers.getDimensions());
		final float[][] a = scene.alphas();
		for (int k = 0; k < 4; k++) {
			final float[] layer = (float[]) strokeLayers.getStack().getPixels(k + 1);
			double inter = 0, union = 0;
			for (int i = 0; i < W * H; i++) {
				final double truth = k < 3 ? a[k][i] : 1 - a[0][i] - a[1][i] - a[2][i];
				inter += Math.min(layer[i], truth);
				union += Math.max(layer[i], truth);
			}
			assertTrue(inter / union > 0.8, "layer " + (k + 1) + ": soft IoU with its shape " + inter / union);
		}
	}

	@Test
	void regroupingWithTheSameStrokesEqualsTheFullRun() throws Exception {
		final ImagePlus again = regroup(regroupInputs(photo, 5, StrokeChoice.ROI_MANAGER));
		assertEquals("scene.png soft segments (regrouped)", again.getTitle());
		assertSameLayers(strokeLayers, again);
		// with the layer image active instead of the photo
		assertSameLayers(strokeLayers, regroup(regroupInputs(strokeLayers, 5, StrokeChoice.ROI_MANAGER)));
		// from the segments file, on another ImagePlus with the same pixels
		final Path file = dir.resolve("scene" + SegmentsFile.SUFFIX);
		assertTrue(Files.isRegularFile(file), "no " + file);
		final Map<String, Object> fromFile = regroupInputs(photo.duplicate(), 5, StrokeChoice.ROI_MANAGER);
		fromFile.put("segments_file", file.toFile());
		assertSameLayers(strokeLayers, regroup(fromFile));
	}

	@Test
	void labelImageStrokesEqualTheRoisAndRgbaLayersRecomposeThePhoto() throws Exception {
		final StrokeLabels strokes = StrokeRois.labels(rois, W, H).strokes();
		final byte[] labels = new byte[W * H];
		for (int i = 0; i < labels.length; i++) labels[i] = (byte) strokes.label(i);
		final Map<String, Object> in = regroupInputs(photo, 5, StrokeChoice.LABEL_IMAGE);
		in.put("stroke_image", new ImagePlus("scribbles.png", new ByteProcessor(W, H, labels)));
		in.put("rgba_layers", true);
		in.put("visualization", true);
		final CommandModule m = commands.run(RegroupSoftSegmentsCommand.class, true, in).get();
		assertSameLayers(strokeLayers, output(m, "layers"));
		assertEquals("scene.png soft segments (regrouped) visualisation", output(m, "visualization_image").getTitle());
		final ImagePlus rgba = output(m, "rgba_image");
		assertEquals("scene.png soft segments (regrouped) RGBA", rgba.getTitle());
		assertArrayEquals(new int[] { W, H, 4, 4, 1 }, rgba.getDimensions());
		assertTrue(rgba instanceof CompositeImage);
		assertEquals("layer 2 alpha", rgba.getStack().getSliceLabel(rgba.getStackIndex(4, 2, 1)));
		assertArrayEquals((float[]) strokeLayers.getStack().getPixels(2), (float[]) rgba.getStack().getPixels(rgba
			.getStackIndex(4, 2, 1)));
		// Σ_k α_k F_k = the photo (as 8-bit / 255)
		double worst = 0;
		final int[] rgb = (int[]) photo.getProcessor().getPixels();
		for (int c = 0; c < 3; c++) {
			for (int i = 0; i < W * H; i++) {
				double sum = 0;
				for (int k = 1; k <= 4; k++) {
					sum += ((float[]) rgba.getStack().getPixels(rgba.getStackIndex(4, k, 1)))[i] * ((float[]) rgba.getStack()
						.getPixels(rgba.getStackIndex(c + 1, k, 1)))[i];
				}
				worst = Math.max(worst, Math.abs(sum - (rgb[i] >> (16 - 8 * c) & 255) / 255.0));
			}
		}
		assertTrue(worst < 1e-3, "recomposition error " + worst);
	}

	@Test
	void automaticRegroupingEqualsAFullRunWithThatManyLayers() throws Exception {
		final Map<String, Object> full = inputs(photo, StrokeChoice.NONE);
		full.put("segments", 3);
		final ImagePlus three = output(commands.run(SemanticSoftSegmentsCommand.class, true, full).get(), "layers");
		final ImagePlus regrouped = regroup(regroupInputs(photo, 3, StrokeChoice.NONE));
		assertEquals(3, regrouped.getNChannels());
		assertSameLayers(three, regrouped);
	}

	@Test
	void strokeErrorsAreExplainedBeforeAnyWork() throws Exception {
		try {
			HeadlessRoiManager.install();
			assertError(SemanticSoftSegmentsCommand.class, "strokes=[ROI Manager]: the ROI Manager is empty", inputs(photo,
				StrokeChoice.ROI_MANAGER));
			HeadlessRoiManager.remove();
			assertError(SemanticSoftSegmentsCommand.class, "strokes=[ROI Manager]: no ROI Manager is open (headless", inputs(
				photo, StrokeChoice.ROI_MANAGER));
		}
		finally {
			HeadlessRoiManager.install(rois);
		}
		final Map<String, Object> small = inputs(photo, StrokeChoice.LABEL_IMAGE);
		small.put("stroke_image", new ImagePlus("small", new ByteProcessor(40, 30)));
		assertError(SemanticSoftSegmentsCommand.class, "strokes=[label image]: the stroke image 'small' is 40×30 but the " +
			"image is 80×60", small);
		assertError(SemanticSoftSegmentsCommand.class, "strokes=[label image] needs a stroke image (parameter stroke_image",
			inputs(photo, StrokeChoice.LABEL_IMAGE));
		final Map<String, Object> one = inputs(photo, StrokeChoice.LABEL_IMAGE);
		final ByteProcessor onlyOnes = new ByteProcessor(W, H);
		onlyOnes.set(3, 3, 1);
		one.put("stroke_image", new ImagePlus("ones", onlyOnes));
		assertError(SemanticSoftSegmentsCommand.class, "the stroke image 'ones': All strokes have label 1", one);
		final Map<String, Object> jpeg = inputs(photo, StrokeChoice.LABEL_IMAGE);
		final ByteProcessor labels = new ByteProcessor(W, H);
		labels.set(3, 3, 1);
		labels.set(9, 9, 2);
		final ImagePlus fromJpeg = new ImagePlus("scribbles.jpg", labels);
		final FileInfo info = new FileInfo();
		info.fileName = "scribbles.jpg";
		fromJpeg.setFileInfo(info);
		jpeg.put("stroke_image", fromJpeg);
		assertError(SemanticSoftSegmentsCommand.class, "the stroke image 'scribbles.jpg' was opened from a JPEG " +
			"(scribbles.jpg): its lossy compression changes the labels", jpeg);
		assertError(SemanticSoftSegmentsCommand.class, "Unknown strokes choice 'ROIs'", inputs(photo, "ROIs"));
		final ImagePlus movie = FijiTestImages.rgbFrames("movie", W, H, 1, 2);
		assertError(SemanticSoftSegmentsCommand.class, "strokes=[ROI Manager] applies to a single image, but 'movie' has 2 " +
			"Z/T planes", inputs(movie, StrokeChoice.ROI_MANAGER));
		final Map<String, Object> file = inputs(movie, StrokeChoice.NONE);
		file.put("segments_file", dir.resolve("movie").toFile());
		assertError(SemanticSoftSegmentsCommand.class, "segments_file: a segments file holds the segments of a single image",
			file);
	}

	@Test
	void regroupErrorsAreExplained() throws Exception {
		final ImagePlus fresh = photo.duplicate();
		assertError(RegroupSoftSegmentsCommand.class, "No soft segments were kept for 'DUP_scene.png': run Semantic Soft " +
			"Segments on this image with keep_segments", regroupInputs(fresh, 3, StrokeChoice.NONE));
		final Map<String, Object> missing = regroupInputs(fresh, 3, StrokeChoice.NONE);
		missing.put("segments_file", new File(dir.toFile(), "none" + SegmentsFile.SUFFIX));
		assertError(RegroupSoftSegmentsCommand.class, "does not exist", missing);
		final ImagePlus other = new ImagePlus("other.png", FijiTestImages.colorProcessor(SyntheticScene.create(W, H, 2, 8)
			.image()));
		final Map<String, Object> otherFile = regroupInputs(other, 3, StrokeChoice.NONE);
		otherFile.put("segments_file", dir.resolve("scene" + SegmentsFile.SUFFIX).toFile());
		assertError(RegroupSoftSegmentsCommand.class, "belongs to another image: The soft segments were computed from " +
			"another image", otherFile);
		// segments kept for an image whose pixels changed since
		KeptSegments.keep(other, KeptSegments.find(photo).planes(), null);
		assertError(RegroupSoftSegmentsCommand.class, "The soft segments kept for 'other.png' no longer fit it",
			regroupInputs(other, 3, StrokeChoice.NONE));
		assertError(RegroupSoftSegmentsCommand.class, "segments=30 is outside the accepted range 2–20", regroupInputs(photo,
			30, StrokeChoice.NONE));
	}

	@Test
	void macroKeysWorkThroughImageJMacros() throws Exception {
		final Path png = dir.resolve("macro-scene.png");
		ImageFiles.writePng(scene.image(), png);
		LegacyMacroBridge.register(context, "Semantic Soft Segments", SemanticSoftSegmentsCommand.class);
		LegacyMacroBridge.register(context, "Regroup Soft Segments", RegroupSoftSegmentsCommand.class);
		final String macro = String.join("\n", "setBatchMode(true);", "open('" + png + "');",
			"newImage('scribbles', '8-bit black', " + W + ", " + H + ", 1);", "setColor(1); makeRectangle(20, 16, 4, 4); fill();",
			"setColor(2); makeRectangle(54, 18, 4, 4); fill();", "setColor(3); makeRectangle(38, 44, 4, 4); fill();",
			"setColor(4); makeRectangle(2, 2, 5, 4); fill(); run('Select None');", "selectImage('macro-scene.png');",
			"run('Semantic Soft Segments', 'segments=3 seed=1 mode=reference superpixels=200 eigenvectors=30 " +
				"strokes=[label image] stroke_image=scribbles keep_segments');",
			"first = getTitle() + ' ' + nSlices;", "run('Regroup Soft Segments', 'segments=3');",
			"result = first + ';' + getTitle() + ' ' + nSlices;", "close('*');", "setBatchMode(false);", "return result;");
		HeadlessRoiManager.remove(); // ImageJ's selection commands would use it as a real (GUI) ROI Manager
		final String result;
		try {
			result = IJ.runMacro(macro);
		}
		finally {
			HeadlessRoiManager.install(rois);
		}
		assertEquals("macro-scene.png soft segments 4;macro-scene.png soft segments (regrouped) 3", result);
	}

	private static void assertSameLayers(final ImagePlus expected, final ImagePlus actual) {
		assertArrayEquals(expected.getDimensions(), actual.getDimensions());
		for (int i = 1; i <= expected.getStackSize(); i++) {
			assertArrayEquals((float[]) expected.getStack().getPixels(i), (float[]) actual.getStack().getPixels(i), "plane " + i);
		}
	}

	private static void assertError(final Class<? extends Command> command, final String expected,
		final Map<String, Object> in)
	{
		final ExecutionException e = ExpectedCommandFailure.assertCommandFails(context, () -> commands.run(command, true, in)
			.get());
		Throwable cause = e;
		while (cause != null && !(cause instanceof IllegalArgumentException)) cause = cause.getCause();
		assertNotNull(cause, "no IllegalArgumentException in " + e);
		assertTrue(cause.getMessage().contains(expected), "message '" + cause.getMessage() + "' lacks '" + expected + "'");
	}
}
