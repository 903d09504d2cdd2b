package org.softsegments.io;

import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Temporary files of outputs that are written completely and then renamed, and the reasons of
 * write failures in words.
 * <p>
 * A temporary file is named {@code .<final name>.<random>.<pid>_<host>.part}: hidden, beside the
 * final file (so the rename is atomic), unique per process and call (two runs writing into the
 * same folder at once never share one), and carrying its writer's process id and host, so that
 * a later run can remove the leftovers of a run that was killed ({@link #removeStaleTemporaries})
 * without touching those of a run still writing.
 */
public final class OutputFiles {

	private OutputFiles() {}

	/** Leftovers of another host (or of an unknown writer) are removed only when older than this. */
	static final Duration FOREIGN_AGE = Duration.ofHours(24);

	private static final long PID = ProcessHandle.current().pid();
	private static final String HOST = hostTag();
	private static final Pattern TEMP = Pattern.compile("\\..+\\.[0-9a-f]{16}\\.(\\d+)_([0-9a-z]+)\\.part");

	private static String hostTag() {
		// the kernel's name first: InetAddress may wait for a name lookup
		String host = null;
		try {
			host = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
		}
		catch (final IOException | RuntimeException e) {
			// not Linux
		}
		if (host == null || host.isEmpty()) host = System.getenv("COMPUTERNAME");
		if (host == null || host.isEmpty()) host = System.getenv("HOSTNAME");
		if (host == null || host.isEmpty()) {
			try {
				host = InetAddress.getLocalHost().getHostName();
			}
			catch (final IOException | RuntimeException e) {
				host = "unknown";
			}
		}
		return Integer.toUnsignedString(host.hashCode(), 36);
	}

	/** A failed write of an output file; the message names the file and the reason in words. */
	public static final class WriteFailedException extends IOException {

		private static final long serialVersionUID = 1L;

		WriteFailedException(final Path file, final Throwable cause) {
			super("Cannot write " + file + ": " + reason(cause), cause);
		}
	}

	/** Writes the bytes of an output file to a stream. */
	@FunctionalInterface
	public interface Content {

		void writeTo(OutputStream out) throws IOException;
	}

	/**
	 * Writes {@code file} through a fresh temporary file of this process beside it ({@link #temporaryFor},
	 * created new: never another writer's file), renamed atomically when complete (an existing file
	 * is replaced). On failure nothing is left behind.
	 *
	 * @throws WriteFailedException naming {@code file} and the reason
	 */
	public static void writeAtomically(final Path file, final Content content) throws WriteFailedException {
		final Path tmp = temporaryFor(file);
		try {
			Files.createDirectories(tmp.getParent());
			try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW,
				StandardOpenOption.WRITE), 1 << 16))
			{
				content.writeTo(out);
			}
			Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		}
		catch (final IOException | RuntimeException e) {
			throw new WriteFailedException(file, e);
		}
		finally {
			try {
				Files.deleteIfExists(tmp);
			}
			catch (final IOException e) {
				// reported above, if anything failed
			}
		}
	}

	/** A fresh temporary name beside {@code file} (the file is not created). */
	public static Path temporaryFor(final Path file) {
		return temporaryFor(file, PID, HOST);
	}

	/** The temporary name a process {@code pid} on the host tagged {@code host} would use (tests). */
	static Path temporaryFor(final Path file, final long pid, final String host) {
		final Path abs = file.toAbsolutePath();
		return abs.resolveSibling("." + abs.getFileName() + "." + String.format(Locale.ROOT, "%016x",
			ThreadLocalRandom.current().nextLong()) + "." + pid + "_" + host + ".part");
	}

	/** This host's tag in temporary names. */
	static String host() {
		return HOST;
	}

	/** True if {@code name} is the name of a temporary file of {@link #temporaryFor}. */
	public static boolean isTemporary(final String name) {
		return TEMP.matcher(name).matches();
	}

	/**
	 * Deletes the temporary files in {@code dir} whose writer is gone: written on this host by a
	 * process that no longer runs, or (another host) not modified for {@link #FOREIGN_AGE}.
	 * Returns how many were deleted; errors are ignored (the files are only clutter).
	 */
	public static int removeStaleTemporaries(final Path dir) {
		int removed = 0;
		final Instant old = Instant.now().minus(FOREIGN_AGE);
		try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, ".*.part")) {
			for (final Path f : files) {
				final Matcher m = TEMP.matcher(f.getFileName().toString());
				if (!m.matches() || !Files.isRegularFile(f)) continue;
				final boolean stale;
				if (m.group(2).equals(HOST)) {
					final long pid = Long.parseLong(m.group(1));
					stale = pid != PID && !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
				}
				else {
					final FileTime t = Files.getLastModifiedTime(f);
					stale = t.toInstant().isBefore(old);
				}
				if (stale && Files.deleteIfExists(f)) removed++;
			}
		}
		catch (final IOException | RuntimeException e) {
			// nothing to clean, or not allowed to: leave it
		}
		return removed;
	}

	/**
	 * Why an input or output operation failed, in words, e.g. "no space left on the disk" or
	 * "permission denied": the first cause the file system explains, else the innermost message of
	 * an {@link IOException} (runtime exceptions of decoders give "invalid data").
	 */
	public static String reason(final Throwable e) {
		String innermost = null;
		for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
			if (t instanceof AccessDeniedException) return "permission denied";
			if (t instanceof NoSuchFileException) return "no such file or folder";
			String r = t instanceof FileSystemException ? ((FileSystemException) t).getReason() : t.getMessage();
			if (t instanceof FileNotFoundException && r != null && r.endsWith(")") && r.lastIndexOf(" (") > 0) {
				r = r.substring(r.lastIndexOf(" (") + 2, r.length() - 1); // java.io: "PATH (reason)"
				if (r.equalsIgnoreCase("No such file or directory")) return "no such file or folder";
			}
			final String words = words(r);
			if (words != null) return words;
			if (t instanceof EOFException) innermost = "the file ends too early";
			else if (r != null && !r.isBlank() && !(t instanceof RuntimeException)) innermost = r;
		}
		// a decoder's internal error (index out of bounds…) means nothing to the user
		return innermost != null ? innermost : "invalid data (" + e.getClass().getSimpleName() + ")";
	}

	/** Known operating-system reasons in plain words, or null. */
	private static String words(final String reason) {
		if (reason == null) return null;
		final String r = reason.toLowerCase(Locale.ROOT);
		if (r.contains("no space left")) return "no space left on the disk";
		if (r.contains("file too large")) {
			return "file too large (a file size limit applies: 'ulimit -f', or the file system's largest file)";
		}
		if (r.contains("disk quota")) return "disk quota exceeded";
		if (r.contains("read-only file system")) return "the file system is read-only";
		if (r.contains("permission denied") || r.contains("operation not permitted")) return "permission denied";
		return null;
	}
}
