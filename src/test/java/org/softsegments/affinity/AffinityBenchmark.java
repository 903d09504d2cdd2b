package org.softsegments.affinity;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.softsegments.image.PlanarImage;
import org.softsegments.linalg.SparseMatrix;

/**
 * Timing of the affinity stages at 640×480 (not a test). Run with
 * {@code java -cp target/classes:target/test-classes:<commons-math3.jar> org.softsegments.affinity.AffinityBenchmark [runs] [threads]}.
 */
public final class AffinityBenchmark {

	public static void main(final String[] args) throws Exception {
		final int threads = args.length > 1 ? Integer.parseInt(args[1]) : Runtime.getRuntime().availableProcessors();
		new java.util.concurrent.ForkJoinPool(threads).submit(() -> run(args)).get();
	}

	private static void run(final String[] args) {
		final int w = 640, h = 480, n = w * h, runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
		final SplittableRandom rnd = new SplittableRandom(1);
		final PlanarImage im = PlanarImage.zeros(w, h, 3);
		// smooth colour ramps plus noise: realistic mixture of flat and textured windows
		for (int c = 0; c < 3; c++) {
			final float[] p = im.plane(c);
			for (int y = 0; y < h; y++) {
				for (int x = 0; x < w; x++) {
					p[x + y * w] = (float) Math.min(1, Math.max(0, 0.5 + 0.4 * Math.sin((x + 2 * c * y) / 37.0) +
						(rnd.nextInt(5) - 2) / 255.0));
				}
			}
		}
		SparseMatrix wl = null;
		final double[] ms = new double[runs];
		for (int r = -2; r < runs; r++) {
			final long t0 = System.nanoTime();
			wl = MattingAffinity.compute(im, MattingAffinity.DEFAULT_EPSILON);
			final double t = (System.nanoTime() - t0) / 1e6;
			if (r >= 0) ms[r] = t;
		}
		Arrays.sort(ms);
		final long bytes = wl.nonZeros() * (8L + 4L) + (n + 1L) * 4L;
		System.out.printf("MattingAffinity %dx%d: median %.0f ms (min %.0f, max %.0f) over %d runs, %d threads%n", w, h,
			ms[runs / 2], ms[0], ms[runs - 1], runs, org.softsegments.core.Parallel.parallelism());
		System.out.printf("  nnz %d, CSR footprint %.1f MB (values %.1f, columns %.1f, rowStart %.1f); window scratch %.1f MB%n",
			wl.nonZeros(), bytes / 1e6, wl.nonZeros() * 8 / 1e6, wl.nonZeros() * 4 / 1e6, (n + 1) * 4 / 1e6,
			(w - 2) * (h - 2) * 9 * 8 / 1e6);

		// superpixel affinities on a jittered grid of ~2500 superpixels
		final int step = 11;
		final int sx = w / step, sy = h / step, s = sx * sy;
		final int[] rep = new int[s];
		final double[][] colors = new double[s][3];
		final int[] first = new int[4 * s], second = new int[4 * s];
		int pairs = 0;
		for (int j = 0; j < sy; j++) {
			for (int i = 0; i < sx; i++) {
				final int k = i + j * sx;
				rep[k] = (i * step + rnd.nextInt(step)) + (j * step + rnd.nextInt(step)) * w;
				for (int c = 0; c < 3; c++) colors[k][c] = im.plane(c)[rep[k]];
				if (i + 1 < sx) { first[pairs] = k; second[pairs++] = k + 1; }
				if (j + 1 < sy) { first[pairs] = k; second[pairs++] = k + sx; }
				if (i + 1 < sx && j + 1 < sy) { first[pairs] = k; second[pairs++] = k + sx + 1; }
				if (i > 0 && j + 1 < sy) { first[pairs] = k; second[pairs++] = k + sx - 1; }
			}
		}
		final int[] f = Arrays.copyOf(first, pairs), g = Arrays.copyOf(second, pairs);
		for (int r = 0; r < 3; r++) {
			long t0 = System.nanoTime();
			final SparseMatrix wc = ColorAffinity.compute(w, h, rep, colors, 50, 0.95, 0.2);
			final double tc = (System.nanoTime() - t0) / 1e6;
			t0 = System.nanoTime();
			final SparseMatrix ws = SemanticAffinity.compute(n, rep, f, g, colors, 20, 0.85);
			final double ts = (System.nanoTime() - t0) / 1e6;
			t0 = System.nanoTime();
			final SparseMatrix l = LaplacianAssembly.assemble(wl, ws, wc, 1, 0.01, 0.01);
			final double tl = (System.nanoTime() - t0) / 1e6;
			System.out.printf("S=%d: ColorAffinity %.0f ms (nnz %d), SemanticAffinity %.0f ms (nnz %d), LaplacianAssembly %.0f ms (nnz %d)%n",
				s, tc, wc.nonZeros(), ts, ws.nonZeros(), tl, l.nonZeros());
		}
	}
}
