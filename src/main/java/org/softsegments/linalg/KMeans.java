package org.softsegments.linalg;

import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;

import org.softsegments.core.Parallel;
import org.softsegments.core.Progress;

/**
 * Batch (Lloyd) k-means with squared Euclidean distance and the option semantics of MATLAB's
 * {@code kmeans} that the reference relies on (spec §3.8 last paragraph, §3.10, §5.2).
 * <p>
 * <b>Data layout.</b> Points are a flat row-major {@code double[n·dim]}: coordinate {@code j} of
 * point {@code i} is {@code points[i·dim + j]}. Centroids use the same layout
 * ({@code k·dim}); the optional distance matrix is row-major {@code n×k}
 * ({@code distances[i·k + j]} = squared distance from point {@code i} to centroid {@code j}).
 * Labels are 0-based.
 * <p>
 * <b>Semantics reproduced.</b>
 * <ul>
 * <li>Start {@link Start#SAMPLE}: k distinct random points. {@link Start#CLUSTER}: a preliminary
 * k-means (SAMPLE start, 1 replicate, same iteration limit and empty action) on a random 10 %
 * subsample, whose centroids start the main run. {@link Start#PLUS}: k-means++ (first centroid
 * uniform, each next one drawn with probability proportional to the squared distance to the
 * nearest chosen centroid). {@link Start#GIVEN}: the caller's centroids.</li>
 * <li>Initial assignment to the nearest centroid (ties: lowest index). Each iteration: centroids
 * := member means; empty clusters handled by {@code EmptyAction = 'singleton'}: in increasing
 * cluster order, the point farthest from its own centroid (lowest index on ties) leaves its
 * cluster and becomes the empty cluster's centroid (if that point was alone, the first point of
 * the first cluster with ≥ 2 members is taken instead), and the donor's centroid is recomputed;
 * then every point moves to its nearest centroid only if that is <em>strictly</em> nearer than
 * its current one (ties favour not moving; among equally near others the lowest index).</li>
 * <li>Convergence when no point moves; at most {@code maxIterations} centroid updates. Like
 * MATLAB, if the total within-cluster SSE after a centroid update did not decrease compared to
 * the previous iteration (possible only through rounding), the last reassignment is undone and
 * the run stops.</li>
 * <li>Replicates: independent runs drawing their starts one after another from one random
 * stream; the run with the lowest total SSE wins (the first one on ties).</li>
 * </ul>
 * <b>Determinism.</b> All randomness comes from a {@link SplittableRandom} built from
 * {@link Options#seed(long)}. The assignment step runs in parallel through {@link Parallel};
 * centroid sums, SSE totals and the farthest-point search are reduced over fixed chunks of
 * {@value #GRAIN} points in chunk order, so results are bit-identical on any number of threads.
 * <p>
 * <b>Speed.</b> The assignment step skips points that provably cannot move (Hamerly's distance
 * bounds with a safety margin far above rounding, see {@code Lloyd}); the skipped comparisons
 * could not have changed any label, so results are bit-identical to plain Lloyd iterations
 * (tested against the brute-force path).
 * <p>
 * <b>Deviations from MATLAB.</b> The random streams differ from MATLAB's, so labels on real data
 * differ from MATLAB runs (the authors acknowledge run-to-run variation too). Points with NaN or
 * infinite coordinates are rejected (MATLAB silently drops NaN rows). The CLUSTER subsample has
 * {@code max(k, floor(0.1·n))} points (MATLAB uses {@code floor(0.1·n)} and fails when that is
 * smaller than k, which happens for the 2-means splits of clusters with fewer than 20 points in
 * spec §3.8). k-means++ with all remaining distances zero (fewer distinct points than k) picks
 * the next centroid uniformly. GIVEN starts accept only 1 replicate. Distances are evaluated as
 * {@code Σ_j (x_j − c_j)²}; no online (single-point) update phase, as in MATLAB's default.
 */
public final class KMeans {

	/** Points per chunk of the parallel loops and of the fixed-order reductions. */
	static final int GRAIN = 8192;

