package org.softsegments.sparsify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import org.softsegments.image.PlanarImage;
import org.softsegments.linalg.KMeans;

/**
 * Grouping of the reference's 22 constrained layers of docia (320×320) with the reference's
 * features: with the reference's group ids our sums reproduce its grouped layers, the reference's
 * ids are a k-means fixed point of our signatures, and our own ids are reported next to them.
 */
class LayerGroupingReferenceTest {

	static final Path DIR = Path.of("../shared/reference/docia_320");

	@Test
	void reproducesReferenceGroupSumsAndReportsIds() throws IOException {
		Assumptions.assumeTrue(Files.isDirectory(DIR), "reference data ../shared/reference/docia_320 not available");
		final BufferedImage img = ImageIO.read(DIR.resolve("features.png").toFile());
		final int w = img.getWidth(), h = img.getHeight(), n = w * h;
		final PlanarImage f = PlanarImage.zeros(w, h, 3);
		for (int y = 0; y < h; y++) {
			for (int x = 0; x < w; x++) {
				final int rgb = img.getRGB(x, y);
				for (int c = 0; c < 3; c++) f.set(x, y, c, (float) (((rgb >> (16 - 8 * c)) & 0xff) / 255.0));
			}
		}
		final double[][] layers = readColumnMajor(DIR.resolve("init_soft_segments.f32"), w, h, 22);
		final double[][] grouped = readColumnMajor(DIR.resolve("grouped_segments.f32"), w, h, 5);
		final ByteBuffer idBuf = ByteBuffer.wrap(Files.readAllBytes(DIR.resolve("group_ids.i32")))
			.order(ByteOrder.LITTLE_ENDIAN);
		final int[] refIds = new int[22];
		for (int k = 0; k < 22; k++) refIds[k] = idBuf.getInt(4 * k) - 1;

		final double[][] sums = LayerGrouping.sumGroups(layers, refIds, 5);
		double maxErr = 0;
		for (int j = 0; j < 5; j++) {
			for (int p = 0; p < n; p++) maxErr = Math.max(maxErr, Math.abs(sums[j][p] - grouped[j][p]));
		}
		assertTrue(maxErr < 1e-5, "max |our sums − reference grouped layers| = " + maxErr);

		final double[] g = LayerGrouping.signatures(layers, f);
		final double refSse = KMeans.sse(g, 22, 3, refIds, 5);
		System.out.println("reference group ids: " + Arrays.toString(refIds) + "  signature SSE " + refSse);
		// our signatures are consistent with the reference's k-means: its ids are a Lloyd fixed point
		final double[] c = new double[15];
		final int[] count = new int[5];
		for (int k = 0; k < 22; k++) {
			count[refIds[k]]++;
			for (int t = 0; t < 3; t++) c[refIds[k] * 3 + t] += g[k * 3 + t];
		}
		for (int q = 0; q < 15; q++) c[q] /= count[q / 3];
		final KMeans.Result fixed = KMeans.cluster(g, 22, 3, 5, KMeans.Options.defaults().givenCentroids(c));
		assertArrayEquals(refIds, fixed.labels());
		for (long seed = 0; seed < 4; seed++) {
			final LayerGrouping.Result ours = LayerGrouping.groupWithIds(layers, f, 5, seed);
			assertEquals(5, ours.groups());
			for (int p = 0; p < n; p++) {
				double in = 0, out = 0;
				for (int k = 0; k < 22; k++) in += layers[k][p];
				for (int j = 0; j < 5; j++) out += ours.layers()[j][p];
				assertEquals(in, out, 1e-12);
			}
			System.out.println("our group ids seed " + seed + ": " + Arrays.toString(ours.ids()) + "  signature SSE "
				+ KMeans.sse(g, 22, 3, ours.ids(), 5) + (samePartition(ours.ids(), refIds) ? "  (= reference)" : ""));
		}
	}

	static boolean samePartition(final int[] a, final int[] b) {
		for (int i = 0; i < a.length; i++) {
			for (int j = 0; j < a.length; j++) {
				if ((a[i] == a[j]) != (b[i] == b[j])) return false;
			}
		}
		return true;
	}

	/** h×w×K float32 LE column-major → [K][x + y·w]. */
	static double[][] readColumnMajor(final Path file, final int w, final int h, final int k) throws IOException {
		final ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
		final double[][] out = new double[k][w * h];
		for (int l = 0; l < k; l++) {
			for (int x = 0; x < w; x++) {
				for (int y = 0; y < h; y++) out[l][x + y * w] = buf.getFloat(4 * (y + h * (x + w * l)));
			}
		}
		return out;
	}
}
