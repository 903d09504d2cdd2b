package org.softsegments.linalg;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.decomposition.eig.SymmetricQRAlgorithmDecomposition_DDRM;
import org.softsegments.core.Parallel;
import org.softsegments.core.Progress;

import dev.ludovic.netlib.arpack.ARPACK;
import dev.ludovic.netlib.arpack.JavaARPACK;
import org.netlib.util.doubleW;
import org.netlib.util.intW;

/**
 * The {@code count} eigenpairs of smallest magnitude of a sparse symmetric matrix (spec §3.7,
 * MATLAB {@code eigs(L, count, 'SM')}), by shift-invert block Lanczos.
 * <p>
 * Method:
 * <ol>
 * <li>{@code L − σI} is factorised once by {@link SupernodalLdlt} (AMD ordering, supernodal
 * multifrontal {@code LDLᵀ} that accepts negative pivots, because the pipeline's Laplacian may be
 * slightly indefinite), with a small negative shift {@code σ = −SHIFT_SCALE · mean|L_ii|}: σ = 0 would
 * be singular ({@code L·1 = 0}). A vanishing pivot makes it retry with a 10× larger |σ|.</li>
 * <li>{@link BlockLanczos} (block thick-restart Lanczos with locking, blocks of {@link #BLOCK}
 * vectors, basis {@code 2·nev}) on {@code (L − σI)⁻¹} gives the {@code nev = count + max(10,
 * count/10)} eigenpairs nearest σ, to relative accuracy {@link #TOLERANCE}.</li>
 * <li>The {@code count} pairs of smallest {@code |λ|} are kept, and the selection is verified to be
 * complete: every eigenvalue not computed lies at distance ≥ d from σ (d = distance of the farthest
 * computed one), so nothing is missing when the largest selected {@code |λ|} plus {@code |σ|} is
 * below d; otherwise more pairs are computed. Eigenvalues are the Rayleigh quotients {@code vᵀLv};
 * residuals {@code ‖Lv − λv‖} are checked against {@code ‖L‖₁}.</li>
 * <li>If σ turned out to be so close to an eigenvalue (relative to the selected range) that the
 * residuals stay above {@link #RESHIFT_RESIDUAL}{@code ·‖L‖₁}, everything is repeated once with
 * {@code σ = −RESHIFT · max|λ|}.</li>
 * </ol>
 * Determinism: the start block comes from {@code seed}; factorisation, solves and dense kernels add
 * in a fixed order whatever the number of threads, so the output is bit-identical for a given input
 * and seed on any thread count.
 * <p>
 * ARPACK: {@code dev.ludovic.netlib.arpack.ARPACK.getInstance()} loads a native ARPACK when the system
 * has one (results then depend on that library), otherwise the f2j translation, which keeps its state
 * in static fields (not thread-safe) and draws restart vectors from a static random seed. The
 * pure-Java ARPACK path is kept package-private ({@code solve(…, arpack = true)}, serialised on a lock)
 * to cross-check the block Lanczos, which is about twice as fast here (parallel, blocked solves).
 * <p>
 * Deviations from MATLAB {@code eigs}: shift slightly below 0 instead of 0; tolerance 1e-12 instead of
 * 1e-14; the pairs are returned in ascending |λ| (order and signs are irrelevant for the pipeline).
 * Tiny problems (N ≤ {@link #DENSE_LIMIT}, or where the Krylov basis would fill the space) are solved
 * densely with EJML.
 */
public final class ShiftInvertEigensolver {

