package org.softsegments.fiji;

import org.softsegments.core.Progress;
import org.softsegments.engine.PipelineInputs;
import org.softsegments.image.PlanarImage;
import org.softsegments.unmix.ColourUnmixing;

import ij.CompositeImage;
import ij.IJ;
import ij.ImagePlus;
import ij.ImageStack;
import ij.process.FloatProcessor;
import ij.process.LUT;

/**
 * The output of {@code rgba_layers}: every layer with its own colours, unmixed from the other
 * layers' ({@link ColourUnmixing}), as one 32-bit hyperstack "&lt;layers title&gt; RGBA" with
 * <ul>
 * <li>C = 4 channels: red, green, blue (the layer's straight, not premultiplied, colours F_k in
 * [0, 1]) and alpha (the layer α_k, as in the layer hyperstack); slice labels "layer k red", …,
 * "layer k alpha"; red, green, blue and grey LUTs, display range 0–1, composite mode showing the
 * three colour channels (the alpha channel is there to switch on or to use);</li>
 * <li>Z = K: one slice per layer;</li>
 * <li>T = the photo's frames (a time series is unmixed frame by frame).</li>
 * </ul>
 * Compositing: α_k·F_k summed over the layers (Z) gives the photo as the engine saw it (8-bit /
 * 255, 16-bit through its display range, see {@link ImagePlanes}), e.g. with Process ›
 * Image Calculator (multiply each colour channel by alpha) and Image › Stacks › Z Project (Sum
 * Slices). The same layers the command line writes as RGBA PNGs ({@code --rgba}) and OpenRaster
 * ({@code --ora}). Photos with several Z slices are refused (Z holds the layers).
 */
final class UnmixedLayers {

	/** Channels of the output, in order. */
	static final String[] CHANNELS = { "red", "green", "blue", "alpha" };

	private UnmixedLayers() {}

	/**
	 * Checks that {@code rgba_layers} applies to {@code photo} (before any work).
	 *
	 * @throws IllegalArgumentException for a photo with more than one Z slice
	 */
	static void check(final ImagePlus photo) {
		if (photo.getNSlices() > 1) {
			throw new IllegalArgumentException("rgba_layers: the unmixed layers are a hyperstack with one Z slice per layer, " +
				"so they are made for single images and time series; '" + photo.getTitle() + "' has " + photo.getNSlices() +
				" Z slices");
		}
	}

	/** The RGBA hyperstack of a segmentation (see the class javadoc). */
	static ImagePlus of(final HyperstackConverter.Segmentation r, final Progress progress) {
		final int frames = r.perPlane().size();
		final ImagePlus layersImage = r.layers();
		final int w = layersImage.getWidth(), h = layersImage.getHeight(), k = layersImage.getNChannels();
		final ImageStack stack = new ImageStack(w, h);
		for (int t = 0; t < frames; t++) {
			final PlanarImage layers = padded(r.perPlane().get(t), k);
			final PlanarImage[] colours = ColourUnmixing.unmix(PipelineInputs.rgb(r.inputPlanes().get(t)), layers,
				ColourUnmixing.Params.DEFAULTS, progress);
			for (int l = 0; l < k; l++) {
				for (int c = 0; c < 4; c++) {
					final float[] pixels = c < 3 ? colours[l].plane(c) : layers.plane(l).clone(); // not shared with the layers
					stack.addSlice(LayerHyperstacks.layerLabel(l) + " " + CHANNELS[c], new FloatProcessor(w, h, pixels));
				}
			}
		}
		final String title = layersImage.getTitle() + " RGBA";
		final ImagePlus imp = new ImagePlus(title, stack);
		imp.setDimensions(4, k, frames);
		imp.setOpenAsHyperStack(true);
		final CompositeImage ci = new CompositeImage(imp, IJ.COMPOSITE);
		ci.setTitle(title);
		final LUT[] luts = { LUT.createLutFromColor(java.awt.Color.red), LUT.createLutFromColor(java.awt.Color.green), LUT
			.createLutFromColor(java.awt.Color.blue), LUT.createLutFromColor(java.awt.Color.white) };
		for (int c = 0; c < 4; c++) {
			luts[c].min = 0;
			luts[c].max = 1;
			ci.setChannelLut(luts[c], c + 1);
		}
		ci.setMode(IJ.COMPOSITE);
		ci.getActiveChannels()[3] = false; // show the colours; alpha is there to switch on
		ci.getProcessor().setMinAndMax(0, 1);
		ci.setCalibration(layersImage.getCalibration().copy());
		return ci;
	}

	/** The layers of a plane with K channels (a plane with fewer layers gets zero layers, as in the hyperstack). */
	private static PlanarImage padded(final PlanarImage layers, final int k) {
		if (layers.channels() == k) return layers;
		final float[][] planes = new float[k][];
		for (int c = 0; c < k; c++) planes[c] = c < layers.channels() ? layers.plane(c) : new float[layers.pixels()];
		return new PlanarImage(layers.width(), layers.height(), planes);
	}
}
