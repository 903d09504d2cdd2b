package org.softsegments.fiji;

import java.io.File;
import java.util.Locale;
import java.util.function.Supplier;

import org.scijava.log.LogService;
import org.softsegments.core.Progress;
import org.softsegments.core.SegmentationCancelledException;
import org.softsegments.features.network.FeatureNetwork;
import org.softsegments.features.network.TensorFlowConflicts;

/**
 * The network choices of the Fiji commands' {@code features} parameter
 * ({@value SemanticSoftSegmentsCommand#BUNDLED_UNET}, {@value SemanticSoftSegmentsCommand#CUSTOM_MODEL}
 * with the folder {@code model}): loads the {@link FeatureNetwork} once per command run. Every
 * failure reaches the user as an {@link IllegalArgumentException} (a problem of the model folder:
 * missing, not a SavedModel, a model card that does not fit the model) or an
 * {@link IllegalStateException} (the TensorFlow runtime: natives or jars missing, TensorFlow 1.x
 * from another update site, see {@link TensorFlowConflicts}), never as a bare linkage error.
 */
final class FeatureNetworkChoice {

	/** Status text while the network loads. */
	static final String LOADING = "features (loading the feature network)";

	private FeatureNetworkChoice() {}

	/** True for the choices that need the feature network. */
	static boolean isNetwork(final String choice) {
		return SemanticSoftSegmentsCommand.BUNDLED_UNET.equals(choice) || SemanticSoftSegmentsCommand.CUSTOM_MODEL.equals(
			choice);
	}

	/**
	 * Checks the parameters of a network choice without loading anything.
	 *
	 * @throws IllegalArgumentException if the custom model choice has no folder
	 */
	static void check(final String choice, final File model) {
		if (SemanticSoftSegmentsCommand.CUSTOM_MODEL.equals(choice) && model == null) {
			throw new IllegalArgumentException("features=[" + SemanticSoftSegmentsCommand.CUSTOM_MODEL + "] needs a " +
				"model (parameter model: a TensorFlow Lite segmentation network, .tflite, or a folder with a TensorFlow " +
				"SavedModel, saved_model.pb, and its model-card.json); or choose features=[" + SemanticSoftSegmentsCommand.BUNDLED_UNET + "]");
		}
	}

	/**
	 * Loads the network of a network choice (reports {@link #LOADING} first; cancellation is checked
	 * before and after, the load itself cannot be interrupted).
	 *
	 * @param choice {@value SemanticSoftSegmentsCommand#BUNDLED_UNET} or
	 *          {@value SemanticSoftSegmentsCommand#CUSTOM_MODEL}
	 * @param model the model folder of the custom choice
	 * @param log where the loaded network is named (may be null)
	 * @param prefix log prefix
	 * @throws IllegalArgumentException for a bad model folder
	 * @throws IllegalStateException when the network cannot run here
	 * @throws SegmentationCancelledException when cancelled
	 */
	static FeatureNetwork open(final String choice, final File model, final Progress progress, final LogService log,
		final String prefix)
	{
		check(choice, model);
		final Progress p = progress == null ? Progress.NONE : progress;
		p.checkpoint(LOADING, 0);
		final long t0 = System.nanoTime();
		final FeatureNetwork network;
		if (SemanticSoftSegmentsCommand.BUNDLED_UNET.equals(choice)) network = load(FeatureNetwork::bundled);
		else if (SemanticSoftSegmentsCommand.CUSTOM_MODEL.equals(choice)) {
			network = load(() -> FeatureNetwork.load(model.toPath()));
		}
		else throw new IllegalArgumentException("features=[" + choice + "] is not a feature network choice");
		if (p.isCancelled()) {
			network.close();
			throw new SegmentationCancelledException(LOADING);
		}
		if (log != null) {
			log.info(String.format(Locale.ROOT, "%s: feature network %s (D = %d) from %s, loaded in %.1f s", prefix,
				network.card().name(), network.channels(), network.modelDir(), (System.nanoTime() - t0) * 1e-9));
		}
		return network;
	}

	/**
	 * Runs a loader; failures as promised in the class javadoc (also when a DJL or TensorFlow class
	 * is missing, which surfaces as an error when {@link FeatureNetwork} itself is loaded).
	 */
	private static FeatureNetwork load(final Supplier<FeatureNetwork> loader) {
		try {
			return loader.get();
		}
		catch (final RuntimeException | LinkageError e) {
			throw TensorFlowConflicts.explain(e, FeatureNetworkChoice.class.getClassLoader());
		}
	}
}
