package org.softsegments.linalg;

import java.util.SplittableRandom;

/**
 * Graph Laplacians for eigensolver tests and benchmarks: paths and grids with known spectra, and
 * an image-like proxy of the pipeline's Laplacian (spec §3.6, §4): a 5×5-stencil colour affinity on
 * a piecewise smooth random image plus long-range edges between "representative" pixels on a
 * coarse grid, some of them negative, which makes the Laplacian slightly indefinite.
 */
final class TestLaplacians {

	private TestLaplacians() {}

	/** Laplacian of the path 0-1-…-(n−1) with unit weights; eigenvalues 2 − 2cos(πk/n). */
	static SparseMatrix path(final int n) {
		return grid(n, 1);
	}

	/** Laplacian of the 4-connected {@code width×height} grid with unit weights. */
	static SparseMatrix grid(final int width, final int height) {
		return gridAffinity(width, height).laplacian();
	}

	/** Affinity (adjacency) matrix of the 4-connected {@code width×height} grid, unit weights. */
	static SparseMatrix gridAffinity(final int width, final int height) {
		final int n = width * height;
		final int[] r = new int[4 * n];
		final int[] c = new int[4 * n];
		final double[] v = new double[4 * n];
		int t = 0;
		for (int y = 0; y < height; y++) {
			for (int x = 0; x < width; x++) {
				final int p = x + y * width;
				if (x + 1 < width) {
					r[t] = p; c[t] = p + 1; v[t++] = 1;
					r[t] = p + 1; c[t] = p; v[t++] = 1;
				}
				if (y + 1 < height) {
					r[t] = p; c[t] = p + width; v[t++] = 1;
					r[t] = p + width; c[t] = p; v[t++] = 1;
				}
			}
		}
		return SparseMatrix.fromTriplets(n, r, c, v, t);
	}

	/**
	 * Image-like proxy Laplacian {@code L = D − W} on a {@code width×height} grid.
	 * <ul>
	 * <li>image: Voronoi regions of random colour with smooth gradients, waves and a little noise;</li>
	 * <li>local affinity: {@code 0.4·exp(−|ΔI|²/0.01)} between pixels with |Δx|,|Δy| ≤ 2;</li>
	 * <li>about 2500 representative pixels on a regular grid (spec §3.2: 2500 superpixels): pairs within normalised distance 0.2 get
	 * {@code 0.01·(erf(50(0.05 − d))+1)/2} (colour distance d, like W_C) and 8-adjacent ones
	 * additionally {@code 0.01·erf(20(0.15 − 2d))} in (−1, 1) (like W_S) — the negative ones make
	 * {@code L} slightly indefinite.</li>
	 * </ul>
	 */
	static SparseMatrix imageProxy(final int width, final int height, final long seed) {
		return imageProxy(width, height, seed, 0.2);
	}

	/** {@link #imageProxy(int, int, long)} with long-range radius {@code rho} (0: local edges only). */
	static SparseMatrix imageProxy(final int width, final int height, final long seed, final double rho) {
		final float[][] img = proxyImage(width, height, seed);
		final int n = width * height;
		// about 2500 superpixels as in the pipeline, but at least 3 pixels apart on tiny images
		final double step = Math.max(3, Math.sqrt((double) n / 2500));
		final int gx = Math.max(1, (int) Math.round(width / step)), gy = Math.max(1, (int) Math.round(height / step));
		final int reps = gx * gy;
		final int[] repPixel = new int[reps];
		final SplittableRandom rnd = new SplittableRandom(seed ^ 0x5DEECE66DL);
		for (int j = 0; j < gy; j++) {
			for (int i = 0; i < gx; i++) {
				final int x = Math.min(width - 1, (int) ((i + 0.5) * width / gx) + rnd.nextInt(-1, 2));
				final int y = Math.min(height - 1, (int) ((j + 0.5) * height / gy) + rnd.nextInt(-1, 2));
				repPixel[i + j * gx] = Math.max(0, x) + Math.max(0, y) * width;
			}
		}
		// count long-range pairs first
		long pairs = 0;
		for (int a = 0; a < reps; a++) {
			for (int b = a + 1; b < reps; b++) {
				if (normDist(repPixel[a], repPixel[b], width, height) <= rho && rho > 0) pairs++;
			}
		}
		final long cap = 25L * n + 2 * pairs;
		if (cap > Integer.MAX_VALUE - 16) throw new IllegalArgumentException("proxy too large");
		final int[] r = new int[(int) cap];
		final int[] c = new int[(int) cap];
		final double[] v = new double[(int) cap];
		int t = 0;
		for (int y = 0; y < height; y++) {
			for (int x = 0; x < width; x++) {
				final int p = x + y * width;
				for (int dy = -2; dy <= 2; dy++) {
					for (int dx = -2; dx <= 2; dx++) {
						final int xx = x + dx, yy = y + dy;
						if ((dx == 0 && dy == 0) || xx < 0 || yy < 0 || xx >= width || yy >= height) continue;
						final int q = xx + yy * width;
						r[t] = p;
						c[t] = q;
						v[t++] = 0.4 * Math.exp(-colourDist2(img, p, q) / 0.01);
					}
				}
			}
		}
		for (int a = 0; a < reps; a++) {
			final int ia = a % gx, ja = a / gx;
			for (int b = a + 1; b < reps; b++) {
				final int pa = repPixel[a], pb = repPixel[b];
				if (rho <= 0 || normDist(pa, pb, width, height) > rho) continue;
				final double d = Math.sqrt(colourDist2(img, pa, pb));
				double w = 0.01 * (erf(50 * (0.05 - d)) + 1) / 2;
				final int ib = b % gx, jb = b / gx;
				if (Math.abs(ia - ib) <= 1 && Math.abs(ja - jb) <= 1) w += 0.01 * erf(20 * (0.15 - 2 * d));
				if (pa == pb || w == 0) continue;
				r[t] = pa; c[t] = pb; v[t++] = w;
				r[t] = pb; c[t] = pa; v[t++] = w;
			}
		}
		return SparseMatrix.fromTriplets(n, r, c, v, t).laplacian();
	}

