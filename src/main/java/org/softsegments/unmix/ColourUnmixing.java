package org.softsegments.unmix;

import java.util.ArrayList;
import java.util.List;

import org.softsegments.core.Parallel;
import org.softsegments.core.Progress;
import org.softsegments.core.SegmentationCancelledException;
import org.softsegments.image.PlanarImage;
import org.softsegments.image.Resize;

/**
 * Colour unmixing: per soft layer α_k its own colours F_k (RGB), so that the layers recompose the
 * image, {@code Σ_k α_k F_k = I}, and each F_k is smooth where α_k is small. It minimises
 * <pre>
 *   Σ_i Σ_c (Σ_k α_ik F_ikc − I_ic)²  +  Σ_k Σ_{i~j} (ε_r + ω·|α_ik − α_jk|) · ‖F_ik − F_jk‖²
 * </pre>
 * over 4-neighbour pairs {@code i~j}, with F in [0,1]: the multi-level foreground estimation of
 * Germer, Uelwer, Conrad and Harmeling, "Fast Multi-Level Foreground Estimation" (ICPR 2020),
 * generalised from foreground and background to K layers. Their cost is the K = 2 case with
 * F_1 = F, F_2 = B, α_2 = 1 − α; it is the foreground and background reconstruction cost of
 * Levin, Lischinski and Weiss, "A Closed-Form Solution to Natural Image Matting" (TPAMI 2008): a
 * compositing term plus smoothness weighted by the alpha gradient, with a small constant weight
 * ε_r added. As in Germer et al. the problem is solved approximately, coarse to fine: the image and the layers are reduced to a pyramid down to 1×1, the colours at a level
 * start from the next coarser level's (nearest neighbour) and are improved by a few sweeps that
 * set each pixel's K·3 colours to the minimiser of the cost with its neighbours fixed, clamped to
 * [0,1]. That minimiser solves, per channel, {@code (a aᵀ + diag(W)) f = a·I + b} (a: the K
 * alphas, W_k: the sum of the pixel's smoothness weights in layer k, b_k: those weights times the
 * neighbours' colours), which the Sherman–Morrison formula solves in O(K):
 * {@code f_k = u_k + (a_k / W_k)·(I − Σ_m a_m u_m) / (1 + Σ_m a_m² / W_m)}, u_k = b_k / W_k.
 * <p>
 * Deviations from Germer et al.:
 * <ul>
 * <li>K layers instead of foreground and background; each layer has its own smoothness weights
 * (ε_r + ω|Δα_k|).</li>
 * <li>The per-pixel updates are ordered as red–black Gauss–Seidel sweeps (all pixels with even
 * x + y, then all with odd): a pixel's update depends only on pixels of the other colour, so the
 * sweeps run in parallel and the result does not depend on the number of threads.</li>
 * <li>The pyramid halves each side (rounding up) and reduces the image and the layers by area
 * averaging ({@link Resize#smooth}) instead of nearest-neighbour resampling; the coarsest (1×1)
 * level starts with every layer coloured like the image there.</li>
 * <li>Optionally ({@link Params#recompose}, on by default) a final correction makes the layers
 * recompose the image exactly: per pixel and channel the residual {@code r = I − Σ α_k F_k} is
 * added to the layers in proportion to α_k ({@code ΔF_k = α_k r / Σ_m α_m²}, the smallest change
 * that removes it), clamped to [0,1], and what clamping leaves is spread again over the layers
 * that are not yet clamped (at most K rounds). With α_k ≥ 0, Σ α_k = 1 and I in [0,1] an exact
 * solution always exists and is found up to float rounding; otherwise the residual that remains
 * can be measured with {@link #recomposition}.</li>
 * </ul>
 * Layers are used as given (not clamped or renormalised). Every parallel loop uses fixed chunks
 * and per-pixel updates that depend on the neighbours of the other colour only, so results are
 * bit-identical on any number of threads.
 */
public final class ColourUnmixing {

	/** Stage name reported to {@link Progress}. */
	public static final String STAGE = "Colour unmixing";

	/** Pixels per chunk of the parallel loops (rounded to whole rows). */
	private static final int GRAIN = 8192;

	/** A residual this small counts as removed (float rounding of colours in [0,1]). */
	private static final double SETTLED = 1e-6;

	private ColourUnmixing() {}

