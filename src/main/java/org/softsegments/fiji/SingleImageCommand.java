package org.softsegments.fiji;

import java.util.Locale;

import org.scijava.ItemIO;
import org.scijava.app.StatusService;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.ui.DialogPrompt.MessageType;
import org.scijava.ui.UIService;
import org.softsegments.core.Progress;
import org.softsegments.core.SegmentationCancelledException;

import ij.ImagePlus;

/**
 * What the commands on the active image ({@link SemanticSoftSegmentsCommand},
 * {@link RegroupSoftSegmentsCommand}) share around their work: the services, stage progress to the
 * {@link StatusService} ({@link StatusProgress}), the outputs ({@code layers}, and on request
 * {@code visualization_image} and {@code rgba_image}), errors and cancellation.
 * <ul>
 * <li>Errors: an {@link IllegalArgumentException} (bad input or settings) or
 * {@link IllegalStateException} (e.g. a feature network that cannot run here) propagates headless
 * (the module fails); in the GUI it is shown in an error dialog and the command is cancelled.</li>
 * <li>Cancellation: {@link #cancel(String)}, interrupting the thread that runs the command, or Esc in
 * the ImageJ GUI is seen by the engine at its next progress checkpoint; the command then ends
 * without output and reports itself cancelled.</li>
 * </ul>
 */
abstract class SingleImageCommand extends CancelableCommand {

	@Parameter
	StatusService status;

	@Parameter
	LogService log;

	@Parameter(required = false)
	UIService ui;

	@Parameter(type = ItemIO.OUTPUT, label = "Soft segments")
	ImagePlus layers;

	@Parameter(type = ItemIO.OUTPUT, label = "Soft segments visualisation", required = false)
	ImagePlus visualization_image;

	@Parameter(type = ItemIO.OUTPUT, label = "Unmixed RGBA layers", required = false)
	ImagePlus rgba_image;

	/** Status-bar and log prefix. */
	abstract String name();

	/**
	 * The command's work: sets the outputs (none when cancelled).
	 *
	 * @param t0 {@link System#nanoTime()} at the start
	 */
	abstract void compute(StatusProgress progress, long t0);

	/** Called at the end whatever happened (e.g. to close a network). */
	void release() {}

	@Override
	public final void run() {
		clearOutputs();
		final long t0 = System.nanoTime();
		final StatusProgress progress = new StatusProgress(status, name(), Thread.currentThread(), this::isCanceled,
			!headless());
		try {
			compute(progress, t0);
			if (isCanceled()) clearOutputs();
		}
		catch (final SegmentationCancelledException e) {
			clearOutputs();
			if (!isCanceled()) cancel(e.getMessage());
			status.showStatus(name() + ": cancelled");
		}
		catch (final IllegalArgumentException | IllegalStateException e) {
			// bad input or settings; a feature network that cannot run here (its message says why and what to do)
			clearOutputs();
			if (headless()) throw e;
			ui.showDialog(e.getMessage(), name(), MessageType.ERROR_MESSAGE);
			cancel(e.getMessage());
		}
		finally {
			release();
			progress.finish();
		}
	}

	/**
	 * Sets the outputs from {@code result} unless cancelled: {@code layers}, with {@code vis} the
	 * colour composite, with {@code rgba} the unmixed RGBA layers ({@link UnmixedLayers}); logs the
	 * result's notes and shows the status line.
	 *
	 * @return whether the outputs were set (false when cancelled)
	 */
	boolean publish(final HyperstackConverter.Segmentation result, final boolean vis, final boolean rgba,
		final Progress progress, final long t0)
	{
		for (final String note : result.notes()) log.info(name() + ": " + note);
		if (isCanceled()) return false;
		final ImagePlus v = vis ? result.visualization() : null;
		final ImagePlus r = rgba ? UnmixedLayers.of(result, progress) : null;
		layers = result.layers();
		visualization_image = v;
		rgba_image = r;
		status.showStatus(String.format(Locale.ROOT, "%s: %d layers in %.1f s", name(), layers.getNChannels(), (System
			.nanoTime() - t0) * 1e-9));
		return true;
	}

	private void clearOutputs() {
		layers = null;
		visualization_image = null;
		rgba_image = null;
	}

	boolean headless() {
		return ui == null || ui.isHeadless();
	}
}
