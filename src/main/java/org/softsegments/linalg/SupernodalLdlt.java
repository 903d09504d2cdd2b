package org.softsegments.linalg;

import java.util.Arrays;

import org.softsegments.core.Parallel;
import org.softsegments.core.Progress;

import edu.emory.mathcs.csparsej.tdouble.Dcs_common.Dcs;
import edu.emory.mathcs.csparsej.tdouble.Dcs_counts;
import edu.emory.mathcs.csparsej.tdouble.Dcs_etree;
import edu.emory.mathcs.csparsej.tdouble.Dcs_post;
import edu.emory.mathcs.csparsej.tdouble.Dcs_symperm;

/**
 * Sparse symmetric factorisation {@code P (A − σI) Pᵀ = L D Lᵀ} (unit lower triangular {@code L},
 * diagonal {@code D}) for the shift-invert eigensolver of spec §3.7. {@code A} must be symmetric with
 * both triangles stored (as {@link SparseMatrix#laplacian()} gives).
 * <p>
 * Supernodal multifrontal method (Duff &amp; Reid 1983; Liu 1992): a fill-reducing ordering
 * ({@link FillReducingOrdering}), the elimination tree and column counts (CSparse, Davis 2006, via
 * csparsej), fundamental supernodes merged by relaxed amalgamation (CHOLMOD's rules), then for each
 * supernode, children first, a dense frontal matrix is assembled from {@code A} and the children's
 * update matrices and partially factorised (blocked right-looking LDLᵀ with vectorisable column
 * updates). Solves follow the same tree: forward elimination passes update vectors up to the
 * parent, back substitution gathers from the ancestors; a block of right-hand sides reads the factor
 * once.
 * <p>
 * Parallelism: subtrees holding less than 1/16 of the work are processed sequentially, the others'
 * children concurrently; large fronts are updated in parallel by column groups, large solve steps by
 * rows or columns. Every entry is computed by the same sequence of operations whatever the number of
 * threads, so factor and solutions are bit-identical on any thread count. A factor is immutable;
 * concurrent solves are safe.
 * <p>
 * Pivots are not chosen numerically ({@code D} may hold negative entries): this is meant for matrices
 * that are positive semi-definite up to small perturbations, shifted slightly, such as the pipeline's
 * Laplacian. The number of negative pivots equals the number of eigenvalues of {@code A} below σ
 * (Sylvester's law of inertia). A pivot that is zero, not finite, or tiny relative to the matrix
 * ({@link #PIVOT_TOLERANCE}) makes {@link #factor} throw {@link SingularShiftException}, so callers
 * can choose another shift. Memory: {@link #factorEntries()} doubles for the factor, plus transient
 * frontal and update matrices.
 */
public final class SupernodalLdlt {

	/** Pivots with {@code |d| ≤ PIVOT_TOLERANCE · max|A_ii − σ|} are treated as breakdown. */
	public static final double PIVOT_TOLERANCE = 1e-13;

	/** Thrown when a pivot vanishes: the shift is (numerically) an eigenvalue of a leading block. */
	public static final class SingularShiftException extends ArithmeticException {

		private static final long serialVersionUID = 1L;

		public SingularShiftException(final String message) {
			super(message);
		}
	}

	/** Column block width of the dense partial factorisation. */
	private static final int PANEL = 32;

	/** The assembly tree is cut into subtrees of about 1/PARALLEL_SUBTREES of the total work. */
	private static final int PARALLEL_SUBTREES = 16;

	/** Below this depth of the assembly tree, subtrees are processed sequentially (bounded recursion). */
	private static final int MAX_TREE_DEPTH = 48;

	/** Column panel of the triangular solves. */
	private static final int SOLVE_PANEL = 64;

	/** Solve steps of a supernode costing more multiply-adds than this run in parallel. */
	private static final long SOLVE_PARALLEL_WORK = 1L << 18;

	/** Fronts whose trailing update costs more multiply-adds than this are updated in parallel. */
	private static final long PARALLEL_WORK = 1L << 20;

	private final Symbolic symbolic;
	private final double shift;
	/** factor[s][j]: column j of supernode s; entry 0 is d_j, entry r − j the multiplier of row position r. */
	private final double[][][] factor;
	private final int negativePivots;

	private SupernodalLdlt(final Symbolic symbolic, final double shift, final double[][][] factor,
		final int negativePivots)
	{
		this.symbolic = symbolic;
		this.shift = shift;
		this.factor = factor;
		this.negativePivots = negativePivots;
	}

	/**
	 * Symbolic analysis (ordering, elimination tree, supernodes and their row structures) of a
	 * symmetric matrix; reusable for several shifts of the same matrix.
	 */
	public static Symbolic analyse(final SparseMatrix a) {
		return analyse(a, FillReducingOrdering.amd(a));
	}

