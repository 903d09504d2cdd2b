package org.softsegments.sparsify;

import org.softsegments.linalg.SparseMatrix;

/**
 * Test stand-ins for the matting Laplacian: graph Laplacians of a grey image on a
 * {@code (2r+1)×(2r+1)} stencil (r = 2 gives the 25 non-zeros per interior row of the real
 * matting Laplacian, spec §5.1), with colour-similarity weights
 * {@code w_ij = exp(−(I_i − I_j)² / sigma²)}. Symmetric, positive semi-definite, {@code L·1 = 0}.
 */
final class GridLaplacians {

	private GridLaplacians() {}

	/** Laplacian of the stencil graph of {@code image} (width×height, index x + y·width). */
	static SparseMatrix of(final double[] image, final int width, final int height, final int radius,
		final double sigma)
	{
		final int n = width * height;
		final int side = 2 * radius + 1;
		final int max = n * (side * side - 1);
		final int[] rows = new int[max];
		final int[] cols = new int[max];
		final double[] vals = new double[max];
		int t = 0;
		for (int y = 0; y < height; y++) {
			for (int x = 0; x < width; x++) {
				final int i = x + y * width;
				for (int dy = -radius; dy <= radius; dy++) {
					for (int dx = -radius; dx <= radius; dx++) {
						final int xx = x + dx, yy = y + dy;
						if ((dx == 0 && dy == 0) || xx < 0 || yy < 0 || xx >= width || yy >= height) continue;
						final int j = xx + yy * width;
						final double d = image[i] - image[j];
						rows[t] = i;
						cols[t] = j;
						vals[t] = Math.exp(-d * d / (sigma * sigma));
						t++;
					}
				}
			}
		}
		return SparseMatrix.fromTriplets(n, rows, cols, vals, t).laplacian();
	}

	/**
	 * A two-region test image: dark (0.2) left part, bright (0.8) right part, the boundary a
	 * slanted line, plus a little deterministic texture.
	 */
	static double[] twoRegionImage(final int width, final int height) {
		final double[] img = new double[width * height];
		for (int y = 0; y < height; y++) {
			for (int x = 0; x < width; x++) {
				final boolean right = x > width / 2 + (y - height / 2) / 3;
				img[x + y * width] = (right ? 0.8 : 0.2) + 0.02 * Math.sin(0.7 * x + 1.3 * y);
			}
		}
		return img;
	}
}