	/** Every REFRESH-th iteration compares every point with every centroid (see Lloyd). */
	private static final int REFRESH = 32;

	private static final String STAGE = "k-means";

	private KMeans() {}

	/** How the initial centroids are chosen (MATLAB option {@code 'Start'}). */
	public enum Start {
		/** {@code 'sample'}: k distinct points chosen uniformly at random. */
		SAMPLE,
		/** {@code 'cluster'}: preliminary SAMPLE-started k-means on a random 10 % subsample. */
		CLUSTER,
		/** {@code 'plus'}: k-means++ seeding (MATLAB's default). */
		PLUS,
		/** A numeric start: the centroids given by {@link Options#givenCentroids(double[])}. */
		GIVEN
	}

	/**
	 * Immutable options; start from {@link #defaults()} (MATLAB defaults: PLUS start, 100
	 * iterations, 1 replicate; empty action is always singleton) and derive with the withers.
	 */
	public static final class Options {

		private final Start start;
		private final double[] given;
		private final int maxIterations;
		private final int replicates;
		private final long seed;
		private final boolean distances;
		private final Progress progress;

		private Options(final Start start, final double[] given, final int maxIterations, final int replicates,
			final long seed, final boolean distances, final Progress progress)
		{
			this.start = start;
			this.given = given;
			this.maxIterations = maxIterations;
			this.replicates = replicates;
			this.seed = seed;
			this.distances = distances;
			this.progress = progress;
		}

		/** PLUS start, 100 iterations, 1 replicate, seed 0, no distance matrix, no progress. */
		public static Options defaults() {
			return new Options(Start.PLUS, null, 100, 1, 0L, false, Progress.NONE);
		}

		/** Start mode SAMPLE, CLUSTER or PLUS (use {@link #givenCentroids} for GIVEN). */
		public Options start(final Start s) {
			Objects.requireNonNull(s, "start");
			if (s == Start.GIVEN) {
				throw new IllegalArgumentException("Start GIVEN needs centroids: use givenCentroids(double[])");
			}
			return new Options(s, null, maxIterations, replicates, seed, distances, progress);
		}

		/** GIVEN start from the row-major {@code k×dim} centroids (copied when the run starts). */
		public Options givenCentroids(final double[] centroids) {
			Objects.requireNonNull(centroids, "centroids");
			return new Options(Start.GIVEN, centroids, maxIterations, replicates, seed, distances, progress);
		}

		/** Maximum number of centroid updates per run (MATLAB {@code 'MaxIter'}), ≥ 1. */
		public Options maxIterations(final int m) {
			if (m < 1) throw new IllegalArgumentException("maxIterations must be >= 1, got " + m);
			return new Options(start, given, m, replicates, seed, distances, progress);
		}

		/** Number of independent runs, best by total SSE (MATLAB {@code 'Replicates'}), ≥ 1. */
		public Options replicates(final int r) {
			if (r < 1) throw new IllegalArgumentException("replicates must be >= 1, got " + r);
			return new Options(start, given, maxIterations, r, seed, distances, progress);
		}

		/** Seed of the random stream used by the starts. */
		public Options seed(final long s) {
			return new Options(start, given, maxIterations, replicates, s, distances, progress);
		}

		/** Whether the result carries the {@code n×k} squared-distance matrix. */
		public Options computeDistances(final boolean d) {
			return new Options(start, given, maxIterations, replicates, seed, d, progress);
		}

		/** Progress sink (stage "k-means"); checked once per iteration. */
		public Options progress(final Progress p) {
			return new Options(start, given, maxIterations, replicates, seed, distances,
				Objects.requireNonNull(p, "progress"));
		}

		public Start start() {
			return start;
		}

		public int maxIterations() {
			return maxIterations;
		}

		public int replicates() {
			return replicates;
		}

		public long seed() {
			return seed;
		}

		public boolean computeDistances() {
			return distances;
		}
	}

