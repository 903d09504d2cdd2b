package org.softsegments.eval;

import java.util.ArrayList;
import java.util.List;

import org.softsegments.image.PlanarImage;

/**
 * Quality of soft layers against an instance map (issue 3, "instance" measures).
 * <p>
 * Instance map: one label per pixel, {@code 0} = not annotated, {@code 1..n} = object instances,
 * {@code 255} = ignore (e.g. COCO crowd regions). Ignored pixels take no part in anything below.
 * For each instance covering at least {@code minCoverage} of the non-ignored pixels, every
 * non-empty subset of the K layers is summed (clamped to [0,1]) and compared with the
 * instance's binary mask by the soft IoU of {@link LayerMatching#softIoU}
 * ({@code Σ min(a,m) / Σ max(a,m)} over the non-ignored pixels); the subset with the largest
 * soft IoU is the instance's best subset. Per case the mean over the instances and the fraction
 * of instances above 0.5 and 0.75 are reported.
 * <p>
 * Implementation: with a binary mask {@code m}, {@code Σ min(a,m) = Σ_{m=1} a} and
 * {@code Σ max(a,m) = |m| + Σ_{m=0} a}, so one pass over the pixels per subset gives the IoU of
 * every instance (equal to {@link LayerMatching#softIoU} up to rounding; the tests check this).
 */
public final class InstanceScores {

	/** Label of ignored pixels. */
	public static final int IGNORE = 255;

	/** Default minimum coverage of an instance: 1 % of the non-ignored pixels. */
	public static final double MIN_COVERAGE = 0.01;

	/**
	 * @param label instance label
	 * @param pixels its pixel count
	 * @param coverage pixels / non-ignored pixels
	 * @param subset bit mask of the best subset
	 * @param iou soft IoU of the best subset
	 */
	public record Instance(int label, int pixels, double coverage, long subset, double iou) {}

	/**
	 * @param instances the scored instances (coverage ≥ the minimum), by label
	 * @param meanIoU mean best-subset soft IoU (NaN when no instance qualifies)
	 * @param above50 fraction of instances with IoU &gt; 0.5 (NaN when none)
	 * @param above75 fraction of instances with IoU &gt; 0.75 (NaN when none)
	 */
	public record Result(List<Instance> instances, double meanIoU, double above50, double above75) {}

	private InstanceScores() {}

	/** {@link #evaluate(PlanarImage, int[], double)} with {@link #MIN_COVERAGE}. */
	public static Result evaluate(final PlanarImage layers, final int[] labels) {
		return evaluate(layers, labels, MIN_COVERAGE);
	}

	/**
	 * Scores {@code layers} against the instance map {@code labels}.
	 *
	 * @param layers K soft layers, 1 ≤ K ≤ 20
	 * @param labels instance label per pixel (0, 1..254, 255 = ignore)
	 * @param minCoverage minimum fraction of the non-ignored pixels an instance must cover
	 * @throws IllegalArgumentException for size mismatches, labels outside 0…255 or K outside 1…20
	 */
	public static Result evaluate(final PlanarImage layers, final int[] labels, final double minCoverage) {
		final int k = layers.channels();
		if (k < 1 || k > 20) throw new IllegalArgumentException("Instance scoring supports 1 to 20 layers, got " + k);
		final int n = layers.pixels();
		if (labels.length != n) {
			throw new IllegalArgumentException("Instance map has " + labels.length + " pixels but the layers have " + n);
		}
		final int[] count = new int[256];
		int valid = 0;
		for (final int l : labels) {
			if (l < 0 || l > 255) throw new IllegalArgumentException("Instance label " + l + " is outside 0…255");
			count[l]++;
			if (l != IGNORE) valid++;
		}
		final List<Integer> scored = new ArrayList<>();
		for (int l = 1; l < IGNORE; l++) {
			if (count[l] > 0 && valid > 0 && count[l] >= minCoverage * valid) scored.add(l);
		}
		final double[] bestIoU = new double[256];
		final long[] bestSubset = new long[256];
		java.util.Arrays.fill(bestIoU, -1);
		if (!scored.isEmpty()) {
			final double[] inside = new double[256];
			for (long subset = 1; subset < (1L << k); subset++) {
				java.util.Arrays.fill(inside, 0);
				double total = 0;
				for (int i = 0; i < n; i++) {
					final int l = labels[i];
					if (l == IGNORE) continue;
					double a = 0;
					for (int c = 0; c < k; c++) if ((subset >> c & 1) != 0) a += layers.plane(c)[i];
					a = a < 0 ? 0 : a > 1 ? 1 : a;
					total += a;
					inside[l] += a;
				}
				for (final int l : scored) {
					final double iou = inside[l] / (count[l] + (total - inside[l]));
					if (iou > bestIoU[l]) {
						bestIoU[l] = iou;
						bestSubset[l] = subset;
					}
				}
			}
		}
		final List<Instance> out = new ArrayList<>();
		double sum = 0;
		int a50 = 0, a75 = 0;
		for (final int l : scored) {
			out.add(new Instance(l, count[l], count[l] / (double) valid, bestSubset[l], bestIoU[l]));
			sum += bestIoU[l];
			if (bestIoU[l] > 0.5) a50++;
			if (bestIoU[l] > 0.75) a75++;
		}
		final int m = out.size();
		return m == 0 ? new Result(List.of(), Double.NaN, Double.NaN, Double.NaN) :
			new Result(List.copyOf(out), sum / m, a50 / (double) m, a75 / (double) m);
	}
}
