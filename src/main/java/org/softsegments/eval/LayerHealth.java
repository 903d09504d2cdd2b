package org.softsegments.eval;

import org.softsegments.image.PlanarImage;

/**
 * Ground-truth-free health numbers of a set of soft layers (issue 3, "layer health"):
 * <ul>
 * <li>{@code maxSumError}, {@code meanSumError}: max and mean over pixels of
 * {@code |Σ_k α_k − 1|} (the layers should sum to one);</li>
 * <li>{@code outOfRange}: fraction of all K·N values outside [{@value #LOW}, {@value #HIGH}];</li>
 * <li>{@code sparsity}: fraction of pixels whose largest layer exceeds {@value #OPAQUE} (most
 * pixels of a good soft segmentation belong almost entirely to one layer);</li>
 * <li>{@code nonEmpty}: number of layers whose maximum exceeds {@value #NON_EMPTY}.</li>
 * </ul>
 */
public final class LayerHealth {

	/** Lower end of the tolerated value range. */
	public static final double LOW = -0.05;
	/** Upper end of the tolerated value range. */
	public static final double HIGH = 1.05;
	/** A pixel is "opaque" in a layer whose value exceeds this. */
	public static final double OPAQUE = 0.9;
	/** A layer is non-empty if its maximum exceeds this. */
	public static final double NON_EMPTY = 0.1;

	/** The numbers; see the class documentation. */
	public record Result(int layers, double maxSumError, double meanSumError, double outOfRange, double sparsity,
		int nonEmpty) {}

	private LayerHealth() {}

	/** Health of {@code layers} (at least one layer, at least one pixel). */
	public static Result of(final PlanarImage layers) {
		final int k = layers.channels(), n = layers.pixels();
		if (k < 1 || n < 1) throw new IllegalArgumentException("Need at least one layer and one pixel, got " + k +
			" layers of " + n + " pixels");
		double maxErr = 0, sumErr = 0;
		long outside = 0;
		int opaque = 0;
		final double[] max = new double[k];
		java.util.Arrays.fill(max, Double.NEGATIVE_INFINITY);
		for (int i = 0; i < n; i++) {
			double s = 0, largest = Double.NEGATIVE_INFINITY;
			for (int c = 0; c < k; c++) {
				final double v = layers.plane(c)[i];
				s += v;
				if (v > largest) largest = v;
				if (v > max[c]) max[c] = v;
				if (!(v >= LOW && v <= HIGH)) outside++;
			}
			final double e = Math.abs(s - 1);
			sumErr += e;
			if (e > maxErr || Double.isNaN(e)) maxErr = e;
			if (largest > OPAQUE) opaque++;
		}
		int nonEmpty = 0;
		for (final double m : max) if (m > NON_EMPTY) nonEmpty++;
		return new Result(k, maxErr, sumErr / n, outside / ((double) k * n), opaque / (double) n, nonEmpty);
	}
}
