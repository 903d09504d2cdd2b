package org.softsegments.linalg;

import java.util.Random;
import java.util.concurrent.ForkJoinPool;

import org.softsegments.core.Progress;
import org.softsegments.testing.ReferenceData;

/**
 * Timing of {@link SplittingKMeans} at N = 307,200 points of dimension 3 (the 640×480 case of
 * spec §11): the docia 320×320 features tiled three times with a little noise when
 * ../shared is present, otherwise a synthetic mixture. Not a test; run with
 * {@code java -cp target/classes:target/test-classes org.softsegments.linalg.SplittingKMeansBenchmark [threads]}.
 */
public final class SplittingKMeansBenchmark {

	public static void main(final String[] args) throws Exception {
		if (args.length > 0 && args[0].equals("docia")) {
			docia(args.length > 1 ? Integer.parseInt(args[1]) : 5);
			return;
		}
		final int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
		final int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 3;
		final int n = 307_200;
		final double[] x = new double[3 * n];
		final Random r = new Random(1);
		if (ReferenceData.available(ReferenceData.DOCIA_320)) {
			final double[] f = SplittingKMeansReferenceTest.features(ReferenceData.require(ReferenceData.DOCIA_320, "benchmark"),
				new int[2]);
			final int m = f.length / 3;
			for (int i = 0; i < n; i++) {
				for (int t = 0; t < 3; t++) x[3 * i + t] = f[3 * (i % m) + t] + 0.004 * r.nextGaussian();
			}
			System.out.println("data: docia features tiled x3 + noise 0.004");
		}
		else {
			for (int i = 0; i < n; i++) {
				final int b = r.nextInt(12);
				for (int t = 0; t < 3; t++) x[3 * i + t] = 0.3 * ((b >> t) & 1) + 0.1 * b / 12.0 + 0.08 * r.nextGaussian();
			}
			System.out.println("data: synthetic mixture");
		}
		final ForkJoinPool pool = new ForkJoinPool(threads);
		for (int rep0 = 0; rep0 < repeats; rep0++) {
			final long rep = rep0;
			final long t0 = System.nanoTime();
			final int[] labels = pool.submit(() -> SplittingKMeans.cluster(x, n, 3, 40, 5, 7, 100, 13, rep, Progress.NONE))
				.get();
			final double s = (System.nanoTime() - t0) / 1e9;
			System.out.printf("threads %d run %d: %.2f s, SSE %.3f%n", threads, rep, s, KMeans.sse(x, n, 3, labels, 40));
		}
		pool.shutdown();
	}

	/** SSE over seeds on the 320×320 docia features (k = 40) against the reference labels. */
	private static void docia(final int seeds) throws Exception {
		final ReferenceData data = ReferenceData.require(ReferenceData.DOCIA_320, "benchmark");
		final int[] size = new int[2];
		final double[] x = SplittingKMeansReferenceTest.features(data, size);
		final int n = size[0] * size[1];
		final double ref = KMeans.sse(x, n, 3, data.labels("init_kmeans_labels"), 40);
		System.out.printf("reference SSE %.4f%n", ref);
		for (long seed = 1; seed <= seeds; seed++) {
			final long t0 = System.nanoTime();
			final int[] labels = SplittingKMeans.cluster(x, n, 3, 40, 5, 7, 100, 13, seed, Progress.NONE);
			final double s = (System.nanoTime() - t0) / 1e9;
			final double sse = KMeans.sse(x, n, 3, labels, 40);
			System.out.printf("seed %d: %.2f s, SSE %.4f (ratio %.4f)%n", seed, s, sse, sse / ref);
		}
	}
}
