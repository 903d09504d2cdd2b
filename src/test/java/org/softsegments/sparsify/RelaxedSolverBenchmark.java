package org.softsegments.sparsify;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.softsegments.image.Resize;
import org.softsegments.demo.SyntheticScene;
import org.softsegments.core.Parallel;
import org.softsegments.core.Progress;
import org.softsegments.engine.SemanticSoftSegmentation;
import org.softsegments.eval.BestSubset;
import org.softsegments.image.PlanarImage;
import org.softsegments.linalg.SparseMatrix;
import org.softsegments.sparsify.RelaxedSparsification.Params;
import org.softsegments.sparsify.RelaxedSparsification.Preconditioner;
import org.softsegments.sparsify.RelaxedSparsification.Solver;

/**
 * Benchmark (not a test) of the relaxed-sparsification solvers on real inputs: the reference
 * (unpreconditioned CG, 20 outer iterations) against the preconditioned variants, on the
 * Laplacian and grouped layers of a pipeline run (see {@link RelaxedCases}; cached in
 * {@code /tmp/fastrelax-data}, override with {@code -Drelaxed.cache=DIR}). Reports CG iterations
 * per solve, seconds, the largest difference to the reference result and the best-subset SAD
 * against the true alpha(s). Run from the project directory (after {@code mvn test-compile};
 * {@code cp.txt} from {@code mvn dependency:build-classpath -Dmdep.outputFile=cp.txt}):
 * <pre>
 * java -Xmx6g -cp target/classes:target/test-classes:$(cat cp.txt) org.softsegments.sparsify.RelaxedSolverBenchmark prepare
 * java ... RelaxedSolverBenchmark prepare640
 * java ... RelaxedSolverBenchmark solve [synthetic|photo] [variant...]
 * java ... RelaxedSolverBenchmark polish [variant...]
 * java ... RelaxedSolverBenchmark polishphoto [variant...]
 * java ... RelaxedSolverBenchmark kernels
 * </pre>
 * {@code prepare} runs the pipeline on the 320×240 synthetic scene (the 640×480 scene halved)
 * and on alphamatting GT04 scaled to 320 wide (about 2 min each); {@code prepare640} on the
 * 640×480 scene and GT04 at 640 wide (5–15 min each). {@code solve} compares variants on one
 * 320-wide case (the first variant {@code ref} is the reference the others are compared to);
 * {@code polish} refines at 640×480 from the 320×240 fast result upsampled bilinearly (the fast
 * mode's full-resolution polish) and from the true alphas blurred and perturbed, and solves from
 * the 640×480 grouped layers, all against the 640×480 reference; {@code polishphoto} does the
 * same on GT04 at 640 wide; {@code kernels} times the operator, preconditioners and IRLS
 * weights at 640×480. Variants: {@code ref}, {@code bj} (block Jacobi), {@code bjs} (block
 * Jacobi with the fast stop test), {@code gs} (block Gauss–Seidel, default chunk),
 * {@code gsC:ω} (chunk C, relaxation ω; {@code gss…} with the stop test), {@code fast}
 * ({@link Params#fast()}), each optionally suffixed {@code @tol} (CG tolerance) and
 * {@code /outer} (outer iterations); in the polish modes a {@code pc-} prefix uses
 * {@link RelaxedSparsification#solve} (with the pre-clean) instead of
 * {@link RelaxedSparsification#refine}. Runs with 2 threads. Data are cached in
 * {@code /tmp/fastrelax-data} ({@code -Drelaxed.cache=DIR}); the photo is read from
 * {@code ../shared/data/eval-dev/alphamatting/GT04}.
 */
public final class RelaxedSolverBenchmark {

	private RelaxedSolverBenchmark() {}

