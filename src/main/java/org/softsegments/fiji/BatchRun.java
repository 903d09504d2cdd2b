package org.softsegments.fiji;

import java.io.File;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.scijava.log.LogService;
import org.softsegments.cli.InputCollection;
import org.softsegments.cli.InputImages;
import org.softsegments.core.Progress;
import org.softsegments.core.SegmentationCancelledException;
import org.softsegments.engine.Settings;
import org.softsegments.eval.LayerVisualization;
import org.softsegments.features.network.FeatureNetwork;
import org.softsegments.io.ImageFiles;
import org.softsegments.io.OutputFiles;

import ij.IJ;
import ij.ImagePlus;

/**
 * The work of {@link SemanticSoftSegmentsBatchCommand}: the input files of a folder, segmented one
 * by one into the output folder (a failing file is logged and listed, the others go on; a
 * cancellation stops the batch), and the summary of the run.
 */
final class BatchRun {

	/** Suffixes of the outputs. */
	static final String LAYERS_SUFFIX = "_soft_segments.tif", VISUALIZATION_SUFFIX = "_visualization";

	private final Path outputFolder;
	private final boolean skipExisting;
	private final Settings settings;
	private final LogService log;
	private final String name;
	private final BooleanSupplier cancelled;

	/**
	 * @param outputFolder where the outputs go (must exist)
	 * @param skipExisting skip an image whose two outputs exist
	 * @param log where each file's outcome is logged
	 * @param name the command's name, the log prefix
	 * @param cancelled whether the user cancelled
	 */
	BatchRun(final Path outputFolder, final boolean skipExisting, final Settings settings, final LogService log,
		final String name, final BooleanSupplier cancelled)
	{
		this.outputFolder = outputFolder;
		this.skipExisting = skipExisting;
		this.settings = settings;
		this.log = log;
		this.name = name;
		this.cancelled = cancelled;
	}

	/** Outcome counts of a run. */
	static final class Outcome {

		int total, done, skipped;
		final Map<String, String> failures = new LinkedHashMap<>();
		/** Why the engine stopped the batch (null if it did not). */
		String cancelReason;
	}

	/**
	 * Segments every file with the network's features ({@code network} null: colour only), until
	 * the user or the engine cancels.
	 *
	 * @param progress the batch's progress ("file i/n name: stage")
	 */
	Outcome run(final List<Path> files, final FeatureNetwork network, final Progress progress) {
		final Outcome o = new Outcome();
		o.total = files.size();
		final int stale = OutputFiles.removeStaleTemporaries(outputFolder);
		if (stale > 0) log.info(name + ": removed " + stale + " temporary file(s) left by an interrupted run");
		for (int i = 0; i < files.size() && !cancelled.getAsBoolean(); i++) {
			final Path file = files.get(i);
			final String base = InputCollection.baseName(file);
			if (skipExisting && Files.exists(outputFolder.resolve(base + LAYERS_SUFFIX)) && visualizationExists(base)) {
				log.info(name + ": skipped " + file.getFileName() + " (outputs exist)");
				o.skipped++;
				continue;
			}
			try {
				segmentOne(file, base, network, fileProgress(progress, i, files.size(), file.getFileName().toString()));
				o.done++;
			}
			catch (final SegmentationCancelledException e) {
				o.cancelReason = e.getMessage();
				break;
			}
			catch (final Exception e) { // every other failure: report and go on
				final String message = e.getMessage() != null ? e.getMessage() : e.toString();
				o.failures.put(file.getFileName().toString(), message);
				log.warn(name + ": " + file.getFileName() + " failed: " + message);
			}
		}
		return o;
	}

	/** Segments one file and writes its two outputs (temporary name, then rename). */
	private void segmentOne(final Path file, final String base, final FeatureNetwork network, final Progress progress)
		throws IOException
	{
		progress.checkpoint("opening", 0);
		final int[] size = InputImages.size(file); // from the header: a too large image is refused before decoding
		CommandParameters.checkMemory(size[0], size[1], 0, settings);
		final ImagePlus imp = open(file);
		final HyperstackConverter.Segmentation r = network == null ? HyperstackConverter.segment(imp, null, settings,
			progress) : HyperstackConverter.segmentWithNetwork(imp, network, settings, progress);
		for (final String note : r.notes()) log.info(name + ": " + file.getFileName() + ": " + note);
		progress.checkpoint("writing", 1);
		HyperstackTiff.write(r.layers(), outputFolder.resolve(base + LAYERS_SUFFIX));
		if (r.perPlane().size() == 1) {
			ImageFiles.writePng(LayerVisualization.composite(r.perPlane().get(0)), outputFolder.resolve(base +
				VISUALIZATION_SUFFIX + ".png"));
		}
		else HyperstackTiff.write(r.visualization(), outputFolder.resolve(base + VISUALIZATION_SUFFIX + ".tif"));
		log.info(name + ": " + file.getFileName() + " → " + r.layers().getNChannels() + " layers");
	}

