package org.softsegments.sparsify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;
import org.softsegments.core.Progress;
import org.softsegments.core.SegmentationCancelledException;
import org.softsegments.linalg.SparseMatrix;
import org.softsegments.sparsify.RelaxedSparsification.Params;
import org.softsegments.sparsify.RelaxedSparsification.Preconditioner;
import org.softsegments.sparsify.RelaxedSparsification.Solver;

class RelaxedSparsificationTest {

	private static final int K = 5;

	/** Random symmetric affinity with some negative weights (like W_S) on n nodes → Laplacian. */
	static SparseMatrix randomLaplacian(final int n, final long seed) {
		final SplittableRandom rnd = new SplittableRandom(seed);
		final List<int[]> pairs = new ArrayList<>();
		final List<Double> weights = new ArrayList<>();
		for (int i = 0; i < n; i++) {
			for (int j = i + 1; j < n; j++) {
				if (rnd.nextDouble() < 0.4) {
					pairs.add(new int[] { i, j });
					weights.add(rnd.nextDouble(-0.2, 1));
				}
			}
		}
		final int m = pairs.size();
		final int[] r = new int[2 * m], c = new int[2 * m];
		final double[] v = new double[2 * m];
		for (int t = 0; t < m; t++) {
			r[2 * t] = c[2 * t + 1] = pairs.get(t)[0];
			c[2 * t] = r[2 * t + 1] = pairs.get(t)[1];
			v[2 * t] = v[2 * t + 1] = weights.get(t);
		}
		return SparseMatrix.fromTriplets(n, r, c, v, 2 * m).laplacian();
	}

	/** Dense {@code I_K ⊗ L + δ CᵀC + diag(d)}. */
	private static DMatrixRMaj assemble(final SparseMatrix l, final double delta, final double[] d) {
		final int n = l.size();
		final DMatrixRMaj a = new DMatrixRMaj(K * n, K * n);
		for (int k = 0; k < K; k++) {
			for (int i = 0; i < n; i++) {
				for (int j = 0; j < n; j++) a.set(k * n + i, k * n + j, l.get(i, j));
				for (int m = 0; m < K; m++) a.add(k * n + i, m * n + i, delta);
			}
		}
		for (int i = 0; i < K * n; i++) a.add(i, i, d[i]);
		return a;
	}

	@Test
	void matrixFreeOperatorEqualsAssembledMatrix() {
		final int n = 12;
		final SparseMatrix l = randomLaplacian(n, 5);
		final SplittableRandom rnd = new SplittableRandom(9);
		final double[] d = new double[K * n];
		final double[] x = new double[K * n];
		for (int i = 0; i < K * n; i++) {
			d[i] = rnd.nextDouble(1, 50);
			x[i] = rnd.nextDouble(-1, 2);
		}
		final DMatrixRMaj a = assemble(l, 100, d);
		final DMatrixRMaj expected = new DMatrixRMaj(K * n, 1);
		CommonOps_DDRM.mult(a, new DMatrixRMaj(K * n, 1, true, x), expected);
		final double[] y = new double[K * n];
		new RelaxedSystemOperator(l, K, 100, d).apply(x, y);
		for (int i = 0; i < K * n; i++) {
			assertEquals(expected.data[i], y[i], 1e-12 * (1 + Math.abs(expected.data[i])), "entry " + i);
		}
	}

	@Test
	void fiveLayerKernelIsBitIdenticalToGenericKernel() {
		final int w = 33, h = 40, n = w * h;
		final SparseMatrix l = GridLaplacians.of(GridLaplacians.twoRegionImage(w, h), w, h, 2, 0.1)
			.plus(randomLaplacianOnGrid(n), 0.01);
		final SplittableRandom rnd = new SplittableRandom(12);
		final double[] d = new double[K * n];
		final double[] x = new double[K * n];
		for (int i = 0; i < K * n; i++) {
			d[i] = rnd.nextDouble(1, 50);
			x[i] = rnd.nextDouble(-1, 2);
		}
		final RelaxedSystemOperator op = new RelaxedSystemOperator(l, K, 100, d);
		final double[] fast = new double[K * n];
		final double[] generic = new double[K * n];
		op.apply(x, fast);
		op.applyGeneric(x, generic);
		assertArrayEquals(generic, fast, 0);
	}

