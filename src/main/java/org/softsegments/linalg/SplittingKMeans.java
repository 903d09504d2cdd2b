package org.softsegments.linalg;

import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;

import org.softsegments.core.Progress;

/**
 * The hierarchical splitting k-means of the initial hard clustering (spec §3.8, "fastKmeans",
 * inherited from Levin et al.'s Spectral Matting code). Points are a flat row-major
 * {@code double[n·dim]} (point {@code i}, coordinate {@code j} at {@code i·dim + j}); labels are
 * 0-based.
 * <p>
 * Algorithm (spec §3.8 step by step; {@code c} = number of clusters):
 * <ol>
 * <li>{@code c = min(k, startK)}: {@link KMeans} with CLUSTER start, {@code replicates}
 * replicates, {@code maxIterations}, singleton empty action. Keep labels, centroids and the
 * {@code n×c} distance matrix {@code D}.</li>
 * <li>While {@code c < k}, add one cluster: for every cluster ℓ in index order, if it has
 * <em>more than</em> {@code 2·dim} points, its score is the cached one if present, otherwise a
 * 2-means of its points (CLUSTER start, 1 replicate, same iteration limit) gives
 * {@code gain_ℓ = Σ_{x∈ℓ} min_j D(x,j) − Σ_{x∈ℓ} min(squared distance to the two new centres)},
 * which is cached; clusters with at most {@code 2·dim} points score −2. The running maximum starts
 * at −1 and a cluster becomes the candidate only with a strictly greater score. If the winning
 * score came from the cache, the 2-means is run again (a fresh random start) and <em>that</em>
 * split is applied, which may differ from the one that was scored. Points on the first new
 * centre keep label ℓ, the others take the new label {@code c}; centroid ℓ becomes the first new
 * centre and the second is appended. The caches of ℓ and of the new cluster are dropped.</li>
 * <li>If the new count is below {@code refineBelow} (13 in the reference), a global k-means with
 * GIVEN start from the current centroids (1 replicate) recomputes labels, centroids and
 * {@code D}, and every cached score is dropped.</li>
 * </ol>
 * <b>Reproduced quirk.</b> From {@code c = refineBelow} on there is no refinement and {@code D}
 * is <em>not</em> recomputed: scores of clusters created later still use
 * {@code min_j D(x, j)} over the centroids of the last refinement (the {@code c = 12} ones in the
 * reference; the initial ones if no refinement ever ran). It only affects which cluster is split.
 * Since the scores only ever need {@code min_j D(x,j)}, only that per-point minimum is kept.
 * <p>
 * <b>Deviations.</b>
 * <ul>
 * <li>If no cluster can be split (every cluster has at most {@code 2·dim} points, or no score
 * exceeds −1), splitting stops and fewer than {@code k} clusters are returned (the reference
 * fails with an undefined variable there).</li>
 * <li>Random streams differ from MATLAB's, so exact labels differ from the reference (as do two
 * reference runs). Every k-means call draws its seed from one {@link SplittableRandom} built from
 * {@code seed}, in call order, so the result is a deterministic function of the inputs and
 * bit-identical on any number of threads.</li>
 * <li>The CLUSTER subsample of small clusters is clamped to at least 2 points (see
 * {@link KMeans}); MATLAB's 10 % subsample would be too small for clusters under 20 points.</li>
 * </ul>
 */
public final class SplittingKMeans {

	/** Progress stage name. */
	public static final String STAGE = "Initial clustering";

	private SplittingKMeans() {}

