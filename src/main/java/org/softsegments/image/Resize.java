package org.softsegments.image;


/**
 * Resizing of planar images: the benchmark's {@code --scale} option and the fast path's working resolution.
 * <ul>
 * <li>{@link #smooth}: for continuous values (images, alpha mattes, feature images). Separable;
 * along an axis that shrinks, exact <b>area averaging</b> (each output pixel is the mean of the
 * input area it covers, fractional pixels weighted by their overlap: a box filter as wide as
 * the output pixel, i.e. antialiased); along an axis that grows, <b>bilinear</b> interpolation
 * between pixel centres (edges clamped). Constants stay constant; a one-pixel checkerboard
 * halved becomes uniform 0.5.</li>
 * <li>{@link #nearest}: for labels and trimaps (values must not be mixed): the input pixel under
 * the output pixel's centre.</li>
 * </ul>
 * Output size per axis: {@code max(1, round(size · factor))}.
 */
public final class Resize {

	private Resize() {}

	/** Output length of an axis of {@code size} pixels scaled by {@code factor}. */
	public static int scaledSize(final int size, final double factor) {
		if (!(factor > 0) || Double.isInfinite(factor)) {
			throw new IllegalArgumentException("Scale factor must be a finite number > 0, got " + factor);
		}
		return (int) Math.max(1, Math.round(size * factor));
	}

	/** {@link #smooth(PlanarImage, int, int)} by a factor. */
	public static PlanarImage smooth(final PlanarImage image, final double factor) {
		if (factor == 1) return image;
		return smooth(image, scaledSize(image.width(), factor), scaledSize(image.height(), factor));
	}

	/** Area-averaging (shrinking) / bilinear (growing) resize of every channel to outW×outH. */
	public static PlanarImage smooth(final PlanarImage image, final int outW, final int outH) {
		check(outW, outH);
		final int w = image.width(), h = image.height();
		if (outW == w && outH == h) return image;
		final Weights wx = weights(w, outW), wy = weights(h, outH);
		final float[][] out = new float[image.channels()][outW * outH];
		final double[] row = new double[outW * h];
		for (int c = 0; c < image.channels(); c++) {
			final float[] in = image.plane(c);
			// along x
			for (int y = 0; y < h; y++) {
				for (int ox = 0; ox < outW; ox++) {
					double s = 0;
					final int start = wx.start[ox];
					final double[] wt = wx.weight[ox];
					for (int j = 0; j < wt.length; j++) s += wt[j] * in[start + j + y * w];
					row[ox + y * outW] = s;
				}
			}
			// along y
			final float[] o = out[c];
			for (int oy = 0; oy < outH; oy++) {
				final int start = wy.start[oy];
				final double[] wt = wy.weight[oy];
				for (int ox = 0; ox < outW; ox++) {
					double s = 0;
					for (int j = 0; j < wt.length; j++) s += wt[j] * row[ox + (start + j) * outW];
					o[ox + oy * outW] = (float) s;
				}
			}
		}
		return new PlanarImage(outW, outH, out);
	}

	/** Nearest-neighbour resize of an integer map (labels, trimaps) of size w×h. */
	public static int[] nearest(final int[] values, final int w, final int h, final int outW, final int outH) {
		check(outW, outH);
		if (values.length != w * h) throw new IllegalArgumentException("Map has " + values.length +
			" values, expected " + w + "×" + h);
		final int[] out = new int[outW * outH];
		for (int oy = 0; oy < outH; oy++) {
			final int y = source(oy, h, outH);
			for (int ox = 0; ox < outW; ox++) out[ox + oy * outW] = values[source(ox, w, outW) + y * w];
		}
		return out;
	}

	/** The input index whose pixel contains the centre of output pixel {@code o}. */
	private static int source(final int o, final int in, final int out) {
		final int i = (int) Math.floor((o + 0.5) * in / (double) out);
		return Math.min(in - 1, Math.max(0, i));
	}

	private static void check(final int outW, final int outH) {
		if (outW < 1 || outH < 1) throw new IllegalArgumentException("Output size must be at least 1×1, got " + outW +
			"×" + outH);
	}

	/** Per output index: first input index and the weights of consecutive input pixels. */
	private record Weights(int[] start, double[][] weight) {}

	private static Weights weights(final int in, final int out) {
		final int[] start = new int[out];
		final double[][] weight = new double[out][];
		final double scale = in / (double) out;
		for (int o = 0; o < out; o++) {
			if (scale >= 1) { // area average of [o·s, (o+1)·s)
				final double a = o * scale, b = Math.min(in, (o + 1) * scale);
				final int i0 = (int) Math.floor(a), i1 = Math.min(in - 1, (int) Math.ceil(b) - 1);
				final double[] wt = new double[i1 - i0 + 1];
				double total = 0;
				for (int i = i0; i <= i1; i++) {
					final double overlap = Math.min(b, i + 1) - Math.max(a, i);
					wt[i - i0] = Math.max(0, overlap);
					total += wt[i - i0];
				}
				for (int j = 0; j < wt.length; j++) wt[j] /= total;
				start[o] = i0;
				weight[o] = wt;
			}
			else { // bilinear between pixel centres
				final double x = (o + 0.5) * scale - 0.5;
				final int i0 = (int) Math.floor(x);
				final double f = x - i0;
				final int lo = Math.max(0, Math.min(in - 1, i0)), hi = Math.max(0, Math.min(in - 1, i0 + 1));
				if (lo == hi) {
					start[o] = lo;
					weight[o] = new double[] { 1 };
				}
				else {
					start[o] = lo;
					weight[o] = new double[] { 1 - f, f };
				}
			}
		}
		return new Weights(start, weight);
	}
}