	/** A few long-range symmetric entries (like the non-local colour affinities). */
	private static SparseMatrix randomLaplacianOnGrid(final int n) {
		final SplittableRandom rnd = new SplittableRandom(8);
		final int m = 300;
		final int[] r = new int[2 * m], c = new int[2 * m];
		final double[] v = new double[2 * m];
		for (int t = 0; t < m; t++) {
			r[2 * t] = c[2 * t + 1] = rnd.nextInt(n);
			c[2 * t] = r[2 * t + 1] = rnd.nextInt(n);
			v[2 * t] = v[2 * t + 1] = rnd.nextDouble(-1, 1);
		}
		return SparseMatrix.fromTriplets(n, r, c, v, 2 * m).laplacian();
	}

	/**
	 * The whole IRLS with every CG solve replaced by a dense direct solve of the assembled
	 * system (EJML): with a tight CG tolerance the matrix-free path must agree.
	 */
	@Test
	void agreesWithDenseDirectSolvesOnTinyCase() {
		agreesWithDenseDirectSolves(null);
	}

	/** The same with strokes on three pixels: their term adds {@code w_i} and {@code w_i·t_ki} to every system. */
	@Test
	void agreesWithDenseDirectSolvesWithStrokes() {
		final int n = 12;
		final double[] weight = new double[n], target = new double[K * n];
		weight[2] = 100;
		target[3 * n + 2] = 1;
		weight[7] = 50;
		target[7] = 0.25;
		target[4 * n + 7] = 0.75;
		weight[11] = 100;
		target[11] = 1;
		agreesWithDenseDirectSolves(new RelaxedSparsification.StrokeTerm(weight, target));
	}

	private static void agreesWithDenseDirectSolves(final RelaxedSparsification.StrokeTerm strokes) {
		final int n = 12;
		final SparseMatrix l = randomLaplacian(n, 21);
		final SplittableRandom rnd = new SplittableRandom(4);
		final double[][] layers = randomLayers(n, rnd);
		final float[] gradient = new float[n];
		for (int i = 0; i < n; i++) gradient[i] = (float) rnd.nextDouble(0, 0.15);
		final Params p = new Params(1, 1, 100, 0.9, 0.1, 0.01, 0.1, 0.9, 4, 1000, 1000, 1e-13);
		final double[][] actual = RelaxedSparsification.solve(layers, l, gradient, p, strokes, Progress.NONE).layers();

		final double[] target = RelaxedSparsification.preClean(layers, n, p);
		final double[] x = target.clone();
		final double[] d = new double[K * n];
		final double[] b = new double[K * n];
		for (int t = 0; t < p.outerIterations(); t++) {
			for (int k = 0; k < K; k++) {
				for (int i = 0; i < n; i++) {
					final int idx = k * n + i;
					final double gamma = 0.9 + Math.min(gradient[i], 0.1);
					final double u = Math.pow(Math.max(Math.abs(x[idx]), 0.01), gamma - 2);
					final double v = Math.pow(Math.max(Math.abs(1 - x[idx]), 0.01), gamma - 2);
					d[idx] = u + v + 1;
					b[idx] = v + target[idx] + 100;
					if (strokes != null) {
						d[idx] += strokes.weight()[i];
						b[idx] += strokes.weight()[i] * strokes.target()[idx];
					}
				}
			}
			denseSolve(assemble(l, 100, d), b, x);
		}
		for (int i = 0; i < K * n; i++) {
			d[i] = 1;
			b[i] = x[i] + 100;
			if (strokes != null) {
				d[i] += strokes.weight()[i % n];
				b[i] += strokes.weight()[i % n] * strokes.target()[i];
			}
		}
		denseSolve(assemble(l, 100, d), b, x);
		for (int k = 0; k < K; k++) {
			for (int i = 0; i < n; i++) assertEquals(x[k * n + i], actual[k][i], 1e-9, "layer " + k + " pixel " + i);
		}
	}

	private static void denseSolve(final DMatrixRMaj a, final double[] b, final double[] x) {
		final DMatrixRMaj sol = new DMatrixRMaj(b.length, 1);
		assertTrue(CommonOps_DDRM.solve(a, new DMatrixRMaj(b.length, 1, true, b), sol));
		System.arraycopy(sol.data, 0, x, 0, x.length);
	}

