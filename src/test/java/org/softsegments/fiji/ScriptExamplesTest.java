package org.softsegments.fiji;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.python.core.PySystemState;
import org.python.util.PythonInterpreter;
import org.scijava.Context;
import org.scijava.command.CommandService;
import org.softsegments.demo.SyntheticScene;
import org.softsegments.eval.LayerVisualization;
import org.softsegments.io.ImageFiles;

import ij.CompositeImage;
import ij.IJ;
import ij.ImagePlus;
import ij.macro.Interpreter;

/**
 * Runs the example scripts of {@code scripts/} for real on a tiny synthetic image: the Jython
 * example in Jython's {@link PythonInterpreter} (with the test class path, the variables of its
 * {@code #@} lines set as Fiji's script service would), and the ImageJ macro example in
 * headless ImageJ 1.x ({@link IJ#runMacroFile}) with the command registered in ImageJ 1.x's
 * command table by {@link LegacyMacroBridge} (what imagej-legacy does in Fiji).
 */
class ScriptExamplesTest {

	private static final Path SCRIPTS = Path.of("scripts");
	private static final int W = 48, H = 36, K = 3;

	private static Context context;

	@BeforeAll
	static void createContext() {
		context = new Context();
	}

	@AfterAll
	static void dispose() {
		context.dispose();
	}

	@Test
	void jythonExampleSegmentsAndSavesTheLayers(@TempDir final Path dir) throws Exception {
		final Path image = tinyImage(dir);
		final Path out = dir.resolve("jython-out");
		final Properties props = new Properties();
		props.setProperty("python.import.site", "false");
		props.setProperty("python.cachedir.skip", "true");
		props.setProperty("python.console.encoding", "UTF-8");
		PythonInterpreter.initialize(System.getProperties(), props, new String[0]);
		final StringWriter stdout = new StringWriter();
		try (PythonInterpreter py = new PythonInterpreter(null, new PySystemState())) {
			py.setOut(stdout);
			py.set("input_file", image.toFile());
			py.set("output_dir", out.toFile());
			py.set("segments", K);
			py.set("features", SemanticSoftSegmentsCommand.BUNDLED_UNET); // the macro test runs colour only
			py.set("seed", 1);
			py.set("superpixels", 150);
			py.set("eigenvectors", 30);
			py.set("command", context.service(CommandService.class));
			py.execfile(SCRIPTS.resolve("segment-image.py").toString());
		}
		assertTrue(stdout.toString().contains(K + " layers of tiny.png saved"), stdout.toString());
		checkOutputs(out.resolve("tiny_soft_segments.tif"), out.resolve("tiny_visualization.png"));
	}

	@Test
	void imagejMacroExampleSegmentsAndSavesTheLayers(@TempDir final Path dir) throws Exception {
		final Path image = tinyImage(dir);
		final Path out = dir.resolve("macro-out");
		Files.createDirectories(out);
		final String label = context.service(CommandService.class).getCommand(SemanticSoftSegmentsCommand.class)
			.getMenuPath().getLeaf().getName();
		assertEquals("Semantic Soft Segments", label);
		LegacyMacroBridge.register(context, label, SemanticSoftSegmentsCommand.class);
		final String arg = "input=[" + image + "] output=[" + out + "] segments=" + K +
			" advanced=[superpixels=150 eigenvectors=30]";
		final String result = IJ.runMacroFile(SCRIPTS.resolve("segment-image.ijm").toAbsolutePath().toString(), arg);
		assertTrue(result == null || !result.contains("[aborted]"), "macro aborted: " + result);
		assertTrue(!Interpreter.isBatchMode(), "the macro left batch mode on");
		checkOutputs(out.resolve("tiny_soft_segments.tif"), out.resolve("tiny_visualization.png"));
	}

	private static Path tinyImage(final Path dir) throws Exception {
		final Path image = dir.resolve("tiny.png");
		ImageFiles.writePng(SyntheticScene.create(W, H, 2, 5).image(), image);
		return image;
	}

	/** The layer TIFF opens as a K-channel 32-bit composite hyperstack; the PNG is RGB. */
	private static void checkOutputs(final Path tif, final Path png) throws Exception {
		try (Stream<Path> files = Files.list(tif.getParent())) {
			assertEquals(2, files.count(), "exactly the two outputs expected in " + tif.getParent());
		}
		final ImagePlus layers = IJ.openImage(tif.toString());
		assertNotNull(layers, "cannot open " + tif);
		assertTrue(layers instanceof CompositeImage, "not a composite: " + layers);
		assertArrayEquals(new int[] { W, H, K, 1, 1 }, layers.getDimensions());
		assertEquals(32, layers.getBitDepth());
		final CompositeImage ci = (CompositeImage) layers;
		for (int c = 1; c <= K; c++) {
			assertEquals(LayerVisualization.PALETTE[c - 1][0], ci.getChannelLut(c).getRed(255));
			assertEquals("layer " + c, layers.getStack().getSliceLabel(c));
		}
		assertTrue(FijiTestImages.worstSumError(layers, 1, 1) < 1e-2);
		final ImagePlus vis = IJ.openImage(png.toString());
		assertNotNull(vis, "cannot open " + png);
		assertEquals(W, vis.getWidth());
		assertEquals(24, vis.getBitDepth());
		assertTrue(new File(png.toString()).length() > 0);
	}
}
