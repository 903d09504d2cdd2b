package org.softsegments.sparsify;

import java.util.Arrays;

import org.softsegments.core.Parallel;
import org.softsegments.core.Progress;
import org.softsegments.linalg.SparseMatrix;
import org.softsegments.linalg.SpectralBasis;
import org.softsegments.sparsify.ConstrainedSparsification.Acceleration;
import org.softsegments.sparsify.ConstrainedSparsification.Irls;
import org.softsegments.sparsify.ConstrainedSparsification.Outcome;
import org.softsegments.sparsify.ConstrainedSparsification.Params;

/**
 * The fast path of constrained sparsification (spec §3.9; issue 6): the same IRLS iteration, with
 * the same start (indicators, first iteration from the shared unit Gram), removal rule and
 * schedule, block elimination and iteration count, but
 * <ul>
 * <li>while iterating, the weighted Grams and projections of every layer come from a weighted
 * pixel sample ({@link SampledGram}: per stratum of {@code s = N/(samplesPerVector·m)} pixels and
 * per value class one pixel drawn by a proxy of its weight and reweighted, unbiased); with
 * {@link Acceleration#candidateStride()} c &gt; 1 the layers are evaluated only at every c-th
 * pixel (random offset per iteration, first sampling stage) and the sample is drawn among those,
 * so the per-pixel work (layer update, classification) also shrinks by c;</li>
 * <li>an exact final pass: the last {@link Acceleration#exactIterations()} iterations evaluate
 * the layers everywhere and recompute every Gram from all pixels, so the output is an exact
 * IRLS step from the sampled iterate (and sums to one at every pixel);</li>
 * <li>optionally an early stop ({@link Acceleration#changeTolerance()}: when the largest |Δα| of
 * an iteration is at most the tolerance, the removal check still scheduled is applied at once,
 * then the exact pass) and reuse of the Grams of layers that moved by at most
 * {@link Acceleration#reuseTolerance()};</li>
 * <li>IRLS weights by {@link FastPow}; layers kept as {@code cst + E z} and evaluated where
 * needed (all pixels for removal checks and the output).</li>
 * </ul>
 * Deterministic for a given seed (the sample is a hash of seed, iteration, layer, stratum, class;
 * all sums in a fixed order): bit-identical on any number of threads.
 * <p>
 * Measured with {@code ConstrainedAccelerationBenchmark} (README, "Fast path"). The IRLS is
 * chaotic: the exact iteration with FastPow weights (relative differences ~1e-12) already gives
 * visibly different layers from the reference's, so agreement is judged on layer counts and on the
 * final pipeline result. Early stop does not trigger on real images (the reference's layers still
 * move at the last iteration), and few layers settle enough for Gram reuse to pay, so
 * {@link Acceleration#FAST} uses neither.
 */
final class AcceleratedSparsification {

	/** Pixels per task of the layer update (the basis slice, 100 × 512 doubles, stays in L2). */
	private static final int GRAIN = 512;

	/** Per-iteration trace for the benchmark and tests. */
	interface Trace {

		/**
		 * @param iteration 1-based
		 * @param layers number of layers during the iteration
		 * @param change largest |Δα| of the iteration (before removal; at the candidates in sampled
		 *          iterations; NaN when not tracked)
		 * @param grams weighted Grams computed
		 * @param pixels pixel rows used by them
		 * @param exact whether the Grams used all pixels
		 * @param seconds wall time of the Grams, the solve and the new layers
		 * @param layerChanges largest |Δα| of each layer
		 */
		void iteration(int iteration, int layers, double change, int grams, long pixels, boolean exact, double[] seconds,
			double[] layerChanges);
	}

	private AcceleratedSparsification() {}