	/** Random layers summing to 1 per pixel. */
	static double[][] randomLayers(final int n, final SplittableRandom rnd) {
		final double[][] layers = new double[K][n];
		for (int i = 0; i < n; i++) {
			double s = 0;
			for (int k = 0; k < K; k++) s += layers[k][i] = rnd.nextDouble() * rnd.nextDouble();
			for (int k = 0; k < K; k++) layers[k][i] /= s;
		}
		return layers;
	}

	/**
	 * Two-region image: layer 0 = left region, layer 1 = right region, mixed 70/30 with random
	 * noise spread over all 5 layers (sums stay 1).
	 */
	static double[][] noisyTwoRegionLayers(final double[] image, final long seed) {
		final int n = image.length;
		final SplittableRandom rnd = new SplittableRandom(seed);
		final double[][] layers = randomLayers(n, rnd);
		for (int i = 0; i < n; i++) {
			final int truth = image[i] < 0.5 ? 0 : 1;
			for (int k = 0; k < K; k++) layers[k][i] = 0.3 * layers[k][i] + (k == truth ? 0.7 : 0);
		}
		return layers;
	}

	static float[] gradientMagnitude(final double[] img, final int w, final int h) {
		final float[] g = new float[w * h];
		for (int y = 0; y < h; y++) {
			for (int x = 0; x < w; x++) {
				final double gx = img[Math.min(x + 1, w - 1) + y * w] - img[Math.max(x - 1, 0) + y * w];
				final double gy = img[x + Math.min(y + 1, h - 1) * w] - img[x + Math.max(y - 1, 0) * w];
				g[x + y * w] = (float) Math.hypot(gx / 2, gy / 2);
			}
		}
		return g;
	}

	/** Mean distance to the nearest of 0 and 1 over all layer values. */
	private static double meanDistanceToBinary(final double[][] layers) {
		double s = 0;
		int c = 0;
		for (final double[] l : layers) {
			for (final double a : l) {
				s += Math.min(Math.abs(a), Math.abs(1 - a));
				c++;
			}
		}
		return s / c;
	}

	/** The two-region case of size w×h: image, grid Laplacian, noisy grouped layers, gradient. */
	private record TwoRegions(double[] image, SparseMatrix l, double[][] grouped, float[] gradient) {

		static TwoRegions of(final int w, final int h, final long seed) {
			final double[] image = GridLaplacians.twoRegionImage(w, h);
			return new TwoRegions(image, GridLaplacians.of(image, w, h, 2, 0.1), noisyTwoRegionLayers(image, seed),
				gradientMagnitude(image, w, h));
		}

		/** {@link RelaxedSparsification#solve} of this case with {@code p}. */
		RelaxedSparsification.Result solve(final Params p) {
			return solve(p, null);
		}

		/** The same with the strokes' term {@code strokes} (null: none). */
		RelaxedSparsification.Result solve(final Params p, final RelaxedSparsification.StrokeTerm strokes) {
			return RelaxedSparsification.solve(grouped, l, gradient, p, strokes, Progress.NONE);
		}
	}

	@Test
	void syntheticTwoRegionCase() {
		final int w = 20, h = 20, n = w * h;
		final TwoRegions c = TwoRegions.of(w, h, 1);
		final RelaxedSparsification.Result r = c.solve(Params.DEFAULTS);
		final double[][] out = r.layers();
		assertEquals(K, out.length);
		for (int i = 0; i < n; i++) {
			double s = 0;
			for (int k = 0; k < K; k++) s += out[k][i];
			assertEquals(1, s, 1e-3, "sum at pixel " + i);
		}
		final double before = meanDistanceToBinary(c.grouped());
		final double after = meanDistanceToBinary(out);
		assertTrue(after < 0.25 * before, "distance to {0,1}: before " + before + ", after " + after);
		// the layers follow the two regions
		for (int i = 0; i < n; i++) {
			final int truth = c.image()[i] < 0.5 ? 0 : 1;
			assertEquals(1, out[truth][i], 0.15, "pixel " + i);
		}
		assertEquals(21, r.solves().length);
		// regression pins (deterministic): CG iterations per solve and in total
		final int[] counts = r.cgIterations();
		assertArrayEquals(new int[] { 30, 24, 21, 19, 18, 17, 16, 15, 13, 13, 11, 11, 10, 10, 10, 9, 8, 8, 8, 7, 21 },
			counts, Arrays.toString(counts));
		assertEquals(299, r.totalCgIterations());
		for (final var solve : r.solves()) assertTrue(solve.converged(), solve.toString());
	}