	/** Symbolic analysis with a given pivot order ({@code order[k]} = original index of pivot k). */
	public static Symbolic analyse(final SparseMatrix a, final int[] order) {
		return new Symbolic(a, order);
	}

	/** Factorises {@code A − σI} with the structure from {@link #analyse}. */
	public static SupernodalLdlt factor(final SparseMatrix a, final Symbolic symbolic, final double sigma,
		final Progress progress)
	{
		if (a.size() != symbolic.n) throw new IllegalArgumentException("matrix size " + a.size() + " does not match analysis " + symbolic.n);
		return new Numeric(a, symbolic, sigma, progress).run();
	}

	public int size() {
		return symbolic.n;
	}

	public double shift() {
		return shift;
	}

	/** Number of negative entries of {@code D} = number of eigenvalues of {@code A} below the shift. */
	public int negativePivots() {
		return negativePivots;
	}

	/** Stored entries of {@code L} including its diagonal (explicit zeros of merged supernodes included). */
	public long factorEntries() {
		return symbolic.factorEntries;
	}

	public Symbolic symbolic() {
		return symbolic;
	}

	/** {@code x = (A − σI)⁻¹ b}; {@code b} and {@code x} may be the same array. */
	public void solve(final double[] b, final double[] x) {
		solve(new double[][] { b }, new double[][] { x });
	}

	/**
	 * {@code x[c] = (A − σI)⁻¹ b[c]} for a block of right-hand sides, reading the factor once per
	 * block. Arrays of {@code b} and {@code x} may coincide.
	 */
	public void solve(final double[][] b, final double[][] x) {
		final int n = symbolic.n;
		final int nrhs = b.length;
		final int[] perm = symbolic.perm;
		final double[][] y = new double[nrhs][n];
		Parallel.forEach(nrhs, (c0, c1) -> {
			for (int c = c0; c < c1; c++) for (int k = 0; k < n; k++) y[c][k] = b[c][perm[k]];
		});
		final double[][][] updates = new double[symbolic.superCount][][];
		symbolic.upward(t -> forward(t, y, updates)); // forward elimination and diagonal
		symbolic.downward(t -> backward(t, y));
		Parallel.forEach(nrhs, (c0, c1) -> {
			for (int c = c0; c < c1; c++) for (int k = 0; k < n; k++) x[c][perm[k]] = y[c][k];
		});
	}

	/**
	 * Forward step of supernode s on its front vector z = [y_s; 0] plus the children's update
	 * vectors: unit lower trapezoidal solve, then y_s = z_top / d and z_below becomes the update
	 * vector to be added into the parent's front.
	 */
	private void forward(final int s, final double[][] y, final double[][][] updates) {
		final Symbolic sym = symbolic;
		final int f = sym.superStart[s], k = sym.superStart[s + 1] - f;
		final int m = sym.superRows[s].length;
		final int nrhs = y.length;
		final double[][] cols = factor[s];
		final double[][] z = new double[nrhs][m];
		for (int r = 0; r < nrhs; r++) System.arraycopy(y[r], f, z[r], 0, k);
		for (int q = sym.childStart[s]; q < sym.childStart[s + 1]; q++) {
			final int c = sym.children[q];
			final double[][] uc = updates[c];
			updates[c] = null;
			final int[] rel = sym.relMap[c];
			final int kc = sym.superStart[c + 1] - sym.superStart[c];
			for (int r = 0; r < nrhs; r++) {
				final double[] ur = uc[r], zr = z[r];
				for (int i = 0; i < rel.length; i++) zr[rel[i]] += ur[kc + i];
			}
		}
		if (!bigSolveStep(m, k, nrhs)) forwardPairs(cols, z, 0, k, m);
		else {
			for (int j0 = 0; j0 < k; j0 += SOLVE_PANEL) {
				final int j1 = Math.min(k, j0 + SOLVE_PANEL);
				forwardPairs(cols, z, j0, j1, j1);
				final int rows = m - j1;
				if (rows <= 0) continue;
				final int pj0 = j0;
				if (Parallel.parallelism() > 1) {
					Parallel.forRange(rows, 1024, (i0, i1) -> forwardRows(cols, z, pj0, j1, j1 + i0, j1 + i1));
				}
				else forwardRows(cols, z, j0, j1, j1, m);
			}
		}
		for (int r = 0; r < nrhs; r++) {
			final double[] yr = y[r], zr = z[r];
			for (int j = 0; j < k; j++) yr[f + j] = zr[j] / cols[j][0];
		}
		if (m > k) updates[s] = z;
	}

	/** Supernodes whose solve step is large are done by column panels, in parallel over rows / columns. */
	private static boolean bigSolveStep(final int m, final int k, final int nrhs) {
		return (long) (m - k) * k * nrhs > SOLVE_PARALLEL_WORK && k > SOLVE_PANEL;
	}

