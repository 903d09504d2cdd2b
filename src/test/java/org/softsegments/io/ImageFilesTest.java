package org.softsegments.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.softsegments.cli.InputImages;
import org.softsegments.image.PlanarImage;

/**
 * The image reader: EXIF orientation of JPEGs (synthetic JPEGs with a spliced APP1 "Exif"
 * segment), the one list of accepted formats, and messages for damaged files.
 */
public class ImageFilesTest {

	@TempDir
	Path tmp;

	public static final int W = 40, H = 30;
	/** Quadrant colours of the stored image: top-left, top-right, bottom-left, bottom-right. */
	static final int RED = 0xE01010, GREEN = 0x10E010, BLUE = 0x1010E0, WHITE = 0xF0F0F0;

	/** A W×H image with one colour per quadrant. */
	public static BufferedImage quadrants() {
		final BufferedImage b = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
		for (int y = 0; y < H; y++) {
			for (int x = 0; x < W; x++) {
				final boolean right = x >= W / 2, bottom = y >= H / 2;
				b.setRGB(x, y, bottom ? right ? WHITE : BLUE : right ? GREEN : RED);
			}
		}
		return b;
	}

	/** JPEG bytes of {@code img} (ImageIO writes SOI, then a JFIF APP0 segment). */
	public static byte[] jpeg(final BufferedImage img) throws IOException {
		final ByteArrayOutputStream out = new ByteArrayOutputStream();
		assertTrue(ImageIO.write(img, "jpeg", out));
		return out.toByteArray();
	}

