package org.softsegments.features;

import java.util.Arrays;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.softsegments.core.Parallel;
import org.softsegments.core.Progress;
import org.softsegments.image.PlanarImage;

/**
 * PCA projection of a per-pixel feature image and per-channel min–max normalisation (spec §3.1
 * steps 3 and 4, paper §3.5).
 * <p>
 * {@link #project}: subtract the per-channel mean, form the <em>unnormalised</em> covariance
 * {@code C = X̄ᵀX̄} (D×D, accumulated in double), take the eigenvectors of the {@code dims}
 * largest eigenvalues (EJML symmetric eigensolver, standing in for MATLAB {@code eigs(C,dims,'LA')})
 * and project {@code P = X̄·V}. The covariance ({@code N·D²/2} multiply-adds, 2.5e9 for
 * 640×480×128) is computed over fixed pixel chunks, each chunk in 4×4 register tiles of the upper
 * triangle over blocks of 128 centred pixels; chunk partials are added in chunk order, so the
 * result is bit-identical for any number of threads.
 * <p>
 * Deviation (harmless, documented): eigenvector signs are arbitrary in the reference. Here each
 * eigenvector's sign is fixed so that its largest-magnitude component (the first one on ties) is
 * positive, which makes the output independent of the eigensolver's sign convention. After
 * {@link #normalizeMinMax} a sign flip only maps {@code x → 1−x} per channel, so feature distances
 * do not depend on it anyway. Output channels are ordered by decreasing eigenvalue.
 */
public final class FeaturePca {

	private FeaturePca() {}

	/** Pixels per covariance sub-block (one block of centred values is {@code D × BLOCK} doubles). */
	private static final int BLOCK = 128;

	/** Projects {@code features} onto its first {@code dims} principal axes; returns a {@code dims}-channel image. */
	public static PlanarImage project(final PlanarImage features, final int dims) {
		return project(features, dims, Progress.NONE);
	}

	/** As {@link #project(PlanarImage, int)}, reporting progress (stage "feature PCA") and honouring cancellation. */
	public static PlanarImage project(final PlanarImage features, final int dims, final Progress progress) {
		final int d = features.channels();
		if (dims < 1 || dims > d) {
			throw new IllegalArgumentException("PCA dimension must be between 1 and the number of feature channels ("
				+ d + "), got " + dims);
		}
		final int n = features.pixels();
		final float[][] x = features.planes();
		progress.checkpoint("feature PCA", 0);

		final double[] mean = new double[d];
		Parallel.forEach(d, (c0, c1) -> {
			for (int c = c0; c < c1; c++) {
				double s = 0;
				for (final float v : x[c]) s += v;
				mean[c] = s / n;
			}
		});

		final double[][] cov = covariance(x, mean, n, progress);
		progress.checkpoint("feature PCA", 0.9);
		final double[][] v = topEigenvectors(cov, dims);

		final float[][] out = new float[dims][n];
		final int grain = 8192;
		Parallel.forRange(n, grain, (p0, p1) -> {
			final int len = p1 - p0;
			final double[][] acc = new double[dims][len];
			for (int c = 0; c < d; c++) {
				final float[] xc = x[c];
				final double mc = mean[c];
				for (int k = 0; k < dims; k++) {
					final double w = v[k][c];
					final double[] a = acc[k];
					for (int i = 0; i < len; i++) a[i] += (xc[p0 + i] - mc) * w;
				}
			}
			for (int k = 0; k < dims; k++) {
				final float[] o = out[k];
				final double[] a = acc[k];
				for (int i = 0; i < len; i++) o[p0 + i] = (float) a[i];
			}
		});
		progress.checkpoint("feature PCA", 1);
		return new PlanarImage(features.width(), features.height(), out);
	}

	/**
	 * Normalises every channel of {@code img} in place to [0, 1]: subtract the channel minimum,
	 * then divide by the new maximum. A constant channel (new maximum 0) becomes all zeros.
	 * Non-finite values are rejected.
	 */
	public static void normalizeMinMax(final PlanarImage img) {
		final float[][] planes = img.planes();
		for (int c = 0; c < planes.length; c++) {
			for (final float v : planes[c]) {
				if (!Float.isFinite(v)) {
					throw new IllegalArgumentException("Min–max normalisation needs finite values; channel " + c
						+ " contains " + v);
				}
			}
		}
		Parallel.forEach(planes.length, (c0, c1) -> {
			for (int c = c0; c < c1; c++) {
				final float[] p = planes[c];
				float min = Float.POSITIVE_INFINITY;
				float max = Float.NEGATIVE_INFINITY;
				for (final float v : p) {
					if (v < min) min = v;
					if (v > max) max = v;
				}
				final double range = (double) max - min;
				if (range == 0) {
					Arrays.fill(p, 0f);
					continue;
				}
				for (int i = 0; i < p.length; i++) p[i] = (float) ((p[i] - (double) min) / range);
			}
		});
	}

