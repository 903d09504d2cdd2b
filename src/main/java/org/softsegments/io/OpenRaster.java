package org.softsegments.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.softsegments.image.PlanarImage;
import org.softsegments.image.Resize;

/**
 * Soft layers as one OpenRaster file ({@code .ora}, the layered format GIMP, Krita and MyPaint
 * open): a zip whose first entry is {@code mimetype} (stored uncompressed, {@code image/openraster}),
 * then {@code stack.xml}, one RGBA PNG per layer ({@code data/layer<k>.png}, straight alpha),
 * {@code Thumbnails/thumbnail.png} (at most 256 pixels a side) and {@code mergedimage.png} (the
 * photo), as the OpenRaster specification (freedesktop.org, draft 0.0.5) asks.
 * <p>
 * <b>Stacking alphas.</b> Every layer is composited with {@code svg:src-over}, bottom to top, in
 * the stored (sRGB-encoded) values. Layer 1 is the bottom one, layer K the top one ({@code stack.xml}
 * lists the top one first). Over-compositing layers whose alphas are the soft segments α_k would
 * not give the photo {@code Σ α_k F_k}; so each PNG in the file stores the <i>stacking alpha</i>
 * <pre>
 *   a'_k = α_k / (α_1 + … + α_k)
 * </pre>
 * (α clamped to [0,1]; the bottom layer has a'_1 = 1 everywhere, a layer with nothing below or
 * in it 0). By induction, the composite of layers 1…k is {@code Σ_{j≤k} α_j F_j / Σ_{j≤k} α_j},
 * so the whole stack shows {@code Σ α_k F_k / Σ α_k}, the photo when the layers sum to 1 and
 * recompose it. Opened in an editor, the file therefore looks like the photo; hiding the layers
 * above layer k shows the photo's part covered by layers 1…k. The plain α_k are in the separate
 * RGBA PNGs of {@link RgbaLayers}. Editors that blend in linear light rather than in the stored
 * values (an option in GIMP) show small differences in soft transitions.
 * <p>
 * The file is written under a temporary name and renamed when complete
 * ({@link OutputFiles#writeAtomically}).
 */
public final class OpenRaster {

	/** Content of the {@code mimetype} entry. */
	public static final String MIMETYPE = "image/openraster";
	/** Largest side of the thumbnail. */
	public static final int THUMBNAIL_SIZE = 256;

	private OpenRaster() {}

	/** {@link #write(Path, PlanarImage, PlanarImage, PlanarImage[], List, int)} with 8-bit layers named "Layer k". */
	public static void write(final Path file, final PlanarImage rgb, final PlanarImage layers,
		final PlanarImage[] colours) throws IOException
	{
		write(file, rgb, layers, colours, null, 8);
	}

	/**
	 * Writes the OpenRaster file.
	 *
	 * @param rgb the photo (3 channels), stored as {@code mergedimage.png} and the thumbnail
	 * @param layers the K soft layers α_k (one channel each)
	 * @param colours the K layer colours F_k (3 channels each)
	 * @param names the K layer names (null: "Layer 1" … "Layer K")
	 * @param bits 8 or 16 bits per sample of the layer PNGs
	 */
	public static void write(final Path file, final PlanarImage rgb, final PlanarImage layers,
		final PlanarImage[] colours, final List<String> names, final int bits) throws IOException
	{
		RgbaLayers.checkLayers(layers, colours);
		RgbaLayers.checkBits(bits);
		if (rgb == null || rgb.channels() != 3 || rgb.width() != layers.width() || rgb.height() != layers.height()) {
			throw new IllegalArgumentException("The photo must be an RGB image of " + layers.width() + "×" + layers
				.height() + ", got " + rgb);
		}
		final int k = colours.length;
		if (names != null && names.size() != k) {
			throw new IllegalArgumentException(names.size() + " layer names for " + k + " layers");
		}
		final List<String> labels = new ArrayList<>(k);
		for (int l = 0; l < k; l++) labels.add(names != null ? names.get(l) : "Layer " + (l + 1));
		final float[][] stacking = stackingAlphas(layers);
		final PlanarImage thumbnail = thumbnail(rgb);
		OutputFiles.writeAtomically(file, out -> {
			final ZipOutputStream zip = new ZipOutputStream(out, StandardCharsets.UTF_8);
			final byte[] mime = MIMETYPE.getBytes(StandardCharsets.US_ASCII);
			final ZipEntry m = new ZipEntry("mimetype");
			m.setMethod(ZipEntry.STORED);
			m.setSize(mime.length);
			m.setCompressedSize(mime.length);
			final CRC32 crc = new CRC32();
			crc.update(mime);
			m.setCrc(crc.getValue());
			zip.putNextEntry(m);
			zip.write(mime);
			zip.closeEntry();
			entry(zip, "stack.xml", o -> o.write(stackXml(layers.width(), layers.height(), labels).getBytes(
				StandardCharsets.UTF_8)));
			for (int l = 0; l < k; l++) {
				final int index = l;
				entry(zip, layerSource(l + 1), o -> RgbaLayers.png(RgbaLayers.rgba(colours[index], stacking[index], bits),
					o));
			}
			entry(zip, "Thumbnails/thumbnail.png", o -> RgbaLayers.png(RgbaLayers.rgb(thumbnail), o));
			entry(zip, "mergedimage.png", o -> RgbaLayers.png(RgbaLayers.rgb(rgb), o));
			zip.finish(); // the stream itself is closed by writeAtomically
		});
	}

