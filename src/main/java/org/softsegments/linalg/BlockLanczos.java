package org.softsegments.linalg;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.decomposition.eig.SymmetricQRAlgorithmDecomposition_DDRM;
import org.softsegments.core.Parallel;
import org.softsegments.core.Progress;

/**
 * Block thick-restart Lanczos with full reorthogonalisation for the eigenpairs of largest magnitude
 * of a symmetric operator (Wu &amp; Simon 2000, thick restart; block form as in block Krylov–Schur,
 * Zhou &amp; Saad 2008). Used by {@link ShiftInvertEigensolver} on {@code (L − σI)⁻¹}.
 * <p>
 * Invariant: {@code OP V = V H + Q R Eᵀ} with orthonormal basis {@code V}, its projection
 * {@code H = Vᵀ OP V} (computed explicitly, so symmetric up to rounding), and the residual block
 * {@code Q} (orthonormal, ⟂ V). Each step applies the operator to one block of {@code b} vectors
 * (so the factor is read once per block), orthogonalises against the whole basis twice (classical
 * Gram–Schmidt, blocked), and factorises the remainder with modified Gram–Schmidt; directions
 * that vanish (an invariant subspace) are replaced by seeded random vectors. When the basis is full,
 * a Rayleigh–Ritz step on {@code H} gives Ritz pairs with residual norms {@code ‖R y_last‖}; a pair
 * is converged when its residual is below {@code tol·|θ| + 64ε·max|θ|} (the second term is the
 * rounding floor of an operator with norm max|θ|). Wanted pairs that reach {@code tol·|θ|} are locked:
 * kept as they are, excluded from later Rayleigh–Ritz steps and restarts (only orthogonalised against).
 * The wanted ones being converged, the Ritz vectors are returned, otherwise the best {@code k} Ritz
 * vectors are kept and the expansion continues from {@code Q}.
 * <p>
 * All dense operations run over fixed row chunks with partial sums added in chunk order, so the
 * result is bit-identical on any number of threads; randomness comes only from the seed.
 */
final class BlockLanczos {

	/** Applies the operator to a block: {@code out[c] = OP in[c]}. */
	@FunctionalInterface
	interface BlockOperator {
		void apply(double[][] in, double[][] out);
	}

	/** Converged Ritz pairs (descending |θ|) and statistics. */
	static final class Result {
		double[] values;
		double[][] vectors;
		int restarts;
		int operatorApplications;
		int blockSteps;
		/** True when stopped by the first-estimate callback. */
		boolean aborted;
		double secondsOperator, secondsOrthogonalisation, secondsRestart;
	}

	/** Rows per chunk of the dense kernels (fixed: the chunking defines the order of summation). */
	private static final int CHUNK = 512;
	private static final double EPS = Math.ulp(1.0);
	/** A third Gram–Schmidt pass is made when the second one still removed over 99.9 % of a norm. */
	static final double REORTHOGONALISE = 1e-3;

	private BlockLanczos() {}

	/**
	 * @param op symmetric operator on R^n
	 * @param nev number of wanted pairs (largest |θ|)
	 * @param block block size b ≥ 1
	 * @param basis maximum basis size m (nev + b ≤ m ≤ n − b)
	 * @param tol convergence: ‖OP x − θx‖ ≤ tol·|θ|
	 */
	static Result largestMagnitude(final BlockOperator op, final int n, final int nev, final int block, final int basis,
		final double tol, final int maxRestarts, final long seed, final Progress progress)
	{
		return largestMagnitude(op, n, nev, block, basis, tol, maxRestarts, seed, progress, null);
	}

