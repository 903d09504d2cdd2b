package org.softsegments.affinity;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

import org.softsegments.core.Parallel;
import org.softsegments.core.Progress;
import org.softsegments.image.PlanarImage;
import org.softsegments.linalg.SparseMatrix;

/**
 * Matting affinity {@code W_L} of Levin, Lischinski and Weiss, "A closed-form solution to natural
 * image matting" (PAMI 2008), as used by semantic soft segmentation (spec §3.3).
 * <p>
 * For every 3×3 window (radius 1) whose centre {@code k} is an interior pixel, with window mean
 * colour {@code μ_k} and biased colour covariance {@code Σ_k} (division by 9) plus
 * {@code ε/9} on its diagonal, every pair of window pixels {@code i, j} receives
 * {@code G_k(i,j) = (1 + (I_i − μ_k)ᵀ Σ_k⁻¹ (I_j − μ_k)) / 9}; contributions of all windows are
 * summed (diagonal included) and the result is symmetrised, {@code W_L ← (W_L + W_Lᵀ)/2}, which
 * makes it bit-for-bit symmetric. Every row sums to the number of windows that contain the
 * pixel, and the non-zero pattern is the 5×5 neighbourhood (|Δx|, |Δy| ≤ 2) clipped at the
 * image border.
 * <p>
 * Implementation: no window triplets are built. Each output pixel gathers the contributions of
 * the (at most 9) windows that contain it, in a fixed window order, straight into its own CSR
 * row, whose layout is the clipped 25-entry band (offsets Δx, Δy ∈ [−2, 2], sorted by column).
 * Rows are independent, so the result is bit-identical for any number of threads. Peak memory
 * beyond the result is 9 doubles per window (mean and inverse covariance).
 * <p>
 * Input and deviations from the reference:
 * <ul>
 * <li>The image must have exactly 3 channels (RGB in [0, 1]); a grey image must be replicated
 * to 3 channels by the caller. Width and height must be at least 3 (one full window).</li>
 * <li>The covariance is computed from centred colours (two passes over the window) rather than
 * as mean of products minus product of means, and {@code Σ_k⁻¹} is the closed-form 3×3
 * inverse (the reference uses a linear solve). Both only change round-off.</li>
 * <li>Exact zeros are dropped from the pattern like MATLAB {@code sparse} does; for real
 * images none occur, so the pattern is the full clipped 5×5 stencil.</li>
 * </ul>
 */
public final class MattingAffinity {

	/** Window radius (3×3 windows); fixed by the method. */
	public static final int WINDOW_RADIUS = 1;

	/** Regularisation ε of the reference (spec §3.3, §12). */
	public static final double DEFAULT_EPSILON = 1e-7;

	private static final String STAGE = "Matting affinity";

	private MattingAffinity() {}

	/** {@link #compute(PlanarImage, double, Progress)} without progress reporting. */
	public static SparseMatrix compute(final PlanarImage rgb, final double epsilon) {
		return compute(rgb, epsilon, Progress.NONE);
	}

