package org.softsegments.fiji;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.scijava.log.LogService;
import org.softsegments.engine.StrokeLabels;

import ij.ImagePlus;
import ij.io.FileInfo;

/**
 * The {@code strokes} parameter of the Fiji commands (with {@code stroke_image}): the user's
 * strokes that steer the grouping, as {@link StrokeLabels}. With strokes the number of layers is
 * the strokes' K (2–64), not {@code segments}. Strokes apply to a single image (one Z/T plane).
 * <ul>
 * <li>{@value #NONE} (default): automatic grouping into {@code segments} layers;</li>
 * <li>{@value #ROI_MANAGER}: every ROI of the ROI Manager is a stroke ({@link StrokeRois}: the
 * ROI's group is its layer, otherwise ROIs with the same name share one);</li>
 * <li>{@value #LABEL_IMAGE}: {@code stroke_image}, an open 8- or 16-bit image (or 32-bit with whole
 * values) of the photo's size whose pixel values are the labels: 0 = no stroke, k = layer k (its
 * LUT is ignored).</li>
 * </ul>
 * Messages name the macro keys, as those of {@link CommandParameters}.
 */
final class StrokeChoice {

	/** Choices of {@code strokes}. */
	static final String NONE = "none", ROI_MANAGER = "ROI Manager", LABEL_IMAGE = "label image";
	/** All choices, the default first. */
	static final List<String> CHOICES = List.of(NONE, ROI_MANAGER, LABEL_IMAGE);

	private StrokeChoice() {}

	/**
	 * The strokes for {@code photo} (an accepted input, see {@link ImagePlanes#checkInput}),
	 * or null for {@value #NONE}. The layers found are logged.
	 *
	 * @param strokeImage the {@code stroke_image} (used by {@value #LABEL_IMAGE} only; logged as
	 *          unused otherwise)
	 * @throws IllegalArgumentException for an unknown choice, a choice without what it needs, a
	 *           stroke image that does not fit the photo, or strokes that are not 2…K layers
	 */
	static StrokeLabels strokes(final String choice, final ImagePlus strokeImage, final ImagePlus photo,
		final LogService log, final String name)
	{
		if (!CHOICES.contains(choice)) {
			throw new IllegalArgumentException("Unknown strokes choice '" + choice + "'; accepted are '" + String.join("', '",
				CHOICES) + "'");
		}
		if (strokeImage != null && !LABEL_IMAGE.equals(choice) && log != null) {
			log.info(name + ": strokes=[" + choice + "]: the stroke image '" + strokeImage.getTitle() + "' is not used");
		}
		if (NONE.equals(choice)) return null;
		if (photo.getNSlices() * photo.getNFrames() > 1) {
			throw new IllegalArgumentException("strokes=[" + choice + "] applies to a single image, but '" + photo.getTitle() +
				"' has " + photo.getNSlices() * photo.getNFrames() + " Z/T planes; segment one plane (Image › Duplicate…) " +
				"or choose strokes=[" + NONE + "]");
		}
		final int w = photo.getWidth(), h = photo.getHeight();
		if (ROI_MANAGER.equals(choice)) {
			final StrokeRois.Result r;
			try {
				r = StrokeRois.labels(StrokeRois.managerRois(), w, h);
			}
			catch (final IllegalArgumentException e) {
				throw e.getMessage().startsWith("strokes=") ? e : new IllegalArgumentException("strokes=[" + ROI_MANAGER + "]: " +
					e.getMessage(), e);
			}
			if (log != null) {
				log.info(name + ": strokes from the ROI Manager: " + r.strokes().layers() + " layers: " + describe(r.layers()));
			}
			return r.strokes();
		}
		return fromImage(strokeImage, w, h, log, name);
	}

	/** The labels of {@code stroke_image} ({@value #LABEL_IMAGE}). */
	private static StrokeLabels fromImage(final ImagePlus img, final int w, final int h, final LogService log,
		final String name)
	{
		final String key = "strokes=[" + LABEL_IMAGE + "]";
		if (img == null) {
			throw new IllegalArgumentException(key + " needs a stroke image (parameter stroke_image, an open label image of " +
				"the photo's size: 0 = no stroke, k = a stroke of layer k); or choose strokes=[" + NONE + "]");
		}
		final String what = key + ": the stroke image '" + img.getTitle() + "'";
		if (img.getWidth() != w || img.getHeight() != h) {
			throw new IllegalArgumentException(what + " is " + img.getWidth() + "×" + img.getHeight() + " but the image is " +
				w + "×" + h + "; draw the strokes on this photo (a label image of its size)");
		}
		if (img.getStackSize() != 1) {
			throw new IllegalArgumentException(what + " has " + img.getStackSize() + " planes; a label image has one");
		}
		if (img.getBitDepth() == 24) {
			throw new IllegalArgumentException(what + " is RGB; a label image must be grey (8 or 16 bits) with the label of " +
				"each pixel as its value (0 = none)");
		}
		final FileInfo file = img.getOriginalFileInfo();
		if (file != null && file.fileName != null && file.fileName.toLowerCase(Locale.ROOT).matches(".*\\.jpe?g")) {
			throw new IllegalArgumentException(what + " was opened from a JPEG (" + file.fileName + "): its lossy " +
				"compression changes the labels near every stroke; save the label image as PNG or TIFF and open that");
		}
		final Object pixels = img.getProcessor().getPixels();
		final int[] labels = new int[w * h];
		for (int i = 0; i < labels.length; i++) {
			if (pixels instanceof byte[]) labels[i] = ((byte[]) pixels)[i] & 0xff;
			else if (pixels instanceof short[]) labels[i] = ((short[]) pixels)[i] & 0xffff;
			else {
				final float v = ((float[]) pixels)[i];
				if (v != Math.rint(v) || Math.abs(v) > 1e6) {
					throw new IllegalArgumentException(what + " has the value " + v + " at pixel (" + i % w + ", " + i / w +
						"); labels are whole numbers, 0 = no stroke, 1–" + StrokeLabels.MAX_LAYERS + " = layers");
				}
				labels[i] = (int) v;
			}
		}
		final StrokeLabels strokes;
		try {
			strokes = new StrokeLabels(w, h, labels);
		}
		catch (final IllegalArgumentException e) {
			throw new IllegalArgumentException(what + ": " + e.getMessage(), e);
		}
		if (log != null) {
			final String[] counts = new String[strokes.layers()];
			for (int k = 1; k <= strokes.layers(); k++) counts[k - 1] = strokes.pixels(k) + " px";
			log.info(name + ": strokes from '" + img.getTitle() + "': " + strokes.layers() + " layers: " + describe(Arrays
				.asList(counts)));
		}
		return strokes;
	}

	private static String describe(final List<String> layers) {
		final StringBuilder b = new StringBuilder();
		for (int k = 0; k < layers.size(); k++) b.append(k == 0 ? "" : ", ").append(k + 1).append(" = ").append(layers.get(k));
		return b.toString();
	}
}