	private static double normDist(final int p, final int q, final int width, final int height) {
		final double dx = (double) (p % width - q % width) / width;
		final double dy = (double) (p / width - q / width) / height;
		return Math.sqrt(dx * dx + dy * dy);
	}

	private static double colourDist2(final float[][] img, final int p, final int q) {
		double s = 0;
		for (final float[] ch : img) {
			final double d = ch[p] - ch[q];
			s += d * d;
		}
		return s;
	}

	/** Piecewise smooth random RGB image in [0, 1], planes [3][x + y·width]. */
	static float[][] proxyImage(final int width, final int height, final long seed) {
		final SplittableRandom rnd = new SplittableRandom(seed);
		final int regions = 14;
		final double[] sx = new double[regions], sy = new double[regions];
		final double[][] base = new double[regions][3], gradX = new double[regions][3], gradY = new double[regions][3];
		for (int k = 0; k < regions; k++) {
			sx[k] = rnd.nextDouble() * width;
			sy[k] = rnd.nextDouble() * height;
			for (int ch = 0; ch < 3; ch++) {
				base[k][ch] = 0.2 + 0.6 * rnd.nextDouble();
				gradX[k][ch] = (rnd.nextDouble() - 0.5) * 0.2 / width;
				gradY[k][ch] = (rnd.nextDouble() - 0.5) * 0.2 / height;
			}
		}
		final double[] waveF = { 2 * Math.PI * (1 + rnd.nextDouble() * 3) / width, 2 * Math.PI * (1 + rnd.nextDouble() * 3) / height };
		final float[][] img = new float[3][width * height];
		for (int y = 0; y < height; y++) {
			for (int x = 0; x < width; x++) {
				int best = 0;
				double bestD = Double.MAX_VALUE;
				for (int k = 0; k < regions; k++) {
					final double d = (x - sx[k]) * (x - sx[k]) + (y - sy[k]) * (y - sy[k]);
					if (d < bestD) {
						bestD = d;
						best = k;
					}
				}
				for (int ch = 0; ch < 3; ch++) {
					double val = base[best][ch] + gradX[best][ch] * (x - sx[best]) + gradY[best][ch] * (y - sy[best]);
					val += 0.03 * Math.sin(waveF[0] * x + ch) * Math.cos(waveF[1] * y - ch);
					val += (rnd.nextDouble() - 0.5) * 0.008;
					img[ch][x + y * width] = (float) Math.min(1, Math.max(0, val));
				}
			}
		}
		return img;
	}

	/** Error function via the Numerical Recipes erfc approximation (|error| < 1.2e-7); exactly ±1 beyond 5.9. */
	static double erf(final double x) {
		final double z = Math.abs(x);
		if (z > 5.9) return Math.signum(x); // erf(x) rounds to ±1 in double precision here
		final double t = 1 / (1 + 0.5 * z);
		final double erfc = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
			+ t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
		return x >= 0 ? 1 - erfc : erfc - 1;
	}
}