	/**
	 * Constants of the unmixing (immutable, validated on construction).
	 *
	 * @param regularization ε_r, the smoothness weight of every neighbour pair (finite, &gt; 0)
	 * @param gradientWeight ω, the extra smoothness weight per unit of alpha difference between
	 *          neighbours (finite, ≥ 0)
	 * @param smallIterations sweeps per pyramid level whose width and height are both at most
	 *          {@code smallSize} (≥ 0)
	 * @param bigIterations sweeps per larger level (≥ 0)
	 * @param smallSize the side length up to which a level counts as small (≥ 1)
	 * @param recompose whether the final correction makes {@code Σ α_k F_k = I} exact where possible
	 */
	public record Params(double regularization, double gradientWeight, int smallIterations, int bigIterations,
		int smallSize, boolean recompose)
	{

		/**
		 * The defaults: the defaults of Germer et al.'s implementation in PyMatting (ε_r = 1e-5, ω = 1,
		 * 10 sweeps per level up to 32 pixels, 2 per larger level), with the exact recomposition.
		 */
		public static final Params DEFAULTS = new Params(1e-5, 1, 10, 2, 32, true);

		public Params {
			if (!(regularization > 0) || Double.isInfinite(regularization)) {
				throw new IllegalArgumentException("regularization must be a finite number > 0, got " + regularization);
			}
			if (!(gradientWeight >= 0) || Double.isInfinite(gradientWeight)) {
				throw new IllegalArgumentException("gradientWeight must be a finite number >= 0, got " + gradientWeight);
			}
			if (smallIterations < 0) {
				throw new IllegalArgumentException("smallIterations must be >= 0, got " + smallIterations);
			}
			if (bigIterations < 0) throw new IllegalArgumentException("bigIterations must be >= 0, got " + bigIterations);
			if (smallSize < 1) throw new IllegalArgumentException("smallSize must be >= 1 pixel, got " + smallSize);
		}

		/** These parameters with another number of sweeps per large level. */
		public Params withBigIterations(final int iterations) {
			return new Params(regularization, gradientWeight, smallIterations, iterations, smallSize, recompose);
		}

		/** These parameters with or without the final exact recomposition. */
		public Params withRecompose(final boolean exact) {
			return new Params(regularization, gradientWeight, smallIterations, bigIterations, smallSize, exact);
		}
	}

	/** {@link #unmix(PlanarImage, PlanarImage, Params, Progress)} with {@link Params#DEFAULTS}. */
	public static PlanarImage[] unmix(final PlanarImage rgb, final PlanarImage layers) {
		return unmix(rgb, layers, Params.DEFAULTS, Progress.NONE);
	}

	/**
	 * The colours of every layer.
	 *
	 * @param rgb the image, 3 channels (values in [0,1] for an exact recomposition)
	 * @param layers the K soft layers, one channel each, of the image's size (α ≥ 0 summing to 1
	 *          for an exact recomposition)
	 * @return K images of 3 channels (RGB in [0,1]): element k holds F_k
	 * @throws IllegalArgumentException for images that do not fit or hold non-finite values
	 */
	public static PlanarImage[] unmix(final PlanarImage rgb, final PlanarImage layers, final Params params,
		final Progress progress)
	{
		check(rgb, layers);
		if (params == null) throw new IllegalArgumentException("params must not be null (use Params.DEFAULTS)");
		final Progress p = progress != null ? progress : Progress.NONE;
		p.checkpoint(STAGE, 0);
		// pyramid: level 0 is the input, each next one half the size (rounded up), down to 1×1
		final List<PlanarImage> images = new ArrayList<>(), alphas = new ArrayList<>();
		images.add(rgb);
		alphas.add(layers);
		while (images.get(images.size() - 1).width() > 1 || images.get(images.size() - 1).height() > 1) {
			final PlanarImage im = images.get(images.size() - 1);
			final int w = (im.width() + 1) / 2, h = (im.height() + 1) / 2;
			images.add(Resize.smooth(im, w, h));
			alphas.add(Resize.smooth(alphas.get(alphas.size() - 1), w, h));
			p.checkpoint(STAGE, 0);
		}
		final int k = layers.channels();
		final int top = images.size() - 1;
		// the coarsest level: every layer coloured like the image
		float[][] colours = new float[3 * k][];
		for (int l = 0; l < k; l++) {
			for (int c = 0; c < 3; c++) colours[3 * l + c] = images.get(top).plane(c).clone();
		}
		double total = 0, done = 0;
		for (int level = top - 1; level >= 0; level--) total += iterations(images.get(level), params) * (double) images
			.get(level).pixels();
		for (int level = top - 1; level >= 0; level--) {
			final PlanarImage im = images.get(level), coarse = images.get(level + 1);
			colours = upsample(colours, coarse.width(), coarse.height(), im.width(), im.height());
			final int sweeps = iterations(im, params);
			for (int s = 0; s < sweeps; s++) {
				sweep(im, alphas.get(level), colours, params, 0, p);
				sweep(im, alphas.get(level), colours, params, 1, p);
				done += im.pixels();
				p.checkpoint(STAGE, total > 0 ? 0.95 * done / total : 0);
			}
			images.set(level + 1, null); // the coarser level is not needed any more
			alphas.set(level + 1, null);
		}
		if (params.recompose()) recompose(rgb, layers, colours);
		p.checkpoint(STAGE, 1);
		final PlanarImage[] out = new PlanarImage[k];
		for (int l = 0; l < k; l++) {
			out[l] = new PlanarImage(rgb.width(), rgb.height(), new float[][] { colours[3 * l], colours[3 * l + 1],
				colours[3 * l + 2] });
		}
		return out;
	}

