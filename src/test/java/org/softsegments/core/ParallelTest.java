package org.softsegments.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;

import org.junit.jupiter.api.Test;

class ParallelTest {

	@Test
	void sumIsBitIdenticalOnAnyNumberOfThreads() throws Exception {
		final double[] v = new SplittableRandom(3).doubles(100_003).map(x -> x * 1e6 - 3e5).toArray();
		final Parallel.RangeSum part = (s, e) -> {
			double t = 0;
			for (int i = s; i < e; i++) t += v[i];
			return t;
		};
		final double one = new ForkJoinPool(1).submit(() -> Parallel.sum(v.length, 1000, part)).get();
		final double two = new ForkJoinPool(2).submit(() -> Parallel.sum(v.length, 1000, part)).get();
		final double seven = new ForkJoinPool(7).submit(() -> Parallel.sum(v.length, 1000, part)).get();
		final double outside = Parallel.sum(v.length, 1000, part);
		assertEquals(Double.doubleToLongBits(one), Double.doubleToLongBits(two));
		assertEquals(Double.doubleToLongBits(one), Double.doubleToLongBits(seven));
		assertEquals(Double.doubleToLongBits(one), Double.doubleToLongBits(outside));
	}

	@Test
	void forRangeVisitsEveryIndexOnce() throws Exception {
		final int[] hits = new int[10_001];
		new ForkJoinPool(3).submit(() -> Parallel.forRange(hits.length, 97, (s, e) -> {
			for (int i = s; i < e; i++) hits[i]++;
		})).get();
		for (final int h : hits) assertEquals(1, h);
	}

	@Test
	void poolParallelismIsVisibleInside() throws Exception {
		assertEquals(3, (int) new ForkJoinPool(3).submit(Parallel::parallelism).get());
	}
}
