package org.softsegments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.CRC32;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

import ij.IJ;
import ij.ImagePlus;
import ij.ImageStack;
import ij.io.FileSaver;
import ij.process.FloatProcessor;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.softsegments.demo.SyntheticScene;
import org.softsegments.image.PlanarImage;
import org.softsegments.io.ImageFiles;
import org.softsegments.io.ImageFilesTest;

/**
 * Bad inputs, fuzzed (issue 17, item 2): valid seed images of every kind the reader meets (1×N,
 * N×1, 8×8, 16-bit, palette, grey + alpha, CMYK JPEG, multi-page TIFF, float TIFF, …), and
 * mutations of them (bit flips, truncations, overwritten runs, wrong extensions, huge declared
 * sizes in tiny files, empty files) go through the image reader (a few hundred cases) and, for a
 * subset, through the whole command line in-process. Each must either be read / segmented into
 * valid outputs, or fail with a message in words (an {@link IOException} naming the file; exit
 * code 1 naming the image), within a time limit, leaving no partial or temporary file. Bad
 * feature images and bad model files likewise (exit code 1 and 2). Fixed seed; under a minute.
 */
class BadInputsTest {

	@TempDir
	static Path tmp;

	/** The valid seed files, by file name. */
	static final Map<String, byte[]> SEEDS = new LinkedHashMap<>();
	/** Files that are bad as they are, by file name. */
	static final Map<String, byte[]> BAD = new LinkedHashMap<>();

	/** Names of Java exceptions and errors: never part of a message meant for the user. */
	static final Pattern JAVA_NAMES = Pattern.compile("\\b\\w*(Exception|Error)\\b|\\bnull\\b|java\\.\\w");

	static final String[] SMALL = SegmentMainTest.SMALL;

