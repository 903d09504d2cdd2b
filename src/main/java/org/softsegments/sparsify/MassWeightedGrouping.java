package org.softsegments.sparsify;

import java.util.SplittableRandom;

import org.softsegments.image.PlanarImage;

/**
 * Fast-path variant of the grouping of spec §3.10: the layers' semantic signatures are clustered
 * by k-means in which every layer counts with its <em>mass</em> {@code m_k = Σ_i |α_ik|} (the
 * number of pixels it covers), with several k-means++ replicates, keeping the one of least
 * weighted within-group sum of squares {@code Σ_k m_k ‖g_k − c_{id(k)}‖²}.
 * <p>
 * <b>Deviation from the reference</b> (which weights all layers equally and runs one replicate):
 * a layer of a few dozen pixels with an unusual colour no longer claims a group of its own (the
 * reference then outputs a nearly empty layer while two large regions of similar features share
 * one), and the result no longer hinges on a single random start. Signatures, the sum of the
 * layers of a group and the handling of {@code K' ≤ groups} are those of {@link LayerGrouping}.
 * Deterministic for a seed; no parallelism (K' ≈ 20 points).
 */
public final class MassWeightedGrouping {

	/** k-means++ starts used by the engine's fast path. */
	public static final int REPLICATES = 20;
	/** Lloyd iterations per replicate (as the reference's k-means). */
	static final int MAX_ITERATIONS = 100;

	private MassWeightedGrouping() {}

	/**
	 * Groups {@code layers} ({@code [K'][N]}) into {@code min(groups, K')} layers.
	 *
	 * @param replicates k-means++ starts (≥ 1)
	 * @throws IllegalArgumentException as {@link LayerGrouping#groupWithIds}, or replicates &lt; 1
	 */
	public static LayerGrouping.Result group(final double[][] layers, final PlanarImage features, final int groups,
		final int replicates, final long seed)
	{
		if (replicates < 1) throw new IllegalArgumentException("replicates must be >= 1, got " + replicates);
		if (layers == null || layers.length <= groups) return LayerGrouping.groupWithIds(layers, features, groups, seed);
		final int count = layers.length, dim = features.channels();
		final double[] g = LayerGrouping.signatures(layers, features);
		final double[] mass = new double[count];
		for (int k = 0; k < count; k++) {
			double m = 0;
			for (final double a : layers[k]) m += Math.abs(a);
			mass[k] = m;
		}
		final int[] ids = cluster(g, mass, count, dim, groups, replicates, seed);
		return new LayerGrouping.Result(ids, LayerGrouping.sumGroups(layers, ids, groups));
	}

	/**
	 * Weighted k-means of {@code count} points ({@code points} row-major, {@code dim} columns)
	 * with weights {@code mass} into {@code k} clusters; the labels of the best replicate.
	 */
	static int[] cluster(final double[] points, final double[] mass, final int count, final int dim, final int k,
		final int replicates, final long seed)
	{
		final SplittableRandom random = new SplittableRandom(seed);
		int[] best = null;
		double bestCost = Double.POSITIVE_INFINITY;
		for (int r = 0; r < replicates; r++) {
			final int[] labels = lloyd(points, mass, count, dim, k, seeds(points, mass, count, dim, k, random));
			final double cost = cost(points, mass, count, dim, k, labels);
			if (cost < bestCost) {
				bestCost = cost;
				best = labels;
			}
		}
		return best;
	}

	/** k-means++ with the weights: the next centre drawn with probability ∝ m_j·D(j)². */
	private static double[] seeds(final double[] points, final double[] mass, final int count, final int dim, final int k,
		final SplittableRandom random)
	{
		final double[] centres = new double[k * dim];
		final double[] d2 = new double[count];
		int first = draw(mass, count, random);
		System.arraycopy(points, first * dim, centres, 0, dim);
		for (int j = 0; j < count; j++) d2[j] = distance(points, j, centres, 0, dim);
		for (int c = 1; c < k; c++) {
			final double[] w = new double[count];
			for (int j = 0; j < count; j++) w[j] = mass[j] * d2[j];
			final int next = draw(w, count, random);
			System.arraycopy(points, next * dim, centres, c * dim, dim);
			for (int j = 0; j < count; j++) d2[j] = Math.min(d2[j], distance(points, j, centres, c, dim));
		}
		return centres;
	}

