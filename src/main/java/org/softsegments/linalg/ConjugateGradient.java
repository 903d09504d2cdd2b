package org.softsegments.linalg;

import java.util.Arrays;

import org.softsegments.core.Parallel;
import org.softsegments.core.Progress;

/**
 * Conjugate gradients for symmetric positive definite systems {@code A x = b}, with the
 * semantics of MATLAB {@code pcg(A, b, tol, maxit, [], [], x0)} that spec §3.12 / §5.2 relies on:
 * <ul>
 * <li>convergence test on the relative residual {@code ‖b − A x‖ / ‖b‖ ≤ tol}; the recurrence
 * residual triggers the test and the true residual {@code b − A x} confirms it (residual
 * replacement: on a failed confirmation the true residual replaces the recurrence one and the
 * iteration goes on for at most {@code min(⌊n/50⌋, 5, n − maxit)} more confirmations);</li>
 * <li>{@code b = 0} gives {@code x = 0} after 0 iterations;</li>
 * <li>if the initial guess already satisfies the test the solver returns it after 0
 * iterations;</li>
 * <li>if the iteration limit is reached without convergence (or the method breaks down or
 * stagnates) it returns the iterate with the <em>smallest residual norm seen</em>, the initial
 * guess included, not the last one (compared by the recurrence residual norms, as MATLAB does;
 * the chosen iterate's true residual is then recomputed and kept only if it is not worse than
 * the last iterate's);</li>
 * <li>stagnation ({@code ‖α p‖ < eps·‖x‖} three times in a row) and breakdown
 * ({@code pᵀA p ≤ 0}, {@code ρ = 0}, infinities) stop the iteration like MATLAB's flags 3 and 4;</li>
 * <li>no preconditioner by default; {@link #solve(LinearOperator, double[], double[], double[],
 * double, int, Progress, String)} accepts an optional diagonal (Jacobi) preconditioner given as
 * the inverse diagonal, and {@link #solvePreconditioned} a general symmetric positive definite
 * preconditioner given as an operator applying {@code M⁻¹} (MATLAB's {@code pcg(A, b, tol,
 * maxit, M, [], x0)} with {@code M} a function handle for {@code M \ r}); the convergence test,
 * the stagnation test and the minimum-residual choice use the unpreconditioned residual
 * {@code ‖b − A x‖}, as MATLAB does.</li>
 * </ul>
 * Vector operations are fused (one pass for {@code p} and {@code ‖p‖}, one for
 * {@code x}, {@code r}, {@code ‖r‖}, {@code ‖x‖}) and run with {@link Parallel} in fixed-size
 * chunks whose partial sums are added in chunk order, so the result is bit-identical on any
 * number of threads (provided the operator is).
 * <p>
 * Deviations from MATLAB: norms are plain square roots of sums of squares (no scaled BLAS
 * {@code dnrm2}), and the summation order differs, so results agree with MATLAB to rounding
 * only. Extra work per solve besides one operator application per iteration: one application
 * for the initial residual, one per convergence confirmation, and one for the final check of
 * the minimum-residual iterate when not converged.
 */
public final class ConjugateGradient {

	/** Elements per chunk of every parallel vector loop (fixed: results do not depend on threads). */
	static final int GRAIN = 8192;

	private static final double EPS = Math.ulp(1.0);
	private static final int MAX_STAGNATION_STEPS = 3;

	private ConjugateGradient() {}

	/** Why the iteration stopped (MATLAB's {@code flag} 0, 1, 3, 4). */
	public enum Status {
		/** The relative residual is at most the tolerance (flag 0). */
		CONVERGED,
		/** The iteration limit was reached (flag 1). */
		MAX_ITERATIONS,
		/** Stagnated, or the recurrence residual kept meeting the tolerance while the true residual did not (flag 3). */
		STAGNATED,
		/** A scalar became 0, non-positive or infinite (flag 4). */
		BREAKDOWN
	}

	/**
	 * Outcome of one solve.
	 *
	 * @param iterations iteration number of the returned iterate (MATLAB's {@code iter}: 0 for the
	 *          initial guess; on non-convergence the index of the minimum-residual iterate)
	 * @param performedIterations CG iterations actually performed (work done, at most the limit)
	 * @param relativeResidual {@code ‖b − A x‖ / ‖b‖} of the returned iterate (0 when {@code b = 0})
	 * @param status why the iteration stopped
	 */
	public record Result(int iterations, int performedIterations, double relativeResidual, Status status) {

		/** True if the relative residual met the tolerance. */
		public boolean converged() {
			return status == Status.CONVERGED;
		}
	}

