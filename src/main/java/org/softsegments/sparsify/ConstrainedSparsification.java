package org.softsegments.sparsify;

import java.util.Arrays;

import org.softsegments.core.Parallel;
import org.softsegments.core.Progress;
import org.softsegments.linalg.SparseMatrix;
import org.softsegments.linalg.SpectralBasis;

/**
 * Constrained sparsification (spec §3.9; paper §3.4, after Levin, Rav-Acha, Lischinski,
 * "Spectral Matting", 2008): turns an initial hard clustering into soft layers that lie in the
 * span of the spectral basis {@code E} (N×m) and sum to one at every pixel.
 * <p>
 * Unknowns are {@code y_k ∈ R^m} for the first K−1 layers, {@code α_k = E y_k}, and the last
 * layer is {@code α_K = 1 − Σ_{k<K} α_k}. Each iteration linearises the sparsity energy
 * {@code Σ_k [α_kᵀLα_k + Σ_i (w0|α_ik|)^γ + (w1|1−α_ik|)^γ]} (smoothness term evaluated in the
 * subspace as {@code y_kᵀ Λ y_k}) by iteratively reweighted least squares:
 * <ul>
 * <li>weights {@code e0 = w0^γ·max(|α|, clamp)^(γ−2)}, {@code e1 = w1^γ·max(|α−1|, clamp)^(γ−2)};</li>
 * <li>{@code A_k = Eᵀdiag(e0_k+e1_k)E + sΛ}, {@code b_k = Eᵀe1_k} (k &lt; K);
 * {@code T = Eᵀdiag(e0_K+e1_K)E + sΛ}, {@code t = Eᵀe0_K + Eᵀ(L·1)} (the last term computed
 * once), s = eigenvalue weight;</li>
 * <li>{@code A_k y_k + T Σ_l y_l = b_k + t} solved exactly by block elimination
 * ({@link CoupledLayerSystem});</li>
 * <li>on iterations {@code i > R} (1-based; R = ⌈iterations/4⌉, then R += ⌈iterations/4⌉ —
 * iterations 11, 21, 31 for 40 iterations (spec §3.9), 6, 11, 16 for 20 (spec §3.13)) only the layers with {@code max_i |α_ik| > threshold} are kept, in
 * order, the last kept one becoming the last layer.</li>
 * </ul>
 * Initial layers: indicator vectors of the initial labels. Output: the layers after the last
 * iteration, not clipped.
 * <p>
 * Implementation: all weighted Grams and projections of an iteration come from one blocked,
 * parallel sweep over the pixels ({@link WeightedGram}); the IRLS weights are computed inside
 * that sweep from the current layers, block by block, and never stored. When a layer's weight is
 * the same at every pixel — in the first iteration every indicator layer has the weight
 * {@code w0^γ·clamp^(γ−2) + w1^γ} wherever α is 0 or 1 (if w0 = w1) — its Gram is
 * {@code w·EᵀE}, computed from one shared unit-weight Gram instead of a weighted sweep
 * (mathematically identical, differs by rounding only). Deterministic: results do not depend on
 * the number of threads.
 * <p>
 * Deviations from the reference: none in the arithmetic beyond floating-point rounding order
 * (block elimination instead of the dense (K−1)m solve, ordering of sums). Degenerate case not
 * handled by the reference: if a removal step would drop every layer, the layer with the
 * largest {@code max|α|} is kept (it then becomes the constant layer 1). If a removal falls on
 * the last iteration (iteration counts other than the default, e.g. 15), the returned layers,
 * like the reference's, no longer sum to one: the removed layers' share is not redistributed.
 * <p>
 * Two variants: {@link #run(SpectralBasis, SparseMatrix, int[], int, Params, Progress)} (and
 * {@link #run(SpectralBasis, SparseMatrix, int[], int, Params, Acceleration, Progress)} with
 * {@link Acceleration#NONE}) is the reference described above; with another
 * {@link Acceleration} (e.g. {@link Acceleration#FAST}) the same iteration runs on weighted pixel
 * samples with an exact final pass ({@link AcceleratedSparsification}: an approximation, several
 * times faster, same quality on the benchmark).
 */
public final class ConstrainedSparsification {

