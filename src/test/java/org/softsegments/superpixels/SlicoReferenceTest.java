package org.softsegments.superpixels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.softsegments.engine.Progress;
import org.softsegments.image.PlanarImage;

/**
 * SLICO on the reference demo image ({@code ../shared/reference/docia_320}) with the reference
 * parameters, compared with the reference run's superpixels (a plain SLIC0 re-implementation,
 * 2142 superpixels). Labels cannot match exactly; the test prints agreement measures and asserts
 * only loose sanity.
 */
class SlicoReferenceTest {

	static final Path REFERENCE = Path.of("../shared/reference/docia_320");

	/** Loads an 8-bit RGB image as a 3-channel [0,1] PlanarImage (im2double). */
	static PlanarImage loadRgb(final Path file) throws IOException {
		final BufferedImage img = ImageIO.read(file.toFile());
		final int w = img.getWidth(), h = img.getHeight();
		final float[][] planes = new float[3][w * h];
		for (int y = 0; y < h; y++) {
			for (int x = 0; x < w; x++) {
				final int rgb = img.getRGB(x, y);
				planes[0][x + y * w] = ((rgb >> 16) & 0xff) / 255f;
				planes[1][x + y * w] = ((rgb >> 8) & 0xff) / 255f;
				planes[2][x + y * w] = (rgb & 0xff) / 255f;
			}
		}
		return new PlanarImage(w, h, planes);
	}

	/** Reads a column-major int32 LE 1-based label file into 0-based row-major labels. */
	static int[] loadReferenceLabels(final Path file, final int width, final int height) throws IOException {
		final ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
		final int[] labels = new int[width * height];
		for (int c = 0; c < width; c++) {
			for (int r = 0; r < height; r++) labels[c + r * width] = buf.getInt(4 * (r + c * height)) - 1;
		}
		return labels;
	}

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
		Assumptions.assumeTrue(Files.isDirectory(REFERENCE), "shared reference data not available: " + REFERENCE.toAbsolutePath());
		final PlanarImage img = loadRgb(REFERENCE.resolve("image.png"));
		final int w = img.width(), h = img.height();
		assertEquals(320, w);
		final int[] ours = Slico.segment(img, 2500, 1e-20, 10, Progress.NONE);
		final int count = SlicoTest.assertValidLabelMap(ours, w, h);
		final int[] ref = loadReferenceLabels(REFERENCE.resolve("superpixel_labels.i32"), w, h);
		final int refCount = Arrays.stream(ref).max().getAsInt() + 1;
		final SuperpixelGraph graph = SuperpixelGraph.build(ours, w, h);
		final SuperpixelGraph refGraph = SuperpixelGraph.build(ref, w, h);

		// baseline for the agreement numbers: a regular grid with about as many cells
		final int cells = (int) Math.round(Math.sqrt(count));
		final int[] grid = new int[w * h];
		for (int p = 0; p < grid.length; p++) grid[p] = (p % w) * cells / w + cells * ((p / w) * cells / h);

		final boolean[] bo = boundary(ours, w, h), br = boundary(ref, w, h), bg = boundary(grid, w, h);
		System.out.printf("docia_320 SLICO: S = %d (reference %d), adjacent pairs %d (reference %d)%n", count, refCount,
			graph.pairCount(), refGraph.pairCount());
		System.out.printf("  mean best IoU ours->ref %.3f, ref->ours %.3f (grid baseline %.3f / %.3f)%n",
			meanBestIoU(ours, count, ref, refCount), meanBestIoU(ref, refCount, ours, count),
			meanBestIoU(grid, cells * cells, ref, refCount), meanBestIoU(ref, refCount, grid, cells * cells));
		System.out.printf("  boundary recall of reference boundaries within 1 px %.3f, 2 px %.3f (grid baseline %.3f, %.3f)%n",
			boundaryRecall(br, bo, w, h, 1), boundaryRecall(br, bo, w, h, 2), boundaryRecall(br, bg, w, h, 1),
			boundaryRecall(br, bg, w, h, 2));
		System.out.printf("  our boundaries within 1 px of reference boundaries %.3f (grid baseline %.3f)%n",
			boundaryRecall(bo, br, w, h, 1), boundaryRecall(bg, br, w, h, 1));
		assertTrue(count >= 1500 && count <= 3500, "S = " + count);
	}
}
