package org.softsegments.sparsify;

import java.util.Arrays;

import org.softsegments.core.Parallel;
import org.softsegments.core.Progress;
import org.softsegments.linalg.ConjugateGradient;
import org.softsegments.linalg.SparseMatrix;

/**
 * Relaxed sparsification, the final refinement of semantic soft segmentation (Aksoy et al.
 * 2018, §3.4; spec §3.12). Given K grouped soft layers, the Laplacian {@code L} and the image
 * gradient magnitude {@code G}, it minimises
 * <pre>
 *   Σ_k α_kᵀ L α_k + δ Σ_i (Σ_k α_ik − 1)² + σ_S Σ (|α|^γ + |1−α|^γ) + σ_F Σ (α − α̂)²
 * </pre>
 * by iteratively reweighted least squares:
 * <ol>
 * <li>per-pixel exponent {@code γ_i = gammaBase + min(G_i, gammaCap)} (0.9 … 1.0), the same for
 * all layers;</li>
 * <li>pre-clean: {@code α < lowCut → 0}, {@code α > highCut → 1}, then divide each pixel's K
 * values by their sum; the result {@code α̂} is the fidelity target and the initial iterate;</li>
 * <li>unknown {@code x}: the K layers stacked layer-major (index {@code k·N + i});
 * {@code Q x = (I_K ⊗ L) x + δ·CᵀC x} applied matrix-free ({@link RelaxedSystemOperator});</li>
 * <li>{@code outerIterations} times: {@code u = max(|x|, clamp)^(γ−2)},
 * {@code v = max(|1−x|, clamp)^(γ−2)}; solve
 * {@code (Q + σ_S·diag(u+v) + σ_F·I) x = σ_S·v + σ_F·α̂ + δ·1} with unpreconditioned conjugate
 * gradients (MATLAB {@code pcg} semantics, {@link ConjugateGradient}), tolerance
 * {@code tolerance}, at most {@code cgIterations}, warm-started from the current {@code x};</li>
 * <li>final polish: solve {@code (Q + σ_F·I) x = σ_F·x_current + δ·1}, at most
 * {@code finalCgIterations}, warm start;</li>
 * <li>no clipping and no renormalisation of the output.</li>
 * </ol>
 * Choices where the spec is silent, and deviations:
 * <ul>
 * <li>The initial iterate is the pre-cleaned {@code α̂} (the spec cleans "the grouped layers"
 * and then uses "the layers" as unknown).</li>
 * <li>{@code gradient == null} means no gradient: {@code γ = gammaBase} everywhere (the spec's
 * "without a gradient the default would be γ = 0.9").</li>
 * <li>A pixel whose cleaned values sum to 0 (all K inputs below {@code lowCut}, impossible for
 * layers summing to 1 when {@code K·lowCut ≤ 1}) gets {@code α̂ = 1/K} in every layer instead of
 * a division by zero.</li>
 * <li>Gradient values must be finite and {@code ≥ 0} (a gradient magnitude); the reference
 * does not check.</li>
 * <li>{@code L} must be symmetric; this is not checked (CG assumes it).</li>
 * <li>With the user's strokes ({@link StrokeTerm}) the energy has one more term, which holds the
 * stroked pixels to their layers.</li>
 * </ul>
 * Fast mode (not in the reference; {@link Params#fast()}, {@link Solver}): the same IRLS and
 * polish with preconditioned CG ({@link RelaxedPreconditioner}: block Jacobi on every pixel's
 * K×K layer block, or block symmetric Gauss–Seidel), and an optional stop of the IRLS once an
 * outer iteration changes no value by more than {@link Solver#stopChange}. Block Jacobi reaches
 * the reference result to the CG tolerance with several times fewer CG iterations
 * ({@code RelaxedSolverBenchmark}; README, "Fast path"). The
 * {@link #refine} entry point starts from given layers without the pre-clean (the layers are
 * the fidelity target), for polishing layers upsampled from a lower resolution.
 * <p>
 * Determinism: every parallel loop uses fixed chunks, so results are bit-identical on any
 * number of threads. The IRLS weights use {@link Math#pow}, which is consistent within one JVM
 * but may differ in the last bit between JVMs/CPUs.
 * <p>
 * Cost at 640×480 (N = 307 200, K = 5): 8 vectors of K·N doubles (≈ 100 MB; the fast mode adds
 * one for the preconditioned residual, one for the block inverses and one for the stop test);
 * one operator application reads each row of {@code L} once for all K layers.
 */
