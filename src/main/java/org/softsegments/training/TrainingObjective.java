package org.softsegments.training;

import java.util.List;

import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The loss a {@link TrainingGraph} minimises: it adds the placeholders for its targets and the
 * scalar loss on the network output of a batch, and turns one batch's targets into feeds.
 * Implementations: {@link DiscriminativeLoss.Objective} (human region labels) and
 * {@link DistillationLoss} (a teacher's per-pixel embeddings).
 */
public interface TrainingObjective {

	/**
	 * True: the loss sees the network on its own output grid
	 * ({@link FeatureArchitecture#forwardAtOutputStride}); false: the output resized to the crop.
	 */
	boolean atOutputStride();

	/**
	 * Adds the target placeholders and the loss.
	 *
	 * @param output the network output, NHWC {@code [batch, height, width, channels]}
	 * @return the loss, a scalar
	 */
	Operand<TFloat32> build(Ops tf, Operand<TFloat32> output, int batch, int height, int width, int channels);

	/** One batch's targets, ready to be fed to the placeholders of the objective that made it. */
	@FunctionalInterface
	interface TargetFeed {

		/** Feeds the targets to {@code runner}; every tensor created is added to {@code owned} (the caller closes them). */
		void feed(Session.Runner runner, List<Tensor> owned);
	}
}
