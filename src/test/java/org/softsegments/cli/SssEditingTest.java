package org.softsegments.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.softsegments.demo.SyntheticScene;
import org.softsegments.image.PlanarImage;
import org.softsegments.io.ImageFiles;
import org.softsegments.io.SegmentsFile;

/**
 * The editing workflow on the command line: {@code --scribbles}, {@code --keep-segments} /
 * {@code --from-segments}, {@code --rgba} and {@code --ora}, end to end on a synthetic scene, and
 * the refusals of bad strokes and mismatched segments.
 */
class SssEditingTest {

	private static final int W = 96, H = 72;

	/** A label image: a stroke of label k+1 inside shape k (α = 1) and label 4 in the background. */
	private static void writeStrokes(final Path file, final SyntheticScene scene, final int extraLabel) throws Exception {
		final float[][] a = scene.alphas();
		final float[] labels = new float[W * H];
		for (int k = 0; k <= a.length; k++) {
			int put = 0;
			for (int i = 0; i < W * H && put < 12; i++) {
				float v;
				if (k < a.length) v = a[k][i];
				else {
					v = 1;
					for (final float[] l : a) v -= l[i];
				}
				if (v > 0.999 && i % W > 2 && i % W < W - 3) {
					labels[i] = (k + 1) / 255f;
					put++;
				}
			}
		}
		if (extraLabel > 0) labels[0] = extraLabel / 255f;
		ImageFiles.writePng(new PlanarImage(W, H, new float[][] { labels }), file);
	}

	@Test
	void strokesKeptSegmentsRgbaAndOpenRasterEndToEnd(@TempDir final Path tmp) throws Exception {
		final Path photo = tmp.resolve("scene.png"), strokes = tmp.resolve("strokes.png");
		final SyntheticScene scene = SyntheticScene.create(W, H, 2, 4);
		ImageFiles.writePng(scene.image(), photo);
		writeStrokes(strokes, scene, 0);
		final Path first = tmp.resolve("first"), again = tmp.resolve("again");
		final Sss r = Sss.run(photo.toString(), "--out", first.toString(), "--scribbles", strokes.toString(), "--keep-segments",
			"--rgba", "16", "--ora", "--progress", "none");
		assertEquals(0, r.exitCode, r.toString());
		assertTrue(r.out.contains("(4 layers"), r.out);
		for (int k = 1; k <= 4; k++) {
			final BufferedImage png = ImageIO.read(first.resolve("scene_layer" + k + ".png").toFile());
			assertEquals(4, png.getRaster().getNumBands(), "RGBA");
			assertEquals(16, png.getColorModel().getComponentSize(0), "16 bits per sample");
		}
		assertTrue(Files.isRegularFile(first.resolve("scene.ora")));
		assertTrue(Files.isRegularFile(first.resolve("scene" + SegmentsFile.SUFFIX)));
		// regrouping from the kept segments with the same strokes gives the same layers, bit for bit
		final Sss re = Sss.run(photo.toString(), "--out", again.toString(), "--from-segments", first.toString(), "--scribbles",
			strokes.toString(), "--rgba", "16", "--progress", "none", "--threads", "1");
		assertEquals(0, re.exitCode, re.toString());
		for (int k = 1; k <= 4; k++) {
			assertArrayEquals(Files.readAllBytes(first.resolve("scene_layer" + k + ".png")),
				Files.readAllBytes(again.resolve("scene_layer" + k + ".png")), "layer " + k);
		}
		// and -k regroups automatically
		final Sss three = Sss.run(photo.toString(), "--out", tmp.resolve("three").toString(), "--from-segments",
			first.resolve("scene" + SegmentsFile.SUFFIX).toString(), "-k", "3", "--progress", "none");
		assertEquals(0, three.exitCode, three.toString());
		assertTrue(three.out.contains("(3 layers"), three.out);
	}

