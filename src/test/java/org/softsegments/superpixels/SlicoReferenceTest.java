package org.softsegments.superpixels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Arrays;
import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.softsegments.core.Progress;
import org.softsegments.image.PlanarImage;
import org.softsegments.testing.ReferenceData;

/**
 * SLICO on the reference demo image ({@code ../shared/reference/docia_320}) with the reference
 * parameters, compared with the reference run's superpixels (a plain SLIC0 re-implementation,
 * 2142 superpixels). Labels cannot match exactly, but two SLICO implementations on the same image
 * place nearly the same boundaries: the test asserts the superpixel count, the mean best IoU in
 * both directions and the boundary recall and precision against the reference, each a margin
 * below what this implementation reaches and well above a regular grid of as many cells. A wrong
 * colour space, a fixed instead of adaptive colour normaliser or a wrong spatial scale falls
 * below them. Skipped when {@code ../shared} is absent.
 */
class SlicoReferenceTest {

	/** Lower bounds of the agreement measures (see the class comment). */
	static final double MIN_IOU = 0.62, MIN_RECALL = 0.93, MIN_PRECISION = 0.92;
	/** Allowed relative deviation of the superpixel count from the reference's. */
	static final double COUNT_TOLERANCE = 0.1;

	/** Mean over the superpixels of {@code a} of the best IoU with any superpixel of {@code b}. */
	static double meanBestIoU(final int[] a, final int countA, final int[] b, final int countB) {
		final long[] keys = new long[a.length];
		for (int p = 0; p < a.length; p++) keys[p] = (long) a[p] * countB + b[p];
		Arrays.sort(keys);
		final int[] sizeA = new int[countA], sizeB = new int[countB];
		for (int p = 0; p < a.length; p++) {
			sizeA[a[p]]++;
			sizeB[b[p]]++;
		}
		final double[] best = new double[countA];
		for (int i = 0; i < keys.length;) {
			int j = i;
			while (j < keys.length && keys[j] == keys[i]) j++;
			final int sa = (int) (keys[i] / countB), sb = (int) (keys[i] % countB);
			final int inter = j - i;
			best[sa] = Math.max(best[sa], inter / (double) (sizeA[sa] + sizeB[sb] - inter));
			i = j;
		}
		double sum = 0;
		for (final double v : best) sum += v;
		return sum / countA;
	}

	/** Boundary pixels: a pixel whose right or lower neighbour has another label. */
	static boolean[] boundary(final int[] labels, final int width, final int height) {
		final boolean[] edge = new boolean[labels.length];
		for (int y = 0; y < height; y++) {
			for (int x = 0; x < width; x++) {
				final int p = x + y * width;
				if ((x + 1 < width && labels[p + 1] != labels[p]) || (y + 1 < height && labels[p + width] != labels[p])) {
					edge[p] = true;
				}
			}
		}
		return edge;
	}

	/** Fraction of boundary pixels of {@code truth} within Chebyshev distance {@code r} of one of {@code found}. */
	static double boundaryRecall(final boolean[] truth, final boolean[] found, final int width, final int height, final int r) {
		int hit = 0, total = 0;
		for (int y = 0; y < height; y++) {
			for (int x = 0; x < width; x++) {
				if (!truth[x + y * width]) continue;
				total++;
				search: for (int v = Math.max(0, y - r); v <= Math.min(height - 1, y + r); v++) {
					for (int u = Math.max(0, x - r); u <= Math.min(width - 1, x + r); u++) {
						if (found[u + v * width]) {
							hit++;
							break search;
						}
					}
				}
			}
		}
		return hit / (double) Math.max(1, total);
	}

	@Test
	void doicaDemoImageAtReferenceSettings() throws IOException {
		final ReferenceData data = ReferenceData.docia();
		final PlanarImage img = data.image();
		final int w = img.width(), h = img.height();
		assertEquals(320, w);
		final int[] ours = Slico.segment(img, 2500, 1e-20, 10, Progress.NONE);
		final int count = SlicoTest.assertValidLabelMap(ours, w, h);
		final int[] ref = data.labels("superpixel_labels");
		final int refCount = Arrays.stream(ref).max().getAsInt() + 1;
		assertEquals(2142, refCount);

		// baseline for the agreement numbers: a regular grid with about as many cells
		final int cells = (int) Math.round(Math.sqrt(count));
		final int[] grid = new int[w * h];
		for (int p = 0; p < grid.length; p++) grid[p] = (p % w) * cells / w + cells * ((p / w) * cells / h);

		final boolean[] bo = boundary(ours, w, h), br = boundary(ref, w, h), bg = boundary(grid, w, h);
		final double iouOurs = meanBestIoU(ours, count, ref, refCount), iouRef = meanBestIoU(ref, refCount, ours, count);
		final double recall = boundaryRecall(br, bo, w, h, 1), precision = boundaryRecall(bo, br, w, h, 1);
		final String report = String.format(Locale.ROOT, "docia_320 SLICO: S = %d (reference %d); mean best IoU "
			+ "ours->ref %.3f, ref->ours %.3f (grid %.3f / %.3f); reference boundaries within 1 px of ours %.3f (grid %.3f), "
			+ "ours within 1 px of the reference's %.3f (grid %.3f)", count, refCount, iouOurs, iouRef,
			meanBestIoU(grid, cells * cells, ref, refCount), meanBestIoU(ref, refCount, grid, cells * cells), recall,
			boundaryRecall(br, bg, w, h, 1), precision, boundaryRecall(bg, br, w, h, 1));
		System.out.println(report);
		assertTrue(Math.abs(count - refCount) <= COUNT_TOLERANCE * refCount, "superpixel count: " + report);
		assertTrue(iouOurs >= MIN_IOU && iouRef >= MIN_IOU, "mean best IoU below " + MIN_IOU + ": " + report);
		assertTrue(recall >= MIN_RECALL, "boundary recall below " + MIN_RECALL + ": " + report);
		assertTrue(precision >= MIN_PRECISION, "boundary precision below " + MIN_PRECISION + ": " + report);
	}
}