public final class RelaxedSparsification {

	/** Stage name reported to {@link Progress}. */
	public static final String STAGE = "Relaxed sparsification";

	/** Elements (or pixels) per chunk of the parallel loops. */
	private static final int GRAIN = 4096;

	private RelaxedSparsification() {}

	/** Argument check of the records (here, not in a record, to keep their initialisation acyclic). */
	private static void require(final boolean ok, final String message) {
		if (!ok) throw new IllegalArgumentException(message);
	}

	/** Preconditioner of the CG solves (the reference uses none). */
	public enum Preconditioner {
		/** Unpreconditioned CG, as in the reference (spec §3.12). */
		NONE,
		/** Exact inverse of every pixel's K×K layer block ({@link RelaxedPreconditioner#blockJacobi}). */
		BLOCK_JACOBI,
		/**
		 * One symmetric block Gauss–Seidel sweep in fixed pixel chunks
		 * ({@link RelaxedPreconditioner#blockSymmetricGaussSeidel}).
		 */
		BLOCK_GAUSS_SEIDEL
	}

	/**
	 * How the IRLS systems are solved: not part of the spec's constants; {@link #REFERENCE}
	 * reproduces the reference exactly.
	 *
	 * @param preconditioner the CG preconditioner
	 * @param chunk pixels per independently swept chunk of {@link Preconditioner#BLOCK_GAUSS_SEIDEL}
	 *          (≥ 1; ignored otherwise)
	 * @param omega relaxation factor of {@link Preconditioner#BLOCK_GAUSS_SEIDEL}, in (0, 2)
	 * @param stopChange stop the IRLS (and go on with the final polish) as soon as one outer
	 *          iteration changes no value by more than this ({@code max |x_t − x_{t−1}| ≤
	 *          stopChange}); 0 = always run all {@code outerIterations} (≥ 0)
	 */
	public record Solver(Preconditioner preconditioner, int chunk, double omega, double stopChange) {

		/** Unpreconditioned CG, all outer iterations (the reference). */
		public static final Solver REFERENCE = new Solver(Preconditioner.NONE, 1, 1, 0);

		/**
		 * The fast mode: block-Jacobi preconditioning, IRLS stopped when no value moves by more than
		 * 1e-3 in one outer iteration ({@code chunk} and {@code omega} are the defaults for
		 * {@link Preconditioner#BLOCK_GAUSS_SEIDEL}, unused here).
		 */
		public static final Solver FAST = new Solver(Preconditioner.BLOCK_JACOBI, 16384, 1, 1e-3);

		public Solver {
			require(preconditioner != null, "preconditioner must not be null (use Preconditioner.NONE)");
			require(chunk >= 1, "chunk must be >= 1 pixel, got " + chunk);
			require(omega > 0 && omega < 2, "omega must be in (0, 2), got " + omega);
			require(Double.isFinite(stopChange) && stopChange >= 0, "stopChange must be finite and >= 0, got " +
				stopChange);
		}
	}

