package org.softsegments.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.softsegments.image.PlanarImage;

/** RGBA layer PNGs: 8 and 16 bits read back with their precision, straight alpha, atomic writes. */
public class RgbaLayersTest {

	@TempDir
	Path tmp;

	static final int W = 23, H = 17;

	/** Random colours and alphas, with the extremes 0 and 1 and values out of range. */
	static PlanarImage[] colourAndAlpha(final long seed) {
		final SplittableRandom rnd = new SplittableRandom(seed);
		final PlanarImage colour = PlanarImage.zeros(W, H, 3), alpha = PlanarImage.zeros(W, H, 1);
		for (final float[] p : new float[][] { colour.plane(0), colour.plane(1), colour.plane(2), alpha.plane(0) }) {
			for (int i = 0; i < p.length; i++) p[i] = (float) rnd.nextDouble();
			p[0] = 0;
			p[1] = 1;
			p[2] = -0.5f;
			p[3] = 1.5f;
		}
		return new PlanarImage[] { colour, alpha };
	}

	@Test
	public void sixteenBitLayersReadBackWithSixteenBitPrecision() throws IOException {
		final PlanarImage[] ca = colourAndAlpha(1);
		final Path f = tmp.resolve("l16.png");
		RgbaLayers.writePng(f, ca[0], ca[1].plane(0), 16);
		final BufferedImage img = ImageIO.read(f.toFile());
		assertEquals(4, img.getRaster().getNumBands());
		assertEquals(16, img.getColorModel().getComponentSize(3));
		assertTrue(img.getColorModel().hasAlpha());
		assertFalse(img.getColorModel().isAlphaPremultiplied());
		final Raster r = img.getRaster();
		int finer = 0;
		for (int y = 0; y < H; y++) {
			for (int x = 0; x < W; x++) {
				for (int b = 0; b < 4; b++) {
					final float v = b < 3 ? ca[0].get(x, y, b) : ca[1].get(x, y, 0);
					final double clamped = Math.max(0, Math.min(1, v));
					final int s = r.getSample(x, y, b);
					assertEquals(clamped, s / 65535.0, 0.5 / 65535 + 1e-9, "band " + b + " at " + x + "," + y);
					// not just 8 bits scaled up
					if (s % 257 != 0) finer++;
				}
			}
		}
		assertTrue(finer > W * H * 3, "16-bit samples that are not 8-bit values: " + finer);
	}

	@Test
	public void eightBitLayersReadBackRounded() throws IOException {
		final PlanarImage[] ca = colourAndAlpha(2);
		final Path f = tmp.resolve("l8.png");
		RgbaLayers.writePng(f, ca[0], ca[1].plane(0), 8);
		final BufferedImage img = ImageIO.read(f.toFile());
		assertEquals(8, img.getColorModel().getComponentSize(0));
		assertTrue(img.getColorModel().hasAlpha());
		for (int y = 0; y < H; y++) {
			for (int x = 0; x < W; x++) {
				final int argb = img.getRGB(x, y); // straight alpha: colour independent of alpha
				final int[] s = { argb >> 16 & 255, argb >> 8 & 255, argb & 255, argb >>> 24 };
				for (int b = 0; b < 4; b++) {
					final float v = b < 3 ? ca[0].get(x, y, b) : ca[1].get(x, y, 0);
					final long expected = Math.round(Math.max(0, Math.min(1, (double) v)) * 255);
					assertEquals(expected, s[b], "band " + b + " at " + x + "," + y);
				}
			}
		}
	}

	@Test
	public void everyLayerIsWrittenUnderItsName() throws IOException {
		final PlanarImage[] ca = colourAndAlpha(3);
		final PlanarImage layers = new PlanarImage(W, H, new float[][] { ca[1].plane(0), ca[1].plane(0).clone() });
		final List<Path> files = RgbaLayers.write(tmp, "photo", layers, new PlanarImage[] { ca[0], ca[0] }, 8);
		assertEquals(List.of(tmp.resolve("photo_layer1.png"), tmp.resolve("photo_layer2.png")), files);
		for (final Path f : files) assertTrue(Files.isRegularFile(f));
		try (var listing = Files.list(tmp)) {
			assertEquals(2, listing.count(), "no temporary files left");
		}
	}

	@Test
	public void badArgumentsAreRefusedInWords() {
		final PlanarImage[] ca = colourAndAlpha(4);
		final IllegalArgumentException bits = assertThrows(IllegalArgumentException.class, () -> RgbaLayers.writePng(tmp
			.resolve("x.png"), ca[0], ca[1].plane(0), 12));
		assertEquals("PNG layers have 8 or 16 bits, got 12", bits.getMessage());
		final IllegalArgumentException count = assertThrows(IllegalArgumentException.class, () -> RgbaLayers.write(tmp,
			"x", ca[1], new PlanarImage[] { ca[0], ca[0] }, 8));
		assertEquals("2 colour images for 1 layers", count.getMessage());
		final IllegalArgumentException size = assertThrows(IllegalArgumentException.class, () -> RgbaLayers.write(tmp,
			"x", ca[1], new PlanarImage[] { PlanarImage.zeros(W + 1, H, 3) }, 8));
		assertTrue(size.getMessage().startsWith("Every layer colour must be an RGB image of 23×17"), size.getMessage());
	}
}