	/** Relative shift: σ = −SHIFT_SCALE · mean |L_ii|. */
	public static final double SHIFT_SCALE = 1e-6;
	/** Relative accuracy of the Ritz pairs of (L − σI)⁻¹: ‖OP x − θx‖ ≤ TOLERANCE·|θ|. */
	public static final double TOLERANCE = 1e-12;
	/** Residuals {@code ‖Lv − λv‖} above this times ‖L‖₁ make the result rejected. */
	public static final double RESIDUAL_LIMIT = 1e-8;
	/**
	 * When residuals exceed RESHIFT_RESIDUAL·‖L‖ and |σ| is below RESHIFT·max|λ|, the computation is
	 * repeated once with σ = −RESHIFT·max|λ| (see {@link #shiftInvert}).
	 */
	public static final double RESHIFT_RESIDUAL = 1e-10, RESHIFT = 1e-3;
	/**
	 * After the first Lanczos cycle the shift is moved once to −RESHIFT·max|λ| (estimated) when
	 * |σ|/max|λ| lies outside [SHIFT_RATIO_MIN, SHIFT_RATIO_MAX]: too far from the wanted eigenvalues
	 * they are not separated in (L − σI)⁻¹ (slow convergence), too close the operator norm limits
	 * the accuracy of the other pairs.
	 */
	public static final double SHIFT_RATIO_MIN = 1e-5, SHIFT_RATIO_MAX = 0.2;
	/** Problems up to this size are solved with a dense symmetric eigensolver. */
	public static final int DENSE_LIMIT = 200;
	/** Largest problem solved densely when count is too large for the Krylov method (O(N³) time, N² memory). */
	public static final int DENSE_MAX = 4000;
	/** Maximum number of restarts (MATLAB's default). */
	public static final int MAX_RESTARTS = 300;

	private static final Object ARPACK_LOCK = new Object();

	/** Block size of the Lanczos iteration (vectors per factor sweep). */
	static final int BLOCK = 4;
	/** Lanczos basis size, as a multiple of the number of computed pairs (MATLAB eigs: 2). */
	static final int BASIS_FACTOR = 2;

	private ShiftInvertEigensolver() {}

	/**
	 * Clock of the report's timings, in nanoseconds: wall time, or with the system property
	 * {@code sss.eigen.cpuclock=true} the CPU time of the calling thread (equal to the work done only
	 * when everything runs on that thread, e.g. in a ForkJoinPool of one worker; for benchmarks on a
	 * shared machine).
	 */
	static long clock() {
		return CPU_CLOCK ? java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() : System.nanoTime();
	}

	private static final boolean CPU_CLOCK = Boolean.getBoolean("sss.eigen.cpuclock");

	/**
	 * Accuracy asked of the solver.
	 *
	 * @param tolerance relative accuracy of the Ritz pairs of {@code (L − σI)⁻¹} (Lanczos stopping test)
	 * @param residualLimit residuals {@code ‖Lv − λv‖} above this times ‖L‖₁ make the result rejected
	 */
	public record Accuracy(double tolerance, double residualLimit) {

		/** The reference path's: {@link #TOLERANCE}, {@link #RESIDUAL_LIMIT}. */
		public static final Accuracy REFERENCE = new Accuracy(TOLERANCE, RESIDUAL_LIMIT);

		public Accuracy {
			if (!(tolerance > 0 && tolerance < 1)) throw new IllegalArgumentException("tolerance must be in (0, 1), got " + tolerance);
			if (!(residualLimit > 0 && residualLimit < 1)) {
				throw new IllegalArgumentException("residualLimit must be in (0, 1), got " + residualLimit);
			}
		}
	}

	/** Statistics of one run (for benchmarks and diagnostics). */
	public static final class Report {

		public double shift;
		public int shiftsTried;
		public long factorEntries;
		public double factorFlops;
		public int negativePivots;
		public int computedPairs;
		public int lanczosVectors;
		public int restarts;
		public int solves;
		public int lanczosRuns;
		public double maxResidual;
		public double normEstimate;
		public double secondsOrdering, secondsFactor, secondsLanczos, secondsTotal;
		/** Parts of secondsLanczos (block Lanczos only). */
		public double secondsSolves, secondsOrthogonalisation, secondsRestarts;
		public boolean dense;

