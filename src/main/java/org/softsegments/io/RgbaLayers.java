package org.softsegments.io;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.imageio.ImageIO;

import org.softsegments.image.PlanarImage;

/**
 * Soft layers as RGBA PNGs: colour F_k (e.g. from {@link org.softsegments.unmix.ColourUnmixing})
 * and alpha α_k, straight (not premultiplied) alpha, 8 or 16 bits per sample. Values are clamped
 * to [0,1] and rounded; the colours are written as they are (sRGB-encoded like the input photo),
 * so over-compositing the layers with these alphas in the stored values gives
 * {@code Σ α_k F_k}, the image, only when the alphas are first turned into stacking alphas
 * ({@link OpenRaster}); each file here holds the plain α_k. Files are written under a temporary
 * name and renamed when complete ({@link OutputFiles#writeAtomically}).
 */
public final class RgbaLayers {

	private RgbaLayers() {}

	/** The file of layer {@code k} (1-based): {@code <name>_layer<k>.png} in {@code dir} (the name of the grey mattes, which it replaces). */
	public static Path file(final Path dir, final String name, final int k) {
		return dir.resolve(name + "_layer" + k + ".png");
	}

	/**
	 * Writes every layer as {@link #file}: colour {@code colours[k]}, alpha channel {@code k} of
	 * {@code layers}. Returns the files written, in layer order.
	 *
	 * @param bits 8 or 16 bits per sample
	 */
	public static List<Path> write(final Path dir, final String name, final PlanarImage layers,
		final PlanarImage[] colours, final int bits) throws IOException
	{
		checkLayers(layers, colours);
		final List<Path> files = new ArrayList<>(colours.length);
		for (int k = 0; k < colours.length; k++) {
			final Path f = file(dir, name, k + 1);
			writePng(f, colours[k], layers.plane(k), bits);
			files.add(f);
		}
		return files;
	}

	/**
	 * One RGBA PNG: colour from the 3 channels of {@code colour}, alpha from {@code alpha} (one
	 * value per pixel).
	 *
	 * @param bits 8 or 16 bits per sample
	 */
	public static void writePng(final Path file, final PlanarImage colour, final float[] alpha, final int bits)
		throws IOException
	{
		final BufferedImage img = rgba(colour, alpha, bits);
		OutputFiles.writeAtomically(file, out -> png(img, out));
	}

	static void checkLayers(final PlanarImage layers, final PlanarImage[] colours) {
		if (layers == null || colours == null) throw new IllegalArgumentException("layers and colours must not be null");
		if (colours.length != layers.channels()) {
			throw new IllegalArgumentException(colours.length + " colour images for " + layers.channels() + " layers");
		}
		for (final PlanarImage c : colours) {
			if (c == null || c.channels() != 3 || c.width() != layers.width() || c.height() != layers.height()) {
				throw new IllegalArgumentException("Every layer colour must be an RGB image of " + layers.width() + "×" +
					layers.height() + ", got " + c);
			}
		}
	}

	static void checkBits(final int bits) {
		if (bits != 8 && bits != 16) throw new IllegalArgumentException("PNG layers have 8 or 16 bits, got " + bits);
	}

	/** An RGBA image, straight alpha, 8 or 16 bits per sample (ImageIO writes it as an RGBA PNG). */
	static BufferedImage rgba(final PlanarImage colour, final float[] alpha, final int bits) {
		checkBits(bits);
		if (colour.channels() != 3) throw new IllegalArgumentException("Layer colour needs 3 channels, got " + colour
			.channels());
		final int n = colour.pixels();
		if (alpha.length != n) throw new IllegalArgumentException("Alpha has " + alpha.length + " values for " + colour
			.width() + "×" + colour.height() + " pixels");
		final float[] r = colour.plane(0), g = colour.plane(1), b = colour.plane(2);
		final boolean wide = bits == 16;
		final int type = wide ? DataBuffer.TYPE_USHORT : DataBuffer.TYPE_BYTE;
		final ComponentColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), true, false,
			Transparency.TRANSLUCENT, type);
		final WritableRaster raster = Raster.createInterleavedRaster(type, colour.width(), colour.height(), 4, null);
		final int max = wide ? 65535 : 255;
		// one row of interleaved samples at a time; the raster stores them as bytes or shorts
		final int w = colour.width();
		final int[] row = new int[4 * w];
		for (int y = 0; y < colour.height(); y++) {
			for (int x = 0, i = y * w; x < w; x++, i++) {
				row[4 * x] = quantise(r[i], max);
				row[4 * x + 1] = quantise(g[i], max);
				row[4 * x + 2] = quantise(b[i], max);
				row[4 * x + 3] = quantise(alpha[i], max);
			}
			raster.setPixels(0, y, w, 1, row);
		}
		return new BufferedImage(cm, raster, false, null);
	}

	/** An 8-bit RGB image of a 3-channel image. */
	static BufferedImage rgb(final PlanarImage image) {
		if (image.channels() != 3) throw new IllegalArgumentException("RGB image needs 3 channels, got " + image
			.channels());
		final BufferedImage img = new BufferedImage(image.width(), image.height(), BufferedImage.TYPE_3BYTE_BGR);
		final byte[] d = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
		final float[] r = image.plane(0), g = image.plane(1), b = image.plane(2);
		for (int i = 0; i < image.pixels(); i++) {
			d[3 * i] = (byte) quantise(b[i], 255);
			d[3 * i + 1] = (byte) quantise(g[i], 255);
			d[3 * i + 2] = (byte) quantise(r[i], 255);
		}
		return img;
	}

	/** {@code v} clamped to [0,1] (NaN as 0), scaled to {@code 0…max} and rounded. */
	static int quantise(final float v, final int max) {
		final double c = v > 0 ? v < 1 ? v : 1 : 0;
		return (int) Math.round(c * max);
	}

	/** Writes {@code img} as PNG to {@code out}, which stays open. */
	static void png(final BufferedImage img, final OutputStream out) throws IOException {
		final OutputStream open = new FilterOutputStream(out) {

			@Override
			public void write(final byte[] b, final int off, final int len) throws IOException {
				out.write(b, off, len);
			}

			@Override
			public void close() throws IOException {
				flush(); // the caller closes the stream
			}
		};
		if (!ImageIO.write(img, "png", open)) throw new IOException("no PNG writer available");
	}
}
