package org.softsegments.fiji;

import java.util.function.BooleanSupplier;

import org.scijava.app.StatusService;
import org.softsegments.core.Progress;

import ij.IJ;

/**
 * The engine's {@link Progress} for the Fiji commands: each stage goes to the
 * {@link StatusService} as status text ("prefix: stage") and progress bar (per mille),
 * throttled to one event per change. Cancelled when the command is cancelled, when the thread
 * that runs the command is interrupted (e.g. {@code Future.cancel(true)}), or, in the GUI, when
 * Esc was pressed in ImageJ. Thread-safe: the engine reports from its worker threads.
 */
final class StatusProgress implements Progress {

	private static final int STEPS = 1000;

	private final StatusService status;
	private final String prefix;
	private final Thread caller;
	private final BooleanSupplier cancelled;
	private final boolean escape;
	private String lastStage;
	private int lastStep = -1;

	/**
	 * @param status where to report (may be null)
	 * @param prefix status text prefix
	 * @param caller the thread running the command; its interrupt cancels
	 * @param cancelled the command's cancel flag
	 * @param escape whether Esc in ImageJ 1.x cancels (GUI only)
	 */
	StatusProgress(final StatusService status, final String prefix, final Thread caller,
		final BooleanSupplier cancelled, final boolean escape)
	{
		this.status = status;
		this.prefix = prefix;
		this.caller = caller;
		this.cancelled = cancelled;
		this.escape = escape;
		if (escape) IJ.resetEscape();
	}

	@Override
	public synchronized void report(final String stage, final double fraction) {
		final int step = (int) Math.round(STEPS * Math.max(0, Math.min(1, fraction)));
		if (stage.equals(lastStage) && step == lastStep) return;
		lastStage = stage;
		lastStep = step;
		if (status != null) status.showStatus(step, STEPS, prefix + ": " + stage);
	}

	@Override
	public boolean isCancelled() {
		return cancelled.getAsBoolean() || caller.isInterrupted() || escape && IJ.escapePressed();
	}

	/** Hides the progress bar. */
	void finish() {
		if (status != null) status.showProgress(STEPS, STEPS);
	}
}