	static Outcome solve(final SpectralBasis basis, final SparseMatrix laplacian, final int[] initialLabels,
		final int initialCount, final Params params, final Acceleration acc, final Progress progress,
		final ConstrainedSparsification.Observer observer, final Trace trace)
	{
		final Progress prog = progress == null ? Progress.NONE : progress;
		final double[][] e = basis.vectors();
		final int m = basis.size();
		final int n = basis.length();
		final double[] lambda = basis.values().clone();
		for (int j = 0; j < m; j++) lambda[j] *= params.eigenvalueWeight();
		final Irls irls = new Irls(params);
		final SampledGram.Weights weights = new SampledGram.Weights(params);
		final int iterations = params.iterations();
		final int stride = acc.stride(n, m);
		final int candidates = Math.min(stride, acc.candidateStride());
		final boolean approximate = stride > 1 || acc.reuseTolerance() > 0;
		final boolean tracking = acc.changeTolerance() > 0 || acc.reuseTolerance() > 0 || trace != null;

		// layer k = cst[k] + E z[k]; full values in alpha when materialised (else null)
		double[][] alpha = new double[initialCount][n];
		for (int p = 0; p < n; p++) alpha[initialLabels[p]][p] = 1;
		double[][] z = null;
		double[] cst = null;
		int[] ids = new int[initialCount];
		for (int k = 0; k < initialCount; k++) ids[k] = k;
		double[][][] gram = new double[initialCount][][];
		double[][] proj0 = new double[initialCount][], proj1 = new double[initialCount][];
		double[] drift = new double[initialCount];
		final double[] constantRhs = WeightedGram.project(e, new double[][] { laplacian.rowSums() })[0];

		final int[] counts = new int[iterations];
		long pixels = 0;
		int grams = 0;
		final int removalStep = (iterations + 3) / 4;
		int removalAfter = removalStep;
		int finalLeft = -1;
		int done = 0;
		for (int iteration = 1; iteration <= iterations; iteration++) {
			prog.checkpoint(ConstrainedSparsification.STAGE, (iteration - 1) / (double) iterations);
			final int layers = ids.length;
			final boolean exact = iteration == 1 || finalLeft > 0 || iteration > iterations - acc.exactIterations();
			double change = 0;
			double[] changes = new double[0];
			final double[] seconds = new double[3];
			long clock = System.nanoTime();
			int gramsNow = 0;
			long pixelsNow = 0;
			if (layers == 1) {
				if (alpha == null) alpha = materialize(e, z, cst);
				for (final double v : alpha[0]) change = Math.max(change, Math.abs(1 - v));
				Arrays.fill(alpha[0], 1);
				z = new double[][] { new double[m] };
				cst = new double[] { 1 };
			}
			else {
				// 0. the values the weights need: all pixels, or every c-th pixel from a random offset
				final int c = exact ? 1 : candidates;
				final double[][] basisNow = c == 1 ? e : gather(e, (int) Long.remainderUnsigned(SampledGram.mix(acc.seed()
					^ SampledGram.mix(~(long) iteration)), c), c);
				final double[][] values;
				if (c == 1) {
					if (alpha == null) alpha = materialize(e, z, cst);
					values = alpha;
				}
				else {
					values = materialize(basisNow, z, cst);
				}
				// 1. Grams: constant-weight layers (the indicators of iteration 1) from the unit Gram
				final boolean[] constant = new boolean[layers];
				final double[] constantWeight = new double[layers];
				boolean anyConstant = false;
				if (iteration == 1) {
					for (int k = 0; k < layers; k++) {
						constantWeight[k] = irls.constantWeight(alpha[k]);
						constant[k] = !Double.isNaN(constantWeight[k]);
						anyConstant |= constant[k];
					}
				}
				if (anyConstant) {
					final double[][] unit = unitGram(e);
					gramsNow++;
					pixelsNow += n;
					final double[][][] pr = exactProjections(e, alpha, constant, weights);
					for (int k = 0; k < layers; k++) {
						if (!constant[k]) continue;
						gram[k] = scaled(unit, constantWeight[k]);
						proj0[k] = pr[k][0];
						proj1[k] = pr[k][1];
						drift[k] = 0;
					}
				}
				final boolean[] wanted = new boolean[layers];
				boolean any = false;
				for (int k = 0; k < layers; k++) {
					wanted[k] = !constant[k] && (exact || gram[k] == null || acc.reuseTolerance() == 0
						|| drift[k] > acc.reuseTolerance());
					any |= wanted[k];
				}
				if (any) {
					final SampledGram.Products products = SampledGram.compute(basisNow, wanted, ids, exact ? 1 : Math.max(1, stride / c),
						acc.transitionBand(), acc.seed(), iteration, values, weights, c);
					for (int k = 0; k < layers; k++) {
						if (!wanted[k]) continue;
						gram[k] = products.grams()[k];
						proj0[k] = products.proj0()[k];
						proj1[k] = products.proj1()[k];
						drift[k] = 0;
						gramsNow++;
					}
					pixelsNow += products.pixels();
				}
				seconds[0] = (System.nanoTime() - clock) * 1e-9;
				clock = System.nanoTime();
				// 2. coupled solve
				final int last = layers - 1;
				final double[][][] blocks = new double[layers][][];
				for (int k = 0; k < layers; k++) {
					final double[][] g = new double[m][];
					for (int i = 0; i < m; i++) {
						g[i] = gram[k][i].clone();
						g[i][i] += lambda[i];
					}
					blocks[k] = g;
				}
				final double[] t = new double[m];
				for (int j = 0; j < m; j++) t[j] = proj0[last][j] + constantRhs[j];
				final double[][] rhs = new double[last][m];
				for (int k = 0; k < last; k++) {
					for (int j = 0; j < m; j++) rhs[k][j] = proj1[k][j] + t[j];
				}
				final double[][] y = CoupledLayerSystem.solveVectorised(Arrays.copyOf(blocks, last), blocks[last], rhs);
				z = new double[layers][];
				cst = new double[layers];
				final double[] zLast = new double[m];
				for (int k = 0; k < last; k++) {
					z[k] = y[k];
					for (int j = 0; j < m; j++) zLast[j] -= y[k][j];
				}
				z[last] = zLast;
				cst[last] = 1;
				seconds[1] = (System.nanoTime() - clock) * 1e-9;
				clock = System.nanoTime();
				// 3. the new values where the old ones were known (all pixels, or the candidates when the
				// changes are needed), with their changes
				if (c == 1 || tracking) {
					final double[][] next = materialize(basisNow, z, cst);
					changes = new double[layers];
					for (int k = 0; k < layers; k++) {
						changes[k] = maxDifference(next[k], values[k]);
						drift[k] += changes[k];
						change = Math.max(change, changes[k]);
					}
					alpha = c == 1 ? next : null;
				}
				else {
					change = Double.NaN;
					alpha = null;
				}
				seconds[2] = (System.nanoTime() - clock) * 1e-9;
			}
			grams += gramsNow;
			pixels += pixelsNow;
			if (trace != null) trace.iteration(iteration, layers, change, gramsNow, pixelsNow, exact, seconds, changes);
			// 4. removal: on schedule, or at once when the iteration has converged
			boolean converged = false;
			if (finalLeft < 0 && iteration > 1 && change <= acc.changeTolerance() && !exact) converged = true;
			int[] kept = null;
			if (iteration > removalAfter || (converged && removalAfter < iterations)) {
				removalAfter = converged ? iterations : removalAfter + removalStep;
				if (alpha == null) alpha = materialize(e, z, cst);
				kept = ConstrainedSparsification.keptLayers(alpha, params.removalThreshold());
			}
			if (observer != null) {
				if (alpha == null) alpha = materialize(e, z, cst);
				observer.iterationDone(iteration, alpha, kept);
			}
			if (kept != null) {
				alpha = select(alpha, kept);
				z = select(z, kept);
				cst = select(cst, kept);
				ids = select(ids, kept);
				gram = select(gram, kept);
				proj0 = select(proj0, kept);
				proj1 = select(proj1, kept);
				drift = select(drift, kept);
			}
			counts[iteration - 1] = ids.length;
			done = iteration;
			if (finalLeft > 0) {
				if (--finalLeft == 0) break;
			}
			else if (converged) {
				final boolean removed = kept != null && kept.length < layers;
				finalLeft = Math.max(approximate ? acc.exactIterations() : 0, removed ? 1 : 0);
				if (finalLeft == 0) break;
			}
		}
		if (alpha == null) alpha = materialize(e, z, cst);
		prog.checkpoint(ConstrainedSparsification.STAGE, 1);
		return new Outcome(alpha, ids, done, Arrays.copyOf(counts, done), grams, pixels);
	}

