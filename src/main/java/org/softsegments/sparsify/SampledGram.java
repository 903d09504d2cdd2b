package org.softsegments.sparsify;

import org.softsegments.core.Parallel;

/**
 * Weighted Grams {@code Eᵀ diag(g) E} and projections {@code Eᵀ e0}, {@code Eᵀ e1} of several
 * layers on a <em>weighted pixel sample</em> (fast path of constrained sparsification, spec §3.9
 * step 1; see {@link ConstrainedSparsification.Acceleration}).
 * <p>
 * Per layer, each pixel has the IRLS weights {@code e0, e1} of spec §3.9 and the Gram weight
 * {@code g = e0 + e1}. Pixels fall into three classes by their value α: within {@code band} of 0,
 * within {@code band} of 1, and in transition ({@code min(|α|, |1−α|) > band}, including
 * overshoots). The pixels are cut into strata, runs of {@code stride} consecutive pixel indices
 * (aligned), and from each stratum one pixel of each class present is drawn with probability
 * {@code h_q / H}, where {@code h = 1/max(min(|α|, |1−α|), clamp)} is a cheap proxy of g (g is a
 * power −(2−γ) = −1.2 of the same distance) and H the class's proxy total in the stratum; the
 * drawn pixel enters with its exact weights scaled by {@code H / h_q}. This is the
 * Horvitz–Thompson estimator: the sampled Gram and projections are unbiased. Drawing by the
 * proxy makes a stratum dominated by one heavy pixel (α extremely close to 0 or 1, weights up to
 * 1e11) contribute that pixel almost surely, which keeps the variance low although the weights
 * span eleven orders of magnitude; the class split keeps the light transition pixels, which shape
 * the soft part of the layer, from being crowded out by heavy ones. Only drawn pixels need the
 * (costly) power. The uniform number of a stratum and class is a hash of (seed, iteration, layer
 * id, stratum, class): deterministic and independent of the thread count. {@code scale}
 * multiplies every weight (the inverse inclusion rate of a first sampling stage done by the
 * caller). With {@code stride == 1} every pixel is used with its own weights (the exact
 * products; same arithmetic order as {@link WeightedGram}).
 * <p>
 * Layout and reduction as in {@link WeightedGram}: at most {@value WeightedGram#CHUNKS} chunks
 * of whole blocks of {@code stride·⌊256/stride⌋} pixels (fixed by N and the stride, so that no
 * stratum straddles two blocks), partial results added in chunk order, upper triangle mirrored;
 * bit-identical for any number of threads.
 */
final class SampledGram {

	private static final int BLOCK = WeightedGram.BLOCK;

	private SampledGram() {}

	/**
	 * Products of the requested layers: {@code grams[k]} (full symmetric m×m, without Λ),
	 * {@code proj0[k] = Eᵀe0}, {@code proj1[k] = Eᵀe1} (sampled estimates), null for layers not
	 * requested; {@code pixels} = number of pixel rows used, summed over the layers.
	 */
	record Products(double[][][] grams, double[][] proj0, double[][] proj1, long pixels) {}