	/**
	 * Outcome of the best replicate.
	 *
	 * @param labels 0-based cluster of each point (length n); every cluster is non-empty
	 * @param centroids row-major {@code k×dim} member means
	 * @param k number of clusters
	 * @param dim point dimension
	 * @param distances row-major {@code n×k} squared distances to the final centroids, or null
	 *        if not requested
	 * @param sse total within-cluster sum of squared distances
	 * @param iterations centroid updates done by the best replicate
	 * @param converged true if the assignments stopped changing (false when stopped by the
	 *        iteration limit or by the no-decrease safeguard)
	 * @param replicateSse total SSE of every replicate, in run order ({@code sse} is the first
	 *        minimum)
	 */
	public record Result(int[] labels, double[] centroids, int k, int dim, double[] distances, double sse,
		int iterations, boolean converged, double[] replicateSse)
	{

		/** Number of points in each cluster. */
		public int[] sizes() {
			final int[] s = new int[k];
			for (final int l : labels) s[l]++;
			return s;
		}
	}

	/**
	 * Clusters {@code n} points of dimension {@code dim} (flat row-major, see class doc) into
	 * {@code k} clusters.
	 *
	 * @throws IllegalArgumentException if {@code k < 1}, {@code k > n}, the array length is not
	 *         {@code n·dim}, a coordinate is NaN or infinite, or GIVEN centroids have the wrong
	 *         length, are not finite, or are combined with more than 1 replicate
	 */
	public static Result cluster(final double[] points, final int n, final int dim, final int k, final Options options) {
		return cluster(points, n, dim, k, options, true);
	}

	/**
	 * As {@link #cluster(double[], int, int, int, Options)}; {@code bounds = false} disables the
	 * distance bounds and evaluates every point against every centroid in every iteration (for
	 * tests: both must give bit-identical results).
	 */
	static Result cluster(final double[] points, final int n, final int dim, final int k, final Options options,
		final boolean bounds)
	{
		Objects.requireNonNull(options, "options");
		validate(points, n, dim, k);
		if (options.start == Start.GIVEN) {
			if (options.given.length != (long) k * dim) {
				throw new IllegalArgumentException("Given centroids must hold k·dim = " + k + "·" + dim + " = " + (k * dim)
					+ " values (row-major), got " + options.given.length);
			}
			for (int i = 0; i < options.given.length; i++) {
				if (!Double.isFinite(options.given[i])) {
					throw new IllegalArgumentException("Given centroid " + (i / dim) + " has a non-finite coordinate "
						+ options.given[i]);
				}
			}
			if (options.replicates != 1) {
				throw new IllegalArgumentException("A GIVEN start allows only 1 replicate, got " + options.replicates);
			}
		}
		if (options.distances && (long) n * k > Integer.MAX_VALUE - 8) {
			throw new IllegalArgumentException("The n×k distance matrix is too large: n·k = " + ((long) n * k));
		}
		final double[] box = box(points, n, dim);
		final SplittableRandom rng = new SplittableRandom(options.seed);
		Run best = null;
		final double[] replicateSse = new double[options.replicates];
		for (int r = 0; r < options.replicates; r++) {
			final double[] start = startCentroids(points, n, dim, k, options, rng, box, bounds);
			final Run run = new Lloyd(points, n, dim, k, start, box, bounds).run(options.maxIterations, options.progress,
				r, options.replicates);
			replicateSse[r] = run.sse;
			if (best == null || run.sse < best.sse) best = run;
		}
		final double[] d = options.distances ? distanceMatrix(points, n, dim, k, best.centroids) : null;
		return new Result(best.labels, best.centroids, k, dim, d, best.sse, best.iterations, best.converged,
			replicateSse);
	}

	/** A progress that reports nothing but passes on cancellation (for nested runs). */
	static Progress cancellationOnly(final Progress progress) {
		return new Progress() {

			@Override
			public void report(final String stage, final double fraction) {}

			@Override
			public boolean isCancelled() {
				return progress.isCancelled();
			}
		};
	}

