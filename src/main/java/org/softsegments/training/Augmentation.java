package org.softsegments.training;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.softsegments.image.PlanarImage;

/**
 * Random training crops: a random scale (log-uniform in [{@code minScale}, {@code maxScale}],
 * raised when needed so that the crop fits in the image), a random square window, a random
 * horizontal flip and a random colour jitter (brightness, contrast, saturation and per-channel
 * gain, each a factor in {@code 1 ± jitter}). The image is resampled with bilinear interpolation
 * and box supersampling when shrinking; labels take the nearest source pixel. All randomness comes
 * from the generator passed in.
 */
public final class Augmentation {

	private final int cropSize;
	private final double minScale;
	private final double maxScale;
	private final double jitter;

	public Augmentation(final int cropSize, final double minScale, final double maxScale, final double jitter) {
		if (cropSize < 8) throw new IllegalArgumentException("Crop size must be at least 8, got " + cropSize);
		if (!(minScale > 0 && maxScale >= minScale && maxScale <= 4)) {
			throw new IllegalArgumentException("Scales must satisfy 0 < min ≤ max ≤ 4, got " + minScale + ", " + maxScale);
		}
		if (!(jitter >= 0 && jitter < 1)) throw new IllegalArgumentException("Jitter must be in [0, 1), got " + jitter);
		this.cropSize = cropSize;
		this.minScale = minScale;
		this.maxScale = maxScale;
		this.jitter = jitter;
	}

	public int cropSize() {
		return cropSize;
	}

	/** One random crop of {@code src}, {@code cropSize × cropSize}. */
	public LabelledImage sample(final LabelledImage src, final SplittableRandom rng) {
		final int w = src.width(), h = src.height();
		double s = Math.exp(Math.log(minScale) + rng.nextDouble() * (Math.log(maxScale) - Math.log(minScale)));
		s = Math.max(s, (double) cropSize / Math.min(w, h));
		final double window = cropSize / s;
		final double x0 = rng.nextDouble() * Math.max(0, w - window);
		final double y0 = rng.nextDouble() * Math.max(0, h - window);
		final boolean flip = rng.nextBoolean();
		final LabelledImage crop = resample(src, x0, y0, s, cropSize, cropSize, flip);
		if (jitter > 0) jitterColours(crop.rgb(), rng);
		return crop;
	}

	/** {@code src} scaled by {@code scale} (whole image, no randomness), for validation. */
	public static LabelledImage resize(final LabelledImage src, final double scale) {
		final int w = Math.max(1, (int) Math.round(src.width() * scale));
		final int h = Math.max(1, (int) Math.round(src.height() * scale));
		final double sx = (double) w / src.width();
		return resample(src, 0, 0, sx, w, h, false);
	}

	/**
	 * Output pixel (i, j) samples source position {@code (x0 + (i + ½)/s − ½, y0 + (j + ½)/s − ½)}
	 * (mirrored in i when {@code flip}).
	 */
	static LabelledImage resample(final LabelledImage src, final double x0, final double y0, final double s, final int ow,
		final int oh, final boolean flip)
	{
		final int w = src.width(), h = src.height();
		final int[] lab = src.labels();
		final int[] outLab = new int[ow * oh];
		for (int j = 0; j < oh; j++) {
			for (int i = 0; i < ow; i++) {
				final int o = (flip ? ow - 1 - i : i) + j * ow;
				final double cx = x0 + (i + 0.5) / s - 0.5;
				final double cy = y0 + (j + 0.5) / s - 0.5;
				final int nx = (int) Math.round(Math.min(w - 1, Math.max(0, cx)));
				final int ny = (int) Math.round(Math.min(h - 1, Math.max(0, cy)));
				outLab[o] = lab[nx + ny * w];
			}
		}
		return new LabelledImage(resample(src.rgb(), x0, y0, s, s, ow, oh, flip), outLab);
	}