	/**
	 * As above; {@code firstEstimate} (may be null) is shown the nev Ritz values of largest magnitude
	 * after the first Rayleigh–Ritz step and may stop the iteration by returning false (the result is
	 * then {@link Result#aborted}, with those values and no vectors).
	 */
	static Result largestMagnitude(final BlockOperator op, final int n, final int nev, final int block, final int basis,
		final double tol, final int maxRestarts, final long seed, final Progress progress,
		final java.util.function.Predicate<double[]> firstEstimate)
	{
		final int b = block;
		if (nev < 1 || b < 1 || basis < nev + b || basis + b > n) {
			throw new IllegalArgumentException("invalid Lanczos sizes n=" + n + " nev=" + nev + " block=" + b + " basis=" + basis);
		}
		final int cap = basis + 2 * b;
		final double[][] v = new double[cap][];
		final double[][] h = new double[cap][cap];
		final SplittableRandom rnd = new SplittableRandom(seed);
		final Result result = new Result();
		// start block
		final double[][] start = new double[b][n];
		for (final double[] x : start) for (int i = 0; i < n; i++) x[i] = rnd.nextDouble() * 2 - 1;
		final double[] startNorm = new double[b];
		for (int c = 0; c < b; c++) startNorm[c] = norm(start[c]);
		double[][] rLast = orthonormalise(v, 0, start, startNorm, rnd);
		for (int c = 0; c < b; c++) v[c] = start[c];
		int j = 0; // basis size (multiplied vectors); residual block at [j, j+b)
		int locked = 0; // v[0..locked): converged Ritz vectors, excluded from Rayleigh–Ritz and restarts
		final double[] lockedTheta = new double[nev];
		for (int restart = 0;; restart++) {
			while (j < basis) {
				final double[][] in = Arrays.copyOfRange(v, j, j + b);
				final double[][] w = new double[b][n];
				long tick = ShiftInvertEigensolver.clock();
				op.apply(in, w);
				result.secondsOperator += (ShiftInvertEigensolver.clock() - tick) / 1e9;
				tick = ShiftInvertEigensolver.clock();
				result.operatorApplications += b;
				result.blockSteps++;
				// h = Vᵀ W over the basis including this block, twice (CGS2)
				final int jb = j + b;
				final double[] coef = new double[jb * b];
				final double[] normIn = new double[b];
				for (int c = 0; c < b; c++) normIn[c] = norm(w[c]);
				// classical Gram–Schmidt twice ("twice is enough"; one pass lets the loss of
				// orthogonality grow geometrically here); a third pass after severe cancellation.
				double kept = 1;
				double[] d = dots(v, jb, w);
				for (int pass = 0;; pass++) {
					for (int q = 0; q < coef.length; q++) coef[q] += d[q];
					if (pass == 0) { // first subtraction fused with the second pass's products
						d = subtractAndDots(v, jb, w, d);
						continue;
					}
					subtract(v, jb, w, d);
					if (pass == 2) break;
					double worst = Double.MAX_VALUE;
					for (int c = 0; c < b; c++) worst = Math.min(worst, norm(w[c]) / normIn[c]);
					if (!(worst < REORTHOGONALISE * kept)) break;
					kept = worst;
					d = dots(v, jb, w);
				}
				for (int i = locked; i < jb; i++) { // products with locked vectors only orthogonalise
					for (int c = 0; c < b; c++) {
						final double x = coef[i * b + c];
						if (i >= j) { // diagonal block: symmetrise
							final int ci = i - j;
							if (ci < c) continue;
							final double y = coef[(j + c) * b + ci];
							h[i][j + c] = h[j + c][i] = 0.5 * (x + y);
						}
						else {
							h[i][j + c] = x;
							h[j + c][i] = x;
						}
					}
				}
				rLast = orthonormalise(v, jb, w, normIn, rnd);
				for (int c = 0; c < b; c++) v[jb + c] = w[c];
				j = jb;
				result.secondsOrthogonalisation += (ShiftInvertEigensolver.clock() - tick) / 1e9;
				progress.checkpoint("eigenvectors: Lanczos", Math.min(0.99, result.operatorApplications / (3.0 * basis)));
			}
			// Rayleigh–Ritz on the active part v[locked..j)
			final long tick = ShiftInvertEigensolver.clock();
			final int ja = j - locked;
			final DMatrixRMaj hm = new DMatrixRMaj(ja, ja);
			for (int r = 0; r < ja; r++) for (int c = 0; c < ja; c++) hm.unsafe_set(r, c, h[locked + r][locked + c]);
			final SymmetricQRAlgorithmDecomposition_DDRM eig = new SymmetricQRAlgorithmDecomposition_DDRM(true);
			if (!eig.decompose(hm)) throw new IllegalStateException("eigensolver: Rayleigh–Ritz eigendecomposition failed");
			// candidates: locked pairs (index < locked, converged) and active Ritz pairs (index locked + q)
			final int nc = locked + ja;
			final double[] theta = new double[nc];
			final double[] resid = new double[nc];
			final double[][] y = new double[nc][];
			System.arraycopy(lockedTheta, 0, theta, 0, locked);
			for (int q = 0; q < ja; q++) {
				theta[locked + q] = eig.getEigenvalue(q).real;
				final double[] yq = Arrays.copyOf(eig.getEigenVector(q).data, ja);
				y[locked + q] = yq;
				double sum = 0;
				for (int r = 0; r < b; r++) {
					double t = 0;
					for (int c = r; c < b; c++) t += rLast[r][c] * yq[ja - b + c];
					sum += t * t;
				}
				resid[locked + q] = Math.sqrt(sum);
			}
			final Integer[] order = new Integer[nc];
			for (int q = 0; q < nc; q++) order[q] = q;
			Arrays.sort(order, (p, q) -> {
				final int c = Double.compare(Math.abs(theta[q]), Math.abs(theta[p]));
				return c != 0 ? c : Integer.compare(p, q);
			});
			// rounding in OP and in the Rayleigh–Ritz step limits residuals to about ε·max|θ|
			final double floor = 64 * EPS * Math.abs(theta[order[0]]);
			final boolean[] converged = new boolean[nc];
			final boolean[] lockable = new boolean[nc]; // converged without the rounding floor
			int allConverged = 0;
			for (int q = 0; q < nc; q++) {
				final int i = order[q];
				converged[i] = i < locked || resid[i] <= tol * Math.abs(theta[i]) + floor;
				lockable[i] = i >= locked && resid[i] <= tol * Math.abs(theta[i]);
				if (q < nev && converged[i]) allConverged++;
			}
			if (restart == 0 && firstEstimate != null) {
				final double[] estimate = new double[nev];
				for (int q = 0; q < nev; q++) estimate[q] = theta[order[q]];
				if (!firstEstimate.test(estimate)) {
					result.aborted = true;
					result.values = estimate;
					result.secondsRestart += (ShiftInvertEigensolver.clock() - tick) / 1e9;
					return result;
				}
			}
			final double[][] active = Arrays.copyOfRange(v, locked, j);
			if (allConverged == nev) {
				result.values = new double[nev];
				result.vectors = new double[nev][];
				int na = 0;
				for (int q = 0; q < nev; q++) if (order[q] >= locked) na++;
				final double[][] coefs = new double[na][];
				na = 0;
				for (int q = 0; q < nev; q++) if (order[q] >= locked) coefs[na++] = y[order[q]];
				final double[][] formed = combine(active, ja, coefs, n);
				na = 0;
				for (int q = 0; q < nev; q++) {
					final int i = order[q];
					result.values[q] = theta[i];
					result.vectors[q] = i < locked ? v[i] : formed[na++];
				}
				result.restarts = restart;
				result.secondsRestart += (ShiftInvertEigensolver.clock() - tick) / 1e9;
				return result;
			}
			if (restart >= maxRestarts) {
				throw new IllegalStateException("eigensolver: block Lanczos did not converge within " + maxRestarts
					+ " restarts (" + allConverged + " of " + nev + " pairs converged)");
			}
			// thick restart: lock the converged wanted pairs, keep the next best Ritz vectors, then
			// the residual block; k vectors in all
			final int k = Math.min(j - b, nev + Math.max(b, Math.min(allConverged, (basis - nev) / 2)));
			int newLocked = 0;
			for (int q = 0; q < nev; q++) if (lockable[order[q]]) newLocked++;
			final int keep = k - locked - newLocked;
			final double[][] coefs = new double[newLocked + keep][];
			final double[] newTheta = new double[newLocked + keep];
			int t = 0;
			for (int q = 0; q < nev; q++) {
				final int i = order[q];
				if (lockable[i]) {
					newTheta[t] = theta[i];
					coefs[t++] = y[i];
				}
			}
			for (int q = 0; q < nc && t < coefs.length; q++) {
				final int i = order[q];
				if (i < locked || (q < nev && lockable[i])) continue;
				newTheta[t] = theta[i];
				coefs[t++] = y[i];
			}
			combineInPlace(active, ja, coefs, n);
			final double[][] residual = Arrays.copyOfRange(v, j, j + b);
			for (int q = 0; q < coefs.length; q++) v[locked + q] = active[q];
			for (int q = 0; q < newLocked; q++) lockedTheta[locked + q] = newTheta[q];
			locked += newLocked;
			j = locked + keep;
			for (int q = j; q < cap; q++) v[q] = null;
			for (int c = 0; c < b; c++) v[j + c] = residual[c];
			for (final double[] row : h) Arrays.fill(row, 0);
			for (int q = 0; q < keep; q++) h[locked + q][locked + q] = newTheta[newLocked + q];
			result.secondsRestart += (ShiftInvertEigensolver.clock() - tick) / 1e9;
		}
	}

