package org.softsegments.superpixels;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.ForkJoinPool;

import org.softsegments.core.Progress;
import org.softsegments.image.PlanarImage;
import org.softsegments.io.ImageFiles;
import org.softsegments.testing.ReferenceData;

/**
 * Timing of the superpixel stage (not a test). Usage:
 * {@code java -cp target/classes:target/test-classes org.softsegments.superpixels.SlicoBenchmark [threads] [image640x480.png|jpg]}.
 * Measures CieLab, SLICO (2500 requested, compactness 1e-20, 10 iterations, including its Lab
 * conversion) and SuperpixelGraph.build on the 320×320 reference image (or a synthetic one) and
 * on a 640×480 image (given, or synthetic); prints the median of 7 runs after 3 warm-ups, and
 * the CPU time of the calling thread during SLICO (all of it when run with 1 thread).
 */
public final class SlicoBenchmark {

	public static void main(final String[] args) throws Exception {
		final int threads = args.length > 0 ? Integer.parseInt(args[0]) : Runtime.getRuntime().availableProcessors();
		final Path ref = ReferenceData.ROOT.resolve(ReferenceData.DOCIA_320).resolve("image.png");
		final PlanarImage small = Files.exists(ref) ? ReferenceData.readPng(ref) : SlicoTest.landscape(320, 320, 1);
		final PlanarImage large = args.length > 1 ? ImageFiles.read(Path.of(args[1])) : SlicoTest.landscape(640, 480, 1);
		final ForkJoinPool pool = new ForkJoinPool(threads);
		System.out.println("threads " + threads);
		pool.submit(() -> {
			run("320x320 " + (Files.exists(ref) ? "docia" : "synthetic"), small);
			run(large.width() + "x" + large.height() + (args.length > 1 ? " " + args[1] : " synthetic"), large);
		}).get();
		pool.shutdown();
	}

	private static void run(final String name, final PlanarImage img) {
		final double[] lab = new double[7], slic = new double[7], graph = new double[7], cpu = new double[7];
		final java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
		int count = 0;
		for (int r = -3; r < 7; r++) {
			long t0 = System.nanoTime();
			CieLab.fromRgb(img);
			long t1 = System.nanoTime();
			final long c1 = mx.getCurrentThreadCpuTime();
			final int[] labels = Slico.segment(img, 2500, 1e-20, 10, Progress.NONE);
			long t2 = System.nanoTime();
			final long c2 = mx.getCurrentThreadCpuTime();
			final SuperpixelGraph g = SuperpixelGraph.build(labels, img.width(), img.height());
			g.regionMeans(img);
			long t3 = System.nanoTime();
			count = g.count();
			if (r >= 0) {
				lab[r] = (t1 - t0) / 1e6;
				slic[r] = (t2 - t1) / 1e6;
				graph[r] = (t3 - t2) / 1e6;
				cpu[r] = (c2 - c1) / 1e6;
			}
		}
		System.out.printf("%s: S=%d  CieLab %.1f ms, Slico %.1f ms (calling thread CPU %.1f ms), graph+means %.1f ms (medians of 7)%n",
			name, count, median(lab), median(slic), median(cpu), median(graph));
	}

	private static double median(final double[] v) {
		final double[] s = v.clone();
		Arrays.sort(s);
		return s[s.length / 2];
	}
}
