package org.softsegments.sparsify;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;

import org.softsegments.core.Progress;
import org.softsegments.linalg.ConjugateGradient;
import org.softsegments.linalg.SparseMatrix;

/**
 * Benchmark (not a test): time of one application of the relaxed-sparsification operator at
 * 640×480 (N = 307 200, K = 5) on a 5×5-stencil grid Laplacian (25 non-zeros per interior
 * row, like the matting Laplacian), against K separate CSR mat-vecs, and the time per CG
 * iteration. Run:
 * <pre>
 * java -Xmx4g -cp target/classes:target/test-classes org.softsegments.sparsify.RelaxedOperatorBenchmark [threads...]
 * java -Xmx4g -cp target/classes:target/test-classes org.softsegments.sparsify.RelaxedOperatorBenchmark full [threads]
 * </pre>
 * The second form times a complete relaxed sparsification (reference constants) of noisy
 * two-region layers on the same proxy Laplacian; its iteration counts are not those of a real
 * matting Laplacian (better conditioned here).
 */
public final class RelaxedOperatorBenchmark {

	private RelaxedOperatorBenchmark() {}

	public static void main(final String[] args) throws Exception {
		final int w = 640, h = 480, n = w * h, k = 5;
		if (args.length > 0 && args[0].equals("full")) {
			full(w, h, args.length > 1 ? Integer.parseInt(args[1]) : 2);
			return;
		}
		final int[] threads = args.length == 0 ? new int[] { 1, 2 } : Arrays.stream(args).mapToInt(Integer::parseInt)
			.toArray();
		long t0 = System.nanoTime();
		final SparseMatrix l = GridLaplacians.of(GridLaplacians.twoRegionImage(w, h), w, h, 2, 0.1);
		System.out.printf("Laplacian %d×%d, %d non-zeros (%.2f/row), built in %.1f s%n", n, n, l.nonZeros(),
			l.nonZeros() / (double) n, (System.nanoTime() - t0) * 1e-9);
		final SplittableRandom rnd = new SplittableRandom(1);
		final double[] x = new double[k * n];
		final double[] d = new double[k * n];
		for (int i = 0; i < k * n; i++) {
			x[i] = rnd.nextDouble();
			d[i] = 1 + rnd.nextDouble();
		}
		final double[] y = new double[k * n];
		final RelaxedSystemOperator op = new RelaxedSystemOperator(l, k, 100, d);
		for (final int t : threads) {
			final ForkJoinPool pool = new ForkJoinPool(t);
			try {
				pool.submit(() -> {
					final double fused = time(() -> op.apply(x, y), 40);
					final double[] xl = new double[n], yl = new double[n];
					final double single = time(() -> {
						for (int layer = 0; layer < k; layer++) {
							System.arraycopy(x, layer * n, xl, 0, n);
							l.multiply(xl, yl);
							System.arraycopy(yl, 0, y, layer * n, n);
						}
					}, 20);
					final double[] b = new double[k * n];
					Arrays.fill(b, 100);
					final double[] sol = new double[k * n];
					final int iterations = 100;
					final long s = System.nanoTime();
					final ConjugateGradient.Result r = ConjugateGradient.solve(op, b, sol, 1e-15, iterations,
						Progress.NONE, "bench");
					final double perIteration = (System.nanoTime() - s) * 1e-6 / r.performedIterations();
					System.out.printf(
						"threads %d: fused K=%d operator %.2f ms/apply (median of 40); %d separate CSR mat-vecs %.2f ms;"
							+ " CG %.2f ms/iteration (%d iterations, rel. residual %.1e)%n",
						t, k, fused, k, single, perIteration, r.performedIterations(), r.relativeResidual());
				}).get();
			}
			finally {
				pool.shutdown();
			}
		}
	}

	private static void full(final int w, final int h, final int threads) throws Exception {
		final int n = w * h;
		final double[] image = GridLaplacians.twoRegionImage(w, h);
		final SparseMatrix l = GridLaplacians.of(image, w, h, 2, 0.1);
		final SplittableRandom rnd = new SplittableRandom(1);
		final double[][] layers = new double[5][n];
		for (int i = 0; i < n; i++) {
			double s = 0;
			for (int k = 0; k < 5; k++) s += layers[k][i] = rnd.nextDouble() * rnd.nextDouble();
			final int truth = image[i] < 0.5 ? 0 : 1;
			for (int k = 0; k < 5; k++) layers[k][i] = 0.3 * layers[k][i] / s + (k == truth ? 0.7 : 0);
		}
		final float[] gradient = new float[n];
		for (int i = 0; i < n; i++) {
			final int x = i % w;
			gradient[i] = (float) Math.abs(image[Math.min(x + 1, w - 1) + i / w * w] - image[Math.max(x - 1, 0) + i / w * w]);
		}
		final ForkJoinPool pool = new ForkJoinPool(threads);
		try {
			pool.submit(() -> {
				final long s = System.nanoTime();
				final RelaxedSparsification.Result r = RelaxedSparsification.solve(layers, l, gradient,
					RelaxedSparsification.Params.DEFAULTS, Progress.NONE);
				System.out.printf("full relaxed sparsification 640×480, %d threads: %.1f s, CG iterations %s (total %d)%n",
					threads, (System.nanoTime() - s) * 1e-9, Arrays.toString(r.cgIterations()), r.totalCgIterations());
			}).get();
		}
		finally {
			pool.shutdown();
		}
	}

	/** Median wall time in ms over {@code reps} runs after 5 warm-up runs. */
	private static double time(final Runnable r, final int reps) {
		for (int i = 0; i < 5; i++) r.run();
		final double[] ms = new double[reps];
		for (int i = 0; i < reps; i++) {
			final long s = System.nanoTime();
			r.run();
			ms[i] = (System.nanoTime() - s) * 1e-6;
		}
		Arrays.sort(ms);
		return ms[reps / 2];
	}
}
