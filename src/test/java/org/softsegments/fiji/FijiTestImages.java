package org.softsegments.fiji;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.softsegments.demo.SyntheticScene;
import org.softsegments.image.PlanarImage;

import ij.ImagePlus;
import ij.ImageStack;
import ij.process.ColorProcessor;
import ij.process.ImageProcessor;

/** Small ImageJ test images from {@link SyntheticScene} and pixel snapshots. */
final class FijiTestImages {

	private FijiTestImages() {}

	/** RGB image of a synthetic scene. */
	static ImagePlus rgb(final String title, final int w, final int h, final long seed) {
		return new ImagePlus(title, colorProcessor(SyntheticScene.create(w, h, 2, seed).image()));
	}

	/** RGB time series: one synthetic scene per frame (seeds given). */
	static ImagePlus rgbFrames(final String title, final int w, final int h, final long... seeds) {
		final ImageStack stack = new ImageStack(w, h);
		for (final long seed : seeds) stack.addSlice(null, colorProcessor(SyntheticScene.create(w, h, 2, seed).image()));
		final ImagePlus imp = new ImagePlus(title, stack);
		imp.setDimensions(1, 1, seeds.length);
		imp.setOpenAsHyperStack(true);
		return imp;
	}

	/** 8-bit RGB packing of a 3-channel image in [0,1]. */
	static ColorProcessor colorProcessor(final PlanarImage image) {
		final int n = image.pixels();
		final int[] pixels = new int[n];
		for (int i = 0; i < n; i++) {
			pixels[i] = 0xff000000 | to8(image.plane(0)[i]) << 16 | to8(image.plane(1)[i]) << 8 | to8(image.plane(2)[i]);
		}
		return new ColorProcessor(image.width(), image.height(), pixels);
	}

	private static int to8(final float v) {
		return Math.round(Math.max(0, Math.min(1, v)) * 255);
	}

	/** Deep copy of every pixel array of the image's stack (the state the command must not change). */
	static List<Object> snapshot(final ImagePlus imp) {
		final List<Object> out = new ArrayList<>();
		final ImageStack stack = imp.getImageStack();
		for (int i = 1; i <= stack.getSize(); i++) {
			final ImageProcessor ip = stack.getProcessor(i);
			out.add(ip.duplicate().getPixels());
		}
		return out;
	}

	/** True if the image's pixels equal the snapshot. */
	static boolean unchanged(final ImagePlus imp, final List<Object> snapshot) {
		final ImageStack stack = imp.getImageStack();
		if (stack.getSize() != snapshot.size()) return false;
		for (int i = 1; i <= stack.getSize(); i++) {
			final Object a = stack.getPixels(i), b = snapshot.get(i - 1);
			final boolean same;
			if (a instanceof byte[]) same = Arrays.equals((byte[]) a, (byte[]) b);
			else if (a instanceof short[]) same = Arrays.equals((short[]) a, (short[]) b);
			else if (a instanceof int[]) same = Arrays.equals((int[]) a, (int[]) b);
			else same = Arrays.equals((float[]) a, (float[]) b);
			if (!same) return false;
		}
		return true;
	}

	/** Largest |Σ_c layer_c − 1| over the pixels of plane set (z, t) of a layer hyperstack. */
	static double worstSumError(final ImagePlus layers, final int z, final int t) {
		final int n = layers.getWidth() * layers.getHeight();
		final double[] sum = new double[n];
		for (int c = 1; c <= layers.getNChannels(); c++) {
			final float[] p = (float[]) layers.getImageStack().getPixels(layers.getStackIndex(c, z, t));
			for (int i = 0; i < n; i++) sum[i] += p[i];
		}
		double worst = 0;
		for (final double s : sum) worst = Math.max(worst, Math.abs(s - 1));
		return worst;
	}
}