	private static int iterations(final PlanarImage level, final Params params) {
		return level.width() <= params.smallSize() && level.height() <= params.smallSize() ? params.smallIterations() :
			params.bigIterations();
	}

	private static void check(final PlanarImage rgb, final PlanarImage layers) {
		if (rgb == null || layers == null) throw new IllegalArgumentException("image and layers must not be null");
		if (rgb.channels() != 3) throw new IllegalArgumentException("Colour unmixing needs an RGB image (3 channels), got " +
			rgb.channels() + " channel(s)");
		if (layers.width() != rgb.width() || layers.height() != rgb.height()) {
			throw new IllegalArgumentException("Layers are " + layers.width() + "×" + layers.height() +
				" but the image is " + rgb.width() + "×" + rgb.height());
		}
		finite(rgb, "image");
		finite(layers, "layer");
	}

	private static void finite(final PlanarImage image, final String what) {
		for (int c = 0; c < image.channels(); c++) {
			final float[] p = image.plane(c);
			for (int i = 0; i < p.length; i++) {
				if (!Float.isFinite(p[i])) {
					throw new IllegalArgumentException("The " + what + (image.channels() > 1 ? " channel " + (c + 1) : "") +
						" holds a non-finite value (" + p[i] + ") at pixel (" + i % image.width() + ", " + i / image
							.width() + ")");
				}
			}
		}
	}

	/** Nearest-neighbour enlargement of every plane from cw×ch to w×h. */
	private static float[][] upsample(final float[][] planes, final int cw, final int ch, final int w, final int h) {
		final int[] sx = new int[w];
		for (int x = 0; x < w; x++) sx[x] = Math.min(cw - 1, (int) ((2L * x + 1) * cw / (2L * w)));
		final float[][] out = new float[planes.length][w * h];
		Parallel.forRange(h, rows(w), (y0, y1) -> {
			for (int y = y0; y < y1; y++) {
				final int cy = Math.min(ch - 1, (int) ((2L * y + 1) * ch / (2L * h)));
				for (int q = 0; q < planes.length; q++) {
					final float[] src = planes[q], dst = out[q];
					for (int x = 0; x < w; x++) dst[x + y * w] = src[sx[x] + cy * cw];
				}
			}
		});
		return out;
	}

	private static int rows(final int width) {
		return Math.max(1, GRAIN / width);
	}

	/**
	 * One half of a red–black Gauss–Seidel sweep: the exact minimiser, clamped to [0,1], at every
	 * pixel with {@code (x + y) % 2 == parity}, its neighbours fixed.
	 */
	private static void sweep(final PlanarImage image, final PlanarImage layers, final float[][] f, final Params params,
		final int parity, final Progress progress)
	{
		final int w = image.width(), h = image.height(), k = layers.channels();
		final float[][] a = layers.planes();
		final float[] r = image.plane(0), g = image.plane(1), b = image.plane(2);
		final double eps = params.regularization(), omega = params.gradientWeight();
		Parallel.forRange(h, rows(w), (y0, y1) -> {
			if (progress.isCancelled()) throw new SegmentationCancelledException(STAGE);
			final double[] u = new double[3 * k], v = new double[k];
			for (int y = y0; y < y1; y++) {
				for (int x = (y + parity) & 1; x < w; x += 2) {
					final int i = x + y * w;
					double s = 1, r0 = r[i], r1 = g[i], r2 = b[i];
					for (int l = 0; l < k; l++) {
						final float[] al = a[l], f0 = f[3 * l], f1 = f[3 * l + 1], f2 = f[3 * l + 2];
						final double ai = al[i];
						double wSum = 0, b0 = 0, b1 = 0, b2 = 0;
						if (x > 0) {
							final double wt = eps + omega * Math.abs(ai - al[i - 1]);
							wSum += wt;
							b0 += wt * f0[i - 1];
							b1 += wt * f1[i - 1];
							b2 += wt * f2[i - 1];
						}
						if (x < w - 1) {
							final double wt = eps + omega * Math.abs(ai - al[i + 1]);
							wSum += wt;
							b0 += wt * f0[i + 1];
							b1 += wt * f1[i + 1];
							b2 += wt * f2[i + 1];
						}
						if (y > 0) {
							final double wt = eps + omega * Math.abs(ai - al[i - w]);
							wSum += wt;
							b0 += wt * f0[i - w];
							b1 += wt * f1[i - w];
							b2 += wt * f2[i - w];
						}
						if (y < h - 1) {
							final double wt = eps + omega * Math.abs(ai - al[i + w]);
							wSum += wt;
							b0 += wt * f0[i + w];
							b1 += wt * f1[i + w];
							b2 += wt * f2[i + w];
						}
						// u: the weighted mean of the neighbours; v = a/W
						final double inv = 1 / wSum;
						final double u0 = b0 * inv, u1 = b1 * inv, u2 = b2 * inv;
						u[3 * l] = u0;
						u[3 * l + 1] = u1;
						u[3 * l + 2] = u2;
						v[l] = ai * inv;
						s += ai * v[l];
						r0 -= ai * u0;
						r1 -= ai * u1;
						r2 -= ai * u2;
					}
					// Sherman–Morrison: f_k = u_k + v_k · (I − Σ a u) / (1 + Σ a v)
					r0 /= s;
					r1 /= s;
					r2 /= s;
					for (int l = 0; l < k; l++) {
						f[3 * l][i] = clamp(u[3 * l] + v[l] * r0);
						f[3 * l + 1][i] = clamp(u[3 * l + 1] + v[l] * r1);
						f[3 * l + 2][i] = clamp(u[3 * l + 2] + v[l] * r2);
					}
				}
			}
		});
	}

