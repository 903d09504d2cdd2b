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
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.scijava.Cancelable;
import org.scijava.ItemIO;
import org.scijava.app.StatusService;
import org.scijava.command.Command;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.softsegments.engine.Progress;
import org.softsegments.engine.SegmentationCancelledException;
import org.softsegments.engine.Settings;
import org.softsegments.eval.LayerVisualization;
import org.softsegments.features.network.FeatureNetwork;
import org.softsegments.io.ImageFiles;

import ij.IJ;
import ij.ImagePlus;

/**
 * Fiji command {@code Plugins › Segmentation › Semantic Soft Segments (Batch)}: segments every
 * image of a folder whose name matches the pattern, with colour-only features or a feature
 * network (loaded once for the whole batch), and writes per
 * image {@code <name>_soft_segments.tif} (the 32-bit layer hyperstack of
 * {@link HyperstackConverter}, saved by ImageJ's {@code FileSaver}: opens as a hyperstack in
 * Fiji) and {@code <name>_visualization.png} (the colour composite; {@code .tif} for Z/T
 * stacks). Each file is written under a temporary name in the output folder and renamed when
 * complete, so a half-written output never carries the final name.
 * <p>
 * Macro keys: {@code input_folder}, {@code file_pattern} (comma-separated globs matched
 * case-insensitively against file names, default {@value #DEFAULT_PATTERN}), {@code output_folder},
 * {@code segments}, {@code features} ({@value SemanticSoftSegmentsCommand#COLOUR_ONLY}, the default;
 * {@value SemanticSoftSegmentsCommand#BUNDLED_UNET}; or {@value SemanticSoftSegmentsCommand#CUSTOM_MODEL}
 * with the folder {@code model}, as in {@link SemanticSoftSegmentsCommand}; a network that cannot
 * load is an error up front), {@code seed}, {@code skip_existing} (skip an image whose two outputs exist),
 * and the advanced {@code superpixels}, {@code eigenvectors}, {@code semantic_weight},
 * {@code colour_weight} of {@link SemanticSoftSegmentsCommand}. Files that this command writes
 * ({@code *_soft_segments.tif}, {@code *_visualization.*}) and hidden files are never inputs.
 * <p>
 * A failing file (unreadable, unsupported, engine error) does not stop the batch: every failure
 * is logged and listed in the {@code summary} output at the end. Cancellation stops the current
 * file and the batch. Bad parameters (missing folder, bad settings) are errors up front.
 */
@Plugin(type = Command.class, menuPath = "Plugins>Segmentation>Semantic Soft Segments (Batch)", headless = true)
public class SemanticSoftSegmentsBatchCommand implements Command, Cancelable {

	/** Default file pattern. */
	public static final String DEFAULT_PATTERN = "*.png,*.jpg,*.tif";
	/** Suffixes of the outputs. */
	public static final String LAYERS_SUFFIX = "_soft_segments.tif", VISUALIZATION_SUFFIX = "_visualization";

	private static final String NAME = "Semantic Soft Segments (Batch)";

	@Parameter
	private StatusService status;

	@Parameter
	private LogService log;

	@Parameter(label = "Input folder", style = "directory")
	private File input_folder;

	@Parameter(label = "File pattern", description = "Comma-separated globs, matched case-insensitively, e.g. " +
		DEFAULT_PATTERN)
	private String file_pattern = DEFAULT_PATTERN;

	@Parameter(label = "Output folder", style = "directory")
	private File output_folder;

	@Parameter(label = "Segments (layers)", min = "2", max = "20")
	private int segments = 5;

	@Parameter(label = "Features", choices = { SemanticSoftSegmentsCommand.COLOUR_ONLY,
		SemanticSoftSegmentsCommand.BUNDLED_UNET, SemanticSoftSegmentsCommand.CUSTOM_MODEL },
		description = "Semantic features: the image's colours (default), the bundled U-Net (not yet better than " +
			"colour on mattes), or a custom network: a TensorFlow Lite file (.tflite) or a SavedModel folder with a model-card.json")
	private String features = SemanticSoftSegmentsCommand.COLOUR_ONLY;

	@Parameter(label = "Model (folder or .tflite)", required = false, style = "both",
		description = "Feature network: a TensorFlow Lite segmentation network (.tflite) or a folder with saved_model.pb and model-card.json (only for 'custom model " +
			"folder')")
	private File model;