		@Override
		public String toString() {
			return String.format(
				"%s shift=%.3g (tries %d) factor=%d entries (%.3g flops, %d negative pivots) pairs=%d ncv=%d restarts=%d solves=%d runs=%d maxResidual=%.3g (|L|1=%.3g) time: ordering+symbolic %.2fs factor %.2fs lanczos %.2fs (solves %.2fs, orthogonalisation %.2fs, restarts %.2fs) total %.2fs",
				dense ? "dense" : "shift-invert", shift, shiftsTried, factorEntries, factorFlops, negativePivots, computedPairs,
				lanczosVectors, restarts, solves, lanczosRuns, maxResidual, normEstimate, secondsOrdering, secondsFactor,
				secondsLanczos, secondsSolves, secondsOrthogonalisation, secondsRestarts, secondsTotal);
		}
	}

	/**
	 * The {@code count} eigenpairs of smallest |λ| of the symmetric matrix {@code laplacian},
	 * ascending |λ|, with orthonormal vectors.
	 *
	 * @param laplacian symmetric N×N matrix (exactly symmetric storage), finite entries
	 * @param count number of pairs, 1 ≤ count < N (and count + max(10, count/10) < N/2 unless N ≤ 4000)
	 * @param seed seed of the Lanczos start block
	 * @param progress progress and cancellation (stages "eigenvectors: …")
	 * @throws IllegalArgumentException for invalid input (message says what is accepted)
	 * @throws IllegalStateException when the factorisation or the iteration fails (message says which)
	 * @throws org.softsegments.core.SegmentationCancelledException when cancelled
	 */
	public static SpectralBasis smallestMagnitude(final SparseMatrix laplacian, final int count, final long seed,
		final Progress progress)
	{
		return solve(laplacian, count, seed, progress, new Report());
	}

	/** {@link #smallestMagnitude} to the given accuracy, filling {@code report}. */
	public static SpectralBasis solve(final SparseMatrix a, final int count, final long seed, final Accuracy accuracy,
		final Progress progress, final Report report)
	{
		return solve(a, count, seed, progress, report, false, accuracy);
	}

	/** {@link #smallestMagnitude} that also fills {@code report}. */
	public static SpectralBasis solve(final SparseMatrix a, final int count, final long seed, final Progress progress,
		final Report report)
	{
		return solve(a, count, seed, progress, report, false, Accuracy.REFERENCE);
	}

	/**
	 * As {@link #solve(SparseMatrix, int, long, Progress, Report)}; with {@code arpack} the Lanczos
	 * part is ARPACK's (pure Java {@code dsaupd}/{@code dseupd}, mode 1, single vector) instead of
	 * {@link BlockLanczos}: slower, kept to cross-check the two implementations.
	 */
	static SpectralBasis solve(final SparseMatrix a, final int count, final long seed, final Progress progress,
		final Report report, final boolean arpack, final Accuracy accuracy)
	{
		validate(a, count);
		final long t0 = ShiftInvertEigensolver.clock();
		final int n = a.size();
		report.shiftsTried = 0;
		report.lanczosRuns = 0;
		final double norm = infinityNorm(a);
		report.normEstimate = norm;
		final int nev0 = Math.min(n - 1, count + Math.max(10, count / 10));
		final SpectralBasis result;
		if (n <= DENSE_LIMIT || 2 * nev0 >= n) {
			if (n > DENSE_MAX) {
				throw new IllegalArgumentException("count " + count + " is too large for N = " + n
					+ ": the sparse solver needs count + max(10, count/10) < N/2");
			}
			result = dense(a, count, progress);
			report.dense = true;
			report.computedPairs = n;
		}
		else {
			result = shiftInvert(a, count, nev0, seed, progress, report, norm, arpack, accuracy.tolerance());
		}
		if (report.dense) {
			for (final double r : residuals(a, result)) report.maxResidual = Math.max(report.maxResidual, r);
		}
		final double maxRes = report.maxResidual;
		final double limit = accuracy.residualLimit();
		if (!(maxRes <= limit * Math.max(norm, Double.MIN_NORMAL))) {
			throw new IllegalStateException("eigensolver: inaccurate result, residual ‖Lv − λv‖ = " + maxRes
				+ " exceeds " + limit + " · ‖L‖ = " + limit * norm);
		}
		report.secondsTotal = (ShiftInvertEigensolver.clock() - t0) / 1e9;
		return result;
	}