	/**
	 * Computes the {@code N×N} matting affinity of a 3-channel image, {@code N = width·height},
	 * pixel index {@code x + y·width}.
	 *
	 * @param rgb 3-channel image (grey images: replicate to 3 channels first), at least 3×3
	 * @param epsilon regularisation ε > 0 (the reference uses 1e-7); ε/9 is added to each
	 *          window covariance diagonal
	 * @param progress progress and cancellation
	 * @return symmetric affinity with at most 25 entries per row
	 */
	public static SparseMatrix compute(final PlanarImage rgb, final double epsilon, final Progress progress) {
		if (rgb == null) throw new IllegalArgumentException("Matting affinity needs an image, got null");
		if (rgb.channels() != 3) {
			throw new IllegalArgumentException("Matting affinity needs a 3-channel RGB image, got " + rgb.channels() +
				" channel(s); replicate a grey image to 3 channels first");
		}
		final int w = rgb.width(), h = rgb.height();
		if (w < 3 || h < 3) {
			throw new IllegalArgumentException("Matting affinity needs an image of at least 3×3 pixels (one 3×3 window), got " +
				w + "×" + h);
		}
		if (!(epsilon > 0) || Double.isInfinite(epsilon)) {
			throw new IllegalArgumentException("Matting epsilon must be a positive finite number, got " + epsilon);
		}
		final long nnz = (5L * w - 6) * (5L * h - 6);
		if (nnz > Integer.MAX_VALUE - 8) {
			throw new IllegalArgumentException("Image of " + w + "×" + h + " is too large for the matting affinity (" + nnz +
				" non-zeros; at most " + (Integer.MAX_VALUE - 8) + " are supported)");
		}
		for (int c = 0; c < 3; c++) {
			for (final float v : rgb.plane(c)) {
				if (!Float.isFinite(v)) {
					throw new IllegalArgumentException("Matting affinity needs finite pixel values; channel " + c +
						" holds " + v);
				}
			}
		}
		final Progress p = progress == null ? Progress.NONE : progress;
		p.checkpoint(STAGE, 0);

		final float[] r = rgb.plane(0), g = rgb.plane(1), b = rgb.plane(2);
		final double[] windows = windowParameters(r, g, b, w, h, epsilon / 9);
		p.checkpoint(STAGE, 0.2);

		final int n = w * h;
		final int[] rowStart = new int[n + 1];
		for (int y = 0, pos = 0; y < h; y++) {
			final int ny = span(y, h);
			for (int x = 0; x < w; x++) {
				pos += ny * span(x, w);
				rowStart[x + y * w + 1] = pos;
			}
		}
		final int[] columns = new int[(int) nnz];
		final double[] values = new double[(int) nnz];

		final int grain = Math.max(1, 16384 / w);
		final AtomicInteger rowsDone = new AtomicInteger();
		Parallel.forRange(h, grain, (y0, y1) -> {
			final double[] acc = new double[25];
			for (int y = y0; y < y1; y++) {
				for (int x = 0; x < w; x++) gatherRow(x, y, w, h, r, g, b, windows, acc, rowStart, columns, values);
			}
			p.checkpoint(STAGE, 0.2 + 0.6 * rowsDone.addAndGet(y1 - y0) / h);
		});

		// W ← (W + Wᵀ)/2: each unordered pair is averaged once, by the row of its later pixel.
		Parallel.forRange(h, grain, (y0, y1) -> {
			for (int y = y0; y < y1; y++) {
				for (int x = 0; x < w; x++) symmetriseRow(x, y, w, h, rowStart, values);
			}
		});
		p.checkpoint(STAGE, 0.95);

		final SparseMatrix result = dropZeros(n, rowStart, columns, values);
		p.checkpoint(STAGE, 1);
		return result;
	}

	/** Number of offsets in [−2, 2] that stay inside [0, size). */
	private static int span(final int i, final int size) {
		return Math.min(2, size - 1 - i) - Math.max(-2, -i) + 1;
	}

	/**
	 * Per interior window centre {@code (cx, cy)}, index {@code (cx−1) + (cy−1)(w−2)}: the mean
	 * colour (3) followed by the upper triangle of {@code (Σ + ε'I)⁻¹} (00, 01, 02, 11, 12, 22).
	 */
	private static double[] windowParameters(final float[] r, final float[] g, final float[] b, final int w,
		final int h, final double epsilonPrime)
	{
		final int ww = w - 2, wh = h - 2;
		final double[] out = new double[ww * wh * 9];
		Parallel.forRange(wh, Math.max(1, 16384 / w), (cy0, cy1) -> {
			for (int wy = cy0; wy < cy1; wy++) {
				for (int wx = 0; wx < ww; wx++) {
					// window rows wy..wy+2, columns wx..wx+2 (centre wx+1, wy+1)
					double m0 = 0, m1 = 0, m2 = 0;
					for (int dy = 0; dy < 3; dy++) {
						for (int dx = 0; dx < 3; dx++) {
							final int q = wx + dx + (wy + dy) * w;
							m0 += r[q];
							m1 += g[q];
							m2 += b[q];
						}
					}
					m0 /= 9;
					m1 /= 9;
					m2 /= 9;
					double s00 = 0, s01 = 0, s02 = 0, s11 = 0, s12 = 0, s22 = 0;
					for (int dy = 0; dy < 3; dy++) {
						for (int dx = 0; dx < 3; dx++) {
							final int q = wx + dx + (wy + dy) * w;
							final double c0 = r[q] - m0, c1 = g[q] - m1, c2 = b[q] - m2;
							s00 += c0 * c0;
							s01 += c0 * c1;
							s02 += c0 * c2;
							s11 += c1 * c1;
							s12 += c1 * c2;
							s22 += c2 * c2;
						}
					}
					final double a00 = s00 / 9 + epsilonPrime, a01 = s01 / 9, a02 = s02 / 9;
					final double a11 = s11 / 9 + epsilonPrime, a12 = s12 / 9, a22 = s22 / 9 + epsilonPrime;
					final double c00 = a11 * a22 - a12 * a12;
					final double c01 = a02 * a12 - a01 * a22;
					final double c02 = a01 * a12 - a02 * a11;
					final double c11 = a00 * a22 - a02 * a02;
					final double c12 = a01 * a02 - a00 * a12;
					final double c22 = a00 * a11 - a01 * a01;
					final double det = a00 * c00 + a01 * c01 + a02 * c02;
					final int o = (wx + wy * ww) * 9;
					out[o] = m0;
					out[o + 1] = m1;
					out[o + 2] = m2;
					out[o + 3] = c00 / det;
					out[o + 4] = c01 / det;
					out[o + 5] = c02 / det;
					out[o + 6] = c11 / det;
					out[o + 7] = c12 / det;
					out[o + 8] = c22 / det;
				}
			}
		});
		return out;
	}