	@Parameter(label = "Random seed")
	private long seed = 1;

	@Parameter(label = "Skip images whose outputs exist")
	private boolean skip_existing = true;

	@Parameter(label = "Path", choices = { SemanticSoftSegmentsCommand.FAST, SemanticSoftSegmentsCommand.REFERENCE },
		description = "fast: working resolution + upsampled layers; reference: the faithful full-resolution algorithm")
	private String mode = SemanticSoftSegmentsCommand.DEFAULT_MODE;

	@Parameter(label = "Advanced: working resolution (pixels)", min = "0", max = "100000000")
	private int working_pixels = 20_000;

	@Parameter(label = "Advanced: clean-up threshold", min = "0", max = "0.49", stepSize = "0.005",
		description = "Fast path: layer values below this are set to 0 (soft threshold, then renormalised)")
	private double cleanup_threshold = SemanticSoftSegmentsCommand.CLEANUP_THRESHOLD;

	@Parameter(label = "Advanced: superpixels", min = "10", max = "100000")
	private int superpixels = 2500;

	@Parameter(label = "Advanced: eigenvectors", min = "5", max = "1000")
	private int eigenvectors = 100;

	@Parameter(label = "Advanced: semantic affinity weight", min = "0", max = "100", stepSize = "0.005")
	private double semantic_weight = 0.01;

	@Parameter(label = "Advanced: colour affinity weight", min = "0", max = "100", stepSize = "0.005")
	private double colour_weight = 0.01;

	@Parameter(type = ItemIO.OUTPUT, label = "Summary")
	private String summary;

	private volatile String cancelReason;

	@Override
	public void run() {
		final long t0 = System.nanoTime();
		final Settings settings = SemanticSoftSegmentsCommand.settings(segments, seed, mode, working_pixels,
			cleanup_threshold, superpixels, eigenvectors, semantic_weight, colour_weight);
		final List<Path> files = listInputs();
		try {
			Files.createDirectories(output_folder.toPath());
		}
		catch (final IOException e) {
			throw new IllegalArgumentException("Cannot create the output folder " + output_folder + ": " + e.getMessage());
		}
		final boolean network = FeatureNetworkChoice.isNetwork(features);
		if (!network && !SemanticSoftSegmentsCommand.COLOUR_ONLY.equals(features)) {
			throw new IllegalArgumentException("Unknown features choice '" + features + "'; accepted are '" +
				SemanticSoftSegmentsCommand.COLOUR_ONLY + "', '" + SemanticSoftSegmentsCommand.BUNDLED_UNET + "' and '" +
				SemanticSoftSegmentsCommand.CUSTOM_MODEL + "'");
		}
		if (network) FeatureNetworkChoice.check(features, model);
		final StatusProgress statusProgress = new StatusProgress(status, NAME, Thread.currentThread(),
			this::isCanceled, false);
		final Map<String, String> failures = new LinkedHashMap<>();
		int done = 0, skipped = 0;
		FeatureNetwork net = null;
		try {
			if (network && !files.isEmpty()) {
				// once for the whole batch; a network that cannot load is an error up front, like bad parameters
				try {
					net = FeatureNetworkChoice.open(features, model, statusProgress, log, NAME);
				}
				catch (final SegmentationCancelledException e) {
					if (!isCanceled()) cancel(e.getMessage());
				}
			}
			for (int i = 0; i < files.size() && !isCanceled(); i++) {
				final Path file = files.get(i);
				final String name = baseName(file);
				final Path layersOut = output_folder.toPath().resolve(name + LAYERS_SUFFIX);
				if (skip_existing && Files.exists(layersOut) && visualizationExists(name)) {
					log.info(NAME + ": skipped " + file.getFileName() + " (outputs exist)");
					skipped++;
					continue;
				}
				final Progress progress = fileProgress(statusProgress, i, files.size(), file.getFileName().toString());
				try {
					segmentOne(file, name, settings, net, progress);
					done++;
				}
				catch (final SegmentationCancelledException e) {
					if (!isCanceled()) cancel(e.getMessage());
				}
				catch (final Exception e) { // every other failure: report and go on
					final String message = e.getMessage() != null ? e.getMessage() : e.toString();
					failures.put(file.getFileName().toString(), message);
					log.warn(NAME + ": " + file.getFileName() + " failed: " + message);
				}
			}
		}
		finally {
			if (net != null) net.close();
			statusProgress.finish();
		}
		summary = summary(files.size(), done, skipped, failures, (System.nanoTime() - t0) * 1e-9);
		if (failures.isEmpty()) log.info(summary);
		else log.error(summary);
		status.showStatus(NAME + ": " + summary.lines().findFirst().orElse(""));
	}