	public static void main(final String[] args) throws Exception {
		final Path dir = Path.of(System.getProperty("relaxed.cache", "/tmp/fastrelax-data"));
		final String mode = args.length > 0 ? args[0] : "solve";
		Parallel.inPool(2, () -> {
			switch (mode) {
				case "prepare" -> {
					RelaxedCases.synthetic(dir);
					RelaxedCases.photo(dir, photoDir());
				}
				case "prepare640" -> {
					RelaxedCases.synthetic640(dir);
					RelaxedCases.photo(dir, photoDir(), 640);
				}
				case "solve" -> {
					final String which = args.length > 1 ? args[1] : "synthetic";
					final RelaxedCases.Case c = which.equals("photo") ? RelaxedCases.photo(dir, photoDir())
						: RelaxedCases.synthetic(dir);
					if (c == null) throw new IllegalStateException("no data for " + which);
					solve(c, variants(args, 2, "ref,bj,gs,fast"));
				}
				case "polish" -> polish(dir, variants(args, 1, "gs@1e-4/1,gs/1,gs/3,fast"));
				case "kernels" -> kernels();
				case "polishphoto" -> polishPhoto(dir, variants(args, 1, "bj/0,bj/1,bj/3,pc-bj/0,pc-bj/1,pc-bj/3"));
				default -> throw new IllegalArgumentException("mode prepare, solve or polish, got " + mode);
			}
			return null;
		});
	}

	private static Path photoDir() {
		return Path.of("../shared/data/eval-dev/alphamatting/GT04");
	}

	private static List<String> variants(final String[] args, final int from, final String defaults) {
		final List<String> out = new ArrayList<>();
		if (args.length > from) out.addAll(Arrays.asList(args).subList(from, args.length));
		else out.addAll(Arrays.asList(defaults.split(",")));
		return out;
	}

	/** Parses a variant name into parameters (see the class comment). */
	static Params params(final String variant) {
		String v = variant;
		Params base = Params.DEFAULTS;
		int outer = -1;
		final int slash = v.indexOf('/');
		if (slash >= 0) {
			outer = Integer.parseInt(v.substring(slash + 1));
			v = v.substring(0, slash);
		}
		double tol = -1;
		final int at = v.indexOf('@');
		if (at >= 0) {
			tol = Double.parseDouble(v.substring(at + 1));
			v = v.substring(0, at);
		}
		final Solver fast = Solver.FAST;
		if (v.equals("ref")) base = Params.DEFAULTS;
		else if (v.equals("bj")) base = base.withSolver(new Solver(Preconditioner.BLOCK_JACOBI, 1, 1, 0));
		else if (v.equals("bjs")) base = base.withSolver(new Solver(Preconditioner.BLOCK_JACOBI, 1, 1, fast.stopChange()));
		else if (v.equals("fast")) base = Params.fast();
		else if (v.startsWith("gs")) {
			int chunk = fast.chunk();
			double omega = fast.omega();
			double stop = 0;
			String rest = v.substring(2);
			if (rest.startsWith("s")) {
				stop = fast.stopChange();
				rest = rest.substring(1);
			}
			if (!rest.isEmpty()) {
				final String[] p = rest.split(":");
				if (!p[0].isEmpty()) chunk = Integer.parseInt(p[0]);
				if (p.length > 1) omega = Double.parseDouble(p[1]);
			}
			base = base.withSolver(new Solver(Preconditioner.BLOCK_GAUSS_SEIDEL, chunk, omega, stop));
		}
		else throw new IllegalArgumentException("unknown variant " + variant);
		if (tol > 0) base = base.withTolerance(tol);
		if (outer >= 0) base = base.withIterations(outer, base.cgIterations(), base.finalCgIterations());
		return base;
	}

	private static void solve(final RelaxedCases.Case c, final List<String> variants) {
		long t0 = System.nanoTime();
		final SparseMatrix l = c.laplacian();
		System.out.printf("%s %d×%d: Laplacian %d non-zeros, built in %.1f s%n", c.name(), c.width(), c.height(), l
			.nonZeros(), (System.nanoTime() - t0) * 1e-9);
		final double[][] grouped = c.groupedDouble();
		System.out.printf("grouped layers: SAD %s%n", sad(grouped, c));
		final Map<String, double[][]> results = new LinkedHashMap<>();
		double[][] reference = null;
		for (final String v : variants) {
			final Params p = params(v);
			t0 = System.nanoTime();
			final RelaxedSparsification.Result r = RelaxedSparsification.solve(grouped, l, c.gradient(), p,
				Progress.NONE);
			final double s = (System.nanoTime() - t0) * 1e-9;
			if (v.equals("ref")) reference = r.layers();
			results.put(v, r.layers());
			System.out.printf("%-14s %6.1f s  CG total %5d  per solve %s%n", v, s, r.totalCgIterations(), Arrays
				.toString(r.cgIterations()));
			System.out.printf("%-14s SAD %s%s%n", "", sad(r.layers(), c), reference == null || v.equals("ref") ? ""
				: String.format("  max|Δα| vs ref %.2e  mean|Δα| %.2e", maxDiff(r.layers(), reference), meanDiff(r
					.layers(), reference)));
		}
	}

