package org.softsegments.cli;

import java.io.PrintWriter;
import java.util.Locale;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import org.softsegments.core.Progress;

/**
 * Progress of one image on the console (standard error): a progress bar (me.tongfei
 * progressbar) whose task names the image and its position in the run and whose message names
 * the current stage, or one line per stage when the output is not an interactive terminal
 * (logs of cluster jobs), or nothing. Thread-safe, as {@link Progress} requires.
 */
final class ConsoleProgress implements Progress, AutoCloseable {

	/** How progress is shown. */
	enum Mode {
		/** A bar on an interactive terminal, else lines. */
		AUTO,
		/** Always a bar (standard error). */
		BAR,
		/** One line per stage. */
		LINES,
		/** Nothing. */
		NONE;

		@Override
		public String toString() {
			return name().toLowerCase(java.util.Locale.ROOT);
		}
	}

	private final String task;
	private final PrintWriter lines;
	private final ProgressBar bar;
	private String stage = "";
	private long shown;

	private ConsoleProgress(final String task, final PrintWriter lines, final ProgressBar bar) {
		this.task = task;
		this.lines = lines;
		this.bar = bar;
	}

	/**
	 * Starts the progress display of one image.
	 *
	 * @param err where lines go (the bar always writes to {@link System#err})
	 */
	static ConsoleProgress start(final Mode mode, final String task, final PrintWriter err) {
		final Mode m = mode == Mode.AUTO ? (System.console() != null ? Mode.BAR : Mode.LINES) : mode;
		switch (m) {
			case BAR:
				return new ConsoleProgress(task, null, new ProgressBarBuilder().setTaskName(task).setInitialMax(100)
					.setUnit("%", 1).setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK).setUpdateIntervalMillis(250)
					.build());
			case LINES:
				return new ConsoleProgress(task, err, null);
			default:
				return new ConsoleProgress(task, null, null);
		}
	}

	@Override
	public synchronized void report(final String stageName, final double fraction) {
		final double f = Math.max(0, Math.min(1, fraction));
		if (bar != null) {
			shown = Math.max(shown, Math.round(100 * f)); // stages may report out of order: never go back
			bar.stepTo(shown);
			if (!stageName.equals(stage)) bar.setExtraMessage(stageName);
		}
		else if (lines != null && !stageName.equals(stage)) {
			lines.printf(Locale.ROOT, "%s: %s (%.0f%%)%n", task, stageName, 100 * f);
			lines.flush();
		}
		stage = stageName;
	}

	@Override
	public synchronized void close() {
		if (bar != null) bar.close();
	}
}