	@Test
	void badStrokesAndSegmentsAreRefusedInTheOptionsWords(@TempDir final Path tmp) throws Exception {
		final Path photo = tmp.resolve("scene.png");
		final SyntheticScene scene = SyntheticScene.create(W, H, 2, 4);
		ImageFiles.writePng(scene.image(), photo);
		final Path high = tmp.resolve("high.png");
		writeStrokes(high, scene, 65);
		assertFails(tmp, "Stroke label 65 at pixel (0, 0) is outside 0 (no stroke) to 64", photo, "--scribbles", high.toString());
		final Path empty = tmp.resolve("empty.png");
		ImageFiles.writePng(new PlanarImage(W, H, new float[][] { new float[W * H] }), empty);
		assertFails(tmp, "The strokes are empty", photo, "--scribbles", empty.toString());
		final Path small = tmp.resolve("small.png");
		final float[] two = new float[W * H / 4];
		two[0] = 1 / 255f;
		two[1] = 2 / 255f;
		ImageFiles.writePng(new PlanarImage(W / 2, H / 2, new float[][] { two }), small);
		assertFails(tmp, "the stroke image is 48×36 but scene.png is 96×72", photo, "--scribbles", small.toString());
		final Path colour = tmp.resolve("colour.png");
		ImageFiles.writePng(scene.image(), colour);
		assertFails(tmp, "is a colour image", photo, "--scribbles", colour.toString());
		// a JPEG would make labels of its compression artefacts
		final Path jpeg = tmp.resolve("strokes.jpg");
		final BufferedImage grey = new BufferedImage(W, H, BufferedImage.TYPE_BYTE_GRAY);
		grey.getRaster().setSample(3, 3, 0, 1);
		grey.getRaster().setSample(40, 20, 0, 2);
		assertTrue(ImageIO.write(grey, "jpg", jpeg.toFile()));
		assertFails(tmp, "is a JPEG: its lossy compression changes the labels near every stroke; save the label image as " +
			"PNG or TIFF", photo, "--scribbles", jpeg.toString());
		// segments of another photo
		final Path other = tmp.resolve("other.png"), kept = tmp.resolve("kept");
		ImageFiles.writePng(SyntheticScene.create(W, H, 2, 5).image(), other);
		assertEquals(0, Sss.run(other.toString(), "--out", kept.toString(), "--keep-segments", "--progress", "none").exitCode);
		assertFails(tmp, "computed from another image", photo, "--from-segments", kept.resolve("other" + SegmentsFile.SUFFIX).toString());
		assertFails(tmp, "no segments file scene" + SegmentsFile.SUFFIX, photo, "--from-segments", kept.toString());
		// usage errors: exit 2 before any work
		assertUsage(tmp, "--superpixels does not apply with --from-segments", photo, "--from-segments", kept.toString(),
			"--superpixels", "100");
		assertUsage(tmp, "--rgba takes 8 or 16", photo, "--rgba", "12");
		assertUsage(tmp, "--mattes and --rgba both write", photo, "--rgba", "--mattes");
		assertUsage(tmp, "--scribbles FILE applies to a single INPUT", photo, other, "--scribbles", high.toString());
	}

	private static void assertFails(final Path tmp, final String message, final Object... args) throws Exception {
		final Path out = tmp.resolve("out-" + Math.abs(message.hashCode()));
		final Sss r = Sss.run(command(out, args));
		assertEquals(1, r.exitCode, r.toString());
		assertTrue(r.err.contains(message), r.toString());
		assertFalse(Files.exists(out) && hasFiles(out), "nothing written: " + r);
	}

	private static void assertUsage(final Path tmp, final String message, final Object... args) throws Exception {
		final Path out = tmp.resolve("usage-" + Math.abs(message.hashCode()));
		final Sss r = Sss.run(command(out, args));
		assertEquals(2, r.exitCode, r.toString());
		assertTrue(r.err.contains(message), r.toString());
		assertFalse(Files.exists(out) && hasFiles(out), "nothing written: " + r);
	}

	private static String[] command(final Path out, final Object... args) {
		final List<String> a = new java.util.ArrayList<>();
		for (final Object o : args) a.add(o.toString());
		a.addAll(List.of("--out", out.toString(), "--progress", "none"));
		return a.toArray(new String[0]);
	}

	private static boolean hasFiles(final Path dir) throws Exception {
		try (Stream<Path> s = Files.list(dir)) {
			return s.findAny().isPresent();
		}
	}
}