	/**
	 * The full-resolution polish on the 640×480 synthetic scene, against the reference relaxed
	 * sparsification of the 640×480 pipeline's grouped layers (cached after the first run).
	 * Starts: (a) the 320×240 fast-mode result upsampled bilinearly (what the fast pipeline
	 * will do), (b) the true alphas (plus background and an empty fifth layer) blurred and
	 * perturbed. Also the full 640×480 solve from the grouped layers with each variant.
	 */
	private static void polish(final Path dir, final List<String> variants) throws Exception {
		final RelaxedCases.Case big = RelaxedCases.synthetic640(dir);
		final int w = big.width(), h = big.height(), n = w * h;
		long t0 = System.nanoTime();
		final SparseMatrix l = big.laplacian();
		final float[] gradient = big.gradient();
		System.out.printf("640×480: Laplacian %d non-zeros, built in %.1f s%n", l.nonZeros(), (System.nanoTime() - t0) *
			1e-9);
		final float[][] truth = big.truth();
		final Path refFile = dir.resolve("synthetic640-reference.bin");
		final double[][] reference;
		if (java.nio.file.Files.exists(refFile)) reference = readLayers(refFile);
		else {
			t0 = System.nanoTime();
			final RelaxedSparsification.Result r = RelaxedSparsification.solve(big.groupedDouble(), l, gradient,
				Params.DEFAULTS, Progress.NONE);
			System.out.printf("640×480 reference solve %.1f s, CG total %d per solve %s%n", (System.nanoTime() - t0) *
				1e-9, r.totalCgIterations(), Arrays.toString(r.cgIterations()));
			reference = r.layers();
			writeLayers(refFile, reference);
		}
		System.out.printf("640×480 reference: SAD %s%n", sad(reference, truth, n));

		// (a) 320×240 run with the fast mode, upsampled
		final RelaxedCases.Case small = RelaxedCases.synthetic(dir);
		final SparseMatrix smallL = small.laplacian();
		t0 = System.nanoTime();
		final RelaxedSparsification.Result lowRes = RelaxedSparsification.solve(small.groupedDouble(), smallL, small
			.gradient(), Params.fast(), Progress.NONE);
		System.out.printf("320×240 fast solve %.1f s, CG %s%n", (System.nanoTime() - t0) * 1e-9, Arrays.toString(lowRes
			.cgIterations()));
		final double[][] upsampled = toDouble(Resize.smooth(SemanticSoftSegmentation.toImage(lowRes.layers(), small
			.width(), small.height()), w, h));
		final double[][] perturbed = perturbedTruth(truth, w, h);

		final Map<String, double[][]> starts = new LinkedHashMap<>();
		starts.put("upsampled", upsampled);
		starts.put("perturbed", perturbed);
		starts.put("grouped640", null);
		for (final Map.Entry<String, double[][]> s : starts.entrySet()) {
			final double[][] start = s.getValue();
			if (start != null) System.out.printf("start %s: SAD %s  vs ref: %s%n", s.getKey(), sad(start, truth, n), diff(
				start, reference));
			else System.out.printf("full solve from the 640×480 grouped layers (pre-clean):%n");
			for (final String v : variants) {
				final boolean preClean = v.startsWith("pc-");
				final Params p = params(preClean ? v.substring(3) : v);
				t0 = System.nanoTime();
				final RelaxedSparsification.Result r = start == null ? RelaxedSparsification.solve(big.groupedDouble(), l,
					gradient, p, Progress.NONE) : preClean ? RelaxedSparsification.solve(start, l, gradient, p,
						Progress.NONE) : RelaxedSparsification.refine(start, l, gradient, p, Progress.NONE);
				final double sec = (System.nanoTime() - t0) * 1e-9;
				System.out.printf("  %-14s %6.1f s  CG total %4d  per solve %s%n  %-14s SAD %s  vs ref: %s%n", v, sec, r
					.totalCgIterations(), Arrays.toString(r.cgIterations()), "", sad(r.layers(), truth, n), diff(r.layers(),
						reference));
			}
		}
	}