	/**
	 * All constants of spec §3.12 (immutable, validated on construction), plus how the systems
	 * are solved ({@link Solver}; {@link Solver#REFERENCE} unless given).
	 *
	 * @param sigmaS sparsity weight σ_S (≥ 0; 1)
	 * @param sigmaF fidelity weight σ_F (&gt; 0; 1)
	 * @param delta sum-to-one weight δ (≥ 0; 100)
	 * @param gammaBase exponent where the gradient is 0 (in (0, 2]; 0.9)
	 * @param gammaCap largest gradient contribution to the exponent (≥ 0, gammaBase + gammaCap ≤ 2; 0.1)
	 * @param clamp lower clamp of |x| and |1 − x| in the IRLS weights (&gt; 0; 0.01)
	 * @param lowCut pre-clean: values below become 0 (0.1)
	 * @param highCut pre-clean: values above become 1 (0.9; lowCut ≤ highCut)
	 * @param outerIterations IRLS iterations (≥ 0; 20)
	 * @param cgIterations CG iteration limit per IRLS iteration (≥ 0; 100)
	 * @param finalCgIterations CG iteration limit of the final polish (≥ 0; 1000)
	 * @param tolerance CG relative residual tolerance (in (0, 1); 1e-6)
	 * @param solver preconditioning and early stopping ({@link Solver#REFERENCE})
	 */
	public record Params(double sigmaS, double sigmaF, double delta, double gammaBase, double gammaCap, double clamp,
		double lowCut, double highCut, int outerIterations, int cgIterations, int finalCgIterations,
		double tolerance, Solver solver)
	{

		/** The reference values (spec §3.12 / §12). */
		public static final Params DEFAULTS = new Params(1, 1, 100, 0.9, 0.1, 0.01, 0.1, 0.9, 20, 100, 1000, 1e-6);

		/** The spec's constants with the reference solver ({@link Solver#REFERENCE}). */
		public Params(final double sigmaS, final double sigmaF, final double delta, final double gammaBase,
			final double gammaCap, final double clamp, final double lowCut, final double highCut,
			final int outerIterations, final int cgIterations, final int finalCgIterations, final double tolerance)
		{
			this(sigmaS, sigmaF, delta, gammaBase, gammaCap, clamp, lowCut, highCut, outerIterations, cgIterations,
				finalCgIterations, tolerance, Solver.REFERENCE);
		}

		/**
		 * The fast mode: the reference constants and iteration limits with {@link Solver#FAST}
		 * (preconditioned CG, IRLS stopped once the layers stop changing).
		 */
		public static Params fast() {
			return DEFAULTS.withSolver(Solver.FAST);
		}

		public Params {
			require(solver != null, "solver must not be null (use Solver.REFERENCE)");
			require(Double.isFinite(sigmaS) && sigmaS >= 0, "sigmaS must be finite and >= 0, got " + sigmaS);
			require(Double.isFinite(sigmaF) && sigmaF > 0, "sigmaF must be finite and > 0, got " + sigmaF);
			require(Double.isFinite(delta) && delta >= 0, "delta must be finite and >= 0, got " + delta);
			require(gammaBase > 0 && gammaBase <= 2, "gammaBase must be in (0, 2], got " + gammaBase);
			require(gammaCap >= 0 && gammaBase + gammaCap <= 2,
				"gammaCap must be >= 0 with gammaBase + gammaCap <= 2, got " + gammaCap);
			require(Double.isFinite(clamp) && clamp > 0, "clamp must be finite and > 0, got " + clamp);
			require(Double.isFinite(lowCut) && Double.isFinite(highCut) && lowCut <= highCut,
				"lowCut and highCut must be finite with lowCut <= highCut, got " + lowCut + " and " + highCut);
			require(outerIterations >= 0, "outerIterations must be >= 0, got " + outerIterations);
			require(cgIterations >= 0, "cgIterations must be >= 0, got " + cgIterations);
			require(finalCgIterations >= 0, "finalCgIterations must be >= 0, got " + finalCgIterations);
			require(tolerance > 0 && tolerance < 1, "tolerance must be in (0, 1), got " + tolerance);
		}

		/** A copy with other iteration limits. */
		public Params withIterations(final int outer, final int cg, final int finalCg) {
			return new Params(sigmaS, sigmaF, delta, gammaBase, gammaCap, clamp, lowCut, highCut, outer, cg, finalCg,
				tolerance, solver);
		}

		/** A copy with another CG tolerance. */
		public Params withTolerance(final double tol) {
			return new Params(sigmaS, sigmaF, delta, gammaBase, gammaCap, clamp, lowCut, highCut, outerIterations,
				cgIterations, finalCgIterations, tol, solver);
		}

		/** A copy with another solver. */
		public Params withSolver(final Solver s) {
			return new Params(sigmaS, sigmaF, delta, gammaBase, gammaCap, clamp, lowCut, highCut, outerIterations,
				cgIterations, finalCgIterations, tolerance, s);
		}
	}

