package org.softsegments.testing;

import java.util.Optional;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

/**
 * Prints one line per skipped test or test class on standard output, so that a skip is visible on
 * the console and not only as a count ("Tests run: 4, … Skipped: 3"):
 * {@code SKIPPED <class>.<method>: <reason>} ({@code SKIPPED <class>: <reason>} for a whole class).
 * Skipped means disabled ({@code @Disabled}, a condition) or aborted (a failed assumption, e.g. when
 * {@code ../shared} is absent). Registered with the JUnit Platform launcher through
 * {@code META-INF/services/org.junit.platform.launcher.TestExecutionListener}, so it runs under
 * Maven (surefire and failsafe) and any other launcher.
 */
public class SkipReporter implements TestExecutionListener {

	@Override
	public void executionSkipped(final TestIdentifier test, final String reason) {
		report(test, reason);
	}

	@Override
	public void executionFinished(final TestIdentifier test, final TestExecutionResult result) {
		if (result.getStatus() != TestExecutionResult.Status.ABORTED) return;
		report(test, result.getThrowable().map(SkipReporter::reason).orElse("aborted"));
	}

	private static void report(final TestIdentifier test, final String reason) {
		final String name = name(test);
		if (name == null) return; // an engine, not a test
		System.out.println("SKIPPED " + name + ": " + (reason == null || reason.isBlank() ? "no reason given" : reason));
	}

	/** {@code class.method} or {@code class} (with the display name of a parameterised invocation), or null. */
	static String name(final TestIdentifier test) {
		final Optional<TestSource> source = test.getSource();
		if (source.isEmpty()) return null;
		String name;
		if (source.get() instanceof MethodSource) {
			final MethodSource m = (MethodSource) source.get();
			name = m.getClassName() + "." + m.getMethodName();
		}
		else if (source.get() instanceof ClassSource) {
			name = ((ClassSource) source.get()).getClassName();
		}
		else {
			name = test.getDisplayName();
		}
		final String segment = test.getUniqueIdObject().getLastSegment().getType();
		if (segment.endsWith("-invocation") || segment.startsWith("dynamic")) name += " " + test.getDisplayName();
		return name;
	}

	/** The assumption's message without JUnit's "Assumption failed: " prefix (or a "SKIPPED: " of its own). */
	private static String reason(final Throwable t) {
		String m = t.getMessage();
		if (m == null) return t.getClass().getSimpleName();
		for (final String prefix : new String[] { "Assumption failed: ", "SKIPPED: " }) {
			if (m.startsWith(prefix)) m = m.substring(prefix.length());
		}
		return m;
	}
}