	/** Stage name reported to {@link Progress}. */
	public static final String STAGE = "Constrained sparsification";

	private ConstrainedSparsification() {}

	/**
	 * Parameters (spec §3.9, §12).
	 *
	 * @param gamma sparsity exponent γ (0 &lt; γ &lt; 2; paper 0.8)
	 * @param w0 weight of the |α| term (&gt; 0; 0.3)
	 * @param w1 weight of the |1 − α| term (&gt; 0; 0.3)
	 * @param iterations IRLS iterations (≥ 1; 40)
	 * @param removalThreshold layers with max|α| ≤ this are removed at removal iterations (≥ 0; 0.1)
	 * @param clamp lower clamp of |α| and |α − 1| in the weights (&gt; 0; 1e-10)
	 * @param eigenvalueWeight factor of Λ in the smoothness term (≥ 0; 1)
	 */
	public record Params(double gamma, double w0, double w1, int iterations, double removalThreshold, double clamp,
		double eigenvalueWeight)
	{
		/** Paper / reference defaults. */
		public static final Params DEFAULTS = new Params(0.8, 0.3, 0.3, 40, 0.1, 1e-10, 1);

		public Params {
			if (!(gamma > 0 && gamma < 2)) throw new IllegalArgumentException("gamma must be in (0, 2), got " + gamma);
			if (!(w0 > 0) || !Double.isFinite(w0)) throw new IllegalArgumentException("w0 must be finite and > 0, got " + w0);
			if (!(w1 > 0) || !Double.isFinite(w1)) throw new IllegalArgumentException("w1 must be finite and > 0, got " + w1);
			if (iterations < 1) throw new IllegalArgumentException("iterations must be >= 1, got " + iterations);
			if (!(removalThreshold >= 0) || !Double.isFinite(removalThreshold)) {
				throw new IllegalArgumentException("removalThreshold must be finite and >= 0, got " + removalThreshold);
			}
			if (!(clamp > 0) || !Double.isFinite(clamp)) throw new IllegalArgumentException("clamp must be finite and > 0, got " + clamp);
			if (!(eigenvalueWeight >= 0) || !Double.isFinite(eigenvalueWeight)) {
				throw new IllegalArgumentException("eigenvalueWeight must be finite and >= 0, got " + eigenvalueWeight);
			}
		}

		/** These parameters with another iteration count. */
		public Params withIterations(final int count) {
			return new Params(gamma, w0, w1, count, removalThreshold, clamp, eigenvalueWeight);
		}
	}

	/** Per-iteration hook for tests: sees the layers before the removal step. */
	interface Observer {

		/**
		 * @param iteration 1-based
		 * @param layers the layers after the solve, before removal (live; do not modify)
		 * @param kept indices of kept layers if this was a removal iteration, else null
		 */
		void iterationDone(int iteration, double[][] layers, int[] kept);
	}

	/**
	 * Layers plus the number of layers after each iteration (index 0 = iteration 1) and the
	 * number of weighted Grams computed.
	 */
	record Result(double[][] layers, int[] layerCounts, int grams) {}