	/** Total within-cluster SSE of a partition (centroids = member means), summed in a fixed order. */
	public static double sse(final double[] points, final int n, final int dim, final int[] labels, final int k) {
		validate(points, n, dim, k);
		if (labels.length != n) throw new IllegalArgumentException("labels must have n = " + n + " entries");
		for (final int l : labels) {
			if (l < 0 || l >= k) throw new IllegalArgumentException("label " + l + " outside 0.." + (k - 1));
		}
		final double[] c = new double[k * dim];
		centroids(points, n, dim, k, labels, c, new int[k]);
		return ownSse(points, n, dim, k, c, labels);
	}

	// ---------------------------------------------------------------------------------------
	// one run

	private static final class Run {
		int[] labels;
		double[] centroids;
		double sse;
		int iterations;
		boolean converged;
	}

	/**
	 * One Lloyd run. With {@code bounds}, every point keeps a lower bound on its Euclidean
	 * distance to the nearest centroid other than its own (Hamerly 2010), decreased by the
	 * centroid displacements of each iteration; a point whose exact own distance, plus a safety
	 * margin {@code eps} far above rounding errors, stays below that bound (or below half the
	 * distance from its centroid to the nearest other centroid) cannot have a strictly nearer
	 * centroid and is not compared with the others. Every other point is compared with all
	 * centroids exactly as without bounds, so labels, centroids and SSE are bit-identical to
	 * the brute-force iteration; every {@value #REFRESH}-th iteration is brute force to stop
	 * rounding in the bounds from accumulating.
	 */
	private static final class Lloyd {

		private final double[] x;
		private final int n, dim, k;
		private final boolean bounds;
		private final double eps;
		private final double[] c;
		private final double[] cPrev;
		private final double[] lower;
		private final int[] counts;
		/** Per-chunk member sums and counts of the labels of the last assignment pass. */
		private final double[][] sums;
		private final int[][] cnt;
		private int[] labels, next, prev;

		Lloyd(final double[] x, final int n, final int dim, final int k, final double[] start, final double[] box,
			final boolean bounds)
		{
			this.x = x;
			this.n = n;
			this.dim = dim;
			this.k = k;
			this.bounds = bounds;
			this.c = start;
			this.cPrev = start.clone();
			this.lower = new double[n];
			this.counts = new int[k];
			this.labels = new int[n];
			this.next = new int[n];
			this.prev = new int[n];
			this.sums = new double[chunks(n)][k * dim];
			this.cnt = new int[chunks(n)][k];
			// margin: bounds box of points and start centroids, and the largest magnitude
			final double[] b = box.clone();
			for (int j = 0; j < k; j++) {
				for (int t = 0; t < dim; t++) {
					b[2 * t] = Math.min(b[2 * t], start[j * dim + t]);
					b[2 * t + 1] = Math.max(b[2 * t + 1], start[j * dim + t]);
				}
			}
			double diam2 = 0, mag = 0;
			for (int t = 0; t < dim; t++) {
				diam2 += (b[2 * t + 1] - b[2 * t]) * (b[2 * t + 1] - b[2 * t]);
				mag = Math.max(mag, Math.max(Math.abs(b[2 * t]), Math.abs(b[2 * t + 1])));
			}
			this.eps = 1e-9 * Math.max(Math.sqrt(diam2), mag);
		}

		Run run(final int maxIterations, final Progress progress, final int replicate, final int replicates) {
			assignAll();
			double prevSse = Double.POSITIVE_INFINITY;
			int iter = 0;
			boolean converged = false;
			while (true) {
				progress.checkpoint(STAGE, (replicate + Math.min(1.0, iter / (double) maxIterations)) / replicates);
				iter++;
				finish(sums, cnt, k, dim, c, counts); // = centroids(x, n, dim, k, labels, c, counts)
				singleton();
				final long[] moved = new long[1];
				final double sse = pass(moved, bounds && iter % REFRESH != 0);
				if (prevSse <= sse) {
					// no decrease (rounding): undo the last reassignment and stop, as MATLAB does
					final int[] t = labels;
					labels = prev;
					prev = t;
					centroids(x, n, dim, k, labels, c, counts);
					iter--;
					break;
				}
				if (iter >= maxIterations) break;
				if (moved[0] == 0) {
					converged = true;
					break;
				}
				prevSse = sse;
				final int[] t = prev;
				prev = labels;
				labels = next;
				next = t;
			}
			final Run run = new Run();
			run.labels = labels;
			run.centroids = c;
			run.sse = ownSse(x, n, dim, k, c, labels);
			run.iterations = iter;
			run.converged = converged;
			return run;
		}

