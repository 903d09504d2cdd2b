package org.softsegments.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.softsegments.core.Progress;
import org.softsegments.engine.SegmentationResult;
import org.softsegments.engine.SemanticSoftSegmentation;
import org.softsegments.engine.Settings;
import org.softsegments.engine.SpectralMatting;
import org.softsegments.features.network.FeatureNetwork;
import org.softsegments.features.network.NetworkSegmentation;
import org.softsegments.image.PlanarImage;

/**
 * The methods the benchmark compares, with their command-line names:
 * <ul>
 * <li>{@code sss}: the full pipeline with the case's feature image (skipped for cases without
 * one: it would be identical to {@code colour});</li>
 * <li>{@code colour}: the same pipeline without semantic features ({@code features = null}: CIE
 * L*a*b* colour stands in for them);</li>
 * <li>{@code spectral-matting}: plain spectral matting ({@link SpectralMatting});</li>
 * <li>{@code unet}: the full pipeline with the features of the bundled U-Net
 * ({@link FeatureNetwork#bundled()}, loaded once per JVM; its forward pass counts as "features");</li>
 * <li>{@code sss-fast}, {@code colour-fast}, {@code unet-fast}: the same methods on the fast path
 * ({@link Settings.Mode#FAST}); the other methods always run the reference path;</li>
 * <li>{@code ade20k-fast}, {@code pascal-fast}: the fast path with the features of the pretrained
 * TFLite networks of {@code ../shared/models} (folder: system property {@value #TEACHERS_PROPERTY};
 * default card: the penultimate 256-channel map, the photo resized to the 513×513 input);
 * {@code ade20k-pad-fast} and {@code ade20k-tile-fast} feed the photo padded or tiled instead;</li>
 * <li>{@code distilled-fast}: the fast path with the project's distilled network
 * ({@code models/sss-distilled}, or the folder in the system property {@value #DISTILLED_PROPERTY}).</li>
 * </ul>
 */
public enum Method {
	SSS("sss", Settings.Mode.REFERENCE), COLOUR("colour", Settings.Mode.REFERENCE),
	SPECTRAL_MATTING("spectral-matting", Settings.Mode.REFERENCE), SSS_FAST("sss-fast", Settings.Mode.FAST),
	COLOUR_FAST("colour-fast", Settings.Mode.FAST), UNET("unet", Settings.Mode.REFERENCE),
	UNET_FAST("unet-fast", Settings.Mode.FAST), ADE20K_FAST("ade20k-fast", Settings.Mode.FAST),
	ADE20K_PAD_FAST("ade20k-pad-fast", Settings.Mode.FAST), ADE20K_TILE_FAST("ade20k-tile-fast", Settings.Mode.FAST),
	PASCAL_FAST("pascal-fast", Settings.Mode.FAST), DISTILLED_FAST("distilled-fast", Settings.Mode.FAST);

	/** System property naming the distilled network's folder (default {@code models/sss-distilled}). */
	public static final String DISTILLED_PROPERTY = "softsegments.distilledModel";

	/** System property naming the folder of the teacher networks (default {@code ../shared/models}). */
	public static final String TEACHERS_PROPERTY = "softsegments.teachers";

	/** Suffix of the fast-path methods' keys. */
	public static final String FAST_SUFFIX = "-fast";

	/** Command-line and table name. */
	public final String key;
	/** The engine path the method runs. */
	public final Settings.Mode mode;

	Method(final String key, final Settings.Mode mode) {
		this.key = key;
		this.mode = mode;
	}

	/** Whether the method needs the case's feature image. */
	public boolean needsFeatures() {
		return this == SSS || this == SSS_FAST;
	}

	/** Runs the method on an image (features are used by {@link #SSS} only). */
	public SegmentationResult run(final PlanarImage image, final PlanarImage features, final Settings settings,
		final SpectralMatting.Params spectral, final Progress progress)
	{
		final Settings s = settings.copy();
		s.mode = mode;
		switch (this) {
			case SSS:
			case SSS_FAST:
				if (features == null) throw new IllegalArgumentException("The " + key + " method needs a feature image");
				return SemanticSoftSegmentation.run(image, features, s, progress, false);
			case COLOUR:
			case COLOUR_FAST:
				return SemanticSoftSegmentation.run(image, null, s, progress, false);
			case UNET:
			case UNET_FAST:
			case ADE20K_FAST:
			case ADE20K_PAD_FAST:
			case ADE20K_TILE_FAST:
			case PASCAL_FAST:
			case DISTILLED_FAST:
				return NetworkSegmentation.run(network(), image, s, progress, false);
			default:
				return SpectralMatting.run(image, settings, spectral, progress);
		}
	}

	/** The feature network of a network method (loaded once per JVM), or null for the others. */
	public FeatureNetwork network() {
		switch (this) {
			case UNET:
			case UNET_FAST:
				return bundledNetwork();
			case ADE20K_FAST:
				return teacher("deeplabv3-mnv2-ade20k.tflite", "resize");
			case ADE20K_PAD_FAST:
				return teacher("deeplabv3-mnv2-ade20k.tflite", "pad");
			case ADE20K_TILE_FAST:
				return teacher("deeplabv3-mnv2-ade20k.tflite", "tile");
			case PASCAL_FAST:
				return teacher("deeplabv3-mnv2-pascal-quant.tflite", "resize");
			case DISTILLED_FAST:
				return loaded(System.getProperty(DISTILLED_PROPERTY, "models/sss-distilled"), null);
			default:
				return null;
		}
	}

	private static FeatureNetwork bundled;

	/** The bundled feature network, loaded on first use and kept for the JVM's lifetime. */
	private static synchronized FeatureNetwork bundledNetwork() {
		if (bundled == null) bundled = FeatureNetwork.bundled();
		return bundled;
	}

	private static final java.util.Map<String, FeatureNetwork> LOADED = new java.util.HashMap<>();

	/** A teacher network of the shared models folder with the given feed, loaded once per JVM. */
	private static FeatureNetwork teacher(final String file, final String feed) {
		return loaded(java.nio.file.Path.of(System.getProperty(TEACHERS_PROPERTY, "../shared/models")).resolve(file).toString(), feed);
	}

	/** A network loaded once per JVM ({@code feed} overrides a TFLite card's feed; null keeps it). */
	private static synchronized FeatureNetwork loaded(final String path, final String feed) {
		return LOADED.computeIfAbsent(path + "|" + feed, k -> {
			final com.google.gson.JsonObject o = new com.google.gson.JsonObject();
			if (feed != null) o.addProperty("feed", feed);
			return FeatureNetwork.load(java.nio.file.Path.of(path), o);
		});
	}

	/** The method with this key. */
	public static Method of(final String key) {
		for (final Method m : values()) if (m.key.equals(key.trim().toLowerCase(Locale.ROOT))) return m;
		throw new IllegalArgumentException("Unknown method '" + key + "'; accepted: " + keys());
	}

	/** Parses a comma-separated list such as {@code sss,colour,spectral-matting}. */
	public static List<Method> parseList(final String list) {
		final List<Method> out = new ArrayList<>();
		for (final String s : list.split(",")) {
			if (s.isBlank()) continue;
			final Method m = of(s);
			if (!out.contains(m)) out.add(m);
		}
		if (out.isEmpty()) throw new IllegalArgumentException("No method given; accepted: " + keys());
		return out;
	}

	/** All keys, comma-separated. */
	public static String keys() {
		final List<String> k = new ArrayList<>();
		for (final Method m : values()) k.add(m.key);
		return String.join(", ", k);
	}
}