	/**
	 * Forward elimination of columns [j0, j1) on rows up to rowEnd, two columns at a time: the 2×2
	 * diagonal step, then both columns on all rows below them in one sweep.
	 */
	private static void forwardPairs(final double[][] cols, final double[][] z, final int j0, final int j1, final int rowEnd) {
		for (int j = j0; j < j1; j += 2) {
			if (j + 1 < j1) {
				final double l = cols[j][1];
				for (final double[] zr : z) zr[j + 1] -= l * zr[j];
				forwardRows(cols, z, j, j + 2, j + 2, rowEnd);
			}
			else forwardRows(cols, z, j, j + 1, j + 1, rowEnd);
		}
	}

	/** Transposed counterpart of {@link #forwardPairs}, pairs in reverse order. */
	private static void backwardPairs(final double[][] cols, final double[][] z, final int j0, final int j1, final int rowEnd) {
		for (int js = j0 + ((j1 - j0 - 1) / 2) * 2; js >= j0; js -= 2) {
			final int je = Math.min(js + 2, j1);
			backwardColumns(cols, z, js, je, je, rowEnd);
			if (je - js == 2) {
				final double l = cols[js][1];
				for (final double[] zr : z) zr[js] -= l * zr[js + 1];
			}
		}
	}

	/**
	 * z[i] −= Σ_{j ∈ [j0, j1)} L(i, j) z[j] for rows i in [i0, i1) (i0 ≥ j1); columns in pairs and
	 * right-hand sides in fours, so that each z entry is loaded and stored once per pair.
	 */
	private static void forwardRows(final double[][] cols, final double[][] z, final int j0, final int j1, final int i0,
		final int i1)
	{
		final int nrhs = z.length;
		int j = j0;
		for (; j + 1 < j1; j += 2) {
			final double[] ca = cols[j], cb = cols[j + 1];
			final int oa = -j, ob = -j - 1;
			int r = 0;
			for (; r + 3 < nrhs; r += 4) {
				final double[] z0 = z[r], z1 = z[r + 1], z2 = z[r + 2], z3 = z[r + 3];
				final double a0 = z0[j], a1 = z1[j], a2 = z2[j], a3 = z3[j];
				final double b0 = z0[j + 1], b1 = z1[j + 1], b2 = z2[j + 1], b3 = z3[j + 1];
				for (int i = i0; i < i1; i++) {
					final double la = ca[oa + i], lb = cb[ob + i];
					z0[i] -= la * a0 + lb * b0;
					z1[i] -= la * a1 + lb * b1;
					z2[i] -= la * a2 + lb * b2;
					z3[i] -= la * a3 + lb * b3;
				}
			}
			for (; r < nrhs; r++) {
				final double[] z0 = z[r];
				final double a0 = z0[j], b0 = z0[j + 1];
				for (int i = i0; i < i1; i++) z0[i] -= ca[oa + i] * a0 + cb[ob + i] * b0;
			}
		}
		if (j < j1) {
			final double[] c = cols[j];
			final int off = -j;
			int r = 0;
			for (; r + 3 < nrhs; r += 4) {
				final double[] z0 = z[r], z1 = z[r + 1], z2 = z[r + 2], z3 = z[r + 3];
				final double x0 = z0[j], x1 = z1[j], x2 = z2[j], x3 = z3[j];
				for (int i = i0; i < i1; i++) {
					final double l = c[off + i];
					z0[i] -= l * x0;
					z1[i] -= l * x1;
					z2[i] -= l * x2;
					z3[i] -= l * x3;
				}
			}
			for (; r < nrhs; r++) {
				final double[] z0 = z[r];
				final double x0 = z0[j];
				for (int i = i0; i < i1; i++) z0[i] -= c[off + i] * x0;
			}
		}
	}

	/** Backward step of supernode s on z = [y_s; y_below]: transposed unit trapezoidal solve. */
	private void backward(final int s, final double[][] y) {
		final Symbolic sym = symbolic;
		final int f = sym.superStart[s], k = sym.superStart[s + 1] - f;
		final int[] rows = sym.superRows[s];
		final int m = rows.length;
		final int nrhs = y.length;
		final double[][] cols = factor[s];
		final double[][] z = new double[nrhs][m];
		for (int r = 0; r < nrhs; r++) {
			final double[] yr = y[r], zr = z[r];
			System.arraycopy(yr, f, zr, 0, k);
			for (int i = k; i < m; i++) zr[i] = yr[rows[i]];
		}
		if (!bigSolveStep(m, k, nrhs)) backwardPairs(cols, z, 0, k, m);
		else {
			final int panels = (k + SOLVE_PANEL - 1) / SOLVE_PANEL;
			for (int pnl = panels - 1; pnl >= 0; pnl--) {
				final int j0 = pnl * SOLVE_PANEL, j1 = Math.min(k, j0 + SOLVE_PANEL);
				if (m > j1) {
					if (Parallel.parallelism() > 1) {
						Parallel.forRange(j1 - j0, 4, (a0, a1) -> backwardColumns(cols, z, j0 + a0, j0 + a1, j1, m));
					}
					else backwardColumns(cols, z, j0, j1, j1, m);
				}
				backwardPairs(cols, z, j0, j1, j1);
			}
		}
		for (int r = 0; r < nrhs; r++) System.arraycopy(z[r], 0, y[r], f, k);
	}

