package org.softsegments.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.softsegments.image.PlanarImage;

class AugmentationTest {

	static LabelledImage source(final int w, final int h) {
		final PlanarImage rgb = TinyModels.testImage(w, h, 11);
		final int[] labels = new int[w * h];
		for (int i = 0; i < labels.length; i++) labels[i] = (i % w) * 4 / w + ((i / w) < 3 ? -10 : 0);
		for (int i = 0; i < labels.length; i++) if (labels[i] < 0) labels[i] = LabelledImage.IGNORE;
		return new LabelledImage(rgb, labels);
	}

	@Test
	void sameSeedSameCrop() {
		final LabelledImage src = source(90, 70);
		final Augmentation aug = new Augmentation(32, 0.4, 1.0, 0.2);
		final LabelledImage a = aug.sample(src, new SplittableRandom(9));
		final LabelledImage b = aug.sample(src, new SplittableRandom(9));
		assertTrue(a.rgb().sameAs(b.rgb()));
		assertArrayEquals(a.labels(), b.labels());
		assertEquals(32, a.width());
		assertEquals(32, a.height());
		final LabelledImage c = aug.sample(src, new SplittableRandom(10));
		assertTrue(!a.rgb().sameAs(c.rgb()));
	}

	@Test
	void cropsKeepSourceLabelsAndValueRange() {
		final LabelledImage src = source(90, 70);
		final Set<Integer> allowed = new HashSet<>();
		for (final int l : src.labels()) allowed.add(l);
		final Augmentation aug = new Augmentation(40, 0.5, 2.0, 0.3);
		final SplittableRandom rng = new SplittableRandom(1);
		for (int k = 0; k < 20; k++) {
			final LabelledImage c = aug.sample(src, rng);
			for (final int l : c.labels()) assertTrue(allowed.contains(l));
			for (int ch = 0; ch < 3; ch++) for (final float v : c.rgb().plane(ch)) assertTrue(v >= 0 && v <= 1);
		}
	}

	@Test
	void scaleOneWithoutJitterCopiesAWindow() {
		final LabelledImage src = source(50, 40);
		// at scale 1 the window is the crop; the crop must be one of the 50-16+1 × 40-16+1 windows (possibly flipped),
		// with exact pixel values when the offset lands on integers: check the label layout instead (column bands)
		final LabelledImage c = new Augmentation(16, 1, 1, 0).sample(src, new SplittableRandom(4));
		final LabelledImage whole = Augmentation.resize(src, 1);
		assertTrue(whole.rgb().sameAs(src.rgb()));
		assertArrayEquals(src.labels(), whole.labels());
		for (int y = 0; y < 16; y++) {
			for (int x = 1; x < 16; x++) {
				final int a = c.labels()[x - 1 + y * 16], b = c.labels()[x + y * 16];
				if (a >= 0 && b >= 0) assertTrue(Math.abs(a - b) <= 1);
			}
		}
	}

	@Test
	void resizeHalvesTheSize() {
		final LabelledImage small = Augmentation.resize(source(90, 70), 0.5);
		assertEquals(45, small.width());
		assertEquals(35, small.height());
	}

	@Test
	void reflect() {
		final int[] expected = { 2, 1, 0, 1, 2, 3, 2, 1, 0, 1 };
		for (int i = -2; i < 8; i++) assertEquals(expected[i + 2], FeatureTrainer.reflect(i, 4));
		assertEquals(0, FeatureTrainer.reflect(-7, 1));
		assertEquals(1, FeatureTrainer.reflect(3, 2));
	}
}
