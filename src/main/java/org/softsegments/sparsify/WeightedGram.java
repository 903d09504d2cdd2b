package org.softsegments.sparsify;

import java.lang.management.ManagementFactory;
import java.util.Arrays;

import org.softsegments.core.Parallel;

/**
 * Weighted Gram matrices {@code Eᵀ diag(w_k) E} and projections {@code Eᵀ v_k} of a basis
 * {@code E} (N×m, stored as m vectors of length N) for several layers {@code k} in one blocked
 * sweep over the pixels — the dominant cost of constrained sparsification (spec §3.9 step 1,
 * §11).
 * <p>
 * Method: the pixels are cut into {@value #CHUNKS} (at most) chunks of whole blocks of
 * {@value #BLOCK} pixels, a layout fixed by N alone. Each chunk copies each of its blocks of
 * {@code E} once into pixel-major rows (one {@code double[m]} per pixel) and, for every layer,
 * asks the {@link BlockWeights} callback for the block's weights and adds the block's symmetric
 * rank-{@value #BLOCK} update to the chunk's partial Gram: row panels of {@value #PANEL} Gram rows
 * are updated by four pixels at a time ({@code G[i][j..m) += Σ_q w_q e_q[i] e_q[j..m)}, upper
 * triangle only), a loop HotSpot C2 vectorises (SIMD) when written over separate arrays. The
 * projections use the same four-pixel update. Chunks run in parallel through {@link Parallel};
 * the partial results are added in chunk order and the upper triangle is mirrored at the end, so
 * the result is bit-identical for any number of threads.
 * <p>
 * Arithmetic: storage and accumulation in double. When the JVM reports hardware FMA
 * ({@code -XX:+UseFMA}, every x86 CPU since 2013) the update uses {@link Math#fma}, otherwise
 * separate multiply and add (Math.fma without hardware support is a slow software routine).
 * Both are deterministic; results of the two variants differ by rounding only.
 * <p>
 * Memory: besides the result, one partial of {@code layers·m²} doubles per chunk (16 × 3.2 MB
 * for 40 layers and m = 100).
 * <p>
 * Speed: {@code ConstrainedSparsificationBenchmark} (test sources); results in the README.
 */
public final class WeightedGram {

	/** Pixels per block (copied once per sweep into pixel-major rows). */
	static final int BLOCK = 256;
	/** Gram rows updated together while the block's pixels stream past (fits in L1). */
	static final int PANEL = 16;
	/** Maximal number of pixel chunks (independent of the thread count). */
	static final int CHUNKS = 16;

	/** True when Math.fma is a hardware instruction on this JVM. */
	static final boolean FMA = detectFma();

	private WeightedGram() {}

	/** Supplies per-pixel weights of one layer for one block of pixels. */
	@FunctionalInterface
	public interface BlockWeights {

		/**
		 * Writes the weights of {@code layer} for pixels {@code start … end−1}: the Gram weights
		 * into {@code gram[0 … end−start)}, the projection weights into
		 * {@code projection[0 … end−start)}. Called from several threads at once (different
		 * blocks); must only read shared state.
		 */
		void fill(int layer, int start, int end, double[] gram, double[] projection);
	}

	/**
	 * Result of a sweep: {@code grams[k]} = {@code Eᵀ diag(w_k) E} as a full symmetric m×m array
	 * (null for layers whose Gram was not requested) and {@code projections[k]} =
	 * {@code Eᵀ v_k} (length m).
	 */
	public record Products(double[][][] grams, double[][] projections) {}

