package org.softsegments.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;

import org.junit.jupiter.api.function.Executable;
import org.scijava.Context;
import org.scijava.event.EventHandler;
import org.scijava.event.EventService;
import org.scijava.event.EventSubscriber;
import org.scijava.log.LogLevel;
import org.scijava.log.LogService;
import org.scijava.module.event.ModuleErroredEvent;

/**
 * Runs a command that a test expects to fail, without stack traces or errors on the console. SciJava's module runner publishes a
 * {@link ModuleErroredEvent} and, unless a subscriber consumes it, logs "Command errored: …" with
 * the whole stack trace at ERROR level: a passing build would print stack traces. Here the event is
 * recorded and consumed instead (only while the expected failure runs), and the test checks that
 * SciJava reported exactly the failure that the command's future gives.
 */
final class ExpectedCommandFailure {

	private ExpectedCommandFailure() {}

	/**
	 * Asserts that {@code run} (which waits for a command of {@code context}) throws an
	 * {@link ExecutionException}, without SciJava logging it; returns the exception.
	 */
	static ExecutionException assertCommandFails(final Context context, final Executable run) {
		final List<Throwable> reported = Collections.synchronizedList(new ArrayList<>());
		final Object listener = new Object() {

			@EventHandler
			public void onError(final ModuleErroredEvent e) {
				reported.add(e.getException());
				e.consume(); // not logged by the module runner
			}
		};
		final EventService events = context.service(EventService.class);
		final List<EventSubscriber<?>> subscribers = events.subscribe(listener);
		try {
			final ExecutionException e = assertThrows(ExecutionException.class, run);
			assertEquals(1, reported.size(), "errors SciJava reported: " + reported);
			assertTrue(causes(e).contains(reported.get(0)), "SciJava reported " + reported.get(0) + ", the run threw " + e);
			return e;
		}
		finally {
			events.unsubscribe(subscribers);
		}
	}

	/**
	 * Runs {@code run} with the log of {@code context} off, and returns its result: for a command run
	 * whose expected failures the command itself reports through the log (the batch command's "x.png
	 * failed: …" warning and its summary at ERROR level when a file failed); the test checks the
	 * returned summary instead.
	 */
	static <T> T withLogOff(final Context context, final Callable<T> run) throws Exception {
		final LogService log = context.service(LogService.class);
		final int level = log.getLevel();
		log.setLevel(LogLevel.NONE);
		try {
			return run.call();
		}
		finally {
			log.setLevel(level);
		}
	}

	private static List<Throwable> causes(final Throwable t) {
		final List<Throwable> chain = new ArrayList<>();
		for (Throwable c = t; c != null && !chain.contains(c); c = c.getCause()) chain.add(c);
		return chain;
	}
}