		/** Initial assignment: nearest centroid, lowest index on ties; initialises the bounds. */
		private void assignAll() {
			Parallel.forRange(chunks(n), 1, (c0, c1) -> {
				final double[] two = new double[2];
				for (int ch = c0; ch < c1; ch++) {
					final double[] sm = sums[ch];
					final int[] ct = cnt[ch];
					final int s = ch * GRAIN, e = Math.min(n, s + GRAIN);
					for (int i = s; i < e; i++) {
						final int best = twoNearest(x, i * dim, c, k, dim, two);
						labels[i] = best;
						lower[i] = Math.sqrt(two[1]);
						add(x, i, best, dim, sm, ct);
					}
				}
			});
		}

		/** EmptyAction 'singleton' (see class doc); modifies labels, counts and centroids. */
		private void singleton() {
			for (int empty = 0; empty < k; empty++) {
				if (counts[empty] != 0) continue;
				int lonely = farthest(x, n, dim, c, labels);
				int from = labels[lonely];
				if (counts[from] < 2) {
					from = -1;
					for (int j = 0; j < k; j++) {
						if (counts[j] > 1) {
							from = j;
							break;
						}
					}
					for (int i = 0; i < n; i++) {
						if (labels[i] == from) {
							lonely = i;
							break;
						}
					}
				}
				labels[lonely] = empty;
				lower[lonely] = Double.NEGATIVE_INFINITY; // own cluster changed: bound void
				// recompute every centroid: unchanged clusters get bit-identical means again
				centroids(x, n, dim, k, labels, c, counts);
			}
		}

		/**
		 * One pass: returns the SSE of the current labels with the current centroids, writes the
		 * proposed labels (move only if strictly nearer) to {@code next}, the number of moved
		 * points to {@code moved[0]}, and updates the bounds.
		 */
		private double pass(final long[] moved, final boolean useBounds) {
			// centroid displacements since the last pass: largest and second largest
			double max1 = 0, max2 = 0;
			int arg1 = -1;
			final double[] half = new double[k];
			if (useBounds) {
				for (int j = 0; j < k; j++) {
					final double d = Math.sqrt(dist(c, j * dim, cPrev, j * dim, dim));
					if (d > max1) {
						max2 = max1;
						max1 = d;
						arg1 = j;
					}
					else if (d > max2) {
						max2 = d;
					}
				}
				for (int j = 0; j < k; j++) {
					double m = Double.POSITIVE_INFINITY;
					for (int q = 0; q < k; q++) {
						if (q != j) m = Math.min(m, dist(c, j * dim, c, q * dim, dim));
					}
					half[j] = 0.5 * Math.sqrt(m);
				}
			}
			final double shiftOwnMax = max2, shiftOther = max1;
			final int argShift = arg1;
			final int chunks = chunks(n);
			final double[] sse = new double[chunks];
			final int[] mv = new int[chunks];
			Parallel.forRange(chunks, 1, (c0, c1) -> {
				final double[] two = new double[2];
				for (int ch = c0; ch < c1; ch++) {
					final int s = ch * GRAIN, e = Math.min(n, s + GRAIN);
					final double[] sm = sums[ch];
					final int[] ct = cnt[ch];
					Arrays.fill(sm, 0);
					Arrays.fill(ct, 0);
					double part = 0;
					int m = 0;
					for (int i = s; i < e; i++) {
						final int own = labels[i];
						final double dOwn;
						if (dim == 3) {
							final int xo = 3 * i, co = 3 * own;
							final double a = x[xo] - c[co], b = x[xo + 1] - c[co + 1], d = x[xo + 2] - c[co + 2];
							dOwn = a * a + b * b + d * d; // bit-identical to dist()
						}
						else {
							dOwn = dist(x, i * dim, c, own * dim, dim);
						}
						part += dOwn;
						int label = own;
						boolean skip = false;
						if (useBounds) {
							final double l = lower[i] - (own == argShift ? shiftOwnMax : shiftOther);
							final double r = Math.sqrt(dOwn) + eps;
							if (r < l || r < half[own]) {
								lower[i] = l;
								skip = true;
							}
						}
						if (!skip) {
							final int best = twoNearest(x, i * dim, c, k, dim, two);
							if (two[0] < dOwn) {
								label = best;
								lower[i] = Math.sqrt(two[1]);
								m++;
							}
							else {
								lower[i] = Math.sqrt(best == own ? two[1] : two[0]);
							}
						}
						next[i] = label;
						add(x, i, label, dim, sm, ct);
					}
					sse[ch] = part;
					mv[ch] = m;
				}
			});
			System.arraycopy(c, 0, cPrev, 0, c.length);
			double total = 0;
			long m = 0;
			for (int ch = 0; ch < chunks; ch++) {
				total += sse[ch];
				m += mv[ch];
			}
			moved[0] = m;
			return total;
		}
	}

