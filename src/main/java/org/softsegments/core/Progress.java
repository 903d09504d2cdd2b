package org.softsegments.core;

/**
 * Progress and cancellation callback of the engine. Stages call {@link #checkpoint} inside
 * every iterative loop; it reports and throws {@link SegmentationCancelledException} once
 * {@link #isCancelled()} turns true. Implementations must be thread-safe.
 */
public interface Progress {

	/** Reports that {@code stage} is {@code fraction} (0…1) done. */
	void report(String stage, double fraction);

	/** True once the caller wants the computation to stop. */
	default boolean isCancelled() {
		return false;
	}

	/** Reports, then throws if cancelled. */
	default void checkpoint(final String stage, final double fraction) {
		if (isCancelled()) throw new SegmentationCancelledException(stage);
		report(stage, fraction);
	}

	/**
	 * A progress for one stage of a pipeline: reports go to {@code outer} under {@code stage},
	 * with the stage's own fraction mapped to {@code from + weight·fraction} of the whole;
	 * cancellation is {@code outer}'s.
	 */
	static Progress stage(final Progress outer, final String stage, final double from, final double weight) {
		return new Progress() {
			@Override
			public void report(final String ignored, final double fraction) {
				outer.report(stage, from + weight * Math.max(0, Math.min(1, fraction)));
			}

			@Override
			public boolean isCancelled() {
				return outer.isCancelled();
			}
		};
	}

	/** A progress sink that ignores reports and is never cancelled. */
	Progress NONE = (stage, fraction) -> {};
}
