package org.softsegments.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.softsegments.image.PlanarImage;

class DistillationDataTest {

	@TempDir
	Path tmp;

	/**
	 * A photo whose red and green channels are its normalised x and y coordinates, and a target
	 * grid (long side 128) whose two channels are the normalised coordinates of the cell centres:
	 * any crop is aligned when the target at each output cell equals the mean image colour over
	 * the crop pixels that cell covers.
	 */
	static DistillationData.Sample positionCodedSample(final int w, final int h) {
		final float[][] p = new float[3][w * h];
		for (int y = 0; y < h; y++) {
			for (int x = 0; x < w; x++) {
				p[0][x + y * w] = (x + 0.5f) / w;
				p[1][x + y * w] = (y + 0.5f) / h;
				p[2][x + y * w] = 0.5f;
			}
		}
		final int[] g = TeacherTargets.gridSize(w, h);
		final float[][] t = new float[2][g[0] * g[1]];
		for (int i = 0; i < g[1]; i++) {
			for (int j = 0; j < g[0]; j++) {
				t[0][j + i * g[0]] = (j + 0.5f) / g[0];
				t[1][j + i * g[0]] = (i + 0.5f) / g[1];
			}
		}
		return new DistillationData.Sample(new PlanarImage(w, h, p), new PlanarImage(g[0], g[1], t));
	}

	/** Largest difference between each inner target cell and the mean of the image's position code over its stride × stride pixels. */
	static double misalignment(final PlanarImage rgb, final PlanarImage target, final int stride) {
		double worst = 0;
		for (int r = 1; r < target.height() - 1; r++) {
			for (int q = 1; q < target.width() - 1; q++) {
				for (int c = 0; c < 2; c++) {
					double mean = 0;
					for (int y = r * stride; y < (r + 1) * stride; y++) {
						for (int x = q * stride; x < (q + 1) * stride; x++) mean += rgb.get(x, y, c);
					}
					mean /= stride * stride;
					worst = Math.max(worst, Math.abs(mean - target.get(q, r, c)));
				}
			}
		}
		return worst;
	}

	@Test
	void cropAndTargetStayAligned() {
		final Augmentation noJitter = new Augmentation(64, 1, 1, 0);
		boolean flipped = false, straight = false;
		for (final int[] size : new int[][] { { 200, 150 }, { 150, 200 }, { 481, 321 } }) {
			final DistillationData.Sample s = positionCodedSample(size[0], size[1]);
			for (int k = 0; k < 20; k++) {
				final DistillationData.Crop crop = DistillationData.sampleCrop(s, 64, 4, 0.4, 1.0, noJitter, TrainingRun.cropRandom(7, k, 0));
				assertEquals(64, crop.rgb.width());
				assertEquals(16, crop.target.width());
				assertEquals(16, crop.target.height());
				assertTrue(misalignment(crop.rgb, crop.target, 4) < 1e-4, "crop " + k + " of " + size[0] + "×" + size[1]
					+ " misaligned by " + misalignment(crop.rgb, crop.target, 4));
				final boolean flip = crop.rgb.get(0, 32, 0) > crop.rgb.get(63, 32, 0);
				flipped |= flip;
				straight |= !flip;
				// the crop is square in photo pixels and covers 40-100 % of the shorter side
				final double spanX = (crop.rgb.get(63, 32, 0) - crop.rgb.get(0, 32, 0)) * 64 / 63 * size[0];
				final double spanY = (crop.rgb.get(32, 63, 1) - crop.rgb.get(32, 0, 1)) * 64 / 63 * size[1];
				assertEquals(Math.abs(spanX), spanY, 1e-2 * spanY);
				assertTrue(spanY >= 0.4 * Math.min(size[0], size[1]) - 1 && spanY <= Math.min(size[0], size[1]) + 1, "span " + spanY);
			}
		}
		assertTrue(flipped && straight, "both flipped and unflipped crops are drawn");
	}

	@Test
	void wholePhotoValidationWindowIsAligned() {
		final DistillationData.Sample s = positionCodedSample(481, 321);
		final int[] size = DistillationData.inputSize(481, 321, 320, 32);
		assertEquals(320, size[0]);
		assertEquals(224, size[1]);
		final PlanarImage rgb = DistillationData.window(s.rgb, 0, 0, 1, 1, size[0], size[1], false);
		final PlanarImage target = DistillationData.window(s.target, 0, 0, 1, 1, size[0] / 4, size[1] / 4, false);
		assertTrue(misalignment(rgb, target, 4) < 1e-4, "misaligned by " + misalignment(rgb, target, 4));
	}

