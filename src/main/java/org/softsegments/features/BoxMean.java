package org.softsegments.features;

/**
 * Box mean with the semantics of MATLAB {@code imguidedfilter}'s internal mean filter (spec §3.1,
 * §5.2): correlation with an {@code r×r} kernel of value {@code 1/r²} and <em>replicate</em>
 * border handling.
 * <p>
 * For a window size {@code r} (even or odd) the window of output pixel {@code (x, y)} spans the
 * offsets {@code −before … after} on each axis with {@code before = ⌊(r−1)/2⌋} and
 * {@code after = r − 1 − before}: {@code −4 … +5} for {@code r = 10}, {@code −1 … +1} for
 * {@code r = 3}. Samples outside the image take the value of the nearest edge pixel and count
 * like any other sample, so the sum is always divided by {@code r²}.
 * <p>
 * Cost O(N) independent of {@code r}: a horizontal then a vertical running sum, both in double.
 * Running sums (add the entering sample, subtract the leaving one) differ from a direct sum by a
 * few ulps of the window sum; they are not bit-identical to a direct evaluation.
 */
public final class BoxMean {

	private BoxMean() {}

	/** Offset of the first window sample relative to the output pixel ({@code ⌊(r−1)/2⌋}, as a positive count). */
	public static int before(final int window) {
		return (window - 1) / 2;
	}

	/** Offset of the last window sample relative to the output pixel ({@code r − 1 − before}). */
	public static int after(final int window) {
		return window - 1 - before(window);
	}

	/** The box mean of {@code in} (row-major, {@code in[x + y·width]}) as a new array. */
	public static double[] mean(final double[] in, final int width, final int height, final int window) {
		final double[] out = new double[in.length];
		mean(in, width, height, window, new double[in.length], out);
		return out;
	}

	/** The box mean of a float image, computed and returned in double. */
	public static double[] mean(final float[] in, final int width, final int height, final int window) {
		final double[] d = new double[in.length];
		for (int i = 0; i < in.length; i++) d[i] = in[i];
		mean(d, width, height, window, new double[in.length], d);
		return d;
	}

	/**
	 * Box mean into caller-provided buffers. {@code out} may be the same array as {@code in}
	 * (in-place mean); {@code tmp} must be a third array of the same length.
	 */
	public static void mean(final double[] in, final int width, final int height, final int window,
		final double[] tmp, final double[] out)
	{
		check(in, width, height, window);
		if (tmp.length != in.length || out.length != in.length) {
			throw new IllegalArgumentException("Box mean buffers must have length " + in.length + " (width·height)");
		}
		if (tmp == in || tmp == out) throw new IllegalArgumentException("Box mean scratch buffer must differ from input and output");
		final int lo = before(window);
		final int hi = after(window);
		// Horizontal running sums: tmp[x + y w] = sum_{k=-lo..hi} in[clamp(x+k) + y w].
		for (int y = 0; y < height; y++) {
			final int row = y * width;
			double s = 0;
			for (int k = -lo; k <= hi; k++) s += in[row + clamp(k, width)];
			tmp[row] = s;
			for (int x = 1; x < width; x++) {
				s += in[row + clamp(x + hi, width)] - in[row + clamp(x - 1 - lo, width)];
				tmp[row + x] = s;
			}
		}
		// Vertical running sums over whole rows (cache friendly), divided by r².
		final double[] col = new double[width];
		for (int k = -lo; k <= hi; k++) {
			final int row = clamp(k, height) * width;
			for (int x = 0; x < width; x++) col[x] += tmp[row + x];
		}
		final double area = (double) window * window;
		for (int x = 0; x < width; x++) out[x] = col[x] / area;
		for (int y = 1; y < height; y++) {
			final int enter = clamp(y + hi, height) * width;
			final int leave = clamp(y - 1 - lo, height) * width;
			final int row = y * width;
			for (int x = 0; x < width; x++) {
				col[x] += tmp[enter + x] - tmp[leave + x];
				out[row + x] = col[x] / area;
			}
		}
	}

	private static int clamp(final int i, final int n) {
		return i < 0 ? 0 : (i >= n ? n - 1 : i);
	}

	static void check(final double[] in, final int width, final int height, final int window) {
		if (width <= 0 || height <= 0) {
			throw new IllegalArgumentException("Box mean needs a positive image size, got " + width + "×" + height);
		}
		if (window < 1) throw new IllegalArgumentException("Box mean window size must be at least 1, got " + window);
		if (in.length != (long) width * height) {
			throw new IllegalArgumentException("Box mean input has " + in.length + " values, expected width·height = " + (long) width * height);
		}
	}
}
