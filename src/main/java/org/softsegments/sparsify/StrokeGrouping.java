package org.softsegments.sparsify;

import org.softsegments.image.PlanarImage;
import org.softsegments.core.Progress;
import org.softsegments.linalg.SparseMatrix;
import org.softsegments.linalg.SupernodalLdlt;

/**
 * Scribble-guided grouping (issue 18): the grouping of spec §3.10 steered by the user's strokes.
 * <ol>
 * <li>Stroke mass: segment {@code k} carries {@code M_kj = Σ_i |α_ki| s_ji} under the strokes of
 * layer {@code j}, where {@code s_ji} is the fraction of working pixel {@code i} the strokes of
 * {@code j} cover.</li>
 * <li>Pinning: a segment goes to the layer {@code j*} it carries the most stroke mass under, when
 * that is at least {@link #MIN_SHARE} of the strokes' area {@code S_j* = Σ_i s_j*i} (its mean α
 * over those strokes); a layer left without a segment takes the segment of the largest share of its
 * strokes from a layer that keeps another one.</li>
 * <li>The other segments go where the strokes spread: each layer's strokes are propagated over the
 * image through the matting Laplacian, as scribbles in closed-form matting (Levin, Lischinski
 * and Weiss 2008; {@link #propagate}), and a segment joins the layer whose propagated map it
 * carries the most mass under, {@code argmax_j Σ_i |α_ki| p_ji} (the rule of the benchmark's
 * oracle grouping, with the propagated maps in place of the true alpha).</li>
 * </ol>
 * <b>Deviation from the paper</b>, whose grouping is fully automatic: the number of layers is the
 * number of stroke labels, and the strokes decide the groups of the segments they touch; without
 * strokes the engine uses the automatic grouping. Deterministic (no random starts); the
 * propagation costs one sparse factorisation at the working resolution.
 */
public final class StrokeGrouping {

	/** Least mean α a segment must have over a layer's strokes to be pinned to that layer. */
	public static final double MIN_SHARE = 0.05;

	private StrokeGrouping() {}

	/**
	 * Groups {@code segments} ({@code [C][N]}) into one layer per stroke label.
	 *
	 * @param laplacian a positive semi-definite N×N Laplacian of the image (the engine gives the matting
	 *          Laplacian: the assembled one of spec §3.6 is indefinite, since semantic affinities can be
	 *          negative)
	 * @param coverage channel {@code j}: the fraction of each pixel covered by the strokes of layer
	 *          {@code j + 1} (N pixels, K channels)
	 * @param progress checked for cancellation
	 * @throws IllegalArgumentException when two layers' strokes lie only on one segment (the layers
	 *         cannot be separated), or on mismatched sizes
	 */
	public static LayerGrouping.Result group(final double[][] segments, final SparseMatrix laplacian, final PlanarImage coverage,
		final Progress progress)
	{
		final int count = segments.length, k = coverage.channels(), n = coverage.pixels();
		if (laplacian.size() != n) {
			throw new IllegalArgumentException("Stroke coverage has " + n + " pixels, the Laplacian " + laplacian.size());
		}
		final int[] ids = pin(segments, coverage);
		final double[][] p = propagate(laplacian, coverage, progress);
		for (int c = 0; c < count; c++) {
			if (ids[c] >= 0) continue;
			int best = 0;
			double bestMass = Double.NEGATIVE_INFINITY;
			for (int j = 0; j < k; j++) {
				double m = 0;
				for (int i = 0; i < n; i++) m += Math.abs(segments[c][i]) * p[j][i];
				if (m > bestMass) {
					bestMass = m;
					best = j;
				}
			}
			ids[c] = best;
		}
		return new LayerGrouping.Result(ids, LayerGrouping.sumGroups(segments, ids, k));
	}