	/**
	 * Refined layers and the work done.
	 *
	 * @param layers the refined layers {@code [K][N]} (not clipped, sums ≈ 1)
	 * @param solves one CG result per solve: the IRLS solves ({@code outerIterations}, fewer when
	 *          {@link Solver#stopChange} stopped the IRLS early), then the final polish (array
	 *          owned by the result, not copied)
	 */
	public record Result(double[][] layers, ConjugateGradient.Result[] solves) {

		/** CG iterations performed in each solve (IRLS solves, then the polish). */
		public int[] cgIterations() {
			return Arrays.stream(solves).mapToInt(ConjugateGradient.Result::performedIterations).toArray();
		}

		/** CG iterations performed in all solves together. */
		public int totalCgIterations() {
			return Arrays.stream(solves).mapToInt(ConjugateGradient.Result::performedIterations).sum();
		}
	}

	/**
	 * Runs the relaxed sparsification and returns the layers only; see {@link #solve}.
	 */
	public static double[][] run(final double[][] groupedLayers, final SparseMatrix laplacian, final float[] gradient,
		final Params params, final Progress progress)
	{
		return solve(groupedLayers, laplacian, gradient, params, progress).layers();
	}

	/**
	 * Runs the relaxed sparsification.
	 *
	 * @param groupedLayers the K grouped layers {@code [K][N]}, K ≥ 1 (not modified)
	 * @param laplacian the N×N Laplacian {@code L} (symmetric)
	 * @param gradient the image gradient magnitude (length N, finite, ≥ 0), or {@code null} for
	 *          {@code γ = gammaBase} everywhere
	 * @param params the constants ({@link Params#DEFAULTS} for the reference)
	 * @param progress progress and cancellation, checked in every CG iteration
	 * @return the refined layers and the CG iteration counts
	 */
	public static Result solve(final double[][] groupedLayers, final SparseMatrix laplacian, final float[] gradient,
		final Params params, final Progress progress)
	{
		return solve(groupedLayers, laplacian, gradient, params, null, progress);
	}

	/**
	 * The user's strokes as one more term of the energy (issue 18; not in the paper, whose result
	 * is fully automatic): {@code Σ_i w_i Σ_k (α_ki − t_ki)²}, which holds the pixels under a
	 * stroke to that stroke's layer. It enters every IRLS system and the final polish.
	 *
	 * @param weight {@code w_i} per pixel (finite, ≥ 0; 0 where no stroke lies)
	 * @param target {@code t_ki} stacked layer-major ({@code k·N + i}): the share of pixel
	 *          {@code i}'s strokes that belong to layer {@code k} (read only where {@code w_i > 0})
	 */
	public record StrokeTerm(double[] weight, double[] target) {}

	/**
	 * As {@link #solve(double[][], SparseMatrix, float[], Params, Progress)}, with the strokes'
	 * term in the energy.
	 *
	 * @param strokes null (none), or {@code N} weights and {@code K·N} targets
	 */
	public static Result solve(final double[][] groupedLayers, final SparseMatrix laplacian, final float[] gradient,
		final Params params, final StrokeTerm strokes, final Progress progress)
	{
		validate(groupedLayers, laplacian, gradient, params, progress);
		final int n = laplacian.size();
		if (strokes != null) {
			require(strokes.weight() != null && strokes.weight().length == n, "The stroke weights must have one value per " +
				"pixel (" + n + ")");
			require(strokes.target() != null && strokes.target().length == (long) groupedLayers.length * n,
				"The stroke targets must have one value per layer and pixel (" + groupedLayers.length + "×" + n + ")");
			for (final double w : strokes.weight()) {
				require(Double.isFinite(w) && w >= 0, "Stroke weights must be finite and >= 0, got " + w);
			}
		}
		final double[] target = preClean(groupedLayers, n, params);
		return iterate(target, laplacian, gradient, params, strokes, progress);
	}

