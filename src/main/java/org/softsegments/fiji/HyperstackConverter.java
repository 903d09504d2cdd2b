package org.softsegments.fiji;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.softsegments.core.Progress;
import org.softsegments.engine.SegmentationResult;
import org.softsegments.engine.SemanticSoftSegmentation;
import org.softsegments.engine.Settings;
import org.softsegments.engine.SoftSegments;
import org.softsegments.engine.StrokeLabels;
import org.softsegments.features.network.FeatureNetwork;
import org.softsegments.features.network.NetworkSegmentation;
import org.softsegments.image.PlanarImage;

import ij.ImagePlus;

/**
 * The conversion shared by the Fiji front ends: ImageJ 1.x {@link ImagePlus} → engine
 * ({@link SemanticSoftSegmentation}) per plane → ImageJ hyperstack of soft layers. It only
 * orchestrates: {@link ImagePlanes} converts the input (accepted inputs, value scaling, feature
 * image), {@link LayerHyperstacks} builds the output (LUTs, labels, calibration). No algorithm here.
 */
public final class HyperstackConverter {

	private HyperstackConverter() {}

	/** The result of {@link #segment}: the layer hyperstack plus what made it. */
	public static final class Segmentation {

		private final ImagePlus layers;
		private final List<PlanarImage> perPlane, inputs;
		private final List<SoftSegments> soft;
		private final int slices, frames;
		private final List<String> notes;

		Segmentation(final ImagePlus layers, final List<PlanarImage> perPlane, final List<PlanarImage> inputs,
			final List<SoftSegments> soft, final int slices, final int frames, final List<String> notes)
		{
			this.layers = layers;
			this.perPlane = perPlane;
			this.inputs = inputs;
			this.soft = soft;
			this.slices = slices;
			this.frames = frames;
			this.notes = notes;
		}

		/** The layers hyperstack, titled "&lt;input&gt; soft segments" (a regrouping: see {@link #regroup}). */
		public ImagePlus layers() {
			return layers;
		}

		/** The engine's layers of each plane ({@code z + t·slices}). */
		public List<PlanarImage> perPlane() {
			return perPlane;
		}

		/** The engine's input of each plane ({@code z + t·slices}; see {@link ImagePlanes#toPlanes}). */
		public List<PlanarImage> inputPlanes() {
			return inputs;
		}

		/**
		 * The soft segments of each plane before grouping ({@code z + t·slices}), for {@link #regroup}:
		 * those of a run that kept them, or those a regrouping started from; null otherwise.
		 */
		public List<SoftSegments> softSegments() {
			return soft;
		}

		public int slices() {
			return slices;
		}

		public int frames() {
			return frames;
		}

		/** Notes from the conversion and the engine, one line each. */
		public List<String> notes() {
			return notes;
		}

		/** The RGB colour composite, titled like the layers plus " visualisation". */
		public ImagePlus visualization() {
			final ImagePlus vis = LayerHyperstacks.visualization(perPlane, slices, frames, layers.getTitle() +
				" visualisation");
			vis.setCalibration(LayerHyperstacks.spatial(layers.getCalibration()));
			return vis;
		}
	}

	/**
	 * Segments every plane of {@code image} and builds the layer hyperstack.
	 *
	 * @param image the input (never modified)
	 * @param features optional feature image (null: colour-only features)
	 * @param settings engine settings (validated by the engine)
	 * @param progress receives {@code (stage, overall fraction)}; for more than one plane the
	 *          stage reads "stage (plane i/P)"; its cancellation stops the run
	 * @throws IllegalArgumentException for unsupported images or settings
	 * @throws org.softsegments.core.SegmentationCancelledException when cancelled
	 */
	public static Segmentation segment(final ImagePlus image, final ImagePlus features, final Settings settings,
		final Progress progress)
	{
		return segment(image, features, null, settings, false, progress);
	}

	/**
	 * As {@link #segment(ImagePlus, ImagePlus, Settings, Progress)}, with the grouping guided by
	 * {@code strokes} when not null (the same strokes for every plane; the number of layers is then
	 * the strokes' K), and with {@code keep} the soft segments of every plane kept for
	 * {@link #regroup} ({@link Segmentation#softSegments()}).
	 */
	public static Segmentation segment(final ImagePlus image, final ImagePlus features, final StrokeLabels strokes,
		final Settings settings, final boolean keep, final Progress progress)
	{
		final ImagePlanes planes = ImagePlanes.toPlanes(image);
		final List<PlanarImage> featurePlanes = features == null ? null : ImagePlanes.featurePlanes(features, image,
			planes);
		return segment(image, planes, (i, plane, p) -> {
			p.checkpoint(SemanticSoftSegmentation.FEATURES, 0);
			return SemanticSoftSegmentation.run(plane, featurePlanes == null ? null : featurePlanes.get(i), strokes, settings,
				p, keep);
		}, progress, image.getTitle() + " soft segments");
	}

