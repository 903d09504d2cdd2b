package org.softsegments.demo;

import java.util.SplittableRandom;

import org.softsegments.image.PlanarImage;

/**
 * A synthetic photograph whose true soft segmentation is known: three textured, coloured shapes
 * (a disc, a rounded square and an ellipse) with soft, blurred edges over a smooth two-tone
 * background gradient. Used by tests, the benchmark smoke run and the demo: the best subset of
 * output layers should reproduce each shape's alpha.
 */
public final class SyntheticScene {

	private final PlanarImage image;
	private final float[][] alphas;
	private final double edgeWidth;
	private final long seed;

	private SyntheticScene(final PlanarImage image, final float[][] alphas, final double edgeWidth, final long seed) {
		this.image = image;
		this.alphas = alphas;
		this.edgeWidth = edgeWidth;
		this.seed = seed;
	}

	/** The RGB image, values in [0,1]. */
	public PlanarImage image() {
		return image;
	}

	/** True alpha of each shape (background = 1 − their sum). */
	public float[][] alphas() {
		return alphas;
	}

	/** Number of shapes. */
	public int shapes() {
		return alphas.length;
	}

	/**
	 * The true colour of every layer at every pixel (recomputed, not stored): element k &lt; 3
	 * is shape k's textured colour, element 3 the background's; each 3 channels, values in [0,1].
	 * The image is {@code Σ_k α_k·colour_k} with the background's alpha {@code 1 − Σ α_shapes}.
	 */
	public PlanarImage[] layerColours() {
		final int width = image.width(), height = image.height();
		final float[][][] planes = new float[4][3][width * height];
		render(width, height, edgeWidth, seed, null, null, planes);
		final PlanarImage[] out = new PlanarImage[4];
		for (int k = 0; k < 4; k++) out[k] = new PlanarImage(width, height, planes[k]);
		return out;
	}

	/**
	 * Builds a scene of the given size. {@code edgeWidth} is the width in pixels of the soft
	 * alpha transition at each shape's boundary; {@code seed} drives the texture noise.
	 */
	public static SyntheticScene create(final int width, final int height, final double edgeWidth, final long seed) {
		if (width < 8 || height < 8) throw new IllegalArgumentException("Scene must be at least 8×8, got " + width +
			"×" + height);
		if (!(edgeWidth > 0)) throw new IllegalArgumentException("edgeWidth must be > 0, got " + edgeWidth);
		final int n = width * height;
		final float[][] alpha = new float[3][n];
		final float[][] rgb = new float[3][n];
		render(width, height, edgeWidth, seed, alpha, rgb, null);
		return new SyntheticScene(new PlanarImage(width, height, rgb), alpha, edgeWidth, seed);
	}

	/**
	 * Renders the scene: the alphas and the image, or (where {@code colours} is not null) every
	 * layer's true colour.
	 */
	private static void render(final int width, final int height, final double edgeWidth, final long seed,
		final float[][] alphaOut, final float[][] rgb, final float[][][] colours)
	{
		final int n = width * height;
		final double s = Math.min(width, height);
		// shape colours (RGB) and texture strengths
		final double[][] colors = { { 0.85, 0.20, 0.15 }, { 0.15, 0.55, 0.85 }, { 0.95, 0.85, 0.20 } };
		final float[][] alpha = alphaOut != null ? alphaOut : new float[3][n];
		final SplittableRandom random = new SplittableRandom(seed);
		final double[] noise = new double[n];
		for (int i = 0; i < n; i++) noise[i] = random.nextDouble() - 0.5;
		for (int y = 0; y < height; y++) {
			for (int x = 0; x < width; x++) {
				final int i = x + y * width;
				// signed distances (positive inside) to the three shapes
				final double d0 = 0.22 * s - Math.hypot(x - 0.27 * width, y - 0.30 * height);
				final double d1 = roundedSquare(x - 0.70 * width, y - 0.32 * height, 0.17 * s, 0.05 * s);
				final double d2 = ellipse(x - 0.50 * width, y - 0.76 * height, 0.30 * width, 0.14 * height);
				final double[] d = { d0, d1, d2 };
				double sum = 0;
				for (int k = 0; k < 3; k++) {
					alpha[k][i] = (float) smoothStep(d[k] / edgeWidth);
					sum += alpha[k][i];
				}
				if (sum > 1) for (int k = 0; k < 3; k++) alpha[k][i] /= sum;
				final double bgMix = (double) y / (height - 1);
				final double[] bg = { 0.55 + 0.15 * bgMix, 0.70 - 0.10 * bgMix, 0.55 + 0.05 * bgMix };
				double a = 0;
				final double[] out = new double[3];
				for (int k = 0; k < 3; k++) {
					final double tex = texture(k, x, y) * 0.08 + 0.04 * noise[i];
					for (int c = 0; c < 3; c++) {
						out[c] += alpha[k][i] * clamp(colors[k][c] + tex);
						if (colours != null) colours[k][c][i] = (float) clamp(colors[k][c] + tex);
					}
					a += alpha[k][i];
				}
				for (int c = 0; c < 3; c++) {
					if (rgb != null) rgb[c][i] = (float) clamp(out[c] + (1 - a) * (bg[c] + 0.01 * noise[i]));
					if (colours != null) colours[3][c][i] = (float) clamp(bg[c] + 0.01 * noise[i]);
				}
			}
		}
	}

	private static double texture(final int shape, final int x, final int y) {
		switch (shape) {
			case 0: return Math.sin(0.9 * x) * Math.sin(0.7 * y);
			case 1: return ((x / 3 + y / 3) % 2 == 0) ? 0.5 : -0.5;
			default: return Math.sin(0.5 * (x + y));
		}
	}

	private static double roundedSquare(final double dx, final double dy, final double half, final double radius) {
		final double qx = Math.abs(dx) - (half - radius), qy = Math.abs(dy) - (half - radius);
		final double outside = Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0);
		return radius - outside;
	}

	private static double ellipse(final double dx, final double dy, final double rx, final double ry) {
		final double k = Math.hypot(dx / rx, dy / ry);
		return (1 - k) * Math.min(rx, ry);
	}

	/** 0 for t ≤ −½, 1 for t ≥ ½, smooth in between. */
	private static double smoothStep(final double t) {
		final double u = clamp(t + 0.5);
		return u * u * (3 - 2 * u);
	}

	private static double clamp(final double v) {
		return v < 0 ? 0 : v > 1 ? 1 : v;
	}
}
