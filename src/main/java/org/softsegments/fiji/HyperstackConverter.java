package org.softsegments.fiji;

import java.awt.image.IndexColorModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.softsegments.core.Progress;
import org.softsegments.engine.SegmentationResult;
import org.softsegments.engine.SemanticSoftSegmentation;
import org.softsegments.engine.Settings;
import org.softsegments.engine.SoftSegments;
import org.softsegments.engine.StrokeLabels;
import org.softsegments.eval.LayerVisualization;
import org.softsegments.features.network.FeatureNetwork;
import org.softsegments.features.network.NetworkSegmentation;
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
 * The one conversion shared by the Fiji front ends: ImageJ 1.x {@link ImagePlus} → engine
 * ({@link SemanticSoftSegmentation}) → ImageJ hyperstack of soft layers. No algorithm here.
 * <p>
 * <b>Accepted inputs.</b> RGB colour; one grey channel (8-, 16- or 32-bit); a composite /
 * hyperstack with exactly 3 channels (used as red, green, blue); 8-bit indexed colour (type
 * {@code COLOR_256}, or an 8-bit image whose LUT is a colour palette rather than a smooth ramp,
 * as ImageJ opens GIFs: mapped through its LUT to RGB). Z slices and T frames are segmented plane by plane (video frames
 * are independent) into a hyperstack with the same Z and T. Anything else (2 or 4+ channels,
 * an RGB hyperstack with channels, an empty image) gives an {@link IllegalArgumentException}
 * that says what is accepted.
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
public final class HyperstackConverter {

	private HyperstackConverter() {}

	/** The input image as engine planes, one per (z, t), t outer and z inner (ImageJ order). */
	public static final class Planes {

		private final List<PlanarImage> images;
		private final int slices, frames;
		private final List<String> notes;

		Planes(final List<PlanarImage> images, final int slices, final int frames, final List<String> notes) {
			this.images = images;
			this.slices = slices;
			this.frames = frames;
			this.notes = notes;
		}

		/** One 1- or 3-channel image in [0,1] per plane; index {@code z + t·slices}. */
		public List<PlanarImage> images() {
			return images;
		}

		public int slices() {
			return slices;
		}

		public int frames() {
			return frames;
		}

		/** Notes about the conversion (e.g. a 32-bit rescale). */
		public List<String> notes() {
			return notes;
		}
	}

	/** The result of {@link #segment}: the layer hyperstack plus what made it. */
	public static final class Segmentation {

		private final ImagePlus layers;
		private final List<PlanarImage> perPlane, inputs;
		private final List<SoftSegments> soft;
		private final int slices, frames;
		private final List<String> notes;

		Segmentation(final ImagePlus layers, final List<PlanarImage> perPlane, final List<PlanarImage> inputs,
			final List<SoftSegments> soft, final int slices, final int frames, final List<String> notes)
		{
			this.layers = layers;
			this.perPlane = perPlane;
			this.inputs = inputs;
			this.soft = soft;
			this.slices = slices;
			this.frames = frames;
			this.notes = notes;
		}

		/** The layers hyperstack, titled "&lt;input&gt; soft segments" (a regrouping: see {@link #regroup}). */
		public ImagePlus layers() {
			return layers;
		}

		/** The engine's layers of each plane ({@code z + t·slices}). */
		public List<PlanarImage> perPlane() {
			return perPlane;
		}

		/** The engine's input of each plane ({@code z + t·slices}; see {@link #toPlanes}). */
		public List<PlanarImage> inputPlanes() {
			return inputs;
		}

		/**
		 * The soft segments of each plane before grouping ({@code z + t·slices}), for {@link #regroup}:
		 * those of a run that kept them, or those a regrouping started from; null otherwise.
		 */
		public List<SoftSegments> softSegments() {
			return soft;
		}

		public int slices() {
			return slices;
		}

		public int frames() {
			return frames;
		}

		/** Notes from the conversion and the engine, one line each. */
		public List<String> notes() {
			return notes;
		}

		/** The RGB colour composite, titled like the layers plus " visualisation". */
		public ImagePlus visualization() {
			final ImagePlus vis = HyperstackConverter.visualization(perPlane, slices, frames, layers.getTitle() +
				" visualisation");
			vis.setCalibration(spatial(layers.getCalibration()));
			return vis;
		}
	}

	/**
	 * Segments every plane of {@code image} and builds the layer hyperstack.
	 *
	 * @param image the input (never modified)
	 * @param features optional feature image (null: colour-only features)
	 * @param settings engine settings (validated by the engine)
	 * @param progress receives {@code (stage, overall fraction)}; for more than one plane the
	 *          stage reads "stage (plane i/P)"; its cancellation stops the run
	 * @throws IllegalArgumentException for unsupported images or settings
	 * @throws org.softsegments.core.SegmentationCancelledException when cancelled
	 */
	public static Segmentation segment(final ImagePlus image, final ImagePlus features, final Settings settings,
		final Progress progress)
	{
		return segment(image, features, null, settings, false, progress);
	}

	/**
	 * As {@link #segment(ImagePlus, ImagePlus, Settings, Progress)}, with the grouping guided by
	 * {@code strokes} when not null (the same strokes for every plane; the number of layers is then
	 * the strokes' K), and with {@code keep} the soft segments of every plane kept for
	 * {@link #regroup} ({@link Segmentation#softSegments()}).
	 */
	public static Segmentation segment(final ImagePlus image, final ImagePlus features, final StrokeLabels strokes,
		final Settings settings, final boolean keep, final Progress progress)
	{
		final Planes planes = toPlanes(image);
		final List<PlanarImage> featurePlanes = features == null ? null : featurePlanes(features, image, planes);
		return segment(image, planes, (i, plane, p) -> {
			p.checkpoint(SemanticSoftSegmentation.FEATURES, 0);
			return SemanticSoftSegmentation.run(plane, featurePlanes == null ? null : featurePlanes.get(i), strokes, settings,
				p, keep);
		}, progress, image.getTitle() + " soft segments");
	}

