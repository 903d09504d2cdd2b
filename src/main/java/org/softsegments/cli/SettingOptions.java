package org.softsegments.cli;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

import org.softsegments.engine.Settings;

/**
 * The one place that maps {@link Settings} fields to the {@code sss} options that set them, so
 * that an invalid setting is reported in the user's words: "--segments must be an integer from
 * 2 to 64 (got 0)" rather than the engine's "Setting 'layers' = 0.0 is outside the accepted
 * range [2.0, 64.0]". Whether a value is an integer or a real number comes from the field's
 * type.
 */
final class SettingOptions {

	private SettingOptions() {}

	/** Settings field name → option name. */
	static final Map<String, String> OPTIONS = options();

	private static Map<String, String> options() {
		final Map<String, String> m = new LinkedHashMap<>();
		m.put("layers", "--segments");
		m.put("seed", "--seed");
		m.put("threads", "--threads");
		m.put("mode", "--mode");
		m.put("workingPixels", "--working-pixels");
		m.put("cleanupThreshold", "--cleanup-threshold");
		m.put("superpixels", "--superpixels");
		m.put("eigenvectors", "--eigenvectors");
		m.put("semanticWeight", "--semantic-weight");
		m.put("colorWeight", "--colour-weight");
		return m;
	}

	/** True if the field {@code setting} of {@link Settings} holds whole numbers (int or long). */
	static boolean integer(final String setting) {
		try {
			final Class<?> type = Settings.class.getField(setting).getType();
			return type == int.class || type == long.class;
		}
		catch (final NoSuchFieldException e) {
			throw new IllegalArgumentException("Settings has no field '" + setting + "'", e);
		}
	}

	/**
	 * The message for an invalid setting, naming the option: "--segments must be an integer from 2
	 * to 64 (got 0)". A setting no option sets (only reachable through another one's range) keeps
	 * the engine's message.
	 */
	static String message(final Settings.InvalidSettingException e) {
		final String option = OPTIONS.get(e.setting());
		if (option == null) return e.getMessage();
		final boolean integer = integer(e.setting());
		return option + " must be " + e.requirement(integer ? "an integer" : "a number") + " (got " + value(e.value(),
			integer) + ")";
	}

	/** A value as the user typed it: 0, 0.3, -1 (no ".0"). */
	static String value(final double v, final boolean integer) {
		if (!Double.isFinite(v)) return Double.toString(v);
		if (integer) return Long.toString((long) v);
		return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
	}
}
