package org.softsegments.linalg;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;

import org.softsegments.core.Progress;

/**
 * Benchmark of {@link ShiftInvertEigensolver} on the image-like proxy Laplacian
 * ({@link TestLaplacians#imageProxy}). Not a test. Usage:
 * {@code java -Xmx8g [-Dthreads=T] -cp … org.softsegments.linalg.EigensolverBenchmark WIDTH HEIGHT [COUNT]};
 * the solver runs in a ForkJoinPool of T workers (default: all processors); {@code -Darpack=true}
 * uses ARPACK instead of the block Lanczos; {@code -Dsss.eigen.cpuclock=true} times the phases in CPU
 * time of the calling thread (meaningful with T = 1, on a shared machine).
 * Prints the solver report, wall and CPU time, peak heap (sum of the heap pools' peaks) and the
 * process's peak resident set size.
 */
public final class EigensolverBenchmark {

	private EigensolverBenchmark() {}

	public static void main(final String[] args) throws Exception {
		final int width = Integer.parseInt(args[0]), height = Integer.parseInt(args[1]);
		final int count = args.length > 2 ? Integer.parseInt(args[2]) : 100;
		long t = System.nanoTime();
		final SparseMatrix l = TestLaplacians.imageProxy(width, height, 1);
		System.out.printf("proxy %dx%d N=%d nnz=%d built in %.1fs%n", width, height, l.size(), l.nonZeros(),
			(System.nanoTime() - t) / 1e9);
		for (final MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) pool.resetPeakUsage();
		final long cpu0 = processCpu();
		final ShiftInvertEigensolver.Report report = new ShiftInvertEigensolver.Report();
		t = System.nanoTime();
		final int threads = Integer.getInteger("threads", Runtime.getRuntime().availableProcessors());
		final SpectralBasis basis = new java.util.concurrent.ForkJoinPool(threads)
			.submit(() -> ShiftInvertEigensolver.solve(l, count, 1, Progress.NONE, report, Boolean.getBoolean("arpack"), ShiftInvertEigensolver.Accuracy.REFERENCE)).get();
		final double wall = (System.nanoTime() - t) / 1e9;
		final double cpu = (processCpu() - cpu0) / 1e9;
		long peak = 0;
		for (final MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
			if (pool.getType() == MemoryType.HEAP) peak += pool.getPeakUsage().getUsed();
		}
		System.out.println(report);
		final double[] v = basis.values();
		double min = Double.MAX_VALUE, max = 0;
		int negative = 0;
		for (final double x : v) {
			min = Math.min(min, x);
			max = Math.max(max, Math.abs(x));
			if (x < 0) negative++;
		}
		System.out.printf("eigenvalues: min %.4g, max |λ| %.4g, %d negative%n", min, max, negative);
		System.out.printf("wall %.1fs, process CPU %.1fs, peak heap %.2f GB, peak RSS %s%n", wall, cpu, peak / 1e9, rss());
	}

	private static long processCpu() {
		return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
	}

	private static String rss() {
		try {
			for (final String line : Files.readAllLines(Path.of("/proc/self/status"))) {
				if (line.startsWith("VmHWM")) return line.substring(6).trim();
			}
		}
		catch (final Exception e) {
			// not Linux
		}
		return "n/a";
	}
}
