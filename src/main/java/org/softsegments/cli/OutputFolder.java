package org.softsegments.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import org.softsegments.io.OutputFiles;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * The {@code --out} folder of one {@code sss} run: created if missing and proven writable before
 * any work, so that a bad --out is a usage error rather than a failure of every image; the
 * folders the run created are remembered and removed again at the end if the run left them
 * empty.
 */
final class OutputFolder {

	/** Folders this run created for --out (deepest first), removed at the end if still empty. */
	private final List<Path> created = new ArrayList<>();

	/**
	 * The output folder, created if missing and proven writable by writing and deleting a probe
	 * file, before any work; leftovers of an interrupted earlier run are removed
	 * ({@link OutputFiles#removeStaleTemporaries}). Any problem is a usage error in words. With
	 * {@code dryRun} nothing is created or written.
	 */
	Path prepare(final CommandSpec spec, final Path out, final boolean dryRun, final PrintWriter stdout) {
		final Path dir = out.toAbsolutePath().normalize();
		if (Files.exists(dir) && !Files.isDirectory(dir)) throw usage(spec, "--out " + out + " exists and is not a folder");
		if (dryRun) return dir;
		for (Path p = dir; p != null && !Files.exists(p); p = p.getParent()) created.add(p);
		try {
			Files.createDirectories(dir);
		}
		catch (final IOException | SecurityException e) {
			removeCreatedIfEmpty();
			final String why = e instanceof NoSuchFileException ? "the file system there does not allow new folders" :
				OutputFiles.reason(e);
			throw usage(spec, "Cannot create the output folder " + out + ": " + why + "; choose another --out");
		}
		final Path probe = OutputFiles.temporaryFor(dir.resolve("sss-write-test"));
		try {
			Files.write(probe, new byte[] { 1 }, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
			Files.delete(probe);
		}
		catch (final IOException | SecurityException e) {
			try {
				Files.deleteIfExists(probe);
			}
			catch (final IOException ignored) {
				// the folder refuses files anyway
			}
			removeCreatedIfEmpty();
			final String why = e instanceof NoSuchFileException && Files.isDirectory(dir) ?
				"the file system there does not allow new files" : OutputFiles.reason(e);
			throw usage(spec, "Cannot write to the output folder " + out + ": " + why + "; choose another --out");
		}
		final int stale = OutputFiles.removeStaleTemporaries(dir);
		if (stale > 0) {
			stdout.println("note    removed " + stale + " unfinished temporary file(s) of an interrupted earlier run in " +
				dir);
		}
		return dir;
	}

	/** Removes the folders this run created for --out if they are (still) empty. */
	void removeCreatedIfEmpty() {
		for (final Path p : created) { // deepest first
			try {
				Files.deleteIfExists(p); // fails for a folder that is not empty: it stays
			}
			catch (final IOException | SecurityException e) {
				break;
			}
		}
		created.clear();
	}

	private static ParameterException usage(final CommandSpec spec, final String message) {
		return new ParameterException(spec.commandLine(), message);
	}
}