	/**
	 * The relaxed sparsification started from given layers, without the pre-clean: the layers
	 * are both the initial iterate and the fidelity target {@code α̂} (steps 1 and 3–7 of spec
	 * §3.12). Meant for refining layers that are already close to a solution, e.g. layers
	 * computed at a lower resolution and upsampled, with a few preconditioned outer iterations.
	 *
	 * @param layers the K starting layers {@code [K][N]}, K ≥ 1 (not modified; not cut, not
	 *          renormalised)
	 * @param laplacian the N×N Laplacian {@code L} (symmetric)
	 * @param gradient the image gradient magnitude (length N, finite, ≥ 0), or {@code null}
	 * @param params the constants (the cut values are not used) and the solver
	 * @param progress progress and cancellation, checked in every CG iteration
	 * @return the refined layers and the CG iteration counts
	 */
	public static Result refine(final double[][] layers, final SparseMatrix laplacian, final float[] gradient,
		final Params params, final Progress progress)
	{
		validate(layers, laplacian, gradient, params, progress);
		final int k = layers.length, n = laplacian.size();
		final double[] target = new double[k * n];
		for (int l = 0; l < k; l++) System.arraycopy(layers[l], 0, target, l * n, n);
		return iterate(target, laplacian, gradient, params, null, progress);
	}

	/**
	 * Steps 1 and 3–7 from the fidelity target {@code α̂} (stacked layer-major; also the start),
	 * with the strokes' term in every system when {@code strokes} is not null.
	 */
	private static Result iterate(final double[] target, final SparseMatrix laplacian, final float[] gradient,
		final Params params, final StrokeTerm strokes, final Progress progress)
	{
		final int n = laplacian.size();
		final int size = target.length;
		final int k = size / n;
		final double[] exponent = exponents(gradient, n, params);
		final double[] clampPower = clampPowers(exponent, params);
		final double[] x = target.clone();
		final double[] d = new double[size];
		final double[] b = new double[size];
		final RelaxedSystemOperator op = new RelaxedSystemOperator(laplacian, k, params.delta(), d);
		final Solver solver = params.solver();
		final RelaxedPreconditioner m = switch (solver.preconditioner()) {
			case NONE -> null;
			case BLOCK_JACOBI -> RelaxedPreconditioner.blockJacobi(laplacian, k, params.delta(), d);
			case BLOCK_GAUSS_SEIDEL -> RelaxedPreconditioner.blockSymmetricGaussSeidel(laplacian, k, params.delta(), d,
				solver.chunk(), solver.omega());
		};
		final double[] previous = solver.stopChange() > 0 ? new double[size] : null;
		final int solveCount = params.outerIterations() + 1;
		final ConjugateGradient.Result[] results = new ConjugateGradient.Result[solveCount];
		int done = 0;
		while (done < params.outerIterations()) {
			final int t = done;
			progress.checkpoint(STAGE, t / (double) solveCount);
			irlsSystem(x, target, exponent, clampPower, k, n, params, d, b);
			if (strokes != null) addStrokes(strokes, k, n, d, b);
			if (previous != null) System.arraycopy(x, 0, previous, 0, size);
			results[t] = cg(op, m, b, x, params.tolerance(), params.cgIterations(), scaled(progress, t, solveCount));
			done++;
			if (previous != null && maxChange(x, previous) <= solver.stopChange()) break;
		}
		progress.checkpoint(STAGE, params.outerIterations() / (double) solveCount);
		final double sf = params.sigmaF(), dl = params.delta();
		Parallel.forRange(size, GRAIN, (s, e) -> {
			for (int i = s; i < e; i++) {
				d[i] = sf;
				b[i] = sf * x[i] + dl;
			}
		});
		if (strokes != null) addStrokes(strokes, k, n, d, b);
		results[done] = cg(op, m, b, x, params.tolerance(), params.finalCgIterations(), scaled(progress, solveCount - 1,
			solveCount));
		progress.checkpoint(STAGE, 1);
		final double[][] layers = new double[k][];
		for (int l = 0; l < k; l++) layers[l] = Arrays.copyOfRange(x, l * n, (l + 1) * n);
		return new Result(layers, done + 1 == solveCount ? results : Arrays.copyOf(results, done + 1));
	}