	/** Every {@code c}-th pixel from {@code offset}: {@code out[j][i] = e[j][offset + c·i]}. */
	static double[][] gather(final double[][] e, final int offset, final int c) {
		final int n = e[0].length;
		final int count = (n - offset + c - 1) / c;
		final double[][] out = new double[e.length][count];
		Parallel.forRange(e.length, 4, (j0, j1) -> {
			for (int j = j0; j < j1; j++) {
				final double[] src = e[j], dst = out[j];
				for (int i = 0, p = offset; i < count; i++, p += c) dst[i] = src[p];
			}
		});
		return out;
	}

	/** Layers {@code cst[k] + E z[k]} at the pixels of {@code e} (m vectors of equal length). */
	static double[][] materialize(final double[][] e, final double[][] z, final double[] cst) {
		final int m = e.length;
		final int n = e[0].length;
		final int layers = z.length;
		final double[][] out = new double[layers][n];
		Parallel.forRange(n, GRAIN, (p0, p1) -> {
			for (int k = 0; k < layers; k++) {
				final double[] zk = z[k];
				final double[] a = out[k];
				Arrays.fill(a, p0, p1, cst[k]);
				int j = 0;
				for (; j + 4 <= m; j += 4) {
					WeightedGram.axpy4(zk[j], zk[j + 1], zk[j + 2], zk[j + 3], e[j], e[j + 1], e[j + 2], e[j + 3], a, p0, p1);
				}
				for (; j < m; j++) WeightedGram.axpy1(zk[j], e[j], a, p0, p1);
			}
		});
		return out;
	}