	/**
	 * The polish on the photo at 640 pixels wide (no full-resolution reference run: scored
	 * against the true alpha only): the 320-wide fast result upsampled, then each variant
	 * ({@code pc-} prefix: {@link RelaxedSparsification#solve} with the pre-clean instead of
	 * {@link RelaxedSparsification#refine}).
	 */
	private static void polishPhoto(final Path dir, final List<String> variants) throws Exception {
		final RelaxedCases.Case small = RelaxedCases.photo(dir, photoDir());
		final boolean haveBig = java.nio.file.Files.exists(dir.resolve("GT04_640.bin"));
		final RelaxedCases.Case big = haveBig ? RelaxedCases.photo(dir, photoDir(), 640) : null;
		final PlanarImage full = org.softsegments.io.ImageFiles.read(photoDir().resolve("image.png"));
		final PlanarImage rgb = haveBig ? big.rgb() : Resize.smooth(full, 640.0 / full.width());
		final int w = rgb.width(), h = rgb.height(), n = w * h;
		final float[][] truth = haveBig ? big.truth() : new float[][] { Resize.smooth(org.softsegments.io.ImageFiles.read(
			photoDir().resolve("alpha.png")), w, h).plane(0) };
		long t0 = System.nanoTime();
		final SparseMatrix l = haveBig ? big.laplacian() : RelaxedCases.laplacian(rgb);
		final float[] gradient = ImageGradient.magnitude(rgb);
		System.out.printf("photo %d×%d: Laplacian built in %.1f s%n", w, h, (System.nanoTime() - t0) * 1e-9);
		double[][] reference = null;
		if (haveBig) {
			for (final String v : new String[] { "ref", "bj", "fast" }) {
				t0 = System.nanoTime();
				final RelaxedSparsification.Result r = RelaxedSparsification.solve(big.groupedDouble(), l, gradient, params(
					v), Progress.NONE);
				if (reference == null) reference = r.layers();
				System.out.printf("%d×%d %s solve from its grouped layers %.1f s, CG total %d %s; SAD %s  vs ref: %s%n", w,
					h, v, (System.nanoTime() - t0) * 1e-9, r.totalCgIterations(), Arrays.toString(r.cgIterations()), sad(r
						.layers(), truth, n), diff(r.layers(), reference));
			}
		}
		for (final String base : new String[] { "ref", "fast" }) {
			t0 = System.nanoTime();
			final RelaxedSparsification.Result lowRes = RelaxedSparsification.solve(small.groupedDouble(), small
				.laplacian(), small.gradient(), params(base), Progress.NONE);
			System.out.printf("%d×%d %s solve %.1f s, CG total %d; SAD at 320 %s%n", small.width(), small.height(), base,
				(System.nanoTime() - t0) * 1e-9, lowRes.totalCgIterations(), sad(lowRes.layers(), small));
			final double[][] start = toDouble(Resize.smooth(SemanticSoftSegmentation.toImage(lowRes.layers(), small
				.width(), small.height()), w, h));
			System.out.printf("start: %s result upsampled: SAD %s%s%n", base, sad(start, truth, n), reference == null ? ""
				: "  vs ref: " + diff(start, reference));
			if (base.equals("ref")) continue;
			for (final String v : variants) {
				final boolean preClean = v.startsWith("pc-");
				final Params p = params(preClean ? v.substring(3) : v);
				t0 = System.nanoTime();
				final RelaxedSparsification.Result r = preClean ? RelaxedSparsification.solve(start, l, gradient, p,
					Progress.NONE) : RelaxedSparsification.refine(start, l, gradient, p, Progress.NONE);
				System.out.printf("  %-14s %6.1f s  CG total %4d  per solve %s  SAD %s%s%n", v, (System.nanoTime() - t0) *
					1e-9, r.totalCgIterations(), Arrays.toString(r.cgIterations()), sad(r.layers(), truth, n),
					reference == null ? "" : "  vs ref: " + diff(r.layers(), reference));
			}
		}
	}

	/**
	 * Differences to the reference after matching the layers (the best of the K! orders by mean
	 * difference: runs at different resolutions number their layers differently).
	 */
	private static String diff(final double[][] a, final double[][] ref) {
		final int k = a.length;
		final double[][] cost = new double[k][k];
		for (int i = 0; i < k; i++) {
			for (int j = 0; j < k; j++) {
				double s = 0;
				for (int p = 0; p < a[i].length; p++) s += Math.abs(a[i][p] - ref[j][p]);
				cost[i][j] = s;
			}
		}
		final int[] best = bestOrder(cost);
		final double[][] ordered = new double[k][];
		for (int i = 0; i < k; i++) ordered[best[i]] = a[i];
		return String.format("max|Δα| %.3f mean|Δα| %.2e%s", maxDiff(ordered, ref), meanDiff(ordered, ref), isIdentity(
			best) ? "" : " (layers reordered " + Arrays.toString(best) + ")");
	}