	private static void validate(final SparseMatrix a, final int count) {
		if (a == null) throw new IllegalArgumentException("the matrix is null");
		final int n = a.size();
		if (count < 1 || count >= n) {
			throw new IllegalArgumentException("count must be between 1 and N−1 = " + (n - 1) + ", got " + count);
		}
		for (final double v : a.values()) {
			if (!Double.isFinite(v)) throw new IllegalArgumentException("the matrix has a non-finite entry (" + v + ")");
		}
		if (!a.isSymmetric()) throw new IllegalArgumentException("the matrix is not symmetric (entries (i,j) and (j,i) must be identical)");
	}

	private static SpectralBasis shiftInvert(final SparseMatrix a, final int count, int nev, final long seed,
		final Progress progress, final Report report, final double norm, final boolean arpack, final double tolerance)
	{
		final int n = a.size();
		progress.checkpoint("eigenvectors: ordering", 0);
		final long t0 = ShiftInvertEigensolver.clock();
		final SupernodalLdlt.Symbolic symbolic = SupernodalLdlt.analyse(a);
		report.secondsOrdering = (ShiftInvertEigensolver.clock() - t0) / 1e9;
		report.factorEntries = symbolic.factorEntries();
		report.factorFlops = symbolic.flops();
		double meanDiag = 0;
		for (final double d : a.diagonal()) meanDiag += Math.abs(d);
		meanDiag /= n;
		if (meanDiag == 0) meanDiag = norm > 0 ? norm : 1;
		double sigma = -SHIFT_SCALE * meanDiag;
		boolean reshifted = false;
		while (true) {
			long t = ShiftInvertEigensolver.clock();
			SupernodalLdlt ldlt = null;
			String failure = null;
			for (int attempt = 0; attempt < 4 && ldlt == null; attempt++) {
				report.shiftsTried++;
				try {
					ldlt = SupernodalLdlt.factor(a, symbolic, sigma, progress);
				}
				catch (final SupernodalLdlt.SingularShiftException e) {
					failure = e.getMessage();
					sigma *= 10;
				}
			}
			report.secondsFactor += (ShiftInvertEigensolver.clock() - t) / 1e9;
			if (ldlt == null) throw new IllegalStateException("eigensolver: factorisation of L − σI failed for 4 shifts: " + failure);
			report.shift = sigma;
			report.negativePivots = ldlt.negativePivots();
			t = ShiftInvertEigensolver.clock();
			SpectralBasis selected = null;
			Pairs pairs = null;
			// the first Ritz values tell the scale of the wanted eigenvalues: a shift far from
			// RESHIFT·max|λ| (convergence or accuracy suffers) is moved once
			final double s0 = sigma;
			final double[] moveTo = { Double.NaN };
			final java.util.function.Predicate<double[]> scaleCheck = reshifted ? null : theta -> {
				final double[] lambda = new double[theta.length];
				for (int q = 0; q < theta.length; q++) lambda[q] = s0 + 1 / theta[q];
				final double[] mags = new double[lambda.length];
				for (int q = 0; q < lambda.length; q++) mags[q] = Math.abs(lambda[q]);
				Arrays.sort(mags);
				final double largest = mags[Math.min(count, mags.length) - 1];
				final double ratio = Math.abs(s0) / largest;
				if (ratio >= SHIFT_RATIO_MIN && ratio <= SHIFT_RATIO_MAX) return true;
				moveTo[0] = awayFromEigenvalues(-RESHIFT * largest, lambda);
				return false;
			};
			try {
				for (int run = 0; run < 4 && selected == null; run++) {
					report.lanczosRuns++;
					pairs = arpack ? arpack(ldlt, a, nev, seed, progress, report)
						: blockLanczos(ldlt, a, nev, seed, progress, report, run == 0 ? scaleCheck : null, tolerance);
					if (pairs == null) break; // shift to be moved
					selected = select(pairs, count, sigma);
					if (selected == null) {
						final int largest = n - 3 * BLOCK; // the Krylov basis must fit in R^n
						if (nev >= largest) break;
						nev = Math.min(largest, nev + Math.max(10, count / 4));
					}
				}
			}
			finally {
				report.secondsLanczos += (ShiftInvertEigensolver.clock() - t) / 1e9;
			}
			if (pairs == null && !Double.isNaN(moveTo[0])) {
				sigma = moveTo[0];
				reshifted = true;
				continue;
			}
			if (selected == null) {
				throw new IllegalStateException("eigensolver: could not verify that the " + count
					+ " smallest-magnitude eigenvalues are complete (too many eigenvalues near " + sigma + ")");
			}
			double maxRes = 0;
			for (final double r : residuals(a, selected)) maxRes = Math.max(maxRes, r);
			report.maxResidual = maxRes;
			// A shift very close to an eigenvalue (relative to the selected range) makes ‖(L − σI)⁻¹‖
			// dominate and limits the accuracy of the other pairs: move it once, to −RESHIFT·max|λ|.
			final double largest = Math.abs(selected.values()[count - 1]);
			if (reshifted || maxRes <= RESHIFT_RESIDUAL * norm || Math.abs(sigma) >= 0.5 * RESHIFT * largest) return selected;
			sigma = awayFromEigenvalues(-RESHIFT * largest, pairs.values);
			reshifted = true;
		}
	}

