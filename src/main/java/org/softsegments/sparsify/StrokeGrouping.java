package org.softsegments.sparsify;

import org.softsegments.image.PlanarImage;
import org.softsegments.core.Progress;
import org.softsegments.linalg.SparseMatrix;
import org.softsegments.linalg.SupernodalLdlt;

/**
 * Scribble-guided grouping (issue 18): the grouping of spec §3.10 steered by the user's strokes.
 * <ol>
 * <li>Each layer's strokes are spread over the image, as scribbles in closed-form matting (Levin,
 * Lischinski and Weiss 2008; {@link #propagate}), through the matting Laplacian and the attractive
 * non-local affinities ({@link #attractive}): a map {@code p_j} per layer, close to 1 on the layer's
 * strokes and where the image ties to them, close to 0 on the other layers' strokes.</li>
 * <li>A segment joins the layer whose spread strokes it carries the most mass under,
 * {@code argmax_j Σ_i |α_ki| p_ji} (the rule of the benchmark's oracle grouping, with the spread
 * strokes in place of the true alpha).</li>
 * <li>A layer left without a segment takes the segment that carries the largest share of its
 * strokes from a layer that keeps another one (error when none can be spared).</li>
 * <li>The relaxed sparsification then runs with the strokes as one more term of its energy
 * ({@link #strokeTerm}): the pixels under a stroke are held to the stroke's layer, also inside a
 * segment that went whole to another layer.</li>
 * </ol>
 * <b>Deviation from the paper</b>, whose grouping is fully automatic: the number of layers is the
 * number of stroke labels, and the strokes decide the groups. A segment under a stroke is not
 * forced into that stroke's layer: one that reaches across a boundary follows most of its mass
 * (forcing it made wrong layers that later strokes could not undo); the pixels under the stroke
 * are still held to its layer, by the strokes' term in the relaxed sparsification's energy (also
 * not in the paper). Without strokes the engine uses the automatic grouping and the paper's energy. Deterministic; the spreading costs one sparse factorisation at the
 * working resolution.
 */
public final class StrokeGrouping {

	private StrokeGrouping() {}