	private static void entry(final ZipOutputStream zip, final String name, final OutputFiles.Content content)
		throws IOException
	{
		zip.putNextEntry(new ZipEntry(name));
		content.writeTo(zip);
		zip.closeEntry();
	}

	/** The zip path of layer {@code k} (1-based). */
	public static String layerSource(final int k) {
		return "data/layer" + k + ".png";
	}

	/**
	 * The stacking alphas of the layers (see the class description): {@code a'_k = α_k / Σ_{j≤k} α_j}
	 * with α clamped to [0,1], 1 in the bottom layer where it is 0, 0 in a higher layer with nothing
	 * in it or below it.
	 */
	public static float[][] stackingAlphas(final PlanarImage layers) {
		final int k = layers.channels(), n = layers.pixels();
		final float[][] out = new float[k][n];
		for (int i = 0; i < n; i++) {
			double below = 0;
			for (int l = 0; l < k; l++) {
				final float v = layers.plane(l)[i];
				final double a = v > 0 ? v < 1 ? v : 1 : 0;
				below += a;
				out[l][i] = l == 0 ? 1 : below > 0 ? (float) (a / below) : 0;
			}
		}
		return out;
	}

	/** {@code stack.xml}: the image size and the layers, the top one (layer K) first. */
	static String stackXml(final int width, final int height, final List<String> names) {
		final StringBuilder s = new StringBuilder();
		s.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
		s.append(String.format(Locale.ROOT, "<image version=\"0.0.5\" w=\"%d\" h=\"%d\">%n", width, height));
		s.append("  <stack>\n");
		for (int l = names.size(); l >= 1; l--) {
			s.append("    <layer name=\"").append(escape(names.get(l - 1))).append("\" src=\"").append(layerSource(l))
				.append("\" x=\"0\" y=\"0\" opacity=\"1.0\" visibility=\"visible\" composite-op=\"svg:src-over\"/>\n");
		}
		s.append("  </stack>\n");
		s.append("</image>\n");
		return s.toString();
	}

	/** {@code text} as an XML attribute value (without the quotes). */
	static String escape(final String text) {
		final StringBuilder s = new StringBuilder(text.length());
		for (int i = 0; i < text.length(); i++) {
			final char c = text.charAt(i);
			switch (c) {
				case '&': s.append("&amp;"); break;
				case '<': s.append("&lt;"); break;
				case '>': s.append("&gt;"); break;
				case '"': s.append("&quot;"); break;
				case '\'': s.append("&apos;"); break;
				default:
					s.append(c < 0x20 ? ' ' : c); // control characters: not allowed, or normalised to spaces
			}
		}
		return s.toString();
	}

	/** The photo reduced (area averaging) to at most {@link #THUMBNAIL_SIZE} pixels a side. */
	static PlanarImage thumbnail(final PlanarImage rgb) {
		final int side = Math.max(rgb.width(), rgb.height());
		if (side <= THUMBNAIL_SIZE) return rgb;
		final double f = THUMBNAIL_SIZE / (double) side;
		final int w = Math.min(THUMBNAIL_SIZE, Math.max(1, (int) Math.round(rgb.width() * f)));
		final int h = Math.min(THUMBNAIL_SIZE, Math.max(1, (int) Math.round(rgb.height() * f)));
		return Resize.smooth(rgb, w, h);
	}
}
