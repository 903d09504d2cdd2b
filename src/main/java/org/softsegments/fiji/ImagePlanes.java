package org.softsegments.fiji;

import java.awt.image.IndexColorModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.softsegments.image.PlanarImage;

import ij.CompositeImage;
import ij.ImagePlus;
import ij.process.LUT;

/**
 * The input side of {@link HyperstackConverter}: an ImageJ 1.x {@link ImagePlus} as engine
 * planes in [0,1], one per (z, t), t outer and z inner (ImageJ order).
 * <p>
 * <b>Accepted inputs.</b> RGB colour; one grey channel (8-, 16- or 32-bit); a composite /
 * hyperstack with exactly 3 channels (used as red, green, blue); 8-bit indexed colour (type
 * {@code COLOR_256}, or an 8-bit image whose LUT is a colour palette rather than a smooth ramp,
 * as ImageJ opens GIFs: mapped through its LUT to RGB). Z slices and T frames are segmented
 * plane by plane (video frames are independent) into a hyperstack with the same Z and T.
 * Anything else (2 or 4+ channels, an RGB hyperstack with channels, an empty image) gives an
 * {@link IllegalArgumentException} that says what is accepted.
 * <p>
 * <b>Value scaling</b> (the engine wants [0,1]):
 * <ul>
 * <li>RGB and 8-bit: value / 255 (a grey or pseudo-colour LUT, e.g. "Fire", is ignored: the
 * values are grey levels);</li>
 * <li>16-bit: through the channel's <em>display range</em> (Image › Adjust › Brightness &amp;
 * Contrast), {@code (v − min) / (max − min)} clamped to [0,1] — so a 12-bit camera image
 * displayed with auto contrast is segmented as it is seen, not compressed into [0, 1/16]. If
 * the display range is empty, value / 65535;</li>
 * <li>32-bit: used as is when every finite value lies in [0,1]; otherwise rescaled linearly
 * from [min, max] of all used planes and channels (one common range, so colour balance and
 * frame-to-frame brightness are kept), with a note. NaN / infinite values are rejected by the
 * engine with a clear message.</li>
 * </ul>
 * <b>Feature image</b> (optional, precomputed semantic features of the same width and
 * height): RGB and 8-bit / 255, 16-bit / 65535, 32-bit as is. Its channels are the feature
 * dimensions (3 = used as given, more than 3 = raw network features, preprocessed by the
 * engine). If it has one plane set per input plane (the same Z·T) plane i goes with input
 * plane i; for a single-plane input all its planes (C·Z·T) are the feature channels, so a raw
 * feature stack that opened as Z slices works too.
 *
 * @param images one 1- or 3-channel image in [0,1] per plane; index {@code z + t·slices}
 * @param notes notes about the conversion (e.g. a 32-bit rescale)
 */
public record ImagePlanes(List<PlanarImage> images, int slices, int frames, List<String> notes) {

	/**
	 * The input as engine planes (see the class javadoc for the accepted types and scaling).
	 *
	 * @throws IllegalArgumentException for unsupported images
	 */
	public static ImagePlanes toPlanes(final ImagePlus imp) {
		checkInput(imp);
		final int channels = imp.getNChannels(), slices = imp.getNSlices(), frames = imp.getNFrames();
		final int bitDepth = imp.getBitDepth();
		final int w = imp.getWidth(), h = imp.getHeight(), n = w * h;
		final List<String> notes = new ArrayList<>();
		final List<PlanarImage> out = new ArrayList<>(slices * frames);
		final boolean indexedColour = bitDepth == 8 && channels == 1 && (imp.getType() == ImagePlus.COLOR_256 || imp
			.getProcessor().isColorLut() && !imp.getProcessor().isPseudoColorLut());
		for (int t = 1; t <= frames; t++) {
			for (int z = 1; z <= slices; z++) {
				final float[][] data;
				if (bitDepth == 24) {
					data = rgb((int[]) pixels(imp, imp.getStackIndex(1, z, t)), n);
				}
				else if (indexedColour) {
					data = indexed((byte[]) pixels(imp, imp.getStackIndex(1, z, t)), (IndexColorModel) imp.getProcessor()
						.getColorModel(), n);
				}
				else {
					data = new float[channels][];
					for (int c = 1; c <= channels; c++) {
						data[c - 1] = grey(pixels(imp, imp.getStackIndex(c, z, t)), n, bitDepth, displayRange(imp, c));
					}
				}
				out.add(new PlanarImage(w, h, data));
			}
		}
		if (bitDepth == 32) rescale32(out, notes, imp.getTitle());
		return new ImagePlanes(out, slices, frames, notes);
	}

