package org.softsegments.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;

import org.junit.jupiter.api.Test;
import org.softsegments.core.Progress;
import org.softsegments.core.SegmentationCancelledException;
import org.softsegments.image.PlanarImage;

class FeaturePreprocessingTest {

	private static final int W = 48, H = 40;

	/** 0 = background, 1 = disc, 2 = rectangle. */
	private static int region(final int x, final int y) {
		if ((x - 14) * (x - 14) + (y - 14) * (y - 14) <= 81) return 1;
		if (x >= 28 && x < 42 && y >= 20 && y < 34) return 2;
		return 0;
	}

	/** Distance (in pixels, Chebyshev) from (x, y) to the nearest pixel of another region, capped at 8. */
	private static int margin(final int x, final int y) {
		final int r = region(x, y);
		for (int m = 1; m <= 8; m++) {
			for (int dy = -m; dy <= m; dy++) {
				for (int dx = -m; dx <= m; dx++) {
					final int xx = x + dx, yy = y + dy;
					if (xx >= 0 && yy >= 0 && xx < W && yy < H && region(xx, yy) != r) return m;
				}
			}
		}
		return 9;
	}

	private static PlanarImage rgb(final SplittableRandom rnd) {
		final float[][] colour = { { 0.2f, 0.5f, 0.8f }, { 0.9f, 0.3f, 0.2f }, { 0.3f, 0.8f, 0.3f } };
		final float[][] planes = new float[3][W * H];
		for (int y = 0; y < H; y++) {
			for (int x = 0; x < W; x++) {
				for (int c = 0; c < 3; c++) {
					planes[c][x + y * W] = colour[region(x, y)][c] + (float) (0.02 * rnd.nextGaussian());
				}
			}
		}
		return new PlanarImage(W, H, planes);
	}

	/** 7 channels = linear combinations of the disc and rectangle indicators, plus noise. */
	private static PlanarImage features(final SplittableRandom rnd) {
		final double[][] coeff = { { 1, 0 }, { 0, 1 }, { 2, -1 }, { -1, -1 }, { 0.5, 3 }, { 3, 0.5 }, { -2, 1 } };
		final float[][] planes = new float[7][W * H];
		for (int y = 0; y < H; y++) {
			for (int x = 0; x < W; x++) {
				final int r = region(x, y);
				final double disc = r == 1 ? 1 : 0, rect = r == 2 ? 1 : 0;
				for (int c = 0; c < 7; c++) {
					planes[c][x + y * W] = (float) (coeff[c][0] * disc + coeff[c][1] * rect + 0.05 * rnd.nextGaussian());
				}
			}
		}
		return new PlanarImage(W, H, planes);
	}

	@Test
	void separatesRegionsOfSyntheticFeatures() {
		final SplittableRandom rnd = new SplittableRandom(21);
		final PlanarImage image = rgb(rnd);
		final PlanarImage raw = features(rnd);
		final PlanarImage raw0 = raw.copy();
		final List<Double> fractions = new ArrayList<>();
		final PlanarImage out = FeaturePreprocessing.preprocess(raw, image, 5, 10, 0.01, (s, f) -> {
			synchronized (fractions) {
				fractions.add(f);
			}
		});
		assertTrue(raw.sameAs(raw0), "input must not be modified");
		assertEquals(3, out.channels());
		assertEquals(W, out.width());
		assertEquals(H, out.height());
		for (int c = 0; c < 3; c++) {
			float min = 1, max = 0;
			for (final float v : out.plane(c)) {
				min = Math.min(min, v);
				max = Math.max(max, v);
			}
			assertEquals(0f, min, 0);
			assertEquals(1f, max, 0);
		}
		assertTrue(fractions.size() >= 7, "progress reported per channel");

		// Regions separate in the two leading PCA channels (the data is rank 2 + noise): pixels
		// at least 3 px away from any other region lie close to their region mean, means far apart.
		final double[][] mean = new double[3][2];
		final int[] count = new int[3];
		for (int y = 0; y < H; y++) {
			for (int x = 0; x < W; x++) {
				if (margin(x, y) < 3) continue;
				final int r = region(x, y);
				count[r]++;
				for (int c = 0; c < 2; c++) mean[r][c] += out.plane(c)[x + y * W];
			}
		}
		for (int r = 0; r < 3; r++) {
			assertTrue(count[r] > 20);
			for (int c = 0; c < 2; c++) mean[r][c] /= count[r];
		}
		double minBetween = Double.MAX_VALUE;
		for (int r = 0; r < 3; r++) {
			for (int s = r + 1; s < 3; s++) minBetween = Math.min(minBetween, Math.hypot(mean[r][0] - mean[s][0], mean[r][1] - mean[s][1]));
		}
		// Every pixel at least 2 px inside its region is nearest to its own region mean; pixels
		// well inside (6 px, beyond the 10×10 window's reach) are tight around it.
		double maxWithin = 0;
		for (int y = 0; y < H; y++) {
			for (int x = 0; x < W; x++) {
				final int m = margin(x, y);
				if (m < 2) continue;
				final int r = region(x, y);
				final int i = x + y * W;
				int nearest = 0;
				double best = Double.MAX_VALUE;
				for (int s = 0; s < 3; s++) {
					final double dist = Math.hypot(out.plane(0)[i] - mean[s][0], out.plane(1)[i] - mean[s][1]);
					if (dist < best) {
						best = dist;
						nearest = s;
					}
				}
				assertEquals(r, nearest, "pixel " + x + "," + y + " assigned to the wrong region");
				if (m >= 6) maxWithin = Math.max(maxWithin, Math.hypot(out.plane(0)[i] - mean[r][0], out.plane(1)[i] - mean[r][1]));
			}
		}
		System.out.println("FeaturePreprocessingTest: min distance between region means " + minBetween
			+ ", max distance to own mean (6 px inside) " + maxWithin);
		assertTrue(minBetween > 0.4, "region means too close: " + minBetween);
		assertTrue(maxWithin < 0.1, "pixels too far from their region mean: " + maxWithin);
	}

