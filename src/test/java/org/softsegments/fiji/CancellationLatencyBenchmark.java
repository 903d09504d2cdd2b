package org.softsegments.fiji;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.softsegments.core.Progress;
import org.softsegments.core.SegmentationCancelledException;
import org.softsegments.engine.SemanticSoftSegmentation;
import org.softsegments.engine.Settings;

import ij.ImagePlus;

/**
 * Measures how long a run goes on after a cancel request, per stage: for each stage, a run with
 * paper-default settings on a synthetic scene is cancelled {@code delay} ms after the stage
 * started; prints the time from the request to the end of the run. Not a test.
 * <p>
 * {@code java ... CancellationLatencyBenchmark [width height delayMs [stage]]} (default 200 150 300,
 * all stages).
 */
public final class CancellationLatencyBenchmark {

	private CancellationLatencyBenchmark() {}

	public static void main(final String[] args) throws Exception {
		final int w = args.length > 0 ? Integer.parseInt(args[0]) : 200;
		final int h = args.length > 1 ? Integer.parseInt(args[1]) : 150;
		final long delayMs = args.length > 2 ? Long.parseLong(args[2]) : 300;
		final ImagePlus imp = FijiTestImages.rgb("bench", w, h, 7);
		final String[] stages = { SemanticSoftSegmentation.AFFINITIES, SemanticSoftSegmentation.EIGENVECTORS,
			SemanticSoftSegmentation.INITIAL_CLUSTERS, SemanticSoftSegmentation.CONSTRAINED,
			SemanticSoftSegmentation.RELAXED };
		for (final String stage : stages) {
			if (args.length > 3 && !args[3].equals(stage)) continue;
			final AtomicLong requested = new AtomicLong();
			final AtomicReference<String> activeAtRequest = new AtomicReference<>();
			final AtomicReference<String> current = new AtomicReference<>("");
			final Thread[] timer = new Thread[1];
			final Progress progress = new Progress() {
				@Override
				public synchronized void report(final String s, final double fraction) {
					current.set(s);
					if (s.equals(stage) && timer[0] == null) {
						timer[0] = new Thread(() -> {
							try {
								Thread.sleep(delayMs);
							}
							catch (final InterruptedException e) {
								return;
							}
							activeAtRequest.set(current.get());
							requested.set(System.nanoTime());
						});
						timer[0].start();
					}
				}

				@Override
				public boolean isCancelled() {
					return requested.get() != 0;
				}
			};
			final long t0 = System.nanoTime();
			String outcome;
			try {
				HyperstackConverter.segment(imp, null, new Settings(), progress);
				outcome = "finished before the request";
			}
			catch (final SegmentationCancelledException e) {
				outcome = "cancelled";
			}
			final long end = System.nanoTime();
			if (timer[0] != null) timer[0].interrupt();
			System.out.printf(Locale.ROOT, "%dx%d cancel %d ms into '%s' (active: '%s'): %s, run %.2f s, latency %.3f s%n",
				w, h, delayMs, stage, activeAtRequest.get(), outcome, (end - t0) * 1e-9, requested.get() == 0 ? Double.NaN
					: (end - requested.get()) * 1e-9);
		}
	}
}