	/**
	 * Index of the nearest centroid (lowest index on ties); {@code two[0]} = its squared
	 * distance, {@code two[1]} = the smallest squared distance among the other centroids
	 * (+∞ if k = 1). Distances are bit-identical to {@link #dist}.
	 */
	private static int twoNearest(final double[] x, final int xo, final double[] c, final int k, final int dim,
		final double[] two)
	{
		double best = Double.POSITIVE_INFINITY, second = Double.POSITIVE_INFINITY;
		int arg = 0;
		if (dim == 3) {
			final double x0 = x[xo], x1 = x[xo + 1], x2 = x[xo + 2];
			for (int j = 0, co = 0; j < k; j++, co += 3) {
				final double a = x0 - c[co], b = x1 - c[co + 1], e = x2 - c[co + 2];
				final double d = a * a + b * b + e * e;
				if (d < best) {
					second = best;
					best = d;
					arg = j;
				}
				else if (d < second) {
					second = d;
				}
			}
		}
		else {
			for (int j = 0; j < k; j++) {
				final double d = dist(x, xo, c, j * dim, dim);
				if (d < best) {
					second = best;
					best = d;
					arg = j;
				}
				else if (d < second) {
					second = d;
				}
			}
		}
		two[0] = best;
		two[1] = second;
		return arg;
	}

	/** Bounding box of the points: {@code [min_0, max_0, min_1, max_1, …]}. */
	private static double[] box(final double[] x, final int n, final int dim) {
		final double[] b = new double[2 * dim];
		for (int t = 0; t < dim; t++) {
			b[2 * t] = Double.POSITIVE_INFINITY;
			b[2 * t + 1] = Double.NEGATIVE_INFINITY;
		}
		for (int i = 0; i < n; i++) {
			for (int t = 0; t < dim; t++) {
				final double v = x[i * dim + t];
				if (v < b[2 * t]) b[2 * t] = v;
				if (v > b[2 * t + 1]) b[2 * t + 1] = v;
			}
		}
		return b;
	}

	// ---------------------------------------------------------------------------------------
	// starts

	private static double[] startCentroids(final double[] x, final int n, final int dim, final int k,
		final Options o, final SplittableRandom rng, final double[] box, final boolean bounds)
	{
		switch (o.start) {
			case GIVEN:
				return o.given.clone();
			case SAMPLE:
				return sample(x, n, dim, k, rng);
			case PLUS:
				return plusPlus(x, n, dim, k, rng);
			case CLUSTER: {
				final int m = Math.min(n, Math.max(k, n / 10));
				final int[] pick = distinctIndices(n, m, rng);
				final double[] sub = new double[m * dim];
				for (int i = 0; i < m; i++) System.arraycopy(x, pick[i] * dim, sub, i * dim, dim);
				final double[] c = sample(sub, m, dim, k, rng);
				return new Lloyd(sub, m, dim, k, c, box, bounds).run(o.maxIterations, cancellationOnly(o.progress), 0, 1)
					.centroids;
			}
			default:
				throw new AssertionError(o.start);
		}
	}

