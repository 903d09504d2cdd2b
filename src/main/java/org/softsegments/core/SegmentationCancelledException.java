package org.softsegments.core;

import java.util.concurrent.CancellationException;

/** Thrown by {@link Progress#checkpoint} when the caller cancelled the computation. */
public class SegmentationCancelledException extends CancellationException {

	private static final long serialVersionUID = 1L;

	public SegmentationCancelledException(final String stage) {
		super("Semantic soft segmentation cancelled during stage '" + stage + "'");
	}
}