	/** Sums, for pixel (x, y), the contributions of every window containing it into its CSR row. */
	private static void gatherRow(final int x, final int y, final int w, final int h, final float[] r,
		final float[] g, final float[] b, final double[] windows, final double[] acc, final int[] rowStart,
		final int[] columns, final double[] values)
	{
		Arrays.fill(acc, 0);
		final int ww = w - 2;
		final int p = x + y * w;
		final double pr = r[p], pg = g[p], pb = b[p];
		for (int cy = Math.max(1, y - 1), cyEnd = Math.min(h - 2, y + 1); cy <= cyEnd; cy++) {
			for (int cx = Math.max(1, x - 1), cxEnd = Math.min(w - 2, x + 1); cx <= cxEnd; cx++) {
				final int o = (cx - 1 + (cy - 1) * ww) * 9;
				final double m0 = windows[o], m1 = windows[o + 1], m2 = windows[o + 2];
				final double i00 = windows[o + 3], i01 = windows[o + 4], i02 = windows[o + 5];
				final double i11 = windows[o + 6], i12 = windows[o + 7], i22 = windows[o + 8];
				final double x0 = pr - m0, x1 = pg - m1, x2 = pb - m2;
				final double v0 = i00 * x0 + i01 * x1 + i02 * x2;
				final double v1 = i01 * x0 + i11 * x1 + i12 * x2;
				final double v2 = i02 * x0 + i12 * x1 + i22 * x2;
				for (int qy = cy - 1; qy <= cy + 1; qy++) {
					final int slotRow = (qy - y + 2) * 5 + 2 - x;
					for (int qx = cx - 1; qx <= cx + 1; qx++) {
						final int q = qx + qy * w;
						final double dot = v0 * (r[q] - m0) + v1 * (g[q] - m1) + v2 * (b[q] - m2);
						acc[slotRow + qx] += (1 + dot) / 9;
					}
				}
			}
		}
		int k = rowStart[p];
		for (int dy = Math.max(-2, -y), dyEnd = Math.min(2, h - 1 - y); dy <= dyEnd; dy++) {
			for (int dx = Math.max(-2, -x), dxEnd = Math.min(2, w - 1 - x); dx <= dxEnd; dx++) {
				columns[k] = p + dx + dy * w;
				values[k] = acc[(dy + 2) * 5 + dx + 2];
				k++;
			}
		}
	}

	/**
	 * Averages the entries of row (x, y) at offsets before the centre (Δy < 0, or Δy = 0 and
	 * Δx < 0) with their mirror entries; writes both. Each unordered pair is touched by exactly
	 * one row, so rows can run in parallel.
	 */
	private static void symmetriseRow(final int x, final int y, final int w, final int h, final int[] rowStart,
		final double[] values)
	{
		final int p = x + y * w;
		final int dyMin = Math.max(-2, -y), dxMin = Math.max(-2, -x);
		final int nx = span(x, w);
		for (int dy = dyMin; dy <= 0; dy++) {
			final int dxEnd = dy < 0 ? Math.min(2, w - 1 - x) : -1;
			for (int dx = dxMin; dx <= dxEnd; dx++) {
				final int kp = rowStart[p] + (dy - dyMin) * nx + (dx - dxMin);
				final int qx = x + dx, qy = y + dy;
				final int q = qx + qy * w;
				// position of (q, p): offset (−dx, −dy) in row q
				final int kq = rowStart[q] + (-dy - Math.max(-2, -qy)) * span(qx, w) + (-dx - Math.max(-2, -qx));
				final double avg = (values[kp] + values[kq]) / 2;
				values[kp] = avg;
				values[kq] = avg;
			}
		}
	}

	/** Wraps the CSR arrays, removing exact zeros first if there are any (never for real images). */
	private static SparseMatrix dropZeros(final int n, final int[] rowStart, final int[] columns,
		final double[] values)
	{
		boolean anyZero = false;
		for (final double v : values) {
			if (v == 0) {
				anyZero = true;
				break;
			}
		}
		if (!anyZero) return new SparseMatrix(n, rowStart, columns, values);
		final int[] start = new int[n + 1];
		int out = 0;
		for (int i = 0; i < n; i++) {
			start[i] = out;
			for (int k = rowStart[i]; k < rowStart[i + 1]; k++) {
				if (values[k] != 0) {
					columns[out] = columns[k];
					values[out] = values[k];
					out++;
				}
			}
		}
		start[n] = out;
		return new SparseMatrix(n, start, Arrays.copyOf(columns, out), Arrays.copyOf(values, out));
	}
}
