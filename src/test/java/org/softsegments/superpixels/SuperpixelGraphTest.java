package org.softsegments.superpixels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.softsegments.core.Progress;
import org.softsegments.image.PlanarImage;

class SuperpixelGraphTest {

	private static void assertPairs(final SuperpixelGraph g, final int[][] expected) {
		final int[] first = new int[expected.length], second = new int[expected.length];
		for (int i = 0; i < expected.length; i++) {
			first[i] = expected[i][0];
			second[i] = expected[i][1];
		}
		assertArrayEquals(first, g.pairFirst(), "first labels of the pairs");
		assertArrayEquals(second, g.pairSecond(), "second labels of the pairs");
		assertEquals(expected.length, g.pairCount());
	}

	@Test
	void adjacencyOfHandMadeMaps() {
		// 0 and 2 touch only diagonally (main diagonal), 2 and 3 likewise; 0 and 3 do not touch
		final int[] map = {
			0, 1, 1,
			1, 2, 1,
			1, 1, 3 };
		final SuperpixelGraph g = SuperpixelGraph.build(map, 3, 3);
		assertEquals(4, g.count());
		assertPairs(g, new int[][] { { 0, 1 }, { 0, 2 }, { 1, 2 }, { 1, 3 }, { 2, 3 } });
		// anti-diagonal-only contact between 0 and 2
		assertPairs(SuperpixelGraph.build(new int[] { 1, 0, 2, 1 }, 2, 2), new int[][] { { 0, 1 }, { 0, 2 }, { 1, 2 } });
		// stripes: only consecutive labels touch
		final int[] stripes = { 0, 0, 1, 2, 2, 3, 0, 0, 1, 2, 2, 3 };
		assertPairs(SuperpixelGraph.build(stripes, 6, 2), new int[][] { { 0, 1 }, { 1, 2 }, { 2, 3 } });
		// one label: no pairs
		assertPairs(SuperpixelGraph.build(new int[6], 3, 2), new int[0][]);
		// a single row and a single column
		assertPairs(SuperpixelGraph.build(new int[] { 2, 0, 0, 1 }, 4, 1), new int[][] { { 0, 1 }, { 0, 2 } });
		assertPairs(SuperpixelGraph.build(new int[] { 2, 0, 0, 1 }, 1, 4), new int[][] { { 0, 1 }, { 0, 2 } });
	}

	/** Brute force: every pixel against all 8 neighbours, collected in a sorted set. */
	private static int[][] bruteForcePairs(final int[] labels, final int width, final int height) {
		final TreeSet<Long> set = new TreeSet<>();
		for (int y = 0; y < height; y++) {
			for (int x = 0; x < width; x++) {
				for (int dy = -1; dy <= 1; dy++) {
					for (int dx = -1; dx <= 1; dx++) {
						final int u = x + dx, v = y + dy;
						if (u < 0 || v < 0 || u >= width || v >= height) continue;
						final int a = labels[x + y * width], b = labels[u + v * width];
						if (a < b) set.add(((long) a << 32) | b);
					}
				}
			}
		}
		final int[][] pairs = new int[set.size()][];
		int i = 0;
		for (final long key : set) pairs[i++] = new int[] { (int) (key >>> 32), (int) key };
		return pairs;
	}

	@Test
	void adjacencyMatchesBruteForceOnRandomMaps() {
		final SplittableRandom rnd = new SplittableRandom(11);
		for (int trial = 0; trial < 30; trial++) {
			final int width = 1 + rnd.nextInt(15), height = 1 + rnd.nextInt(15);
			final int n = width * height;
			final int count = 1 + rnd.nextInt(Math.min(n, 12));
			final int[] labels = new int[n];
			for (int p = 0; p < n; p++) labels[p] = p < count ? p : rnd.nextInt(count);
			// shuffle so that every label is present but positions are random
			for (int p = n - 1; p > 0; p--) {
				final int q = rnd.nextInt(p + 1);
				final int t = labels[p];
				labels[p] = labels[q];
				labels[q] = t;
			}
			final SuperpixelGraph g = SuperpixelGraph.build(labels, width, height);
			assertEquals(count, g.count());
			assertPairs(g, bruteForcePairs(labels, width, height));
		}
		// and on a real SLICO map
		final PlanarImage img = SlicoTest.landscape(97, 61, 3);
		final int[] labels = Slico.segment(img, 150, 1e-20, 10, Progress.NONE);
		assertPairs(SuperpixelGraph.build(labels, 97, 61), bruteForcePairs(labels, 97, 61));
	}