	/**
	 * Orthonormalises block {@code w} (already orthogonal to v[0..jb)) by modified Gram–Schmidt with
	 * reorthogonalisation; returns R (upper triangular, {@code w_in = Q R}). A column that vanishes is
	 * replaced by a random vector orthogonal to the basis and the previous columns (its R column is
	 * kept, its diagonal is 0).
	 */
	private static double[][] orthonormalise(final double[][] v, final int jb, final double[][] w, final double[] normIn,
		final SplittableRandom rnd)
	{
		final int b = w.length;
		final int n = w[0].length;
		final double[][] r = new double[b][b];
		for (int c = 0; c < b; c++) {
			final double before = normIn[c];
			for (int pass = 0; pass < 2; pass++) {
				for (int p = 0; p < c; p++) {
					final double d = dot(w[p], w[c]);
					axpy(-d, w[p], w[c]);
					r[p][c] += d;
				}
			}
			double nu = norm(w[c]);
			if (nu > 1e-13 * before && nu > 0) {
				r[c][c] = nu;
				scale(1 / nu, w[c]);
				continue;
			}
			// deflation: new random direction orthogonal to everything so far
			r[c][c] = 0;
			for (int attempt = 0; attempt < 5; attempt++) {
				final double[] x = w[c];
				for (int i = 0; i < n; i++) x[i] = rnd.nextDouble() * 2 - 1;
				for (int pass = 0; pass < 2; pass++) {
					if (jb > 0) {
						final double[][] single = { x };
						final double[] d = dots(v, jb, single);
						subtract(v, jb, single, d);
					}
					for (int p = 0; p < c; p++) axpy(-dot(w[p], x), w[p], x);
				}
				nu = norm(x);
				if (nu > 1e-3) {
					scale(1 / nu, x);
					break;
				}
				if (attempt == 4) throw new IllegalStateException("eigensolver: cannot extend the Krylov basis (space exhausted)");
			}
		}
		return r;
	}

