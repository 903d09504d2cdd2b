package org.softsegments.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;

import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.softsegments.image.PlanarImage;
import org.softsegments.unmix.ColourUnmixing;
import org.softsegments.unmix.ColourUnmixingTest;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The OpenRaster file: the container layout the format requires (first entry {@code mimetype},
 * stored), {@code stack.xml} as the JDK's XML parser reads it, and the layer stack, over-composited
 * bottom to top as an editor does, reproducing the photo.
 */
public class OpenRasterTest {

	@TempDir
	Path tmp;

	static final int W = 96, H = 64, K = 5;

	/** A photo, soft layers and their unmixed colours. */
	record Case(PlanarImage rgb, PlanarImage layers, PlanarImage[] colours) {}

	static Case sample() {
		final PlanarImage rgb = ColourUnmixingTest.photo(W, H, 21);
		final PlanarImage layers = ColourUnmixingTest.softLayers(W, H, K, 22);
		return new Case(rgb, layers, ColourUnmixing.unmix(rgb, layers));
	}

	@Test
	public void stackCompositesToThePhoto() throws Exception {
		final Case c = sample();
		final Path ora = tmp.resolve("photo.ora");
		OpenRaster.write(ora, c.rgb(), c.layers(), c.colours(), List.of("sky", "a \"tree\" & <grass>", "3", "4", "5"), 8);
		final Map<String, byte[]> entries = read(ora);
		final Document stack = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new ByteArrayInputStream(
			entries.get("stack.xml")));
		final Element image = stack.getDocumentElement();
		assertEquals("image", image.getTagName());
		assertEquals(String.valueOf(W), image.getAttribute("w"));
		assertEquals(String.valueOf(H), image.getAttribute("h"));
		final NodeList layers = image.getElementsByTagName("layer");
		assertEquals(K, layers.getLength());
		final List<String> names = new ArrayList<>();
		final List<BufferedImage> topFirst = new ArrayList<>();
		for (int i = 0; i < K; i++) {
			final Element l = (Element) layers.item(i);
			assertEquals("stack", l.getParentNode().getNodeName());
			assertEquals("svg:src-over", l.getAttribute("composite-op"));
			assertEquals("1.0", l.getAttribute("opacity"));
			assertEquals("visible", l.getAttribute("visibility"));
			assertEquals("0", l.getAttribute("x"));
			assertEquals("0", l.getAttribute("y"));
			names.add(l.getAttribute("name"));
			final BufferedImage png = ImageIO.read(new ByteArrayInputStream(entries.get(l.getAttribute("src"))));
			assertEquals(W, png.getWidth());
			assertEquals(H, png.getHeight());
			assertTrue(png.getColorModel().hasAlpha() && !png.getColorModel().isAlphaPremultiplied());
			topFirst.add(png);
		}
		assertEquals(List.of("5", "4", "3", "a \"tree\" & <grass>", "sky"), names, "top layer first");
		final double[][] composite = composite(topFirst);
		final BufferedImage merged = ImageIO.read(new ByteArrayInputStream(entries.get("mergedimage.png")));
		final BufferedImage thumb = ImageIO.read(new ByteArrayInputStream(entries.get("Thumbnails/thumbnail.png")));
		assertEquals(W, merged.getWidth());
		assertEquals(H, merged.getHeight());
		assertEquals(W, thumb.getWidth(), "no thumbnail reduction below 256 pixels");
		double vsPhoto = 0, vsMerged = 0;
		for (int i = 0; i < W * H; i++) {
			final int m = merged.getRGB(i % W, i / W);
			for (int ch = 0; ch < 3; ch++) {
				vsPhoto = Math.max(vsPhoto, Math.abs(composite[ch][i] - c.rgb().plane(ch)[i]));
				vsMerged = Math.max(vsMerged, Math.abs(composite[ch][i] - (m >> 16 - 8 * ch & 255) / 255.0));
			}
		}
		System.out.printf(Locale.ROOT, "OpenRaster %d×%d K=%d, 8-bit layers: composite of the stack vs photo max " +
			"%.2f/255, vs mergedimage.png max %.2f/255%n", W, H, K, 255 * vsPhoto, 255 * vsMerged);
		assertTrue(vsPhoto <= 2 / 255.0, "composite vs photo " + 255 * vsPhoto + "/255");
		assertTrue(vsMerged <= 2 / 255.0, "composite vs mergedimage " + 255 * vsMerged + "/255");
		// a copy for scripts/check-ora.py
		final Path keep = Path.of("target", "openraster-check");
		Files.createDirectories(keep);
		Files.copy(ora, keep.resolve("sample.ora"), StandardCopyOption.REPLACE_EXISTING);
	}

	@Test
	public void sixteenBitStackIsCloser() throws Exception {
		final Case c = sample();
		final Path ora = tmp.resolve("photo16.ora");
		OpenRaster.write(ora, c.rgb(), c.layers(), c.colours(), null, 16);
		final Map<String, byte[]> entries = read(ora);
		final List<BufferedImage> topFirst = new ArrayList<>();
		for (int k = K; k >= 1; k--) {
			final BufferedImage png = ImageIO.read(new ByteArrayInputStream(entries.get(OpenRaster.layerSource(k))));
			assertEquals(16, png.getColorModel().getComponentSize(0));
			topFirst.add(png);
		}
		final String xml = new String(entries.get("stack.xml"), StandardCharsets.UTF_8);
		assertTrue(xml.contains("name=\"Layer 1\" src=\"data/layer1.png\""), xml);
		final double[][] composite = composite(topFirst);
		double worst = 0;
		for (int ch = 0; ch < 3; ch++) {
			for (int i = 0; i < W * H; i++) worst = Math.max(worst, Math.abs(composite[ch][i] - c.rgb().plane(ch)[i]));
		}
		System.out.printf(Locale.ROOT, "OpenRaster 16-bit layers: composite vs photo max %.4f/255%n", 255 * worst);
		assertTrue(worst <= 0.05 / 255, "16-bit composite vs photo " + 255 * worst + "/255");
	}

	@Test
	public void mimetypeIsTheFirstEntryStoredUncompressed() throws IOException {
		final Case c = sample();
		final Path ora = tmp.resolve("m.ora");
		OpenRaster.write(ora, c.rgb(), c.layers(), c.colours());
		final byte[] bytes = Files.readAllBytes(ora);
		// the format's magic: local header of "mimetype" at 0, its uncompressed content at 38
		assertEquals("PK\u0003\u0004", new String(bytes, 0, 4, StandardCharsets.ISO_8859_1));
		assertEquals(0, bytes[8] | bytes[9] << 8, "compression method STORED");
		assertEquals(8, bytes[26] | bytes[27] << 8, "name length");
		assertEquals(0, bytes[28] | bytes[29] << 8, "no extra field");
		assertEquals("mimetype", new String(bytes, 30, 8, StandardCharsets.US_ASCII));
		assertEquals(OpenRaster.MIMETYPE, new String(bytes, 38, OpenRaster.MIMETYPE.length(), StandardCharsets.US_ASCII));
		try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(bytes))) {
			final ZipEntry first = zip.getNextEntry();
			assertEquals("mimetype", first.getName());
			assertEquals(ZipEntry.STORED, first.getMethod());
		}
		assertEquals(List.of("mimetype", "stack.xml", "data/layer1.png", "data/layer2.png", "data/layer3.png",
			"data/layer4.png", "data/layer5.png", "Thumbnails/thumbnail.png", "mergedimage.png"), List.copyOf(read(ora)
				.keySet()));
		try (var listing = Files.list(tmp)) {
			assertEquals(1, listing.count(), "no temporary files left");
		}
	}

	@Test
	public void stackingAlphasMakeTheOverCompositeTheWeightedSum() {
		// three layers at one pixel: α = (0.2, 0.5, 0.3) → a' = (1, 0.5/0.7, 0.3/1)
		final PlanarImage layers = new PlanarImage(2, 1, new float[][] { { 0.2f, 0 }, { 0.5f, 0 }, { 0.3f, 1 } });
		final float[][] a = OpenRaster.stackingAlphas(layers);
		assertArrayEquals(new float[] { 1, 1 }, a[0], 1e-6f, "bottom layer opaque");
		assertArrayEquals(new float[] { 0.5f / 0.7f, 0 }, a[1], 1e-6f);
		assertArrayEquals(new float[] { 0.3f, 1 }, a[2], 1e-6f);
		// over-compositing colours 0.1, 0.6, 0.9 gives Σ α F = 0.02 + 0.3 + 0.27
		double c = 0.1;
		c = a[1][0] * 0.6 + (1 - a[1][0]) * c;
		c = a[2][0] * 0.9 + (1 - a[2][0]) * c;
		assertEquals(0.59, c, 1e-6);
	}

	@Test
	public void largePhotosGetAReducedThumbnail() {
		final PlanarImage t = OpenRaster.thumbnail(PlanarImage.zeros(1000, 300, 3));
		assertEquals(256, t.width());
		assertEquals(77, t.height());
		assertEquals(256, OpenRaster.thumbnail(PlanarImage.zeros(10, 700, 3)).height());
	}

	@Test
	public void badArgumentsAreRefusedInWords() {
		final Case c = sample();
		final IllegalArgumentException names = assertThrows(IllegalArgumentException.class, () -> OpenRaster.write(tmp
			.resolve("x.ora"), c.rgb(), c.layers(), c.colours(), List.of("a"), 8));
		assertEquals("1 layer names for 5 layers", names.getMessage());
		final IllegalArgumentException photo = assertThrows(IllegalArgumentException.class, () -> OpenRaster.write(tmp
			.resolve("x.ora"), PlanarImage.zeros(W, H, 1), c.layers(), c.colours()));
		assertTrue(photo.getMessage().startsWith("The photo must be an RGB image of 96×64"), photo.getMessage());
		assertEquals("PNG layers have 8 or 16 bits, got 1", assertThrows(IllegalArgumentException.class, () -> OpenRaster
			.write(tmp.resolve("x.ora"), c.rgb(), c.layers(), c.colours(), null, 1)).getMessage());
	}

	// -- helpers --

	/** Every entry of the zip, in the order stored. */
	static Map<String, byte[]> read(final Path ora) throws IOException {
		final Map<String, byte[]> out = new java.util.LinkedHashMap<>();
		try (ZipFile zip = new ZipFile(ora.toFile())) {
			final var it = zip.entries();
			while (it.hasMoreElements()) {
				final ZipEntry e = it.nextElement();
				out.put(e.getName(), zip.getInputStream(e).readAllBytes());
			}
		}
		return out;
	}

	/**
	 * Straight-alpha PNG layers (top one first) composited with src-over, bottom to top, from a
	 * transparent start: colour planes in [0,1] (premultiplied accumulation, divided by the final
	 * alpha).
	 */
	static double[][] composite(final List<BufferedImage> topFirst) {
		final int w = topFirst.get(0).getWidth(), h = topFirst.get(0).getHeight();
		final double[][] premul = new double[3][w * h];
		final double[] alpha = new double[w * h];
		for (int l = topFirst.size() - 1; l >= 0; l--) {
			final Raster r = topFirst.get(l).getRaster();
			final double max = (1 << topFirst.get(l).getColorModel().getComponentSize(0)) - 1;
			for (int y = 0; y < h; y++) {
				for (int x = 0; x < w; x++) {
					final int i = x + y * w;
					final double a = r.getSample(x, y, 3) / max;
					for (int c = 0; c < 3; c++) premul[c][i] = a * r.getSample(x, y, c) / max + (1 - a) * premul[c][i];
					alpha[i] = a + (1 - a) * alpha[i];
				}
			}
		}
		for (int i = 0; i < w * h; i++) {
			assertEquals(1, alpha[i], 1e-12, "stack opaque");
			for (int c = 0; c < 3; c++) premul[c][i] /= alpha[i];
		}
		return premul;
	}
}
