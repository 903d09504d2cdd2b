package org.softsegments.sparsify;

import java.util.Objects;

import org.softsegments.core.Parallel;
import org.softsegments.image.PlanarImage;
import org.softsegments.linalg.KMeans;

/**
 * Grouping of the soft layers of the constrained sparsification into a few layers (spec §3.10,
 * paper §3.4, reference {@code groupSegments(layers, f, 5)}).
 * <ol>
 * <li>Each layer {@code k} gets a semantic signature, the α-weighted mean feature
 * {@code g_k = Σ_i α_ik f_i / Σ_i α_ik} (double accumulation, pixels in index order;
 * α may be slightly negative and is used as is).</li>
 * <li>The signatures are clustered by {@link KMeans} with MATLAB's defaults: squared Euclidean,
 * k-means++ start, 1 replicate, 100 iterations, singleton empty action.</li>
 * <li>Group {@code j} is the sum of the layers with id {@code j} (added in layer order), so
 * per-pixel sums of the layers are preserved up to rounding.</li>
 * </ol>
 * Pixel index {@code p = x + y·width} as in {@link PlanarImage}; the features may have any number
 * of channels (3 in the reference).
 * <p>
 * <b>Deviations / choices.</b>
 * <ul>
 * <li>With {@code K' ≤ groups} layers the reference's k-means would fail (or, for
 * {@code K' = groups}, put every layer in its own group). Here the layers are returned unchanged
 * (copied) with ids {@code 0..K'−1}: the result then has <em>fewer</em> layers than asked and the
 * caller must report that; no empty layers are padded in.</li>
 * <li>Guard for a vanishing denominator: if {@code |Σ_i α_ik| ≤ 1e-6 · Σ_i |α_ik|} (the signed
 * mass is almost pure cancellation, which would blow the "mean" far outside the feature range),
 * the weights {@code |α_ik|} are used instead; a layer that is identically zero gets the
 * unweighted mean feature of the image.</li>
 * <li>k-means random stream differs from MATLAB's (seeded here), so group ids differ from the
 * reference's by more than a permutation in ambiguous cases.</li>
 * </ul>
 */
public final class LayerGrouping {

	/** Relative size of {@code |Σα|} against {@code Σ|α|} below which |α| weights are used. */
	static final double CANCELLATION = 1e-6;

	private static final int GRAIN = 16384;

	private LayerGrouping() {}

	/**
	 * Grouped layers with the group of every input layer.
	 *
	 * @param ids group {@code 0..G−1} of each input layer (length K')
	 * @param layers the {@code G} grouped layers, {@code [G][N]}; {@code G = min(groups, K')}
	 */
	public record Result(int[] ids, double[][] layers) {

		/** Number of groups G. */
		public int groups() {
			return layers.length;
		}
	}

	/**
	 * Groups {@code layers} ({@code [K'][N]}, N = pixels of {@code features}) into
	 * {@code groups} layers; see {@link #groupWithIds}.
	 */
	public static double[][] group(final double[][] layers, final PlanarImage features, final int groups,
		final long seed)
	{
		return groupWithIds(layers, features, groups, seed).layers();
	}

	/**
	 * Groups {@code layers} ({@code [K'][N]}, N = pixels of {@code features}) into
	 * {@code min(groups, K')} layers (see class doc), also returning each layer's group id.
	 *
	 * @throws IllegalArgumentException if there are no layers, lengths differ from the feature
	 *         image's pixel count, a value is not finite, or {@code groups < 1}
	 */
	public static Result groupWithIds(final double[][] layers, final PlanarImage features, final int groups,
		final long seed)
	{
		Objects.requireNonNull(layers, "layers");
		Objects.requireNonNull(features, "features");
		if (groups < 1) throw new IllegalArgumentException("Number of groups must be >= 1, got " + groups);
		final int count = layers.length;
		if (count == 0) throw new IllegalArgumentException("Need at least one layer to group");
		final int n = features.pixels();
		for (int k = 0; k < count; k++) {
			if (layers[k] == null || layers[k].length != n) {
				throw new IllegalArgumentException("Layer " + k + " has " + (layers[k] == null ? "no" : layers[k].length)
					+ " values but the feature image has " + features.width() + "×" + features.height() + " = " + n
					+ " pixels");
			}
		}
		if (count <= groups) {
			final double[][] copy = new double[count][];
			final int[] ids = new int[count];
			for (int k = 0; k < count; k++) {
				checkFinite(layers[k], k);
				copy[k] = layers[k].clone();
				ids[k] = k;
			}
			return new Result(ids, copy);
		}
		final int dim = features.channels();
		final double[] g = signatures(layers, features);
		final KMeans.Result km = KMeans.cluster(g, count, dim, groups,
			KMeans.Options.defaults().start(KMeans.Start.PLUS).replicates(1).maxIterations(100).seed(seed));
		final int[] ids = km.labels().clone();
		final double[][] out = sumGroups(layers, ids, groups);
		return new Result(ids, out);
	}

