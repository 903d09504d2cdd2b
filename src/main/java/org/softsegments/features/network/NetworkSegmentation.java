package org.softsegments.features.network;

import java.util.function.Consumer;

import org.softsegments.core.Progress;
import org.softsegments.engine.SegmentationResult;
import org.softsegments.engine.SemanticSoftSegmentation;
import org.softsegments.engine.Settings;
import org.softsegments.engine.StrokeLabels;
import org.softsegments.image.PlanarImage;

/**
 * The whole pipeline with a feature network, for the front ends (Fiji commands, command line):
 * the network's raw D-channel features of the image ({@link FeatureNetwork#features}), then
 * {@link SemanticSoftSegmentation#run}, which preprocesses them (spec §3.1: clamp, guided filter,
 * PCA to 3, min–max) and segments. The network is loaded by the caller, once for many images.
 * <p>
 * Progress: the network is the stage {@value SemanticSoftSegmentation#FEATURES} and takes the
 * first {@link #NETWORK_SHARE} of the overall fraction; the engine's stages, with their own
 * names, the rest. The forward pass's time is included in the result's "features" stage time. Cancellation is checked after every tile of the network and inside the engine.
 */
public final class NetworkSegmentation {

	/** Share of the overall progress given to the network's forward pass. */
	public static final double NETWORK_SHARE = 0.1;

	private NetworkSegmentation() {}

	/**
	 * Segments {@code image} with the features of {@code network}.
	 *
	 * @param image RGB (3 channels) or grey (1 channel), values in [0, 1]
	 * @throws IllegalArgumentException for bad input or settings, or a model whose output does not fit
	 * @throws IllegalStateException when the network fails for a reason other than the input
	 *           (see {@link TensorFlowConflicts#explain})
	 * @throws org.softsegments.core.SegmentationCancelledException when cancelled
	 */
	public static SegmentationResult run(final FeatureNetwork network, final PlanarImage image, final Settings settings,
		final Progress progress, final boolean keepIntermediates)
	{
		return run(network, image, settings, progress, keepIntermediates, null);
	}

	/**
	 * As {@link #run(FeatureNetwork, PlanarImage, Settings, Progress, boolean)}; {@code rawFeatures}
	 * (may be null) is given the network's raw D-channel features before the engine runs (for
	 * example to show their PCA visualisation), at the working size on the fast path
	 * ({@link SemanticSoftSegmentation#workingSize}), at the image's size otherwise.
	 */
	public static SegmentationResult run(final FeatureNetwork network, final PlanarImage image, final Settings settings,
		final Progress progress, final boolean keepIntermediates, final Consumer<PlanarImage> rawFeatures)
	{
		return run(network, image, null, settings, progress, keepIntermediates, rawFeatures);
	}

	/**
	 * As {@link #run(FeatureNetwork, PlanarImage, Settings, Progress, boolean, Consumer)}, with the
	 * grouping guided by {@code strokes} when not null
	 * ({@link SemanticSoftSegmentation#run(PlanarImage, PlanarImage, StrokeLabels, Settings, Progress, boolean)}).
	 */
	public static SegmentationResult run(final FeatureNetwork network, final PlanarImage image, final StrokeLabels strokes,
		final Settings settings, final Progress progress, final boolean keepIntermediates,
		final Consumer<PlanarImage> rawFeatures)
	{
		if (network == null) throw new IllegalArgumentException("No feature network given");
		final Progress p = progress == null ? Progress.NONE : progress;
		final long t0 = System.nanoTime();
		// on the fast path the features are only needed at the working resolution: resampled there
		// directly, a large photo never holds a full-size D-channel image
		// (settings checked first: bad settings fail before the network runs)
		final Settings checked = settings.copy().validate();
		final int[] size = image == null ? new int[] { 0, 0 } : SemanticSoftSegmentation.workingSize(image.width(), image.height(), checked);
		final PlanarImage raw = network.features(image, size[0], size[1], FeatureNetwork.DEFAULT_TILE_SIZE, Progress.stage(p,
			SemanticSoftSegmentation.FEATURES, 0, NETWORK_SHARE));
		final double networkSeconds = (System.nanoTime() - t0) * 1e-9;
		if (rawFeatures != null) rawFeatures.accept(raw);
		return SemanticSoftSegmentation.run(image, raw, strokes, settings, after(p, NETWORK_SHARE), keepIntermediates)
			.withExtraTime(SemanticSoftSegmentation.FEATURES, networkSeconds);
	}

	/**
	 * A progress whose reports keep their stage names and map the fraction f to
	 * {@code from + (1 − from)·f} of {@code outer}; cancellation is {@code outer}'s.
	 */
	public static Progress after(final Progress outer, final double from) {
		return new Progress() {
			@Override
			public void report(final String stage, final double fraction) {
				outer.report(stage, from + (1 - from) * Math.max(0, Math.min(1, fraction)));
			}

			@Override
			public boolean isCancelled() {
				return outer.isCancelled();
			}
		};
	}
}
