package org.softsegments.fiji;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.scijava.ItemIO;
import org.scijava.app.StatusService;
import org.scijava.command.Command;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.softsegments.core.SegmentationCancelledException;
import org.softsegments.engine.Settings;
import org.softsegments.features.network.FeatureNetwork;

/**
 * Fiji command {@code Plugins › Segmentation › Semantic Soft Segments (Batch)}: segments every
 * image of a folder whose name matches the pattern, with colour-only features or a feature
 * network (loaded once for the whole batch), and writes per
 * image {@code <name>_soft_segments.tif} (the 32-bit layer hyperstack of
 * {@link LayerHyperstacks}, saved by ImageJ's {@code FileSaver}: opens as a hyperstack in
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
public class SemanticSoftSegmentsBatchCommand extends CancelableCommand {

	/** Default file pattern. */
	public static final String DEFAULT_PATTERN = "*.png,*.jpg,*.tif";
	/** Suffixes of the outputs. */
	public static final String LAYERS_SUFFIX = BatchRun.LAYERS_SUFFIX, VISUALIZATION_SUFFIX = BatchRun.VISUALIZATION_SUFFIX;

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

	@Override
	public void run() {
		final long t0 = System.nanoTime();
		final Settings settings = CommandParameters.settings(segments, seed, mode, working_pixels, cleanup_threshold,
			superpixels, eigenvectors, semantic_weight, colour_weight);
		final List<Path> files = BatchRun.listInputs(input_folder, file_pattern, DEFAULT_PATTERN);
		if (output_folder == null) throw new IllegalArgumentException("No output_folder given");
		CommandParameters.checkFeatures(features, null, model, log, NAME, SemanticSoftSegmentsCommand.COLOUR_ONLY,
			SemanticSoftSegmentsCommand.BUNDLED_UNET, SemanticSoftSegmentsCommand.CUSTOM_MODEL);
		try {
			Files.createDirectories(output_folder.toPath());
		}
		catch (final IOException e) {
			throw new IllegalArgumentException("Cannot create the output folder " + output_folder + ": " + e.getMessage());
		}
		final StatusProgress progress = new StatusProgress(status, NAME, Thread.currentThread(), this::isCanceled, false);
		final BatchRun batch = new BatchRun(output_folder.toPath(), skip_existing, settings, log, NAME, this::isCanceled);
		BatchRun.Outcome outcome = new BatchRun.Outcome();
		outcome.total = files.size();
		FeatureNetwork net = null;
		try {
			// loaded once for the whole batch; a network that cannot load is an error up front, like bad parameters
			if (FeatureNetworkChoice.isNetwork(features) && !files.isEmpty()) {
				net = FeatureNetworkChoice.open(features, model, progress, log, NAME);
			}
			outcome = batch.run(files, net, progress);
			if (outcome.cancelReason != null && !isCanceled()) cancel(outcome.cancelReason);
		}
		catch (final SegmentationCancelledException e) {
			if (!isCanceled()) cancel(e.getMessage());
		}
		finally {
			if (net != null) net.close();
			progress.finish();
		}
		summary = BatchRun.summary(outcome, isCanceled(), (System.nanoTime() - t0) * 1e-9);
		if (outcome.failures.isEmpty()) log.info(summary);
		else log.error(summary);
		status.showStatus(NAME + ": " + summary.lines().findFirst().orElse(""));
	}
}