	/** d[i·b + c] = v_i · w_c for i < jb. Fixed chunks, chunk partials added in order. */
	static double[] dots(final double[][] v, final int jb, final double[][] w) {
		final int n = w[0].length;
		final int chunks = (n + CHUNK - 1) / CHUNK;
		final double[][] partial = new double[chunks][];
		Parallel.forRange(chunks, 1, (c0, c1) -> {
			for (int ch = c0; ch < c1; ch++) partial[ch] = dotsChunk(v, jb, w, ch * CHUNK, Math.min(n, ch * CHUNK + CHUNK));
		});
		return sumPartials(partial, jb * w.length);
	}

	/** w_c −= Σ_i v_i d[i·b + c], chunk-parallel. */
	static void subtract(final double[][] v, final int jb, final double[][] w, final double[] d) {
		final int n = w[0].length;
		final int chunks = (n + CHUNK - 1) / CHUNK;
		Parallel.forRange(chunks, 1, (c0, c1) -> {
			for (int ch = c0; ch < c1; ch++) subtractChunk(v, jb, w, d, ch * CHUNK, Math.min(n, ch * CHUNK + CHUNK));
		});
	}

	/** {@link #subtract} then {@link #dots} of the result, in one sweep over the basis. */
	static double[] subtractAndDots(final double[][] v, final int jb, final double[][] w, final double[] d) {
		final int n = w[0].length;
		final int chunks = (n + CHUNK - 1) / CHUNK;
		final double[][] partial = new double[chunks][];
		Parallel.forRange(chunks, 1, (c0, c1) -> {
			for (int ch = c0; ch < c1; ch++) {
				final int s = ch * CHUNK, e = Math.min(n, s + CHUNK);
				subtractChunk(v, jb, w, d, s, e);
				partial[ch] = dotsChunk(v, jb, w, s, e);
			}
		});
		return sumPartials(partial, jb * w.length);
	}

	private static double[] sumPartials(final double[][] partial, final int size) {
		final double[] out = new double[size];
		for (final double[] p : partial) for (int q = 0; q < size; q++) out[q] += p[q];
		return out;
	}