	/**
	 * Segments every plane of {@code image} with the features of a feature network, loaded once by
	 * the caller for all planes ({@link NetworkSegmentation}: the network's forward pass is the
	 * stage "features" of each plane), and builds the layer hyperstack. (A name of its own, so that
	 * {@code segment(image, null, …)} stays unambiguous.)
	 *
	 * @param network the feature network (not closed here)
	 * @throws IllegalArgumentException for unsupported images or settings
	 * @throws IllegalStateException when the network fails (message from
	 *           {@link org.softsegments.features.network.TensorFlowConflicts#explain})
	 * @throws org.softsegments.core.SegmentationCancelledException when cancelled
	 * @see #segment(ImagePlus, ImagePlus, Settings, Progress)
	 */
	public static Segmentation segmentWithNetwork(final ImagePlus image, final FeatureNetwork network,
		final Settings settings, final Progress progress)
	{
		return segmentWithNetwork(image, network, null, settings, false, progress);
	}

	/**
	 * As {@link #segmentWithNetwork(ImagePlus, FeatureNetwork, Settings, Progress)}, with strokes
	 * and kept soft segments as {@link #segment(ImagePlus, ImagePlus, StrokeLabels, Settings, boolean, Progress)}.
	 */
	public static Segmentation segmentWithNetwork(final ImagePlus image, final FeatureNetwork network,
		final StrokeLabels strokes, final Settings settings, final boolean keep, final Progress progress)
	{
		if (network == null) throw new IllegalArgumentException("No feature network given");
		return segment(image, toPlanes(image), (i, plane, p) -> NetworkSegmentation.run(network, plane, strokes, settings, p,
			keep, null), progress, image.getTitle() + " soft segments");
	}

	/**
	 * Groups the soft segments kept from an earlier run on {@code image} again
	 * ({@link SemanticSoftSegmentation#regroup}: only the grouping, the relaxed sparsification and
	 * the upsampling run), into {@code layers} layers or by {@code strokes}, and builds the layer
	 * hyperstack, titled {@code title}. With the same layers, strokes and seed the layers equal those
	 * of the full run bit for bit.
	 *
	 * @param soft the soft segments of every plane ({@link Segmentation#softSegments()} or a segments file)
	 * @param threads worker threads (0 = all processors)
	 * @throws IllegalArgumentException when the segments do not belong to the image (another image,
	 *           or its pixels changed: the engine's message), or for bad input
	 */
	public static Segmentation regroup(final ImagePlus image, final List<SoftSegments> soft, final int layers,
		final StrokeLabels strokes, final int threads, final Progress progress, final String title)
	{
		final Planes planes = toPlanes(image);
		if (soft == null || soft.size() != planes.images().size()) {
			throw new IllegalArgumentException("The soft segments are of " + (soft == null ? 0 : soft.size()) + " plane(s), " +
				"but '" + image.getTitle() + "' has " + planes.images().size());
		}
		return segment(image, planes, (i, plane, p) -> SemanticSoftSegmentation.regroup(plane, soft.get(i), layers, strokes,
			threads, p), progress, title);
	}

	/** How one plane (index i) is segmented. */
	private interface PlaneSegmenter {

		SegmentationResult segment(int i, PlanarImage plane, Progress progress);
	}

	private static Segmentation segment(final ImagePlus image, final Planes planes, final PlaneSegmenter segmenter,
		final Progress progress, final String title)
	{
		final Progress p = progress == null ? Progress.NONE : progress;
		final int count = planes.images().size();
		final List<PlanarImage> layers = new ArrayList<>(count);
		final List<SoftSegments> soft = new ArrayList<>(count);
		final List<String> notes = new ArrayList<>(planes.notes());
		for (int i = 0; i < count; i++) {
			final int plane = i;
			final String suffix = count > 1 ? String.format(Locale.ROOT, " (plane %d/%d)", i + 1, count) : "";
			final Progress planeProgress = new Progress() {
				@Override
				public void report(final String stage, final double fraction) {
					p.report(stage + suffix, (plane + fraction) / count);
				}

				@Override
				public boolean isCancelled() {
					return p.isCancelled();
				}
			};
			final SegmentationResult r = segmenter.segment(i, planes.images().get(i), planeProgress);
			for (final String note : r.notes()) notes.add(count > 1 ? "Plane " + (i + 1) + ": " + note : note);
			layers.add(r.layers());
			soft.add(r.softSegments());
		}
		final int k = maxChannels(layers);
		for (int i = 0; i < count; i++) {
			if (layers.get(i).channels() < k) {
				notes.add("Plane " + (i + 1) + " has " + layers.get(i).channels() + " layers, fewer than the " + k +
					" of other planes: its missing layers are zero");
			}
		}
		final ImagePlus out = layersHyperstack(layers, planes.slices(), planes.frames(), title);
		out.setCalibration(spatial(image.getCalibration()));
		return new Segmentation(out, layers, planes.images(), soft.contains(null) ? null : soft, planes.slices(), planes
			.frames(), notes);
	}

	// -- input --

	/**
	 * The input as engine planes (see the class javadoc for the accepted types and scaling).
	 *
	 * @throws IllegalArgumentException for unsupported images
	 */
	public static Planes toPlanes(final ImagePlus imp) {
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
		return new Planes(out, slices, frames, notes);
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
		final Planes planes)
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

	// -- output --

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

	private static int maxChannels(final List<PlanarImage> planes) {
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