	/**
	 * Settings of the accelerated variant (see {@link #run(SpectralBasis, SparseMatrix, int[], int,
	 * Params, Acceleration, Progress)} and {@link AcceleratedSparsification}).
	 *
	 * @param samplesPerVector size of the pixel sample for the weighted Grams while iterating, per
	 *          basis vector: the pixels are cut into strata of {@code s = ⌊N / (samplesPerVector·m)⌋}
	 *          consecutive pixels (1 … 256), and one pixel per stratum and class (α near 0, near 1, in
	 *          transition) is drawn and reweighted (unbiased, see {@link SampledGram}); 0 = all
	 *          pixels
	 * @param candidateStride in sampled iterations the layers are evaluated only at every
	 *          {@code c}-th pixel, {@code c = min(candidateStride, s)}, from an offset drawn per
	 *          iteration, and the sample is drawn among those (strata of {@code ⌊s/c⌋} of them),
	 *          reweighted by c (two-stage sampling, still unbiased); 1 = evaluate at every pixel
	 * @param transitionBand pixels with {@code min(|α|, |1−α|) > transitionBand} form the
	 *          transition class (0 … 0.5)
	 * @param changeTolerance early stop: an iteration whose largest |Δα| is at most this ends the
	 *          iteration (the removal still scheduled is applied at once, then the exact final
	 *          pass); 0 = never stop early
	 * @param reuseTolerance a layer's Gram is reused while its values drifted by at most this
	 *          since it was computed (sum of its per-iteration largest |Δα|); 0 = never reuse
	 * @param exactIterations iterations at the end that use all pixels and recompute every Gram
	 *          (≥ 0; with sampling or reuse, ≥ 1 makes the output an exact IRLS step)
	 * @param seed seed of the pixel sample
	 */
	public record Acceleration(int samplesPerVector, int candidateStride, double transitionBand, double changeTolerance,
		double reuseTolerance, int exactIterations, long seed)
	{
		/** No acceleration: exactly the reference code path. */
		public static final Acceleration NONE = new Acceleration(0, 1, 0, 0, 0, 0, 0);
		/**
		 * Validated defaults of the fast path: 12 samples per basis vector (strata of 64 pixels at
		 * 320×240 with 100 vectors, 16 at the 20 000-pixel working resolution), layers evaluated at
		 * every 4th pixel while sampling, band 0.05, no early stop, no reuse, one exact final
		 * iteration, seed 1. 12 rather than the earlier 24: on the development mattes and held-out
		 * COCO photos over three seeds the scores differed by less than the spread between seeds, for
		 * less sampled-Gram work (README, "Fast path").
		 */
		public static final Acceleration FAST = new Acceleration(12, 4, 0.05, 0, 0, 1, 1);

		public Acceleration {
			if (samplesPerVector < 0) {
				throw new IllegalArgumentException("samplesPerVector must be >= 0, got " + samplesPerVector);
			}
			if (candidateStride < 1 || candidateStride > WeightedGram.BLOCK) {
				throw new IllegalArgumentException("candidateStride must be in 1 … " + WeightedGram.BLOCK + ", got "
					+ candidateStride);
			}
			if (!(transitionBand >= 0 && transitionBand <= 0.5)) {
				throw new IllegalArgumentException("transitionBand must be in [0, 0.5], got " + transitionBand);
			}
			if (!(changeTolerance >= 0) || !Double.isFinite(changeTolerance)) {
				throw new IllegalArgumentException("changeTolerance must be finite and >= 0, got " + changeTolerance);
			}
			if (!(reuseTolerance >= 0) || !Double.isFinite(reuseTolerance)) {
				throw new IllegalArgumentException("reuseTolerance must be finite and >= 0, got " + reuseTolerance);
			}
			if (exactIterations < 0) throw new IllegalArgumentException("exactIterations must be >= 0, got " + exactIterations);
		}

		/** Whether this is {@link #NONE}'s behaviour: no sampling, no early stop, no reuse. */
		public boolean isNone() {
			return samplesPerVector == 0 && changeTolerance == 0 && reuseTolerance == 0;
		}

		/** Stratum length s for N pixels and m basis vectors (1 = no sampling). */
		public int stride(final int pixels, final int vectors) {
			if (samplesPerVector == 0) return 1;
			final long per = pixels / ((long) samplesPerVector * Math.max(1, vectors));
			return (int) Math.max(1, Math.min(WeightedGram.BLOCK, per));
		}

		/** These settings with another sample size per basis vector. */
		public Acceleration withSamplesPerVector(final int samples) {
			return new Acceleration(samples, candidateStride, transitionBand, changeTolerance, reuseTolerance, exactIterations,
				seed);
		}

		/** These settings with another seed. */
		public Acceleration withSeed(final long newSeed) {
			return new Acceleration(samplesPerVector, candidateStride, transitionBand, changeTolerance, reuseTolerance,
				exactIterations, newSeed);
		}
	}

	/**
	 * Result of {@link #run(SpectralBasis, SparseMatrix, int[], int, Params, Acceleration,
	 * Progress)}.
	 *
	 * @param layers the layers {@code [K'][N]} after the last iteration
	 * @param sources for each layer, the initial label it grew from
	 * @param iterations IRLS iterations done
	 * @param layerCounts number of layers after each iteration done
	 * @param grams weighted Gram matrices computed (a shared unit Gram counts as one)
	 * @param gramPixels pixel rows used by them (N per full Gram)
	 */
	public record Outcome(double[][] layers, int[] sources, int iterations, int[] layerCounts, int grams,
		long gramPixels) {}

