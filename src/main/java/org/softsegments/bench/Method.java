package org.softsegments.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.softsegments.engine.Progress;
import org.softsegments.engine.SegmentationResult;
import org.softsegments.engine.SemanticSoftSegmentation;
import org.softsegments.engine.Settings;
import org.softsegments.engine.SpectralMatting;
import org.softsegments.image.PlanarImage;

/**
 * The methods the benchmark compares, with their command-line names:
 * <ul>
 * <li>{@code sss}: the full pipeline with the case's feature image (skipped for cases without
 * one: it would be identical to {@code colour});</li>
 * <li>{@code colour}: the same pipeline without semantic features ({@code features = null}: CIE
 * L*a*b* colour stands in for them);</li>
 * <li>{@code spectral-matting}: plain spectral matting ({@link SpectralMatting}).</li>
 * </ul>
 */
public enum Method {
	SSS("sss"), COLOUR("colour"), SPECTRAL_MATTING("spectral-matting");

	/** Command-line and table name. */
	public final String key;

	Method(final String key) {
		this.key = key;
	}

	/** Whether the method needs the case's feature image. */
	public boolean needsFeatures() {
		return this == SSS;
	}

	/** Runs the method on an image (features are used by {@link #SSS} only). */
	public SegmentationResult run(final PlanarImage image, final PlanarImage features, final Settings settings,
		final SpectralMatting.Params spectral, final Progress progress)
	{
		switch (this) {
			case SSS:
				if (features == null) throw new IllegalArgumentException("The sss method needs a feature image");
				return SemanticSoftSegmentation.run(image, features, settings, progress, false);
			case COLOUR:
				return SemanticSoftSegmentation.run(image, null, settings, progress, false);
			default:
				return SpectralMatting.run(image, settings, spectral, progress);
		}
	}

	/** The method with this key. */
	public static Method of(final String key) {
		for (final Method m : values()) if (m.key.equals(key.trim().toLowerCase(Locale.ROOT))) return m;
		throw new IllegalArgumentException("Unknown method '" + key + "'; accepted: sss, colour, spectral-matting");
	}

	/** Parses a comma-separated list such as {@code sss,colour,spectral-matting}. */
	public static List<Method> parseList(final String list) {
		final List<Method> out = new ArrayList<>();
		for (final String s : list.split(",")) {
			if (s.isBlank()) continue;
			final Method m = of(s);
			if (!out.contains(m)) out.add(m);
		}
		if (out.isEmpty()) throw new IllegalArgumentException("No method given; accepted: sss, colour, spectral-matting");
		return out;
	}
}
