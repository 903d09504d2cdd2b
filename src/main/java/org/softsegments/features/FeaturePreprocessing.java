package org.softsegments.features;

import java.util.concurrent.atomic.AtomicInteger;

import org.softsegments.core.Parallel;
import org.softsegments.core.Progress;
import org.softsegments.image.PlanarImage;

/**
 * Preprocessing of raw per-pixel network features into the 3-channel feature image used by the
 * rest of the pipeline (spec §3.1, paper §3.5). In order:
 * <ol>
 * <li>clamp every value to {@code [−clamp, clamp]} (reference: 5);</li>
 * <li>edge-aware smoothing with the {@link GuidedFilter}, the RGB image as guide (reference:
 * window 10, ε = 0.01), on channel groups as MATLAB {@code imguidedfilter} does it: consecutive
 * triples (channels 3t, 3t+1, 3t+2, 0-based) are filtered channel by channel with the
 * <em>grey</em> filter, channel {@code j} of the triple guided by RGB channel {@code j}; the
 * {@code D mod 3} left-over channels are each filtered with the <em>colour</em> (3×3 covariance)
 * filter;</li>
 * <li>{@link FeaturePca#project PCA} to 3 dimensions;</li>
 * <li>per-channel {@link FeaturePca#normalizeMinMax min–max normalisation} to [0, 1].</li>
 * </ol>
 * The guide statistics are computed once and shared; channels are filtered in parallel (one task
 * per channel, each independent, so the result does not depend on the number of threads).
 * Progress: stage "feature guided filter" after every channel, then stage "feature PCA". The
 * input images are not modified.
 * <p>
 * Deviations: the PCA eigenvector signs are fixed (see {@link FeaturePca}); this changes nothing
 * in feature distances.
 */
public final class FeaturePreprocessing {

	private FeaturePreprocessing() {}

	/** Reference constants of spec §3.1. */
	public static final double DEFAULT_CLAMP = 5;
	public static final int DEFAULT_WINDOW = 10;
	public static final double DEFAULT_EPS = 0.01;

	/**
	 * Preprocesses {@code rawFeatures} (more than 3 channels, same size as {@code rgb}) guided by
	 * {@code rgb} (3 channels, values in [0, 1]); returns a new 3-channel image with values in [0, 1].
	 */
	public static PlanarImage preprocess(final PlanarImage rawFeatures, final PlanarImage rgb, final double clamp,
		final int window, final double eps, final Progress progress)
	{
		validate(rawFeatures, rgb, clamp, window, eps);
		final int w = rgb.width();
		final int h = rgb.height();
		final int d = rawFeatures.channels();
		final int tripleChannels = 3 * (d / 3);
		final boolean leftovers = tripleChannels < d;
		progress.checkpoint("feature guided filter", 0);

		final float[][] guideRgb = rgb.planes();
		final GuidedFilter.GreyGuide[] grey = new GuidedFilter.GreyGuide[3];
		final GuidedFilter.ColorGuide[] color = new GuidedFilter.ColorGuide[1];
		Parallel.forEach(leftovers ? 4 : 3, (t0, t1) -> {
			for (int t = t0; t < t1; t++) {
				if (t < 3) grey[t] = GuidedFilter.GreyGuide.of(guideRgb[t], w, h, window, eps);
				else color[0] = GuidedFilter.ColorGuide.of(guideRgb, w, h, window, eps);
			}
		});

		final float[][] raw = rawFeatures.planes();
		final float[][] filtered = new float[d][];
		final AtomicInteger done = new AtomicInteger();
		final float lo = (float) -clamp;
		final float hi = (float) clamp;
		Parallel.forEach(d, (c0, c1) -> {
			for (int c = c0; c < c1; c++) {
				final float[] src = raw[c];
				final float[] clamped = new float[src.length];
				for (int i = 0; i < src.length; i++) clamped[i] = Math.max(lo, Math.min(hi, src[i]));
				filtered[c] = c < tripleChannels ? grey[c % 3].filter(clamped) : color[0].filter(clamped);
				progress.checkpoint("feature guided filter", (double) done.incrementAndGet() / d);
			}
		});

		final PlanarImage pca = FeaturePca.project(new PlanarImage(w, h, filtered), 3, progress);
		FeaturePca.normalizeMinMax(pca);
		return pca;
	}

	/** {@link #preprocess(PlanarImage, PlanarImage, double, int, double, Progress)} with the reference constants. */
	public static PlanarImage preprocess(final PlanarImage rawFeatures, final PlanarImage rgb, final Progress progress) {
		return preprocess(rawFeatures, rgb, DEFAULT_CLAMP, DEFAULT_WINDOW, DEFAULT_EPS, progress);
	}

	private static void validate(final PlanarImage raw, final PlanarImage rgb, final double clamp, final int window,
		final double eps)
	{
		if (raw == null || rgb == null) throw new IllegalArgumentException("Feature preprocessing needs features and an RGB image, got null");
		if (raw.channels() <= 3) {
			throw new IllegalArgumentException("Feature preprocessing is for raw features with more than 3 channels, got "
				+ raw.channels() + " (3-channel features are used as they are)");
		}
		if (rgb.channels() != 3) {
			throw new IllegalArgumentException("Feature preprocessing needs a 3-channel RGB guide image, got "
				+ rgb.channels() + " channels");
		}
		if (raw.width() != rgb.width() || raw.height() != rgb.height()) {
			throw new IllegalArgumentException("Features (" + raw.width() + "×" + raw.height()
				+ ") must have the same size as the image (" + rgb.width() + "×" + rgb.height() + ")");
		}
		if (!(clamp > 0) || Double.isInfinite(clamp)) {
			throw new IllegalArgumentException("Feature clamp must be a finite positive number, got " + clamp);
		}
		if (window < 1) throw new IllegalArgumentException("Guided filter window size must be at least 1, got " + window);
		if (!(eps > 0) || Double.isInfinite(eps)) {
			throw new IllegalArgumentException("Guided filter eps must be a finite positive number, got " + eps);
		}
		for (int c = 0; c < raw.channels(); c++) {
			final float[] p = raw.plane(c);
			for (int i = 0; i < p.length; i++) {
				if (!Float.isFinite(p[i])) {
					throw new IllegalArgumentException("Raw features must be finite numbers; channel " + c + " at pixel ("
						+ (i % raw.width()) + ", " + (i / raw.width()) + ") is " + p[i]);
				}
			}
		}
		for (int c = 0; c < 3; c++) {
			for (final float v : rgb.plane(c)) {
				if (!Float.isFinite(v)) {
					throw new IllegalArgumentException("RGB guide image must contain finite values; channel " + c + " contains " + v);
				}
			}
		}
	}
}