	/**
	 * Runs constrained sparsification.
	 *
	 * @param basis spectral basis E (m vectors of length N) with eigenvalues Λ
	 * @param laplacian the N×N Laplacian L (used only for the constant term {@code Eᵀ(L·1)})
	 * @param initialLabels hard label per pixel, 0 … initialCount−1
	 * @param initialCount number of initial layers K (≥ 2)
	 * @param params parameters ({@link Params#DEFAULTS})
	 * @param progress progress and cancellation (null = none)
	 * @return the layers {@code [K'][N]} after the last iteration
	 */
	public static double[][] run(final SpectralBasis basis, final SparseMatrix laplacian, final int[] initialLabels,
		final int initialCount, final Params params, final Progress progress)
	{
		return solve(basis, laplacian, initialLabels, initialCount, params, progress, null).layers();
	}

	/**
	 * Runs constrained sparsification, exactly ({@link Acceleration#NONE}: the same code and
	 * result as {@link #run(SpectralBasis, SparseMatrix, int[], int, Params, Progress)}) or
	 * accelerated ({@link AcceleratedSparsification}).
	 *
	 * @param acceleration {@link Acceleration#NONE}, {@link Acceleration#FAST} or custom
	 * @return the layers and what it took
	 */
	public static Outcome run(final SpectralBasis basis, final SparseMatrix laplacian, final int[] initialLabels,
		final int initialCount, final Params params, final Acceleration acceleration, final Progress progress)
	{
		if (acceleration == null) throw new IllegalArgumentException("acceleration is null (use Acceleration.NONE)");
		return run(basis, laplacian, initialLabels, initialCount, params, acceleration, progress, null);
	}

	static Outcome run(final SpectralBasis basis, final SparseMatrix laplacian, final int[] initialLabels,
		final int initialCount, final Params params, final Acceleration acceleration, final Progress progress,
		final Observer observer)
	{
		if (!acceleration.isNone()) {
			validate(basis, laplacian, initialLabels, initialCount, params);
			return AcceleratedSparsification.solve(basis, laplacian, initialLabels, initialCount, params, acceleration,
				progress, observer, null);
		}
		final int[][] sources = { java.util.stream.IntStream.range(0, Math.max(0, initialCount)).toArray() };
		final Result r = solve(basis, laplacian, initialLabels, initialCount, params, progress, (iteration, layers, kept) -> {
			if (observer != null) observer.iterationDone(iteration, layers, kept);
			if (kept != null) {
				final int[] next = new int[kept.length];
				for (int i = 0; i < kept.length; i++) next[i] = sources[0][kept[i]];
				sources[0] = next;
			}
		});
		return new Outcome(r.layers(), sources[0], params.iterations(), r.layerCounts(), r.grams(), (long) r.grams()
			* basis.length());
	}

	static Result solve(final SpectralBasis basis, final SparseMatrix laplacian, final int[] initialLabels,
		final int initialCount, final Params params, final Progress progress, final Observer observer)
	{
		validate(basis, laplacian, initialLabels, initialCount, params);
		final Progress prog = progress == null ? Progress.NONE : progress;
		final double[][] e = basis.vectors();
		final int m = basis.size();
		final int n = basis.length();
		final double[] lambda = basis.values().clone();
		for (int j = 0; j < m; j++) lambda[j] *= params.eigenvalueWeight();
		final Irls irls = new Irls(params);

		double[][] alpha = new double[initialCount][n];
		for (int p = 0; p < n; p++) alpha[initialLabels[p]][p] = 1;
		final double[] constantRhs = WeightedGram.project(e, new double[][] { laplacian.rowSums() })[0];

		final int[] counts = new int[params.iterations()];
		final int[] grams = { 0 };
		final int removalStep = (params.iterations() + 3) / 4;
		int removalAfter = removalStep;
		for (int iteration = 1; iteration <= params.iterations(); iteration++) {
			prog.checkpoint(STAGE, (iteration - 1) / (double) params.iterations());
			final int layers = alpha.length;
			if (layers == 1) {
				Arrays.fill(alpha[0], 1);
			}
			else {
				final double[][] y = iterate(e, lambda, alpha, irls, constantRhs, grams);
				combine(e, y, alpha);
			}
			int[] kept = null;
			if (iteration > removalAfter) {
				removalAfter += removalStep;
				kept = keptLayers(alpha, params.removalThreshold());
			}
			if (observer != null) observer.iterationDone(iteration, alpha, kept);
			if (kept != null) {
				final double[][] next = new double[kept.length][];
				for (int i = 0; i < kept.length; i++) next[i] = alpha[kept[i]];
				alpha = next;
			}
			counts[iteration - 1] = alpha.length;
		}
		prog.checkpoint(STAGE, 1);
		return new Result(alpha, counts, grams[0]);
	}