	/**
	 * z[j] −= Σ_{i ∈ [i0, i1)} L(i, j) z[i] for columns j in [a0, a1) (i0 ≥ a1); columns in pairs and
	 * right-hand sides in fours (eight independent sums).
	 */
	private static void backwardColumns(final double[][] cols, final double[][] z, final int a0, final int a1,
		final int i0, final int i1)
	{
		final int nrhs = z.length;
		int j = a0;
		for (; j + 1 < a1; j += 2) {
			final double[] ca = cols[j], cb = cols[j + 1];
			final int oa = -j, ob = -j - 1;
			int r = 0;
			for (; r + 3 < nrhs; r += 4) {
				final double[] z0 = z[r], z1 = z[r + 1], z2 = z[r + 2], z3 = z[r + 3];
				double s0 = 0, s1 = 0, s2 = 0, s3 = 0, t0 = 0, t1 = 0, t2 = 0, t3 = 0;
				for (int i = i0; i < i1; i++) {
					final double la = ca[oa + i], lb = cb[ob + i];
					final double x0 = z0[i], x1 = z1[i], x2 = z2[i], x3 = z3[i];
					s0 += la * x0;
					s1 += la * x1;
					s2 += la * x2;
					s3 += la * x3;
					t0 += lb * x0;
					t1 += lb * x1;
					t2 += lb * x2;
					t3 += lb * x3;
				}
				z0[j] -= s0;
				z1[j] -= s1;
				z2[j] -= s2;
				z3[j] -= s3;
				z0[j + 1] -= t0;
				z1[j + 1] -= t1;
				z2[j + 1] -= t2;
				z3[j + 1] -= t3;
			}
			for (; r < nrhs; r++) {
				final double[] z0 = z[r];
				double s0 = 0, s1 = 0, t0 = 0, t1 = 0;
				int i = i0;
				for (; i + 1 < i1; i += 2) {
					s0 += ca[oa + i] * z0[i];
					t0 += cb[ob + i] * z0[i];
					s1 += ca[oa + i + 1] * z0[i + 1];
					t1 += cb[ob + i + 1] * z0[i + 1];
				}
				if (i < i1) {
					s0 += ca[oa + i] * z0[i];
					t0 += cb[ob + i] * z0[i];
				}
				z0[j] -= s0 + s1;
				z0[j + 1] -= t0 + t1;
			}
		}
		if (j < a1) {
			final double[] c = cols[j];
			final int off = -j;
			int r = 0;
			for (; r + 3 < nrhs; r += 4) {
				final double[] z0 = z[r], z1 = z[r + 1], z2 = z[r + 2], z3 = z[r + 3];
				double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
				for (int i = i0; i < i1; i++) {
					final double l = c[off + i];
					s0 += l * z0[i];
					s1 += l * z1[i];
					s2 += l * z2[i];
					s3 += l * z3[i];
				}
				z0[j] -= s0;
				z1[j] -= s1;
				z2[j] -= s2;
				z3[j] -= s3;
			}
			for (; r < nrhs; r++) {
				final double[] z0 = z[r];
				double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
				int i = i0;
				for (; i + 3 < i1; i += 4) {
					s0 += c[off + i] * z0[i];
					s1 += c[off + i + 1] * z0[i + 1];
					s2 += c[off + i + 2] * z0[i + 2];
					s3 += c[off + i + 3] * z0[i + 3];
				}
				for (; i < i1; i++) s0 += c[off + i] * z0[i];
				z0[j] -= (s0 + s1) + (s2 + s3);
			}
		}
	}

	/** Symbolic structure: pivot order, supernodes, their row structures and the assembly tree. */
	public static final class Symbolic {

		final int n;
		/** perm[k] = original index of pivot k (fill-reducing order, postordered). */
		final int[] perm;
		final int[] pinv;
		final int superCount;
		/** Supernode s holds pivots superStart[s] … superStart[s+1]−1. */
		final int[] superStart;
		/** Row structure of supernode s: its own columns, then the rows below, ascending. */
		final int[][] superRows;
		final int[] superParent;
		/** Children of each supernode, ascending; childStart is CSR-like. */
		final int[] childStart, children;
		/** relMap[c][i]: position in the parent's rows of child c's update row i. */
		final int[][] relMap;
		final long factorEntries;
		/** First supernode (in postorder) of the subtree rooted at s. */
		final int[] firstDescendant;
		/**
		 * Supernodes whose subtree holds more than 1/PARALLEL_SUBTREES of the work: their children are
		 * processed concurrently; any other subtree is processed sequentially in postorder.
		 */
		final boolean[] isTop;
		/** Roots of the assembly forest. */
		final int[] forestRoots;
		/** Multiply-adds of one factorisation. */
		final double flops;
		final int maxUpdate;