	/** Products of rows [s, e): basis vectors in pairs, block columns in fours (eight sums). */
	private static double[] dotsChunk(final double[][] v, final int jb, final double[][] w, final int s, final int e) {
		final int b = w.length;
		final double[] d = new double[jb * b];
		int i = 0;
		for (; i + 1 < jb; i += 2) {
			final double[] va = v[i], vb = v[i + 1];
			int c = 0;
			for (; c + 3 < b; c += 4) {
				final double[] w0 = w[c], w1 = w[c + 1], w2 = w[c + 2], w3 = w[c + 3];
				double a0 = 0, a1 = 0, a2 = 0, a3 = 0, b0 = 0, b1 = 0, b2 = 0, b3 = 0;
				for (int r = s; r < e; r++) {
					final double xa = va[r], xb = vb[r];
					final double y0 = w0[r], y1 = w1[r], y2 = w2[r], y3 = w3[r];
					a0 += xa * y0;
					a1 += xa * y1;
					a2 += xa * y2;
					a3 += xa * y3;
					b0 += xb * y0;
					b1 += xb * y1;
					b2 += xb * y2;
					b3 += xb * y3;
				}
				final int oa = i * b + c, ob = oa + b;
				d[oa] = a0;
				d[oa + 1] = a1;
				d[oa + 2] = a2;
				d[oa + 3] = a3;
				d[ob] = b0;
				d[ob + 1] = b1;
				d[ob + 2] = b2;
				d[ob + 3] = b3;
			}
			for (; c < b; c++) {
				final double[] wc = w[c];
				double a0 = 0, b0 = 0;
				for (int r = s; r < e; r++) {
					a0 += va[r] * wc[r];
					b0 += vb[r] * wc[r];
				}
				d[i * b + c] = a0;
				d[(i + 1) * b + c] = b0;
			}
		}
		if (i < jb) {
			final double[] vi = v[i];
			for (int c = 0; c < b; c++) {
				final double[] wc = w[c];
				double a0 = 0, a1 = 0;
				int r = s;
				for (; r + 1 < e; r += 2) {
					a0 += vi[r] * wc[r];
					a1 += vi[r + 1] * wc[r + 1];
				}
				if (r < e) a0 += vi[r] * wc[r];
				d[i * b + c] = a0 + a1;
			}
		}
		return d;
	}

	/** Subtraction on rows [s, e): block columns in fours, basis vectors in pairs. */
	private static void subtractChunk(final double[][] v, final int jb, final double[][] w, final double[] d, final int s,
		final int e)
	{
		final int b = w.length;
		int c = 0;
		for (; c + 3 < b; c += 4) {
			final double[] w0 = w[c], w1 = w[c + 1], w2 = w[c + 2], w3 = w[c + 3];
			int i = 0;
			for (; i + 1 < jb; i += 2) {
				final double[] va = v[i], vb = v[i + 1];
				final int oa = i * b + c, ob = oa + b;
				final double a0 = d[oa], a1 = d[oa + 1], a2 = d[oa + 2], a3 = d[oa + 3];
				final double b0 = d[ob], b1 = d[ob + 1], b2 = d[ob + 2], b3 = d[ob + 3];
				for (int r = s; r < e; r++) {
					final double xa = va[r], xb = vb[r];
					w0[r] -= xa * a0 + xb * b0;
					w1[r] -= xa * a1 + xb * b1;
					w2[r] -= xa * a2 + xb * b2;
					w3[r] -= xa * a3 + xb * b3;
				}
			}
			if (i < jb) {
				final double[] vi = v[i];
				final int o = i * b + c;
				final double a0 = d[o], a1 = d[o + 1], a2 = d[o + 2], a3 = d[o + 3];
				for (int r = s; r < e; r++) {
					final double x = vi[r];
					w0[r] -= x * a0;
					w1[r] -= x * a1;
					w2[r] -= x * a2;
					w3[r] -= x * a3;
				}
			}
		}
		for (; c < b; c++) {
			final double[] wc = w[c];
			int i = 0;
			for (; i + 1 < jb; i += 2) {
				final double[] va = v[i], vb = v[i + 1];
				final double a = d[i * b + c], bb = d[(i + 1) * b + c];
				for (int r = s; r < e; r++) wc[r] -= va[r] * a + vb[r] * bb;
			}
			if (i < jb) {
				final double[] vi = v[i];
				final double a = d[i * b + c];
				for (int r = s; r < e; r++) wc[r] -= vi[r] * a;
			}
		}
	}

