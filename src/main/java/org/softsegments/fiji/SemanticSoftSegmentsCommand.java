package org.softsegments.fiji;

import java.io.File;
import java.util.Locale;

import org.scijava.Cancelable;
import org.scijava.ItemIO;
import org.scijava.app.StatusService;
import org.scijava.command.Command;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.scijava.ui.DialogPrompt.MessageType;
import org.scijava.ui.UIService;
import org.softsegments.core.SegmentationCancelledException;
import org.softsegments.engine.SemanticSoftSegmentation;
import org.softsegments.engine.Settings;
import org.softsegments.features.network.FeatureNetwork;

import ij.ImagePlus;

/**
 * Fiji command {@code Plugins › Segmentation › Semantic Soft Segments}: splits the image into
 * K soft layers (Aksoy et al., SIGGRAPH 2018) with {@link SemanticSoftSegmentation}. A thin
 * front end: parameters → {@link Settings}, image conversion by {@link HyperstackConverter},
 * stage progress to the {@link StatusService}, cancellation through {@link Cancelable}.
 * <p>
 * <b>Macro keys</b> (stable; also the keys of headless {@code --run}):
 * {@code segments} (K, 2–20, default 5), {@code features} ({@value #COLOUR_ONLY},
 * {@value #FEATURE_IMAGE}, {@value #BUNDLED_UNET}, {@value #CUSTOM_MODEL}), {@code feature_image}
 * (image title; only for {@value #FEATURE_IMAGE}), {@code model} (a {@code .tflite} file or a
 * SavedModel folder; only for {@value #CUSTOM_MODEL}), {@code seed}, {@code mode} ({@value #FAST} (default) or {@value #REFERENCE}),
 * advanced {@code working_pixels} (fast path: 0 or 1024–10⁸, default 20000), {@code cleanup_threshold}
 * (fast path: 0 ≤ τ &lt; 1/segments, default 0.01), {@code superpixels} (10–100000, default 2500),
 * {@code eigenvectors} (5–1000, default 100), {@code semantic_weight} and
 * {@code colour_weight} (0–100, default 0.01), and the flag {@code visualization} (also output
 * the RGB colour composite). The input image ({@code imp}) is the active image. Example:
 * {@code run("Semantic Soft Segments", "segments=5 features=[colour only] seed=1 visualization");}
 * <p>
 * <b>Outputs</b>: {@code layers}, a 32-bit hyperstack "&lt;input&gt; soft segments" with one channel
 * per layer (see {@link HyperstackConverter} for LUTs, labels, calibration and the accepted
 * inputs and their scaling), and with {@code visualization} also {@code visualization_image},
 * the RGB composite "&lt;input&gt; soft segments visualisation". The input is never modified.
 * <p>
 * <b>Feature network</b>: {@value #BUNDLED_UNET} runs the U-Net shipped inside the plugin
 * ({@code models/sss-unet-d32}), {@value #CUSTOM_MODEL} the network {@code model}: a TensorFlow
 * Lite segmentation network ({@code .tflite}, optional card {@code <name>.json} beside it) or a
 * SavedModel folder with its {@code model-card.json}, through {@link FeatureNetwork}: loaded once per
 * run (once for all Z/T planes), its forward pass is the stage "features" of each plane, closed at
 * the end. The default stays {@value #COLOUR_ONLY}: the shipped U-Net separates regions a little
 * better than colour but does not yet give better mattes.
 * <p>
 * <b>Errors</b>: unsupported input or settings, or a bad model folder, give an
 * {@link IllegalArgumentException} with a message that says what is accepted; a feature network
 * that cannot run here (TensorFlow natives or jars missing, TensorFlow 1.x from another update
 * site) an {@link IllegalStateException} that says why and how to fix it. Headless they
 * propagate (the module fails); in the GUI they are shown in an error dialog and the command is
 * cancelled.
 * <p>
 * <b>Cancellation</b>: {@link #cancel(String)} (or interrupting the thread that runs the
 * command, or Esc in the ImageJ GUI) is seen by the engine at its next progress checkpoint;
 * the command then ends without output and reports itself cancelled.
 */
@Plugin(type = Command.class, menuPath = "Plugins>Segmentation>Semantic Soft Segments", headless = true)
public class SemanticSoftSegmentsCommand implements Command, Cancelable {

	/** Choices of {@code mode}. */
	public static final String FAST = "fast", REFERENCE = "reference";
	/** The default of {@code mode}: the fast path, as the engine's (README, "Fast path"). */
	static final String DEFAULT_MODE = FAST;
	/** The default of {@code cleanup_threshold}: the engine's ({@link Settings#cleanupThreshold}). */
	static final double CLEANUP_THRESHOLD = new Settings().cleanupThreshold;

	/** Choices of {@code features}. */
	public static final String COLOUR_ONLY = "colour only", FEATURE_IMAGE = "feature image",
			BUNDLED_UNET = "bundled U-Net", CUSTOM_MODEL = "custom model folder";

	/** Status-bar prefix of this command. */
	static final String NAME = "Semantic Soft Segments";

	@Parameter
	private StatusService status;

	@Parameter
	private LogService log;

	@Parameter(required = false)
	private UIService ui;

	@Parameter(label = "Image", description = "RGB, grey (8/16/32-bit) or a 3-channel composite; Z/T planes are " +
		"segmented one by one")
	private ImagePlus imp;

