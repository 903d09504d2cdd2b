package org.softsegments.cli;

import java.io.PrintWriter;
import java.util.logging.Level;
import java.util.logging.Logger;

import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Entry point of the command-line runner {@code sss} (launcher {@code scripts/sss}); the
 * options are defined by {@link SssCommand}. {@link #run} executes a command line in-process
 * and returns its exit code: 0 success, 1 some image failed, 2 bad arguments.
 */
public final class SegmentMain {

	private SegmentMain() {}

	/** Keeps the netlib logger configured (loggers are weakly referenced). */
	private static final Logger NETLIB_LOG = Logger.getLogger("dev.ludovic.netlib");

	public static void main(final String[] args) {
		// ARPACK logs a warning when no native library is found; the pure-Java fallback is intended
		NETLIB_LOG.setLevel(Level.SEVERE);
		System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
	}

	/**
	 * Runs {@code sss} with the given arguments, writing results to {@code out} and messages and
	 * progress lines to {@code err} (a progress bar, when chosen, goes to {@link System#err}).
	 */
	public static int run(final PrintWriter out, final PrintWriter err, final String... args) {
		return commandLine(out, err).execute(args);
	}

	/** The picocli command line of {@code sss}, set up with error handlers and the given streams. */
	public static CommandLine commandLine(final PrintWriter out, final PrintWriter err) {
		final CommandLine cl = new CommandLine(new SssCommand());
		cl.setOut(out);
		cl.setErr(err);
		cl.setHelpFactory(WordWrapHelp::new); // lines break at spaces only, never inside a file or option name
		cl.setParameterExceptionHandler(SegmentMain::usageError);
		cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
			commandLine.getErr().println("sss: internal error: " + e);
			e.printStackTrace(commandLine.getErr());
			commandLine.getErr().flush();
			return 1;
		});
		return cl;
	}

	private static int usageError(final ParameterException e, final String[] args) {
		final PrintWriter err = e.getCommandLine().getErr();
		err.println("sss: " + e.getMessage());
		UnmatchedArgumentException.printSuggestions(e, err);
		err.println("Run 'sss --help' for the options.");
		err.flush();
		return 2;
	}
}
