package org.softsegments.affinity;

import org.apache.commons.math3.special.Erf;
import org.softsegments.linalg.SparseMatrix;

/**
 * Semantic affinity {@code W_S} between adjacent superpixels (spec §3.4, paper "high-level
 * semantic affinity"), placed at pixel level on the superpixels' representative pixels (spec §4).
 * <p>
 * For every adjacent pair {@code (s, t)}: {@code d = ‖F̄_s − F̄_t‖₂} on the superpixels' mean
 * features and {@code a = erf(steepness·((1 − d) − center))} (the reference uses steepness 20,
 * centre 0.85: positive when the mean features are closer than 0.15, negative beyond). The value
 * is placed at {@code (c(s), c(t))}, duplicates summed, exact zeros dropped, then
 * {@code W_S = W + Wᵀ} (bit-for-bit symmetric). Saturated pairs keep their value −1 (strongly
 * repulsive); only exact zeros (d exactly {@code 1 − center}) vanish. erf is Apache Commons
 * Math's {@link Erf#erf(double)} (accurate to a few ulps, exactly ±1 for |x| ≳ 5.92).
 */
public final class SemanticAffinity {

	/** erf steepness of the reference. */
	public static final double DEFAULT_STEEPNESS = 20;

	/** erf centre of the reference. */
	public static final double DEFAULT_CENTER = 0.85;

	private SemanticAffinity() {}

	/**
	 * @param pixelCount matrix size N
	 * @param representative representative pixel c(s) of each superpixel (index x + y·width)
	 * @param pairFirst first superpixel of each adjacent pair (0-based)
	 * @param pairSecond second superpixel of each adjacent pair (0-based, different from the first)
	 * @param meanFeatures S×D mean feature per superpixel (D = 3 in the reference)
	 * @param steepness erf steepness (reference 20)
	 * @param center erf centre (reference 0.85)
	 * @return symmetric N×N affinity with entries only at representative pixels
	 */
	public static SparseMatrix compute(final int pixelCount, final int[] representative, final int[] pairFirst,
		final int[] pairSecond, final double[][] meanFeatures, final double steepness, final double center)
	{
		final int s = SuperpixelPlacement.checkRepresentatives(pixelCount, representative);
		SuperpixelPlacement.checkMeans("Mean features", meanFeatures, s);
		SuperpixelPlacement.checkFinite("Semantic affinity steepness", steepness);
		SuperpixelPlacement.checkFinite("Semantic affinity centre", center);
		if (pairFirst == null || pairSecond == null || pairFirst.length != pairSecond.length) {
			throw new IllegalArgumentException("Adjacent pairs need two arrays of equal length, got " +
				(pairFirst == null ? "null" : pairFirst.length) + " and " + (pairSecond == null ? "null" : pairSecond.length));
		}
		final int m = pairFirst.length;
		final double[] value = new double[m];
		for (int k = 0; k < m; k++) {
			final int a = pairFirst[k], b = pairSecond[k];
			if (a < 0 || a >= s || b < 0 || b >= s) {
				throw new IllegalArgumentException("Adjacent pair " + k + " is (" + a + ", " + b +
					"); superpixel indices must lie in 0.." + (s - 1));
			}
			if (a == b) {
				throw new IllegalArgumentException("Adjacent pair " + k + " joins superpixel " + a +
					" to itself; pairs must join two different superpixels");
			}
			final double d = SuperpixelPlacement.distance(meanFeatures[a], meanFeatures[b]);
			value[k] = Erf.erf(steepness * ((1 - d) - center));
		}
		return SuperpixelPlacement.placeSymmetric(pixelCount, representative, pairFirst, pairSecond, value, m);
	}
}
