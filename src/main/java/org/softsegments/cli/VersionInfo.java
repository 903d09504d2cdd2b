package org.softsegments.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

import picocli.CommandLine.IVersionProvider;

/**
 * The project version, from {@code org/softsegments/cli/version.properties} (filled in by
 * Maven resource filtering), for {@code sss --version}.
 */
public final class VersionInfo implements IVersionProvider {

	/** The project version, or "unknown" when the resource is missing. */
	public static String version() {
		try (InputStream in = VersionInfo.class.getResourceAsStream("version.properties")) {
			if (in == null) return "unknown";
			final Properties p = new Properties();
			p.load(in);
			final String v = p.getProperty("version", "unknown");
			return v.contains("${") ? "unknown" : v;
		}
		catch (final IOException e) {
			return "unknown";
		}
	}

	@Override
	public String[] getVersion() {
		return new String[] { "sss (Semantic Soft Segments) " + version(),
			"Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")" };
	}
}