		Symbolic(final SparseMatrix a, final int[] order) {
			n = a.size();
			if (order.length != n) throw new IllegalArgumentException("order length " + order.length + " != " + n);
			final int[] pinv0 = new int[n];
			Arrays.fill(pinv0, -1);
			for (int k = 0; k < n; k++) {
				if (order[k] < 0 || order[k] >= n || pinv0[order[k]] >= 0) throw new IllegalArgumentException("order is not a permutation");
				pinv0[order[k]] = k;
			}
			final Dcs A = new Dcs();
			A.m = n;
			A.n = n;
			A.p = a.rowStart(); // symmetric: CSR rows = CSC columns
			A.i = a.columns();
			A.x = null;
			A.nzmax = a.columns().length;
			A.nz = -1;
			final Dcs C = Dcs_symperm.cs_symperm(A, pinv0, false);
			final int[] parent0 = Dcs_etree.cs_etree(C, false);
			final int[] post = Dcs_post.cs_post(parent0, n);
			final int[] count0 = Dcs_counts.cs_counts(C, parent0, post, false);
			if (parent0 == null || post == null || count0 == null) throw new IllegalStateException("symbolic analysis failed (out of memory?)");
			// relabel in postorder
			perm = new int[n];
			pinv = new int[n];
			final int[] postInv = new int[n];
			for (int k = 0; k < n; k++) postInv[post[k]] = k;
			final int[] parent = new int[n];
			final int[] count = new int[n];
			for (int k = 0; k < n; k++) {
				perm[k] = order[post[k]];
				pinv[perm[k]] = k;
				final int p0 = parent0[post[k]];
				parent[k] = p0 < 0 ? -1 : postInv[p0];
				count[k] = count0[post[k]];
			}
			final int[] childCount = new int[n];
			for (int k = 0; k < n; k++) if (parent[k] >= 0) childCount[parent[k]]++;
			// fundamental supernodes
			final int[] fStart = new int[n + 1];
			int fs = 0;
			for (int k = 0; k < n; k++) {
				final boolean extend = k > 0 && parent[k - 1] == k && count[k - 1] == count[k] + 1 && childCount[k] == 1;
				if (!extend) fStart[fs++] = k;
			}
			fStart[fs] = n;
			final int[] superOfCol = new int[n];
			for (int s = 0; s < fs; s++) for (int k = fStart[s]; k < fStart[s + 1]; k++) superOfCol[k] = s;
			final int[] fParent = new int[fs];
			for (int s = 0; s < fs; s++) {
				final int p = parent[fStart[s + 1] - 1];
				fParent[s] = p < 0 ? -1 : superOfCol[p];
			}
			// relaxed amalgamation, from the root down: merge s into the group starting at s+1
			// when s's parent lies in that group (columns stay contiguous).
			final int[] groupEnd = new int[fs]; // for a group start g: last fundamental supernode of the group
			final long[] gCols = new long[fs], gHeight = new long[fs], gTrue = new long[fs];
			for (int s = fs - 1; s >= 0; s--) {
				final int k = fStart[s + 1] - fStart[s];
				long nnz = 0;
				for (int c = fStart[s]; c < fStart[s + 1]; c++) nnz += count[c];
				groupEnd[s] = s;
				gCols[s] = k;
				gHeight[s] = count[fStart[s]];
				gTrue[s] = nnz;
				final int g = s + 1;
				if (s == fs - 1 || fParent[s] < g || fParent[s] > groupEnd[g]) continue;
				final long cols = gCols[g] + k;
				final long height = k + gHeight[g];
				final long total = cols * height - cols * (cols - 1) / 2;
				final long trueNnz = gTrue[g] + nnz;
				final double zeros = (double) (total - trueNnz) / total;
				final boolean merge = cols <= 4 || (cols <= 16 && zeros < 0.8) || (cols <= 48 && zeros < 0.1) || zeros < 0.05;
				if (!merge) continue;
				groupEnd[s] = groupEnd[g];
				gCols[s] = cols;
				gHeight[s] = height;
				gTrue[s] = trueNnz;
				groupEnd[g] = -1; // no longer a group start
			}
			int ns = 0;
			final int[] starts = new int[fs + 1];
			for (int s = 0; s < fs;) {
				starts[ns++] = fStart[s];
				s = groupEnd[s] + 1;
			}
			starts[ns] = n;
			superCount = ns;
			superStart = Arrays.copyOf(starts, ns + 1);
			final int[] superOf = new int[n];
			for (int s = 0; s < ns; s++) for (int k = superStart[s]; k < superStart[s + 1]; k++) superOf[k] = s;
			superParent = new int[ns];
			final int[] nChildren = new int[ns + 1];
			for (int s = 0; s < ns; s++) {
				final int p = parent[superStart[s + 1] - 1];
				superParent[s] = p < 0 ? -1 : superOf[p];
				if (p >= 0) nChildren[superParent[s] + 1]++;
			}
			for (int s = 0; s < ns; s++) nChildren[s + 1] += nChildren[s];
			childStart = nChildren;
			children = new int[ns];
			final int[] fill = Arrays.copyOf(childStart, ns);
			for (int s = 0; s < ns; s++) if (superParent[s] >= 0) children[fill[superParent[s]]++] = s;
			// row structures, children before parents
			superRows = new int[ns][];
			final int[] mark = new int[n];
			Arrays.fill(mark, -1);
			int[] extra = new int[64];
			final int[] rowStart = a.rowStart(), colIdx = a.columns();
			long entries = 0;
			double fl = 0;
			int maxU = 1;
			for (int s = 0; s < ns; s++) {
				final int f = superStart[s], l = superStart[s + 1];
				int ne = 0;
				for (int k = f; k < l; k++) {
					final int orig = perm[k];
					for (int q = rowStart[orig]; q < rowStart[orig + 1]; q++) {
						final int i = pinv[colIdx[q]];
						if (i >= l && mark[i] != s) {
							mark[i] = s;
							if (ne == extra.length) extra = Arrays.copyOf(extra, 2 * ne);
							extra[ne++] = i;
						}
					}
				}
				for (int q = childStart[s]; q < childStart[s + 1]; q++) {
					final int c = children[q];
					final int[] cr = superRows[c];
					final int ck = superStart[c + 1] - superStart[c];
					for (int t = ck; t < cr.length; t++) {
						final int i = cr[t];
						if (i >= l && mark[i] != s) {
							mark[i] = s;
							if (ne == extra.length) extra = Arrays.copyOf(extra, 2 * ne);
							extra[ne++] = i;
						}
					}
				}
				Arrays.sort(extra, 0, ne);
				final int k = l - f;
				final int[] r = new int[k + ne];
				for (int j = 0; j < k; j++) r[j] = f + j;
				System.arraycopy(extra, 0, r, k, ne);
				superRows[s] = r;
				final long m = r.length;
				entries += k * m - (long) k * (k - 1) / 2;
				for (int j = 0; j < k; j++) {
					final double below = m - j - 1;
					fl += below * (below + 1) / 2 + below;
				}
				maxU = Math.max(maxU, ne);
			}
			factorEntries = entries;
			flops = fl;
			maxUpdate = maxU;
			// subtree work and a fixed split into parallel subtrees (independent of the thread count)
			firstDescendant = new int[ns];
			final double[] work = new double[ns];
			for (int s = 0; s < ns; s++) {
				firstDescendant[s] = s;
				final long m = superRows[s].length, k = superStart[s + 1] - superStart[s];
				work[s] += k * m * (double) m;
			}
			for (int s = 0; s < ns; s++) {
				final int p = superParent[s];
				if (p >= 0) {
					work[p] += work[s];
					firstDescendant[p] = Math.min(firstDescendant[p], firstDescendant[s]);
				}
			}
			double total = 0;
			for (int s = 0; s < ns; s++) if (superParent[s] < 0) total += work[s];
			final double grain = total / PARALLEL_SUBTREES;
			isTop = new boolean[ns];
			int nForest = 0;
			for (int s = 0; s < ns; s++) {
				isTop[s] = work[s] > grain && childStart[s + 1] > childStart[s];
				if (superParent[s] < 0) nForest++;
			}
			forestRoots = new int[nForest];
			for (int s = 0, t = 0; s < ns; s++) if (superParent[s] < 0) forestRoots[t++] = s;
			// relative maps child update rows -> parent positions
			relMap = new int[ns][];
			for (int c = 0; c < ns; c++) {
				final int p = superParent[c];
				if (p < 0) continue;
				final int[] cr = superRows[c], pr = superRows[p];
				final int ck = superStart[c + 1] - superStart[c];
				final int[] rel = new int[cr.length - ck];
				int pos = 0;
				for (int t = ck; t < cr.length; t++) {
					while (pr[pos] != cr[t]) {
						pos++;
						if (pos >= pr.length) throw new IllegalStateException("inconsistent supernode structure");
					}
					rel[t - ck] = pos;
				}
				relMap[c] = rel;
			}
		}

