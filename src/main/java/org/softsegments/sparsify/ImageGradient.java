package org.softsegments.sparsify;

import org.softsegments.core.Parallel;
import org.softsegments.image.PlanarImage;

/**
 * Image gradient magnitude with the 13-tap derivative filters of Farid &amp; Simoncelli
 * ("Differentiation of discrete multidimensional signals", IEEE TIP 2004), as used by the relaxed
 * sparsification (spec §3.11, reference call {@code imageGradient(I, false, 6)}).
 * <p>
 * Per channel: replicate padding (by 13 pixels in the reference; here equivalently by clamping
 * the sample index, since the filters reach only 6 pixels), then separable 'same' convolution
 * (centre tap 7): {@code g_y} = columns (vertical) with the derivative {@code d}, rows with the
 * prefilter {@code p}; {@code g_x} = columns with {@code p}, rows with {@code d}. Channels
 * combine as {@code G_y = sqrt(Σ g_y²)}, {@code G_x = sqrt(Σ g_x²)}, output
 * {@code sqrt(G_x² + G_y²)}. Any number of channels is accepted (1 for grey images).
 * <p>
 * The filter taps are the 4-decimal values stored in the reference (table in spec §3.11), not
 * the full-precision published ones: {@code Σp = 0.9999}, {@code Σ d_k·(6−k) = 1}. Computation in
 * double, output float.
 */
public final class ImageGradient {

	private ImageGradient() {}

	/** 13-tap prefilter (smoothing), exact decimal values of the reference. */
	static final double[] PREFILTER = { 0.0000, 0.0007, 0.0071, 0.0374, 0.1126, 0.2119, 0.2605, 0.2119, 0.1126,
		0.0374, 0.0071, 0.0007, 0.0000 };

	/** 13-tap derivative filter, exact decimal values of the reference. */
	static final double[] DERIVATIVE = { 0.0001, 0.0019, 0.0142, 0.0509, 0.0963, 0.0878, 0.0000, -0.0878, -0.0963,
		-0.0509, -0.0142, -0.0019, -0.0001 };

	private static final int HALF = 6;

	/** Gradient magnitude of {@code img} ({@code width·height} values, index {@code x + y·width}). */
	public static float[] magnitude(final PlanarImage img) {
		if (img == null) throw new IllegalArgumentException("Image gradient needs an image, got null");
		final int w = img.width();
		final int h = img.height();
		final int n = w * h;
		final double[] sumX = new double[n];
		final double[] sumY = new double[n];
		final int grain = Math.max(1, 16384 / w);
		for (int c = 0; c < img.channels(); c++) {
			final float[] src = img.plane(c);
			// Vertical passes: colD = columns with d, colP = columns with p.
			final double[] colD = new double[n];
			final double[] colP = new double[n];
			Parallel.forRange(h, grain, (y0, y1) -> {
				for (int y = y0; y < y1; y++) {
					final int row = y * w;
					for (int k = 0; k < 13; k++) {
						final int yy = clamp(y + HALF - k, h) * w;
						final double dk = DERIVATIVE[k];
						final double pk = PREFILTER[k];
						for (int x = 0; x < w; x++) {
							final double v = src[yy + x];
							colD[row + x] += dk * v;
							colP[row + x] += pk * v;
						}
					}
				}
			});
			// Horizontal passes: g_y = rows of colD with p, g_x = rows of colP with d.
			Parallel.forRange(h, grain, (y0, y1) -> {
				for (int y = y0; y < y1; y++) {
					final int row = y * w;
					for (int x = 0; x < w; x++) {
						double gy = 0, gx = 0;
						for (int k = 0; k < 13; k++) {
							final int xx = row + clamp(x + HALF - k, w);
							gy += PREFILTER[k] * colD[xx];
							gx += DERIVATIVE[k] * colP[xx];
						}
						sumY[row + x] += gy * gy;
						sumX[row + x] += gx * gx;
					}
				}
			});
		}
		final float[] out = new float[n];
		Parallel.forRange(n, 16384, (i0, i1) -> {
			for (int i = i0; i < i1; i++) {
				final double gx = Math.sqrt(sumX[i]);
				final double gy = Math.sqrt(sumY[i]);
				out[i] = (float) Math.sqrt(gx * gx + gy * gy);
			}
		});
		return out;
	}

	private static int clamp(final int i, final int n) {
		return i < 0 ? 0 : (i >= n ? n - 1 : i);
	}
}
