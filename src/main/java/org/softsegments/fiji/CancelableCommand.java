package org.softsegments.fiji;

import org.scijava.Cancelable;
import org.scijava.command.Command;

/**
 * A command that can be cancelled, the state the plugin's commands share: {@link #cancel(String)}
 * may come from another thread (the GUI, a script), so the reason is volatile, and a cancellation
 * without a reason still counts ("cancelled").
 */
abstract class CancelableCommand implements Command, Cancelable {

	private volatile String cancelReason;

	@Override
	public boolean isCanceled() {
		return cancelReason != null;
	}

	@Override
	public void cancel(final String reason) {
		cancelReason = reason == null ? "cancelled" : reason;
	}

	@Override
	public String getCancelReason() {
		return cancelReason;
	}
}