	/**
	 * One sweep over the pixels computing, for every {@code k < layers}, the weighted Gram (if
	 * {@code gramWanted} is null or {@code gramWanted[k]}) and the projection.
	 *
	 * @param basis m vectors of equal length N ({@code basis[j][p]} = E(p, j))
	 */
	public static Products compute(final double[][] basis, final int layers, final boolean[] gramWanted,
		final BlockWeights weights)
	{
		final int m = checkBasis(basis);
		final int n = basis[0].length;
		if (layers < 0) throw new IllegalArgumentException("layers must be >= 0, got " + layers);
		if (gramWanted != null && gramWanted.length < layers) {
			throw new IllegalArgumentException("gramWanted has " + gramWanted.length + " entries for " + layers + " layers");
		}
		final boolean[] wanted = new boolean[layers];
		for (int k = 0; k < layers; k++) wanted[k] = gramWanted == null || gramWanted[k];

		final int chunkLength = chunkLength(n);
		final int chunks = (n + chunkLength - 1) / chunkLength;
		final double[][][][] partialGrams = new double[chunks][][][];
		final double[][][] partialProjections = new double[chunks][][];
		Parallel.forRange(chunks, 1, (c0, c1) -> {
			for (int c = c0; c < c1; c++) {
				final int start = c * chunkLength;
				final int end = Math.min(n, start + chunkLength);
				final double[][][] g = new double[layers][][];
				for (int k = 0; k < layers; k++) {
					if (wanted[k]) g[k] = new double[m][m];
				}
				final double[][] pr = new double[layers][m];
				sweepChunk(basis, start, end, layers, weights, g, pr);
				partialGrams[c] = g;
				partialProjections[c] = pr;
			}
		});

		// Fixed-order reduction: chunk 0 + chunk 1 + … (upper triangles), then mirror.
		final double[][][] grams = partialGrams[0];
		final double[][] projections = partialProjections[0];
		for (int c = 1; c < chunks; c++) {
			for (int k = 0; k < layers; k++) {
				final double[] pk = projections[k], qk = partialProjections[c][k];
				for (int j = 0; j < m; j++) pk[j] += qk[j];
				if (!wanted[k]) continue;
				final double[][] gk = grams[k], hk = partialGrams[c][k];
				for (int i = 0; i < m; i++) {
					final double[] gi = gk[i], hi = hk[i];
					for (int j = i; j < m; j++) gi[j] += hi[j];
				}
			}
			partialGrams[c] = null;
			partialProjections[c] = null;
		}
		for (int k = 0; k < layers; k++) {
			if (!wanted[k]) continue;
			final double[][] gk = grams[k];
			for (int i = 1; i < m; i++) {
				for (int j = 0; j < i; j++) gk[i][j] = gk[j][i];
			}
		}
		return new Products(grams, projections);
	}

	/** {@code Eᵀ diag(weights[k]) E} for every k (full symmetric m×m arrays). */
	public static double[][][] grams(final double[][] basis, final double[][] weights) {
		checkWeights(basis, weights);
		// projection weights stay zero (their projections are not used)
		return compute(basis, weights.length, null, (layer, start, end, g, pr) -> {
			System.arraycopy(weights[layer], start, g, 0, end - start);
			Arrays.fill(pr, 0, end - start, 0);
		}).grams();
	}

	/** {@code Eᵀ vectors[k]} for every k (length m each). */
	public static double[][] project(final double[][] basis, final double[][] vectors) {
		checkWeights(basis, vectors);
		return compute(basis, vectors.length, new boolean[vectors.length], (layer, start, end, g, pr) -> {
			System.arraycopy(vectors[layer], start, pr, 0, end - start);
		}).projections();
	}

	/** Pixels per chunk: whole blocks, at most {@link #CHUNKS} chunks; depends on n only. */
	static int chunkLength(final int n) {
		final int perChunk = (n + CHUNKS - 1) / CHUNKS;
		final int blocks = Math.max(1, (perChunk + BLOCK - 1) / BLOCK);
		return blocks * BLOCK;
	}

	private static void sweepChunk(final double[][] basis, final int start, final int end, final int layers,
		final BlockWeights weights, final double[][][] grams, final double[][] projections)
	{
		final int m = basis.length;
		final double[][] rows = new double[BLOCK][m];
		final double[] gw = new double[BLOCK];
		final double[] pw = new double[BLOCK];
		for (int s = start; s < end; s += BLOCK) {
			final int count = Math.min(BLOCK, end - s);
			final int count4 = (count + 3) & ~3;
			for (int j = 0; j < m; j++) {
				final double[] src = basis[j];
				for (int q = 0; q < count; q++) rows[q][j] = src[s + q];
			}
			for (int q = count; q < count4; q++) Arrays.fill(rows[q], 0);
			for (int k = 0; k < layers; k++) {
				weights.fill(k, s, s + count, gw, pw);
				for (int q = count; q < count4; q++) {
					gw[q] = 0;
					pw[q] = 0;
				}
				if (grams[k] != null) accumulateGram(rows, count4, gw, grams[k], m);
				final double[] pk = projections[k];
				for (int q = 0; q < count4; q += 4) {
					axpy4(pw[q], pw[q + 1], pw[q + 2], pw[q + 3], rows[q], rows[q + 1], rows[q + 2], rows[q + 3], pk, 0, m);
				}
			}
		}
	}

