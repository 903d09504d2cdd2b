package org.softsegments.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import org.softsegments.cli.SssCommand.FeatureMode;
import org.softsegments.engine.Settings;
import org.softsegments.features.network.FeatureNetwork;
import org.softsegments.features.network.TensorFlowConflicts;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;

/**
 * The command line's options that decide how each image is segmented, mixed into
 * {@link SssCommand}: the engine's {@link Settings} (-k, --seed, --mode, …) and where the
 * semantic features come from (--features, --feature-image, --feature-dir, --model). Both
 * live in one class because the help lists them interleaved (-k first); here they become a
 * validated {@code Settings}, a {@link FeatureMode} and, for network features, the loaded
 * network, with every bad value reported as a usage error in the options' words.
 */
final class SegmentationOptions {

	private static final Settings DEFAULTS = new Settings();

	/**
	 * These options but {@code -k} and {@code --threads}, in the help's order: the ones whose values a
	 * segments file fixes, refused beside --from-segments ({@link EditingOptions}).
	 */
	static final List<String> FIXED_BY_SEGMENTS = List.of("--features", "--feature-image", "--feature-dir", "--model", "--seed",
		"--mode", "--working-pixels", "--cleanup-threshold", "--superpixels", "--eigenvectors", "--semantic-weight",
		"--colour-weight");

	@Option(names = { "-k", "--segments" }, paramLabel = "K", description = "Number of soft layers.")
	int segments = DEFAULTS.layers;

	@Option(names = "--features", paramLabel = "MODE", converter = FeatureModeConverter.class,
		description = "Semantic features: colour (no network), image (--feature-image or --feature-dir), " +
			"unet (the bundled U-Net; not yet better than colour on mattes) or model (--model FILE|DIR). Default: image " +
			"when a feature file or folder is given, model with --model, else colour.")
	FeatureMode features;

	@Option(names = "--feature-image", paramLabel = "FILE",
		description = "Feature image of the single INPUT (3 channels, or more raw feature channels as TIFF).")
	Path featureImage;

	@Option(names = "--feature-dir", paramLabel = "DIR",
		description = "Folder of feature images named like the inputs (same name, or same base name with an image " +
			"extension).")
	Path featureDir;

	@Option(names = "--model", paramLabel = "FILE|DIR", description = "Custom feature network (--features model): a " +
		"TensorFlow Lite segmentation network (.tflite, optional model card FILE.json beside it), or a folder with a " +
		"TensorFlow SavedModel (saved_model.pb) and its model-card.json.")
	Path model;

	@Option(names = "--seed", paramLabel = "S", description = "Seed of the random steps: same input + seed = identical output.")
	long seed = DEFAULTS.seed;

	@Option(names = "--threads", paramLabel = "T", description = "Worker threads (0 = all processors); the output does not depend on it.")
	int threads = DEFAULTS.threads;

	@Option(names = "--mode", paramLabel = "fast|reference", converter = ModeConverter.class, defaultValue = "fast",
		description = "fast (spectral stages at a working resolution, layers upsampled) or reference (the faithful " +
			"full-resolution algorithm).")
	Settings.Mode mode = Settings.Mode.FAST;

	@Option(names = "--working-pixels", paramLabel = "N",
		description = "Fast path: largest working resolution in pixels (0 = full size).")
	int workingPixels = DEFAULTS.workingPixels;

	@Option(names = "--cleanup-threshold", paramLabel = "T",
		description = "Fast path: layer values below T are set to 0 (soft threshold, then renormalised; 0 = clip to " +
			"[0, 1] only); below 1/segments.")
	double cleanupThreshold = DEFAULTS.cleanupThreshold;

	@Option(names = "--superpixels", paramLabel = "N", description = "Requested number of superpixels.")
	int superpixels = DEFAULTS.superpixels;

	@Option(names = "--eigenvectors", paramLabel = "M", description = "Size of the spectral basis.")
	int eigenvectors = DEFAULTS.eigenvectors;

	@Option(names = "--semantic-weight", paramLabel = "W", description = "Weight of the semantic affinity.")
	double semanticWeight = DEFAULTS.semanticWeight;

	@Option(names = { "--colour-weight", "--color-weight" }, paramLabel = "W",
		description = "Weight of the non-local colour affinity.")
	double colourWeight = DEFAULTS.colorWeight;

	/** The engine's settings from the options, validated; an invalid value is a usage error naming its option. */
	Settings settings(final CommandSpec spec) {
		final Settings s = new Settings();
		s.layers = segments;
		s.seed = seed;
		s.threads = threads;
		s.mode = mode;
		s.workingPixels = workingPixels;
		s.cleanupThreshold = cleanupThreshold;
		s.superpixels = superpixels;
		s.eigenvectors = eigenvectors;
		s.semanticWeight = semanticWeight;
		s.colorWeight = colourWeight;
		try {
			return s.validate();
		}
		catch (final Settings.InvalidSettingException e) {
			throw usage(spec, SettingOptions.message(e)); // in the options' words: "--segments must be an integer from 2 to 64 (got 0)"
		}
		catch (final IllegalArgumentException e) {
			throw usage(spec, e.getMessage());
		}
	}

