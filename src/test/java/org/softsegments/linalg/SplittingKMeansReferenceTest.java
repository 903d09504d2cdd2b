package org.softsegments.linalg;

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

/**
 * Splitting k-means (k = 40) on the reference's 3-channel features of docia at 320×320 versus the
 * reference's own initial clustering: same kind of partition, SSE not much worse.
 */
class SplittingKMeansReferenceTest {

	static final Path DIR = Path.of("../shared/reference/docia_320");

	/** Features as points (row-major N×3, pixel p = x + y·w, /255), or null if absent. */
	static double[] features(final int[] size) throws IOException {
		final BufferedImage img = ImageIO.read(DIR.resolve("features.png").toFile());
		final int w = img.getWidth(), h = img.getHeight();
		size[0] = w;
		size[1] = h;
		final double[] x = new double[w * h * 3];
		for (int y = 0; y < h; y++) {
			for (int xx = 0; xx < w; xx++) {
				final int rgb = img.getRGB(xx, y);
				final int p = xx + y * w;
				x[3 * p] = ((rgb >> 16) & 0xff) / 255.0;
				x[3 * p + 1] = ((rgb >> 8) & 0xff) / 255.0;
				x[3 * p + 2] = (rgb & 0xff) / 255.0;
			}
		}
		return x;
	}

	/** Reference labels converted to 0-based labels in pixel order p = x + y·w. */
	static int[] referenceLabels(final int w, final int h) throws IOException {
		final ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(DIR.resolve("init_kmeans_labels.i32")))
			.order(ByteOrder.LITTLE_ENDIAN);
		final int[] labels = new int[w * h];
		// column-major: element (row y, column x) at y + h·x
		for (int x = 0; x < w; x++) {
			for (int y = 0; y < h; y++) labels[x + y * w] = buf.getInt(4 * (y + h * x)) - 1;
		}
		return labels;
	}

	@Test
	void docia40ClustersNotMuchWorseThanReference() throws IOException {
		Assumptions.assumeTrue(Files.isDirectory(DIR), "reference data ../shared/reference/docia_320 not available");
		final int[] size = new int[2];
		final double[] x = features(size);
		final int w = size[0], h = size[1], n = w * h;
		final int[] ref = referenceLabels(w, h);
		final long t0 = System.nanoTime();
		final int[] ours = SplittingKMeans.cluster(x, n, 3, 40, 5, 7, 100, 13, 1L, Progress.NONE);
		final double seconds = (System.nanoTime() - t0) / 1e9;
		final int[] oursSizes = SplittingKMeansTest.sizes(ours);
		final int[] refSizes = SplittingKMeansTest.sizes(ref);
		assertEquals(40, oursSizes.length);
		assertEquals(40, refSizes.length);
		final double sseOurs = KMeans.sse(x, n, 3, ours, 40);
		final double sseRef = KMeans.sse(x, n, 3, ref, 40);
		final int[] so = oursSizes.clone(), sr = refSizes.clone();
		Arrays.sort(so);
		Arrays.sort(sr);
		System.out.printf("docia 320x320 splitting k-means k=40: %.2f s; SSE ours %.4f, reference %.4f (ratio %.4f)%n",
			seconds, sseOurs, sseRef, sseOurs / sseRef);
		System.out.println("  sorted sizes ours: " + Arrays.toString(so));
		System.out.println("  sorted sizes ref:  " + Arrays.toString(sr));
		for (final int s : oursSizes) assertTrue(s > 0);
		assertTrue(sseOurs <= 1.2 * sseRef, "SSE " + sseOurs + " vs reference " + sseRef);
	}
}