	/**
	 * Strokes of layer 0 on a 2×2 patch inside region 1 hold that patch to layer 0, which the
	 * grouped layers and the Laplacian give to layer 1; pixels far from the patch stay in their layer.
	 */
	@Test
	void strokesHoldTheirPixelsToTheirLayer() {
		final int w = 20, h = 20, n = w * h;
		final TwoRegions c = TwoRegions.of(w, h, 1);
		final double[] image = c.image();
		final int[] patch = new int[4];
		int found = 0;
		for (int y = 8; y < h - 1 && found == 0; y++) {
			for (int x = 1; x < w - 1 && found == 0; x++) {
				final int i = x + y * w;
				if (x > 12 && image[i] >= 0.5 && image[i + 1] >= 0.5 && image[i + w] >= 0.5 && image[i + w + 1] >= 0.5) {
					patch[0] = i;
					patch[1] = i + 1;
					patch[2] = i + w;
					patch[3] = i + w + 1;
					found = 1;
				}
			}
		}
		assertEquals(1, found, "no 2×2 patch in region 1");
		final double[] weight = new double[n], target = new double[K * n];
		for (final int i : patch) {
			weight[i] = 100;
			target[i] = 1;
		}
		final double[][] plain = c.solve(Params.DEFAULTS).layers();
		final double[][] out = c.solve(Params.DEFAULTS, new RelaxedSparsification.StrokeTerm(weight, target)).layers();
		for (final int i : patch) {
			assertTrue(plain[0][i] < 0.15, "without strokes pixel " + i + " is in layer 1: " + plain[0][i]);
			assertTrue(out[0][i] > 0.9, "with strokes pixel " + i + " is in layer 0: " + out[0][i]);
		}
		for (int i = 0; i < n; i++) {
			final int dx = i % w - patch[0] % w, dy = i / w - patch[0] / w;
			final int truth = image[i] < 0.5 ? 0 : 1;
			if (Math.abs(dx) > 4 || Math.abs(dy) > 4) assertTrue(out[truth][i] > 0.5, "pixel " + i + " left its layer");
		}
		assertThrows(IllegalArgumentException.class, () -> c.solve(Params.DEFAULTS,
			new RelaxedSparsification.StrokeTerm(new double[n - 1], target)));
	}

	private static final Solver BLOCK_JACOBI = new Solver(Preconditioner.BLOCK_JACOBI, 1, 1, 0);
	private static final Solver GAUSS_SEIDEL = new Solver(Preconditioner.BLOCK_GAUSS_SEIDEL, 100, 1, 0);

	/**
	 * The preconditioned solvers reach the reference result on the two-region case (to the CG
	 * tolerance, and to rounding with a tight one), with pinned iteration counts.
	 */
	@Test
	void preconditionedSolversAgreeWithReferenceAndPinnedCounts() {
		final int w = 20, h = 20;
		final TwoRegions c = TwoRegions.of(w, h, 1);
		final RelaxedSparsification.Result ref = c.solve(Params.DEFAULTS);
		final int[][] pinned = { PINNED_BLOCK_JACOBI, PINNED_GAUSS_SEIDEL, PINNED_FAST };
		final Params[] variants = { Params.DEFAULTS.withSolver(BLOCK_JACOBI), Params.DEFAULTS.withSolver(GAUSS_SEIDEL),
			Params.fast() };
		for (int v = 0; v < variants.length; v++) {
			final RelaxedSparsification.Result r = c.solve(variants[v]);
			assertArrayEquals(pinned[v], r.cgIterations(), variants[v].solver() + ": " + Arrays.toString(r.cgIterations()));
			for (final var solve : r.solves()) assertTrue(solve.converged(), solve.toString());
			assertTrue(r.totalCgIterations() * 3 < ref.totalCgIterations(), r.totalCgIterations() + " vs " + ref
				.totalCgIterations());
			assertTrue(maxDiff(r.layers(), ref.layers()) < 1e-3, "max diff " + maxDiff(r.layers(), ref.layers()));
		}
		// tight tolerance: the same minimiser to rounding
		final Params tight = Params.DEFAULTS.withTolerance(1e-12).withIterations(5, 1000, 1000);
		final double[][] exact = c.solve(tight).layers();
		for (final Solver solver : new Solver[] { BLOCK_JACOBI, GAUSS_SEIDEL }) {
			final double[][] pre = c.solve(tight.withSolver(solver)).layers();
			assertTrue(maxDiff(pre, exact) < 1e-9, solver + ": " + maxDiff(pre, exact));
		}
	}

