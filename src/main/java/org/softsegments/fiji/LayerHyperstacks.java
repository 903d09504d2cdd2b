package org.softsegments.fiji;

import java.util.List;

import org.softsegments.eval.LayerVisualization;
import org.softsegments.image.PlanarImage;

import ij.CompositeImage;
import ij.IJ;
import ij.ImagePlus;
import ij.ImageStack;
import ij.measure.Calibration;
import ij.process.ColorProcessor;
import ij.process.FloatProcessor;
import ij.process.LUT;

/**
 * The output side of {@link HyperstackConverter}: the engine's layers of every plane as ImageJ
 * 1.x images (the layer hyperstack and the colour visualisation).
 * <p>
 * <b>Output.</b> A 32-bit hyperstack with C = number of layers, the input's Z and T, a
 * {@link CompositeImage} in composite mode (ImageJ 1.x only supports composite mode up to
 * {@value CompositeImage#MAX_CHANNELS} channels; more layers fall back to colour mode), one
 * LUT per layer ramping from black to the {@link LayerVisualization#PALETTE} colour of that
 * layer (the colours of the visualisation), display range 0–1 for every channel, slice
 * labels "layer k", the input's spatial calibration (density calibration dropped: values are
 * alphas). If the engine returns fewer layers for some plane than for another (a documented
 * engine fallback), the missing layers of that plane are zero and a note says so.
 */
public final class LayerHyperstacks {

	private LayerHyperstacks() {}

	/**
	 * The layers of every plane as a 32-bit hyperstack (C = layers, the given Z and T); see the
	 * class javadoc. The planes' float arrays are used directly (not copied).
	 */
	public static ImagePlus layersHyperstack(final List<PlanarImage> perPlane, final int slices, final int frames,
		final String title)
	{
		checkPlanes(perPlane, slices, frames);
		final int k = maxChannels(perPlane);
		final int w = perPlane.get(0).width(), h = perPlane.get(0).height();
		final ImageStack stack = new ImageStack(w, h);
		for (final PlanarImage layers : perPlane) {
			for (int c = 0; c < k; c++) {
				final float[] pixels = c < layers.channels() ? layers.plane(c) : new float[w * h];
				stack.addSlice(layerLabel(c), new FloatProcessor(w, h, pixels));
			}
		}
		final ImagePlus imp = new ImagePlus(title, stack);
		imp.setDimensions(k, slices, frames);
		imp.setOpenAsHyperStack(true);
		if (k == 1) {
			imp.getProcessor().setLut(layerLut(0));
			imp.setDisplayRange(0, 1);
			return imp;
		}
		final CompositeImage ci = new CompositeImage(imp, IJ.COMPOSITE);
		ci.setTitle(title);
		for (int c = 0; c < k; c++) ci.setChannelLut(layerLut(c), c + 1);
		ci.setMode(IJ.COMPOSITE);
		ci.getProcessor().setMinAndMax(0, 1);
		return ci;
	}

	/** Label of layer c (0-based): "layer c+1". */
	public static String layerLabel(final int c) {
		return "layer " + (c + 1);
	}

	/** LUT of layer c (0-based): black → palette colour, display range 0–1. */
	public static LUT layerLut(final int c) {
		final int[] col = LayerVisualization.color(c);
		final byte[] r = new byte[256], g = new byte[256], b = new byte[256];
		for (int i = 0; i < 256; i++) {
			r[i] = (byte) Math.round(col[0] * i / 255.0);
			g[i] = (byte) Math.round(col[1] * i / 255.0);
			b[i] = (byte) Math.round(col[2] * i / 255.0);
		}
		final LUT lut = new LUT(r, g, b);
		lut.min = 0;
		lut.max = 1;
		return lut;
	}

	/** The colour composite of every plane as an RGB stack with the given Z and T. */
	public static ImagePlus visualization(final List<PlanarImage> perPlane, final int slices, final int frames,
		final String title)
	{
		checkPlanes(perPlane, slices, frames);
		final int w = perPlane.get(0).width(), h = perPlane.get(0).height(), n = w * h;
		final ImageStack stack = new ImageStack(w, h);
		for (final PlanarImage layers : perPlane) {
			final PlanarImage rgb = LayerVisualization.composite(layers);
			final int[] pixels = new int[n];
			for (int i = 0; i < n; i++) {
				pixels[i] = 0xff000000 | to8(rgb.plane(0)[i]) << 16 | to8(rgb.plane(1)[i]) << 8 | to8(rgb.plane(2)[i]);
			}
			stack.addSlice(null, new ColorProcessor(w, h, pixels));
		}
		final ImagePlus imp = new ImagePlus(title, stack);
		imp.setDimensions(1, slices, frames);
		if (slices * frames > 1) imp.setOpenAsHyperStack(true);
		return imp;
	}

	private static int to8(final float v) {
		return Math.round((v < 0 ? 0 : v > 1 ? 1 : v) * 255);
	}

	/** The spatial part of a calibration (a copy; density calibration dropped). */
	static Calibration spatial(final Calibration cal) {
		final Calibration c = cal.copy();
		c.disableDensityCalibration();
		return c;
	}

	/** The most layers of any plane (the hyperstack's C). */
	static int maxChannels(final List<PlanarImage> planes) {
		int k = 0;
		for (final PlanarImage p : planes) k = Math.max(k, p.channels());
		return k;
	}

	private static void checkPlanes(final List<PlanarImage> perPlane, final int slices, final int frames) {
		if (perPlane.isEmpty() || perPlane.size() != slices * frames) {
			throw new IllegalArgumentException("Got " + perPlane.size() + " planes for " + slices + " slice(s) × " +
				frames + " frame(s)");
		}
	}
}