	/** Moves σ (negative) away from the given eigenvalues: at least 0.2·|σ| from each. */
	private static double awayFromEigenvalues(double sigma, final double[] lambdas) {
		for (int attempt = 0; attempt < 20; attempt++) {
			boolean clear = true;
			for (final double l : lambdas) if (Math.abs(l - sigma) < 0.2 * Math.abs(sigma)) clear = false;
			if (clear) break;
			sigma *= 1.5;
		}
		return sigma;
	}

	/** Computed eigenpairs: unit vectors and Rayleigh quotients. */
	private static final class Pairs {
		final double[][] vectors;
		final double[] values;

		Pairs(final double[][] vectors, final double[] values) {
			this.vectors = vectors;
			this.values = values;
		}
	}

	/** Block thick-restart Lanczos on (L − σI)⁻¹, the nev pairs of largest magnitude. */
	private static Pairs blockLanczos(final SupernodalLdlt ldlt, final SparseMatrix a, final int nev, final long seed,
		final Progress progress, final Report report, final java.util.function.Predicate<double[]> firstEstimate,
		final double tolerance)
	{
		final int n = a.size();
		final int b = BLOCK;
		final int basis = Math.min(n - b, Math.max(BASIS_FACTOR * nev, nev + 2 * b));
		report.computedPairs = nev;
		report.lanczosVectors = basis;
		final BlockLanczos.BlockOperator op = ldlt::solve;
		final BlockLanczos.Result r = BlockLanczos.largestMagnitude(op, n, nev, b, basis, tolerance, MAX_RESTARTS, seed,
			progress, firstEstimate);
		report.solves += r.operatorApplications;
		report.restarts += r.restarts;
		report.secondsSolves += r.secondsOperator;
		report.secondsOrthogonalisation += r.secondsOrthogonalisation;
		report.secondsRestarts += r.secondsRestart;
		if (r.aborted) return null;
		return new Pairs(r.vectors, rayleighQuotients(a, r.vectors));
	}