	/** Index drawn with probability ∝ weight (uniform when all weights are 0). */
	private static int draw(final double[] weight, final int count, final SplittableRandom random) {
		double total = 0;
		for (int j = 0; j < count; j++) total += weight[j];
		if (!(total > 0)) return random.nextInt(count);
		double u = random.nextDouble() * total;
		for (int j = 0; j < count; j++) {
			u -= weight[j];
			if (u < 0 && weight[j] > 0) return j;
		}
		for (int j = count - 1; j >= 0; j--) if (weight[j] > 0) return j;
		return count - 1;
	}

	/** Lloyd iterations from the given centres; an emptied cluster takes the point of largest m·D². */
	private static int[] lloyd(final double[] points, final double[] mass, final int count, final int dim, final int k,
		final double[] centres)
	{
		final int[] labels = new int[count];
		java.util.Arrays.fill(labels, -1);
		for (int iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
			boolean changed = false;
			for (int j = 0; j < count; j++) {
				int nearest = 0;
				double dn = Double.POSITIVE_INFINITY;
				for (int c = 0; c < k; c++) {
					final double d = distance(points, j, centres, c, dim);
					if (d < dn) {
						dn = d;
						nearest = c;
					}
				}
				if (labels[j] != nearest) {
					labels[j] = nearest;
					changed = true;
				}
			}
			fillEmpty(points, mass, count, dim, k, labels, centres);
			if (!changed && iteration > 0) break;
			centroids(points, mass, count, dim, k, labels, centres);
		}
		return labels;
	}

	/** A cluster without members gets the point that costs most where it is (singleton). */
	private static void fillEmpty(final double[] points, final double[] mass, final int count, final int dim, final int k,
		final int[] labels, final double[] centres)
	{
		for (int c = 0; c < k; c++) {
			final int[] sizes = new int[k];
			for (final int l : labels) sizes[l]++;
			if (sizes[c] > 0) continue;
			int worst = -1;
			double worstCost = -1;
			for (int j = 0; j < count; j++) {
				if (sizes[labels[j]] < 2) continue;
				final double cost = mass[j] * distance(points, j, centres, labels[j], dim);
				if (cost > worstCost) {
					worstCost = cost;
					worst = j;
				}
			}
			labels[worst] = c;
			System.arraycopy(points, worst * dim, centres, c * dim, dim);
		}
	}

	/** Mass-weighted means (unweighted when a cluster's mass is 0). */
	private static void centroids(final double[] points, final double[] mass, final int count, final int dim, final int k,
		final int[] labels, final double[] centres)
	{
		final double[] sum = new double[k * dim], weight = new double[k], plain = new double[k * dim];
		final int[] sizes = new int[k];
		for (int j = 0; j < count; j++) {
			final int c = labels[j];
			weight[c] += mass[j];
			sizes[c]++;
			for (int d = 0; d < dim; d++) {
				sum[c * dim + d] += mass[j] * points[j * dim + d];
				plain[c * dim + d] += points[j * dim + d];
			}
		}
		for (int c = 0; c < k; c++) {
			for (int d = 0; d < dim; d++) {
				centres[c * dim + d] = weight[c] > 0 ? sum[c * dim + d] / weight[c] : plain[c * dim + d] / sizes[c];
			}
		}
	}

	/** Σ_j m_j ‖x_j − c_{label j}‖² with the clusters' weighted means. */
	static double cost(final double[] points, final double[] mass, final int count, final int dim, final int k,
		final int[] labels)
	{
		final double[] centres = new double[k * dim];
		centroids(points, mass, count, dim, k, labels, centres);
		double total = 0;
		for (int j = 0; j < count; j++) total += mass[j] * distance(points, j, centres, labels[j], dim);
		return total;
	}

	private static double distance(final double[] points, final int j, final double[] centres, final int c,
		final int dim)
	{
		double s = 0;
		for (int d = 0; d < dim; d++) {
			final double t = points[j * dim + d] - centres[c * dim + d];
			s += t * t;
		}
		return s;
	}
}