	private static double[] sample(final double[] x, final int n, final int dim, final int k,
		final SplittableRandom rng)
	{
		final int[] pick = distinctIndices(n, k, rng);
		final double[] c = new double[k * dim];
		for (int j = 0; j < k; j++) System.arraycopy(x, pick[j] * dim, c, j * dim, dim);
		return c;
	}

	/** First {@code m} entries of a partial Fisher–Yates shuffle of {@code 0..n-1}. */
	private static int[] distinctIndices(final int n, final int m, final SplittableRandom rng) {
		final int[] idx = new int[n];
		for (int i = 0; i < n; i++) idx[i] = i;
		for (int i = 0; i < m; i++) {
			final int j = i + rng.nextInt(n - i);
			final int t = idx[i];
			idx[i] = idx[j];
			idx[j] = t;
		}
		return Arrays.copyOf(idx, m);
	}

	private static double[] plusPlus(final double[] x, final int n, final int dim, final int k,
		final SplittableRandom rng)
	{
		final double[] c = new double[k * dim];
		int pick = rng.nextInt(n);
		System.arraycopy(x, pick * dim, c, 0, dim);
		final double[] minD = new double[n];
		Arrays.fill(minD, Double.POSITIVE_INFINITY);
		for (int j = 1; j < k; j++) {
			final int prevCentroid = j - 1;
			Parallel.forRange(n, GRAIN, (s, e) -> {
				for (int i = s; i < e; i++) {
					final double d = dist(x, i * dim, c, prevCentroid * dim, dim);
					if (d < minD[i]) minD[i] = d;
				}
			});
			double total = 0;
			for (int i = 0; i < n; i++) total += minD[i];
			if (!(total > 0)) {
				pick = rng.nextInt(n);
			}
			else {
				final double r = rng.nextDouble() * total;
				double cum = 0;
				pick = -1;
				int lastPositive = -1;
				for (int i = 0; i < n; i++) {
					if (minD[i] > 0) lastPositive = i;
					cum += minD[i];
					if (cum > r) {
						pick = i;
						break;
					}
				}
				if (pick < 0) pick = lastPositive; // rounding at the very end of the cumulative sum
			}
			System.arraycopy(x, pick * dim, c, j * dim, dim);
		}
		return c;
	}

	// ---------------------------------------------------------------------------------------
	// kernels (fixed chunks, fixed-order reductions)

	private static double dist(final double[] x, final int xo, final double[] c, final int co, final int dim) {
		double s = 0;
		for (int t = 0; t < dim; t++) {
			final double d = x[xo + t] - c[co + t];
			s += d * d;
		}
		return s;
	}

	private static int chunks(final int n) {
		return (n + GRAIN - 1) / GRAIN;
	}



	/**
	 * Centroids := member means (per-chunk partial sums added in chunk order). Centroids of empty
	 * clusters are left unchanged.
	 */
	static void centroids(final double[] x, final int n, final int dim, final int k, final int[] labels,
		final double[] c, final int[] counts)
	{
		final int chunks = chunks(n);
		final double[][] sums = new double[chunks][k * dim];
		final int[][] cnt = new int[chunks][k];
		Parallel.forRange(chunks, 1, (c0, c1) -> {
			for (int ch = c0; ch < c1; ch++) {
				final double[] sm = sums[ch];
				final int[] ct = cnt[ch];
				final int s = ch * GRAIN, e = Math.min(n, s + GRAIN);
				for (int i = s; i < e; i++) add(x, i, labels[i], dim, sm, ct);
			}
		});
		finish(sums, cnt, k, dim, c, counts);
	}