	/**
	 * Solves {@code A x = b} without preconditioner (MATLAB {@code pcg(A, b, tol, maxit, [], [], x0)}).
	 *
	 * @param a the operator, symmetric positive definite
	 * @param b right-hand side (not modified)
	 * @param x on entry the initial guess, on exit the returned iterate
	 * @param tolerance relative residual tolerance, {@code 0 < tolerance < 1} (1e-6 in spec §3.12)
	 * @param maxIterations iteration limit, {@code ≥ 0}
	 * @param progress checked once per iteration with fraction {@code iteration / maxIterations}
	 * @param stage stage name given to {@code progress}
	 */
	public static Result solve(final LinearOperator a, final double[] b, final double[] x, final double tolerance,
		final int maxIterations, final Progress progress, final String stage)
	{
		return solve(a, null, b, x, tolerance, maxIterations, progress, stage);
	}

	/**
	 * Solves {@code A x = b} with an optional diagonal (Jacobi) preconditioner
	 * {@code M = diag(1 / inverseDiagonal)}; {@code inverseDiagonal = null} means none. See
	 * {@link #solve(LinearOperator, double[], double[], double, int, Progress, String)}.
	 *
	 * @param inverseDiagonal {@code null}, or the positive entries of {@code M⁻¹} (length of {@code b})
	 */
	public static Result solve(final LinearOperator a, final double[] inverseDiagonal, final double[] b,
		final double[] x, final double tolerance, final int maxIterations, final Progress progress,
		final String stage)
	{
		validate(a, inverseDiagonal, b, x, tolerance, maxIterations, progress);
		return run(a, inverseDiagonal, null, b, x, tolerance, maxIterations, progress, stage);
	}

	/**
	 * Solves {@code A x = b} with a general preconditioner {@code M} given as the operator
	 * {@code z = M⁻¹ r} (MATLAB {@code pcg(A, b, tol, maxit, M, [], x0)}); {@code null} means
	 * none and gives exactly the result of
	 * {@link #solve(LinearOperator, double[], double[], double, int, Progress, String)}. Same
	 * semantics otherwise: the tests use the true (unpreconditioned) residual norm; {@code ρ =
	 * rᵀM⁻¹r}. One application of {@code M⁻¹} per iteration, plus one after each true-residual
	 * computation (initial residual, convergence confirmations).
	 *
	 * @param a the operator, symmetric positive definite
	 * @param inversePreconditioner {@code M⁻¹}, symmetric positive definite (a fixed linear
	 *          operator for the duration of the solve), or {@code null}
	 * @param b right-hand side (not modified)
	 * @param x on entry the initial guess, on exit the returned iterate
	 * @param tolerance relative residual tolerance, {@code 0 < tolerance < 1}
	 * @param maxIterations iteration limit, {@code ≥ 0}
	 * @param progress checked once per iteration
	 * @param stage stage name given to {@code progress}
	 */
	public static Result solvePreconditioned(final LinearOperator a, final LinearOperator inversePreconditioner,
		final double[] b, final double[] x, final double tolerance, final int maxIterations, final Progress progress,
		final String stage)
	{
		validate(a, null, b, x, tolerance, maxIterations, progress);
		return run(a, null, inversePreconditioner, b, x, tolerance, maxIterations, progress, stage);
	}