	/** Segments one file and writes its two outputs (temporary name, then rename). */
	private void segmentOne(final Path file, final String name, final Settings settings, final FeatureNetwork network,
		final Progress progress) throws IOException
	{
		progress.checkpoint("opening", 0);
		final ImagePlus imp = open(file);
		final HyperstackConverter.Segmentation r = network == null ? HyperstackConverter.segment(imp, null, settings,
			progress) : HyperstackConverter.segmentWithNetwork(imp, network, settings, progress);
		for (final String note : r.notes()) log.info(NAME + ": " + file.getFileName() + ": " + note);
		progress.checkpoint("writing", 1);
		final Path out = output_folder.toPath();
		HyperstackTiff.write(r.layers(), out.resolve(name + LAYERS_SUFFIX));
		if (r.perPlane().size() == 1) {
			ImageFiles.writePng(LayerVisualization.composite(r.perPlane().get(0)), out.resolve(name +
				VISUALIZATION_SUFFIX + ".png"));
		}
		else HyperstackTiff.write(r.visualization(), out.resolve(name + VISUALIZATION_SUFFIX + ".tif"));
		log.info(NAME + ": " + file.getFileName() + " → " + r.layers().getNChannels() + " layers");
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

	private boolean visualizationExists(final String name) {
		final Path out = output_folder.toPath();
		return Files.exists(out.resolve(name + VISUALIZATION_SUFFIX + ".png")) || Files.exists(out.resolve(name +
			VISUALIZATION_SUFFIX + ".tif"));
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

	/** Input files matching the pattern, sorted by name; our own outputs and hidden files excluded. */
	private List<Path> listInputs() {
		if (input_folder == null || !input_folder.isDirectory()) {
			throw new IllegalArgumentException("input_folder " + input_folder + " is not a folder");
		}
		if (output_folder == null) throw new IllegalArgumentException("No output_folder given");
		final List<PathMatcher> matchers = new ArrayList<>();
		for (final String glob : (file_pattern == null ? "" : file_pattern).split(",")) {
			if (!glob.isBlank()) {
				matchers.add(FileSystems.getDefault().getPathMatcher("glob:" + glob.trim().toLowerCase(Locale.ROOT)));
			}
		}
		if (matchers.isEmpty()) {
			throw new IllegalArgumentException("file_pattern '" + file_pattern + "' has no glob; e.g. " + DEFAULT_PATTERN);
		}
		try (Stream<Path> s = Files.list(input_folder.toPath())) {
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
			throw new IllegalArgumentException("Cannot list input_folder " + input_folder + ": " + e.getMessage());
		}
	}

	/** File name without its last extension. */
	static String baseName(final Path file) {
		final String n = file.getFileName().toString();
		final int dot = n.lastIndexOf('.');
		return dot > 0 ? n.substring(0, dot) : n;
	}

	private String summary(final int total, final int done, final int skipped, final Map<String, String> failures,
		final double seconds)
	{
		final StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
			"%d file(s) matched in %.1f s: %d segmented, %d skipped (outputs exist), %d failed", total, seconds, done,
			skipped, failures.size()));
		if (isCanceled()) sb.append(", cancelled (").append(total - done - skipped - failures.size()).append(
			" not processed)");
		for (final Map.Entry<String, String> f : failures.entrySet()) {
			sb.append('\n').append("  ").append(f.getKey()).append(": ").append(f.getValue());
		}
		return sb.toString();
	}

	// -- Cancelable --

	@Override
	public boolean isCanceled() {
		return cancelReason != null;
	}

	@Override
	public void cancel(final String reason) {
		cancelReason = reason == null ? "cancelled" : reason;
	}

	@Override
	public String getCancelReason() {
		return cancelReason;
	}
}