	/**
	 * Guide dispatch of spec §3.1: in each consecutive triple, channel j is smoothed by the grey
	 * guided filter with guide channel j; each of the {@code D mod 3} left-over channels by the
	 * colour guided filter. One raw channel at a time is non-zero (the others filter to exactly 0),
	 * so the leading PCA channel of the output is that channel's filtered values, min–max
	 * normalised (x or 1 − x, the PCA sign being arbitrary): it must match a direct
	 * {@link GuidedFilter} call with the right guide, and differ clearly from the result with any
	 * of the other three guides. The guide's channels have different edges (R vertical, G
	 * horizontal, B a disc) so that the four guides give visibly different results.
	 */
	@Test
	void tripleChannelsFollowTheirGreyGuideAndLeftoversTheColourGuide() {
		final int w = 40, h = 32, n = w * h;
		final SplittableRandom rnd = new SplittableRandom(25);
		final float[][] guide = new float[3][n];
		for (int y = 0; y < h; y++) {
			for (int x = 0; x < w; x++) {
				final int i = x + y * w;
				guide[0][i] = (x < 20 ? 0.2f : 0.8f) + (float) (0.01 * rnd.nextGaussian());
				guide[1][i] = (y < 16 ? 0.7f : 0.3f) + (float) (0.01 * rnd.nextGaussian());
				guide[2][i] = ((x - 12) * (x - 12) + (y - 20) * (y - 20) < 64 ? 0.9f : 0.1f) + (float) (0.01 * rnd.nextGaussian());
			}
		}
		final PlanarImage rgb = new PlanarImage(w, h, guide);
		for (final int d : new int[] { 4, 8 }) {
			for (int c = 0; c < d; c++) {
				// a diagonal step, aligned with none of the guide's edges, plus noise
				final float[] signal = new float[n];
				for (int i = 0; i < n; i++) {
					signal[i] = ((i % w) + (i / w) < 36 ? -1f : 2f) + (float) (0.3 * rnd.nextGaussian());
				}
				final PlanarImage raw = PlanarImage.zeros(w, h, d);
				System.arraycopy(signal, 0, raw.plane(c), 0, n);
				final float[] out = FeaturePreprocessing.preprocess(raw, rgb, 5, 10, 0.01, Progress.NONE).plane(0);

				final boolean leftover = c >= 3 * (d / 3);
				final float[] right = leftover ? GuidedFilter.color(signal, guide, w, h, 10, 0.01)
					: GuidedFilter.grey(signal, guide[c % 3], w, h, 10, 0.01);
				final String what = d + " channels, channel " + c + " (" + (leftover ? "colour guide" : "grey guide " + c % 3) + ")";
				assertTrue(normalisedDistance(out, right) < 1e-5, what + ": differs from the direct filter by "
					+ normalisedDistance(out, right));
				int others = 0;
				for (int g = 0; g < 4; g++) {
					final boolean colour = g == 3;
					if (colour == leftover && (colour || g == c % 3)) continue;
					final float[] wrong = colour ? GuidedFilter.color(signal, guide, w, h, 10, 0.01)
						: GuidedFilter.grey(signal, guide[g], w, h, 10, 0.01);
					assertTrue(normalisedDistance(out, wrong) > 0.05, what + ": as close to the result with "
						+ (colour ? "the colour guide" : "grey guide " + g) + " (" + normalisedDistance(out, wrong) + ")");
					others++;
				}
				assertEquals(3, others);
			}
		}
	}

