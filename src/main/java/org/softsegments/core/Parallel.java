package org.softsegments.core;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RecursiveAction;

/**
 * Deterministic parallel loops over index ranges.
 * <p>
 * The range {@code [0, n)} is cut into chunks of a fixed size {@code grain}, independent of the
 * number of threads; chunks run in the current {@link ForkJoinPool} (the pool the caller runs
 * in, otherwise the common pool). Reductions ({@link #sum}) compute one partial result per
 * chunk and add the partials in chunk order, so results are bit-identical on any number of
 * threads. The facade runs the whole pipeline inside a pool of {@code Settings.threads}
 * workers; no other class creates threads.
 */
public final class Parallel {

	private Parallel() {}

	/** Body of a loop over a sub-range {@code [start, end)}. */
	@FunctionalInterface
	public interface RangeBody {
		void run(int start, int end);
	}

	/** A sub-range computation that returns a partial sum. */
	@FunctionalInterface
	public interface RangeSum {
		double sum(int start, int end);
	}

	/** Runs {@code body} over {@code [0, n)} in chunks of {@code grain} indices, in parallel. */
	public static void forRange(final int n, final int grain, final RangeBody body) {
		if (n <= 0) return;
		final int g = Math.max(1, grain);
		final int chunks = (int) ((n + (long) g - 1) / g);
		if (chunks == 1 || parallelism() == 1) {
			for (int c = 0; c < chunks; c++) {
				final int s = c * g;
				body.run(s, (int) Math.min(n, (long) s + g));
			}
			return;
		}
		final List<RecursiveAction> tasks = new ArrayList<>(chunks);
		for (int c = 0; c < chunks; c++) {
			final int s = c * g;
			final int e = (int) Math.min(n, (long) s + g);
			tasks.add(new RecursiveAction() {
				@Override
				protected void compute() {
					body.run(s, e);
				}
			});
		}
		invokeAll(tasks);
	}

	/** Runs {@code body(i, i+1)} for every {@code i} in {@code [0, n)} in parallel. */
	public static void forEach(final int n, final RangeBody body) {
		forRange(n, 1, body);
	}

	/**
	 * Sum of {@code part} over {@code [0, n)} cut into chunks of {@code grain}: partial sums are
	 * added in chunk order, so the result does not depend on the number of threads.
	 */
	public static double sum(final int n, final int grain, final RangeSum part) {
		if (n <= 0) return 0;
		final int g = Math.max(1, grain);
		final int chunks = (int) ((n + (long) g - 1) / g);
		final double[] partial = new double[chunks];
		forRange(chunks, 1, (c0, c1) -> {
			for (int c = c0; c < c1; c++) {
				final int s = c * g;
				partial[c] = part.sum(s, (int) Math.min(n, (long) s + g));
			}
		});
		double total = 0;
		for (final double p : partial) total += p;
		return total;
	}

	/**
	 * Runs {@code task} in a new pool of {@code threads} workers (0 = all processors), so that the
	 * parallel loops inside it use that many threads; rethrows the task's runtime exceptions
	 * unwrapped. An interrupt of the caller becomes a {@link SegmentationCancelledException}.
	 */
	public static <T> T inPool(final int threads, final Callable<T> task) {
		final ForkJoinPool pool = new ForkJoinPool(threads > 0 ? threads : Runtime.getRuntime().availableProcessors());
		try {
			return pool.submit(task).get();
		}
		catch (final InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new SegmentationCancelledException("interrupted");
		}
		catch (final ExecutionException e) {
			final Throwable cause = e.getCause();
			if (cause instanceof RuntimeException) throw (RuntimeException) cause;
			if (cause instanceof Error) throw (Error) cause;
			throw new IllegalStateException(cause);
		}
		finally {
			pool.shutdownNow();
		}
	}

	/** Number of workers of the pool parallel loops run in. */
	public static int parallelism() {
		return currentPool().getParallelism();
	}

	private static ForkJoinPool currentPool() {
		final ForkJoinPool pool = ForkJoinTask.getPool();
		return pool != null ? pool : ForkJoinPool.commonPool();
	}

	private static void invokeAll(final List<RecursiveAction> tasks) {
		if (ForkJoinTask.inForkJoinPool()) {
			ForkJoinTask.invokeAll(tasks);
		}
		else {
			final ForkJoinPool pool = ForkJoinPool.commonPool();
			pool.invoke(new RecursiveAction() {
				@Override
				protected void compute() {
					ForkJoinTask.invokeAll(tasks);
				}
			});
		}
	}
}