	/** One CG solve: unpreconditioned exactly as the reference when {@code m} is null. */
	private static ConjugateGradient.Result cg(final RelaxedSystemOperator op, final RelaxedPreconditioner m,
		final double[] b, final double[] x, final double tolerance, final int maxIterations, final Progress progress)
	{
		if (m == null) return ConjugateGradient.solve(op, b, x, tolerance, maxIterations, progress, STAGE);
		m.update();
		return ConjugateGradient.solvePreconditioned(op, m, b, x, tolerance, maxIterations, progress, STAGE);
	}

	/** {@code max |x − y|} (max is exact, so the chunked reduction is order-independent). */
	private static double maxChange(final double[] x, final double[] y) {
		final int chunks = (x.length + GRAIN - 1) / GRAIN;
		final double[] partial = new double[chunks];
		Parallel.forRange(chunks, 1, (c0, c1) -> {
			for (int c = c0; c < c1; c++) {
				double mx = 0;
				for (int i = c * GRAIN, e = Math.min(x.length, i + GRAIN); i < e; i++) mx = Math.max(mx, Math.abs(x[i] - y[i]));
				partial[c] = mx;
			}
		});
		double mx = 0;
		for (final double p : partial) mx = Math.max(mx, p);
		return mx;
	}

	/** {@code γ_i − 2} per pixel. */
	static double[] exponents(final float[] gradient, final int n, final Params params) {
		final double[] e = new double[n];
		for (int i = 0; i < n; i++) {
			final double g = gradient == null ? 0 : Math.min(gradient[i], params.gammaCap());
			e[i] = params.gammaBase() + g - 2;
		}
		return e;
	}

	/**
	 * Pre-clean (step 2): cut, then renormalise per pixel; returns {@code α̂} stacked layer-major.
	 * A zero sum gives {@code 1/K} in every layer.
	 */
	static double[] preClean(final double[][] layers, final int n, final Params params) {
		final int k = layers.length;
		final double[] out = new double[k * n];
		final double lo = params.lowCut(), hi = params.highCut();
		Parallel.forRange(n, GRAIN, (s, e) -> {
			for (int i = s; i < e; i++) {
				double sum = 0;
				for (int l = 0; l < k; l++) {
					double a = layers[l][i];
					if (a < lo) a = 0;
					else if (a > hi) a = 1;
					out[l * n + i] = a;
					sum += a;
				}
				for (int l = 0; l < k; l++) out[l * n + i] = sum == 0 ? 1.0 / k : out[l * n + i] / sum;
			}
		});
		return out;
	}

	/**
	 * {@code clamp^(γ_i − 2)} per pixel: the IRLS weight of every value clamped to
	 * {@code clamp} (most values near 0 or 1), computed once instead of once per value.
	 */
	static double[] clampPowers(final double[] exponent, final Params params) {
		final double c = params.clamp();
		final double[] out = new double[exponent.length];
		Parallel.forRange(out.length, GRAIN, (s, e) -> {
			for (int i = s; i < e; i++) out[i] = Math.pow(c, exponent[i]);
		});
		return out;
	}

