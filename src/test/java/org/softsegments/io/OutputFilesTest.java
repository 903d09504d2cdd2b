package org.softsegments.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Temporary names of outputs, the removal of a killed run's leftovers, and reasons in words. */
class OutputFilesTest {

	@TempDir
	Path tmp;

	@Test
	void temporaryNamesAreHiddenUniqueAndCarryTheWriter() {
		final Path a = OutputFiles.temporaryFor(tmp.resolve("x_soft_segments.tif"));
		final Path b = OutputFiles.temporaryFor(tmp.resolve("x_soft_segments.tif"));
		assertNotEquals(a, b);
		assertEquals(tmp.toAbsolutePath(), a.getParent(), "beside the file: the rename stays on one file system");
		final String n = a.getFileName().toString();
		assertTrue(n.startsWith(".x_soft_segments.tif.") && n.endsWith(".part"), n);
		assertTrue(n.contains("." + ProcessHandle.current().pid() + "_"), "the writer's process id: " + n);
		assertTrue(OutputFiles.isTemporary(n), n);
		assertFalse(OutputFiles.isTemporary("x_soft_segments.tif"));
	}

	@Test
	void onlyTheLeftoversOfRunsThatAreGoneAreRemoved() throws Exception {
		final Process gone = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
			"-version").redirectErrorStream(true).start();
		gone.getInputStream().readAllBytes();
		assertEquals(0, gone.waitFor());
		final Path deadRun = touch(OutputFiles.temporaryFor(tmp.resolve("a_soft_segments.tif"), gone.pid(), OutputFiles
			.host()));
		final Path thisRun = touch(OutputFiles.temporaryFor(tmp.resolve("b_soft_segments.tif")));
		final Path otherHostNew = touch(OutputFiles.temporaryFor(tmp.resolve("c_visualization.png"), 12, "otherhost"));
		final Path otherHostOld = touch(OutputFiles.temporaryFor(tmp.resolve("d_visualization.png"), 12, "otherhost"));
		Files.setLastModifiedTime(otherHostOld, FileTime.from(Instant.now().minus(OutputFiles.FOREIGN_AGE).minusSeconds(
			60)));
		final Path someoneElses = touch(tmp.resolve(".download.part"));
		final Path output = touch(tmp.resolve("a_soft_segments.tif"));

		assertEquals(2, OutputFiles.removeStaleTemporaries(tmp));
		assertFalse(Files.exists(deadRun), "a run that was killed");
		assertFalse(Files.exists(otherHostOld), "another host's, a day old");
		for (final Path kept : new Path[] { thisRun, otherHostNew, someoneElses, output }) {
			assertTrue(Files.exists(kept), kept.toString());
		}
	}

	private static Path touch(final Path p) throws IOException {
		return Files.write(p, new byte[] { 1 });
	}

	@Test
	void reasonsInWords() {
		assertEquals("no space left on the disk", OutputFiles.reason(new IOException("write failed", new IOException(
			"No space left on device"))));
		assertTrue(OutputFiles.reason(new IOException("File too large")).startsWith("file too large"));
		assertEquals("permission denied", OutputFiles.reason(new AccessDeniedException("/x")));
		assertEquals("the file system is read-only", OutputFiles.reason(new FileSystemException("/x", null,
			"Read-only file system")));
		assertEquals("no such file or folder", OutputFiles.reason(new java.io.FileNotFoundException(
			"/x/y (No such file or directory)")));
		assertEquals("the file ends too early", OutputFiles.reason(new java.io.EOFException()));
		assertEquals("invalid data (IllegalStateException)", OutputFiles.reason(new IllegalStateException(
			"Index 7 out of bounds")));
	}
}