	private static boolean isIdentity(final int[] order) {
		for (int i = 0; i < order.length; i++) if (order[i] != i) return false;
		return true;
	}

	/** The assignment i → order[i] with the smallest summed cost (all permutations; K ≤ 8). */
	private static int[] bestOrder(final double[][] cost) {
		final int k = cost.length;
		final int[] perm = new int[k], best = new int[k];
		for (int i = 0; i < k; i++) perm[i] = i;
		final double[] bestCost = { Double.POSITIVE_INFINITY };
		permute(perm, 0, cost, best, bestCost);
		return best;
	}

	private static void permute(final int[] perm, final int at, final double[][] cost, final int[] best,
		final double[] bestCost)
	{
		if (at == perm.length) {
			double c = 0;
			for (int i = 0; i < perm.length; i++) c += cost[i][perm[i]];
			if (c < bestCost[0]) {
				bestCost[0] = c;
				System.arraycopy(perm, 0, best, 0, perm.length);
			}
			return;
		}
		for (int i = at; i < perm.length; i++) {
			int t = perm[at];
			perm[at] = perm[i];
			perm[i] = t;
			permute(perm, at + 1, cost, best, bestCost);
			t = perm[at];
			perm[at] = perm[i];
			perm[i] = t;
		}
	}

	private static void writeLayers(final Path file, final double[][] layers) throws java.io.IOException {
		try (java.io.DataOutputStream out = new java.io.DataOutputStream(new java.io.BufferedOutputStream(
			java.nio.file.Files.newOutputStream(file))))
		{
			out.writeInt(layers.length);
			out.writeInt(layers[0].length);
			for (final double[] layer : layers) for (final double v : layer) out.writeDouble(v);
		}
	}

	private static double[][] readLayers(final Path file) throws java.io.IOException {
		try (java.io.DataInputStream in = new java.io.DataInputStream(new java.io.BufferedInputStream(
			java.nio.file.Files.newInputStream(file))))
		{
			final double[][] layers = new double[in.readInt()][in.readInt()];
			for (final double[] layer : layers) for (int i = 0; i < layer.length; i++) layer[i] = in.readDouble();
			return layers;
		}
	}

	/** Median times of the kernels at 640×480 (operator, preconditioners, IRLS weights). */
	private static void kernels() {
		final SyntheticScene scene = RelaxedCases.scene640();
		final PlanarImage rgb = scene.image();
		final int n = rgb.pixels(), k = 5, size = k * n;
		final SparseMatrix l = RelaxedCases.laplacian(rgb);
		final double[][] start = perturbedTruth(scene.alphas(), rgb.width(), rgb.height());
		final double[] x = new double[size];
		for (int c = 0; c < k; c++) System.arraycopy(start[c], 0, x, c * n, n);
		final Params p = Params.DEFAULTS;
		final double[] exponent = RelaxedSparsification.exponents(ImageGradient.magnitude(rgb), n, p);
		final double[] d = new double[size], b = new double[size], y = new double[size];
		final RelaxedSystemOperator op = new RelaxedSystemOperator(l, k, p.delta(), d);
		final RelaxedPreconditioner bj = RelaxedPreconditioner.blockJacobi(l, k, p.delta(), d);
		final RelaxedPreconditioner gs = RelaxedPreconditioner.blockSymmetricGaussSeidel(l, k, p.delta(), d,
			Solver.FAST.chunk(), 1);
		final double[] clampPower = RelaxedSparsification.clampPowers(exponent, p);
		System.out.printf("irls weights %.1f ms%n", time(() -> RelaxedSparsification.irlsSystem(x, x, exponent,
			clampPower, k, n, p,
			d, b)));
		System.out.printf("operator %.1f ms%n", time(() -> op.apply(x, y)));
		System.out.printf("block Jacobi update %.1f ms, apply %.1f ms%n", time(bj::update), time(() -> bj.apply(x, y)));
		System.out.printf("block Gauss-Seidel apply %.1f ms%n", time(() -> gs.apply(x, y)));
		final double[] e = new double[n];
		System.out.printf("pow only %.1f ms%n", time(() -> Parallel.forRange(n, 4096, (s0, s1) -> {
			for (int i = s0; i < s1; i++) {
				double t = 0;
				for (int c = 0; c < k; c++) t += Math.pow(Math.max(Math.abs(x[c * n + i]), 0.01), exponent[i]) + Math.pow(
					Math.max(Math.abs(1 - x[c * n + i]), 0.01), exponent[i]);
				e[i] = t;
			}
		})));
		System.out.printf("exp-log only %.1f ms%n", time(() -> Parallel.forRange(n, 4096, (s0, s1) -> {
			for (int i = s0; i < s1; i++) {
				double t = 0;
				for (int c = 0; c < k; c++) t += Math.exp(exponent[i] * Math.log(Math.max(Math.abs(x[c * n + i]), 0.01)))
					+ Math.exp(exponent[i] * Math.log(Math.max(Math.abs(1 - x[c * n + i]), 0.01)));
				e[i] = t;
			}
		})));
	}