	@Parameter(label = "Segments (layers)", min = "2", max = "20", description = "Number of soft layers K")
	private int segments = 5;

	@Parameter(label = "Features", choices = { COLOUR_ONLY, FEATURE_IMAGE, BUNDLED_UNET, CUSTOM_MODEL },
		description = "Semantic features: the image's colours (default); a precomputed feature image; the bundled " +
			"U-Net (sss-unet-d32: separates regions a little better than colour but does not yet give better " +
			"mattes than colour only); or a custom network: a TensorFlow Lite file (.tflite) or a SavedModel folder with a model-card.json")
	private String features = COLOUR_ONLY;

	@Parameter(label = "Feature image", required = false, autoFill = false, persist = false,
		description = "Precomputed features of the same size (only for 'feature image')")
	private ImagePlus feature_image;

	@Parameter(label = "Model (folder or .tflite)", required = false, style = "both",
		description = "Feature network: a TensorFlow Lite segmentation network (.tflite) or a folder with saved_model.pb and model-card.json (only for 'custom model " +
			"folder')")
	private File model;

	@Parameter(label = "Random seed", description = "Same image and seed give the same layers")
	private long seed = 1;

	@Parameter(label = "Path", choices = { FAST, REFERENCE }, description = "fast: the spectral stages run at a " +
		"working resolution and the layers are upsampled (seconds); reference: the faithful full-resolution algorithm " +
		"(minutes)")
	private String mode = DEFAULT_MODE;

	@Parameter(label = "Advanced: working resolution (pixels)", min = "0", max = "100000000",
		description = "Fast path: the image is downscaled to at most this many pixels for the spectral stages (0 = full size)")
	private int working_pixels = 20_000;

	@Parameter(label = "Advanced: clean-up threshold", min = "0", max = "0.49", stepSize = "0.005",
		description = "Fast path: layer values below this are set to 0 (soft threshold, then renormalised); 0 = clip to " +
			"[0, 1] only. Must be below 1/segments")
	private double cleanup_threshold = CLEANUP_THRESHOLD;

	@Parameter(label = "Advanced: superpixels", min = "10", max = "100000")
	private int superpixels = 2500;

	@Parameter(label = "Advanced: eigenvectors", min = "5", max = "1000")
	private int eigenvectors = 100;

	@Parameter(label = "Advanced: semantic affinity weight", min = "0", max = "100", stepSize = "0.005")
	private double semantic_weight = 0.01;

	@Parameter(label = "Advanced: colour affinity weight", min = "0", max = "100", stepSize = "0.005")
	private double colour_weight = 0.01;

	@Parameter(label = "Also output the colour visualisation")
	private boolean visualization;

	@Parameter(type = ItemIO.OUTPUT, label = "Soft segments")
	private ImagePlus layers;

	@Parameter(type = ItemIO.OUTPUT, label = "Soft segments visualisation", required = false)
	private ImagePlus visualization_image;

	private volatile String cancelReason;

	@Override
	public void run() {
		layers = null;
		visualization_image = null;
		final long t0 = System.nanoTime();
		final StatusProgress progress = new StatusProgress(status, NAME, Thread.currentThread(), this::isCanceled,
			!headless());
		FeatureNetwork network = null;
		try {
			final Settings settings = CommandParameters.settings(segments, seed, mode, working_pixels, cleanup_threshold,
				superpixels, eigenvectors, semantic_weight, colour_weight);
			final ImagePlus featureImage = CommandParameters.checkFeatures(features, feature_image, model, log, NAME,
				COLOUR_ONLY, FEATURE_IMAGE, BUNDLED_UNET, CUSTOM_MODEL);
			if (imp != null) {
				CommandParameters.checkMemory(imp.getWidth(), imp.getHeight(), featureImage == null ? 0 : featureImage
					.getNChannels(), settings);
			}
			final HyperstackConverter.Segmentation result;
			if (FeatureNetworkChoice.isNetwork(features)) {
				HyperstackConverter.checkInput(imp); // before the network's seconds of loading
				network = FeatureNetworkChoice.open(features, model, progress, log, NAME);
				result = HyperstackConverter.segmentWithNetwork(imp, network, settings, progress);
			}
			else result = HyperstackConverter.segment(imp, featureImage, settings, progress);
			for (final String note : result.notes()) log.info(NAME + ": " + note);
			if (isCanceled()) return;
			final ImagePlus out = result.layers();
			final ImagePlus vis = visualization ? result.visualization() : null;
			layers = out;
			visualization_image = vis;
			status.showStatus(String.format(Locale.ROOT, "%s: %d layers in %.1f s", NAME, out.getNChannels(),
				(System.nanoTime() - t0) * 1e-9));
		}
		catch (final SegmentationCancelledException e) {
			layers = null;
			visualization_image = null;
			if (!isCanceled()) cancel(e.getMessage());
			status.showStatus(NAME + ": cancelled");
		}
		catch (final IllegalArgumentException | IllegalStateException e) {
			// bad input or settings; a feature network that cannot run here (its message says why and what to do)
			if (headless()) throw e;
			ui.showDialog(e.getMessage(), NAME, MessageType.ERROR_MESSAGE);
			cancel(e.getMessage());
		}
		finally {
			if (network != null) network.close();
			progress.finish();
		}
	}

	private boolean headless() {
		return ui == null || ui.isHeadless();
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
