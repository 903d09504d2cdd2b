package org.softsegments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import ij.IJ;
import ij.ImagePlus;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults (issue 17, item 3), with {@code sss} in separate JVMs: a batch killed (SIGKILL) half-way
 * and resumed with {@code --skip-existing}; writes that fail as on a full disk (a file size
 * limit, {@code ulimit -f}); two runs writing into one folder at once. Afterwards every output is
 * whole and no temporary file is left.
 */
class FaultsTest {

	@TempDir
	Path tmp;

	static final int IMAGES = 6, W = 64, H = 48;

	/** A command line running {@code sss} in a new JVM (small heap, no perf-data file). */
	static List<String> sss(final String... args) {
		final List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
			.toString(), "-Xmx512m", "-XX:-UsePerfData", "-Djava.awt.headless=true", "-cp", System.getProperty(
				"surefire.test.class.path", System.getProperty("java.class.path")), SegmentMain.class.getName()));
		cmd.addAll(Arrays.asList(args));
		cmd.addAll(Arrays.asList(SegmentMainTest.SMALL));
		cmd.addAll(List.of("--progress", "none"));
		return cmd;
	}

	static Process start(final Path log, final List<String> cmd) throws IOException {
		return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
	}

	/** Writes {@code n} small synthetic images into {@code dir}. */
	static Path inputs(final Path dir, final int n) throws Exception {
		Files.createDirectories(dir);
		for (int i = 0; i < n; i++) Sss.writeScene(dir.resolve("img" + i + ".png"), W, H, i + 1);
		return dir;
	}

	static List<String> list(final Path dir) throws IOException {
		try (Stream<Path> s = Files.list(dir)) {
			return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
		}
	}

	/** Every image has its two outputs, each TIFF whole (readable, right size, 2–3 layers), and nothing else is there. */
	static void assertAllWhole(final Path out, final int n, final String log) throws IOException {
		final List<String> expected = new ArrayList<>();
		for (int i = 0; i < n; i++) {
			expected.add("img" + i + LayerOutputs.TIFF_SUFFIX);
			expected.add("img" + i + LayerOutputs.VISUALIZATION_SUFFIX);
		}
		expected.sort(null);
		assertEquals(expected, list(out), "exactly the outputs, no temporary file\n" + log);
		for (int i = 0; i < n; i++) {
			final ImagePlus imp = IJ.openImage(out.resolve("img" + i + LayerOutputs.TIFF_SUFFIX).toString());
			assertTrue(imp != null && imp.getWidth() == W && imp.getHeight() == H && imp.getNChannels() >= 2 && imp
				.getNChannels() <= 3, "img" + i + " whole\n" + log);
			final float[] px = (float[]) imp.getStack().getPixels(imp.getStackSize());
			assertEquals(W * H, px.length);
		}
	}

	@Test
	void aBatchKilledHalfWayIsCompletedBySkipExisting() throws Exception {
		final Path in = inputs(tmp.resolve("in"), IMAGES), out = tmp.resolve("out"), log = tmp.resolve("killed.log");
		final Process p = start(log, sss(in.toString(), "--out", out.toString()));
		// kill it (SIGKILL: no shutdown hook, no finally) once the first image is done and the next is under way
		final long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
		while (p.isAlive() && !Files.exists(out.resolve("img0" + LayerOutputs.TIFF_SUFFIX)) && System.nanoTime() < deadline) {
			Thread.sleep(5);
		}
		Thread.sleep(300);
		final boolean wasAlive = p.isAlive();
		p.destroyForcibly();
		assertTrue(p.waitFor(60, TimeUnit.SECONDS));
		final String killed = Files.readString(log, StandardCharsets.UTF_8);
		Assumptions.assumeTrue(wasAlive, "the batch finished before it could be killed (machine too fast):\n" + killed);
		assertFalse(killed.contains("sss: " + IMAGES + " segmented"), killed);
		final List<String> left = list(out);
		System.out.println("FaultsTest: killed after " + left + "\n" + killed);
		for (final String f : left) { // what the killed run left: finished files only under their final names
			if (f.endsWith(LayerOutputs.TIFF_SUFFIX)) {
				assertTrue(IJ.openImage(out.resolve(f).toString()).getNChannels() >= 2, f);
			}
		}

		// and a process killed in the middle of writing (the batch above may have been killed between files)
		final Path half = halfWrittenAndKilled(out.resolve("img3" + LayerOutputs.TIFF_SUFFIX));
		assertTrue(Files.exists(half), half.toString());

		final Sss again = Sss.run(SegmentMainTest.args(new String[] { in.toString(), "--out", out.toString(),
			"--skip-existing", "--progress", "none" }));
		assertEquals(0, again.exitCode, again.toString());
		assertTrue(again.out.contains("note    removed 1 unfinished temporary file(s) of an interrupted earlier run"),
			again.toString());
		assertTrue(again.out.matches("(?s).*sss: \\d segmented, [1-6] skipped, 0 failed.*"), again.toString());
		assertAllWhole(out, IMAGES, killed + again);
	}

	/**
	 * Starts a JVM that begins writing {@code target} as the outputs are written (a temporary file
	 * of its own, {@link org.softsegments.io.OutputFiles#temporaryFor}) and kills it (SIGKILL)
	 * before it renames it; returns the temporary file it left.
	 */
	static Path halfWrittenAndKilled(final Path target) throws Exception {
		final Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
			"-Xmx64m", "-XX:-UsePerfData", "-cp", System.getProperty("surefire.test.class.path", System.getProperty(
				"java.class.path")), HalfWriter.class.getName(), target.toString()).redirectErrorStream(true).start();
		final String line = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(),
			StandardCharsets.UTF_8)).readLine();
		p.destroyForcibly();
		assertTrue(p.waitFor(60, TimeUnit.SECONDS));
		assertTrue(line != null && line.startsWith("writing "), String.valueOf(line));
		return Path.of(line.substring("writing ".length()));
	}

	/** Writes half of {@code args[0]} under its temporary name, says so, and waits to be killed. */
	public static final class HalfWriter {

		public static void main(final String[] args) throws Exception {
			final Path tmp = org.softsegments.io.OutputFiles.temporaryFor(Path.of(args[0]));
			Files.write(tmp, new byte[4096]);
			System.out.println("writing " + tmp);
			System.out.flush();
			Thread.sleep(600_000);
		}
	}

	/** Runs {@code cmd} under a file size limit of {@code kb} KB ({@code ulimit -f}; Java ignores SIGXFSZ, writes fail with EFBIG). */
	static List<String> underFileSizeLimit(final int kb, final List<String> cmd) {
		final StringBuilder b = new StringBuilder("ulimit -f " + kb + " && exec");
		for (final String c : cmd) b.append(" '").append(c.replace("'", "'\\''")).append('\'');
		return List.of("bash", "-c", b.toString());
	}

	@Test
	void aFailedWriteIsNamedAndLeavesNoPartialFile() throws Exception {
		Assumptions.assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "FaultsTest: no bash here; the full-disk " +
			"case (ulimit -f) is skipped");
		final Path in = inputs(tmp.resolve("in"), 1), out = Files.createDirectories(tmp.resolve("out"));
		final Path log = tmp.resolve("full.log");
		// 16 KB: the visualisation PNG (a few KB) fits, the 3-layer TIFF (36 KB) does not
		final Process p = start(log, underFileSizeLimit(16, sss(in.toString(), "--out", out.toString())));
		assertTrue(p.waitFor(3, TimeUnit.MINUTES), "hangs");
		final String text = Files.readString(log, StandardCharsets.UTF_8);
		assertEquals(1, p.exitValue(), text);
		assertTrue(text.contains("FAILED  [1/1] img0.png: Cannot write " + out.resolve("img0" + LayerOutputs.TIFF_SUFFIX) +
			": file too large"), text);
		assertFalse(text.contains("\tat ") || text.contains("Exception"), text);
		assertEquals(List.of(), list(out), "no partial file (the visualisation written before is removed too)\n" + text);
	}

	@Test
	void twoRunsIntoOneFolderAtOnceDoNotCorruptEachOther() throws Exception {
		final Path in = inputs(tmp.resolve("in"), 4), out = tmp.resolve("out");
		final Process a = start(tmp.resolve("a.log"), sss(in.toString(), "--out", out.toString()));
		final Process b = start(tmp.resolve("b.log"), sss(in.toString(), "--out", out.toString()));
		assertTrue(a.waitFor(5, TimeUnit.MINUTES) && b.waitFor(5, TimeUnit.MINUTES), "hangs");
		final String logs = Files.readString(tmp.resolve("a.log")) + Files.readString(tmp.resolve("b.log"));
		assertEquals(0, a.exitValue(), logs);
		assertEquals(0, b.exitValue(), logs);
		assertAllWhole(out, 4, logs);
	}
}