	/**
	 * Splitting k-means of spec §3.8 (reference values: {@code startK = 5},
	 * {@code replicates = 7}, {@code maxIterations = 100}, {@code refineBelow = 13}).
	 *
	 * @param points flat row-major {@code n×dim} coordinates (finite)
	 * @param n number of points
	 * @param dim point dimension
	 * @param k number of clusters wanted, 1..n
	 * @param startK number of clusters of the first k-means (clamped to k), ≥ 1
	 * @param replicates replicates of the first k-means, ≥ 1
	 * @param maxIterations iteration limit of every k-means, ≥ 1
	 * @param refineBelow global refinement after a split while the new count is below this
	 * @param seed seed of all random starts
	 * @param progress progress and cancellation (stage {@value #STAGE})
	 * @return labels {@code 0..k'−1} per point, every cluster non-empty; {@code k' = k} unless
	 *         no cluster could be split any more (then {@code k' < k})
	 */
	public static int[] cluster(final double[] points, final int n, final int dim, final int k, final int startK,
		final int replicates, final int maxIterations, final int refineBelow, final long seed, final Progress progress)
	{
		Objects.requireNonNull(progress, "progress");
		if (startK < 1) throw new IllegalArgumentException("startK must be >= 1, got " + startK);
		if (replicates < 1) throw new IllegalArgumentException("replicates must be >= 1, got " + replicates);
		if (maxIterations < 1) throw new IllegalArgumentException("maxIterations must be >= 1, got " + maxIterations);
		if (k < 1) throw new IllegalArgumentException("Number of clusters k must be >= 1, got " + k);
		if (k > n) {
			throw new IllegalArgumentException("Number of clusters k = " + k + " exceeds the number of points n = " + n);
		}
		// inner k-means runs only check for cancellation; this class reports the progress
		final Progress quiet = KMeans.cancellationOnly(progress);
		final SplittableRandom seeds = new SplittableRandom(seed);
		final KMeans.Options base = KMeans.Options.defaults().maxIterations(maxIterations).progress(quiet)
			.computeDistances(true);

		progress.checkpoint(STAGE, 0);
		int count = Math.min(k, startK);
		final KMeans.Result first = KMeans.cluster(points, n, dim, count,
			base.start(KMeans.Start.CLUSTER).replicates(replicates).seed(seeds.nextLong()));
		int[] labels = first.labels().clone();
		final double[] centroids = new double[k * dim];
		System.arraycopy(first.centroids(), 0, centroids, 0, count * dim);
		double[] dMin = rowMin(first.distances(), n, count);

		final double[] cachedGain = new double[k];
		final boolean[] cached = new boolean[k];
		final int minSplitSize = 2 * dim;
		final KMeans.Options twoMeans = base.start(KMeans.Start.CLUSTER).replicates(1);

		while (count < k) {
			progress.checkpoint(STAGE, count / (double) k);
			final int[] sizes = new int[count];
			for (final int l : labels) sizes[l]++;

			double best = -1;
			int bestCluster = -1;
			Split bestSplit = null;
			for (int l = 0; l < count; l++) {
				final double gain;
				Split fresh = null;
				if (sizes[l] > minSplitSize) {
					if (cached[l]) {
						gain = cachedGain[l];
					}
					else {
						fresh = split(points, dim, labels, l, sizes[l], twoMeans.seed(seeds.nextLong()));
						gain = fresh.sumDMin(dMin) - fresh.sse;
						cachedGain[l] = gain;
						cached[l] = true;
					}
				}
				else {
					gain = -2;
				}
				if (gain > best) {
					best = gain;
					bestCluster = l;
					bestSplit = fresh;
				}
			}
			if (bestCluster < 0) break; // nothing can be split: return fewer clusters
			if (bestSplit == null) {
				// the winning score came from the cache: run the 2-means again for the split
				bestSplit = split(points, dim, labels, bestCluster, sizes[bestCluster], twoMeans.seed(seeds.nextLong()));
			}
			final int newLabel = count;
			for (int q = 0; q < bestSplit.members.length; q++) {
				if (bestSplit.labels[q] != 0) labels[bestSplit.members[q]] = newLabel;
			}
			System.arraycopy(bestSplit.centroids, 0, centroids, bestCluster * dim, dim);
			System.arraycopy(bestSplit.centroids, dim, centroids, newLabel * dim, dim);
			cached[bestCluster] = false;
			cached[newLabel] = false;
			count++;

			if (count < refineBelow) {
				final double[] start = new double[count * dim];
				System.arraycopy(centroids, 0, start, 0, count * dim);
				final KMeans.Result r = KMeans.cluster(points, n, dim, count,
					base.givenCentroids(start).replicates(1).seed(seeds.nextLong()));
				labels = r.labels().clone();
				System.arraycopy(r.centroids(), 0, centroids, 0, count * dim);
				dMin = rowMin(r.distances(), n, count);
				Arrays.fill(cached, false);
			}
		}
		progress.checkpoint(STAGE, 1);
		return labels;
	}

	/** A 2-means of the members of one cluster. */
	private static final class Split {
		int[] members;
		int[] labels;
		double[] centroids;
		/** Σ over members of the smaller squared distance to the two new centres. */
		double sse;

		double sumDMin(final double[] dMin) {
			double s = 0;
			for (final int i : members) s += dMin[i];
			return s;
		}
	}

	private static Split split(final double[] points, final int dim, final int[] labels, final int cluster,
		final int size, final KMeans.Options options)
	{
		final int[] members = new int[size];
		final double[] sub = new double[size * dim];
		int m = 0;
		for (int i = 0; i < labels.length; i++) {
			if (labels[i] == cluster) {
				members[m] = i;
				System.arraycopy(points, i * dim, sub, m * dim, dim);
				m++;
			}
		}
		final KMeans.Result r = KMeans.cluster(sub, size, dim, 2, options);
		final Split s = new Split();
		s.members = members;
		s.labels = r.labels();
		s.centroids = r.centroids();
		final double[] d = r.distances();
		double sse = 0;
		for (int q = 0; q < size; q++) sse += Math.min(d[2 * q], d[2 * q + 1]);
		s.sse = sse;
		return s;
	}

	private static double[] rowMin(final double[] d, final int n, final int k) {
		final double[] m = new double[n];
		for (int i = 0; i < n; i++) {
			double v = d[i * k];
			for (int j = 1; j < k; j++) v = Math.min(v, d[i * k + j]);
			m[i] = v;
		}
		return m;
	}
}
