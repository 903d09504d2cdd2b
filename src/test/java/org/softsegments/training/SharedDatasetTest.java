package org.softsegments.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The shared training data (skipped when ../shared/data is absent). */
class SharedDatasetTest {

	static final Path TRAIN = Path.of("../shared/data/train");

	@Test
	void splitIsFixedAndDisjoint() throws IOException {
		Assumptions.assumeTrue(Files.isDirectory(TRAIN), "../shared/data/train not available");
		final SharedDataset[] s = SharedDataset.split(TRAIN, 0.1);
		final SharedDataset[] again = SharedDataset.split(TRAIN, 0.1);
		assertEquals(652, s[0].size() + s[1].size());
		assertEquals(65, s[1].size());
		final Set<String> train = new HashSet<>();
		for (int i = 0; i < s[0].size(); i++) train.add(s[0].name(i));
		for (int i = 0; i < s[1].size(); i++) {
			assertTrue(!train.contains(s[1].name(i)));
			assertEquals(s[1].name(i), again[1].name(i));
		}
		assertEquals(35, s[1].cocoCount());
	}

	@Test
	void heldOutListNamesTheValidationImages() throws IOException {
		Assumptions.assumeTrue(Files.isDirectory(TRAIN), "../shared/data/train not available");
		final java.util.List<String> coco = HeldOutMain.names("coco", "--data", TRAIN.toString());
		assertEquals(35, coco.size());
		final SharedDataset[] s = SharedDataset.split(TRAIN, SharedDataset.VALIDATION_FRACTION);
		final Set<String> train = new HashSet<>();
		for (int i = 0; i < s[0].size(); i++) train.add(s[0].name(i));
		for (final String id : coco) {
			assertTrue(Files.isRegularFile(TRAIN.resolve("coco/images/" + id + ".jpg")), id);
			assertTrue(!train.contains("coco/" + id), id + " was used in training");
		}
		assertEquals(65, HeldOutMain.names("--data", TRAIN.toString()).size());
		assertThrows(IllegalArgumentException.class, () -> HeldOutMain.names("imagenet"));
	}

	@Test
	void labelsMatchImagesIncludingRotatedBsdsMaps() throws IOException {
		Assumptions.assumeTrue(Files.isDirectory(TRAIN), "../shared/data/train not available");
		final SharedDataset[] s = SharedDataset.split(TRAIN, 0);
		int bsdsChecked = 0, cocoChecked = 0;
		for (int i = 0; i < s[0].size(); i++) {
			final String n = s[0].name(i);
			final boolean rotated = n.equals("bsds500/181018"); // label maps stored 321×481 for a 481×321 photo
			final boolean coco = n.equals("coco/000000000139");
			if (!rotated && !coco) continue;
			final LabelledImage img = s[0].load(i, new SplittableRandom(1));
			assertEquals(img.width() * img.height(), img.labels().length);
			if (rotated) {
				assertEquals(481, img.width());
				for (final int l : img.labels()) assertTrue(l >= 1, "BSDS labels are 1..n");
				bsdsChecked++;
			}
			else {
				boolean ignored = false, instance = false;
				for (final int l : img.labels()) {
					assertTrue(l == LabelledImage.IGNORE || (l >= 1 && l < 255));
					ignored |= l == LabelledImage.IGNORE;
					instance |= l >= 1;
				}
				assertTrue(ignored && instance);
				cocoChecked++;
			}
		}
		assertEquals(1, bsdsChecked, "bsds500/181018 not found in the data set");
		assertEquals(1, cocoChecked, "coco/000000000139 not found in the data set");
	}

	@Test
	void missingFolderIsExplained() {
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
			() -> SharedDataset.split(Path.of("no/such/folder"), 0.1));
		assertTrue(e.getMessage().contains("bsds500"), e.getMessage());
	}
}