	private static float clamp(final double v) {
		return (float) (v < 0 ? 0 : v > 1 ? 1 : v);
	}

	/**
	 * The final correction: per pixel and channel the residual {@code I − Σ α_k F_k} is spread over
	 * the layers in proportion to α_k, clamped, and what clamping leaves spread again over the
	 * layers not yet at their bound.
	 */
	private static void recompose(final PlanarImage rgb, final PlanarImage layers, final float[][] f) {
		final int w = rgb.width(), k = layers.channels();
		final float[][] a = layers.planes();
		Parallel.forRange(rgb.height(), rows(w), (y0, y1) -> {
			for (int i = y0 * w; i < y1 * w; i++) {
				for (int c = 0; c < 3; c++) {
					final float target = rgb.plane(c)[i];
					for (int round = 0; round <= k; round++) {
						double sum = 0;
						for (int l = 0; l < k; l++) sum += a[l][i] * (double) f[3 * l + c][i];
						final double residual = target - sum;
						if (Math.abs(residual) <= SETTLED) break;
						double s = 0;
						for (int l = 0; l < k; l++) {
							final float al = a[l][i], fl = f[3 * l + c][i];
							if (al > 0 && (residual > 0 ? fl < 1 : fl > 0)) s += al * (double) al;
						}
						if (s == 0) break;
						final double step = residual / s;
						boolean moved = false;
						for (int l = 0; l < k; l++) {
							final float al = a[l][i], fl = f[3 * l + c][i];
							if (al > 0 && (residual > 0 ? fl < 1 : fl > 0)) {
								final float nf = clamp(fl + al * step);
								moved |= nf != fl;
								f[3 * l + c][i] = nf;
							}
						}
						if (!moved) break;
					}
				}
			}
		});
	}

	/**
	 * How well colours recompose an image: the largest deviation {@code |Σ_k α_k F_kc − I_c|} over
	 * all pixels and channels, and how many pixels deviate by more than a tolerance in some channel.
	 */
	public record Recomposition(double maxError, long pixelsAbove, long pixels) {

		/** Fraction of the pixels that deviate by more than the tolerance. */
		public double fractionAbove() {
			return pixels == 0 ? 0 : pixelsAbove / (double) pixels;
		}
	}

	/**
	 * Measures {@code Σ_k α_k F_k} against {@code rgb}, counting the pixels that deviate by more
	 * than {@code tolerance} in some channel (e.g. 1/255).
	 */
	public static Recomposition recomposition(final PlanarImage rgb, final PlanarImage layers,
		final PlanarImage[] colours, final double tolerance)
	{
		check(rgb, layers);
		if (colours.length != layers.channels()) {
			throw new IllegalArgumentException(colours.length + " colour images for " + layers.channels() + " layers");
		}
		for (final PlanarImage c : colours) {
			if (c.channels() != 3 || c.width() != rgb.width() || c.height() != rgb.height()) {
				throw new IllegalArgumentException("Colour image " + c + " does not match the image " + rgb);
			}
		}
		double max = 0;
		long above = 0;
		for (int i = 0; i < rgb.pixels(); i++) {
			double worst = 0;
			for (int c = 0; c < 3; c++) {
				double sum = 0;
				for (int l = 0; l < colours.length; l++) sum += layers.plane(l)[i] * (double) colours[l].plane(c)[i];
				worst = Math.max(worst, Math.abs(sum - rgb.plane(c)[i]));
			}
			max = Math.max(max, worst);
			if (worst > tolerance) above++;
		}
		return new Recomposition(max, above, rgb.pixels());
	}
}