	@BeforeAll
	static void seeds() throws Exception {
		final PlanarImage scene = SyntheticScene.create(24, 16, 2, 1).image();
		SEEDS.put("rgb.png", png(scene));
		SEEDS.put("tiny.png", png(SyntheticScene.create(8, 8, 2, 2).image()));
		SEEDS.put("column.png", encode(grey8(1, 20), "png"));
		SEEDS.put("row.png", encode(grey8(20, 1), "png"));
		SEEDS.put("rgb16.png", encode(rgb16(24, 16), "png"));
		SEEDS.put("grey16.png", encode(grey16(24, 16), "png"));
		SEEDS.put("palette.png", encode(convert(scene, BufferedImage.TYPE_BYTE_INDEXED), "png"));
		SEEDS.put("palette.gif", encode(convert(scene, BufferedImage.TYPE_BYTE_INDEXED), "gif"));
		SEEDS.put("grey-alpha.png", encode(greyAlpha(24, 16), "png"));
		SEEDS.put("rgba.png", encode(convert(scene, BufferedImage.TYPE_INT_ARGB), "png"));
		SEEDS.put("photo.jpg", encode(convert(scene, BufferedImage.TYPE_INT_RGB), "jpeg"));
		SEEDS.put("grey.jpg", encode(convert(scene, BufferedImage.TYPE_BYTE_GRAY), "jpeg"));
		SEEDS.put("portrait.jpg", ImageFilesTest.orientedJpeg(6, false, true));
		SEEDS.put("photo.bmp", encode(convert(scene, BufferedImage.TYPE_INT_RGB), "bmp"));
		SEEDS.put("rgb.tif", encode(convert(scene, BufferedImage.TYPE_INT_RGB), "tiff"));
		SEEDS.put("grey16.tif", encode(grey16(24, 16), "tiff"));
		SEEDS.put("float.tif", floatTiff(24, 16, 1, false));
		final byte[] cmyk = cmykJpeg(24, 16);
		if (cmyk != null) BAD.put("cmyk.jpg", cmyk);
		else System.out.println("BadInputsTest: ImageIO cannot write a CMYK JPEG here; that case is skipped");
		BAD.put("pages.tif", multiPageTiff(24, 16, 3));
		BAD.put("huge.png", pngHeaderOnly(100_000, 100_000));
		BAD.put("big.png", pngHeaderOnly(40_000, 40_000));
		BAD.put("huge.tif", tiffHeaderOnly(100_000, 100_000));
		BAD.put("empty.png", new byte[0]);
		BAD.put("text.png", "not an image".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
		BAD.put("truncated.png", java.util.Arrays.copyOf(SEEDS.get("rgb.png"), SEEDS.get("rgb.png").length / 2));
		// valid content under another format's name: read by content
		BAD.put("png-named.jpg", SEEDS.get("rgb.png"));
		BAD.put("jpeg-named.tif", SEEDS.get("photo.jpg"));
		BAD.put("tiff-named.png", SEEDS.get("rgb.tif"));
	}

	// -- the reader --

	@Test
	void theReaderReadsOrExplainsEveryMutation() throws Exception {
		final Random random = new Random(17);
		final List<Path> cases = new ArrayList<>();
		final Path dir = Files.createDirectories(tmp.resolve("reader"));
		for (final Map.Entry<String, byte[]> e : BAD.entrySet()) cases.add(Files.write(dir.resolve(e.getKey()), e.getValue()));
		for (final Map.Entry<String, byte[]> seed : SEEDS.entrySet()) {
			cases.add(Files.write(dir.resolve(seed.getKey()), seed.getValue()));
			for (int m = 0; m < 16; m++) {
				final String name = "m" + m + "-" + seed.getKey();
				final Path f = mutate(seed.getValue(), name, m % 6, random, dir);
				cases.add(f);
			}
		}
		assertTrue(cases.size() >= 250, cases.size() + " cases");
		int read = 0, refused = 0;
		for (final Path f : cases) {
			final Object outcome = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
				try {
					return InputImages.readImage(f);
				}
				catch (final IOException e) {
					return e;
				}
			}, () -> "reading " + f.getFileName() + " hangs");
			if (outcome instanceof PlanarImage) {
				final PlanarImage img = (PlanarImage) outcome;
				assertTrue(img.width() >= 1 && img.height() >= 1 && img.channels() >= 1, f.toString());
				read++;
			}
			else {
				assertClear(((IOException) outcome).getMessage(), f);
				refused++;
			}
		}
		System.out.printf("BadInputsTest: %d files: %d read, %d refused with a message%n", cases.size(), read, refused);
		assertTrue(read > 20 && refused > 50, read + " read, " + refused + " refused");
	}

	/** A message in words that names the file. */
	static void assertClear(final String message, final Path file) {
		assertTrue(message != null && message.contains(file.getFileName().toString()), "the message names the file: " +
			message);
		assertFalse(JAVA_NAMES.matcher(message).find(), "a message in words, not Java's: " + message);
	}

	// -- the whole command line --

	@Test
	void theCommandLineSegmentsOrExplainsAndLeavesNoPartialFile() throws Exception {
		final Random random = new Random(23);
		final Map<String, byte[]> files = new LinkedHashMap<>();
		files.putAll(SEEDS);
		files.putAll(BAD);
		for (int m = 0; m < 12; m++) {
			final String seed = m % 2 == 0 ? "rgb.png" : "photo.jpg";
			final Path f = mutate(SEEDS.get(seed), "cli-m" + m + "-" + seed, m % 6, random, tmp);
			files.put(f.getFileName().toString(), Files.readAllBytes(f));
		}
		int ok = 0, failed = 0;
		for (final Map.Entry<String, byte[]> e : files.entrySet()) {
			final Path dir = Files.createDirectories(tmp.resolve("cli").resolve(e.getKey()));
			final Path in = Files.write(dir.resolve(e.getKey()), e.getValue()), out = dir.resolve("out");
			final Sss r = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> Sss.run(SegmentMainTest.args(
				new String[] { in.toString(), "--out", out.toString(), "--progress", "none" })), () -> e.getKey() + " hangs");
			final int at = r.err.indexOf("FAILED  [1/1] ");
			System.out.println("  " + e.getKey() + ": exit " + r.exitCode + (at >= 0 ? ", " + r.err.substring(at + 14)
				.split("\n")[0].replace(dir.toString(), "…") : ""));
			if (r.exitCode == 0) {
				assertWholeOutputs(out, in, r);
				ok++;
			}
			else {
				assertEquals(1, r.exitCode, e.getKey() + ": " + r);
				assertFailedInWords(r, e.getKey(), in);
				assertFalse(Files.exists(out), "no output folder left for a failed image: " + e.getKey());
				failed++;
			}
		}
		System.out.printf("BadInputsTest: command line on %d files: %d segmented, %d failed with a message%n", files
			.size(), ok, failed);
		assertTrue(ok >= 12 && failed >= 8, ok + " segmented, " + failed + " failed");
	}

	/** The image's outputs exist, whole, and nothing else (no temporary file). */
	static void assertWholeOutputs(final Path out, final Path in, final Sss r) throws Exception {
		final String name = InputCollection.baseName(in);
		assertEquals(List.of(name + LayerOutputs.TIFF_SUFFIX, name + LayerOutputs.VISUALIZATION_SUFFIX), list(out), r
			.toString());
		final ImagePlus imp = IJ.openImage(out.resolve(name + LayerOutputs.TIFF_SUFFIX).toString());
		final int[] size = InputImages.size(in);
		assertEquals(size[0], imp.getWidth(), r.toString());
		assertEquals(size[1], imp.getHeight(), r.toString());
		assertTrue(imp.getNChannels() >= 2 && imp.getNChannels() <= 3, r.toString());
		assertTrue(ImageIO.read(out.resolve(name + LayerOutputs.VISUALIZATION_SUFFIX).toFile()) != null, r.toString());
	}

	/** Exit code 1 with "FAILED  [1/1] file: message", the message in words, no stack trace. */
	static void assertFailedInWords(final Sss r, final String file, final Path in) {
		assertTrue(r.err.contains("FAILED  [1/1] " + file + ": "), r.toString());
		final String line = r.err.substring(r.err.indexOf("FAILED  [1/1] " + file + ": ")).split("\n")[0];
		assertFalse(JAVA_NAMES.matcher(line).find(), "a message in words: " + line);
		assertFalse(r.err.contains("\tat ") || r.err.contains("unexpected error") || r.err.contains("internal error"),
			r.toString());
		assertTrue(r.out.contains("0 segmented, 0 skipped, 1 failed"), r.toString());
	}

	static List<String> list(final Path dir) throws IOException {
		try (Stream<Path> s = Files.list(dir)) {
			return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
		}
	}

	// -- images too large for the heap --

	@Test
	void anImageTooLargeForTheHeapIsRefusedBeforeAnyWork() throws Exception {
		final long heap = org.softsegments.engine.MemoryEstimate.available();
		final org.softsegments.engine.Settings reference = org.softsegments.engine.Settings.reference();
		// sides whose estimate is twice the heap: 4 044 bytes a pixel on the reference path, 44 on the fast path
		final int refSide = (int) Math.ceil(Math.sqrt(2.0 * heap / 4044)), fastSide = (int) Math.ceil(Math.sqrt(2.0 *
			heap / 44));
		org.junit.jupiter.api.Assumptions.assumeTrue((long) fastSide * fastSide < ImageFiles.MAX_PIXELS, "heap too large");
		assertTrue(org.softsegments.engine.MemoryEstimate.bytes(refSide, refSide, 0, reference) > heap);
		final Path dir = Files.createDirectories(tmp.resolve("memory"));
		final Path ref = Files.write(dir.resolve("ref.png"), pngHeaderOnly(refSide, refSide));
		final Path big = Files.write(dir.resolve("big.png"), pngHeaderOnly(fastSide, fastSide));
		final Path out = dir.resolve("out");

		final Sss r = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> Sss.run(ref.toString(), "--out", out
			.toString(), "--mode", "reference", "--progress", "none"));
		assertEquals(1, r.exitCode, r.toString());
		assertTrue(r.err.contains("FAILED  [1/1] ref.png: ref.png is " + refSide + "×" + refSide + " pixels (") && r.err
			.contains("segmenting it on the reference path needs at least ") && r.err.contains(
				"Not started; give Java more memory (e.g. SSS_JAVA_OPTS=-Xmx") && r.err.contains(
					"use the fast path (--mode fast: at least "), r.toString());

		final Sss f = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> Sss.run(big.toString(), "--out", out
			.toString(), "--progress", "none"));
		assertEquals(1, f.exitCode, f.toString());
		assertTrue(f.err.contains("segmenting it on the fast path needs at least ") && f.err.contains(
			"or downscale the image.") && !f.err.contains("--mode fast"), f.toString());
		assertFalse(Files.exists(out));
	}

	// -- feature images and models --

	@Test
	void badFeatureImagesFailWithAMessage() throws Exception {
		final Path dir = Files.createDirectories(tmp.resolve("features"));
		final Path image = Files.write(dir.resolve("scene.png"), SEEDS.get("rgb.png"));
		final Map<String, byte[]> features = new LinkedHashMap<>();
		features.put("wrong-size.png", png(SyntheticScene.create(20, 20, 2, 3).image()));
		features.put("one-channel.png", encode(grey8(24, 16), "png"));
		features.put("nan.tif", floatTiff(24, 16, 3, true));
		features.put("truncated.png", BAD.get("truncated.png"));
		features.put("empty.png", new byte[0]);
		features.put("huge.tif", BAD.get("huge.tif"));
		final String[] expected = { "Feature image is 20×20 but the image is 24×16", "Feature image has 1 channel(s)",
			"contains NaN; feature values must be finite", "the PNG file is truncated or corrupt", "is empty (0 bytes)",
			"more than this program can hold" };
		int i = 0;
		for (final Map.Entry<String, byte[]> e : features.entrySet()) {
			final Path f = Files.write(dir.resolve(e.getKey()), e.getValue()), out = dir.resolve("out-" + e.getKey());
			final Sss r = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> Sss.run(SegmentMainTest.args(
				new String[] { image.toString(), "--out", out.toString(), "--feature-image", f.toString(), "--progress",
					"none" })));
			assertEquals(1, r.exitCode, e.getKey() + ": " + r);
			assertFailedInWords(r, "scene.png", image);
			assertTrue(r.err.contains(expected[i++]), e.getKey() + ": " + r);
			assertFalse(Files.exists(out), e.getKey());
		}
	}

	@Test
	void badModelFilesAreBadArguments() throws Exception {
		final Path dir = Files.createDirectories(tmp.resolve("models"));
		final Path image = Files.write(dir.resolve("scene.png"), SEEDS.get("rgb.png"));
		final Map<String, String> models = new LinkedHashMap<>(); // path -> expected words
		final byte[] flat = new byte[4000];
		new Random(5).nextBytes(flat);
		System.arraycopy("TFL3".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, flat, 4, 4);
		for (final int n : new int[] { 8, 100, 1000 }) { // FlatBuffers with the identifier, cut short
			models.put(Files.write(dir.resolve("truncated-" + n + ".tflite"), java.util.Arrays.copyOf(flat, n)).toString(),
				"truncated or corrupt");
		}
		models.put(Files.write(dir.resolve("photo.tflite"), SEEDS.get("rgb.png")).toString(),
			"is a file but not a TensorFlow Lite model");
		models.put(Files.write(dir.resolve("empty.tflite"), new byte[0]).toString(), "");
		models.put(Files.createDirectories(dir.resolve("empty folder")).toString(), "has no saved_model.pb");
		for (final Map.Entry<String, String> m : models.entrySet()) {
			final Path out = dir.resolve("out");
			final Sss r = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> Sss.run(image.toString(), "--out", out
				.toString(), "--model", m.getKey()));
			assertEquals(2, r.exitCode, m.getKey() + ": " + r);
			assertTrue(r.err.startsWith("sss: --model " + m.getKey() + ": ") && r.err.contains(m.getValue()), r.toString());
			assertFalse(JAVA_NAMES.matcher(r.err.split("\n")[0]).find(), "a message in words: " + r.err);
			assertEquals("", r.out, r.toString());
			assertFalse(Files.exists(out), "no output folder for a bad model");
		}
	}

	// -- mutations --

	/**
	 * Writes a mutation of {@code seed} as {@code dir/name}: 0 a few bit flips anywhere, 1 bit
	 * flips in the first 64 bytes (the header), 2 a truncation, 3 an overwritten run, 4 another
	 * image extension, 5 inserted bytes.
	 */
	static Path mutate(final byte[] seed, final String name, final int kind, final Random random, final Path dir)
		throws IOException
	{
		byte[] b = seed.clone();
		String file = name;
		switch (kind) {
			case 0:
			case 1:
				for (int n = 1 + random.nextInt(4); n > 0; n--) {
					final int at = random.nextInt(kind == 1 ? Math.min(64, b.length) : b.length);
					b[at] ^= (byte) (1 << random.nextInt(8));
				}
				break;
			case 2:
				b = java.util.Arrays.copyOf(b, random.nextInt(b.length));
				break;
			case 3: {
				final int at = random.nextInt(b.length);
				for (int i = at; i < Math.min(b.length, at + 1 + random.nextInt(16)); i++) b[i] = (byte) random.nextInt(256);
				break;
			}
			case 4: {
				final List<String> exts = ImageFiles.EXTENSIONS;
				file = name.substring(0, name.lastIndexOf('.') + 1) + exts.get(random.nextInt(exts.size()));
				break;
			}
			default: {
				final int at = random.nextInt(b.length), n = 1 + random.nextInt(32);
				final byte[] c = new byte[b.length + n];
				System.arraycopy(b, 0, c, 0, at);
				for (int i = 0; i < n; i++) c[at + i] = (byte) random.nextInt(256);
				System.arraycopy(b, at, c, at + n, b.length - at);
				b = c;
			}
		}
		return Files.write(dir.resolve(file), b);
	}

	// -- seed images --

	static byte[] png(final PlanarImage image) throws IOException {
		final Path f = Files.createTempFile(tmp, "seed", ".png");
		ImageFiles.writePng(image, f);
		final byte[] b = Files.readAllBytes(f);
		Files.delete(f);
		return b;
	}

	static byte[] encode(final BufferedImage img, final String format) throws IOException {
		final ByteArrayOutputStream out = new ByteArrayOutputStream();
		assertTrue(ImageIO.write(img, format, out), "no " + format + " writer for this image");
		return out.toByteArray();
	}

	static BufferedImage convert(final PlanarImage image, final int type) {
		final BufferedImage b = new BufferedImage(image.width(), image.height(), type);
		for (int y = 0; y < image.height(); y++) {
			for (int x = 0; x < image.width(); x++) {
				final int i = x + y * image.width();
				int rgb = 0xFF000000;
				for (int c = 0; c < 3; c++) rgb |= Math.round(image.plane(c)[i] * 255) << (16 - 8 * c);
				b.setRGB(x, y, rgb);
			}
		}
		return b;
	}

	static BufferedImage grey8(final int w, final int h) {
		final BufferedImage b = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
		for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) b.getRaster().setSample(x, y, 0, (x * 37 + y * 11) & 255);
		return b;
	}

	static BufferedImage grey16(final int w, final int h) {
		final BufferedImage b = new BufferedImage(w, h, BufferedImage.TYPE_USHORT_GRAY);
		for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) b.getRaster().setSample(x, y, 0, (x * 2731 + y * 997) & 65535);
		return b;
	}

	static BufferedImage rgb16(final int w, final int h) {
		final ComponentColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), false, false,
			Transparency.OPAQUE, DataBuffer.TYPE_USHORT);
		final WritableRaster r = cm.createCompatibleWritableRaster(w, h);
		for (int y = 0; y < h; y++) {
			for (int x = 0; x < w; x++) {
				for (int c = 0; c < 3; c++) r.setSample(x, y, c, (x * 2731 * (c + 1) + y * 997) & 65535);
			}
		}
		return new BufferedImage(cm, r, false, null);
	}

	static BufferedImage greyAlpha(final int w, final int h) {
		final ComponentColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_GRAY), true, false,
			Transparency.TRANSLUCENT, DataBuffer.TYPE_BYTE);
		final WritableRaster r = cm.createCompatibleWritableRaster(w, h);
		for (int y = 0; y < h; y++) {
			for (int x = 0; x < w; x++) {
				r.setSample(x, y, 0, (x * 10 + y * 3) & 255);
				r.setSample(x, y, 1, x < w / 2 ? 255 : 80);
			}
		}
		return new BufferedImage(cm, r, false, null);
	}

	/** A 32-bit TIFF (ImageJ) of {@code channels} planes in [0, 1], with a NaN if asked. */
	static byte[] floatTiff(final int w, final int h, final int channels, final boolean nan) throws IOException {
		final ImageStack stack = new ImageStack(w, h);
		for (int c = 0; c < channels; c++) {
			final float[] p = new float[w * h];
			for (int i = 0; i < p.length; i++) p[i] = ((i * (c + 3)) % 97) / 96f;
			if (nan && c == channels - 1) p[p.length / 2] = Float.NaN;
			stack.addSlice(new FloatProcessor(w, h, p));
		}
		final ImagePlus imp = new ImagePlus("features", stack);
		if (channels > 1) imp.setDimensions(channels, 1, 1);
		final Path f = Files.createTempFile(tmp, "seed", ".tif");
		assertTrue(channels == 1 ? new FileSaver(imp).saveAsTiff(f.toString()) : new FileSaver(imp).saveAsTiffStack(f
			.toString()));
		final byte[] b = Files.readAllBytes(f);
		Files.delete(f);
		return b;
	}

	/** A TIFF of {@code pages} RGB pages (ImageIO's sequence writer): a stack, not one image. */
	static byte[] multiPageTiff(final int w, final int h, final int pages) throws IOException {
		final ImageWriter writer = ImageIO.getImageWritersByFormatName("tiff").next();
		final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
			writer.setOutput(out);
			writer.prepareWriteSequence(null);
			for (int p = 0; p < pages; p++) {
				writer.writeToSequence(new IIOImage(convert(SyntheticScene.create(w, h, 2, p).image(),
					BufferedImage.TYPE_INT_RGB), null, null), null);
			}
			writer.endWriteSequence();
		}
		finally {
			writer.dispose();
		}
		return bytes.toByteArray();
	}

	/** A 4-channel (CMYK) JPEG, or null when ImageIO cannot write one. */
	static byte[] cmykJpeg(final int w, final int h) {
		try {
			final WritableRaster r = WritableRaster.createInterleavedRaster(DataBuffer.TYPE_BYTE, w, h, 4, null);
			for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) for (int c = 0; c < 4; c++) r.setSample(x, y, c, (x * 9 + y * 5 + c * 60) & 255);
			final Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
			final ImageWriter writer = writers.next();
			final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
			try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
				writer.setOutput(out);
				writer.write(null, new IIOImage(r, null, null), null);
			}
			finally {
				writer.dispose();
			}
			return bytes.toByteArray();
		}
		catch (final IOException | RuntimeException e) {
			return null;
		}
	}

	/** A PNG that declares {@code w}×{@code h} pixels and holds almost no data. */
	static byte[] pngHeaderOnly(final int w, final int h) {
		final ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(w).putInt(h).put((byte) 8).put((byte) 2).put((byte) 0)
			.put((byte) 0).put((byte) 0);
		final ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.writeBytes(new byte[] { (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n' });
		chunk(out, "IHDR", ihdr.array());
		chunk(out, "IDAT", new byte[] { 0x78, (byte) 0x9C, 0x63, 0, 0, 0, 1, 0, 1 });
		chunk(out, "IEND", new byte[0]);
		return out.toByteArray();
	}

	private static void chunk(final ByteArrayOutputStream out, final String type, final byte[] data) {
		final byte[] t = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
		out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
		out.writeBytes(t);
		out.writeBytes(data);
		final CRC32 crc = new CRC32();
		crc.update(t);
		crc.update(data);
		out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
	}

	/** A big-endian TIFF whose only image directory declares {@code w}×{@code h} 8-bit grey pixels. */
	static byte[] tiffHeaderOnly(final int w, final int h) {
		final ByteBuffer b = ByteBuffer.allocate(8 + 2 + 12 * 6 + 4 + 16);
		b.put((byte) 'M').put((byte) 'M').putShort((short) 42).putInt(8);
		b.putShort((short) 6);
		entry(b, 256, 4, w); // ImageWidth, LONG
		entry(b, 257, 4, h); // ImageLength
		entry(b, 258, 3, 8 << 16); // BitsPerSample 8 (SHORT, left-justified)
		entry(b, 262, 3, 1 << 16); // PhotometricInterpretation: black is zero
		entry(b, 273, 4, 8 + 2 + 12 * 6 + 4); // StripOffsets
		entry(b, 279, 4, (int) Math.min(Integer.MAX_VALUE, (long) w * h)); // StripByteCounts
		b.putInt(0);
		return b.array();
	}

	private static void entry(final ByteBuffer b, final int tag, final int type, final int value) {
		b.putShort((short) tag).putShort((short) type).putInt(1).putInt(value);
	}
}
