package org.softsegments.io;

import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

import javax.imageio.IIOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

import org.softsegments.image.PlanarImage;

/**
 * Reading and writing 8/16-bit images as {@link PlanarImage}s with values in [0,1]
 * (javax.imageio; no ImageJ). A JPEG's EXIF orientation is applied, so the image comes upright as
 * photo viewers show it. Writes go to a temporary file that is renamed when complete, so a
 * half-written output never appears under the final name.
 */
public final class ImageFiles {

	private ImageFiles() {}

	/**
	 * The image formats read ({@link #read}; the command line reads TIFF through ImageJ, with the
	 * same formats): the one list every message and help text shows.
	 */
	public static final String FORMATS = "PNG, JPEG, BMP, GIF, TIFF";
	/** File name extensions (lower case) of {@link #FORMATS}, as folders are searched for images. */
	public static final List<String> EXTENSIONS = List.of("png", "jpg", "jpeg", "bmp", "gif", "tif", "tiff");
	/** Most pixels an image may have: every plane is one Java array. */
	public static final long MAX_PIXELS = Integer.MAX_VALUE - 8;

	/**
	 * Reads an image; grey images give 1 channel, colour 3 (alpha dropped); a JPEG is turned
	 * upright by its EXIF orientation ({@link #exifOrientation}). Every failure is an
	 * {@link IOException} that names the file and says what is wrong in words.
	 */
	public static PlanarImage read(final Path file) throws IOException {
		return orient(planes(decode(file)), exifOrientation(file));
	}

	/** A label image: one integer per pixel, row-major. */
	public record Labels(int width, int height, int[] values) {}

	/**
	 * Reads a label image (e.g. the strokes of {@code --scribbles}): a grey image (8 or 16 bits)
	 * whose values are the labels, or an indexed-colour image whose palette indices are; upright
	 * by its EXIF orientation like {@link #read}. A colour image is refused in words, since its
	 * values are not labels, and so is a JPEG: its lossy compression changes the values near every
	 * edge, which would add labels that nobody drew.
	 */
	public static Labels readLabels(final Path file) throws IOException {
		if (open(file, (reader, format) -> format).equals("JPEG")) {
			throw new IOException(file + " is a JPEG: its lossy compression changes the labels near every stroke; save " +
				"the label image as PNG or TIFF");
		}
		final BufferedImage img = decode(file);
		final int w = img.getWidth(), h = img.getHeight();
		final java.awt.image.Raster r = img.getRaster();
		final boolean indexed = img.getColorModel() instanceof java.awt.image.IndexColorModel;
		if (r.getNumBands() != 1 && !indexed) {
			throw new IOException(file + " is a colour image with " + r.getNumBands() + " channels; a label image must be "
				+ "grey (8 or 16 bits) or indexed colour, with the label of each pixel as its value (0 = none)");
		}
		final int[] values = new int[w * h];
		r.getSamples(0, 0, w, h, 0, values);
		final int o = exifOrientation(file);
		if (o == 1) return new Labels(w, h, values);
		// orient through the float path (exact for values below 2^24)
		final float[] f = new float[values.length];
		for (int i = 0; i < f.length; i++) f[i] = values[i];
		final PlanarImage turned = orient(new PlanarImage(w, h, new float[][] { f }), o);
		final int[] out = new int[f.length];
		final float[] t = turned.plane(0);
		for (int i = 0; i < out.length; i++) out[i] = (int) t[i];
		return new Labels(turned.width(), turned.height(), out);
	}

	/**
	 * The stored size {width, height} of an image file, from its header (no pixels are decoded),
	 * before any EXIF orientation (which may swap them). Failures as {@link #read}.
	 */
	public static int[] size(final Path file) throws IOException {
		return open(file, (reader, format) -> new int[] { reader.getWidth(0), reader.getHeight(0) });
	}

	private interface ReaderJob<T> {

		T run(ImageReader reader, String format) throws IOException;
	}

