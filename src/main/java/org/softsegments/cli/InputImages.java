package org.softsegments.cli;

import java.io.IOException;
import java.io.InputStream;
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
import org.softsegments.io.OutputFiles;

/**
 * Reads input and feature images for the command line as {@link PlanarImage}s. PNG, JPEG,
 * BMP and GIF go through {@link ImageFiles} (values scaled to [0,1]; JPEGs turned upright by
 * their EXIF orientation); TIFF (told by content, not by name) goes through ImageJ 1.x, so 8/16/32-bit, RGB and multi-channel (e.g. 32-bit raw feature) TIFFs work:
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
		if (isTiff(file)) return readTiff(file, feature);
		try {
			return ImageFiles.read(file); // its IOException names the file and says what is wrong
		}
		catch (final RuntimeException e) { // a damaged file can break a decoder in other ways
			throw new IOException(corrupt(file, "", message(e)), e);
		}
	}

	/**
	 * The size {width, height} of an image as it will be read (EXIF orientation applied), from its
	 * header: nothing is decoded, so a size can be refused before any work. Failures as the
	 * readers'.
	 */
	public static int[] size(final Path file) throws IOException {
		if (!Files.isRegularFile(file)) throw new IOException("Not a file: " + file);
		if (isTiff(file)) {
			final FileInfo fi = tiffInfo(file)[0];
			return new int[] { fi.width, fi.height };
		}
		try {
			final int[] wh = ImageFiles.size(file);
			return ImageFiles.exifOrientation(file) >= 5 ? new int[] { wh[1], wh[0] } : wh;
		}
		catch (final RuntimeException e) {
			throw new IOException(corrupt(file, "", message(e)), e);
		}
	}

	/**
	 * TIFF by content, whatever the name ("II*\0" or "MM\0*"): ImageJ reads those; the other
	 * formats go through {@link ImageFiles}, which also tells them by content.
	 */
	private static boolean isTiff(final Path file) throws IOException {
		final byte[] h = new byte[4];
		final int n;
		try (InputStream in = Files.newInputStream(file)) {
			n = in.readNBytes(h, 0, 4);
		}
		catch (final IOException e) {
			throw new IOException("Cannot read " + file + ": " + OutputFiles.reason(e), e);
		}
		return n == 4 && (h[0] == 'I' && h[1] == 'I' && h[2] == 42 && h[3] == 0 || h[0] == 'M' && h[1] == 'M' &&
			h[2] == 0 && h[3] == 42);
	}

	/**
	 * The TIFF's image directories, checked before ImageJ allocates anything: a size that cannot
	 * be held, or uncompressed pixel data beyond the end of the file, is refused in words.
	 */
	private static FileInfo[] tiffInfo(final Path file) throws IOException {
		final Path abs = file.toAbsolutePath();
		final String dir = abs.getParent().toString() + java.io.File.separator, name = abs.getFileName().toString();
		final FileInfo[] info;
		try {
			info = new TiffDecoder(dir, name).getTiffInfo();
		}
		catch (final IOException | RuntimeException e) {
			throw new IOException(notTiff(file, message(e)), e);
		}
		if (info == null || info.length == 0 || info[0] == null) throw new IOException(notTiff(file, "no image directory"));
		final FileInfo fi = info[0];
		if (fi.width <= 0 || fi.height <= 0) throw new IOException(notTiff(file, "a size of " + fi.width + "×" + fi.height));
		final long pixels = (long) fi.width * fi.height;
		if (pixels > ImageFiles.MAX_PIXELS) {
			throw new ImageFiles.ImageSizeException(file + " declares " + fi.width + "×" + fi.height + " pixels (" +
				pixels / 1_000_000 + " megapixels), more than this program can hold (" + ImageFiles.MAX_PIXELS /
					1_000_000 + " megapixels); downscale the image");
		}
		long planes = 0;
		for (final FileInfo f : info) planes += f == null ? 0 : Math.max(1, f.nImages);
		final long size = Files.size(file);
		if (fi.compression == FileInfo.COMPRESSION_NONE && fi.offset >= 0 && fi.getBytesPerPixel() > 0 &&
			fi.offset + pixels * fi.getBytesPerPixel() > size)
		{
			throw new IOException(notTiff(file, "its pixel data would end at byte " + (fi.offset + pixels * fi
				.getBytesPerPixel()) + ", but the file has " + size + " bytes"));
		}
		if (planes * pixels > Integer.MAX_VALUE) {
			throw new ImageFiles.ImageSizeException(file + " declares " + planes + " planes of " + fi.width + "×" +
				fi.height + " pixels, more than this program can hold; the command line takes single images");
		}
		// ImageJ's planes (up to 4 bytes a pixel) and the float planes made of them
		ImageFiles.checkMemory(file, planes * pixels * 8, planes + " plane(s) of " + fi.width + "×" + fi.height +
			" pixels");
		return info;
	}

	private static String notTiff(final Path file, final String detail) {
		return corrupt(file, "TIFF ", detail);
	}

	/** "Cannot read FILE: the [FORMAT ]file is truncated or corrupt (DETAIL); accepted formats: …". */
	private static String corrupt(final Path file, final String format, final String detail) {
		return "Cannot read " + file + ": the " + format + "file is truncated or corrupt (" + detail + "); accepted formats: " +
			ImageFiles.FORMATS;
	}

	private static PlanarImage readTiff(final Path file, final boolean feature) throws IOException {
		final Path abs = file.toAbsolutePath();
		final String dir = abs.getParent().toString() + java.io.File.separator, name = abs.getFileName().toString();
		tiffInfo(file);
		final ImagePlus imp;
		try {
			imp = new Opener().openTiff(dir, name);
		}
		catch (final RuntimeException e) {
			throw new IOException(notTiff(file, message(e)), e);
		}
		if (imp == null) throw new IOException(notTiff(file, "ImageJ could not open it"));
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

	/** A decoder's failure in words ({@link OutputFiles#reason}: internal errors become "invalid data"). */
	private static String message(final Throwable e) {
		return OutputFiles.reason(e);
	}
}
