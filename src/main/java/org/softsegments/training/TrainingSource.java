package org.softsegments.training;

import java.io.IOException;
import java.util.SplittableRandom;

/** A list of labelled images for training or validation. */
public interface TrainingSource {

	/** Number of images. */
	int size();

	/**
	 * Loads image {@code index}; {@code rng} may choose among alternative annotations (for example
	 * one of several human segmentations) and must be the only source of randomness.
	 */
	LabelledImage load(int index, SplittableRandom rng) throws IOException;

	/** A short identifier for logs, e.g. {@code bsds500/100075}. */
	String name(int index);
}