	/** An APP1 "Exif" segment whose IFD0 holds only the orientation tag (0x0112, SHORT). */
	static byte[] exifSegment(final int orientation, final boolean littleEndian) {
		final ByteBuffer tiff = ByteBuffer.allocate(8 + 2 + 12 + 4).order(littleEndian ? ByteOrder.LITTLE_ENDIAN :
			ByteOrder.BIG_ENDIAN);
		tiff.put((byte) (littleEndian ? 'I' : 'M')).put((byte) (littleEndian ? 'I' : 'M')).putShort((short) 42)
			.putInt(8); // header, IFD0 at 8
		tiff.putShort((short) 1); // one entry
		tiff.putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0);
		tiff.putInt(0); // no next IFD
		final byte[] body = tiff.array();
		final int length = 2 + 6 + body.length;
		final ByteBuffer seg = ByteBuffer.allocate(2 + length).order(ByteOrder.BIG_ENDIAN);
		seg.put((byte) 0xFF).put((byte) 0xE1).putShort((short) length);
		seg.put(new byte[] { 'E', 'x', 'i', 'f', 0, 0 }).put(body);
		return seg.array();
	}

	/** {@code jpeg} with {@code segment} inserted at byte {@code at} (2: after SOI; 20: after ImageIO's APP0). */
	static byte[] splice(final byte[] jpeg, final byte[] segment, final int at) {
		final byte[] out = new byte[jpeg.length + segment.length];
		System.arraycopy(jpeg, 0, out, 0, at);
		System.arraycopy(segment, 0, out, at, segment.length);
		System.arraycopy(jpeg, at, out, at + segment.length, jpeg.length - at);
		return out;
	}

	/** A JPEG of {@link #quadrants()} with EXIF orientation {@code o}. */
	public static byte[] orientedJpeg(final int o, final boolean littleEndian, final boolean afterApp0) throws IOException {
		final byte[] plain = jpeg(quadrants());
		// ImageIO's JPEG starts FF D8 FF E0 <len>: the APP0 segment ends at 4 + len
		final int app0End = 4 + ((plain[4] & 255) << 8 | (plain[5] & 255));
		assertEquals(0xE0, plain[3] & 255, "ImageIO wrote a JFIF APP0 segment");
		return splice(plain, exifSegment(o, littleEndian), afterApp0 ? app0End : 2);
	}

	/** The colour at (x, y) of a 3-channel image, as 0xRRGGBB after rounding. */
	static int rgb(final PlanarImage img, final int x, final int y) {
		final int i = x + y * img.width();
		int v = 0;
		for (int c = 0; c < 3; c++) v = v << 8 | Math.round(img.plane(c)[i] * 255);
		return v;
	}

	static void assertColour(final int expected, final PlanarImage img, final int x, final int y, final String what) {
		final int got = rgb(img, x, y);
		for (int shift = 0; shift <= 16; shift += 8) {
			assertTrue(Math.abs((got >> shift & 255) - (expected >> shift & 255)) < 40, String.format(Locale.ROOT,
				"%s: at (%d, %d) expected #%06x, got #%06x", what, x, y, expected, got));
		}
	}

	/**
	 * Checks the colours at the centres of the displayed image's quadrants: {@code tl, tr, bl, br}
	 * are the stored quadrants' colours expected there.
	 */
	static void assertQuadrants(final PlanarImage img, final int dw, final int dh, final int tl, final int tr,
		final int bl, final int br, final String what)
	{
		assertEquals(dw, img.width(), what + ": width");
		assertEquals(dh, img.height(), what + ": height");
		assertColour(tl, img, dw / 4, dh / 4, what + ", top left");
		assertColour(tr, img, 3 * dw / 4, dh / 4, what + ", top right");
		assertColour(bl, img, dw / 4, 3 * dh / 4, what + ", bottom left");
		assertColour(br, img, 3 * dw / 4, 3 * dh / 4, what + ", bottom right");
	}

	@Test
	void jpegsComeUprightByTheirExifOrientation() throws IOException {
		for (final boolean little : new boolean[] { false, true }) {
			for (final boolean afterApp0 : new boolean[] { false, true }) {
				for (int o = 1; o <= 8; o++) {
					final Path f = tmp.resolve("o" + o + (little ? "II" : "MM") + (afterApp0 ? "-after-app0" : "") + ".jpg");
					Files.write(f, orientedJpeg(o, little, afterApp0));
					assertEquals(o, ImageFiles.exifOrientation(f), f.toString());
					final PlanarImage img = ImageFiles.read(f);
					final String what = "orientation " + o + " " + f.getFileName();
					switch (o) {
						case 1: assertQuadrants(img, W, H, RED, GREEN, BLUE, WHITE, what); break;
						case 2: assertQuadrants(img, W, H, GREEN, RED, WHITE, BLUE, what); break; // mirrored
						case 3: assertQuadrants(img, W, H, WHITE, BLUE, GREEN, RED, what); break; // 180°
						case 4: assertQuadrants(img, W, H, BLUE, WHITE, RED, GREEN, what); break; // flipped
						case 5: assertQuadrants(img, H, W, RED, BLUE, GREEN, WHITE, what); break; // transposed
						// 90° clockwise (a portrait phone photo): the stored left column becomes the top row
						case 6: assertQuadrants(img, H, W, BLUE, RED, WHITE, GREEN, what); break;
						case 7: assertQuadrants(img, H, W, WHITE, GREEN, BLUE, RED, what); break; // transversed
						default: assertQuadrants(img, H, W, GREEN, WHITE, RED, BLUE, what); break; // 8: 90° counter-clockwise
					}
					// the header size the command line checks memory with is the upright one
					final int[] size = InputImages.size(f);
					assertEquals(img.width(), size[0], what);
					assertEquals(img.height(), size[1], what);
				}
			}
		}
	}

	@Test
	void exifParsingSurvivesDamagedSegments() throws IOException {
		final byte[] good = orientedJpeg(6, false, true);
		assertEquals(6, ImageFiles.exifOrientation(good));
		assertEquals(1, ImageFiles.exifOrientation(jpeg(quadrants())), "no EXIF");
		assertEquals(1, ImageFiles.exifOrientation(new byte[0]));
		assertEquals(1, ImageFiles.exifOrientation(new byte[] { (byte) 0xFF, (byte) 0xD8 }));
		assertEquals(1, ImageFiles.exifOrientation(orientedJpeg(9, false, true)), "values outside 1…8 are ignored");
		assertEquals(1, ImageFiles.exifOrientation(orientedJpeg(0, true, false)));
		// every truncation and every single-byte change: no exception, a value in 1…8
		final java.util.Random random = new java.util.Random(3);
		for (int n = 0; n <= 120; n++) {
			final int o = ImageFiles.exifOrientation(java.util.Arrays.copyOf(good, n));
			assertTrue(o >= 1 && o <= 8);
		}
		for (int i = 0; i < 2000; i++) {
			final byte[] b = good.clone();
			b[random.nextInt(80)] = (byte) random.nextInt(256);
			final int o = ImageFiles.exifOrientation(b);
			assertTrue(o >= 1 && o <= 8);
		}
	}

	@Test
	void everyListedFormatIsReadAndHasAnExtension() throws IOException {
		final String[][] formats = { { "PNG", "png" }, { "JPEG", "jpeg" }, { "BMP", "bmp" }, { "GIF", "gif" },
			{ "TIFF", "tiff" } };
		assertEquals(formats.length, ImageFiles.FORMATS.split(", ").length, "a test for each listed format");
		for (final String[] f : formats) {
			assertTrue(ImageFiles.FORMATS.contains(f[0]), f[0]);
			assertTrue(ImageFiles.EXTENSIONS.contains(f[1]), f[1]);
			final Path file = tmp.resolve("q." + f[1]);
			assertTrue(ImageIO.write(quadrants(), f[1], file.toFile()), f[0]);
			final PlanarImage img = InputImages.readImage(file); // the command line's reader
			assertQuadrants(img, W, H, RED, GREEN, BLUE, WHITE, f[0]);
		}
	}

	@Test
	void damagedFilesAreNamedAndExplained() throws IOException {
		final Path ok = tmp.resolve("ok.png");
		ImageIO.write(quadrants(), "png", ok.toFile());
		final byte[] png = Files.readAllBytes(ok);
		final Path truncated = tmp.resolve("truncated.png");
		Files.write(truncated, java.util.Arrays.copyOf(png, png.length / 2));
		final IOException t = assertThrows(IOException.class, () -> ImageFiles.read(truncated));
		assertEquals("Cannot read " + truncated + ": the PNG file is truncated or corrupt (the file ends too early); " +
			"accepted formats: " + ImageFiles.FORMATS, t.getMessage());

		// a JPEG cut in its image data: the decoder only warns and fills the rest with grey
		final BufferedImage noisy = new BufferedImage(300, 200, BufferedImage.TYPE_INT_RGB);
		final java.util.Random random = new java.util.Random(1);
		for (int y = 0; y < 200; y++) for (int x = 0; x < 300; x++) noisy.setRGB(x, y, random.nextInt(1 << 24));
		final Path jpg = tmp.resolve("truncated.jpg");
		final byte[] j = jpeg(noisy);
		Files.write(jpg, java.util.Arrays.copyOf(j, j.length * 2 / 3));
		final IOException tj = assertThrows(IOException.class, () -> ImageFiles.read(jpg));
		assertEquals("Cannot read " + jpg + ": the JPEG file is truncated or corrupt (Corrupt JPEG data: premature end " +
			"of data segment); accepted formats: " + ImageFiles.FORMATS, tj.getMessage());

		final Path empty = Files.write(tmp.resolve("empty.png"), new byte[0]);
		assertEquals("Not a readable image: " + empty + " is empty (0 bytes)", assertThrows(IOException.class,
			() -> ImageFiles.read(empty)).getMessage());
		final Path text = Files.writeString(tmp.resolve("notes.png"), "not an image at all");
		assertEquals("Not a readable image: " + text + " is not in one of the accepted formats (" + ImageFiles.FORMATS +
			")", assertThrows(IOException.class, () -> ImageFiles.read(text)).getMessage());
	}
}
