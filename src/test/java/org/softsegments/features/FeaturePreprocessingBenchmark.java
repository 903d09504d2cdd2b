package org.softsegments.features;

import java.util.SplittableRandom;

import org.softsegments.core.Progress;
import org.softsegments.image.PlanarImage;

/**
 * Timing of {@link FeaturePreprocessing#preprocess} on a random 640×480×128 feature image (not a
 * test). Run: {@code java -cp target/classes:target/test-classes:<deps> org.softsegments.features.FeaturePreprocessingBenchmark [runs [threads]]}.
 */
public final class FeaturePreprocessingBenchmark {

	public static void main(final String[] args) {
		final int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
		final int w = 640, h = 480, d = 128, n = w * h;
		final SplittableRandom rnd = new SplittableRandom(1);
		final float[][] f = new float[d][n];
		for (final float[] p : f) {
			for (int i = 0; i < n; i++) p[i] = (float) (rnd.nextGaussian() * 2);
		}
		final float[][] rgb = new float[3][n];
		for (final float[] p : rgb) {
			for (int i = 0; i < n; i++) p[i] = (float) rnd.nextDouble();
		}
		final PlanarImage features = new PlanarImage(w, h, f);
		final PlanarImage image = new PlanarImage(w, h, rgb);
		final int threads = args.length > 1 ? Integer.parseInt(args[1]) : Runtime.getRuntime().availableProcessors();
		final java.util.concurrent.ForkJoinPool pool = new java.util.concurrent.ForkJoinPool(threads);
		try {
			pool.submit(() -> run(features, image, runs, threads)).get();
		}
		catch (final Exception e) {
			throw new RuntimeException(e);
		}
		finally {
			pool.shutdown();
		}
	}

	private static void run(final PlanarImage features, final PlanarImage image, final int runs, final int threads) {
		final com.sun.management.OperatingSystemMXBean os =
			(com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
		System.out.println("threads: " + threads);
		for (int r = 0; r < runs; r++) {
			final long cpu0 = os.getProcessCpuTime();
			final long[] stageStart = { System.nanoTime(), 0 };
			final long t0 = System.nanoTime();
			final Progress timing = (stage, fraction) -> {
				if (stage.equals("feature PCA") && fraction == 0) {
					synchronized (stageStart) {
						stageStart[1] = System.nanoTime();
					}
				}
			};
			FeaturePreprocessing.preprocess(features, image, 5, 10, 0.01, timing);
			final long t1 = System.nanoTime();
			final long cpu1 = os.getProcessCpuTime();
			System.out.printf("run %d: wall %.2f s (guided filter %.2f s, PCA + normalisation %.2f s), process CPU %.2f s%n", r,
				(t1 - t0) * 1e-9, (stageStart[1] - t0) * 1e-9, (t1 - stageStart[1]) * 1e-9, (cpu1 - cpu0) * 1e-9);
		}
	}
}
