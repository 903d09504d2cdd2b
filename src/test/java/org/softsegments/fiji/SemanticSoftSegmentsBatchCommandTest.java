package org.softsegments.fiji;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Context;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;
import org.softsegments.demo.SyntheticScene;
import org.softsegments.eval.LayerVisualization;
import org.softsegments.io.ImageFiles;

import ij.CompositeImage;
import ij.IJ;
import ij.ImagePlus;

/**
 * The batch command in a headless {@link Context} on a folder with two small synthetic images,
 * a broken "image" and an unrelated file: failures are reported at the end while the others
 * are processed; a second run skips the images whose outputs exist.
 */
class SemanticSoftSegmentsBatchCommandTest {

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
	void brokenFilesAreReportedOthersProcessedAndExistingOutputsSkipped(@TempDir final Path dir) throws Exception {
		final Path in = dir.resolve("in"), out = dir.resolve("out");
		Files.createDirectories(in);
		ImageFiles.writePng(SyntheticScene.create(W, H, 2, 1).image(), in.resolve("a.png"));
		ImageFiles.writePng(SyntheticScene.create(W, H, 2, 2).image(), in.resolve("b.PNG"));
		Files.write(in.resolve("broken.png"), new byte[] { (byte) 0x89, 'P', 'N', 'G', 1, 2, 3, 4, 5, 6, 7, 8 });
		Files.writeString(in.resolve("notes.txt"), "not an image");

		// broken.png fails (logged by the command as a warning, the summary as an error): checked in the summary
		final String first = ExpectedCommandFailure.withLogOff(context, () -> run(in, out, true));
		assertTrue(first.startsWith("3 file(s) matched"), first);
		assertTrue(first.contains("2 segmented, 0 skipped (outputs exist), 1 failed"), first);
		assertTrue(first.contains("broken.png: "), first);
		assertFalse(first.contains("notes.txt"), first);
		assertEquals(List.of("a_soft_segments.tif", "a_visualization.png", "b_soft_segments.tif",
			"b_visualization.png"), listing(out), "outputs (and no temporary file left)");
		checkLayers(out.resolve("a_soft_segments.tif"));
		checkLayers(out.resolve("b_soft_segments.tif"));
		final ImagePlus vis = IJ.openImage(out.resolve("a_visualization.png").toString());
		assertNotNull(vis);
		assertEquals(W, vis.getWidth());

		// second run: a's and b's outputs exist and are skipped (not rewritten); broken.png fails again
		final FileTime old = FileTime.fromMillis(1_000_000_000_000L);
		for (final String f : listing(out)) Files.setLastModifiedTime(out.resolve(f), old);
		Files.delete(out.resolve("b_visualization.png")); // b is incomplete: redone
		final String second = ExpectedCommandFailure.withLogOff(context, () -> run(in, out, true));
		assertTrue(second.contains("1 segmented, 1 skipped (outputs exist), 1 failed"), second);
		assertEquals(old, Files.getLastModifiedTime(out.resolve("a_soft_segments.tif")));
		assertEquals(old, Files.getLastModifiedTime(out.resolve("a_visualization.png")));
		assertFalse(old.equals(Files.getLastModifiedTime(out.resolve("b_soft_segments.tif"))), "b was not redone");
		assertTrue(Files.exists(out.resolve("b_visualization.png")));
		assertEquals(4, listing(out).size());
	}

	@Test
	void missingInputFolderIsAnError(@TempDir final Path dir) {
		final ExecutionException e = ExpectedCommandFailure.assertCommandFails(context, () -> run(dir.resolve(
			"nowhere"), dir, true));
		Throwable cause = e;
		while (cause != null && !(cause instanceof IllegalArgumentException)) cause = cause.getCause();
		assertNotNull(cause, "no IllegalArgumentException in " + e);
		assertTrue(cause.getMessage().contains("is not a folder"), cause.getMessage());
	}

	@Test
	void outputsInTheInputFolderAreNotInputs(@TempDir final Path dir) throws Exception {
		ImageFiles.writePng(SyntheticScene.create(W, H, 2, 1).image(), dir.resolve("a.png"));
		Files.writeString(dir.resolve("a_soft_segments.tif"), "existing output");
		Files.writeString(dir.resolve("a_visualization.png"), "existing output");
		Files.writeString(dir.resolve(".a_soft_segments.tif123.part"), "temporary file of another run");
		final String summary = run(dir, dir, true);
		assertTrue(summary.startsWith("1 file(s) matched"), summary);
		assertTrue(summary.contains("0 segmented, 1 skipped (outputs exist), 0 failed"), summary);
	}

	private static String run(final Path in, final Path out, final boolean skipExisting) throws Exception {
		final Map<String, Object> m = new HashMap<>();
		m.put("input_folder", in.toFile());
		m.put("file_pattern", SemanticSoftSegmentsBatchCommand.DEFAULT_PATTERN);
		m.put("output_folder", out.toFile());
		m.put("segments", K);
		m.put("features", SemanticSoftSegmentsCommand.COLOUR_ONLY);
		m.put("model", null);
		m.put("seed", 1L);
		m.put("skip_existing", skipExisting);
		m.put("mode", SemanticSoftSegmentsCommand.REFERENCE);
		m.put("working_pixels", 80_000);
		m.put("cleanup_threshold", 0.01);
		m.put("superpixels", 150);
		m.put("eigenvectors", 30);
		m.put("semantic_weight", 0.01);
		m.put("colour_weight", 0.01);
		final CommandModule module = context.service(CommandService.class).run(SemanticSoftSegmentsBatchCommand.class,
			true, m).get();
		assertFalse(module.isCanceled());
		return (String) module.getOutput("summary");
	}

	private static List<String> listing(final Path dir) throws Exception {
		try (Stream<Path> s = Files.list(dir)) {
			return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
		}
	}

	/** The TIFF reopens as a K-channel 32-bit composite hyperstack with the palette LUTs. */
	private static void checkLayers(final Path tif) {
		final ImagePlus imp = IJ.openImage(tif.toString());
		assertNotNull(imp, "cannot open " + tif);
		assertTrue(imp instanceof CompositeImage, "not a composite: " + imp);
		assertTrue(imp.isHyperStack() || imp.getNChannels() == K);
		assertArrayEquals(new int[] { W, H, K, 1, 1 }, imp.getDimensions());
		assertEquals(32, imp.getBitDepth());
		final CompositeImage ci = (CompositeImage) imp;
		assertEquals(IJ.COMPOSITE, ci.getMode());
		for (int c = 1; c <= K; c++) {
			assertEquals(LayerVisualization.PALETTE[c - 1][1], ci.getChannelLut(c).getGreen(255));
			assertEquals("layer " + c, imp.getStack().getSliceLabel(c));
		}
		assertTrue(FijiTestImages.worstSumError(imp, 1, 1) < 1e-2);
	}
}