	/**
	 * Adds the strokes' term ({@link StrokeTerm}) to a system: {@code w_i} to the diagonal,
	 * {@code w_i·t_ki} to the right-hand side.
	 */
	static void addStrokes(final StrokeTerm strokes, final int k, final int n, final double[] d, final double[] b) {
		final double[] w = strokes.weight(), t = strokes.target();
		Parallel.forRange(n, GRAIN, (s, e) -> {
			for (int i = s; i < e; i++) {
				if (w[i] == 0) continue;
				for (int l = 0; l < k; l++) {
					d[l * n + i] += w[i];
					b[l * n + i] += w[i] * t[l * n + i];
				}
			}
		});
	}

	/**
	 * IRLS weights (step 5): diagonal {@code σ_S(u+v) + σ_F} and right-hand side. A value whose
	 * {@code |x|} (or {@code |1 − x|}) is at most the clamp takes its weight from
	 * {@code clampPower} (the same {@code Math.pow(clamp, γ−2)}, so bit-identical to computing it).
	 */
	static void irlsSystem(final double[] x, final double[] target, final double[] exponent,
		final double[] clampPower, final int k, final int n, final Params params, final double[] d, final double[] b)
	{
		final double ss = params.sigmaS(), sf = params.sigmaF(), dl = params.delta(), c = params.clamp();
		Parallel.forRange(n, GRAIN, (s, e) -> {
			for (int i = s; i < e; i++) {
				final double ex = exponent[i], cp = clampPower[i];
				for (int l = 0; l < k; l++) {
					final int idx = l * n + i;
					final double xi = x[idx];
					final double ax = Math.abs(xi), a1 = Math.abs(1 - xi);
					final double u = ax > c ? Math.pow(ax, ex) : cp;
					final double v = a1 > c ? Math.pow(a1, ex) : cp;
					d[idx] = ss * (u + v) + sf;
					b[idx] = ss * v + sf * target[idx] + dl;
				}
			}
		});
	}

	/** Maps a solve's progress fraction into its slot {@code [t, t+1) / count} of the stage. */
	private static Progress scaled(final Progress parent, final int t, final int count) {
		return new Progress() {
			@Override
			public void report(final String stage, final double fraction) {
				parent.report(stage, (t + fraction) / count);
			}

			@Override
			public boolean isCancelled() {
				return parent.isCancelled();
			}
		};
	}

	private static void validate(final double[][] layers, final SparseMatrix laplacian, final float[] gradient,
		final Params params, final Progress progress)
	{
		if (laplacian == null) throw new IllegalArgumentException("laplacian must not be null");
		if (params == null) throw new IllegalArgumentException("params must not be null (use Params.DEFAULTS)");
		if (progress == null) throw new IllegalArgumentException("progress must not be null (use Progress.NONE)");
		if (layers == null || layers.length == 0) throw new IllegalArgumentException(
			"groupedLayers must hold at least one layer");
		final int n = laplacian.size();
		if ((long) layers.length * n > Integer.MAX_VALUE - 8) throw new IllegalArgumentException(
			layers.length + " layers of " + n + " pixels exceed the largest Java array");
		for (int l = 0; l < layers.length; l++) {
			if (layers[l] == null || layers[l].length != n) throw new IllegalArgumentException(
				"layer " + l + " has " + (layers[l] == null ? "no" : layers[l].length) + " values; the "
					+ n + "×" + n + " Laplacian needs " + n);
			for (int i = 0; i < n; i++) {
				if (!Double.isFinite(layers[l][i])) throw new IllegalArgumentException(
					"layer " + l + " has a non-finite value at pixel " + i);
			}
		}
		if (gradient != null) {
			if (gradient.length != n) throw new IllegalArgumentException(
				"gradient has " + gradient.length + " values, expected " + n + " (one per pixel) or null");
			for (int i = 0; i < n; i++) {
				if (!(gradient[i] >= 0 && gradient[i] < Float.POSITIVE_INFINITY)) throw new IllegalArgumentException(
					"gradient magnitude must be finite and >= 0, got " + gradient[i] + " at pixel " + i);
			}
		}
	}
}