	/**
	 * {@code g[i][j] += Σ_q w[q]·rows[q][i]·rows[q][j]} for {@code j ≥ i}, q over
	 * {@code [0, count4)} (a multiple of 4).
	 */
	static void accumulateGram(final double[][] rows, final int count4, final double[] w, final double[][] g,
		final int m)
	{
		for (int i0 = 0; i0 < m; i0 += PANEL) {
			final int i1 = Math.min(m, i0 + PANEL);
			for (int q = 0; q < count4; q += 4) {
				final double[] e0 = rows[q], e1 = rows[q + 1], e2 = rows[q + 2], e3 = rows[q + 3];
				final double w0 = w[q], w1 = w[q + 1], w2 = w[q + 2], w3 = w[q + 3];
				for (int i = i0; i < i1; i++) {
					axpy4(w0 * e0[i], w1 * e1[i], w2 * e2[i], w3 * e3[i], e0, e1, e2, e3, g[i], i, m);
				}
			}
		}
	}

	/**
	 * {@code y[j] += a0·x0[j] + a1·x1[j] + a2·x2[j] + a3·x3[j]} for {@code j ∈ [from, to)} (added in
	 * the order x3, x2, x1, x0). Written over separate arrays so that C2 vectorises it.
	 */
	static void axpy4(final double a0, final double a1, final double a2, final double a3, final double[] x0,
		final double[] x1, final double[] x2, final double[] x3, final double[] y, final int from, final int to)
	{
		if (FMA) {
			for (int j = from; j < to; j++) {
				y[j] = Math.fma(a0, x0[j], Math.fma(a1, x1[j], Math.fma(a2, x2[j], Math.fma(a3, x3[j], y[j]))));
			}
		}
		else {
			for (int j = from; j < to; j++) {
				y[j] = y[j] + a3 * x3[j] + a2 * x2[j] + a1 * x1[j] + a0 * x0[j];
			}
		}
	}

	/** {@code y[j] += a·x[j]} for {@code j ∈ [from, to)}, same rounding as {@link #axpy4}. */
	static void axpy1(final double a, final double[] x, final double[] y, final int from, final int to) {
		if (FMA) {
			for (int j = from; j < to; j++) y[j] = Math.fma(a, x[j], y[j]);
		}
		else {
			for (int j = from; j < to; j++) y[j] = y[j] + a * x[j];
		}
	}

	static int checkBasis(final double[][] basis) {
		if (basis == null || basis.length == 0) throw new IllegalArgumentException("basis must have at least one vector");
		if (basis[0] == null || basis[0].length == 0) throw new IllegalArgumentException("basis vectors must not be empty");
		final int n = basis[0].length;
		for (int j = 0; j < basis.length; j++) {
			if (basis[j] == null || basis[j].length != n) {
				throw new IllegalArgumentException("basis vector " + j + " has length "
					+ (basis[j] == null ? "null" : basis[j].length) + ", expected " + n);
			}
		}
		return basis.length;
	}

	private static void checkWeights(final double[][] basis, final double[][] weights) {
		checkBasis(basis);
		final int n = basis[0].length;
		for (int k = 0; k < weights.length; k++) {
			if (weights[k] == null || weights[k].length != n) {
				throw new IllegalArgumentException("weight vector " + k + " must have length " + n);
			}
		}
	}

	private static boolean detectFma() {
		try {
			final Class<?> beanClass = Class.forName("com.sun.management.HotSpotDiagnosticMXBean");
			final Object bean = ManagementFactory.getPlatformMXBean(beanClass.asSubclass(
				java.lang.management.PlatformManagedObject.class));
			final Object option = beanClass.getMethod("getVMOption", String.class).invoke(bean, "UseFMA");
			final Object value = option.getClass().getMethod("getValue").invoke(option);
			return "true".equals(value);
		}
		catch (final Throwable t) {
			return false;
		}
	}
}