	private static double time(final Runnable r) {
		for (int i = 0; i < 5; i++) r.run();
		final double[] ms = new double[15];
		for (int i = 0; i < ms.length; i++) {
			final long s = System.nanoTime();
			r.run();
			ms[i] = (System.nanoTime() - s) * 1e-6;
		}
		Arrays.sort(ms);
		return ms[ms.length / 2];
	}

	private static double[][] perturbedTruth(final float[][] truth, final int w, final int h) {
		final int n = w * h;
		final double[][] a = new double[5][n];
		for (int i = 0; i < n; i++) {
			double s = 0;
			for (int k = 0; k < truth.length; k++) s += a[k][i] = truth[k][i];
			a[truth.length][i] = Math.max(0, 1 - s);
		}
		final java.util.SplittableRandom rnd = new java.util.SplittableRandom(5);
		for (int k = 0; k < 5; k++) {
			a[k] = box(box(a[k], w, h), w, h);
			for (int i = 0; i < n; i++) a[k][i] += 0.05 * (rnd.nextDouble() - 0.5);
		}
		return a;
	}

	private static double[] box(final double[] v, final int w, final int h) {
		final double[] out = new double[v.length];
		for (int y = 0; y < h; y++) {
			for (int x = 0; x < w; x++) {
				double s = 0;
				int c = 0;
				for (int dy = -1; dy <= 1; dy++) {
					for (int dx = -1; dx <= 1; dx++) {
						final int xx = x + dx, yy = y + dy;
						if (xx < 0 || yy < 0 || xx >= w || yy >= h) continue;
						s += v[xx + yy * w];
						c++;
					}
				}
				out[x + y * w] = s / c;
			}
		}
		return out;
	}

	private static double[][] toDouble(final PlanarImage img) {
		final double[][] out = new double[img.channels()][img.pixels()];
		for (int k = 0; k < out.length; k++) {
			final float[] p = img.plane(k);
			for (int i = 0; i < p.length; i++) out[k][i] = p[i];
		}
		return out;
	}

	private static String sad(final double[][] layers, final RelaxedCases.Case c) {
		return sad(layers, c.truth(), c.grouped().pixels());
	}

	/** Best-subset SAD per true alpha (BestSubset over the layers, clamped sums). */
	private static String sad(final double[][] layers, final float[][] truth, final int n) {
		final int w = n, h = 1;
		final PlanarImage img = SemanticSoftSegmentation.toImage(layers, w, h);
		final StringBuilder sb = new StringBuilder();
		double total = 0;
		for (final float[] t : truth) {
			final BestSubset.Match m = BestSubset.find(img, t);
			sb.append(String.format("%.1f ", m.sad));
			total += m.sad;
		}
		return truth.length == 1 ? sb.toString().trim() : sb + String.format("(sum %.1f)", total);
	}

	private static double maxDiff(final double[][] a, final double[][] b) {
		double m = 0;
		for (int k = 0; k < a.length; k++) {
			for (int i = 0; i < a[k].length; i++) m = Math.max(m, Math.abs(a[k][i] - b[k][i]));
		}
		return m;
	}

	private static double meanDiff(final double[][] a, final double[][] b) {
		double s = 0;
		long c = 0;
		for (int k = 0; k < a.length; k++) {
			for (int i = 0; i < a[k].length; i++) {
				s += Math.abs(a[k][i] - b[k][i]);
				c++;
			}
		}
		return s / c;
	}
}