		public int size() {
			return n;
		}

		/**
		 * Calls {@code node} on every supernode, children before parents; independent subtrees run
		 * concurrently (each node's work must depend only on its descendants).
		 */
		void upward(final java.util.function.IntConsumer node) {
			Parallel.forEach(forestRoots.length, (r0, r1) -> {
				for (int q = r0; q < r1; q++) upwardFrom(forestRoots[q], node, 0);
			});
		}

		private void upwardFrom(final int s, final java.util.function.IntConsumer node, final int depth) {
			if (!isTop[s] || depth > MAX_TREE_DEPTH) {
				for (int t = firstDescendant[s]; t <= s; t++) node.accept(t);
				return;
			}
			final int c0 = childStart[s];
			Parallel.forEach(childStart[s + 1] - c0, (q0, q1) -> {
				for (int q = q0; q < q1; q++) upwardFrom(children[c0 + q], node, depth + 1);
			});
			node.accept(s);
		}

		/** Calls {@code node} on every supernode, parents before children (independent subtrees concurrently). */
		void downward(final java.util.function.IntConsumer node) {
			Parallel.forEach(forestRoots.length, (r0, r1) -> {
				for (int q = r0; q < r1; q++) downwardFrom(forestRoots[q], node, 0);
			});
		}

		private void downwardFrom(final int s, final java.util.function.IntConsumer node, final int depth) {
			if (!isTop[s] || depth > MAX_TREE_DEPTH) {
				for (int t = s; t >= firstDescendant[s]; t--) node.accept(t);
				return;
			}
			node.accept(s);
			final int c0 = childStart[s];
			Parallel.forEach(childStart[s + 1] - c0, (q0, q1) -> {
				for (int q = q0; q < q1; q++) downwardFrom(children[c0 + q], node, depth + 1);
			});
		}