	/**
	 * One sweep over the pixels.
	 *
	 * @param basis m vectors of length N
	 * @param wanted which layers to compute
	 * @param ids stable id of each layer (hashed into the sample)
	 * @param stride stratum length (1 = all pixels, exact; at most {@value WeightedGram#BLOCK})
	 * @param band transition band: pixels with {@code min(|α|,|1−α|) > band} form the transition class
	 * @param seed sample seed (combined with {@code iteration})
	 * @param alpha the layer values at the pixels of {@code basis}
	 * @param weights the IRLS weight functions
	 * @param scale factor on every weight
	 */
	static Products compute(final double[][] basis, final boolean[] wanted, final int[] ids, final int stride,
		final double band, final long seed, final int iteration, final double[][] alpha,
		final Weights weights, final double scale)
	{
		final int m = basis.length;
		final int n = basis[0].length;
		final int layers = wanted.length;
		if (stride < 1 || stride > BLOCK) throw new IllegalArgumentException("stride must be in 1 … " + BLOCK + ", got " + stride);
		final int block = stride * (BLOCK / stride);
		final int chunkLength = chunkLength(n, block);
		final int chunks = (n + chunkLength - 1) / chunkLength;
		final double[][][][] partialGrams = new double[chunks][][][];
		final double[][][] partial0 = new double[chunks][][];
		final double[][][] partial1 = new double[chunks][][];
		final long[] partialPixels = new long[chunks];
		Parallel.forRange(chunks, 1, (c0, c1) -> {
			for (int c = c0; c < c1; c++) {
				final int start = c * chunkLength;
				final int end = Math.min(n, start + chunkLength);
				final double[][][] g = new double[layers][][];
				final double[][] p0 = new double[layers][];
				final double[][] p1 = new double[layers][];
				for (int k = 0; k < layers; k++) {
					if (!wanted[k]) continue;
					g[k] = new double[m][m];
					p0[k] = new double[m];
					p1[k] = new double[m];
				}
				partialPixels[c] = sweepChunk(basis, block, start, end, wanted, ids, stride, band, seed, iteration, alpha,
					weights, scale, g, p0, p1);
				partialGrams[c] = g;
				partial0[c] = p0;
				partial1[c] = p1;
			}
		});
		final double[][][] grams = partialGrams[0];
		final double[][] proj0 = partial0[0], proj1 = partial1[0];
		long pixels = partialPixels[0];
		for (int c = 1; c < chunks; c++) {
			pixels += partialPixels[c];
			for (int k = 0; k < layers; k++) {
				if (!wanted[k]) continue;
				add(proj0[k], partial0[c][k]);
				add(proj1[k], partial1[c][k]);
				final double[][] gk = grams[k], hk = partialGrams[c][k];
				for (int i = 0; i < m; i++) {
					final double[] gi = gk[i], hi = hk[i];
					for (int j = i; j < m; j++) gi[j] += hi[j];
				}
			}
			partialGrams[c] = null;
		}
		for (int k = 0; k < layers; k++) {
			if (!wanted[k]) continue;
			final double[][] gk = grams[k];
			for (int i = 1; i < m; i++) {
				for (int j = 0; j < i; j++) gk[i][j] = gk[j][i];
			}
		}
		return new Products(grams, proj0, proj1, pixels);
	}

	/** Pixels per chunk: whole blocks, at most {@link WeightedGram#CHUNKS} chunks; depends on n and block only. */
	static int chunkLength(final int n, final int block) {
		final int perChunk = (n + WeightedGram.CHUNKS - 1) / WeightedGram.CHUNKS;
		return Math.max(1, (perChunk + block - 1) / block) * block;
	}

	private static void add(final double[] a, final double[] b) {
		for (int j = 0; j < a.length; j++) a[j] += b[j];
	}

	private static long sweepChunk(final double[][] basis, final int block, final int start, final int end, final boolean[] wanted,
		final int[] ids, final int stride, final double band, final long seed, final int iteration,
		final double[][] alpha, final Weights weights, final double scale, final double[][][] grams, final double[][] proj0,
		final double[][] proj1)
	{
		final int m = basis.length;
		final int layers = wanted.length;
		final double[][] rows = new double[BLOCK][m];
		final double[] zero = new double[m];
		final double[] proxy = new double[BLOCK];
		final byte[] cls = new byte[BLOCK];
		final Selection sel = new Selection(BLOCK + 3);
		final boolean exact = stride == 1;
		long used = 0;
		for (int s = start; s < end; s += block) {
			final int count = Math.min(block, end - s);
			for (int j = 0; j < m; j++) {
				final double[] src = basis[j];
				for (int q = 0; q < count; q++) rows[q][j] = src[s + q];
			}
			for (int k = 0; k < layers; k++) {
				if (!wanted[k]) continue;
				final double[] a = alpha[k];
				sel.count = 0;
				if (exact) {
					for (int q = 0; q < count; q++) sel.add(q, weights.e0(a[s + q]), weights.e1(a[s + q]), scale);
					for (int q = 0; q < count; q++) sel.rows[q] = rows[q];
				}
				else {
					// class (0: within band of 0, 1: within band of 1, 2: transition) and sampling proxy
					// 1/max(min(|α|, |1−α|), clamp) ≈ the Gram weight without its power
					for (int q = 0; q < count; q++) {
						final double v = a[s + q];
						final double d = Math.min(Math.abs(v), Math.abs(1 - v));
						proxy[q] = 1 / Math.max(d, weights.clamp);
						cls[q] = (byte) (d > band ? 2 : v < 0.5 ? 0 : 1);
					}
					final long layerHash = mix(mix(seed ^ mix(iteration)) + ids[k]);
					sample(a, s, count, stride, cls, proxy, weights, scale, layerHash, sel);
					for (int i = 0; i < sel.count; i++) sel.rows[i] = rows[sel.pixel[i]];
				}
				final int c = sel.count;
				used += c;
				final int c4 = (c + 3) & ~3;
				for (int q = c; q < c4; q++) {
					sel.add(0, 0, 0, 1);
					sel.rows[q] = zero;
				}
				WeightedGram.accumulateGram(sel.rows, c4, sel.g, grams[k], m);
				final double[] p0 = proj0[k], p1 = proj1[k];
				final double[][] r = sel.rows;
				final double[] s0 = sel.e0, s1 = sel.e1;
				for (int q = 0; q < c4; q += 4) {
					WeightedGram.axpy4(s0[q], s0[q + 1], s0[q + 2], s0[q + 3], r[q], r[q + 1], r[q + 2], r[q + 3], p0, 0, m);
					WeightedGram.axpy4(s1[q], s1[q + 1], s1[q + 2], s1[q + 3], r[q], r[q + 1], r[q + 2], r[q + 3], p1, 0, m);
				}
			}
		}
		return used;
	}

