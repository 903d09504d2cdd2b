package org.softsegments.eval;

import java.util.ArrayList;
import java.util.List;

import org.softsegments.image.PlanarImage;

/**
 * Quality of soft layers against a true alpha matte (issue 3, "matting" measures), built on
 * {@link BestSubset}:
 * <ul>
 * <li><b>best subset</b>: over all 2^K sums of layers (each sum clamped to [0,1]), the one with
 * the smallest SAD to the true alpha over the whole image; its SAD and MSE;</li>
 * <li><b>unknown region</b> of each trimap (pixels whose trimap value is 128, i.e. neither
 * 0 = background nor 255 = foreground): SAD and MSE of <em>that same</em> subset on those pixels
 * only (one user choice of layers, measured where matting is hard — the alphamatting.com
 * convention of scoring the unknown region);</li>
 * <li><b>best single layer</b>: the one layer with the smallest SAD over the whole image.</li>
 * </ul>
 * SAD is the plain sum of absolute differences of values in [0,1] (divide by 1000 for the
 * "SAD in thousands" that alphamatting.com reports); MSE is the mean squared difference over the
 * evaluated pixels.
 */
public final class MattingScores {

	/** Trimap value of the unknown region. */
	public static final int UNKNOWN = 128;

	/** Errors of the best subset on one trimap's unknown region. */
	public record Region(String name, double sad, double mse, int pixels) {}

	/**
	 * @param subset bit mask of the best subset (bit k = layer k)
	 * @param sad SAD of the best subset over the whole image
	 * @param mse MSE of the best subset over the whole image
	 * @param unknown the best subset's errors on each trimap's unknown region, in the order given
	 * @param singleLayer index of the best single layer
	 * @param singleSad SAD of the best single layer
	 * @param singleMse MSE of the best single layer
	 */
	public record Result(long subset, double sad, double mse, List<Region> unknown, int singleLayer, double singleSad,
		double singleMse) {}

	/** A named trimap: values 0, 128, 255 (8-bit), one per pixel. */
	public record Trimap(String name, int[] values) {}

	private MattingScores() {}

	/**
	 * Scores {@code layers} against {@code alpha}.
	 *
	 * @param layers K soft layers (1 ≤ K ≤ 20)
	 * @param alpha true alpha in [0,1], one value per pixel
	 * @param trimaps trimaps of the same size (may be empty)
	 * @throws IllegalArgumentException if sizes differ or there are no layers
	 */
	public static Result evaluate(final PlanarImage layers, final float[] alpha, final List<Trimap> trimaps) {
		if (layers.channels() < 1) throw new IllegalArgumentException("Need at least one layer to score");
		if (alpha.length != layers.pixels()) {
			throw new IllegalArgumentException("True alpha has " + alpha.length + " pixels but the layers have " +
				layers.pixels());
		}
		final BestSubset.Match best = BestSubset.find(layers, alpha);
		final List<Region> regions = new ArrayList<>();
		for (final Trimap t : trimaps) {
			if (t.values().length != alpha.length) {
				throw new IllegalArgumentException("Trimap '" + t.name() + "' has " + t.values().length +
					" pixels but the image has " + alpha.length);
			}
			final boolean[] mask = new boolean[alpha.length];
			for (int i = 0; i < mask.length; i++) mask[i] = t.values()[i] == UNKNOWN;
			final BestSubset.Match m = BestSubset.evaluate(layers, best.subset, alpha, mask);
			regions.add(new Region(t.name(), m.sad, m.mse, m.pixels));
		}
		BestSubset.Match single = null;
		int singleLayer = -1;
		for (int k = 0; k < layers.channels(); k++) {
			final BestSubset.Match m = BestSubset.evaluate(layers, 1L << k, alpha, null);
			if (single == null || m.sad < single.sad) {
				single = m;
				singleLayer = k;
			}
		}
		return new Result(best.subset, best.sad, best.mse, List.copyOf(regions), singleLayer, single.sad, single.mse);
	}

	/** The summed layers of {@code subset}, clamped to [0,1] (the matte a user would get). */
	public static float[] matte(final PlanarImage layers, final long subset) {
		final int n = layers.pixels();
		final float[] out = new float[n];
		for (int k = 0; k < layers.channels(); k++) {
			if ((subset >> k & 1) == 0) continue;
			final float[] a = layers.plane(k);
			for (int i = 0; i < n; i++) out[i] += a[i];
		}
		for (int i = 0; i < n; i++) out[i] = out[i] < 0 ? 0 : out[i] > 1 ? 1 : out[i];
		return out;
	}
}