	/**
	 * Every channel of {@code src} resampled: output pixel (i, j) is centred on source position
	 * {@code (x0 + (i + ½)/sx − ½, y0 + (j + ½)/sy − ½)} (pixel centres at integers, so
	 * {@code (x0, y0)} is the window's top-left edge and {@code sx, sy} output pixels per source
	 * pixel), mirrored in i when {@code flip}. Bilinear interpolation with edges clamped; when
	 * shrinking, the mean of an n×n grid of bilinear samples spread over the output pixel's
	 * footprint ({@code n = ⌈1/s⌉} per axis: box supersampling).
	 */
	static PlanarImage resample(final PlanarImage src, final double x0, final double y0, final double sx, final double sy,
		final int ow, final int oh, final boolean flip)
	{
		final int w = src.width(), h = src.height();
		final int channels = src.channels();
		final float[][] in = src.planes();
		final float[][] out = new float[channels][ow * oh];
		final int nx = Math.max(1, (int) Math.ceil(1 / sx - 1e-9));
		final int ny = Math.max(1, (int) Math.ceil(1 / sy - 1e-9));
		final double stepX = 1 / (sx * nx), stepY = 1 / (sy * ny);
		final double[] acc = new double[channels];
		for (int j = 0; j < oh; j++) {
			for (int i = 0; i < ow; i++) {
				final int o = (flip ? ow - 1 - i : i) + j * ow;
				final double cx = x0 + (i + 0.5) / sx - 0.5;
				final double cy = y0 + (j + 0.5) / sy - 0.5;
				Arrays.fill(acc, 0);
				for (int a = 0; a < ny; a++) {
					final double py = cy + (a - (ny - 1) / 2.0) * stepY;
					for (int c = 0; c < nx; c++) {
						final double px = cx + (c - (nx - 1) / 2.0) * stepX;
						final double fx = Math.min(w - 1, Math.max(0, px));
						final double fy = Math.min(h - 1, Math.max(0, py));
						final int ix = Math.min(w - 2, (int) fx), iy = Math.min(h - 2, (int) fy);
						final int jx = Math.max(0, ix), jy = Math.max(0, iy);
						final double tx = w == 1 ? 0 : fx - jx, ty = h == 1 ? 0 : fy - jy;
						final int p00 = jx + jy * w;
						final int p10 = w == 1 ? p00 : p00 + 1;
						final int p01 = h == 1 ? p00 : p00 + w;
						final int p11 = h == 1 ? p10 : p10 + w;
						final double w00 = (1 - tx) * (1 - ty), w10 = tx * (1 - ty), w01 = (1 - tx) * ty, w11 = tx * ty;
						for (int k = 0; k < channels; k++) {
							final float[] p = in[k];
							acc[k] += w00 * p[p00] + w10 * p[p10] + w01 * p[p01] + w11 * p[p11];
						}
					}
				}
				final double inv = 1.0 / (nx * ny);
				for (int k = 0; k < channels; k++) out[k][o] = (float) (acc[k] * inv);
			}
		}
		return new PlanarImage(ow, oh, out);
	}

	/** Random brightness, contrast, saturation and per-channel gain of an RGB image, in place (nothing when jitter is 0). */
	void jitterColours(final PlanarImage img, final SplittableRandom rng) {
		if (jitter == 0) return;
		final double bright = 1 + jitter * (2 * rng.nextDouble() - 1);
		final double contrast = 1 + jitter * (2 * rng.nextDouble() - 1);
		final double saturation = 1 + jitter * (2 * rng.nextDouble() - 1);
		final double[] gain = new double[3];
		for (int c = 0; c < 3; c++) gain[c] = bright * (1 + 0.25 * jitter * (2 * rng.nextDouble() - 1));
		final float[][] p = img.planes();
		final int n = img.pixels();
		double mean = 0;
		for (int i = 0; i < n; i++) mean += 0.299 * p[0][i] * gain[0] + 0.587 * p[1][i] * gain[1] + 0.114 * p[2][i] * gain[2];
		mean /= n;
		for (int i = 0; i < n; i++) {
			final double r = p[0][i] * gain[0], g = p[1][i] * gain[1], b = p[2][i] * gain[2];
			final double y = 0.299 * r + 0.587 * g + 0.114 * b;
			final double yc = (y - mean) * contrast + mean;
			p[0][i] = clamp01(yc + (r - y) * saturation * contrast);
			p[1][i] = clamp01(yc + (g - y) * saturation * contrast);
			p[2][i] = clamp01(yc + (b - y) * saturation * contrast);
		}
	}

	private static float clamp01(final double v) {
		return (float) Math.max(0, Math.min(1, v));
	}
}