	/**
	 * Group {@code j} = sum of the layers {@code k} with {@code ids[k] == j}, added in layer
	 * order ({@code [groups][N]}; a group without layers is zero).
	 *
	 * @throws IllegalArgumentException if an id is outside {@code 0..groups−1} or layer lengths
	 *         differ
	 */
	public static double[][] sumGroups(final double[][] layers, final int[] ids, final int groups) {
		if (ids.length != layers.length) {
			throw new IllegalArgumentException(ids.length + " ids for " + layers.length + " layers");
		}
		final int n = layers.length == 0 ? 0 : layers[0].length;
		for (int k = 0; k < layers.length; k++) {
			if (ids[k] < 0 || ids[k] >= groups) {
				throw new IllegalArgumentException("Group id " + ids[k] + " of layer " + k + " is outside 0.." + (groups - 1));
			}
			if (layers[k].length != n) {
				throw new IllegalArgumentException("Layer " + k + " has " + layers[k].length + " values, layer 0 has " + n);
			}
		}
		final double[][] out = new double[groups][n];
		Parallel.forRange(n, GRAIN, (s, e) -> {
			for (int k = 0; k < layers.length; k++) {
				final double[] src = layers[k];
				final double[] dst = out[ids[k]];
				for (int p = s; p < e; p++) dst[p] += src[p];
			}
		});
		return out;
	}

	/**
	 * Semantic signatures: row-major {@code K'×C} (C = feature channels), row {@code k} the
	 * α-weighted mean feature of layer {@code k} (with the guard of the class doc).
	 *
	 * @throws IllegalArgumentException if a layer length differs from the pixel count or a
	 *         layer value is not finite
	 */
	public static double[] signatures(final double[][] layers, final PlanarImage features) {
		final int count = layers.length;
		final int n = features.pixels();
		final int dim = features.channels();
		final float[][] f = features.planes();
		for (int k = 0; k < count; k++) {
			if (layers[k].length != n) {
				throw new IllegalArgumentException("Layer " + k + " has " + layers[k].length + " values, expected " + n);
			}
			checkFinite(layers[k], k);
		}
		final double[] g = new double[count * dim];
		Parallel.forEach(count, (k0, k1) -> {
			for (int k = k0; k < k1; k++) {
				final double[] a = layers[k];
				double mass = 0, absMass = 0;
				final double[] sum = new double[dim];
				final double[] absSum = new double[dim];
				for (int p = 0; p < n; p++) {
					final double w = a[p], aw = Math.abs(w);
					mass += w;
					absMass += aw;
					for (int c = 0; c < dim; c++) {
						final double v = f[c][p];
						sum[c] += w * v;
						absSum[c] += aw * v;
					}
				}
				for (int c = 0; c < dim; c++) {
					final double value;
					if (absMass == 0) {
						double plain = 0;
						for (int p = 0; p < n; p++) plain += f[c][p];
						value = plain / n;
					}
					else if (Math.abs(mass) <= CANCELLATION * absMass) {
						value = absSum[c] / absMass;
					}
					else {
						value = sum[c] / mass;
					}
					g[k * dim + c] = value;
				}
			}
		});
		for (int i = 0; i < g.length; i++) {
			if (!Double.isFinite(g[i])) {
				throw new IllegalArgumentException("Feature image has non-finite values (signature of layer " + (i / dim)
					+ " is " + g[i] + ")");
			}
		}
		return g;
	}

	private static void checkFinite(final double[] a, final int k) {
		for (int p = 0; p < a.length; p++) {
			if (!Double.isFinite(a[p])) {
				throw new IllegalArgumentException("Layer " + k + " has a non-finite value " + a[p] + " at pixel " + p);
			}
		}
	}
}
