package org.softsegments.superpixels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;

import org.junit.jupiter.api.Test;
import org.softsegments.core.Progress;
import org.softsegments.core.SegmentationCancelledException;
import org.softsegments.image.PlanarImage;

class SlicoTest {

	/**
	 * Asserts that labels are 0..S-1, numbered in raster order of first appearance, and that each
	 * label forms exactly one 4-connected component; returns S.
	 */
	static int assertValidLabelMap(final int[] labels, final int width, final int height) {
		assertEquals(width * height, labels.length);
		int next = 0;
		for (final int l : labels) {
			assertTrue(l >= 0 && l <= next, "label " + l + " out of raster order (next new label " + next + ")");
			if (l == next) next++;
		}
		final int count = next;
		// count 4-connected components: must equal the number of labels
		final boolean[] seen = new boolean[labels.length];
		final int[] queue = new int[labels.length];
		int components = 0;
		for (int p = 0; p < labels.length; p++) {
			if (seen[p]) continue;
			components++;
			int head = 0, tail = 0;
			queue[tail++] = p;
			seen[p] = true;
			while (head < tail) {
				final int q = queue[head++];
				final int x = q % width, y = q / width;
				final int[] nb = { x > 0 ? q - 1 : -1, x < width - 1 ? q + 1 : -1, y > 0 ? q - width : -1,
					y < height - 1 ? q + width : -1 };
				for (final int r : nb) {
					if (r >= 0 && !seen[r] && labels[r] == labels[p]) {
						seen[r] = true;
						queue[tail++] = r;
					}
				}
			}
		}
		assertEquals(count, components, "every label must be exactly one 4-connected component");
		return count;
	}

	static PlanarImage noise(final int width, final int height, final int channels, final long seed) {
		final SplittableRandom rnd = new SplittableRandom(seed);
		final float[][] planes = new float[channels][width * height];
		for (final float[] plane : planes) {
			for (int p = 0; p < plane.length; p++) plane[p] = (float) rnd.nextDouble();
		}
		return new PlanarImage(width, height, planes);
	}

	/** A smooth "landscape": sky gradient, textured ground, a sun disk, a slanted pole, mild noise. */
	static PlanarImage landscape(final int width, final int height, final long seed) {
		final SplittableRandom rnd = new SplittableRandom(seed);
		final float[][] planes = new float[3][width * height];
		for (int y = 0; y < height; y++) {
			for (int x = 0; x < width; x++) {
				final double u = x / (double) width, v = y / (double) height;
				double r, g, b;
				final double horizon = 0.55 + 0.08 * Math.sin(6 * u);
				if (v < horizon) {
					r = 0.35 + 0.4 * v;
					g = 0.55 + 0.3 * v;
					b = 0.95 - 0.2 * v;
				}
				else {
					final double t = 0.5 + 0.5 * Math.sin(40 * u + 13 * v);
					r = 0.25 + 0.1 * t;
					g = 0.45 + 0.15 * t;
					b = 0.15;
				}
				final double dx = u - 0.7, dy = v - 0.25;
				if (dx * dx + dy * dy < 0.01) {
					r = 1;
					g = 0.85;
					b = 0.3;
				}
				if (Math.abs(u - 0.25 - 0.2 * v) < 0.02) {
					r = 0.4;
					g = 0.2;
					b = 0.1;
				}
				planes[0][x + y * width] = (float) clamp(r + 0.02 * (rnd.nextDouble() - 0.5));
				planes[1][x + y * width] = (float) clamp(g + 0.02 * (rnd.nextDouble() - 0.5));
				planes[2][x + y * width] = (float) clamp(b + 0.02 * (rnd.nextDouble() - 0.5));
			}
		}
		return new PlanarImage(width, height, planes);
	}

	private static double clamp(final double v) {
		return Math.max(0, Math.min(1, v));
	}

