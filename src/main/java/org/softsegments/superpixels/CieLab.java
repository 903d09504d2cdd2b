package org.softsegments.superpixels;

import org.softsegments.core.Parallel;
import org.softsegments.image.PlanarImage;

/**
 * sRGB to CIE L*a*b* conversion (spec §3.2 step 1: the reference's {@code superpixels} call
 * converts the RGB image to L*a*b* internally, MATLAB {@code rgb2lab} semantics: sRGB, D65).
 * <p>
 * Per pixel: inverse sRGB companding of each channel value {@code c} (
 * {@code c ≤ 0.04045 ? c/12.92 : ((c+0.055)/1.055)^2.4}), linear RGB to XYZ with the IEC
 * 61966-2-1 matrix, normalisation by the D65 white point, then
 * {@code L = 116 f(Y) − 16}, {@code a = 500 (f(X) − f(Y))}, {@code b = 200 (f(Y) − f(Z))} with
 * {@code f(t) = t^(1/3)} for {@code t > (6/29)³}, else {@code t/(3·(6/29)²) + 4/29}.
 * <p>
 * Input: values nominally in [0,1] (im2double); values outside are not clamped (the linear
 * segment extends below 0, the power law above 1). NaN or infinite values are rejected.
 * <p>
 * Deviations / choices, stated explicitly:
 * <ul>
 * <li>The white point is taken as the row sums of the RGB→XYZ matrix
 * (0.9504700, 1.0000001, 1.0888300), so that R = G = B maps to a* = b* = 0 up to rounding
 * (MATLAB's {@code whitepoint('d65')} is 0.9504, 1, 1.0888: differences ≤ 0.01 in L*a*b*).</li>
 * <li>A single-channel (grey) image is treated as R = G = B = value; a* and b* are then set to
 * exactly 0.</li>
 * </ul>
 */
public final class CieLab {

	private CieLab() {}

	private static final double M00 = 0.4124564, M01 = 0.3575761, M02 = 0.1804375;
	private static final double M10 = 0.2126729, M11 = 0.7151522, M12 = 0.0721750;
	private static final double M20 = 0.0193339, M21 = 0.1191920, M22 = 0.9503041;
	private static final double XN = M00 + M01 + M02;
	private static final double YN = M10 + M11 + M12;
	private static final double ZN = M20 + M21 + M22;

	private static final double DELTA = 6.0 / 29.0;
	private static final double EPS = DELTA * DELTA * DELTA;
	private static final double LIN_SLOPE = 1.0 / (3.0 * DELTA * DELTA);
	private static final double LIN_OFFSET = 4.0 / 29.0;

	/**
	 * Converts an sRGB image (3 channels R, G, B) or a grey image (1 channel) with values in
	 * [0,1] to a new 3-channel L*a*b* image (L* in [0,100] for in-range input).
	 *
	 * @throws IllegalArgumentException if the image has neither 1 nor 3 channels or holds NaN /
	 *             infinite values
	 */
	public static PlanarImage fromRgb(final PlanarImage rgb) {
		if (rgb == null) throw new IllegalArgumentException("Image must not be null");
		final int channels = rgb.channels();
		if (channels != 1 && channels != 3) {
			throw new IllegalArgumentException("CIE L*a*b* conversion needs an RGB (3-channel) or grey (1-channel) image, got "
				+ channels + " channels");
		}
		final int n = rgb.pixels();
		final float[][] in = rgb.planes();
		for (int c = 0; c < channels; c++) {
			final float[] plane = in[c];
			for (int p = 0; p < n; p++) {
				if (!Float.isFinite(plane[p])) {
					throw new IllegalArgumentException("Image values must be finite (expected [0,1]); channel " + c + " pixel "
						+ p + " is " + plane[p]);
				}
			}
		}
		final float[] l = new float[n];
		final float[] a = new float[n];
		final float[] b = new float[n];
		if (channels == 1) {
			final float[] g = in[0];
			Parallel.forRange(n, 8192, (s, e) -> {
				for (int p = s; p < e; p++) {
					// R = G = B = v gives Y/Yn = linear(v) exactly (Yn is the matrix row sum)
					l[p] = (float) (116.0 * f(linear(g[p])) - 16.0);
				}
			});
		}
		else {
			final float[] r = in[0], g = in[1], bl = in[2];
			Parallel.forRange(n, 8192, (s, e) -> {
				for (int p = s; p < e; p++) {
					final double lr = linear(r[p]), lg = linear(g[p]), lb = linear(bl[p]);
					final double fx = f((M00 * lr + M01 * lg + M02 * lb) / XN);
					final double fy = f((M10 * lr + M11 * lg + M12 * lb) / YN);
					final double fz = f((M20 * lr + M21 * lg + M22 * lb) / ZN);
					l[p] = (float) (116.0 * fy - 16.0);
					a[p] = (float) (500.0 * (fx - fy));
					b[p] = (float) (200.0 * (fy - fz));
				}
			});
		}
		return new PlanarImage(rgb.width(), rgb.height(), new float[][] { l, a, b });
	}

	/** 8-bit values k/255 (as float) and their linearised values: a cache, bit-identical to {@link #linearExact}. */
	private static final float[] BYTE_VALUE = new float[256];
	private static final double[] BYTE_LINEAR = new double[256];
	static {
		for (int k = 0; k < 256; k++) {
			BYTE_VALUE[k] = k / 255f;
			BYTE_LINEAR[k] = linearExact(BYTE_VALUE[k]);
		}
	}

	/** Inverse sRGB companding (table look-up for 8-bit values, same result as {@link #linearExact}). */
	static double linear(final float c) {
		final int k = Math.round(c * 255f);
		if (k >= 0 && k < 256 && BYTE_VALUE[k] == c) return BYTE_LINEAR[k];
		return linearExact(c);
	}

	/** Inverse sRGB companding. */
	static double linearExact(final double c) {
		return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
	}

	/** The CIE L*a*b* companding function. */
	static double f(final double t) {
		return t > EPS ? Math.cbrt(t) : t * LIN_SLOPE + LIN_OFFSET;
	}
}
