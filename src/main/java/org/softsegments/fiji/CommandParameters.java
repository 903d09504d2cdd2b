package org.softsegments.fiji;

import java.io.File;
import java.util.Locale;

import org.scijava.log.LogService;
import org.softsegments.engine.MemoryEstimate;
import org.softsegments.engine.Settings;

import ij.ImagePlus;

/**
 * Parameter handling shared by the Fiji commands: engine {@link Settings} from the macro keys and
 * the checks of the {@code features} choice. SciJava's {@code min}/{@code max} only constrain the
 * dialog, not macros or headless runs, so every value is range-checked here, and the messages name
 * the macro keys the user typed.
 */
final class CommandParameters {

	private CommandParameters() {}

	/**
	 * Engine settings from the commands' parameters (the macro keys {@code segments}, {@code seed},
	 * {@code mode}, {@code working_pixels}, {@code cleanup_threshold}, {@code superpixels},
	 * {@code eigenvectors}, {@code semantic_weight}, {@code colour_weight}).
	 *
	 * @throws IllegalArgumentException naming the key, the value and the accepted range
	 */
	static Settings settings(final int segments, final long seed, final String mode, final int workingPixels,
		final double cleanupThreshold, final int superpixels, final int eigenvectors, final double semanticWeight,
		final double colourWeight)
	{
		range("segments", segments, 2, 20);
		if (!SemanticSoftSegmentsCommand.FAST.equals(mode) && !SemanticSoftSegmentsCommand.REFERENCE.equals(mode)) {
			throw new IllegalArgumentException("mode=" + mode + " is not accepted; use '" + SemanticSoftSegmentsCommand.FAST +
				"' or '" + SemanticSoftSegmentsCommand.REFERENCE + "'");
		}
		if (workingPixels != 0) range("working_pixels", workingPixels, 1024, 100_000_000);
		if (!(cleanupThreshold >= 0 && cleanupThreshold < 1.0 / segments)) {
			throw new IllegalArgumentException(String.format(Locale.ROOT, "cleanup_threshold=%s is outside the accepted " +
				"range: at least 0 and below 1/segments = %s", cleanupThreshold, 1.0 / segments));
		}
		range("superpixels", superpixels, 10, 100_000);
		range("eigenvectors", eigenvectors, 5, 1000);
		range("semantic_weight", semanticWeight, 0, 100);
		range("colour_weight", colourWeight, 0, 100);
		final Settings s = new Settings();
		s.layers = segments;
		s.seed = seed;
		s.mode = SemanticSoftSegmentsCommand.FAST.equals(mode) ? Settings.Mode.FAST : Settings.Mode.REFERENCE;
		s.workingPixels = workingPixels;
		s.cleanupThreshold = cleanupThreshold;
		s.superpixels = superpixels;
		s.eigenvectors = eigenvectors;
		s.semanticWeight = semanticWeight;
		s.colorWeight = colourWeight;
		return s.validate();
	}

	/**
	 * Checks {@code segments} alone (the regrouping, whose other settings come from the run that
	 * computed the segments).
	 *
	 * @throws IllegalArgumentException naming the key, the value and the accepted range
	 */
	static void checkSegments(final int segments) {
		range("segments", segments, 2, 20);
	}

	/**
	 * Checks the {@code features} choice with the parameters it needs and returns the feature image
	 * to use (null unless the choice is {@value SemanticSoftSegmentsCommand#FEATURE_IMAGE}). A feature
	 * image given with another choice is logged as unused.
	 *
	 * @param accepted the choices the command offers
	 * @throws IllegalArgumentException for an unknown choice, or a choice without what it needs
	 */
	static ImagePlus checkFeatures(final String features, final ImagePlus featureImage, final File model,
		final LogService log, final String name, final String... accepted)
	{
		if (!java.util.Arrays.asList(accepted).contains(features)) {
			throw new IllegalArgumentException("Unknown features choice '" + features + "'; accepted are '" +
				String.join("', '", accepted) + "'");
		}
		if (SemanticSoftSegmentsCommand.FEATURE_IMAGE.equals(features)) {
			if (featureImage == null) {
				throw new IllegalArgumentException("features=[" + SemanticSoftSegmentsCommand.FEATURE_IMAGE + "] needs a " +
					"feature image (parameter feature_image, an open image of the same size); or choose features=[" +
					SemanticSoftSegmentsCommand.COLOUR_ONLY + "]");
			}
			return featureImage;
		}
		if (featureImage != null && log != null) {
			log.info(name + ": features=[" + features + "]: the feature image '" + featureImage.getTitle() + "' is not used");
		}
		if (FeatureNetworkChoice.isNetwork(features)) FeatureNetworkChoice.check(features, model);
		return null;
	}

	/**
	 * Refuses an image of {@code width × height} pixels whose segmentation cannot fit in Fiji's
	 * memory ({@link MemoryEstimate}), before any work, with what it needs and what would help.
	 *
	 * @param featureChannels channels of the raw features (0 for colour)
	 * @throws IllegalArgumentException naming the estimate, the available memory and the remedies
	 */
	static void checkMemory(final long width, final long height, final int featureChannels, final Settings s) {
		final MemoryEstimate.Verdict v = MemoryEstimate.check(width, height, featureChannels, s);
		if (v.fits()) return;
		final String remedy = !v.fastFits() ? "" : s.mode != Settings.Mode.FAST ? "choose mode=fast (at least " +
			MemoryEstimate.format(v.fastNeed()) + "), " : "choose a smaller working_pixels (" + new Settings().workingPixels +
			": at least " + MemoryEstimate.format(v.fastNeed()) + "), ";
		throw new IllegalArgumentException(String.format(Locale.ROOT, "The image is %d×%d pixels: segmenting it on the " +
			"%s path needs at least %s of memory, but Fiji may use %s. Not started; give Fiji more memory (Edit › " +
			"Options › Memory & Threads…, at least %s), %sor scale the image down.", width, height, s.mode.name()
				.toLowerCase(Locale.ROOT), MemoryEstimate.format(v.need()), MemoryEstimate.format(v.available()),
			MemoryEstimate.format(v.need() * 3 / 2), remedy));
	}

	private static void range(final String key, final double v, final double lo, final double hi) {
		if (!(v >= lo && v <= hi)) {
			throw new IllegalArgumentException(String.format(Locale.ROOT, "%s=%s is outside the accepted range %s–%s",
				key, fmt(v), fmt(lo), fmt(hi)));
		}
	}

	private static String fmt(final double v) {
		return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
	}
}