		/** Stored entries of the factor (including the diagonal and explicit zeros of relaxed supernodes). */
		public long factorEntries() {
			return factorEntries;
		}

		/** Multiply-adds of one numeric factorisation. */
		public double flops() {
			return flops;
		}

		public int supernodes() {
			return superCount;
		}

		/** Largest frontal matrix order. */
		public int largestFront() {
			int m = 0;
			for (final int[] r : superRows) m = Math.max(m, r.length);
			return m;
		}
	}

	/** One numeric factorisation. */
	private static final class Numeric {

		private final SparseMatrix a;
		private final Symbolic sym;
		private final double sigma;
		private final Progress progress;
		private final double[][][] factor;
		/** Update matrices waiting for their parent (each written once, read once by the parent). */
		private final double[][][] pending;
		private final double pivotFloor;

		Numeric(final SparseMatrix a, final Symbolic sym, final double sigma, final Progress progress) {
			this.a = a;
			this.sym = sym;
			this.sigma = sigma;
			this.progress = progress;
			factor = new double[sym.superCount][][];
			pending = new double[sym.superCount][][];
			double maxDiag = 0;
			final double[] d = a.diagonal();
			for (final double v : d) maxDiag = Math.max(maxDiag, Math.abs(v - sigma));
			pivotFloor = PIVOT_TOLERANCE * maxDiag;
		}

		SupernodalLdlt run() {
			final int[] negatives = new int[sym.superCount];
			final java.util.concurrent.atomic.DoubleAdder done = new java.util.concurrent.atomic.DoubleAdder();
			sym.upward(t -> {
				negatives[t] = factorSupernode(t);
				report(t, done);
			});
			int negative = 0;
			for (final int v : negatives) negative += v;
			return new SupernodalLdlt(sym, sigma, factor, negative);
		}

		private void report(final int s, final java.util.concurrent.atomic.DoubleAdder done) {
			final long m = sym.superRows[s].length, k = sym.superStart[s + 1] - sym.superStart[s];
			final double w = k * m * (double) m;
			done.add(w);
			if (w > 1e6 || (s & 255) == 0) {
				progress.checkpoint("eigenvectors: factorisation", Math.min(1, done.sum() / Math.max(1, sym.flops * 2)));
			}
		}

		/** Assembles and factorises the front of supernode s; returns its number of negative pivots. */
		private int factorSupernode(final int s) {
			final int f = sym.superStart[s], l = sym.superStart[s + 1], k = l - f;
			final int[] rows = sym.superRows[s];
			final int m = rows.length, u = m - k;
			final double[][] front = new double[m][];
			for (int t = 0; t < m; t++) front[t] = new double[m - t];
			// original entries (lower part) of the supernode's columns
			final int[] rs = a.rowStart(), ci = a.columns();
			final double[] av = a.values();
			for (int j = 0; j < k; j++) {
				final int g = f + j;
				final double[] col = front[j];
				final int orig = sym.perm[g];
				for (int q = rs[orig]; q < rs[orig + 1]; q++) {
					final int i = sym.pinv[ci[q]];
					if (i < g) continue;
					final int pos = i < l ? i - f : Arrays.binarySearch(rows, k, m, i);
					col[pos - j] += av[q];
				}
				col[0] -= sigma;
			}
			// children's update matrices (extend-add), in ascending child order
			for (int q = sym.childStart[s]; q < sym.childStart[s + 1]; q++) {
				final int c = sym.children[q];
				final double[][] upd = pending[c];
				pending[c] = null;
				final int[] rel = sym.relMap[c];
				final int uc = rel.length;
				for (int cc = 0; cc < uc; cc++) {
					final int t = rel[cc];
					final double[] dst = front[t];
					final double[] src = upd[cc];
					for (int rr = cc; rr < uc; rr++) dst[rel[rr] - t] += src[rr - cc];
				}
			}
			final int negative = partialLdlt(front, k, m);
			factor[s] = Arrays.copyOf(front, k);
			if (u > 0) pending[s] = Arrays.copyOfRange(front, k, m);
			return negative;
		}

