package org.softsegments.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.softsegments.core.Progress;
import org.softsegments.demo.SyntheticScene;
import org.softsegments.image.PlanarImage;
import org.softsegments.io.SegmentsFile;

/**
 * Scribble-guided runs and regrouping on the synthetic scene, whose true layers are known: strokes
 * give one layer per shape, regrouping from kept (and saved) segments equals a full run bit for bit,
 * and bad strokes or segments of another image are refused in words.
 */
class StrokesAndRegroupTest {

	private static final int W = 160, H = 120;
	private static SyntheticScene scene;
	private static StrokeLabels strokes;
	private static SegmentationResult withStrokes;

	/** A 9×3 stroke in the middle of each shape (label k + 1) and two in the background (label 4). */
	static StrokeLabels sceneStrokes(final SyntheticScene scene) {
		final int w = scene.image().width(), h = scene.image().height();
		final int[] labels = new int[w * h];
		final float[][] a = scene.alphas();
		for (int k = 0; k <= a.length; k++) {
			// the pixel deepest inside the layer: the first in scan order with α = 1 whose 9×3 box is all inside
			int placed = 0;
			for (int y = 2; y < h - 2 && placed < (k == a.length ? 2 : 1); y += 7) {
				for (int x = 5; x < w - 5 && placed < (k == a.length ? 2 : 1); x += 11) {
					boolean inside = true;
					for (int dy = -1; dy <= 1 && inside; dy++) {
						for (int dx = -4; dx <= 4 && inside; dx++) inside = alpha(a, k, (y + dy) * w + x + dx) > 0.999;
					}
					if (!inside) continue;
					for (int dy = -1; dy <= 1; dy++) for (int dx = -4; dx <= 4; dx++) labels[(y + dy) * w + x + dx] = k + 1;
					placed++;
					x += 40;
				}
			}
		}
		return new StrokeLabels(w, h, labels);
	}

	private static float alpha(final float[][] a, final int k, final int i) {
		if (k < a.length) return a[k][i];
		float s = 0;
		for (final float[] l : a) s += l[i];
		return 1 - s;
	}

	@BeforeAll
	static void run() {
		scene = SyntheticScene.create(W, H, 3, 7);
		strokes = sceneStrokes(scene);
		withStrokes = SemanticSoftSegmentation.run(scene.image(), null, strokes, settings(), Progress.NONE, true);
	}

	private static Settings settings() {
		final Settings s = new Settings();
		s.threads = 2;
		s.seed = 3;
		return s;
	}

	@Test
	void strokesGiveOneLayerPerLabelThatMatchesItsShape() {
		assertEquals(4, strokes.layers());
		final PlanarImage layers = withStrokes.layers();
		assertEquals(4, layers.channels());
		final float[][] a = scene.alphas();
		for (int k = 0; k <= a.length; k++) {
			final float[] layer = layers.plane(k);
			double inter = 0, union = 0;
			for (int i = 0; i < W * H; i++) {
				inter += Math.min(layer[i], alpha(a, k, i));
				union += Math.max(layer[i], alpha(a, k, i));
			}
			final double iou = inter / union;
			assertTrue(iou > 0.9, "layer " + (k + 1) + " soft IoU with its shape " + iou);
		}
	}

	/**
	 * A background stroke drawn inside shape 1 (a segment the other strokes put whole in layer 1)
	 * takes the pixels under it to the background layer; the rest of the shape stays in layer 1.
	 */
	@Test
	void aStrokeInsideAnotherLayersSegmentHoldsItsPixels() {
		final float[][] a = scene.alphas();
		final int[] labels = new int[W * H];
		final int[] original = strokes.labels();
		System.arraycopy(original, 0, labels, 0, labels.length);
		int centre = -1;
		for (int y = H - 4; y >= 3 && centre < 0; y--) {
			for (int x = 3; x < W - 3 && centre < 0; x++) {
				boolean inside = true;
				for (int dy = -3; dy <= 3 && inside; dy++) {
					for (int dx = -3; dx <= 3 && inside; dx++) {
						final int i = (y + dy) * W + x + dx;
						inside = a[0][i] > 0.999 && original[i] == 0;
					}
				}
				if (inside) centre = y * W + x;
			}
		}
		assertTrue(centre >= 0, "no 7×7 stroke-free box inside shape 1");
		for (int dy = -1; dy <= 1; dy++) for (int dx = -1; dx <= 1; dx++) labels[centre + dy * W + dx] = 4;
		final PlanarImage layers = SemanticSoftSegmentation.regroup(scene.image(), withStrokes.softSegments(), 4,
			new StrokeLabels(W, H, labels), 2, Progress.NONE).layers();
		assertTrue(withStrokes.layers().plane(3)[centre] < 0.1, "without it the pixel is shape 1's");
		assertTrue(layers.plane(3)[centre] > 0.5, "background layer under the stroke: " + layers.plane(3)[centre]);
		double inShape = 0, area = 0;
		for (int i = 0; i < W * H; i++) {
			if (a[0][i] > 0.999) {
				inShape += layers.plane(0)[i];
				area++;
			}
		}
		assertTrue(inShape / area > 0.9, "shape 1 keeps layer 1: mean " + inShape / area);
	}

