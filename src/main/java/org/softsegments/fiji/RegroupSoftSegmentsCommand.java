package org.softsegments.fiji;

import java.io.File;

import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.scijava.widget.FileWidget;
import org.softsegments.engine.SemanticSoftSegmentation;
import org.softsegments.engine.StrokeLabels;

import ij.ImagePlus;

/**
 * Fiji command {@code Plugins › Segmentation › Regroup Soft Segments}: groups the soft segments
 * that a run of {@link SemanticSoftSegmentsCommand} kept ({@code keep_segments}) or wrote
 * ({@code segments_file}) again, into another number of layers or by other strokes
 * ({@link SemanticSoftSegmentation#regroup}): only the grouping, the relaxed sparsification and
 * the upsampling run, well under a second for a photo of 640×480 on the fast path. With the strokes
 * and layers of the first run the layers are those of the first run, bit for bit.
 * <p>
 * <b>Macro keys</b> (also those of headless {@code --run}): {@code segments} (K, 2–20, default 5;
 * ignored with strokes), {@code strokes} and {@code stroke_image} (as in
 * {@link SemanticSoftSegmentsCommand}, see {@link StrokeChoice}), {@code segments_file} (optional:
 * regroup the segments in this {@code .sss-segments} file instead of those kept in memory), the
 * flags {@code visualization} and {@code rgba_layers} (also output the colour composite and the
 * unmixed RGBA layers, {@link UnmixedLayers}). The image ({@code imp}) is the active image: the
 * photo, or a layer image made from its kept segments (then its photo is used). The settings (seed,
 * mode, features, …) are those of the run that computed the segments. Examples:
 * <pre>
 * run("Regroup Soft Segments", "segments=3");
 * run("Regroup Soft Segments", "strokes=[ROI Manager] visualization");
 * run("Regroup Soft Segments", "segments=4 segments_file=[/data/photo.sss-segments] rgba_layers");
 * </pre>
 * <b>Outputs</b>: {@code layers}, the hyperstack "&lt;photo&gt; soft segments (regrouped)" (as the
 * main command's, {@link LayerHyperstacks}), and on request {@code visualization_image} and
 * {@code rgba_image}. Nothing is modified.
 * <p>
 * <b>Errors and cancellation</b> as {@link SingleImageCommand}. Errors (an
 * {@link IllegalArgumentException}): nothing kept for the image, a segments file that is missing, not one, or of another image,
 * a photo whose pixels changed since the run, and the errors of the strokes.
 */
@Plugin(type = Command.class, menuPath = "Plugins>Segmentation>Regroup Soft Segments", headless = true)
public class RegroupSoftSegmentsCommand extends SingleImageCommand {

	/** Status-bar prefix of this command. */
	static final String NAME = "Regroup Soft Segments";

	@Parameter(label = "Image", description = "The photo whose soft segments were kept (or a layer image made from them)")
	private ImagePlus imp;

	@Parameter(label = "Segments (layers)", min = "2", max = "20", description = "Number of soft layers K (without strokes)")
	private int segments = 5;

	@Parameter(label = "Strokes", choices = { StrokeChoice.NONE, StrokeChoice.ROI_MANAGER, StrokeChoice.LABEL_IMAGE },
		persist = false, description = "Strokes that steer the grouping; their number of layers overrides Segments")
	private String strokes = StrokeChoice.NONE;

	@Parameter(label = "Stroke image", required = false, autoFill = false, persist = false, description = "Label image " +
		"of the same size, 0 = no stroke, k = layer k (only for 'label image')")
	private ImagePlus stroke_image;

	@Parameter(label = "Segments file (optional)", required = false, persist = false, style = FileWidget.OPEN_STYLE,
		description = "Regroup the segments of this .sss-segments file instead of those kept in memory")
	private File segments_file;

	@Parameter(label = "Also output the colour visualisation", persist = false)
	private boolean visualization;

	@Parameter(label = "Also output the unmixed RGBA layers", persist = false)
	private boolean rgba_layers;

	@Override
	String name() {
		return NAME;
	}

	@Override
	void compute(final StatusProgress progress, final long t0) {
		CommandParameters.checkSegments(segments);
		if (imp == null) throw new IllegalArgumentException("No input image given");
		final KeptSegments.Found kept = segments_file != null ? new KeptSegments.Found(imp, KeptSegments.read(segments_file,
			imp.getNSlices() * imp.getNFrames())) : KeptSegments.find(imp);
		final ImagePlus photo = kept.photo();
		ImagePlanes.checkInput(photo);
		final StrokeLabels strokeLabels = StrokeChoice.strokes(strokes, stroke_image, photo, log, NAME);
		if (rgba_layers) UnmixedLayers.check(photo);
		final HyperstackConverter.Segmentation result;
		try {
			result = HyperstackConverter.regroup(photo, kept.planes(), segments, strokeLabels, 0, progress, photo.getTitle() +
				" soft segments (regrouped)");
		}
		catch (final IllegalArgumentException e) {
			throw KeptSegments.explain(e, photo, segments_file);
		}
		if (publish(result, visualization, rgba_layers, progress, t0) && segments_file == null) {
			KeptSegments.addOutput(photo, result.layers());
		}
	}
}