	/**
	 * Segments every plane of {@code image} with the features of a feature network, loaded once by
	 * the caller for all planes ({@link NetworkSegmentation}: the network's forward pass is the
	 * stage "features" of each plane), and builds the layer hyperstack. (A name of its own, so that
	 * {@code segment(image, null, …)} stays unambiguous.)
	 *
	 * @param network the feature network (not closed here)
	 * @throws IllegalArgumentException for unsupported images or settings
	 * @throws IllegalStateException when the network fails (message from
	 *           {@link org.softsegments.features.network.TensorFlowConflicts#explain})
	 * @throws org.softsegments.core.SegmentationCancelledException when cancelled
	 * @see #segment(ImagePlus, ImagePlus, Settings, Progress)
	 */
	public static Segmentation segmentWithNetwork(final ImagePlus image, final FeatureNetwork network,
		final Settings settings, final Progress progress)
	{
		return segmentWithNetwork(image, network, null, settings, false, progress);
	}

	/**
	 * As {@link #segmentWithNetwork(ImagePlus, FeatureNetwork, Settings, Progress)}, with strokes
	 * and kept soft segments as {@link #segment(ImagePlus, ImagePlus, StrokeLabels, Settings, boolean, Progress)}.
	 */
	public static Segmentation segmentWithNetwork(final ImagePlus image, final FeatureNetwork network,
		final StrokeLabels strokes, final Settings settings, final boolean keep, final Progress progress)
	{
		if (network == null) throw new IllegalArgumentException("No feature network given");
		return segment(image, ImagePlanes.toPlanes(image), (i, plane, p) -> NetworkSegmentation.run(network, plane, strokes, settings, p,
			keep, null), progress, image.getTitle() + " soft segments");
	}

	/**
	 * Groups the soft segments kept from an earlier run on {@code image} again
	 * ({@link SemanticSoftSegmentation#regroup}: only the grouping, the relaxed sparsification and
	 * the upsampling run), into {@code layers} layers or by {@code strokes}, and builds the layer
	 * hyperstack, titled {@code title}. With the same layers, strokes and seed the layers equal those
	 * of the full run bit for bit.
	 *
	 * @param soft the soft segments of every plane ({@link Segmentation#softSegments()} or a segments file)
	 * @param threads worker threads (0 = all processors)
	 * @throws IllegalArgumentException when the segments do not belong to the image (another image,
	 *           or its pixels changed: the engine's message), or for bad input
	 */
	public static Segmentation regroup(final ImagePlus image, final List<SoftSegments> soft, final int layers,
		final StrokeLabels strokes, final int threads, final Progress progress, final String title)
	{
		final ImagePlanes planes = ImagePlanes.toPlanes(image);
		if (soft == null || soft.size() != planes.images().size()) {
			throw new IllegalArgumentException("The soft segments are of " + (soft == null ? 0 : soft.size()) + " plane(s), " +
				"but '" + image.getTitle() + "' has " + planes.images().size());
		}
		return segment(image, planes, (i, plane, p) -> SemanticSoftSegmentation.regroup(plane, soft.get(i), layers, strokes,
			threads, p), progress, title);
	}

	/** How one plane (index i) is segmented. */
	private interface PlaneSegmenter {

		SegmentationResult segment(int i, PlanarImage plane, Progress progress);
	}

	private static Segmentation segment(final ImagePlus image, final ImagePlanes planes, final PlaneSegmenter segmenter,
		final Progress progress, final String title)
	{
		final Progress p = progress == null ? Progress.NONE : progress;
		final int count = planes.images().size();
		final List<PlanarImage> layers = new ArrayList<>(count);
		final List<SoftSegments> soft = new ArrayList<>(count);
		final List<String> notes = new ArrayList<>(planes.notes());
		for (int i = 0; i < count; i++) {
			final int plane = i;
			final String suffix = count > 1 ? String.format(Locale.ROOT, " (plane %d/%d)", i + 1, count) : "";
			final Progress planeProgress = new Progress() {
				@Override
				public void report(final String stage, final double fraction) {
					p.report(stage + suffix, (plane + fraction) / count);
				}

				@Override
				public boolean isCancelled() {
					return p.isCancelled();
				}
			};
			final SegmentationResult r = segmenter.segment(i, planes.images().get(i), planeProgress);
			for (final String note : r.notes()) notes.add(count > 1 ? "Plane " + (i + 1) + ": " + note : note);
			layers.add(r.layers());
			soft.add(r.softSegments());
		}
		final int k = LayerHyperstacks.maxChannels(layers);
		for (int i = 0; i < count; i++) {
			if (layers.get(i).channels() < k) {
				notes.add("Plane " + (i + 1) + " has " + layers.get(i).channels() + " layers, fewer than the " + k +
					" of other planes: its missing layers are zero");
			}
		}
		final ImagePlus out = LayerHyperstacks.layersHyperstack(layers, planes.slices(), planes.frames(), title);
		out.setCalibration(LayerHyperstacks.spatial(image.getCalibration()));
		return new Segmentation(out, layers, planes.images(), soft.contains(null) ? null : soft, planes.slices(), planes
			.frames(), notes);
	}
}