	/**
	 * The strokes spread over the image by the Laplacian: for each layer {@code j} the minimiser of
	 * {@code pᵀLp + λ Σ_i c_i (p_i − s_ji)² + ε Σ_i (p_i − 1/K)²} ({@code c_i} the pixel's total stroke
	 * coverage; λ = {@value #STROKE_WEIGHT}, ε = {@value #PRIOR_WEIGHT}), solved exactly by one sparse
	 * LDLᵀ factorisation for all layers.
	 */
	static double[][] propagate(final SparseMatrix laplacian, final PlanarImage coverage, final Progress progress) {
		final int k = coverage.channels(), n = coverage.pixels();
		final double[] diagonal = new double[n];
		for (int j = 0; j < k; j++) {
			final float[] s = coverage.plane(j);
			for (int i = 0; i < n; i++) diagonal[i] += STROKE_WEIGHT * s[i];
		}
		final int[] rows = new int[n];
		for (int i = 0; i < n; i++) {
			rows[i] = i;
			diagonal[i] += PRIOR_WEIGHT;
		}
		final SparseMatrix a = laplacian.plus(SparseMatrix.fromTriplets(n, rows, rows, diagonal, n), 1);
		final SupernodalLdlt ldlt = SupernodalLdlt.factor(a, SupernodalLdlt.analyse(a), 0, progress);
		final double[][] b = new double[k][n], x = new double[k][n];
		for (int j = 0; j < k; j++) {
			final float[] s = coverage.plane(j);
			for (int i = 0; i < n; i++) b[j][i] = STROKE_WEIGHT * s[i] + PRIOR_WEIGHT / k;
		}
		ldlt.solve(b, x);
		return x;
	}

	/** λ: weight of the strokes' values in {@link #propagate} (Levin et al. 2008 use 100 for scribbles). */
	static final double STROKE_WEIGHT = 100;
	/** ε: weight of the uniform prior in {@link #propagate}, which decides pixels no stroke reaches. */
	static final double PRIOR_WEIGHT = 1e-5;

	/**
	 * The layer (0…K−1) each segment is pinned to by the strokes, −1 for none; every layer gets
	 * at least one segment.
	 */
	static int[] pin(final double[][] segments, final PlanarImage coverage) {
		final int count = segments.length, k = coverage.channels(), n = coverage.pixels();
		final double[][] share = new double[count][k];
		final double[] area = new double[k];
		for (int j = 0; j < k; j++) {
			final float[] s = coverage.plane(j);
			for (int i = 0; i < n; i++) area[j] += s[i];
			if (!(area[j] > 0)) throw new IllegalArgumentException("Layer " + (j + 1) + " has no strokes at the working resolution");
		}
		for (int c = 0; c < count; c++) {
			final double[] a = segments[c];
			if (a.length != n) throw new IllegalArgumentException("Segment " + c + " has " + a.length + " values, the strokes " + n);
			for (int j = 0; j < k; j++) {
				final float[] s = coverage.plane(j);
				double m = 0;
				for (int i = 0; i < n; i++) if (s[i] != 0) m += Math.abs(a[i]) * s[i];
				share[c][j] = m / area[j];
			}
		}
		final int[] pinned = new int[count];
		final int[] members = new int[k];
		for (int c = 0; c < count; c++) {
			int best = 0;
			for (int j = 1; j < k; j++) if (share[c][j] * area[j] > share[c][best] * area[best]) best = j;
			pinned[c] = share[c][best] >= MIN_SHARE ? best : -1;
			if (pinned[c] >= 0) members[best]++;
		}
		for (int j = 0; j < k; j++) {
			if (members[j] > 0) continue;
			int best = -1;
			for (int c = 0; c < count; c++) {
				if (pinned[c] >= 0 && members[pinned[c]] < 2) continue;
				if (best < 0 || share[c][j] > share[best][j]) best = c;
			}
			if (best < 0 || !(share[best][j] > 0)) {
				throw new IllegalArgumentException("The strokes of layer " + (j + 1) + " lie on regions that other layers' strokes "
					+ "claim more strongly; draw them inside the region that layer should hold");
			}
			if (pinned[best] >= 0) members[pinned[best]]--;
			pinned[best] = j;
			members[j]++;
		}
		return pinned;
	}
}