	/**
	 * Noise, where colour says nothing and every cluster fragments: the count, size and extent of
	 * the superpixels still follow the requested count (degenerate sizes included).
	 */
	@Test
	void noiseImagesOfManySizesGiveSuperpixelsOfTheRequestedScale() {
		final int[][] sizes = { { 37, 23 }, { 23, 37 }, { 64, 48 }, { 2, 2 }, { 3, 5 }, { 5, 3 }, { 2, 17 }, { 40, 2 },
			{ 160, 120 } };
		for (final int[] s : sizes) {
			for (final int requested : new int[] { 1, 4, 25, 100, 400 }) {
				final PlanarImage img = noise(s[0], s[1], 3, 17 * s[0] + s[1]);
				final int[] labels = Slico.segment(img, requested, 1e-20, 10, Progress.NONE);
				assertSuperpixelsOfTheRequestedScale(labels, s[0], s[1], requested, s[0] + "×" + s[1] + ", " + requested
					+ " requested");
			}
		}
	}

	/**
	 * Asserts what SLICO ensures on any image, even pure noise, for {@code k = min(requested, N)}
	 * superpixels of grid step {@code S = √(N/k)}: a valid label map (one 4-connected component per
	 * label) with between k/2 and 2k labels; every superpixel larger than the orphan-fragment
	 * limit {@code ⌊⌊N/k⌋/4⌋} of the connectivity step (unless there is only one); no superpixel
	 * extending over more than 4S in x or y (pixels join a centre only within S of it, so only
	 * merged fragments reach beyond 2S).
	 */
	static void assertSuperpixelsOfTheRequestedScale(final int[] labels, final int width, final int height,
		final int requested, final String what)
	{
		final int count = assertValidLabelMap(labels, width, height);
		final int n = width * height, k = Math.min(requested, n);
		final double step = Math.sqrt(n / (double) k);
		assertTrue(2 * count >= k && count <= 2 * k, what + ": " + count + " superpixels");
		final int[] size = new int[count], minX = new int[count], maxX = new int[count], minY = new int[count],
			maxY = new int[count];
		java.util.Arrays.fill(minX, Integer.MAX_VALUE);
		java.util.Arrays.fill(minY, Integer.MAX_VALUE);
		for (int p = 0; p < n; p++) {
			final int l = labels[p], x = p % width, y = p / width;
			size[l]++;
			minX[l] = Math.min(minX[l], x);
			maxX[l] = Math.max(maxX[l], x);
			minY[l] = Math.min(minY[l], y);
			maxY[l] = Math.max(maxY[l], y);
		}
		final int fragmentLimit = (n / k) / 4;
		for (int l = 0; l < count; l++) {
			if (count > 1) {
				assertTrue(size[l] > fragmentLimit, what + ": superpixel " + l + " has " + size[l] + " pixels, an orphan fragment "
					+ "(at most " + fragmentLimit + ") left unmerged");
			}
			final int extent = Math.max(maxX[l] - minX[l] + 1, maxY[l] - minY[l] + 1);
			assertTrue(extent <= 4 * step, what + ": superpixel " + l + " extends over " + extent + " px, more than 4S = "
				+ 4 * step);
		}
	}

	@Test
	void greyNoiseAndConstantImagesWork() {
		final int[] grey = Slico.segment(noise(37, 23, 1, 5), 30, 1e-20, 10, Progress.NONE);
		assertValidLabelMap(grey, 37, 23);
		// constant image: every colour distance is 0 (m_k floor), the clustering is purely spatial
		final PlanarImage flat = PlanarImage.zeros(60, 40, 3);
		final int[] labels = Slico.segment(flat, 24, 1e-20, 10, Progress.NONE);
		final int count = assertValidLabelMap(labels, 60, 40);
		assertEquals(24, count); // 6 × 4 grid of 10 × 10 cells
		final int[] sizes = new int[count];
		for (final int l : labels) sizes[l]++;
		for (final int s : sizes) assertTrue(s >= 70 && s <= 130, "superpixel of " + s + " pixels in a 10 × 10 grid");
	}

	@Test
	void countIsNearTheRequestedCountOnNaturalLookingImages() {
		final int[][] cases = { { 160, 120, 200 }, { 120, 160, 100 }, { 101, 77, 60 }, { 200, 150, 1000 } };
		for (final int[] c : cases) {
			final PlanarImage img = landscape(c[0], c[1], c[2]);
			final int[] labels = Slico.segment(img, c[2], 1e-20, 10, Progress.NONE);
			final int count = assertValidLabelMap(labels, c[0], c[1]);
			assertTrue(count >= c[2] / 2 && count <= c[2] * 3 / 2, "requested " + c[2] + ", got " + count);
			assertSuperpixelsOfTheRequestedScale(labels, c[0], c[1], c[2], "landscape " + c[0] + "×" + c[1]);
		}
	}