	@Test
	void representativeIsTheCentroidRoundedHalfAwayFromZero() {
		// width 5, height 4, 1-based (row, col) in the comments
		final int[] map = {
			0, 0, 1, 1, 4,
			2, 2, 1, 3, 4,
			2, 2, 1, 3, 4,
			2, 2, 2, 2, 4 };
		final SuperpixelGraph g = SuperpixelGraph.build(map, 5, 4);
		assertArrayEquals(new int[] { 2, 4, 8, 2, 4 }, g.sizes());
		final int[] rep = g.representative();
		// 0: (1,1),(1,2): row 1, col 1.5 -> 2 => x 1, y 0
		assertEquals(1, rep[0]);
		// 1: (1,3),(1,4),(2,3),(3,3): row 7/4 = 1.75 -> 2, col 13/4 = 3.25 -> 3 => x 2, y 1
		assertEquals(2 + 5, rep[1]);
		// 2: L shape (2,1),(2,2),(3,1),(3,2),(4,1..4): row 26/8 = 3.25 -> 3, col 16/8 = 2 => x 1, y 2
		assertEquals(1 + 2 * 5, rep[2]);
		assertEquals(bruteForceRepresentative(map, 5, 4, 2), rep[2]);
		// 3: (2,4),(3,4): row 2.5 -> 3 (half away from zero; rint would give 2), col 4 => x 3, y 2
		assertEquals(3 + 2 * 5, rep[3]);
		// 4: column 5, rows 1..4: row 2.5 -> 3 => x 4, y 2
		assertEquals(4 + 2 * 5, rep[4]);
		// column half case: label 0 at columns 2 and 3: col 2.5 -> 3 (rint: 2) => x 2
		final SuperpixelGraph row = SuperpixelGraph.build(new int[] { 1, 0, 0, 1 }, 4, 1);
		assertEquals(2, row.representative()[0]);
		// label 1 at columns 1 and 4: col 2.5 -> 3, outside the region
		assertEquals(2, row.representative()[1]);
		// exact halves at larger sums: rows 1..6 of a column (mean 3.5 -> 4), rows 2..5 (3.5 -> 4)
		final int[] column = { 0, 1, 1, 1, 1, 0 };
		final SuperpixelGraph col = SuperpixelGraph.build(column, 1, 6);
		assertEquals(3, col.representative()[1]);
		assertEquals(3, col.representative()[0]); // rows 1 and 6: 3.5 -> 4 => y 3
		assertEquals(3, SuperpixelGraph.roundedMean(5, 2));
		assertEquals(2, SuperpixelGraph.roundedMean(7, 3)); // 2.33
		assertEquals(3, SuperpixelGraph.roundedMean(8, 3)); // 2.67
	}

	private static int bruteForceRepresentative(final int[] map, final int width, final int height, final int label) {
		double row = 0, col = 0;
		int count = 0;
		for (int y = 0; y < height; y++) {
			for (int x = 0; x < width; x++) {
				if (map[x + y * width] != label) continue;
				row += y + 1;
				col += x + 1;
				count++;
			}
		}
		final int r = (int) Math.floor(row / count + 0.5), c = (int) Math.floor(col / count + 0.5);
		return (c - 1) + (r - 1) * width;
	}

