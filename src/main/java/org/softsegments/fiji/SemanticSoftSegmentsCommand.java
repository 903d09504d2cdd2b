package org.softsegments.fiji;

import java.io.File;

import org.scijava.Cancelable;
import org.scijava.app.StatusService;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.scijava.widget.FileWidget;
import org.softsegments.engine.SemanticSoftSegmentation;
import org.softsegments.engine.Settings;
import org.softsegments.engine.StrokeLabels;
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
 * <b>Editing</b> (new keys; without them a run is as before): {@code strokes} ({@value StrokeChoice#NONE}
 * (default), {@value StrokeChoice#ROI_MANAGER}, {@value StrokeChoice#LABEL_IMAGE} with
 * {@code stroke_image}, an open label image: see {@link StrokeChoice}; the number of layers is then
 * the strokes' K, not {@code segments}), the flag {@code keep_segments} (keep the soft segments in
 * memory for "Regroup Soft Segments", {@link KeptSegments}), {@code segments_file} (also write them
 * to this {@code .sss-segments} file; single images) and the flag {@code rgba_layers} (also output
 * {@code rgba_image}, the layers with their unmixed colours: {@link UnmixedLayers}). Examples:
 * <pre>
 * run("Semantic Soft Segments", "features=[colour only] seed=1 strokes=[ROI Manager] keep_segments");
 * run("Semantic Soft Segments", "seed=1 strokes=[label image] stroke_image=scribbles.png rgba_layers");
 * run("Semantic Soft Segments", "segments=5 seed=1 segments_file=[/data/photo.sss-segments]");
 * </pre>
 * <b>Outputs</b>: {@code layers}, a 32-bit hyperstack "&lt;input&gt; soft segments" with one channel
 * per layer (see {@link LayerHyperstacks} for LUTs, labels and calibration, {@link ImagePlanes}
 * for the accepted inputs and their scaling), and with {@code visualization} also {@code visualization_image},
 * the RGB composite "&lt;input&gt; soft segments visualisation", with {@code rgba_layers}
 * {@code rgba_image} "&lt;input&gt; soft segments RGBA". The input is never modified.
 * <p>
 * <b>Feature network</b>: {@value #BUNDLED_UNET} runs the U-Net shipped inside the plugin
 * ({@code models/sss-unet-d32}), {@value #CUSTOM_MODEL} the network {@code model}: a TensorFlow
 * Lite segmentation network ({@code .tflite}, optional card {@code <name>.json} beside it) or a
 * SavedModel folder with its {@code model-card.json}, through {@link FeatureNetwork}: loaded once per
 * run (once for all Z/T planes), its forward pass is the stage "features" of each plane, closed at
 * the end. The default stays {@value #COLOUR_ONLY}: the shipped U-Net separates regions a little
 * better than colour but does not yet give better mattes.
 * <p>
 * <b>Errors and cancellation</b> as {@link SingleImageCommand}: unsupported input or settings, or
 * a bad model folder, give an {@link IllegalArgumentException} with a message that says what is
 * accepted; a feature network that cannot run here (TensorFlow natives or jars missing, TensorFlow
 * 1.x from another update site) an {@link IllegalStateException} that says why and how to fix it.
 */
@Plugin(type = Command.class, menuPath = "Plugins>Segmentation>Semantic Soft Segments", headless = true)
public class SemanticSoftSegmentsCommand extends SingleImageCommand {

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

	@Parameter(label = "Image", description = "RGB, grey (8/16/32-bit) or a 3-channel composite; Z/T planes are " +
		"segmented one by one")
	private ImagePlus imp;

	@Parameter(label = "Segments (layers)", min = "2", max = "20", description = "Number of soft layers K (without strokes)")
	private int segments = 5;

	@Parameter(label = "Strokes", choices = { StrokeChoice.NONE, StrokeChoice.ROI_MANAGER, StrokeChoice.LABEL_IMAGE },
		persist = false, description = "Strokes that steer the grouping (one layer per ROI group or name, or per label); " +
			"their number of layers overrides Segments")
	private String strokes = StrokeChoice.NONE;

	@Parameter(label = "Stroke image", required = false, autoFill = false, persist = false, description = "Label image " +
		"of the same size, 0 = no stroke, k = layer k (only for 'label image')")
	private ImagePlus stroke_image;

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

	@Parameter(label = "Keep the soft segments for regrouping", persist = false, description = "Keep them in memory " +
		"for Regroup Soft Segments (other layers or strokes in about a second)")
	private boolean keep_segments;

	@Parameter(label = "Segments file (optional)", required = false, persist = false, style = FileWidget.SAVE_STYLE,
		description = "Also write the soft segments to this .sss-segments file (single images)")
	private File segments_file;

	@Parameter(label = "Also output the unmixed RGBA layers", persist = false, description = "Each layer's own colours " +
		"plus its alpha, a 4-channel hyperstack with one Z slice per layer")
	private boolean rgba_layers;

	/** The feature network of a network choice, loaded for one run. */
	private FeatureNetwork network;

	@Override
	String name() {
		return NAME;
	}

	@Override
	void compute(final StatusProgress progress, final long t0) {
		final Settings settings = CommandParameters.settings(segments, seed, mode, working_pixels, cleanup_threshold,
			superpixels, eigenvectors, semantic_weight, colour_weight);
		final ImagePlus featureImage = CommandParameters.checkFeatures(features, feature_image, model, log, NAME,
			COLOUR_ONLY, FEATURE_IMAGE, BUNDLED_UNET, CUSTOM_MODEL);
		ImagePlanes.checkInput(imp); // before the network's seconds of loading
		final StrokeLabels strokeLabels = StrokeChoice.strokes(strokes, stroke_image, imp, log, NAME);
		if (segments_file != null) KeptSegments.checkSinglePlane(imp);
		if (rgba_layers) UnmixedLayers.check(imp);
		CommandParameters.checkMemory(imp.getWidth(), imp.getHeight(), featureImage == null ? 0 : featureImage
			.getNChannels(), settings);
		final boolean keep = keep_segments || segments_file != null;
		final HyperstackConverter.Segmentation result;
		if (FeatureNetworkChoice.isNetwork(features)) {
			network = FeatureNetworkChoice.open(features, model, progress, log, NAME);
			result = HyperstackConverter.segmentWithNetwork(imp, network, strokeLabels, settings, keep, progress);
		}
		else result = HyperstackConverter.segment(imp, featureImage, strokeLabels, settings, keep, progress);
		if (!publish(result, visualization, rgba_layers, progress, t0)) return;
		if (keep_segments) KeptSegments.keep(imp, result.softSegments(), result.layers());
		if (segments_file != null) {
			log.info(NAME + ": soft segments written to " + KeptSegments.write(result.softSegments(), segments_file));
		}
	}

	@Override
	void release() {
		if (network != null) network.close();
		network = null;
	}
}