	/** ARPACK dsaupd/dseupd, mode 1 on (L − σI)⁻¹, the nev pairs of largest magnitude. */
	private static Pairs arpack(final SupernodalLdlt ldlt, final SparseMatrix a, final int nev, final long seed,
		final Progress progress, final Report report)
	{
		final int n = a.size();
		final int ncv = Math.min(n, Math.max(2 * nev, nev + 20));
		report.computedPairs = nev;
		report.lanczosVectors = ncv;
		final ARPACK arpack = JavaARPACK.getInstance();
		final double[] resid = new double[n];
		final SplittableRandom rnd = new SplittableRandom(seed);
		for (int i = 0; i < n; i++) resid[i] = rnd.nextDouble() * 2 - 1;
		final double[] v = new double[n * ncv];
		final int[] iparam = new int[11];
		iparam[0] = 1; // exact shifts
		iparam[2] = MAX_RESTARTS;
		iparam[6] = 1; // mode 1: OP = (L − σI)⁻¹
		final int[] ipntr = new int[11];
		final double[] workd = new double[3 * n];
		final int lworkl = ncv * (ncv + 8);
		final double[] workl = new double[lworkl];
		final intW ido = new intW(0);
		final intW info = new intW(1); // resid holds the start vector
		final doubleW tol = new doubleW(TOLERANCE);
		final double[] x = new double[n], y = new double[n];
		int solves = 0;
		synchronized (ARPACK_LOCK) {
			while (true) {
				arpack.dsaupd(ido, "I", n, "LM", nev, tol, resid, ncv, v, n, iparam, ipntr, workd, workl, lworkl, info);
				if (ido.val != 1 && ido.val != -1) break;
				System.arraycopy(workd, ipntr[0] - 1, x, 0, n);
				ldlt.solve(x, y);
				System.arraycopy(y, 0, workd, ipntr[1] - 1, n);
				solves++;
				progress.checkpoint("eigenvectors: Lanczos", Math.min(0.99, solves / (double) (3 * ncv)));
			}
			report.solves += solves;
			report.restarts = iparam[2];
			if (info.val < 0) throw new IllegalStateException("eigensolver: ARPACK dsaupd failed, info = " + info.val);
			if (info.val == 1 || iparam[4] < nev) {
				throw new IllegalStateException("eigensolver: ARPACK dsaupd did not converge within " + MAX_RESTARTS
					+ " restarts (info = " + info.val + ", " + iparam[4] + " of " + nev + " pairs converged)");
			}
			final boolean[] select = new boolean[ncv];
			final double[] d = new double[nev];
			final intW einfo = new intW(0);
			// eigenvectors overwrite the first nev columns of v
			arpack.dseupd(true, "A", select, d, v, n, 0.0, "I", n, "LM", new intW(nev), TOLERANCE, resid, ncv, v, n, iparam, ipntr,
				workd, workl, lworkl, einfo);
			if (einfo.val != 0) throw new IllegalStateException("eigensolver: ARPACK dseupd failed, info = " + einfo.val);
		}
		final double[][] vec = new double[nev][];
		for (int j = 0; j < nev; j++) vec[j] = Arrays.copyOfRange(v, j * n, (j + 1) * n);
		final double[] val = rayleighQuotients(a, vec);
		return new Pairs(vec, val);
	}

	/**
	 * The count pairs of smallest |λ|, ascending, or null when the selection cannot be proven
	 * complete from the pairs nearest σ.
	 */
	private static SpectralBasis select(final Pairs pairs, final int count, final double sigma) {
		final int m = pairs.values.length;
		final Integer[] idx = new Integer[m];
		for (int i = 0; i < m; i++) idx[i] = i;
		Arrays.sort(idx, (p, q) -> {
			final int c = Double.compare(Math.abs(pairs.values[p]), Math.abs(pairs.values[q]));
			return c != 0 ? c : Integer.compare(p, q);
		});
		double radius = 0;
		for (final double l : pairs.values) radius = Math.max(radius, Math.abs(l - sigma));
		final double largest = Math.abs(pairs.values[idx[count - 1]]);
		// uncomputed eigenvalues satisfy |λ − σ| ≥ radius, so |λ| ≥ radius − |σ|
		if (!(largest + Math.abs(sigma) < radius * (1 - 1e-9))) return null;
		final double[][] vec = new double[count][];
		final double[] val = new double[count];
		for (int j = 0; j < count; j++) {
			vec[j] = pairs.vectors[idx[j]];
			val[j] = pairs.values[idx[j]];
		}
		return new SpectralBasis(vec, val);
	}