	/** One IRLS step: the coefficients y_k (k &lt; K−1) from the current layers. */
	private static double[][] iterate(final double[][] e, final double[] lambda, final double[][] alpha,
		final Irls irls, final double[] constantRhs, final int[] gramCount)
	{
		final int layers = alpha.length;
		final int last = layers - 1;
		final int m = e.length;
		// Layers whose weight is the same at every pixel get w·EᵀE from a shared unit Gram.
		final double[] constantWeight = new double[layers];
		final boolean[] gramWanted = new boolean[layers + 1];
		boolean anyConstant = false;
		for (int k = 0; k < layers; k++) {
			constantWeight[k] = irls.constantWeight(alpha[k]);
			gramWanted[k] = Double.isNaN(constantWeight[k]);
			anyConstant |= !gramWanted[k];
		}
		gramWanted[layers] = anyConstant;
		for (final boolean w : gramWanted) if (w) gramCount[0]++;
		final WeightedGram.Products products = WeightedGram.compute(e, anyConstant ? layers + 1 : layers, gramWanted,
			(k, start, end, gw, pw) -> {
				if (k == layers) { // unit weights for EᵀE
					Arrays.fill(gw, 0, end - start, 1);
					Arrays.fill(pw, 0, end - start, 0);
				}
				else {
					irls.weights(alpha[k], start, end, k == last, gw, pw);
				}
			});
		final double[][][] grams = products.grams();
		final double[][] proj = products.projections();
		for (int k = 0; k < layers; k++) {
			if (gramWanted[k]) continue;
			final double w = constantWeight[k];
			final double[][] unit = grams[layers];
			final double[][] g = new double[m][m];
			for (int i = 0; i < m; i++) {
				for (int j = 0; j < m; j++) g[i][j] = w * unit[i][j];
			}
			grams[k] = g;
		}
		for (int k = 0; k < layers; k++) {
			for (int j = 0; j < m; j++) grams[k][j][j] += lambda[j];
		}
		final double[] t = new double[m];
		for (int j = 0; j < m; j++) t[j] = proj[last][j] + constantRhs[j];
		final double[][] rhs = new double[last][m];
		for (int k = 0; k < last; k++) {
			for (int j = 0; j < m; j++) rhs[k][j] = proj[k][j] + t[j];
		}
		return CoupledLayerSystem.solve(Arrays.copyOf(grams, last), grams[last], rhs);
	}

	/** {@code α_k = E y_k} for k &lt; K−1 and {@code α_{K−1} = 1 − Σ α_k}, in place. */
	static void combine(final double[][] e, final double[][] y, final double[][] alpha) {
		final int m = e.length;
		final int n = e[0].length;
		final int last = alpha.length - 1;
		Parallel.forRange(n, 2048, (p0, p1) -> {
			final double[] lastLayer = alpha[last];
			Arrays.fill(lastLayer, p0, p1, 1);
			for (int k = 0; k < last; k++) {
				final double[] a = alpha[k];
				final double[] yk = y[k];
				Arrays.fill(a, p0, p1, 0);
				int j = 0;
				for (; j + 4 <= m; j += 4) {
					WeightedGram.axpy4(yk[j], yk[j + 1], yk[j + 2], yk[j + 3], e[j], e[j + 1], e[j + 2], e[j + 3], a, p0, p1);
				}
				for (; j < m; j++) WeightedGram.axpy1(yk[j], e[j], a, p0, p1);
				for (int p = p0; p < p1; p++) lastLayer[p] -= a[p];
			}
		});
	}