	/** New vectors x_q = Σ_i v_i coefs[q][i], i < j. */
	static double[][] combine(final double[][] v, final int j, final double[][] coefs, final int n) {
		final int k = coefs.length;
		final double[][] out = new double[k][n];
		final int chunks = (n + CHUNK - 1) / CHUNK;
		Parallel.forRange(chunks, 1, (c0, c1) -> {
			for (int ch = c0; ch < c1; ch++) {
				final int s = ch * CHUNK, e = Math.min(n, s + CHUNK);
				combineChunk(v, j, coefs, out, s, e, s);
			}
		});
		return out;
	}

	/** v[0..k) ← V[0..j) coefs, in place: each row chunk is combined into a buffer, then copied back. */
	static void combineInPlace(final double[][] v, final int j, final double[][] coefs, final int n) {
		final int k = coefs.length;
		final int chunks = (n + CHUNK - 1) / CHUNK;
		Parallel.forRange(chunks, 1, (c0, c1) -> {
			final double[][] buffer = new double[k][CHUNK];
			for (int ch = c0; ch < c1; ch++) {
				final int s = ch * CHUNK, e = Math.min(n, s + CHUNK);
				for (final double[] row : buffer) Arrays.fill(row, 0);
				combineChunk(v, j, coefs, buffer, s, e, 0);
				for (int q = 0; q < k; q++) System.arraycopy(buffer[q], 0, v[q], s, e - s);
			}
		});
	}

	/** out[q][off + (r − s)] += Σ_i v_i[r] coefs[q][i] for r in [s, e): outputs in fours, inputs in pairs. */
	private static void combineChunk(final double[][] v, final int j, final double[][] coefs, final double[][] out,
		final int s, final int e, final int off)
	{
		final int k = coefs.length;
		final int shift = off - s;
		int q = 0;
		for (; q + 3 < k; q += 4) {
			final double[] o0 = out[q], o1 = out[q + 1], o2 = out[q + 2], o3 = out[q + 3];
			final double[] y0 = coefs[q], y1 = coefs[q + 1], y2 = coefs[q + 2], y3 = coefs[q + 3];
			int i = 0;
			for (; i + 1 < j; i += 2) {
				final double[] va = v[i], vb = v[i + 1];
				final double a0 = y0[i], a1 = y1[i], a2 = y2[i], a3 = y3[i];
				final double b0 = y0[i + 1], b1 = y1[i + 1], b2 = y2[i + 1], b3 = y3[i + 1];
				for (int r = s; r < e; r++) {
					final double xa = va[r], xb = vb[r];
					final int t = shift + r;
					o0[t] += xa * a0 + xb * b0;
					o1[t] += xa * a1 + xb * b1;
					o2[t] += xa * a2 + xb * b2;
					o3[t] += xa * a3 + xb * b3;
				}
			}
			if (i < j) {
				final double[] vi = v[i];
				final double a0 = y0[i], a1 = y1[i], a2 = y2[i], a3 = y3[i];
				for (int r = s; r < e; r++) {
					final double x = vi[r];
					final int t = shift + r;
					o0[t] += x * a0;
					o1[t] += x * a1;
					o2[t] += x * a2;
					o3[t] += x * a3;
				}
			}
		}
		for (; q < k; q++) {
			final double[] o = out[q], y = coefs[q];
			for (int i = 0; i < j; i++) {
				final double[] vi = v[i];
				final double a = y[i];
				for (int r = s; r < e; r++) o[shift + r] += vi[r] * a;
			}
		}
	}

	private static double dot(final double[] a, final double[] b) {
		return Parallel.sum(a.length, CHUNK, (s, e) -> {
			double t = 0;
			for (int i = s; i < e; i++) t += a[i] * b[i];
			return t;
		});
	}

	private static double norm(final double[] a) {
		return Math.sqrt(dot(a, a));
	}

	private static void axpy(final double alpha, final double[] x, final double[] y) {
		Parallel.forRange(x.length, CHUNK, (s, e) -> {
			for (int i = s; i < e; i++) y[i] += alpha * x[i];
		});
	}

	private static void scale(final double alpha, final double[] x) {
		Parallel.forRange(x.length, CHUNK, (s, e) -> {
			for (int i = s; i < e; i++) x[i] *= alpha;
		});
	}
}
