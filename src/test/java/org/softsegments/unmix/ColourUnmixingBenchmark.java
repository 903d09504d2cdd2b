package org.softsegments.unmix;

import java.util.Arrays;
import java.util.Locale;

import org.softsegments.core.Parallel;
import org.softsegments.image.PlanarImage;

/**
 * Timing of the colour unmixing (not a test). Run with
 * {@code java -cp target/classes:target/test-classes org.softsegments.unmix.ColourUnmixingBenchmark
 * [width height layers runs threads]} (default 640 480 5 5, all processors).
 */
public final class ColourUnmixingBenchmark {

	public static void main(final String[] args) {
		final int w = args.length > 0 ? Integer.parseInt(args[0]) : 640;
		final int h = args.length > 1 ? Integer.parseInt(args[1]) : 480;
		final int k = args.length > 2 ? Integer.parseInt(args[2]) : 5;
		final int runs = args.length > 3 ? Integer.parseInt(args[3]) : 5;
		final int threads = args.length > 4 ? Integer.parseInt(args[4]) : 0;
		final PlanarImage rgb = ColourUnmixingTest.photo(w, h, 1);
		final PlanarImage layers = ColourUnmixingTest.softLayers(w, h, k, 2);
		final double[] ms = new double[runs], cpu = new double[runs];
		final com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
			java.lang.management.ManagementFactory.getOperatingSystemMXBean();
		for (int r = -1; r < runs; r++) {
			final long t0 = System.nanoTime(), c0 = os.getProcessCpuTime();
			Parallel.inPool(threads, () -> ColourUnmixing.unmix(rgb, layers));
			final double t = (System.nanoTime() - t0) / 1e6;
			if (r >= 0) {
				ms[r] = t;
				cpu[r] = (os.getProcessCpuTime() - c0) / 1e6;
			}
		}
		Arrays.sort(ms);
		Arrays.sort(cpu);
		System.out.printf(Locale.ROOT, "ColourUnmixing %d×%d K=%d threads=%s: wall median %.0f ms, min %.0f ms; " +
			"process CPU time median %.0f ms (%d runs)%n", w, h, k, threads == 0 ? "all" : threads, ms[runs / 2], ms[0],
			cpu[runs / 2], runs);
	}
}