	@Test
	void regroupingTheKeptSegmentsEqualsTheFullRun(@TempDir final Path dir) throws Exception {
		final SoftSegments soft = withStrokes.softSegments();
		final SegmentationResult again = SemanticSoftSegmentation.regroup(scene.image(), soft, 5, strokes, 1, Progress.NONE);
		for (int k = 0; k < 4; k++) assertArrayEquals(withStrokes.layers().plane(k), again.layers().plane(k));
		assertEquals(withStrokes.notes(), again.notes());
		// through the file
		final Path file = dir.resolve("scene" + SegmentsFile.SUFFIX);
		SegmentsFile.write(soft, file);
		final SoftSegments read = SegmentsFile.read(file);
		final SegmentationResult fromFile = SemanticSoftSegmentation.regroup(scene.image(), read, 5, strokes, 2, Progress.NONE);
		for (int k = 0; k < 4; k++) assertArrayEquals(withStrokes.layers().plane(k), fromFile.layers().plane(k));
		// automatic grouping with 3 layers: as a full run with 3 layers
		final Settings three = settings();
		three.layers = 3;
		final SegmentationResult full3 = SemanticSoftSegmentation.run(scene.image(), null, three, Progress.NONE, false);
		final SegmentationResult re3 = SemanticSoftSegmentation.regroup(scene.image(), read, 3, null, 0, Progress.NONE);
		assertEquals(3, re3.layerCount());
		for (int k = 0; k < 3; k++) assertArrayEquals(full3.layers().plane(k), re3.layers().plane(k));
	}

	@Test
	void segmentsOfAnotherImageAndStrokesOfAnotherSizeAreRefused() {
		final SoftSegments soft = withStrokes.softSegments();
		final PlanarImage other = SyntheticScene.create(W, H, 3, 8).image();
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
			() -> SemanticSoftSegmentation.regroup(other, soft, 4, null, 1, Progress.NONE));
		assertTrue(e.getMessage().contains("another image"), e.getMessage());
	}

	@Test
	void coverageIsTheAreaFractionOfEachLabelAtTheWorkingSize() {
		// 4×2 labels shrunk to 2×1: each output pixel averages a 2×2 block
		final StrokeLabels small = new StrokeLabels(4, 2, new int[] { 1, 0, 2, 2, 1, 3, 0, 2 });
		final PlanarImage c = small.coverage(2, 1);
		assertEquals(3, c.channels());
		assertArrayEquals(new float[] { 0.5f, 0 }, c.plane(0));
		assertArrayEquals(new float[] { 0, 0.75f }, c.plane(1));
		assertArrayEquals(new float[] { 0.25f, 0 }, c.plane(2));
		// at the labels' own size: the indicator of each label
		assertArrayEquals(new float[] { 0, 0, 1, 1, 0, 0, 0, 1 }, small.coverage(4, 2).plane(1));
	}

	@Test
	void badStrokeLabelsAreExplained() {
		final int[] none = new int[16];
		assertTrue(assertThrows(IllegalArgumentException.class, () -> new StrokeLabels(4, 4, none)).getMessage().contains("empty"));
		final int[] big = new int[16];
		big[3] = 65;
		assertTrue(assertThrows(IllegalArgumentException.class, () -> new StrokeLabels(4, 4, big)).getMessage()
			.contains("Stroke label 65 at pixel (3, 0) is outside 0 (no stroke) to 64"));
		final int[] gap = new int[16];
		gap[0] = 1;
		gap[1] = 3;
		assertTrue(assertThrows(IllegalArgumentException.class, () -> new StrokeLabels(4, 4, gap)).getMessage()
			.contains("Layer 2 has no strokes"));
		final int[] one = new int[16];
		one[5] = 1;
		assertTrue(assertThrows(IllegalArgumentException.class, () -> new StrokeLabels(4, 4, one)).getMessage()
			.contains("at least two layers"));
		final int[] ok = new int[W / 2 * (H / 2)];
		ok[0] = 1;
		ok[1] = 2;
		final StrokeLabels small = new StrokeLabels(W / 2, H / 2, ok);
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
			() -> SemanticSoftSegmentation.run(scene.image(), null, small, settings(), Progress.NONE, false));
		assertTrue(e.getMessage().contains("The strokes are 80×60 pixels but the image is 160×120"), e.getMessage());
	}

	@Test
	void aSegmentsFileThatIsNotOneOrIsTruncatedIsRefusedInWords(@TempDir final Path dir) throws Exception {
		final Path file = dir.resolve("s" + SegmentsFile.SUFFIX);
		SegmentsFile.write(withStrokes.softSegments(), file);
		final byte[] bytes = Files.readAllBytes(file);
		final Path cut = dir.resolve("cut" + SegmentsFile.SUFFIX);
		Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length / 2));
		assertTrue(assertThrows(java.io.IOException.class, () -> SegmentsFile.read(cut)).getMessage().contains("truncated"));
		final Path png = dir.resolve("x.png");
		Files.write(png, new byte[] { (byte) 0x89, 'P', 'N', 'G', 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13 });
		assertTrue(assertThrows(java.io.IOException.class, () -> SegmentsFile.read(png)).getMessage().contains("is not a segments file"));
	}
}