	/**
	 * Largest difference between {@code out} and the min–max normalised {@code filtered}, the
	 * smaller of the two orientations (x and 1 − x).
	 */
	private static double normalisedDistance(final float[] out, final float[] filtered) {
		double min = Double.MAX_VALUE, max = -Double.MAX_VALUE;
		for (final float v : filtered) {
			min = Math.min(min, v);
			max = Math.max(max, v);
		}
		double same = 0, flipped = 0;
		for (int i = 0; i < out.length; i++) {
			final double t = (filtered[i] - min) / (max - min);
			same = Math.max(same, Math.abs(out[i] - t));
			flipped = Math.max(flipped, Math.abs(out[i] - (1 - t)));
		}
		return Math.min(same, flipped);
	}

	@Test
	void bitIdenticalForAnyNumberOfThreads() throws Exception {
		final SplittableRandom rnd = new SplittableRandom(22);
		final PlanarImage image = rgb(rnd);
		final PlanarImage raw = features(rnd);
		final ForkJoinPool pool1 = new ForkJoinPool(1), pool3 = new ForkJoinPool(3);
		try {
			final PlanarImage a = pool1.submit(() -> FeaturePreprocessing.preprocess(raw, image, Progress.NONE)).get();
			final PlanarImage b = pool3.submit(() -> FeaturePreprocessing.preprocess(raw, image, Progress.NONE)).get();
			assertTrue(a.sameAs(b));
		}
		finally {
			pool1.shutdown();
			pool3.shutdown();
		}
	}

	@Test
	void clampLimitsHugeActivations() {
		// One huge activation must not dominate: clamped features equal those with the value at the clamp.
		final SplittableRandom rnd = new SplittableRandom(23);
		final PlanarImage image = rgb(rnd);
		final PlanarImage raw = features(rnd);
		final PlanarImage atClamp = raw.copy();
		raw.plane(4)[100] = 1e6f;
		atClamp.plane(4)[100] = 5f;
		assertTrue(FeaturePreprocessing.preprocess(raw, image, Progress.NONE)
			.sameAs(FeaturePreprocessing.preprocess(atClamp, image, Progress.NONE)));
	}

	@Test
	void cancellationStopsTheComputation() {
		final SplittableRandom rnd = new SplittableRandom(24);
		final PlanarImage image = rgb(rnd);
		final PlanarImage raw = features(rnd);
		final Progress cancelled = new Progress() {
			@Override
			public void report(final String stage, final double fraction) {}

			@Override
			public boolean isCancelled() {
				return true;
			}
		};
		assertThrows(SegmentationCancelledException.class, () -> FeaturePreprocessing.preprocess(raw, image, cancelled));
	}

	@Test
	void rejectsBadInput() {
		final PlanarImage image = PlanarImage.zeros(W, H, 3);
		final PlanarImage three = PlanarImage.zeros(W, H, 3);
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
			() -> FeaturePreprocessing.preprocess(three, image, Progress.NONE));
		assertTrue(e.getMessage().contains("more than 3 channels"), e.getMessage());
		assertThrows(IllegalArgumentException.class,
			() -> FeaturePreprocessing.preprocess(PlanarImage.zeros(W, H + 1, 8), image, Progress.NONE));
		assertThrows(IllegalArgumentException.class,
			() -> FeaturePreprocessing.preprocess(PlanarImage.zeros(W, H, 8), PlanarImage.zeros(W, H, 1), Progress.NONE));
		final PlanarImage nan = PlanarImage.zeros(W, H, 5);
		nan.plane(4)[7] = Float.NaN;
		final IllegalArgumentException en = assertThrows(IllegalArgumentException.class,
			() -> FeaturePreprocessing.preprocess(nan, image, Progress.NONE));
		assertTrue(en.getMessage().contains("finite"), en.getMessage());
		final PlanarImage inf = PlanarImage.zeros(W, H, 5);
		inf.plane(0)[0] = Float.POSITIVE_INFINITY;
		assertThrows(IllegalArgumentException.class, () -> FeaturePreprocessing.preprocess(inf, image, Progress.NONE));
		assertThrows(IllegalArgumentException.class,
			() -> FeaturePreprocessing.preprocess(PlanarImage.zeros(W, H, 5), image, 0, 10, 0.01, Progress.NONE));
	}
}