	@Test
	void representativeMayLieOutsideANonConvexRegion() {
		// a U shape (label 1) around label 0: centroid row 2.4 -> 2, col 2 -> pixel inside label 0
		final int[] map = {
			1, 0, 1,
			1, 0, 1,
			1, 1, 1 };
		final SuperpixelGraph g = SuperpixelGraph.build(map, 3, 3);
		// label 1 pixels (row, col): (1,1),(1,3),(2,1),(2,3),(3,1),(3,2),(3,3): row 15/7 = 2.14 -> 2,
		// col 14/7 = 2 => x 1, y 1, which has label 0
		assertEquals(1 + 3, g.representative()[1]);
		assertEquals(0, map[g.representative()[1]]);
		// label 0: (1,2),(2,2): row 1.5 -> 2 => x 1, y 1
		assertEquals(1 + 3, g.representative()[0]);
	}

	@Test
	void representativeMatchesBruteForceOnSlicoMap() {
		final PlanarImage img = SlicoTest.landscape(83, 59, 8);
		final int[] labels = Slico.segment(img, 120, 1e-20, 10, Progress.NONE);
		final SuperpixelGraph g = SuperpixelGraph.build(labels, 83, 59);
		final int[] rep = g.representative();
		for (int s = 0; s < g.count(); s++) assertEquals(bruteForceRepresentative(labels, 83, 59, s), rep[s]);
	}

	@Test
	void regionMeansAreExact() {
		final int[] map = {
			0, 0, 1,
			2, 1, 1 };
		final PlanarImage img = new PlanarImage(3, 2, new float[][] { { 1, 2, 4, 8, 16, 32 }, { 0.1f, 0.2f, -1, 5, 0.5f, 0.25f } });
		final double[][] means = SuperpixelGraph.build(map, 3, 2).regionMeans(img);
		assertEquals(3, means.length);
		assertArrayEquals(new double[] { 1.5, ((double) 0.1f + (double) 0.2f) / 2 }, means[0]);
		assertArrayEquals(new double[] { (4.0 + 16 + 32) / 3, (-1.0 + 0.5 + 0.25) / 3 }, means[1]);
		assertArrayEquals(new double[] { 8, 5 }, means[2]);
		assertThrows(IllegalArgumentException.class, () -> SuperpixelGraph.build(map, 3, 2).regionMeans(PlanarImage.zeros(2, 3, 1)));
	}

	@Test
	void accessorsReturnCopies() {
		final int[] map = { 0, 1, 1, 2 };
		final SuperpixelGraph g = SuperpixelGraph.build(map, 2, 2);
		map[0] = 2;
		assertEquals(0, g.labels()[0]);
		g.labels()[1] = 7;
		g.pairFirst()[0] = 7;
		g.sizes()[0] = 7;
		assertArrayEquals(new int[] { 0, 1, 1, 2 }, g.labels());
		assertArrayEquals(new int[] { 1, 2, 1 }, g.sizes());
		assertEquals(0, g.pairFirst()[0]);
		assertEquals(2, g.width());
		assertEquals(2, g.height());
	}

	@Test
	void rejectsInvalidLabelMaps() {
		assertThrows(IllegalArgumentException.class, () -> SuperpixelGraph.build(new int[] { 0, 1, -1, 1 }, 2, 2));
		assertThrows(IllegalArgumentException.class, () -> SuperpixelGraph.build(new int[] { 0, 2, 2, 0 }, 2, 2));
		assertThrows(IllegalArgumentException.class, () -> SuperpixelGraph.build(new int[] { 1, 2, 2, 1 }, 2, 2));
		assertThrows(IllegalArgumentException.class, () -> SuperpixelGraph.build(new int[] { 0, 1, 1 }, 2, 2));
		assertThrows(IllegalArgumentException.class, () -> SuperpixelGraph.build(new int[] { 0, 9, 1, 1 }, 2, 2));
		assertThrows(IllegalArgumentException.class, () -> SuperpixelGraph.build(new int[0], 0, 0));
		assertThrows(IllegalArgumentException.class, () -> SuperpixelGraph.build(null, 2, 2));
	}
}
