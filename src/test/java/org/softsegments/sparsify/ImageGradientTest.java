package org.softsegments.sparsify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.softsegments.image.PlanarImage;
import org.softsegments.testing.ReferenceData;

class ImageGradientTest {

	@Test
	void filterTapsHaveTheExpectedMoments() {
		double sp = 0, sd = 0, moment = 0;
		for (int k = 0; k < 13; k++) {
			sp += ImageGradient.PREFILTER[k];
			sd += ImageGradient.DERIVATIVE[k];
			moment += ImageGradient.DERIVATIVE[k] * (6 - k);
		}
		assertEquals(0.9999, sp, 1e-12);
		assertEquals(0, sd, 1e-12);
		assertEquals(1, moment, 1e-12);
	}

	@Test
	void matchesBruteForcePaddedConvolution() {
		final SplittableRandom rnd = new SplittableRandom(31);
		for (final int[] size : new int[][] { { 11, 8, 3 }, { 20, 15, 1 }, { 3, 2, 3 } }) {
			final PlanarImage img = random(rnd, size[0], size[1], size[2]);
			final float[] fast = ImageGradient.magnitude(img);
			final double[] slow = bruteForce(img);
			for (int i = 0; i < slow.length; i++) {
				assertEquals(slow[i], fast[i], 1e-6 * Math.max(1, slow[i]), "size " + size[0] + "×" + size[1] + " at " + i);
			}
		}
	}

	@Test
	void linearRampHasConstantInteriorGradient() {
		final int w = 30, h = 24;
		final double s = 0.01;
		// I = s·(x + 2y) in every channel: g_x = s·Σp·Σ d_k(6−k) = 0.9999·s, g_y = 2·0.9999·s.
		for (final int channels : new int[] { 1, 3 }) {
			final float[][] planes = new float[channels][w * h];
			for (int c = 0; c < channels; c++) {
				for (int y = 0; y < h; y++) {
					for (int x = 0; x < w; x++) planes[c][x + y * w] = (float) (s * (x + 2 * y));
				}
			}
			final PlanarImage img = new PlanarImage(w, h, planes);
			final float[] g = ImageGradient.magnitude(img);
			final double expected = Math.sqrt(channels * 5.0) * 0.9999 * s;
			final double[] brute = bruteForce(img);
			for (int y = 0; y < h; y++) {
				for (int x = 0; x < w; x++) {
					final int i = x + y * w;
					if (x >= 6 && x < w - 6 && y >= 6 && y < h - 6) assertEquals(expected, g[i], 1e-6, "interior " + x + "," + y);
					assertEquals(brute[i], g[i], 1e-7, "at " + x + "," + y);
				}
			}
		}
	}

	@Test
	void constantImageHasNoGradient() {
		final PlanarImage img = PlanarImage.zeros(17, 9, 3);
		for (int c = 0; c < 3; c++) java.util.Arrays.fill(img.plane(c), 0.6f + 0.1f * c);
		for (final float v : ImageGradient.magnitude(img)) assertEquals(0, v, 1e-12);
	}

	@Test
	void matchesReferenceOnDocia() throws IOException {
		final ReferenceData data = ReferenceData.docia();
		final PlanarImage image = data.image();
		final int w = image.width(), h = image.height();
		final float[] g = ImageGradient.magnitude(image);
		final PlanarImage reference = data.planes("image_gradient");
		assertEquals(1, reference.channels());
		assertEquals(w, reference.width());
		double maxAbs = 0, maxRef = 0, sumSq = 0, refDotOurs = 0, oursSq = 0;
		for (int x = 0; x < w; x++) {
			for (int y = 0; y < h; y++) {
				final double ref = reference.plane(0)[x + y * w];
				final double ours = g[x + y * w];
				maxRef = Math.max(maxRef, ref);
				maxAbs = Math.max(maxAbs, Math.abs(ref - ours));
				sumSq += (ref - ours) * (ref - ours);
				refDotOurs += ref * ours;
				oursSq += ours * ours;
			}
		}
		final double rms = Math.sqrt(sumSq / (w * h));
		final double scale = refDotOurs / oursSq;
		System.out.println("ImageGradient vs reference docia_320: max abs difference " + maxAbs + ", rms " + rms
			+ ", least-squares scale ref/ours " + scale + " (max value " + maxRef + ")");
		// The reference gradient was computed from the double-valued resized image; image.png holds it
		// quantised to 8 bits. Quantisation (±0.5/255 per sample) through the filters (Σ|d|·Σ|p| ≈ 0.5)
		// changes each of the 6 derivative components by at most 9.9e-4, the magnitude by at most
		// √6·9.9e-4 ≈ 2.4e-3, with an expected rms of about 1e-4. A wrong filter or window gives
		// errors proportional to the gradient itself (rms and scale far off).
		assertTrue(maxAbs <= 2.5e-3, "max abs difference " + maxAbs + " exceeds the 8-bit quantisation bound 2.5e-3");
		assertTrue(rms <= 1.5e-4, "rms difference " + rms + " exceeds the quantisation level 1.5e-4");
		assertEquals(1, scale, 5e-4, "gradient scale differs from the reference");
	}

	/** Reference procedure spelled out: pad by 13 (replicate), full 2-D 'same' convolution with d⊗p, crop. */
	private static double[] bruteForce(final PlanarImage img) {
		final int w = img.width(), h = img.height(), pad = 13;
		final int pw = w + 2 * pad, ph = h + 2 * pad;
		final double[] sumX = new double[w * h], sumY = new double[w * h];
		for (int c = 0; c < img.channels(); c++) {
			final double[] padded = new double[pw * ph];
			for (int y = 0; y < ph; y++) {
				for (int x = 0; x < pw; x++) {
					final int sx = Math.min(w - 1, Math.max(0, x - pad)), sy = Math.min(h - 1, Math.max(0, y - pad));
					padded[x + y * pw] = img.plane(c)[sx + sy * w];
				}
			}
			for (int y = 0; y < h; y++) {
				for (int x = 0; x < w; x++) {
					final int py = y + pad, px = x + pad;
					double gy = 0, gx = 0;
					// 'same' convolution, centre tap 7: out(i, j) = Σ_k Σ_l u_k v_l X(i + 6 − k, j + 6 − l)
					for (int k = 0; k < 13; k++) {
						for (int l = 0; l < 13; l++) {
							final int yy = py + 6 - k, xx = px + 6 - l;
							final double v = (yy >= 0 && yy < ph && xx >= 0 && xx < pw) ? padded[xx + yy * pw] : 0;
							gy += ImageGradient.DERIVATIVE[k] * ImageGradient.PREFILTER[l] * v;
							gx += ImageGradient.PREFILTER[k] * ImageGradient.DERIVATIVE[l] * v;
						}
					}
					sumY[x + y * w] += gy * gy;
					sumX[x + y * w] += gx * gx;
				}
			}
		}
		final double[] out = new double[w * h];
		for (int i = 0; i < out.length; i++) out[i] = Math.hypot(Math.sqrt(sumX[i]), Math.sqrt(sumY[i]));
		return out;
	}

	private static PlanarImage random(final SplittableRandom rnd, final int w, final int h, final int channels) {
		final float[][] planes = new float[channels][w * h];
		for (final float[] p : planes) {
			for (int i = 0; i < p.length; i++) p[i] = (float) rnd.nextDouble();
		}
		return new PlanarImage(w, h, planes);
	}
}
