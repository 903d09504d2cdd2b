package org.softsegments.affinity;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.commons.math3.special.Erf;
import org.softsegments.core.Parallel;
import org.softsegments.core.Progress;
import org.softsegments.linalg.SparseMatrix;

/**
 * Non-local colour affinity {@code W_C} between nearby superpixels (spec §3.5), placed at pixel
 * level on the superpixels' representative pixels (spec §4).
 * <p>
 * Superpixel positions are the representative pixel's 1-based row divided by the image height
 * and 1-based column divided by the width (as in the reference; the offset cancels in
 * differences up to round-off, and keeping it reproduces the reference's threshold decisions).
 * Every pair {@code s < t} whose position distance {@code δ} is at most {@code radius} (the
 * reference uses 0.2) gets {@code (erf(steepness·((1 − d) − center)) + 1)/2} with
 * {@code d = ‖Ī_s − Ī_t‖₂} on the mean colours (reference: steepness 50, centre 0.95). The value
 * is placed at {@code (c(s), c(t))}, duplicates summed, exact zeros dropped (the erf saturates to
 * exactly −1 for colour distances ≳ 0.168 with the reference constants), then
 * {@code W_C = W + Wᵀ} (bit-for-bit symmetric). erf is Apache Commons Math's
 * {@link Erf#erf(double)}.
 * <p>
 * Implementation: superpixels are bucketed into a square grid of cells at least {@code radius}
 * wide, so only pairs in neighbouring cells are examined; pairs are emitted in (s, t) order,
 * so the result does not depend on the number of threads.
 */
public final class ColorAffinity {

	/** erf steepness of the reference. */
	public static final double DEFAULT_STEEPNESS = 50;

	/** erf centre of the reference. */
	public static final double DEFAULT_CENTER = 0.95;

	/** Proximity threshold of the reference (normalised centroid distance). */
	public static final double DEFAULT_RADIUS = 0.2;

	private static final String STAGE = "Colour affinity";

	/** Below this argument {@link Erf#erf(double)} returns exactly −1 (checked by the tests). */
	static final double SATURATED = -6.5;

	private ColorAffinity() {}

	/** {@link #compute(int, int, int[], double[][], double, double, double, Progress)} without progress. */
	public static SparseMatrix compute(final int width, final int height, final int[] representative,
		final double[][] meanColors, final double steepness, final double center, final double radius)
	{
		return compute(width, height, representative, meanColors, steepness, center, radius, Progress.NONE);
	}

