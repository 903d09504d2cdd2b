package org.softsegments.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.softsegments.core.Progress;
import org.softsegments.eval.LayerMatching;
import org.softsegments.image.PlanarImage;
import org.softsegments.testing.ReferenceData;

/**
 * The whole pipeline on the authors' demo photo (320×320, with the features they used) against
 * the layers their implementation produced ({@code ../shared/reference/docia_320}). k-means is
 * random, so layers differ in detail; the authors' own code with another seed agrees with its
 * reference layers at a mean matched soft IoU of 0.73. Skipped when {@code ../shared} is absent.
 */
public class DociaReferenceTest {

	@Test
	void layersMatchTheAuthorsImplementation() throws IOException {
		final ReferenceData ref = ReferenceData.docia();
		final PlanarImage image = ref.image();
		final PlanarImage features = ref.features();
		final SegmentationResult r = SemanticSoftSegmentation.run(image, features, Settings.reference(), Progress.NONE, true);
		final PlanarImage reference = ref.planes("soft_segments");

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

	/**
	 * A MATLAB-order (column-major) float32 little-endian h×w×k file as planes in x + y·w order;
	 * kept for callers outside this package, see {@link ReferenceData#readColumnMajor}.
	 */
	public static PlanarImage readColumnMajor(final Path file, final int w, final int h, final int k) throws IOException {
		return ReferenceData.readColumnMajor(file, w, h, k);
	}
}