	/**
	 * Groups {@code segments} ({@code [C][N]}) into one layer per stroke label.
	 *
	 * @param laplacian a positive semi-definite N×N Laplacian of the image (the engine gives
	 *          {@link #attractive}: the assembled one of spec §3.6 is indefinite, since semantic
	 *          affinities can be negative)
	 * @param coverage channel {@code j}: the fraction of each pixel covered by the strokes of layer
	 *          {@code j + 1} (N pixels, K channels)
	 * @param progress checked for cancellation
	 * @throws IllegalArgumentException when a layer cannot get a segment of its own (its strokes lie
	 *         on segments the other layers need), or on mismatched sizes
	 */
	public static LayerGrouping.Result group(final double[][] segments, final SparseMatrix laplacian, final PlanarImage coverage,
		final Progress progress)
	{
		final int count = segments.length, k = coverage.channels(), n = coverage.pixels();
		if (laplacian.size() != n) {
			throw new IllegalArgumentException("Stroke coverage has " + n + " pixels, the Laplacian " + laplacian.size());
		}
		for (int c = 0; c < count; c++) {
			if (segments[c].length != n) throw new IllegalArgumentException("Segment " + c + " has " + segments[c].length + " values, the strokes " + n);
		}
		final double[][] p = propagate(laplacian, coverage, progress);
		final int[] ids = new int[count];
		for (int c = 0; c < count; c++) {
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
		everyLayer(ids, segments, coverage);
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

	/**
	 * The strokes' term of the relaxed sparsification ({@link RelaxedSparsification.StrokeTerm}):
	 * weight λ·c_i ({@code c_i} the pixel's total stroke coverage, λ = {@value #STROKE_WEIGHT} as in
	 * {@link #propagate}) towards each layer's share of the pixel's strokes. It holds the pixels under
	 * a stroke to its layer also where a segment that two layers' strokes share went whole to the
	 * other layer.
	 */
	public static RelaxedSparsification.StrokeTerm strokeTerm(final PlanarImage coverage) {
		final int k = coverage.channels(), n = coverage.pixels();
		final double[] weight = new double[n], target = new double[k * n];
		for (int j = 0; j < k; j++) {
			final float[] s = coverage.plane(j);
			for (int i = 0; i < n; i++) weight[i] += s[i];
		}
		for (int j = 0; j < k; j++) {
			final float[] s = coverage.plane(j);
			for (int i = 0; i < n; i++) if (weight[i] > 0) target[j * n + i] = s[i] / weight[i];
		}
		for (int i = 0; i < n; i++) weight[i] *= STROKE_WEIGHT;
		return new RelaxedSparsification.StrokeTerm(weight, target);
	}

	/**
	 * The Laplacian the strokes spread through: {@code matting} plus the attractive part of the
	 * other terms of {@code full} (the semantic and non-local colour affinities of spec §3.4–3.5
	 * that are positive; the negative, repulsive ones would make the system indefinite). Positive
	 * semi-definite; the non-local terms let strokes reach separate regions of similar colour and
	 * features.
	 *
	 * @param full the assembled Laplacian of spec §3.6
	 * @param matting its matting term (weight included)
	 */
	public static SparseMatrix attractive(final SparseMatrix full, final SparseMatrix matting) {
		final SparseMatrix rest = full.plus(matting, -1);
		final int n = rest.size();
		final int[] start = rest.rowStart(), cols = rest.columns();
		final double[] vals = rest.values();
		int count = 0;
		for (int i = 0; i < n; i++) for (int q = start[i]; q < start[i + 1]; q++) if (cols[q] != i && vals[q] < 0) count++;
		final int[] r = new int[count], c = new int[count];
		final double[] w = new double[count];
		int t = 0;
		for (int i = 0; i < n; i++) {
			for (int q = start[i]; q < start[i + 1]; q++) {
				if (cols[q] == i || vals[q] >= 0) continue;
				r[t] = i;
				c[t] = cols[q];
				w[t++] = -vals[q];
			}
		}
		return matting.plus(SparseMatrix.fromTriplets(n, r, c, w, count).laplacian(), 1);
	}

	/** λ: weight of the strokes' values in {@link #propagate} (Levin et al. 2008 use 100 for scribbles). */
	static final double STROKE_WEIGHT = 100;
	/**
	 * ε: weight of the uniform prior in {@link #propagate}. It only keeps the system regular where no
	 * tie reaches a stroke: far below the weakest ties of a real image's Laplacian, so that a region
	 * tied to a stroke by a weak link follows that link instead of drifting to 1/K (where a small
	 * change elsewhere, such as a correction stroke, would flip it).
	 */
	static final double PRIOR_WEIGHT = 1e-9;

	/**
	 * Gives every layer without a segment the segment that carries the largest share of its strokes
	 * ({@code Σ_i |α_ki| s_ji / Σ_i s_ji}) among those whose layer keeps another segment.
	 */
	static void everyLayer(final int[] ids, final double[][] segments, final PlanarImage coverage) {
		final int count = segments.length, k = coverage.channels(), n = coverage.pixels();
		final int[] members = new int[k];
		for (final int id : ids) members[id]++;
		for (int j = 0; j < k; j++) {
			if (members[j] > 0) continue;
			final float[] s = coverage.plane(j);
			double area = 0;
			for (final float v : s) area += v;
			if (!(area > 0)) throw new IllegalArgumentException("Layer " + (j + 1) + " has no strokes at the working resolution");
			int best = -1;
			double bestShare = 0;
			for (int c = 0; c < count; c++) {
				if (members[ids[c]] < 2) continue;
				double m = 0;
				for (int i = 0; i < n; i++) if (s[i] != 0) m += Math.abs(segments[c][i]) * s[i];
				if (m / area > bestShare) {
					bestShare = m / area;
					best = c;
				}
			}
			if (best < 0) {
				throw new IllegalArgumentException("The strokes of layer " + (j + 1) + " lie on regions that other layers' strokes "
					+ "claim more strongly; draw them inside the region that layer should hold");
			}
			members[ids[best]]--;
			ids[best] = j;
			members[j]++;
		}
	}
}