	/**
	 * @param width image width
	 * @param height image height
	 * @param representative representative pixel c(s) of each superpixel (index x + y·width)
	 * @param meanColors S×D mean colour per superpixel (RGB in [0, 1] in the reference)
	 * @param steepness erf steepness (reference 50)
	 * @param center erf centre (reference 0.95)
	 * @param radius largest normalised position distance of a connected pair (reference 0.2);
	 *          0 connects only coinciding representatives, +∞ connects all pairs
	 * @param progress progress and cancellation
	 * @return symmetric N×N affinity, N = width·height, with entries only at representative pixels
	 */
	public static SparseMatrix compute(final int width, final int height, final int[] representative,
		final double[][] meanColors, final double steepness, final double center, final double radius,
		final Progress progress)
	{
		if (width <= 0 || height <= 0 || (long) width * height > Integer.MAX_VALUE) {
			throw new IllegalArgumentException("Image size must be positive with at most " + Integer.MAX_VALUE +
				" pixels, got " + width + "×" + height);
		}
		final int n = width * height;
		final int s = SuperpixelPlacement.checkRepresentatives(n, representative);
		SuperpixelPlacement.checkMeans("Mean colours", meanColors, s);
		SuperpixelPlacement.checkFinite("Colour affinity steepness", steepness);
		SuperpixelPlacement.checkFinite("Colour affinity centre", center);
		if (!(radius >= 0)) {
			throw new IllegalArgumentException("Colour affinity radius must be ≥ 0 (or +∞ for all pairs), got " + radius);
		}
		final Progress p = progress == null ? Progress.NONE : progress;
		p.checkpoint(STAGE, 0);

		final double[] row = new double[s], col = new double[s];
		for (int i = 0; i < s; i++) {
			row[i] = (representative[i] / width + 1) / (double) height;
			col[i] = (representative[i] % width + 1) / (double) width;
		}

		// Grid of cells at least radius wide (slightly wider, so that any pair within radius lies
		// in the same or adjacent cells despite round-off); at most 513 cells per axis.
		final double cellSize = Math.max(radius * (1 + 1e-9), 1.0 / 512);
		final int cells = (int) Math.floor(1 / cellSize) + 1;
		final int[] cellRow = new int[s], cellCol = new int[s];
		final int[] cellStart = new int[cells * cells + 1];
		for (int i = 0; i < s; i++) {
			cellRow[i] = Math.min(cells - 1, (int) (row[i] / cellSize));
			cellCol[i] = Math.min(cells - 1, (int) (col[i] / cellSize));
			cellStart[cellRow[i] * cells + cellCol[i] + 1]++;
		}
		for (int c = 0; c < cells * cells; c++) cellStart[c + 1] += cellStart[c];
		final int[] members = new int[s];
		final int[] fill = Arrays.copyOf(cellStart, cells * cells);
		for (int i = 0; i < s; i++) members[fill[cellRow[i] * cells + cellCol[i]]++] = i;

		final int grain = 32;
		final int chunks = (s + grain - 1) / grain;
		final int[][] chunkSecond = new int[chunks][];
		final double[][] chunkValue = new double[chunks][];
		final int[][] chunkFirst = new int[chunks][];
		final int[] chunkCount = new int[chunks];
		final AtomicInteger done = new AtomicInteger();
		Parallel.forRange(s, grain, (s0, s1) -> {
			final int chunk = s0 / grain;
			int[] first = new int[64], second = new int[64];
			double[] value = new double[64];
			int count = 0;
			int[] candidates = new int[64];
			for (int a = s0; a < s1; a++) {
				int nc = 0;
				for (int cr = Math.max(0, cellRow[a] - 1); cr <= Math.min(cells - 1, cellRow[a] + 1); cr++) {
					for (int cc = Math.max(0, cellCol[a] - 1); cc <= Math.min(cells - 1, cellCol[a] + 1); cc++) {
						final int cell = cr * cells + cc;
						for (int k = cellStart[cell]; k < cellStart[cell + 1]; k++) {
							final int b = members[k];
							if (b <= a) continue;
							if (nc == candidates.length) candidates = Arrays.copyOf(candidates, 2 * nc);
							candidates[nc++] = b;
						}
					}
				}
				Arrays.sort(candidates, 0, nc);
				for (int k = 0; k < nc; k++) {
					final int b = candidates[k];
					final double dr = row[a] - row[b], dc = col[a] - col[b];
					if (Math.sqrt(dr * dr + dc * dc) > radius) continue;
					final double d = SuperpixelPlacement.distance(meanColors[a], meanColors[b]);
					final double x = steepness * ((1 - d) - center);
					// erf(x) is exactly −1 for x ≤ −5.92 in double precision: skip the (slow) call
					final double v = x <= SATURATED ? 0 : (Erf.erf(x) + 1) / 2;
					if (v == 0) continue;
					if (count == first.length) {
						first = Arrays.copyOf(first, 2 * count);
						second = Arrays.copyOf(second, 2 * count);
						value = Arrays.copyOf(value, 2 * count);
					}
					first[count] = a;
					second[count] = b;
					value[count] = v;
					count++;
				}
			}
			chunkFirst[chunk] = first;
			chunkSecond[chunk] = second;
			chunkValue[chunk] = value;
			chunkCount[chunk] = count;
			p.checkpoint(STAGE, 0.9 * done.addAndGet(s1 - s0) / s);
		});

		int total = 0;
		for (final int c : chunkCount) total += c;
		final int[] first = new int[total], second = new int[total];
		final double[] value = new double[total];
		for (int c = 0, o = 0; c < chunks; c++) {
			System.arraycopy(chunkFirst[c], 0, first, o, chunkCount[c]);
			System.arraycopy(chunkSecond[c], 0, second, o, chunkCount[c]);
			System.arraycopy(chunkValue[c], 0, value, o, chunkCount[c]);
			o += chunkCount[c];
		}
		final SparseMatrix result = SuperpixelPlacement.placeSymmetric(n, representative, first, second, value, total);
		p.checkpoint(STAGE, 1);
		return result;
	}
}