	/**
	 * Checks that {@code imp} is an accepted input (see the class javadoc) without converting it,
	 * so that front ends can fail fast before loading a feature network.
	 *
	 * @throws IllegalArgumentException for unsupported images
	 */
	public static void checkInput(final ImagePlus imp) {
		if (imp == null) throw new IllegalArgumentException("No input image given");
		if (imp.getStackSize() < 1 || imp.getWidth() < 1 || imp.getHeight() < 1 || imp.getProcessor() == null) {
			throw new IllegalArgumentException("Image '" + imp.getTitle() + "' is empty; semantic soft segmentation " +
				"needs an RGB, grey or 3-channel image");
		}
		final int channels = imp.getNChannels();
		final int bitDepth = imp.getBitDepth();
		if (bitDepth == 24 && channels != 1) {
			throw new IllegalArgumentException("Image '" + imp.getTitle() + "' is an RGB hyperstack with " + channels +
				" channels; accepted are " + ACCEPTED);
		}
		if (channels != 1 && channels != 3) {
			throw new IllegalArgumentException("Image '" + imp.getTitle() + "' has " + channels + " channels; accepted are " +
				ACCEPTED);
		}
	}

	/**
	 * The pixel array of stack index i (1-based), read without side effects on the image
	 * ({@code getStack()} would attach a stack to a single-plane image).
	 */
	private static Object pixels(final ImagePlus imp, final int i) {
		return imp.getStackSize() == 1 ? imp.getProcessor().getPixels() : imp.getImageStack().getPixels(i);
	}

	private static final String ACCEPTED = "RGB colour, one grey channel (8-, 16- or 32-bit) or a composite with " +
		"exactly 3 channels (used as red, green, blue); Z slices and T frames are segmented plane by plane";

	private static float[][] rgb(final int[] pixels, final int n) {
		final float[][] d = new float[3][n];
		for (int i = 0; i < n; i++) {
			final int v = pixels[i];
			d[0][i] = ((v >> 16) & 255) / 255f;
			d[1][i] = ((v >> 8) & 255) / 255f;
			d[2][i] = (v & 255) / 255f;
		}
		return d;
	}

	private static float[][] indexed(final byte[] pixels, final IndexColorModel cm, final int n) {
		final int size = cm.getMapSize();
		final byte[] r = new byte[size], g = new byte[size], b = new byte[size];
		cm.getReds(r);
		cm.getGreens(g);
		cm.getBlues(b);
		final float[][] d = new float[3][n];
		for (int i = 0; i < n; i++) {
			final int v = Math.min(pixels[i] & 255, size - 1);
			d[0][i] = (r[v] & 255) / 255f;
			d[1][i] = (g[v] & 255) / 255f;
			d[2][i] = (b[v] & 255) / 255f;
		}
		return d;
	}

	/** Display range of channel c (1-based) for 16-bit scaling. */
	private static double[] displayRange(final ImagePlus imp, final int c) {
		if (imp.getBitDepth() != 16) return null;
		if (imp instanceof CompositeImage && ((CompositeImage) imp).getNChannels() >= c) {
			final LUT lut = ((CompositeImage) imp).getChannelLut(c);
			return new double[] { lut.min, lut.max };
		}
		return new double[] { imp.getDisplayRangeMin(), imp.getDisplayRangeMax() };
	}