	/** Indices of the layers with {@code max|α| > threshold}, in order (at least one). */
	static int[] keptLayers(final double[][] alpha, final double threshold) {
		final int[] kept = new int[alpha.length];
		int count = 0;
		int best = 0;
		double bestMax = -1;
		for (int k = 0; k < alpha.length; k++) {
			double max = 0;
			for (final double v : alpha[k]) max = Math.max(max, Math.abs(v));
			if (max > threshold) kept[count++] = k;
			if (max > bestMax) {
				bestMax = max;
				best = k;
			}
		}
		if (count == 0) return new int[] { best };
		return Arrays.copyOf(kept, count);
	}

	/** IRLS weights of spec §3.9. */
	static final class Irls {

		private final double c0, c1, exponent, clamp;

		Irls(final Params params) {
			c0 = Math.pow(params.w0(), params.gamma());
			c1 = Math.pow(params.w1(), params.gamma());
			exponent = params.gamma() - 2;
			clamp = params.clamp();
		}

		double e0(final double a) {
			return c0 * Math.pow(Math.max(Math.abs(a), clamp), exponent);
		}

		double e1(final double a) {
			return c1 * Math.pow(Math.max(Math.abs(a - 1), clamp), exponent);
		}

		/** Gram weights e0+e1 and projection weights (e1, or e0 for the last layer). */
		void weights(final double[] alpha, final int start, final int end, final boolean last, final double[] gram,
			final double[] projection)
		{
			for (int p = start, q = 0; p < end; p++, q++) {
				final double a = alpha[p];
				final double w0 = e0(a);
				final double w1 = e1(a);
				gram[q] = w0 + w1;
				projection[q] = last ? w0 : w1;
			}
		}

		/**
		 * The Gram weight e0+e1 if it is the same at every pixel of {@code alpha}, decided
		 * exactly for layers whose values are all 0 or 1 (the initial indicators); NaN otherwise.
		 */
		double constantWeight(final double[] alpha) {
			boolean zero = false, one = false;
			for (final double a : alpha) {
				if (a == 0) zero = true;
				else if (a == 1) one = true;
				else return Double.NaN;
			}
			final double wZero = e0(0) + e1(0), wOne = e0(1) + e1(1);
			if (zero && one) return wZero == wOne ? wZero : Double.NaN;
			return zero ? wZero : wOne;
		}
	}

	static void validate(final SpectralBasis basis, final SparseMatrix laplacian, final int[] labels,
		final int count, final Params params)
	{
		if (basis == null) throw new IllegalArgumentException("basis is null");
		if (laplacian == null) throw new IllegalArgumentException("laplacian is null");
		if (labels == null) throw new IllegalArgumentException("initialLabels is null");
		if (params == null) throw new IllegalArgumentException("params is null (use Params.DEFAULTS)");
		if (count < 2) throw new IllegalArgumentException("initialCount must be >= 2, got " + count);
		if (basis.size() < 1) throw new IllegalArgumentException("basis must have at least one vector");
		final int n = basis.length();
		for (int j = 0; j < basis.size(); j++) {
			final double[] v = basis.vector(j);
			if (v == null || v.length != n) {
				throw new IllegalArgumentException("basis vector " + j + " has length " + (v == null ? "null" : v.length)
					+ ", expected N = " + n);
			}
		}
		if (labels.length != n) {
			throw new IllegalArgumentException("initialLabels has " + labels.length + " entries but the basis vectors have length N = " + n);
		}
		if (laplacian.size() != n) {
			throw new IllegalArgumentException("laplacian is " + laplacian.size() + "×" + laplacian.size() + ", expected N×N with N = " + n);
		}
		for (int p = 0; p < n; p++) {
			if (labels[p] < 0 || labels[p] >= count) {
				throw new IllegalArgumentException("initialLabels[" + p + "] = " + labels[p] + " is outside 0 … " + (count - 1)
					+ " (initialCount = " + count + ")");
			}
		}
	}
}