		/**
		 * Partial LDLᵀ of a front in trimmed lower column storage ({@code col[t][r − t]} = entry (r, t)):
		 * eliminates the first {@code k} columns, leaving the Schur complement in columns k…m−1.
		 */
		private int partialLdlt(final double[][] col, final int k, final int m) {
			int negative = 0;
			for (int j0 = 0; j0 < k; j0 += PANEL) {
				final int j1 = Math.min(k, j0 + PANEL);
				// factorise the panel, left-looking inside it
				for (int j = j0; j < j1; j++) {
					final double[] cj = col[j];
					final int len = m - j;
					for (int p = j0; p < j; p++) {
						final double[] cp = col[p];
						final double w = cp[j - p] * cp[0];
						if (w == 0) continue;
						final int off = j - p;
						for (int i = 0; i < len; i++) cj[i] -= cp[off + i] * w;
					}
					final double d = cj[0];
					if (!(Math.abs(d) > pivotFloor) || !Double.isFinite(d)) {
						throw new SingularShiftException("pivot " + d + " at column " + j + " of a front of order " + m
							+ " (shift " + sigma + ")");
					}
					if (d < 0) negative++;
					final double inv = 1 / d;
					for (int i = 1; i < len; i++) cj[i] *= inv;
				}
				// update the trailing columns j1…m−1 with the panel
				final int trailing = m - j1;
				if (trailing <= 0) continue;
				final int groups = (trailing + 3) / 4;
				final int pj0 = j0;
				final Parallel.RangeBody body = (g0, g1) -> {
					for (int g = g0; g < g1; g++) {
						final int t = j1 + 4 * g;
						updateColumns(col, pj0, j1, t, Math.min(m, t + 4), m);
					}
				};
				final long work = (long) trailing * trailing / 2 * (j1 - j0);
				if (work > PARALLEL_WORK && Parallel.parallelism() > 1) Parallel.forRange(groups, 8, body);
				else body.run(0, groups);
			}
			return negative;
		}

		/** Columns t0…t1−1 (at most 4) −= Σ_{p∈[p0,p1)} L(:,p) d_p L(t,p). */
		private static void updateColumns(final double[][] col, final int p0, final int p1, final int t0, final int t1,
			final int m)
		{
			if (t1 - t0 < 4) {
				for (int t = t0; t < t1; t++) {
					final double[] ct = col[t];
					final int len = m - t;
					for (int p = p0; p < p1; p++) {
						final double[] cp = col[p];
						final double w = cp[t - p] * cp[0];
						if (w == 0) continue;
						final int off = t - p;
						for (int i = 0; i < len; i++) ct[i] -= cp[off + i] * w;
					}
				}
				return;
			}
			final double[] c0 = col[t0], c1 = col[t0 + 1], c2 = col[t0 + 2], c3 = col[t0 + 3];
			for (int p = p0; p < p1; p++) {
				final double[] cp = col[p];
				final double dp = cp[0];
				final int off = t0 - p;
				final double w0 = cp[off] * dp, w1 = cp[off + 1] * dp, w2 = cp[off + 2] * dp, w3 = cp[off + 3] * dp;
				// triangle: rows t0…t0+3
				c0[0] -= cp[off] * w0;
				c0[1] -= cp[off + 1] * w0;
				c0[2] -= cp[off + 2] * w0;
				c0[3] -= cp[off + 3] * w0;
				c1[0] -= cp[off + 1] * w1;
				c1[1] -= cp[off + 2] * w1;
				c1[2] -= cp[off + 3] * w1;
				c2[0] -= cp[off + 2] * w2;
				c2[1] -= cp[off + 3] * w2;
				c3[0] -= cp[off + 3] * w3;
				// rectangle: rows t0+4 … m−1
				final int len = m - t0 - 4;
				final int o = off + 4;
				for (int i = 0; i < len; i++) {
					final double x = cp[o + i];
					c0[4 + i] -= x * w0;
					c1[3 + i] -= x * w1;
					c2[2 + i] -= x * w2;
					c3[1 + i] -= x * w3;
				}
			}
		}
	}
}