	/** One grey plane in [0,1] (32-bit: raw, rescaled later). */
	private static float[] grey(final Object pixels, final int n, final int bitDepth, final double[] range) {
		final float[] d = new float[n];
		if (pixels instanceof byte[]) {
			final byte[] p = (byte[]) pixels;
			for (int i = 0; i < n; i++) d[i] = (p[i] & 255) / 255f;
		}
		else if (pixels instanceof short[]) {
			final short[] p = (short[]) pixels;
			double lo = range[0], hi = range[1];
			if (!(hi > lo)) {
				lo = 0;
				hi = 65535;
			}
			final double scale = 1 / (hi - lo);
			for (int i = 0; i < n; i++) {
				final double v = ((p[i] & 0xffff) - lo) * scale;
				d[i] = (float) (v < 0 ? 0 : v > 1 ? 1 : v);
			}
		}
		else if (pixels instanceof float[]) {
			System.arraycopy(pixels, 0, d, 0, n);
		}
		else {
			throw new IllegalArgumentException("Unsupported pixel type " + bitDepth + "-bit; accepted are " + ACCEPTED);
		}
		return d;
	}

	/** 32-bit: as is when all finite values lie in [0,1], else min–max over all planes. */
	private static void rescale32(final List<PlanarImage> planes, final List<String> notes, final String title) {
		double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
		for (final PlanarImage p : planes) {
			for (final float[] plane : p.planes()) {
				for (final float v : plane) {
					if (Float.isFinite(v)) {
						if (v < min) min = v;
						if (v > max) max = v;
					}
				}
			}
		}
		if (!(min <= max)) return; // no finite value: the engine reports it
		if (min >= 0 && max <= 1) return;
		final double scale = max > min ? 1 / (max - min) : 0;
		for (final PlanarImage p : planes) {
			for (final float[] plane : p.planes()) {
				for (int i = 0; i < plane.length; i++) {
					if (Float.isFinite(plane[i])) plane[i] = (float) Math.min(1, (plane[i] - min) * scale);
				}
			}
		}
		notes.add(String.format(Locale.ROOT, "32-bit image '%s' has values in [%g, %g], outside [0, 1]: rescaled " +
			"linearly to [0, 1]", title, min, max));
	}

	/**
	 * The feature image as one engine image per input plane (see the class javadoc).
	 *
	 * @throws IllegalArgumentException if its size or plane count does not fit the image
	 */
	public static List<PlanarImage> featurePlanes(final ImagePlus features, final ImagePlus image,
		final ImagePlanes planes)
	{
		final String name = "Feature image '" + features.getTitle() + "'";
		if (features.getWidth() != image.getWidth() || features.getHeight() != image.getHeight()) {
			throw new IllegalArgumentException(name + " is " + features.getWidth() + "×" + features.getHeight() +
				" but the image is " + image.getWidth() + "×" + image.getHeight() + "; they must have the same size");
		}
		final int count = planes.images().size();
		final int fz = features.getNSlices(), ft = features.getNFrames(), fc = features.getNChannels();
		final int n = image.getWidth() * image.getHeight();
		final List<PlanarImage> out = new ArrayList<>(count);
		if (fz * ft == count && count > 1) {
			for (int t = 1; t <= ft; t++) {
				for (int z = 1; z <= fz; z++) {
					final List<float[]> ch = new ArrayList<>();
					for (int c = 1; c <= fc; c++) addFeatureChannels(ch, pixels(features, features.getStackIndex(c, z, t)), n);
					out.add(new PlanarImage(image.getWidth(), image.getHeight(), ch.toArray(new float[0][])));
				}
			}
		}
		else if (count == 1) {
			final List<float[]> ch = new ArrayList<>();
			for (int i = 1; i <= features.getStackSize(); i++) addFeatureChannels(ch, pixels(features, i), n);
			out.add(new PlanarImage(image.getWidth(), image.getHeight(), ch.toArray(new float[0][])));
		}
		else {
			throw new IllegalArgumentException(name + " has " + fz * ft + " Z/T plane(s) but the image has " + count +
				"; give one feature plane (with all its channels) per image plane");
		}
		return out;
	}

	private static void addFeatureChannels(final List<float[]> out, final Object pixels, final int n) {
		if (pixels instanceof int[]) {
			for (final float[] c : rgb((int[]) pixels, n)) out.add(c);
		}
		else if (pixels instanceof short[]) {
			final short[] p = (short[]) pixels;
			final float[] d = new float[n];
			for (int i = 0; i < n; i++) d[i] = (p[i] & 0xffff) / 65535f;
			out.add(d);
		}
		else out.add(grey(pixels, n, 0, null));
	}
}