	@Test
	void sameSeedSameCrop() {
		final DistillationData.Sample s = positionCodedSample(120, 90);
		final Augmentation jitter = new Augmentation(32, 1, 1, 0.2);
		final DistillationData.Crop a = DistillationData.sampleCrop(s, 32, 4, 0.4, 1, jitter, TrainingRun.cropRandom(1, 5, 2));
		final DistillationData.Crop b = DistillationData.sampleCrop(s, 32, 4, 0.4, 1, jitter, TrainingRun.cropRandom(1, 5, 2));
		final DistillationData.Crop c = DistillationData.sampleCrop(s, 32, 4, 0.4, 1, jitter, TrainingRun.cropRandom(1, 5, 3));
		assertTrue(a.rgb.sameAs(b.rgb) && a.target.sameAs(b.target));
		assertFalse(a.rgb.sameAs(c.rgb));
	}

	/** A data root with 10 COCO photos (one is held out by SharedDataset's split) and 6 unlabelled ones; files are placeholders. */
	static Path fakeDataRoot(final Path root) throws IOException {
		for (int i = 0; i < 10; i++) {
			Files.createDirectories(root.resolve("coco/images"));
			Files.createDirectories(root.resolve("coco/instances"));
			Files.write(root.resolve("coco/images/00000" + i + ".jpg"), new byte[1]);
			Files.write(root.resolve("coco/instances/00000" + i + ".png"), new byte[1]);
		}
		Files.createDirectories(root.resolve("unlabelled/images"));
		for (int i = 0; i < 6; i++) Files.write(root.resolve("unlabelled/images/" + (i < 4 ? "ade20k" : "imagenetsample") + "_" + i + ".jpg"), new byte[1]);
		return root;
	}

	@Test
	void heldOutPhotosAreNeverTrainedOn() throws IOException {
		final Path root = fakeDataRoot(tmp.resolve("data"));
		final Set<String> heldOut = DistillationData.heldOutImages(root);
		assertEquals(1, heldOut.size());
		final String held = heldOut.iterator().next();
		assertTrue(held.startsWith("coco/images/") && held.endsWith(".jpg"), held);
		assertEquals(SharedDataset.split(root, SharedDataset.VALIDATION_FRACTION)[1].name(0), held.replace("images/", "").replace(".jpg", ""));

		final List<String> all = new ArrayList<>();
		try (TeacherTargets.Writer w = TeacherTargets.Writer.open(tmp.resolve("targets"), null, 4, 1, null)) {
			try (var files = Files.walk(root)) {
				for (final Path p : files.filter(p -> p.toString().endsWith(".jpg")).sorted().toList()) {
					final String image = DistillationData.relative(root, p);
					w.write(image, 2, 2, new float[16]);
					all.add(image);
				}
			}
		}
		final TeacherTargets targets = TeacherTargets.open(tmp.resolve("targets"));
		final List<String> val = DistillationData.chooseValidation(targets, 2, heldOut);
		assertEquals(2, val.size());
		for (final String v : val) assertTrue(v.startsWith("unlabelled/"));
		assertEquals(val, DistillationData.chooseValidation(targets, 2, heldOut), "the choice is fixed");
		final DistillationData data = new DistillationData(root, targets, heldOut, val);
		assertEquals(16 - 1 - 2, data.trainSize());
		assertEquals(1, data.excludedCount());
		assertFalse(data.trainImages().contains(held));
		for (final String v : val) assertFalse(data.trainImages().contains(v));
		final Map<String, Integer> bySource = DistillationData.countBySource(data.trainImages());
		assertEquals(9, bySource.get("coco"));
		assertEquals(4 - (int) val.stream().filter(v -> v.contains("ade20k")).count(), bySource.getOrDefault("unlabelled/ade20k", 0));
		assertThrows(IllegalArgumentException.class, () -> new DistillationData(root, targets, heldOut, List.of(held)));
		Files.delete(root.resolve(all.get(0)));
		assertThrows(IllegalArgumentException.class, () -> new DistillationData(root, targets, Set.of(), List.of()), "missing photo");
	}
}