	/** Adds point {@code i} to the partial sums of cluster {@code l}. */
	private static void add(final double[] x, final int i, final int l, final int dim, final double[] sm,
		final int[] ct)
	{
		ct[l]++;
		if (dim == 3) {
			final int lo = 3 * l, xo = 3 * i;
			sm[lo] += x[xo];
			sm[lo + 1] += x[xo + 1];
			sm[lo + 2] += x[xo + 2];
		}
		else {
			final int lo = l * dim, xo = i * dim;
			for (int t = 0; t < dim; t++) sm[lo + t] += x[xo + t];
		}
	}

	/**
	 * Centroids from per-chunk partial sums, added in chunk order; centroids of empty clusters
	 * are left unchanged.
	 */
	private static void finish(final double[][] sums, final int[][] cnt, final int k, final int dim,
		final double[] c, final int[] counts)
	{
		final double[] total = new double[k * dim];
		Arrays.fill(counts, 0);
		for (int ch = 0; ch < sums.length; ch++) {
			for (int q = 0; q < total.length; q++) total[q] += sums[ch][q];
			for (int j = 0; j < k; j++) counts[j] += cnt[ch][j];
		}
		for (int j = 0; j < k; j++) {
			if (counts[j] == 0) continue;
			for (int t = 0; t < dim; t++) c[j * dim + t] = total[j * dim + t] / counts[j];
		}
	}

	/** Index of the point farthest from its own centroid (lowest index on ties). */
	private static int farthest(final double[] x, final int n, final int dim, final double[] c, final int[] labels) {
		final int chunks = chunks(n);
		final double[] bd = new double[chunks];
		final int[] bi = new int[chunks];
		Parallel.forRange(chunks, 1, (c0, c1) -> {
			for (int ch = c0; ch < c1; ch++) {
				final int s = ch * GRAIN, e = Math.min(n, s + GRAIN);
				double best = -1;
				int arg = s;
				for (int i = s; i < e; i++) {
					final double d = dist(x, i * dim, c, labels[i] * dim, dim);
					if (d > best) {
						best = d;
						arg = i;
					}
				}
				bd[ch] = best;
				bi[ch] = arg;
			}
		});
		int arg = bi[0];
		double best = bd[0];
		for (int ch = 1; ch < chunks; ch++) {
			if (bd[ch] > best) {
				best = bd[ch];
				arg = bi[ch];
			}
		}
		return arg;
	}

	private static double ownSse(final double[] x, final int n, final int dim, final int k, final double[] c,
		final int[] labels)
	{
		return Parallel.sum(n, GRAIN, (s, e) -> {
			double part = 0;
			for (int i = s; i < e; i++) part += dist(x, i * dim, c, labels[i] * dim, dim);
			return part;
		});
	}

	private static double[] distanceMatrix(final double[] x, final int n, final int dim, final int k,
		final double[] c)
	{
		final double[] d = new double[n * k];
		Parallel.forRange(n, GRAIN, (s, e) -> {
			for (int i = s; i < e; i++) {
				for (int j = 0; j < k; j++) d[i * k + j] = dist(x, i * dim, c, j * dim, dim);
			}
		});
		return d;
	}

	private static void validate(final double[] points, final int n, final int dim, final int k) {
		Objects.requireNonNull(points, "points");
		if (dim < 1) throw new IllegalArgumentException("Point dimension must be >= 1, got " + dim);
		if (n < 1) throw new IllegalArgumentException("Need at least one point, got n = " + n);
		if (points.length != (long) n * dim) {
			throw new IllegalArgumentException("points must hold n·dim = " + n + "·" + dim + " values (row-major), got "
				+ points.length);
		}
		if (k < 1) throw new IllegalArgumentException("Number of clusters k must be >= 1, got " + k);
		if (k > n) {
			throw new IllegalArgumentException("Number of clusters k = " + k + " exceeds the number of points n = " + n
				+ "; k must be in 1.." + n);
		}
		for (int i = 0; i < points.length; i++) {
			if (!Double.isFinite(points[i])) {
				throw new IllegalArgumentException("Point " + (i / dim) + " has a non-finite coordinate (" + points[i]
					+ " at dimension " + (i % dim) + "); remove NaN/infinite points before clustering");
			}
		}
	}
}
