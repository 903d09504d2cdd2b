package org.softsegments.cli;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.softsegments.io.ImageFiles;

/**
 * Turns the command line's INPUT arguments into the sorted list of images to process. Files
 * are taken as given (whatever their extension: a file that is not an image fails on its own
 * when read); folders are expanded, not recursively, to the image files inside them
 * ({@link #IMAGE_EXTENSIONS}), leaving out hidden files and this tool's own outputs, so that
 * {@code --out} may be the input folder. The list is sorted by absolute path (plain string
 * order, independent of locale and file system) and duplicates are removed, so every array job
 * of a {@link Shard}ed run sees the same list.
 */
public final class InputCollection {

	/** File name extensions (lower case) taken from folders: those of the formats the readers accept. */
	public static final List<String> IMAGE_EXTENSIONS = ImageFiles.EXTENSIONS;

	/** Names of this tool's outputs, left out when a folder is expanded. */
	private static final Pattern OWN_OUTPUT = Pattern.compile(".*(" + Pattern.quote(LayerOutputs.TIFF_SUFFIX) + "|" +
		Pattern.quote(LayerOutputs.VISUALIZATION_SUFFIX) + "|_layer\\d+\\.png)$");

	private InputCollection() {}

	/**
	 * Expands and sorts the inputs.
	 *
	 * @throws IllegalArgumentException if an input does not exist or a folder cannot be listed
	 */
	public static List<Path> expand(final Collection<Path> inputs) {
		final Set<String> seen = new TreeSet<>();
		final List<Path> files = new ArrayList<>();
		for (final Path input : inputs) {
			final Path p = input.toAbsolutePath().normalize();
			if (Files.isDirectory(p)) {
				try (DirectoryStream<Path> dir = Files.newDirectoryStream(p)) {
					for (final Path f : dir) {
						if (Files.isRegularFile(f) && isImageName(f.getFileName().toString())) add(f, seen, files);
					}
				}
				catch (final IOException e) {
					throw new IllegalArgumentException("Cannot list the input folder " + input + ": " + e.getMessage());
				}
			}
			else if (Files.exists(p)) {
				add(p, seen, files);
			}
			else {
				throw new IllegalArgumentException("Input " + input + " does not exist (give image files or folders)");
			}
		}
		files.sort((a, b) -> a.toString().compareTo(b.toString()));
		return files;
	}

	private static void add(final Path file, final Set<String> seen, final List<Path> files) {
		if (seen.add(file.toString())) files.add(file);
	}

	/** True for a visible file with an image extension that is not one of this tool's outputs. */
	static boolean isImageName(final String name) {
		if (name.startsWith(".") || OWN_OUTPUT.matcher(name).matches()) return false;
		return IMAGE_EXTENSIONS.contains(extension(name));
	}

	/** Lower-case extension without the dot ("" if none). */
	static String extension(final String name) {
		final int dot = name.lastIndexOf('.');
		return dot <= 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
	}

	/** The output base name of an input: its file name without the extension. */
	public static String baseName(final Path file) {
		final String name = file.getFileName().toString();
		final int dot = name.lastIndexOf('.');
		return dot <= 0 ? name : name.substring(0, dot);
	}

	/**
	 * Checks that no two inputs would write the same outputs (same base name, e.g. {@code a.png}
	 * and {@code a.jpg}, or equal names in two folders).
	 *
	 * @throws IllegalArgumentException naming the clashing inputs
	 */
	public static void checkDistinctNames(final List<Path> files) {
		final Map<String, Path> byName = new TreeMap<>();
		for (final Path f : files) {
			final Path before = byName.putIfAbsent(baseName(f), f);
			if (before != null) {
				throw new IllegalArgumentException("Inputs " + before + " and " + f + " would both write outputs named '" +
					baseName(f) + "_…' into the output folder; rename one or run them separately");
			}
		}
	}

	/**
	 * The feature image for {@code input} in {@code featureDir}: a file with the same name, or
	 * else with the same base name and an image extension (e.g. {@code photo.jpg} →
	 * {@code photo.tif}). Null if none exists.
	 */
	public static Path findFeatureFile(final Path featureDir, final Path input) {
		final Path same = featureDir.resolve(input.getFileName().toString());
		if (Files.isRegularFile(same)) return same;
		final String base = baseName(input);
		for (final String ext : IMAGE_EXTENSIONS) {
			for (final String e : new String[] { ext, ext.toUpperCase(Locale.ROOT) }) {
				final Path p = featureDir.resolve(base + "." + e);
				if (Files.isRegularFile(p)) return p;
			}
		}
		return null;
	}
}
