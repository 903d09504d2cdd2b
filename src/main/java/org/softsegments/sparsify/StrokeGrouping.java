package org.softsegments.sparsify;

import org.softsegments.image.PlanarImage;

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
 * <li>The other segments are grouped around the pinned ones: Lloyd iterations of the mass-weighted
 * k-means of {@link MassWeightedGrouping} on the same semantic signatures, started from the
 * centroids of the pinned groups, with the pinned segments held in place.</li>
 * </ol>
 * <b>Deviation from the paper</b>, whose grouping is fully automatic: the number of layers is the
 * number of stroke labels, and the strokes decide the groups of the segments they touch; without
 * strokes the engine uses the automatic grouping. Deterministic (no random starts).
 */
public final class StrokeGrouping {

	/** Least mean α a segment must have over a layer's strokes to be pinned to that layer. */
	public static final double MIN_SHARE = 0.05;

	private StrokeGrouping() {}

	/**
	 * Groups {@code segments} ({@code [C][N]}) into one layer per stroke label.
	 *
	 * @param features the 3-channel guidance features (N pixels), for the signatures
	 * @param coverage channel {@code j}: the fraction of each pixel covered by the strokes of layer
	 *          {@code j + 1} (N pixels, K channels)
	 * @throws IllegalArgumentException when two layers' strokes lie only on one segment (the layers
	 *         cannot be separated), or on mismatched sizes
	 */
	public static LayerGrouping.Result group(final double[][] segments, final PlanarImage features, final PlanarImage coverage) {
		final int count = segments.length, k = coverage.channels(), n = coverage.pixels();
		if (features.pixels() != n) {
			throw new IllegalArgumentException("Stroke coverage has " + n + " pixels, the features " + features.pixels());
		}
		final int[] pinned = pin(segments, coverage);
		final int dim = features.channels();
		final double[] g = LayerGrouping.signatures(segments, features);
		final double[] mass = new double[count];
		for (int j = 0; j < count; j++) {
			double m = 0;
			for (final double a : segments[j]) m += Math.abs(a);
			mass[j] = m;
		}
		// start: the centroids of the pinned groups (every group has a pinned segment)
		int pinnedCount = 0;
		for (final int p : pinned) if (p >= 0) pinnedCount++;
		final double[] pp = new double[pinnedCount * dim], pm = new double[pinnedCount];
		final int[] pl = new int[pinnedCount];
		for (int j = 0, q = 0; j < count; j++) {
			if (pinned[j] < 0) continue;
			System.arraycopy(g, j * dim, pp, q * dim, dim);
			pm[q] = mass[j];
			pl[q++] = pinned[j];
		}
		final double[] centres = new double[k * dim];
		MassWeightedGrouping.centroids(pp, pm, pinnedCount, dim, k, pl, centres);
		final int[] ids = MassWeightedGrouping.lloyd(g, mass, count, dim, k, centres, pinned);
		return new LayerGrouping.Result(ids, LayerGrouping.sumGroups(segments, ids, k));
	}

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