	/** Dense symmetric eigendecomposition (EJML), for tiny problems. */
	private static SpectralBasis dense(final SparseMatrix a, final int count, final Progress progress) {
		progress.checkpoint("eigenvectors: dense", 0);
		final int n = a.size();
		final DMatrixRMaj m = new DMatrixRMaj(n, n);
		final int[] rs = a.rowStart(), ci = a.columns();
		final double[] av = a.values();
		for (int i = 0; i < n; i++) for (int q = rs[i]; q < rs[i + 1]; q++) m.unsafe_set(i, ci[q], av[q]);
		final SymmetricQRAlgorithmDecomposition_DDRM eig = new SymmetricQRAlgorithmDecomposition_DDRM(true);
		if (!eig.decompose(m)) throw new IllegalStateException("eigensolver: dense symmetric QR algorithm did not converge");
		final double[][] vectors = new double[n][];
		final double[] values = new double[n];
		for (int j = 0; j < n; j++) {
			final DMatrixRMaj v = eig.getEigenVector(j);
			vectors[j] = Arrays.copyOf(v.data, n);
			normalise(vectors[j]);
		}
		final double[] rq = rayleighQuotients(a, vectors);
		System.arraycopy(rq, 0, values, 0, n);
		return selectAll(vectors, values, count);
	}

	private static SpectralBasis selectAll(final double[][] vectors, final double[] values, final int count) {
		final Integer[] idx = new Integer[values.length];
		for (int i = 0; i < idx.length; i++) idx[i] = i;
		Arrays.sort(idx, (p, q) -> {
			final int c = Double.compare(Math.abs(values[p]), Math.abs(values[q]));
			return c != 0 ? c : Integer.compare(p, q);
		});
		final double[][] v = new double[count][];
		final double[] l = new double[count];
		for (int j = 0; j < count; j++) {
			v[j] = vectors[idx[j]];
			l[j] = values[idx[j]];
		}
		return new SpectralBasis(v, l);
	}

	private static void normalise(final double[] v) {
		double s = 0;
		for (final double x : v) s += x * x;
		final double inv = 1 / Math.sqrt(s);
		for (int i = 0; i < v.length; i++) v[i] *= inv;
	}

	/** vᵀAv / vᵀv for each vector. */
	static double[] rayleighQuotients(final SparseMatrix a, final double[][] vectors) {
		final int n = a.size();
		final double[] out = new double[vectors.length];
		final double[] y = new double[n];
		for (int j = 0; j < vectors.length; j++) {
			final double[] v = vectors[j];
			a.multiply(v, y);
			final double vav = Parallel.sum(n, 8192, (s, e) -> {
				double t = 0;
				for (int i = s; i < e; i++) t += v[i] * y[i];
				return t;
			});
			final double vv = Parallel.sum(n, 8192, (s, e) -> {
				double t = 0;
				for (int i = s; i < e; i++) t += v[i] * v[i];
				return t;
			});
			out[j] = vav / vv;
		}
		return out;
	}

	/** ‖A v_j − λ_j v_j‖₂ for each pair. */
	public static double[] residuals(final SparseMatrix a, final SpectralBasis basis) {
		final int n = a.size();
		final double[] out = new double[basis.size()];
		final double[] y = new double[n];
		for (int j = 0; j < basis.size(); j++) {
			final double[] v = basis.vector(j);
			final double l = basis.values()[j];
			a.multiply(v, y);
			out[j] = Math.sqrt(Parallel.sum(n, 8192, (s, e) -> {
				double t = 0;
				for (int i = s; i < e; i++) {
					final double r = y[i] - l * v[i];
					t += r * r;
				}
				return t;
			}));
		}
		return out;
	}

	/** Maximum absolute row sum. */
	static double infinityNorm(final SparseMatrix a) {
		final int[] rs = a.rowStart();
		final double[] v = a.values();
		double norm = 0;
		for (int i = 0; i < a.size(); i++) {
			double s = 0;
			for (int q = rs[i]; q < rs[i + 1]; q++) s += Math.abs(v[q]);
			norm = Math.max(norm, s);
		}
		return norm;
	}
}
