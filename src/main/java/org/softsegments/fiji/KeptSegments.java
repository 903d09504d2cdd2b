package org.softsegments.fiji;

import java.io.File;
import java.io.IOException;
import java.lang.ref.WeakReference;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

import org.softsegments.engine.SoftSegments;
import org.softsegments.io.SegmentsFile;

import ij.ImagePlus;

/**
 * The soft segments that {@code keep_segments} keeps for "Regroup Soft Segments", and the segments
 * files of {@code segments_file}.
 * <p>
 * <b>In memory</b>: one entry per photo, the soft segments of every Z/T plane of the last run on it
 * with {@code keep_segments}; a later such run on the same photo replaces it. The photo is the
 * {@link ImagePlus} object itself (the open window, not its title: two images with the same title
 * are different photos), held weakly: nothing here keeps a closed image alive, and its entry goes
 * when the image is garbage-collected. The entry also knows the layer images made from it (by that
 * run and by regroupings), so that regrouping works with either the photo or one of those active.
 * Whether the segments still fit the photo's pixels is checked when they are used (the engine's
 * fingerprint), so editing the photo after the run gives a clear error, not wrong layers. The input
 * image is never modified (no property is added to it).
 * <p>
 * <b>Files</b>: {@link SegmentsFile} ({@value SegmentsFile#SUFFIX}); one file holds the segments of
 * one plane, so files are for single images only.
 */
final class KeptSegments {

	/** Photo → its kept segments; weak keys (identity: ImagePlus does not override equals). */
	private static final Map<ImagePlus, Entry> KEPT = new WeakHashMap<>();

	private KeptSegments() {}

	/** The kept segments of one photo and the layer images made from them. */
	private static final class Entry {

		final List<SoftSegments> planes;
		final List<WeakReference<ImagePlus>> outputs = new ArrayList<>();

		Entry(final List<SoftSegments> planes) {
			this.planes = List.copyOf(planes);
		}
	}

	/** What regrouping starts from: the photo and the soft segments of each of its planes. */
	record Found(ImagePlus photo, List<SoftSegments> planes) {}

	/**
	 * Keeps the soft segments of a run on {@code photo} (replacing earlier ones), with the run's
	 * layer image.
	 */
	static synchronized void keep(final ImagePlus photo, final List<SoftSegments> planes, final ImagePlus layers) {
		final Entry e = new Entry(planes);
		if (layers != null) e.outputs.add(new WeakReference<>(layers));
		KEPT.put(photo, e);
	}

	/** Remembers another layer image (a regrouping's) as made from {@code photo}'s kept segments. */
	static synchronized void addOutput(final ImagePlus photo, final ImagePlus layers) {
		final Entry e = KEPT.get(photo);
		if (e == null) return;
		e.outputs.removeIf(r -> r.get() == null);
		e.outputs.add(new WeakReference<>(layers));
	}

	/**
	 * The kept segments of {@code image}: of the photo itself, or, when {@code image} is a layer
	 * image made from kept segments, of its photo.
	 *
	 * @throws IllegalArgumentException when none were kept for it
	 */
	static synchronized Found find(final ImagePlus image) {
		final Entry own = KEPT.get(image);
		if (own != null) return new Found(image, own.planes);
		for (final Map.Entry<ImagePlus, Entry> e : KEPT.entrySet()) {
			for (final WeakReference<ImagePlus> out : e.getValue().outputs) {
				if (out.get() == image && e.getKey() != null) return new Found(e.getKey(), e.getValue().planes);
			}
		}
		throw new IllegalArgumentException("No soft segments were kept for '" + image.getTitle() + "': run Semantic Soft " +
			"Segments on this image with keep_segments (\"Keep the soft segments for regrouping\"), or give the segments file " +
			"of a run with segments_file");
	}

	/**
	 * The engine's refusal of segments that do not belong to {@code photo} (checked by their
	 * fingerprint) in the user's terms: for kept segments the photo changed since the run, for a file
	 * it is another photo's. Other exceptions are returned unchanged.
	 *
	 * @param file the segments file, null for segments kept in memory
	 */
	static IllegalArgumentException explain(final IllegalArgumentException e, final ImagePlus photo, final File file) {
		if (e.getMessage() == null || !e.getMessage().contains("computed from another image")) return e;
		if (file != null) {
			return new IllegalArgumentException("segments_file " + file + " belongs to another image: " + e.getMessage() +
				"; give the segments file written for '" + photo.getTitle() + "'", e);
		}
		return new IllegalArgumentException("The soft segments kept for '" + photo.getTitle() + "' no longer fit it: its " +
			"pixels changed since the run (or, for a 16-bit image, its display range); run Semantic Soft Segments on it again " +
			"with keep_segments", e);
	}

	/** Forgets everything kept (tests). */
	static synchronized void clear() {
		KEPT.clear();
	}

	/**
	 * Writes the segments of a single-plane run to {@code file}; the suffix {@value SegmentsFile#SUFFIX}
	 * is added when missing.
	 *
	 * @return the file written
	 * @throws IllegalArgumentException when the run has more than one plane
	 * @throws IllegalStateException when the file cannot be written (the message says why)
	 */
	static Path write(final List<SoftSegments> planes, final File file) {
		checkSinglePlane(planes.size(), "segments_file");
		final Path path = withSuffix(file);
		try {
			SegmentsFile.write(planes.get(0), path);
		}
		catch (final IOException e) {
			throw new IllegalStateException("segments_file: cannot write " + path + ": " + e.getMessage(), e);
		}
		return path;
	}

	/**
	 * The segments in {@code file}, for a single-plane photo.
	 *
	 * @throws IllegalArgumentException when it is missing, not a segments file, truncated, or the
	 *           photo has more than one plane
	 */
	static List<SoftSegments> read(final File file, final int planes) {
		checkSinglePlane(planes, "segments_file");
		if (!file.isFile()) {
			throw new IllegalArgumentException("segments_file " + file + " does not exist (give a " + SegmentsFile.SUFFIX +
				" file written with segments_file by Semantic Soft Segments, or by sss --keep-segments)");
		}
		try {
			return List.of(SegmentsFile.read(file.toPath()));
		}
		catch (final IOException e) {
			throw new IllegalArgumentException("segments_file " + file + ": " + e.getMessage(), e);
		}
	}

	/** {@code file} with the suffix {@value SegmentsFile#SUFFIX} (added when missing). */
	static Path withSuffix(final File file) {
		final String name = file.getName();
		return name.endsWith(SegmentsFile.SUFFIX) ? file.toPath() : file.toPath().resolveSibling(name + SegmentsFile.SUFFIX);
	}

	/**
	 * Checks that {@code segments_file} applies to {@code photo} (before any work).
	 *
	 * @throws IllegalArgumentException for a photo with more than one Z/T plane
	 */
	static void checkSinglePlane(final ImagePlus photo) {
		checkSinglePlane(photo.getNSlices() * photo.getNFrames(), "segments_file");
	}

	private static void checkSinglePlane(final int planes, final String key) {
		if (planes != 1) {
			throw new IllegalArgumentException(key + ": a segments file holds the segments of a single image, but this one " +
				"has " + planes + " Z/T planes; use keep_segments (kept in memory for every plane)");
		}
	}
}