	/** Opens an image with ImageJ 1.x; errors go to the log, not to dialogs. */
	private static ImagePlus open(final Path file) throws IOException {
		final ImagePlus imp;
		try {
			IJ.redirectErrorMessages(true);
			imp = IJ.openImage(file.toString());
		}
		finally {
			IJ.redirectErrorMessages(false);
		}
		if (imp == null) {
			throw new IOException("cannot be opened as an image (unreadable, broken or an unsupported format)");
		}
		return imp;
	}

	private boolean visualizationExists(final String base) {
		return Files.exists(outputFolder.resolve(base + VISUALIZATION_SUFFIX + ".png")) || Files.exists(outputFolder.resolve(
			base + VISUALIZATION_SUFFIX + ".tif"));
	}

	/** The engine progress of file i of n: "file i/n name: stage", overall fraction. */
	private static Progress fileProgress(final Progress outer, final int i, final int n, final String fileName) {
		final String prefix = String.format(Locale.ROOT, "file %d/%d %s: ", i + 1, n, fileName);
		return new Progress() {
			@Override
			public void report(final String stage, final double fraction) {
				outer.report(prefix + stage, (i + fraction) / n);
			}

			@Override
			public boolean isCancelled() {
				return outer.isCancelled();
			}
		};
	}

	/**
	 * Input files of {@code folder} matching the comma-separated globs (case-insensitive), sorted by
	 * name; outputs of this command and hidden files excluded.
	 *
	 * @throws IllegalArgumentException naming the macro key ({@code input_folder}, {@code file_pattern})
	 */
	static List<Path> listInputs(final File folder, final String pattern, final String defaultPattern) {
		if (folder == null || !folder.isDirectory()) {
			throw new IllegalArgumentException("input_folder " + folder + " is not a folder");
		}
		final List<PathMatcher> matchers = new ArrayList<>();
		for (final String glob : (pattern == null ? "" : pattern).split(",")) {
			if (!glob.isBlank()) {
				matchers.add(FileSystems.getDefault().getPathMatcher("glob:" + glob.trim().toLowerCase(Locale.ROOT)));
			}
		}
		if (matchers.isEmpty()) {
			throw new IllegalArgumentException("file_pattern '" + pattern + "' has no glob; e.g. " + defaultPattern);
		}
		try (Stream<Path> s = Files.list(folder.toPath())) {
			return s.filter(Files::isRegularFile).filter(p -> {
				final String n = p.getFileName().toString();
				final String lower = n.toLowerCase(Locale.ROOT);
				if (n.startsWith(".") || lower.endsWith(LAYERS_SUFFIX) || lower.contains(VISUALIZATION_SUFFIX + ".")) {
					return false;
				}
				final Path name = Path.of(lower);
				return matchers.stream().anyMatch(m -> m.matches(name));
			}).sorted().collect(Collectors.toList());
		}
		catch (final IOException e) {
			throw new IllegalArgumentException("Cannot list input_folder " + folder + ": " + e.getMessage());
		}
	}

	/** The summary: counts, time, whether cancelled, one line per failure. */
	static String summary(final Outcome o, final boolean cancelled, final double seconds) {
		final StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
			"%d file(s) matched in %.1f s: %d segmented, %d skipped (outputs exist), %d failed", o.total, seconds, o.done,
			o.skipped, o.failures.size()));
		if (cancelled) sb.append(", cancelled (").append(o.total - o.done - o.skipped - o.failures.size()).append(
			" not processed)");
		for (final Map.Entry<String, String> f : o.failures.entrySet()) {
			sb.append('\n').append("  ").append(f.getKey()).append(": ").append(f.getValue());
		}
		return sb.toString();
	}
}