	private static final int[] PINNED_BLOCK_JACOBI = { 6, 5, 5, 4, 4, 4, 3, 3, 3, 3, 3, 3, 2, 2, 2, 2, 2, 2, 2, 2, 12 };
	private static final int[] PINNED_GAUSS_SEIDEL = { 5, 4, 4, 3, 3, 3, 3, 3, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 8 };
	private static final int[] PINNED_FAST = { 6, 5, 5, 4, 4, 4, 3, 3, 3, 3, 3, 3, 2, 2, 2, 2, 2, 12 };

	private static double maxDiff(final double[][] a, final double[][] b) {
		double m = 0;
		for (int k = 0; k < a.length; k++) {
			for (int i = 0; i < a[k].length; i++) m = Math.max(m, Math.abs(a[k][i] - b[k][i]));
		}
		return m;
	}

	/** {@code refine} from the pre-cleaned layers is {@code solve} from the raw ones, bit for bit. */
	@Test
	void refineFromPreCleanedLayersEqualsSolve() {
		final int w = 16, h = 12, n = w * h;
		final TwoRegions c = TwoRegions.of(w, h, 6);
		for (final Params p : new Params[] { Params.DEFAULTS.withIterations(4, 100, 1000), Params.fast() }) {
			final double[] clean = RelaxedSparsification.preClean(c.grouped(), n, p);
			final double[][] cleanLayers = new double[K][];
			for (int k = 0; k < K; k++) cleanLayers[k] = Arrays.copyOfRange(clean, k * n, (k + 1) * n);
			final RelaxedSparsification.Result a = c.solve(p);
			final RelaxedSparsification.Result b = RelaxedSparsification.refine(cleanLayers, c.l(), c.gradient(), p,
				Progress.NONE);
			assertArrayEquals(a.cgIterations(), b.cgIterations());
			for (int k = 0; k < K; k++) assertArrayEquals(a.layers()[k], b.layers()[k], 0);
		}
		// refine does not pre-clean: values below the cut stay soft
		final double[][] soft = new double[K][n];
		for (int k = 0; k < K; k++) Arrays.fill(soft[k], 1.0 / K);
		final double[][] out = RelaxedSparsification.refine(soft, c.l(), null, Params.fast().withIterations(0, 100, 1000),
			Progress.NONE).layers();
		for (int k = 0; k < K; k++) {
			for (int i = 0; i < n; i++) assertEquals(1.0 / K, out[k][i], 1e-6);
		}
	}

	/** A large {@code stopChange} stops the IRLS early; the last solve is still the final polish. */
	@Test
	void stopsWhenTheLayersStopChanging() {
		final int w = 20, h = 20;
		final TwoRegions c = TwoRegions.of(w, h, 1);
		final RelaxedSparsification.Result all = c.solve(Params.DEFAULTS.withSolver(BLOCK_JACOBI));
		final RelaxedSparsification.Result early = c.solve(Params.DEFAULTS.withSolver(new Solver(Preconditioner.BLOCK_JACOBI,
			1, 1, 0.05)));
		assertEquals(21, all.solves().length);
		final int solves = early.solves().length;
		assertTrue(solves >= 2 && solves < 21, "solves " + solves);
		assertArrayEquals(Arrays.copyOf(all.cgIterations(), solves - 1), Arrays.copyOf(early.cgIterations(), solves - 1));
		// the outer iterations before the stop are those of the full run: stop after t outer = all run with t outer
		final RelaxedSparsification.Result same = c.solve(Params.DEFAULTS.withSolver(BLOCK_JACOBI).withIterations(solves - 1,
			100, 1000));
		for (int k = 0; k < K; k++) assertArrayEquals(same.layers()[k], early.layers()[k], 0);
	}