	/** Unnormalised covariance {@code X̄ᵀX̄} (full symmetric D×D). */
	static double[][] covariance(final float[][] x, final double[] mean, final int n, final Progress progress) {
		final int d = x.length;
		final int dp = (d + 3) & ~3; // padded to a multiple of 4 (zero rows contribute nothing)
		// Fixed, thread-independent chunking; at most ~64 partial matrices in memory.
		final int grain = Math.max(16 * BLOCK, (int) ((n + 63L) / 64));
		final int chunks = (int) ((n + (long) grain - 1) / grain);
		final double[][] partial = new double[chunks][];
		final int[] done = { 0 };
		Parallel.forEach(chunks, (k0, k1) -> {
			for (int k = k0; k < k1; k++) {
				final int p0 = k * grain;
				final int p1 = (int) Math.min(n, (long) p0 + grain);
				final double[] c = new double[dp * dp];
				final double[][] blk = new double[dp][BLOCK];
				for (int b0 = p0; b0 < p1; b0 += BLOCK) {
					final int len = Math.min(BLOCK, p1 - b0);
					for (int ch = 0; ch < d; ch++) {
						final float[] src = x[ch];
						final double m = mean[ch];
						final double[] dst = blk[ch];
						for (int i = 0; i < len; i++) dst[i] = src[b0 + i] - m;
						if (len < BLOCK) Arrays.fill(dst, len, BLOCK, 0);
					}
					accumulateUpper(blk, dp, len, c);
				}
				partial[k] = c;
				synchronized (done) {
					done[0]++;
					progress.checkpoint("feature PCA", 0.9 * done[0] / chunks);
				}
			}
		});
		final double[][] cov = new double[d][d];
		for (int k = 0; k < chunks; k++) {
			final double[] c = partial[k];
			for (int i = 0; i < d; i++) {
				for (int j = i; j < d; j++) cov[i][j] += c[i * dp + j];
			}
		}
		for (int i = 0; i < d; i++) {
			for (int j = 0; j < i; j++) cov[i][j] = cov[j][i];
		}
		return cov;
	}

	/** {@code c[i·dp + j] += Σ_q blk[i][q]·blk[j][q]} for 4×4 tiles with {@code j-tile ≥ i-tile}. */
	private static void accumulateUpper(final double[][] blk, final int dp, final int len, final double[] c) {
		for (int i = 0; i < dp; i += 4) {
			final double[] a0 = blk[i], a1 = blk[i + 1], a2 = blk[i + 2], a3 = blk[i + 3];
			for (int j = i; j < dp; j += 4) {
				final double[] b0 = blk[j], b1 = blk[j + 1], b2 = blk[j + 2], b3 = blk[j + 3];
				double s00 = 0, s01 = 0, s02 = 0, s03 = 0;
				double s10 = 0, s11 = 0, s12 = 0, s13 = 0;
				double s20 = 0, s21 = 0, s22 = 0, s23 = 0;
				double s30 = 0, s31 = 0, s32 = 0, s33 = 0;
				for (int q = 0; q < len; q++) {
					final double x0 = a0[q], x1 = a1[q], x2 = a2[q], x3 = a3[q];
					final double y0 = b0[q], y1 = b1[q], y2 = b2[q], y3 = b3[q];
					s00 += x0 * y0; s01 += x0 * y1; s02 += x0 * y2; s03 += x0 * y3;
					s10 += x1 * y0; s11 += x1 * y1; s12 += x1 * y2; s13 += x1 * y3;
					s20 += x2 * y0; s21 += x2 * y1; s22 += x2 * y2; s23 += x2 * y3;
					s30 += x3 * y0; s31 += x3 * y1; s32 += x3 * y2; s33 += x3 * y3;
				}
				int r = i * dp + j;
				c[r] += s00; c[r + 1] += s01; c[r + 2] += s02; c[r + 3] += s03;
				r += dp;
				c[r] += s10; c[r + 1] += s11; c[r + 2] += s12; c[r + 3] += s13;
				r += dp;
				c[r] += s20; c[r + 1] += s21; c[r + 2] += s22; c[r + 3] += s23;
				r += dp;
				c[r] += s30; c[r + 1] += s31; c[r + 2] += s32; c[r + 3] += s33;
			}
		}
	}

	/**
	 * Eigenvectors of the {@code dims} largest eigenvalues of the symmetric {@code cov}, as rows
	 * {@code v[k][c]}, ordered by decreasing eigenvalue, each with its largest-magnitude component
	 * positive.
	 */
	static double[][] topEigenvectors(final double[][] cov, final int dims) {
		final int d = cov.length;
		final DMatrixRMaj m = new DMatrixRMaj(cov);
		final EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(d, true, true);
		if (!eig.decompose(m)) {
			throw new IllegalStateException("Symmetric eigendecomposition of the " + d + "×" + d
				+ " feature covariance failed (non-finite features?)");
		}
		final Integer[] order = new Integer[d];
		final double[] values = new double[d];
		for (int i = 0; i < d; i++) {
			order[i] = i;
			values[i] = eig.getEigenvalue(i).real;
		}
		Arrays.sort(order, (a, b) -> {
			final int cmp = Double.compare(values[b], values[a]);
			return cmp != 0 ? cmp : Integer.compare(a, b);
		});
		final double[][] v = new double[dims][d];
		for (int k = 0; k < dims; k++) {
			final DMatrixRMaj vec = eig.getEigenVector(order[k]);
			int arg = 0;
			for (int c = 0; c < d; c++) {
				v[k][c] = vec.get(c);
				if (Math.abs(v[k][c]) > Math.abs(v[k][arg])) arg = c;
			}
			if (v[k][arg] < 0) {
				for (int c = 0; c < d; c++) v[k][c] = -v[k][c];
			}
		}
		return v;
	}
}