	private static double maxDifference(final double[] a, final double[] b) {
		double max = 0;
		for (int i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
		return max;
	}

	private static double[][] unitGram(final double[][] e) {
		return WeightedGram.compute(e, 1, null, (k, start, end, gw, pw) -> {
			Arrays.fill(gw, 0, end - start, 1);
			Arrays.fill(pw, 0, end - start, 0);
		}).grams()[0];
	}

	/** {@code [k] = {Eᵀe0_k, Eᵀe1_k}} for the flagged layers (all pixels). */
	private static double[][][] exactProjections(final double[][] e, final double[][] alpha, final boolean[] flagged,
		final SampledGram.Weights irls)
	{
		final int layers = alpha.length;
		final double[][] pr = WeightedGram.compute(e, 2 * layers, new boolean[2 * layers], (l, start, end, gw, pw) -> {
			final int k = l / 2;
			if (!flagged[k]) {
				Arrays.fill(pw, 0, end - start, 0);
				return;
			}
			final double[] a = alpha[k];
			for (int p = start, q = 0; p < end; p++, q++) pw[q] = (l & 1) == 0 ? irls.e0(a[p]) : irls.e1(a[p]);
		}).projections();
		final double[][][] out = new double[layers][][];
		for (int k = 0; k < layers; k++) out[k] = new double[][] { pr[2 * k], pr[2 * k + 1] };
		return out;
	}

	private static double[][] scaled(final double[][] g, final double w) {
		final int m = g.length;
		final double[][] out = new double[m][m];
		for (int i = 0; i < m; i++) {
			for (int j = 0; j < m; j++) out[i][j] = w * g[i][j];
		}
		return out;
	}

	private static double[][] select(final double[][] a, final int[] kept) {
		final double[][] out = new double[kept.length][];
		for (int i = 0; i < kept.length; i++) out[i] = a[kept[i]];
		return out;
	}

	private static double[][][] select(final double[][][] a, final int[] kept) {
		final double[][][] out = new double[kept.length][][];
		for (int i = 0; i < kept.length; i++) out[i] = a[kept[i]];
		return out;
	}

	private static int[] select(final int[] a, final int[] kept) {
		final int[] out = new int[kept.length];
		for (int i = 0; i < kept.length; i++) out[i] = a[kept[i]];
		return out;
	}

	private static double[] select(final double[] a, final int[] kept) {
		final double[] out = new double[kept.length];
		for (int i = 0; i < kept.length; i++) out[i] = a[kept[i]];
		return out;
	}
}
