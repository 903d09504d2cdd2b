package org.softsegments.io;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import javax.imageio.ImageIO;

import org.softsegments.image.PlanarImage;

/**
 * Reading and writing 8/16-bit PNG/JPEG images as {@link PlanarImage}s with values in [0,1]
 * (javax.imageio; no ImageJ). Writes go to a temporary file that is renamed when complete, so
 * a half-written output never appears under the final name.
 */
public final class ImageFiles {

	private ImageFiles() {}

	/** Reads an image; grey images give 1 channel, colour 3 (alpha dropped). */
	public static PlanarImage read(final Path file) throws IOException {
		final BufferedImage img = ImageIO.read(file.toFile());
		if (img == null) throw new IOException("Not a readable image (PNG, JPEG, BMP, GIF accepted): " + file);
		final Raster r = img.getRaster();
		final int w = img.getWidth(), h = img.getHeight();
		final int bands = r.getNumBands();
		final boolean grey = bands <= 2 && img.getColorModel().getColorSpace().getNumComponents() == 1;
		final int bits = img.getColorModel().getComponentSize(0);
		final double scale = 1.0 / ((1L << bits) - 1);
		final int channels = grey ? 1 : 3;
		final float[][] planes = new float[channels][w * h];
		if (grey || bits > 8) {
			for (int c = 0; c < channels; c++) {
				for (int y = 0; y < h; y++) {
					for (int x = 0; x < w; x++) planes[c][x + y * w] = (float) (r.getSample(x, y, c) * scale);
				}
			}
		}
		else {
			for (int y = 0; y < h; y++) {
				for (int x = 0; x < w; x++) {
					final int rgb = img.getRGB(x, y);
					planes[0][x + y * w] = ((rgb >> 16) & 255) / 255f;
					planes[1][x + y * w] = ((rgb >> 8) & 255) / 255f;
					planes[2][x + y * w] = (rgb & 255) / 255f;
				}
			}
		}
		return new PlanarImage(w, h, planes);
	}

	/** 8-bit PNG of a 1- or 3-channel image, values clamped to [0,1] and rounded. */
	public static void writePng(final PlanarImage image, final Path file) throws IOException {
		final int w = image.width(), h = image.height();
		final boolean grey = image.channels() == 1;
		if (!grey && image.channels() != 3) {
			throw new IllegalArgumentException("PNG output needs 1 or 3 channels, got " + image.channels());
		}
		final BufferedImage img = new BufferedImage(w, h, grey ? BufferedImage.TYPE_BYTE_GRAY :
			BufferedImage.TYPE_INT_RGB);
		final WritableRaster r = img.getRaster();
		for (int c = 0; c < image.channels(); c++) {
			final float[] p = image.plane(c);
			for (int y = 0; y < h; y++) {
				for (int x = 0; x < w; x++) r.setSample(x, y, c, to8(p[x + y * w]));
			}
		}
		writeAtomically(img, file);
	}

	private static int to8(final float v) {
		final float c = v < 0 ? 0 : v > 1 ? 1 : v;
		return Math.round(c * 255);
	}

	private static void writeAtomically(final BufferedImage img, final Path file) throws IOException {
		final Path parent = file.toAbsolutePath().getParent();
		Files.createDirectories(parent);
		final Path tmp = Files.createTempFile(parent, "." + file.getFileName(), ".part");
		try {
			if (!ImageIO.write(img, "png", tmp.toFile())) throw new IOException("No PNG writer available");
			Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		}
		finally {
			Files.deleteIfExists(tmp);
		}
	}
}