	@Test
	void requestedCountAboveThePixelCountIsClamped() {
		final PlanarImage img = noise(4, 3, 3, 3);
		final int[] labels = Slico.segment(img, 1000, 1e-20, 10, Progress.NONE);
		final int count = assertValidLabelMap(labels, 4, 3);
		assertTrue(count <= 12);
		assertArrayEquals(labels, Slico.segment(img, 12, 1e-20, 10, Progress.NONE));
	}

	private static void assertNoSuperpixelStraddles(final PlanarImage img, final int[] labels) {
		final int count = assertValidLabelMap(labels, img.width(), img.height());
		final float[] first = new float[count];
		final boolean[] seen = new boolean[count];
		final float[] r = img.plane(0);
		for (int p = 0; p < labels.length; p++) {
			final int l = labels[p];
			if (!seen[l]) {
				seen[l] = true;
				first[l] = r[p];
			}
			assertEquals(first[l], r[p], "superpixel " + l + " straddles the colour boundary at pixel " + p);
		}
	}

	private static PlanarImage twoColours(final int width, final int height, final java.util.function.IntPredicate side) {
		final float[][] planes = new float[3][width * height];
		for (int p = 0; p < width * height; p++) {
			final boolean a = side.test(p);
			planes[0][p] = a ? 0.9f : 0.1f;
			planes[1][p] = a ? 0.2f : 0.6f;
			planes[2][p] = a ? 0.1f : 0.8f;
		}
		return new PlanarImage(width, height, planes);
	}

	@Test
	void twoColourImagesAreNeverStraddled() {
		// vertical, horizontal and slanted straight boundaries at several offsets
		for (final int offset : new int[] { 17, 30, 31, 36 }) {
			final PlanarImage vertical = twoColours(64, 64, p -> p % 64 < offset);
			assertNoSuperpixelStraddles(vertical, Slico.segment(vertical, 64, 1e-20, 10, Progress.NONE));
			final PlanarImage horizontal = twoColours(64, 48, p -> p / 64 < offset);
			assertNoSuperpixelStraddles(horizontal, Slico.segment(horizontal, 48, 1e-20, 10, Progress.NONE));
			final PlanarImage slanted = twoColours(64, 48, p -> 2 * (p % 64) + (p / 64) < 2 * offset + 10);
			assertNoSuperpixelStraddles(slanted, Slico.segment(slanted, 100, 1e-20, 10, Progress.NONE));
		}
	}

	@Test
	void deterministicAcrossRunsAndThreadCounts() throws Exception {
		final PlanarImage img = landscape(150, 110, 9);
		final int[] a = Slico.segment(img, 300, 1e-20, 10, Progress.NONE);
		final int[] b = Slico.segment(img, 300, 1e-20, 10, Progress.NONE);
		assertArrayEquals(a, b);
		for (final int threads : new int[] { 1, 3 }) {
			final ForkJoinPool pool = new ForkJoinPool(threads);
			try {
				final int[] c = pool.submit(() -> Slico.segment(img, 300, 1e-20, 10, Progress.NONE)).get();
				assertArrayEquals(a, c, "result differs with " + threads + " threads");
			}
			finally {
				pool.shutdown();
			}
		}
	}

	@Test
	void compactnessAndIterationsMatter() {
		final PlanarImage img = landscape(90, 70, 4);
		final int[] colourOnlyStart = Slico.segment(img, 60, 1e-20, 10, Progress.NONE);
		final int[] compactStart = Slico.segment(img, 60, 1e5, 1, Progress.NONE);
		assertValidLabelMap(compactStart, 90, 70);
		assertTrue(!java.util.Arrays.equals(colourOnlyStart, compactStart));
		// very large compactness with one iteration: a nearly regular grid (6 × 5 … cells)
		final int count = assertValidLabelMap(compactStart, 90, 70);
		assertTrue(Math.abs(count - 60) <= 10, "got " + count);
	}