	/**
	 * The iteration; at most one of {@code inverseDiagonal} and {@code m} is non-null. With
	 * {@code m == null} the arithmetic is exactly that of the unpreconditioned and Jacobi solver.
	 */
	private static Result run(final LinearOperator a, final double[] inverseDiagonal, final LinearOperator m,
		final double[] b, final double[] x, final double tolerance, final int maxIterations, final Progress progress,
		final String stage)
	{
		final int n = b.length;
		final double n2b = Math.sqrt(dot(b, b));
		if (n2b == 0) {
			Arrays.fill(x, 0);
			return new Result(0, 0, 0, Status.CONVERGED);
		}
		final double tolb = tolerance * n2b;
		final double[] r = new double[n];
		final double[] z = m == null ? null : new double[n];
		trueResidual(a, b, x, r);
		double[] rr = rhoAndNorm(r, inverseDiagonal, m, z);
		double normr = Math.sqrt(rr[0]);
		double normrAct = normr;
		if (normr <= tolb) return new Result(0, 0, normr / n2b, Status.CONVERGED);

		final double[] p = new double[n];
		final double[] q = new double[n];
		final double[] xmin = x.clone();
		double normrmin = normr;
		int imin = 0;
		double rho = rr[1];
		double normx = Math.sqrt(dot(x, x));
		double rhoPrevious = 1;
		int stag = 0;
		int moreSteps = 0;
		final int maxMoreSteps = Math.min(Math.min(n / 50, 5), n - maxIterations);
		Status status = Status.MAX_ITERATIONS;
		int performed = 0;
		int iter = maxIterations;
		for (int ii = 1; ii <= maxIterations; ii++) {
			progress.checkpoint(stage, (ii - 1) / (double) maxIterations);
			if (rho == 0 || Double.isInfinite(rho) || (m != null && Double.isNaN(rho))) {
				status = Status.BREAKDOWN;
				iter = ii;
				break;
			}
			final double pp;
			if (ii == 1) {
				pp = updateDirection(z == null ? r : z, inverseDiagonal, 0, p, true);
			}
			else {
				final double beta = rho / rhoPrevious;
				if (beta == 0 || Double.isInfinite(beta)) {
					status = Status.BREAKDOWN;
					iter = ii;
					break;
				}
				pp = updateDirection(z == null ? r : z, inverseDiagonal, beta, p, false);
			}
			a.apply(p, q);
			final double pq = dot(p, q);
			if (pq <= 0 || Double.isInfinite(pq)) {
				status = Status.BREAKDOWN;
				iter = ii;
				break;
			}
			final double alpha = rho / pq;
			if (Double.isInfinite(alpha)) {
				status = Status.BREAKDOWN;
				iter = ii;
				break;
			}
			performed = ii;
			if (Math.sqrt(pp) * Math.abs(alpha) < EPS * normx) stag++;
			else stag = 0;
			final double[] sums = step(alpha, p, q, x, r, inverseDiagonal);
			normr = Math.sqrt(sums[0]);
			rhoPrevious = rho;
			rho = m == null ? sums[1] : applyPreconditioner(m, r, z);
			normx = Math.sqrt(sums[2]);
			normrAct = normr;
			if (normr <= tolb || stag >= MAX_STAGNATION_STEPS || moreSteps > 0) {
				trueResidual(a, b, x, r);
				rr = rhoAndNorm(r, inverseDiagonal, m, z);
				normrAct = Math.sqrt(rr[0]);
				rho = rr[1];
				if (normrAct <= tolb) {
					progress.checkpoint(stage, 1);
					return new Result(ii, performed, normrAct / n2b, Status.CONVERGED);
				}
				if (stag >= MAX_STAGNATION_STEPS && moreSteps == 0) stag = 0;
				moreSteps++;
				if (moreSteps >= maxMoreSteps) {
					status = Status.STAGNATED;
					iter = ii;
					break;
				}
			}
			if (normrAct < normrmin) {
				normrmin = normrAct;
				copy(x, xmin);
				imin = ii;
			}
			if (stag >= MAX_STAGNATION_STEPS) {
				status = Status.STAGNATED;
				iter = ii;
				break;
			}
		}
		// not converged: return the minimum-residual iterate unless the last one is better
		trueResidual(a, b, xmin, r);
		final double normrComp = Math.sqrt(dot(r, r));
		progress.checkpoint(stage, 1);
		if (normrComp <= normrAct) {
			copy(xmin, x);
			return new Result(imin, performed, normrComp / n2b, status);
		}
		return new Result(iter, performed, normrAct / n2b, status);
	}

	/** Dot product in fixed chunks, partial sums added in chunk order. */
	static double dot(final double[] u, final double[] v) {
		return Parallel.sum(u.length, GRAIN, (s, e) -> {
			double t = 0;
			for (int i = s; i < e; i++) t += u[i] * v[i];
			return t;
		});
	}

	/** {@code r = b − A x}. */
	private static void trueResidual(final LinearOperator a, final double[] b, final double[] x, final double[] r) {
		a.apply(x, r);
		Parallel.forRange(r.length, GRAIN, (s, e) -> {
			for (int i = s; i < e; i++) r[i] = b[i] - r[i];
		});
	}

	/**
	 * {@code {rᵀr, rᵀM⁻¹r}} (both {@code rᵀr} without preconditioner); with an operator
	 * preconditioner {@code m} also {@code z = M⁻¹r}.
	 */
	private static double[] rhoAndNorm(final double[] r, final double[] inv, final LinearOperator m, final double[] z) {
		if (m != null) return new double[] { dot(r, r), applyPreconditioner(m, r, z) };
		if (inv == null) {
			final double rr = dot(r, r);
			return new double[] { rr, rr };
		}
		return chunkSums(r.length, 2, (s, e, out, o) -> {
			double rr = 0, rz = 0;
			for (int i = s; i < e; i++) {
				final double ri = r[i];
				rr += ri * ri;
				rz += ri * ri * inv[i];
			}
			out[o] = rr;
			out[o + 1] = rz;
		});
	}

