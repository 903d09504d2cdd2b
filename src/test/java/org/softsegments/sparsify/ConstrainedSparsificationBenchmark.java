package org.softsegments.sparsify;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;

import org.softsegments.linalg.SparseMatrix;
import org.softsegments.linalg.SpectralBasis;

/**
 * Timing of the constrained-sparsification kernels (not a test). Usage:
 * <pre>
 * java -cp ... org.softsegments.sparsify.ConstrainedSparsificationBenchmark gram  N K m reps
 * java -cp ... org.softsegments.sparsify.ConstrainedSparsificationBenchmark iter  width height K iterations
 * </pre>
 * {@code gram}: GFLOP/s of {@link WeightedGram#grams} on random data, 1 thread (CPU time) and 2
 * threads (wall time). {@code iter}: full constrained sparsification on a width×height grid with
 * the exact grid-Laplacian eigenbasis (products of DCT-II cosines, the m = 100 smallest) and K
 * Voronoi initial clusters; prints time per iteration and layer counts.
 */
public final class ConstrainedSparsificationBenchmark {

	public static void main(final String[] args) throws Exception {
		if (args[0].equals("gram")) gram(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]),
			Integer.parseInt(args[4]));
		else iter(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]),
			args.length > 5 ? Integer.parseInt(args[5]) : 2);
	}

	private static void gram(final int n, final int layers, final int m, final int reps) throws Exception {
		final SplittableRandom random = new SplittableRandom(1);
		final double[][] e = new double[m][n];
		for (final double[] v : e) for (int p = 0; p < n; p++) v[p] = random.nextDouble() - 0.5;
		final double[][] w = new double[layers][n];
		for (final double[] v : w) for (int p = 0; p < n; p++) v[p] = 0.1 + random.nextDouble();
		final double flops = 2.0 * n * (m * (m + 1) / 2.0) * layers;
		final ThreadMXBean mx = ManagementFactory.getThreadMXBean();
		final com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) ManagementFactory
			.getOperatingSystemMXBean();
		System.out.printf("FMA=%s N=%d K=%d m=%d%n", WeightedGram.FMA, n, layers, m);
		for (int r = 0; r < reps; r++) {
			final double cpu1 = new ForkJoinPool(1).submit(() -> {
				final long t0 = mx.getCurrentThreadCpuTime();
				WeightedGram.grams(e, w);
				return (mx.getCurrentThreadCpuTime() - t0) * 1e-9;
			}).get();
			final long c0 = os.getProcessCpuTime();
			final long t0 = System.nanoTime();
			new ForkJoinPool(2).submit(() -> WeightedGram.grams(e, w)).get();
			final double wall2 = (System.nanoTime() - t0) * 1e-9;
			final double cpu2 = (os.getProcessCpuTime() - c0) * 1e-9;
			System.out.printf("1 thread: %.3f s CPU, %.1f GFLOP/s | 2 threads: %.3f s wall (%.3f s CPU), %.1f GFLOP/s wall%n", cpu1,
				flops / cpu1 * 1e-9, wall2, cpu2, flops / wall2 * 1e-9);
		}
	}

	private static void iter(final int width, final int height, final int k0, final int iterations, final int threads)
		throws Exception
	{
		final int m = 100;
		final long t0 = System.nanoTime();
		final SpectralBasis basis = gridBasis(width, height, m);
		final SparseMatrix laplacian = gridLaplacian(width, height);
		final int[] labels = ConstrainedFixtures.voronoiLabels(width, height, k0, 5);
		System.out.printf("setup %.1f s; N=%d m=%d K=%d threads=%d FMA=%s%n", (System.nanoTime() - t0) * 1e-9, width * height, m, k0,
			threads, WeightedGram.FMA);
		final List<Long> stamps = new ArrayList<>();
		final List<Long> cpu = new ArrayList<>();
		final com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) ManagementFactory
			.getOperatingSystemMXBean();
		final List<Integer> counts = new ArrayList<>();
		final ConstrainedSparsification.Params params = ConstrainedSparsification.Params.DEFAULTS.withIterations(iterations);
		final long start = System.nanoTime();
		final ConstrainedSparsification.Result result = new ForkJoinPool(threads).submit(() -> ConstrainedSparsification.solve(
			basis, laplacian, labels, k0, params, (stage, f) -> {
				stamps.add(System.nanoTime());
				cpu.add(os.getProcessCpuTime());
			}, (i, layers, kept) -> counts.add(
				layers.length))).get();
		final double total = (System.nanoTime() - start) * 1e-9;
		for (int i = 0; i + 1 < stamps.size(); i++) {
			System.out.printf("iteration %2d: K=%2d %.3f s wall, %.3f s CPU%n", i + 1, counts.get(i), (stamps.get(i + 1) - stamps.get(
				i)) * 1e-9, (cpu.get(i + 1) - cpu.get(i)) * 1e-9);
		}
		System.out.printf("total CPU %.2f s%n", (cpu.get(cpu.size() - 1) - cpu.get(0)) * 1e-9);
		System.out.printf("total %.2f s, final layers %d, counts %s%n", total, result.layers().length, Arrays.toString(result
			.layerCounts()));
	}

	/** Exact eigenpairs of the unit-weight 4-connected grid Laplacian: DCT-II products, m smallest. */
	static SpectralBasis gridBasis(final int width, final int height, final int m) {
		final int cand = (int) Math.ceil(Math.sqrt(4.0 * m)) + 2;
		final List<double[]> pairs = new ArrayList<>();
		for (int u = 0; u < Math.min(width, cand); u++) {
			for (int v = 0; v < Math.min(height, cand); v++) {
				pairs.add(new double[] { 2 - 2 * Math.cos(Math.PI * u / width) + 2 - 2 * Math.cos(Math.PI * v / height), u, v });
			}
		}
		pairs.sort((a, b) -> Double.compare(a[0], b[0]));
		final double[][] vectors = new double[m][width * height];
		final double[] values = new double[m];
		for (int j = 0; j < m; j++) {
			final int u = (int) pairs.get(j)[1], v = (int) pairs.get(j)[2];
			values[j] = pairs.get(j)[0];
			final double[] cx = new double[width], cy = new double[height];
			for (int x = 0; x < width; x++) cx[x] = Math.cos(Math.PI * u * (x + 0.5) / width) * Math.sqrt((u == 0 ? 1.0 : 2.0) / width);
			for (int y = 0; y < height; y++) cy[y] = Math.cos(Math.PI * v * (y + 0.5) / height) * Math.sqrt((v == 0 ? 1.0 : 2.0)
				/ height);
			for (int y = 0; y < height; y++) for (int x = 0; x < width; x++) vectors[j][x + y * width] = cx[x] * cy[y];
		}
		return new SpectralBasis(vectors, values);
	}

	static SparseMatrix gridLaplacian(final int width, final int height) {
		final int n = width * height;
		final int[] r = new int[4 * n], c = new int[4 * n];
		final double[] v = new double[4 * n];
		int count = 0;
		for (int y = 0; y < height; y++) {
			for (int x = 0; x < width; x++) {
				final int p = x + y * width;
				if (x + 1 < width) {
					r[count] = p; c[count] = p + 1; v[count++] = 1;
					r[count] = p + 1; c[count] = p; v[count++] = 1;
				}
				if (y + 1 < height) {
					r[count] = p; c[count] = p + width; v[count++] = 1;
					r[count] = p + width; c[count] = p; v[count++] = 1;
				}
			}
		}
		return SparseMatrix.fromTriplets(n, r, c, v, count).laplacian();
	}
}