	@Test
	void rejectsBadInput() {
		final PlanarImage ok = noise(10, 10, 3, 1);
		assertThrows(IllegalArgumentException.class, () -> Slico.segment(noise(1, 10, 3, 1), 4, 1e-20, 10, Progress.NONE));
		assertThrows(IllegalArgumentException.class, () -> Slico.segment(noise(10, 1, 3, 1), 4, 1e-20, 10, Progress.NONE));
		assertThrows(IllegalArgumentException.class, () -> Slico.segment(ok, 0, 1e-20, 10, Progress.NONE));
		assertThrows(IllegalArgumentException.class, () -> Slico.segment(ok, 4, 0, 10, Progress.NONE));
		assertThrows(IllegalArgumentException.class, () -> Slico.segment(ok, 4, Double.NaN, 10, Progress.NONE));
		assertThrows(IllegalArgumentException.class, () -> Slico.segment(ok, 4, Double.POSITIVE_INFINITY, 10, Progress.NONE));
		assertThrows(IllegalArgumentException.class, () -> Slico.segment(ok, 4, 1e-20, 0, Progress.NONE));
		assertThrows(IllegalArgumentException.class, () -> Slico.segment(noise(10, 10, 2, 1), 4, 1e-20, 10, Progress.NONE));
		assertThrows(IllegalArgumentException.class, () -> Slico.segment(null, 4, 1e-20, 10, Progress.NONE));
	}

	@Test
	void reportsProgressAndHonoursCancellation() {
		final List<Double> fractions = new ArrayList<>();
		Slico.segment(noise(30, 20, 3, 2), 10, 1e-20, 5, (stage, f) -> {
			assertEquals(Slico.STAGE, stage);
			fractions.add(f);
		});
		assertTrue(fractions.size() >= 5);
		for (int i = 1; i < fractions.size(); i++) assertTrue(fractions.get(i) >= fractions.get(i - 1));
		assertEquals(1.0, fractions.get(fractions.size() - 1));
		final int[] calls = { 0 };
		final Progress cancelAfterTwo = new Progress() {
			@Override
			public void report(final String stage, final double fraction) {
				calls[0]++;
			}

			@Override
			public boolean isCancelled() {
				return calls[0] >= 2;
			}
		};
		assertThrows(SegmentationCancelledException.class, () -> Slico.segment(noise(30, 20, 3, 2), 10, 1e-20, 5, cancelAfterTwo));
	}

	@Test
	void connectivityEnforcementMergesSmallFragmentsIntoTheClosestColourExactly() {
		// clusters (5 × 4): cluster 0 has a 1-pixel fragment at (4,0) and a 2-pixel fragment at
		// (0,3),(1,3); cluster 1 is split into two parts
		final int[] clusters = {
			0, 0, 1, 1, 0,
			0, 0, 1, 1, 2,
			2, 2, 2, 2, 2,
			0, 0, 1, 1, 1 };
		final float[] l = {
			20, 20, 10, 10, 50,
			20, 20, 10, 10, 45,
			45, 45, 45, 45, 45,
			80, 80, 78, 78, 78 };
		final float[][] colour = { l, new float[20], new float[20] };
		// max merge size 2: (4,0) (L 50) joins the region below (L 45), not the one left (L 10);
		// (0,3),(1,3) (L 80) join the region to the right (L 78), not the one above (L 45)
		final int[] expected = {
			0, 0, 1, 1, 2,
			0, 0, 1, 1, 2,
			2, 2, 2, 2, 2,
			3, 3, 3, 3, 3 };
		assertArrayEquals(expected, Slico.enforceConnectivity(clusters, colour, 5, 4, 2));
		// max merge size 0: every 4-connected component becomes its own label, raster order
		final int[] separate = {
			0, 0, 1, 1, 2,
			0, 0, 1, 1, 3,
			3, 3, 3, 3, 3,
			4, 4, 5, 5, 5 };
		assertArrayEquals(separate, Slico.enforceConnectivity(clusters, colour, 5, 4, 0));
		// a group formed by merging keeps merging while small: two 1-pixel fragments inside a
		// large region
		final int[] ring = {
			0, 0, 0, 0,
			0, 1, 2, 0,
			0, 0, 0, 0 };
		final float[] ringL = { 0, 0, 0, 0, 0, 60, 61, 0, 0, 0, 0, 0 };
		final int[] merged = Slico.enforceConnectivity(ring, new float[][] { ringL }, 4, 3, 2);
		// 1 and 2 merge with each other (closest colours), then the 2-pixel group joins 0
		assertArrayEquals(new int[12], merged);
	}
}