	private static BufferedImage decode(final Path file) throws IOException {
		return open(file, (reader, format) -> {
			final int w = reader.getWidth(0), h = reader.getHeight(0);
			checkSize(file, format, w, h);
			final String[] truncated = new String[1];
			reader.addIIOReadWarningListener((source, warning) -> {
				// the JPEG decoder fills a truncated file with grey and only warns
				if (warning != null && warning.toLowerCase(Locale.ROOT).contains("premature end")) truncated[0] = warning;
			});
			final BufferedImage img = reader.read(0);
			if (truncated[0] != null) throw new IIOException(truncated[0]);
			if (img == null || img.getWidth() != w || img.getHeight() != h) throw new IIOException("no image decoded");
			return img;
		});
	}

	/** Opens {@code file} with the ImageIO reader its content asks for, and runs {@code job} on it. */
	private static <T> T open(final Path file, final ReaderJob<T> job) throws IOException {
		if (!Files.isRegularFile(file)) throw new IOException("Not a file: " + file);
		final long bytes;
		try {
			bytes = Files.size(file);
		}
		catch (final IOException e) {
			throw new IOException("Cannot read " + file + ": " + OutputFiles.reason(e), e);
		}
		if (bytes == 0) throw new IOException("Not a readable image: " + file + " is empty (0 bytes)");
		try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
			if (in == null) throw new IOException("Cannot read " + file + ": the file cannot be opened");
			final Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
			if (!readers.hasNext()) {
				throw new IOException("Not a readable image: " + file + " is not in one of the accepted formats (" +
					FORMATS + ")");
			}
			final ImageReader reader = readers.next();
			String format;
			try {
				format = reader.getFormatName().toUpperCase(Locale.ROOT);
			}
			catch (final IOException | RuntimeException e) {
				format = "image";
			}
			if (format.equals("TIF")) format = "TIFF";
			try {
				reader.setInput(in, true, true);
				return job.run(reader, format);
			}
			catch (final ImageSizeException e) {
				throw e;
			}
			catch (final IOException | RuntimeException e) {
				throw corrupt(file, format, e);
			}
			finally {
				reader.dispose();
			}
		}
	}

	/** An image whose declared size cannot be held: not a damaged file, a too large one. */
	public static final class ImageSizeException extends IOException {

		private static final long serialVersionUID = 1L;

		public ImageSizeException(final String message) {
			super(message);
		}
	}

	/** Refuses sizes no decoder should try: non-positive, or more pixels than one array holds. */
	private static void checkSize(final Path file, final String format, final int w, final int h)
		throws IOException
	{
		if (w <= 0 || h <= 0) throw new IIOException("the header declares a size of " + w + "×" + h);
		if ((long) w * h > MAX_PIXELS) {
			throw new ImageSizeException(file + " declares " + w + "×" + h + " pixels (" + ((long) w * h / 1_000_000) +
				" megapixels), more than this program can hold (" + MAX_PIXELS / 1_000_000 + " megapixels); " +
				"downscale the image");
		}
		checkMemory(file, (long) w * h * READ_BYTES_PER_PIXEL, w + "×" + h + " pixels");
	}

	/** Heap per pixel while reading: the decoded raster (up to 8 bytes) and 3 float planes. */
	private static final long READ_BYTES_PER_PIXEL = 8 + 12;

	/**
	 * Refuses to read an image that cannot fit in the heap ({@code -Xmx}), before the decoder
	 * allocates it.
	 */
	public static void checkMemory(final Path file, final long bytes, final String size) throws ImageSizeException {
		final long max = Runtime.getRuntime().maxMemory();
		if (bytes > max) {
			throw new ImageSizeException(file + " is " + size + ": reading it needs about " + gb(bytes) + " of memory, " +
				"more than Java may use (" + gb(max) + ", -Xmx); give Java more memory or downscale the image");
		}
	}

	private static String gb(final long bytes) {
		return String.format(Locale.ROOT, "%.1f GB", bytes / 1073741824.0);
	}

	/** The message of a file whose decoder failed, in words. */
	private static IOException corrupt(final Path file, final String format, final Throwable e) {
		final String detail = OutputFiles.reason(e);
		if (format.equals("JPEG") && detail.toLowerCase(Locale.ROOT).contains("unsupported image type")) {
			return new IOException("Cannot read " + file + ": a JPEG with CMYK or YCCK colours, which this program " +
				"does not read; save it as an RGB or grey JPEG (accepted formats: " + FORMATS + ")", e);
		}
		return new IOException("Cannot read " + file + ": the " + format + " file is truncated or corrupt (" +
			detail + "); accepted formats: " + FORMATS, e);
	}

	/** The decoded image as planes in [0, 1] (see {@link #read}). */
	private static PlanarImage planes(final BufferedImage img) {
		final Raster r = img.getRaster();
		final int w = img.getWidth(), h = img.getHeight();
		final int bands = r.getNumBands();
		final boolean grey = bands <= 2 && img.getColorModel().getColorSpace().getNumComponents() == 1;
		final int bits = img.getColorModel().getComponentSize(0);
		final int type = r.getDataBuffer().getDataType();
		final boolean real = type == DataBuffer.TYPE_FLOAT || type == DataBuffer.TYPE_DOUBLE; // used as stored
		final double scale = real ? 1 : 1.0 / ((1L << Math.min(bits, 62)) - 1);
		final int channels = grey ? 1 : 3;
		final float[][] planes = new float[channels][w * h];
		if (grey || (bands >= 3 && (bits > 8 || real))) {
			for (int c = 0; c < channels; c++) {
				for (int y = 0; y < h; y++) {
					for (int x = 0; x < w; x++) planes[c][x + y * w] = (float) (r.getSampleDouble(x, y, c) * scale);
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

	// -- EXIF orientation (JPEG) --

	/**
	 * The EXIF orientation of a JPEG file: 1 (upright, also for files without one, other formats
	 * and values outside 1…8) to 8, the TIFF/EXIF tag 0x0112 of IFD0 in the APP1 "Exif" segment:
	 * how the stored pixels are turned for display (6: a portrait photo of a phone held upright,
	 * stored sideways, to be turned 90° clockwise). Only the file's first 256 KB are read.
	 */
	public static int exifOrientation(final Path file) throws IOException {
		final byte[] head;
		try (InputStream in = Files.newInputStream(file)) {
			head = in.readNBytes(1 << 18);
		}
		return exifOrientation(head);
	}

	/** {@link #exifOrientation(Path)} of a file's first bytes; every offset is bounds-checked. */
	static int exifOrientation(final byte[] b) {
		if (b.length < 4 || (b[0] & 255) != 0xFF || (b[1] & 255) != 0xD8) return 1; // not a JPEG
		int p = 2;
		while (p + 4 <= b.length) {
			if ((b[p] & 255) != 0xFF) return 1; // lost: not at a marker
			final int marker = b[p + 1] & 255;
			if (marker == 0xFF) { // fill byte
				p++;
				continue;
			}
			if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD8)) { // markers without a length
				p += 2;
				continue;
			}
			if (marker == 0xDA || marker == 0xD9) return 1; // image data (or the end) before any EXIF
			final int length = u16(b, p + 2, false);
			if (length < 2) return 1;
			final int end = (int) Math.min(b.length, (long) p + 2 + length);
			if (marker == 0xE1 && p + 10 <= end && b[p + 4] == 'E' && b[p + 5] == 'x' && b[p + 6] == 'i' &&
				b[p + 7] == 'f' && b[p + 8] == 0 && b[p + 9] == 0)
			{
				final int o = tiffOrientation(b, p + 10, end);
				if (o != 0) return o;
			}
			p += 2 + length;
		}
		return 1;
	}

	/** Tag 0x0112 of IFD0 of the TIFF structure in {@code b[start, end)}; 0 if absent or invalid. */
	private static int tiffOrientation(final byte[] b, final int start, final int end) {
		if (end - start < 8) return 0;
		final boolean little;
		if (b[start] == 'I' && b[start + 1] == 'I') little = true;
		else if (b[start] == 'M' && b[start + 1] == 'M') little = false;
		else return 0;
		if (u16(b, start + 2, little) != 42) return 0;
		final long ifd = u32(b, start + 4, little);
		if (ifd < 8 || start + ifd + 2 > end) return 0;
		final int q = start + (int) ifd;
		final int entries = u16(b, q, little);
		for (int i = 0; i < entries; i++) {
			final int e = q + 2 + 12 * i;
			if (e + 12 > end) return 0;
			if (u16(b, e, little) != 0x0112) continue;
			final int type = u16(b, e + 2, little);
			final long v = type == 3 ? u16(b, e + 8, little) : type == 4 ? u32(b, e + 8, little) : 0; // SHORT or LONG
			return v >= 1 && v <= 8 ? (int) v : 0;
		}
		return 0;
	}

	private static int u16(final byte[] b, final int i, final boolean little) {
		final int b0 = b[i] & 255, b1 = b[i + 1] & 255;
		return little ? b0 | b1 << 8 : b0 << 8 | b1;
	}

	private static long u32(final byte[] b, final int i, final boolean little) {
		final long lo = u16(b, little ? i : i + 2, little), hi = u16(b, little ? i + 2 : i, little);
		return hi << 16 | lo;
	}

	/**
	 * The image as displayed under EXIF orientation {@code o}: 1 as stored, 2 mirrored left–right,
	 * 3 turned 180°, 4 mirrored top–bottom, 5 transposed (mirrored about the main diagonal), 6
	 * turned 90° clockwise, 7 transversed (mirrored about the other diagonal), 8 turned 90°
	 * counter-clockwise. 5–8 swap width and height.
	 */
	public static PlanarImage orient(final PlanarImage image, final int o) {
		if (o < 2 || o > 8) return image;
		final int w = image.width(), h = image.height();
		final boolean swap = o >= 5;
		final int ow = swap ? h : w, oh = swap ? w : h;
		final float[][] out = new float[image.channels()][w * h];
		for (int c = 0; c < image.channels(); c++) {
			final float[] src = image.plane(c), dst = out[c];
			for (int y = 0; y < h; y++) {
				for (int x = 0; x < w; x++) {
					final int dx, dy;
					switch (o) {
						case 2: dx = w - 1 - x; dy = y; break;
						case 3: dx = w - 1 - x; dy = h - 1 - y; break;
						case 4: dx = x; dy = h - 1 - y; break;
						case 5: dx = y; dy = x; break;
						case 6: dx = h - 1 - y; dy = x; break;
						case 7: dx = h - 1 - y; dy = w - 1 - x; break;
						default: dx = y; dy = w - 1 - x; break; // 8
					}
					dst[dx + dy * ow] = src[x + y * w];
				}
			}
		}
		return new PlanarImage(ow, oh, out);
	}

	/** What EXIF orientation {@code o} does, in words (for provenance). */
	public static String orientationWords(final int o) {
		switch (o) {
			case 2: return "mirrored left-right";
			case 3: return "turned 180°";
			case 4: return "mirrored top-bottom";
			case 5: return "transposed (mirrored about the main diagonal)";
			case 6: return "turned 90° clockwise";
			case 7: return "transversed (mirrored about the anti-diagonal)";
			case 8: return "turned 90° counter-clockwise";
			default: return "as stored";
		}
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
		OutputFiles.writeAtomically(file, out -> {
			if (!ImageIO.write(img, "png", out)) throw new IOException("no PNG writer available");
		});
	}

	private static int to8(final float v) {
		final float c = v < 0 ? 0 : v > 1 ? 1 : v;
		return Math.round(c * 255);
	}
}