	@Test
	void paramsKeepTheReferenceSolverUnlessAsked() {
		assertEquals(Solver.REFERENCE, Params.DEFAULTS.solver());
		assertEquals(Solver.REFERENCE, new Params(1, 1, 100, 0.9, 0.1, 0.01, 0.1, 0.9, 20, 100, 1000, 1e-6).solver());
		assertEquals(Params.DEFAULTS, new Params(1, 1, 100, 0.9, 0.1, 0.01, 0.1, 0.9, 20, 100, 1000, 1e-6,
			Solver.REFERENCE));
		assertEquals(Solver.FAST, Params.fast().solver());
		assertEquals(Solver.FAST, Params.fast().withIterations(3, 50, 60).withTolerance(1e-4).solver());
		assertEquals(Params.DEFAULTS, Params.fast().withSolver(Solver.REFERENCE));
		assertThrows(IllegalArgumentException.class, () -> Params.DEFAULTS.withSolver(null));
		assertThrows(IllegalArgumentException.class, () -> new Solver(null, 1, 1, 0));
		assertThrows(IllegalArgumentException.class, () -> new Solver(Preconditioner.NONE, 0, 1, 0));
		assertThrows(IllegalArgumentException.class, () -> new Solver(Preconditioner.NONE, 1, 2, 0));
		assertThrows(IllegalArgumentException.class, () -> new Solver(Preconditioner.NONE, 1, 1, -1));
	}

	@Test
	void preconditionedBitIdenticalOnOneAndTwoThreads() throws Exception {
		final int w = 64, h = 64;
		final TwoRegions c = TwoRegions.of(w, h, 2);
		final Params[] variants = { Params.fast().withIterations(4, 100, 200), Params.DEFAULTS.withSolver(new Solver(
			Preconditioner.BLOCK_GAUSS_SEIDEL, 1000, 1.2, 1e-3)).withIterations(3, 100, 200) };
		for (final Params p : variants) {
			final RelaxedSparsification.Result[] results = new RelaxedSparsification.Result[2];
			for (int t = 1; t <= 2; t++) {
				final ForkJoinPool pool = new ForkJoinPool(t);
				try {
					final int slot = t - 1;
					pool.submit(() -> {
						results[slot] = c.solve(p);
					}).get();
				}
				finally {
					pool.shutdown();
				}
			}
			assertArrayEquals(results[0].cgIterations(), results[1].cgIterations());
			assertTrue(results[0].totalCgIterations() > 5);
			for (int k = 0; k < K; k++) assertArrayEquals(results[0].layers()[k], results[1].layers()[k], 0);
		}
	}

	@Test
	void bitIdenticalOnOneAndTwoThreads() throws Exception {
		final int w = 64, h = 64; // 20480 unknowns: several chunks of every parallel loop
		final TwoRegions c = TwoRegions.of(w, h, 2);
		final Params p = Params.DEFAULTS.withIterations(2, 25, 40);
		final RelaxedSparsification.Result[] results = new RelaxedSparsification.Result[2];
		for (int t = 1; t <= 2; t++) {
			final ForkJoinPool pool = new ForkJoinPool(t);
			try {
				final int slot = t - 1;
				pool.submit(() -> {
					results[slot] = c.solve(p);
				}).get();
			}
			finally {
				pool.shutdown();
			}
		}
		assertArrayEquals(results[0].cgIterations(), results[1].cgIterations());
		assertTrue(results[0].totalCgIterations() > 20);
		for (int k = 0; k < K; k++) assertArrayEquals(results[0].layers()[k], results[1].layers()[k], 0);
	}

	@Test
	void nullGradientMeansGammaBaseEverywhere() {
		final int w = 8, h = 6, n = w * h;
		final double[] image = GridLaplacians.twoRegionImage(w, h);
		final SparseMatrix l = GridLaplacians.of(image, w, h, 2, 0.1);
		final double[][] grouped = noisyTwoRegionLayers(image, 3);
		final Params p = Params.DEFAULTS.withIterations(3, 50, 100);
		final double[][] a = RelaxedSparsification.run(grouped, l, null, p, Progress.NONE);
		final double[][] b = RelaxedSparsification.run(grouped, l, new float[n], p, Progress.NONE);
		for (int k = 0; k < K; k++) assertArrayEquals(a[k], b[k], 0);
		final float[] strong = new float[n];
		Arrays.fill(strong, 5f);
		final double[][] c = RelaxedSparsification.run(grouped, l, strong, p, Progress.NONE);
		assertTrue(Math.abs(c[0][0] - a[0][0]) > 1e-6, "the gradient must change the result");
	}