	/** The selected pixel rows of one block and layer with their (scaled) weights. */
	private static final class Selection {

		final double[][] rows;
		final int[] pixel;
		final double[] g, e0, e1;
		int count;

		Selection(final int capacity) {
			rows = new double[capacity][];
			pixel = new int[capacity];
			g = new double[capacity];
			e0 = new double[capacity];
			e1 = new double[capacity];
		}

		/** Adds block pixel {@code q} (its row is set later). */
		void add(final int q, final double w0, final double w1, final double scale) {
			pixel[count] = q;
			e0[count] = w0 * scale;
			e1[count] = w1 * scale;
			g[count++] = (w0 + w1) * scale;
		}
	}

	/**
	 * Samples one block: per run of {@code stride} pixels and per class c present, one pixel of
	 * class c drawn with probability {@code h/H} (h = proxy, H = the class's total in the run) and
	 * added with its weights scaled by {@code scale·H/h}.
	 */
	private static void sample(final double[] a, final int blockStart, final int count, final int stride, final byte[] cls,
		final double[] proxy, final Weights weights, final double scale, final long layerHash, final Selection sel)
	{
		for (int r0 = 0; r0 < count; r0 += stride) {
			final int r1 = Math.min(count, r0 + stride);
			double t0 = 0, t1 = 0, t2 = 0;
			for (int q = r0; q < r1; q++) {
				final int c = cls[q];
				final double h = proxy[q];
				t0 += c == 0 ? h : 0;
				t1 += c == 1 ? h : 0;
				t2 += c == 2 ? h : 0;
			}
			final long stratum = layerHash + 3L * ((blockStart + r0) / stride);
			if (t0 > 0) pick(a, blockStart, r0, r1, 0, t0, cls, proxy, weights, scale, stratum, sel);
			if (t1 > 0) pick(a, blockStart, r0, r1, 1, t1, cls, proxy, weights, scale, stratum, sel);
			if (t2 > 0) pick(a, blockStart, r0, r1, 2, t2, cls, proxy, weights, scale, stratum, sel);
		}
	}

	private static void pick(final double[] a, final int blockStart, final int r0, final int r1, final int c,
		final double total, final byte[] cls, final double[] proxy, final Weights weights, final double scale,
		final long stratum, final Selection sel)
	{
		final double target = uniform(mix(stratum + c)) * total;
		double cum = 0;
		int pick = -1;
		for (int q = r0; q < r1; q++) {
			if (cls[q] != c) continue;
			pick = q;
			cum += proxy[q];
			if (cum > target) break;
		}
		final double v = a[blockStart + pick];
		sel.add(pick, weights.e0(v), weights.e1(v), scale * (total / proxy[pick]));
	}

	/** IRLS weights of spec §3.9 by {@link FastPow}. */
	static final class Weights {

		final double c0, c1, exponent, clamp;

		Weights(final ConstrainedSparsification.Params params) {
			c0 = Math.pow(params.w0(), params.gamma());
			c1 = Math.pow(params.w1(), params.gamma());
			exponent = params.gamma() - 2;
			clamp = params.clamp();
		}

		double e0(final double a) {
			return c0 * FastPow.pow(Math.max(Math.abs(a), clamp), exponent);
		}

		double e1(final double a) {
			return c1 * FastPow.pow(Math.max(Math.abs(a - 1), clamp), exponent);
		}
	}

	/** SplitMix64 finaliser. */
	static long mix(long z) {
		z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
		z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
		return z ^ (z >>> 31);
	}

	/** Uniform number in [0, 1) from a hash. */
	static double uniform(final long h) {
		return (h >>> 11) * 0x1.0p-53;
	}
}