	/**
	 * Where the features come from: --features, or else what the other feature options imply;
	 * checks that the feature options fit it (and {@code demo}).
	 */
	FeatureMode featureMode(final CommandSpec spec, final boolean demo) {
		final boolean files = featureImage != null || featureDir != null;
		final FeatureMode mode = features != null ? features : files ? FeatureMode.IMAGE : model != null ?
			FeatureMode.MODEL : FeatureMode.COLOUR;
		switch (mode) {
			case MODEL:
				if (model == null) {
					throw usage(spec, "--features model needs --model FILE|DIR (a .tflite file, or a folder with a TensorFlow " +
						"SavedModel, saved_model.pb, and its model-card.json); or use --features unet (the bundled U-Net)");
				}
				if (!Files.exists(model)) throw usage(spec, "--model " + model + " does not exist (give a .tflite file or a SavedModel folder)");
				if (files) throw usage(spec, "--feature-image and --feature-dir need --features image, not --features " + mode);
				break;
			case IMAGE:
				if (featureImage != null && featureDir != null) {
					throw usage(spec, "give either --feature-image or --feature-dir, not both");
				}
				if (!files) throw usage(spec, "--features image needs --feature-image FILE or --feature-dir DIR");
				if (demo) throw usage(spec, "--demo uses colour features; it takes no --feature-image or --feature-dir");
				if (featureImage != null && !Files.isRegularFile(featureImage)) {
					throw usage(spec, "--feature-image " + featureImage + " is not a file");
				}
				if (featureDir != null && !Files.isDirectory(featureDir)) {
					throw usage(spec, "--feature-dir " + featureDir + " is not a folder");
				}
				break;
			default:
				if (files) throw usage(spec, "--feature-image and --feature-dir need --features image, not --features " + mode);
		}
		if (model != null && mode != FeatureMode.MODEL) throw usage(spec, "--model needs --features model");
		return mode;
	}

	/** Checks the feature options against the number of inputs: --feature-image names the features of one. */
	void checkInputs(final CommandSpec spec, final int inputs) {
		if (featureImage != null && inputs != 1) {
			throw usage(spec, "--feature-image applies to a single INPUT, but " + inputs + " inputs were given; " +
				"use --feature-dir for several");
		}
	}

	/** The feature image of {@code input} with --features image: --feature-image, or its namesake in --feature-dir (null if none). */
	Path featureFileFor(final Path input) {
		return featureImage != null ? featureImage : InputCollection.findFeatureFile(featureDir, input);
	}

	/**
	 * Loads the feature network of {@code mode} (unet or model) once for all images. A model folder
	 * that is not usable is a bad argument (exit 2, thrown as a usage error); a runtime that cannot
	 * run it is reported here and gives null (exit {@value SssCommand#NETWORK_UNAVAILABLE}).
	 */
	FeatureNetwork loadNetwork(final CommandSpec spec, final FeatureMode mode, final PrintWriter stdout,
		final PrintWriter stderr)
	{
		final long t0 = System.nanoTime();
		final FeatureNetwork network;
		try {
			network = mode == FeatureMode.UNET ? FeatureNetwork.bundled() : FeatureNetwork.load(model);
		}
		catch (final IllegalArgumentException e) {
			throw usage(spec, (mode == FeatureMode.UNET ? "--features unet: " : "--model " + model + ": ") + e.getMessage());
		}
		catch (final RuntimeException | LinkageError e) {
			final RuntimeException r = TensorFlowConflicts.explain(e, SssCommand.class.getClassLoader());
			stderr.println("sss: the feature network cannot run here: " + r.getMessage());
			stderr.flush();
			return null;
		}
		stdout.printf(Locale.ROOT, "network %s (D = %d) from %s, loaded in %.1f s%n", network.card().name(), network
			.channels(), network.modelDir(), (System.nanoTime() - t0) * 1e-9);
		stdout.flush();
		return network;
	}

	private static ParameterException usage(final CommandSpec spec, final String message) {
		return new ParameterException(spec.commandLine(), message);
	}

	/** Parses {@code --mode}: fast or reference. */
	static final class ModeConverter implements ITypeConverter<Settings.Mode> {

		@Override
		public Settings.Mode convert(final String value) {
			for (final Settings.Mode m : Settings.Mode.values()) if (m.name().equalsIgnoreCase(value.trim())) return m;
			throw new TypeConversionException("'" + value + "' is not one of fast, reference");
		}
	}

	/** Parses {@code --features}: colour (or color), image, unet, model. */
	static final class FeatureModeConverter implements ITypeConverter<FeatureMode> {

		@Override
		public FeatureMode convert(final String value) {
			final String v = value.trim().toLowerCase(Locale.ROOT);
			if (v.equals("color")) return FeatureMode.COLOUR;
			for (final FeatureMode m : FeatureMode.values()) if (m.key.equals(v)) return m;
			throw new TypeConversionException("'" + value + "' is not one of colour, image, unet, model");
		}
	}
}
