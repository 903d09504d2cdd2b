package org.softsegments.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import ij.ImagePlus;
import ij.ImageStack;
import ij.io.FileInfo;
import ij.io.Opener;
import ij.io.TiffDecoder;
import ij.process.ColorProcessor;
import ij.process.ImageProcessor;

import org.softsegments.image.PlanarImage;
import org.softsegments.io.ImageFiles;

/**
 * Reads input and feature images for the command line as {@link PlanarImage}s. PNG, JPEG,
 * BMP and GIF go through {@link ImageFiles} (values scaled to [0,1]); TIFF goes through
 * ImageJ 1.x, so 8/16/32-bit, RGB and multi-channel (e.g. 32-bit raw feature) TIFFs work:
 * 8-bit values are divided by 255, 16-bit by 65535, 32-bit are used as stored, RGB gives 3
 * channels. A TIFF's channels (C, with Z = T = 1) become the image's channels; for feature
 * images every plane of a plain stack counts as a channel. Any failure is an
 * {@link IOException} whose message names the file.
 */
public final class InputImages {

	private InputImages() {}

	/** Reads an input photograph (1 or 3 channels are accepted by the engine). */
	public static PlanarImage readImage(final Path file) throws IOException {
		return read(file, false);
	}

	/** Reads a feature image (3 channels, or more raw feature channels). */
	public static PlanarImage readFeatures(final Path file) throws IOException {
		return read(file, true);
	}

	private static PlanarImage read(final Path file, final boolean feature) throws IOException {
		if (!Files.isRegularFile(file)) throw new IOException("Not a file: " + file);
		final String ext = InputCollection.extension(file.getFileName().toString());
		if (ext.equals("tif") || ext.equals("tiff")) return readTiff(file, feature);
		try {
			return ImageFiles.read(file); // its IOException names the file and the accepted formats
		}
		catch (final RuntimeException e) { // a damaged file can break a decoder in other ways
			throw new IOException("cannot read " + file + ": " + message(e), e);
		}
	}

	private static PlanarImage readTiff(final Path file, final boolean feature) throws IOException {
		final Path abs = file.toAbsolutePath();
		final String dir = abs.getParent().toString() + java.io.File.separator, name = abs.getFileName().toString();
		final ImagePlus imp;
		try {
			final FileInfo[] info = new TiffDecoder(dir, name).getTiffInfo();
			if (info == null || info.length == 0) throw new IOException("no TIFF image directory");
			imp = new Opener().openTiff(dir, name);
		}
		catch (final IOException | RuntimeException e) {
			throw new IOException("cannot read " + file + " as a TIFF image: " + message(e), e);
		}
		if (imp == null) throw new IOException("cannot read " + file + " as a TIFF image");
		return toPlanar(imp, feature, file);
	}

	/** Converts an ImagePlus (see the class description for the accepted layouts). */
	static PlanarImage toPlanar(final ImagePlus imp, final boolean feature, final Path file) throws IOException {
		final int w = imp.getWidth(), h = imp.getHeight();
		final ImageStack stack = imp.getStack();
		final int planes = stack.getSize();
		if (imp.getBitDepth() == 24) {
			if (planes != 1) {
				throw new IOException(file + " is an RGB stack of " + planes + " planes; the command line takes " +
					"single images (use the Fiji command for stacks)");
			}
			final int[] rgb = (int[]) ((ColorProcessor) stack.getProcessor(1)).getPixels();
			final float[][] out = new float[3][w * h];
			for (int i = 0; i < rgb.length; i++) {
				out[0][i] = ((rgb[i] >> 16) & 255) / 255f;
				out[1][i] = ((rgb[i] >> 8) & 255) / 255f;
				out[2][i] = (rgb[i] & 255) / 255f;
			}
			return new PlanarImage(w, h, out);
		}
		if (!feature && imp.getNChannels() != planes) {
			throw new IOException(file + " has " + imp.getNChannels() + " channel(s), " + imp.getNSlices() +
				" slice(s) and " + imp.getNFrames() + " frame(s); the command line takes single images with 1 or 3 " +
				"channels (use the Fiji command for Z or T stacks)");
		}
		final double scale = imp.getBitDepth() == 8 ? 1.0 / 255 : imp.getBitDepth() == 16 ? 1.0 / 65535 : 1;
		final float[][] out = new float[planes][w * h];
		for (int c = 0; c < planes; c++) {
			final ImageProcessor ip = stack.getProcessor(c + 1);
			for (int i = 0; i < w * h; i++) out[c][i] = (float) (ip.getf(i) * scale);
		}
		return new PlanarImage(w, h, out);
	}

	private static String message(final Throwable e) {
		return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
	}
}