	@Test
	void preCleanCutsAndRenormalises() {
		final double[][] layers = { { 0.05, 0.05, 0.95 }, { 0.5, 0.05, 0.02 }, { 0.45, 0.05, 0.03 } };
		final double[] out = RelaxedSparsification.preClean(layers, 3, Params.DEFAULTS);
		final double[] expected = { //
			0, 1 / 3.0, 1, // layer 0
			0.5 / 0.95, 1 / 3.0, 0, // layer 1
			0.45 / 0.95, 1 / 3.0, 0 }; // layer 2
		assertArrayEquals(expected, out, 1e-15);
	}

	@Test
	void reportsProgressAndHonoursCancellation() {
		final int w = 6, h = 5;
		final double[] image = GridLaplacians.twoRegionImage(w, h);
		final SparseMatrix l = GridLaplacians.of(image, w, h, 2, 0.1);
		final double[][] grouped = noisyTwoRegionLayers(image, 4);
		final List<Double> fractions = new ArrayList<>();
		RelaxedSparsification.run(grouped, l, null, Params.DEFAULTS.withIterations(3, 10, 10),
			(stage, f) -> {
				assertEquals(RelaxedSparsification.STAGE, stage);
				fractions.add(f);
			});
		for (int i = 1; i < fractions.size(); i++) assertTrue(fractions.get(i) >= fractions.get(i - 1), fractions.toString());
		assertEquals(1.0, fractions.get(fractions.size() - 1));
		final int[] calls = { 0 };
		final Progress cancelLater = new Progress() {
			@Override
			public void report(final String stage, final double fraction) {
				calls[0]++;
			}

			@Override
			public boolean isCancelled() {
				return calls[0] >= 5;
			}
		};
		assertThrows(SegmentationCancelledException.class,
			() -> RelaxedSparsification.run(grouped, l, null, Params.DEFAULTS, cancelLater));
	}

	@Test
	void rejectsBadInput() {
		final int w = 4, h = 3, n = w * h;
		final SparseMatrix l = GridLaplacians.of(GridLaplacians.twoRegionImage(w, h), w, h, 1, 0.1);
		final double[][] ok = randomLayers(n, new SplittableRandom(1));
		final double[][] shortLayer = ok.clone();
		shortLayer[2] = new double[n - 1];
		final double[][] nan = ok.clone();
		nan[1] = ok[1].clone();
		nan[1][3] = Double.NaN;
		final float[] negative = new float[n];
		negative[0] = -1;
		final Params p = Params.DEFAULTS;
		assertThrows(IllegalArgumentException.class,
			() -> RelaxedSparsification.run(shortLayer, l, null, p, Progress.NONE));
		assertThrows(IllegalArgumentException.class, () -> RelaxedSparsification.run(nan, l, null, p, Progress.NONE));
		assertThrows(IllegalArgumentException.class,
			() -> RelaxedSparsification.run(new double[0][], l, null, p, Progress.NONE));
		assertThrows(IllegalArgumentException.class,
			() -> RelaxedSparsification.run(ok, l, new float[n + 1], p, Progress.NONE));
		assertThrows(IllegalArgumentException.class, () -> RelaxedSparsification.run(ok, l, negative, p, Progress.NONE));
		assertThrows(IllegalArgumentException.class, () -> RelaxedSparsification.run(ok, l, null, null, Progress.NONE));
		assertThrows(IllegalArgumentException.class,
			() -> new Params(1, 0, 100, 0.9, 0.1, 0.01, 0.1, 0.9, 20, 100, 1000, 1e-6));
		assertThrows(IllegalArgumentException.class,
			() -> new Params(1, 1, 100, 0.9, 0.1, 0, 0.1, 0.9, 20, 100, 1000, 1e-6));
		assertThrows(IllegalArgumentException.class,
			() -> new Params(1, 1, 100, 0.9, 0.1, 0.01, 0.5, 0.4, 20, 100, 1000, 1e-6));
		assertThrows(IllegalArgumentException.class,
			() -> new Params(1, 1, 100, 0.9, 0.1, 0.01, 0.1, 0.9, -1, 100, 1000, 1e-6));
		assertThrows(IllegalArgumentException.class,
			() -> new Params(1, 1, 100, 0.9, 0.1, 0.01, 0.1, 0.9, 20, 100, 1000, 1));
		assertThrows(IllegalArgumentException.class, () -> new RelaxedSystemOperator(l, K, 100, new double[n]));
	}
}
