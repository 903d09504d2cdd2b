package org.softsegments.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.softsegments.eval.LayerMatching;
import org.softsegments.image.PlanarImage;
import org.softsegments.io.ImageFiles;

/**
 * The whole pipeline on the authors' demo photo (320×320, with the features they used) against
 * the layers their implementation produced ({@code ../shared/reference/docia_320}). k-means is
 * random, so layers differ in detail; the authors' own code with another seed agrees with its
 * reference layers at a mean matched soft IoU of 0.73. Skipped when {@code ../shared} is absent.
 */
public class DociaReferenceTest {

	private static final Path DIR = Path.of("../shared/reference/docia_320");

	@Test
	void layersMatchTheAuthorsImplementation() throws IOException {
		assumeTrue(Files.isDirectory(DIR), "../shared/reference/docia_320 not found: reference comparison skipped");
		final PlanarImage image = ImageFiles.read(DIR.resolve("image.png"));
		final PlanarImage features = ImageFiles.read(DIR.resolve("features.png"));
		final SegmentationResult r = SemanticSoftSegmentation.run(image, features, Settings.reference(), Progress.NONE, true);
		final PlanarImage reference = readColumnMajor(DIR.resolve("soft_segments.f32"), 320, 320, 5);

		final double iou = LayerMatching.meanMatchedIoU(r.layers(), reference);
		System.out.printf("docia 320×320: mean matched soft IoU vs reference %.3f, %d superpixels, %d layers after " +
			"constrained sparsification, stage seconds %s%n", iou, r.intermediates().superpixelCount,
			r.intermediates().constrainedLayers.channels(), r.stageSeconds());
		assertEquals(5, r.layerCount());
		assertTrue(iou > 0.6, "mean matched soft IoU " + iou + " (the authors' code with another seed: 0.73)");
		// the reference's eigenvalues span −2.1e-4 … 2.7e-3; ours come from other superpixels but the same scale
		final double[] ev = r.intermediates().eigenvalues;
		final double max = java.util.Arrays.stream(ev).max().getAsDouble();
		assertTrue(max > 5e-4 && max < 1e-2, "largest eigenvalue " + max);
	}

	/** A MATLAB-order (column-major) float32 little-endian h×w×k file as planes in x + y·w order. */
	public static PlanarImage readColumnMajor(final Path file, final int w, final int h, final int k) throws IOException {
		final ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
		final float[][] planes = new float[k][w * h];
		for (int c = 0; c < k; c++) {
			for (int x = 0; x < w; x++) {
				for (int y = 0; y < h; y++) planes[c][x + y * w] = buf.getFloat();
			}
		}
		return new PlanarImage(w, h, planes);
	}
}