	/** {@code z = M⁻¹r}; returns {@code rᵀz}. */
	private static double applyPreconditioner(final LinearOperator m, final double[] r, final double[] z) {
		m.apply(r, z);
		return dot(r, z);
	}

	/**
	 * {@code p = M⁻¹r + beta·p} (or {@code p = M⁻¹r} when {@code first}); returns {@code pᵀp}. With an
	 * operator preconditioner the caller passes {@code z = M⁻¹r} as {@code r} and {@code inv = null}.
	 */
	private static double updateDirection(final double[] r, final double[] inv, final double beta, final double[] p,
		final boolean first)
	{
		return Parallel.sum(r.length, GRAIN, (s, e) -> {
			double pp = 0;
			for (int i = s; i < e; i++) {
				final double z = inv == null ? r[i] : inv[i] * r[i];
				final double pi = first ? z : z + beta * p[i];
				p[i] = pi;
				pp += pi * pi;
			}
			return pp;
		});
	}

	/**
	 * {@code x += alpha·p}, {@code r −= alpha·q}; returns {@code {rᵀr, rᵀM⁻¹r, xᵀx}} of the
	 * updated vectors.
	 */
	private static double[] step(final double alpha, final double[] p, final double[] q, final double[] x,
		final double[] r, final double[] inv)
	{
		return chunkSums(x.length, 3, (s, e, out, o) -> {
			double rr = 0, rz = 0, xx = 0;
			for (int i = s; i < e; i++) {
				final double xi = x[i] + alpha * p[i];
				final double ri = r[i] - alpha * q[i];
				x[i] = xi;
				r[i] = ri;
				rr += ri * ri;
				if (inv != null) rz += ri * ri * inv[i];
				xx += xi * xi;
			}
			out[o] = rr;
			out[o + 1] = inv == null ? rr : rz;
			out[o + 2] = xx;
		});
	}

	private static void copy(final double[] from, final double[] to) {
		Parallel.forRange(from.length, GRAIN, (s, e) -> System.arraycopy(from, s, to, s, e - s));
	}

	/** Body computing {@code width} partial sums of {@code [start, end)} into {@code out[offset…]}. */
	@FunctionalInterface
	private interface ChunkSums {
		void run(int start, int end, double[] out, int offset);
	}

	/**
	 * Several sums over {@code [0, n)} in fixed chunks of {@link #GRAIN}; partials are added in
	 * chunk order (same scheme as {@link Parallel#sum}), so the result does not depend on threads.
	 */
	private static double[] chunkSums(final int n, final int width, final ChunkSums body) {
		final int chunks = (n + GRAIN - 1) / GRAIN;
		final double[] partial = new double[chunks * width];
		Parallel.forRange(chunks, 1, (c0, c1) -> {
			for (int c = c0; c < c1; c++) {
				final int s = c * GRAIN;
				body.run(s, Math.min(n, s + GRAIN), partial, c * width);
			}
		});
		final double[] total = new double[width];
		for (int c = 0; c < chunks; c++) {
			for (int j = 0; j < width; j++) total[j] += partial[c * width + j];
		}
		return total;
	}

	private static void validate(final LinearOperator a, final double[] inverseDiagonal, final double[] b,
		final double[] x, final double tolerance, final int maxIterations, final Progress progress)
	{
		if (a == null) throw new IllegalArgumentException("operator must not be null");
		if (b == null || x == null) throw new IllegalArgumentException("right-hand side and initial guess must not be null");
		if (x.length != b.length) throw new IllegalArgumentException(
			"initial guess has " + x.length + " entries, right-hand side " + b.length + "; they must match");
		if (inverseDiagonal != null && inverseDiagonal.length != b.length) throw new IllegalArgumentException(
			"inverse diagonal has " + inverseDiagonal.length + " entries, expected " + b.length);
		if (!(tolerance > 0 && tolerance < 1)) throw new IllegalArgumentException(
			"tolerance must be in (0, 1), got " + tolerance);
		if (maxIterations < 0) throw new IllegalArgumentException("maxIterations must be >= 0, got " + maxIterations);
		if (progress == null) throw new IllegalArgumentException("progress must not be null (use Progress.NONE)");
	}
}
