package org.softsegments.multiscale;

import org.softsegments.core.Parallel;
import org.softsegments.features.GuidedFilter;
import org.softsegments.image.PlanarImage;
import org.softsegments.image.Resize;

/**
 * Brings soft layers computed at a low resolution to the full resolution of the image with the
 * fast guided filter (He &amp; Sun, "Fast Guided Filter", 2015): each layer is modelled locally as
 * a linear function of the colour, {@code α ≈ aᵀI + b} — the model under the matting Laplacian
 * (Levin et al. 2008), so the layers' transitions follow the image's edges. The coefficients are
 * fitted at the low resolution by the colour-guided filter ({@link GuidedFilter.ColorGuide}, window
 * and ε given), box-averaged, bilinearly upsampled ({@link Resize#smooth}) and applied to the
 * full-resolution image.
 * <p>
 * The map is linear in the layer, and a constant layer is reproduced exactly ({@code a = 0,
 * b = c}), so layers that sum to one at low resolution sum to one after upsampling (up to
 * rounding). Values may leave [0, 1] slightly where the linear model overshoots; nothing is
 * clipped here. Not part of the reference algorithm (the fast path's deviation).
 */
public final class GuidedUpsampling {

	private GuidedUpsampling() {}

	/**
	 * Upsampled layers.
	 *
	 * @param layersLow K layers at the low resolution
	 * @param guideLow the image at the low resolution (3 channels, same size as {@code layersLow})
	 * @param guideHigh the image at full resolution (3 channels, at least as large)
	 * @param window box window of the guided filter at the low resolution (≥ 1)
	 * @param eps regularisation ε of the guided filter (&gt; 0)
	 * @return K layers at the size of {@code guideHigh}
	 */
	public static PlanarImage upsample(final PlanarImage layersLow, final PlanarImage guideLow,
		final PlanarImage guideHigh, final int window, final double eps)
	{
		final int w = layersLow.width(), h = layersLow.height();
		if (guideLow.width() != w || guideLow.height() != h) {
			throw new IllegalArgumentException("Low-resolution guide is " + guideLow.width() + "×" + guideLow.height() +
				" but the layers are " + w + "×" + h);
		}
		if (guideLow.channels() != 3 || guideHigh.channels() != 3) {
			throw new IllegalArgumentException("Guides must have 3 channels, got " + guideLow.channels() + " and " +
				guideHigh.channels());
		}
		final int outW = guideHigh.width(), outH = guideHigh.height();
		if (outW < w || outH < h) {
			throw new IllegalArgumentException("Full-resolution guide " + outW + "×" + outH + " is smaller than the layers " +
				w + "×" + h);
		}
		final GuidedFilter.ColorGuide guide = GuidedFilter.ColorGuide.of(planes(guideLow), w, h, window, eps);
		final int k = layersLow.channels(), n = outW * outH;
		final float[][] out = new float[k][];
		final float[] r = guideHigh.plane(0), g = guideHigh.plane(1), b = guideHigh.plane(2);
		for (int l = 0; l < k; l++) {
			final double[][] ab = guide.coefficients(layersLow.plane(l));
			final float[][] low = new float[4][w * h];
			for (int c = 0; c < 4; c++) {
				for (int i = 0; i < w * h; i++) low[c][i] = (float) ab[c][i];
			}
			final PlanarImage up = Resize.smooth(new PlanarImage(w, h, low), outW, outH);
			final float[] a0 = up.plane(0), a1 = up.plane(1), a2 = up.plane(2), b0 = up.plane(3);
			final float[] q = new float[n];
			Parallel.forRange(n, 1 << 14, (s, e) -> {
				for (int i = s; i < e; i++) q[i] = (float) ((double) a0[i] * r[i] + (double) a1[i] * g[i] +
					(double) a2[i] * b[i] + b0[i]);
			});
			out[l] = q;
		}
		return new PlanarImage(outW, outH, out);
	}

	private static float[][] planes(final PlanarImage image) {
		return new float[][] { image.plane(0), image.plane(1), image.plane(2) };
	}
}
