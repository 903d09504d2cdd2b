package org.softsegments.sparsify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.softsegments.image.PlanarImage;

class MassWeightedGroupingTest {

	/** A 1-D "image" of n pixels whose single feature channel is given per pixel. */
	private static PlanarImage features(final float[] values) {
		return new PlanarImage(values.length, 1, new float[][] { values });
	}

	/**
	 * Layers that are indicator functions of pixel runs; pixel features: run r has the feature
	 * {@code featureOf[r]}.
	 */
	private static double[][] runs(final int[] lengths) {
		int n = 0;
		for (final int l : lengths) n += l;
		final double[][] layers = new double[lengths.length][n];
		int p = 0;
		for (int r = 0; r < lengths.length; r++) {
			for (int i = 0; i < lengths[r]; i++) layers[r][p++] = 1;
		}
		return layers;
	}

	private static float[] runFeatures(final int[] lengths, final float[] featureOf) {
		int n = 0;
		for (final int l : lengths) n += l;
		final float[] f = new float[n];
		int p = 0;
		for (int r = 0; r < lengths.length; r++) {
			for (int i = 0; i < lengths[r]; i++) f[p++] = featureOf[r];
		}
		return f;
	}

	@Test
	void aTinyOutlierJoinsANeighbourInsteadOfTakingAGroup() {
		// Four 500-pixel layers with features 0, 0.3, 0.6, 0.9 and a 3-pixel layer at 2.0, into 4
		// groups. Weighted cost: outlier with 0.9 ≈ 3.6, outlier alone (a pair merged) 22.5. With
		// equal weights (the reference) the costs are 0.605 and 0.045: the outlier takes a group.
		final int[] lengths = { 500, 500, 500, 500, 3 };
		final float[] featureOf = { 0.0f, 0.3f, 0.6f, 0.9f, 2.0f };
		final double[][] layers = runs(lengths);
		final PlanarImage f = features(runFeatures(lengths, featureOf));
		final LayerGrouping.Result r = MassWeightedGrouping.group(layers, f, 4, 5, 1);
		final int[] ids = r.ids();
		// every large layer in its own group, the outlier with the nearest (0.9)
		for (int a = 0; a < 4; a++) {
			for (int b = a + 1; b < 4; b++) assertNotEquals(ids[a], ids[b], "layers " + a + ", " + b);
		}
		assertEquals(ids[3], ids[4], "the outlier joins the layer of feature 0.9");
		// the unweighted clustering of the same signatures separates the outlier (its best split)
		final double[] g = LayerGrouping.signatures(layers, f);
		final double[] equal = { 1, 1, 1, 1, 1 };
		final int[] plain = MassWeightedGrouping.cluster(g, equal, 5, 1, 4, 5, 1);
		for (int k = 0; k < 4; k++) assertNotEquals(plain[4], plain[k], "unweighted: outlier alone");
	}

	/**
	 * Six soft layers into 3 groups: the ids are the partition of least mass-weighted
	 * within-group sum of squares, found here by trying all of them with signatures (α-weighted
	 * mean features), masses (Σ|α|) and cost computed in the test, and each group is the
	 * pixelwise sum of its layers, summed here; deterministic for a seed.
	 */
	@Test
	void groupsAreTheBestWeightedPartitionAndSumsOfTheirLayers() {
		final int[] lengths = { 40, 30, 20, 10, 5, 5 };
		final float[] featureOf = { 0.0f, 0.2f, 0.4f, 0.6f, 0.8f, 1.0f };
		final double[][] layers = runs(lengths);
		for (int k = 0; k < layers.length; k++) layers[k][k] += 0.25; // soft values, sums ≠ indicator
		final float[] feature = runFeatures(lengths, featureOf);
		final PlanarImage f = features(feature);
		final LayerGrouping.Result a = MassWeightedGrouping.group(layers, f, 3, 10, 7);
		final LayerGrouping.Result b = MassWeightedGrouping.group(layers, f, 3, 10, 7);
		assertArrayEquals(a.ids(), b.ids());
		assertEquals(3, a.groups());

		// signatures Σα·f / Σα and masses Σ|α|, then every labelling of the 6 layers with 3 labels
		final int count = layers.length, n = feature.length;
		final double[] signature = new double[count], mass = new double[count];
		for (int k = 0; k < count; k++) {
			double weighted = 0, sum = 0;
			for (int p = 0; p < n; p++) {
				weighted += layers[k][p] * feature[p];
				sum += layers[k][p];
				mass[k] += Math.abs(layers[k][p]);
			}
			signature[k] = weighted / sum;
		}
		final int[] weightedBest = bestPartition(signature, mass, 3);
		assertTrue(samePartition(weightedBest, a.ids()), "ids " + java.util.Arrays.toString(a.ids())
			+ ", least weighted sum of squares " + java.util.Arrays.toString(weightedBest));

		for (int j = 0; j < 3; j++) {
			final double[] expected = new double[n];
			for (int k = 0; k < count; k++) {
				if (a.ids()[k] != j) continue;
				for (int p = 0; p < n; p++) expected[p] += layers[k][p];
			}
			assertArrayEquals(expected, a.layers()[j], 1e-12, "group " + j);
		}
	}

	/** Labels of the partition of {@code points} into {@code k} non-empty groups of least Σ w·(x − weighted mean)², exhaustively. */
	private static int[] bestPartition(final double[] points, final double[] weight, final int k) {
		final int count = points.length;
		int[] best = null;
		double bestCost = Double.POSITIVE_INFINITY;
		final int[] labels = new int[count];
		for (int code = 0; code < Math.pow(k, count); code++) {
			for (int i = 0, c = code; i < count; i++, c /= k) labels[i] = c % k;
			double cost = 0;
			boolean empty = false;
			for (int g = 0; g < k && !empty; g++) {
				double w = 0, mean = 0;
				for (int i = 0; i < count; i++) {
					if (labels[i] != g) continue;
					w += weight[i];
					mean += weight[i] * points[i];
				}
				if (w == 0) {
					empty = true;
					continue;
				}
				mean /= w;
				for (int i = 0; i < count; i++) if (labels[i] == g) cost += weight[i] * (points[i] - mean) * (points[i] - mean);
			}
			if (!empty && cost < bestCost) {
				bestCost = cost;
				best = labels.clone();
			}
		}
		return best;
	}

	private static boolean samePartition(final int[] a, final int[] b) {
		for (int i = 0; i < a.length; i++) {
			for (int j = 0; j < a.length; j++) {
				if ((a[i] == a[j]) != (b[i] == b[j])) return false;
			}
		}
		return true;
	}

	@Test
	void weightedCostOfAKnownPartition() {
		// points 0, 2 (masses 1, 3) in one cluster: weighted mean 1.5, cost 1·2.25 + 3·0.25 = 3;
		// point 10 alone: 0
		final double cost = MassWeightedGrouping.cost(new double[] { 0, 2, 10 }, new double[] { 1, 3, 5 }, 3, 1, 2,
			new int[] { 0, 0, 1 });
		assertEquals(3.0, cost, 1e-12);
	}

	@Test
	void noMoreLayersThanGroupsAndBadReplicates() {
		final double[][] layers = runs(new int[] { 3, 3 });
		final PlanarImage f = features(new float[] { 0, 0, 0, 1, 1, 1 });
		final LayerGrouping.Result r = MassWeightedGrouping.group(layers, f, 5, 3, 1);
		assertArrayEquals(new int[] { 0, 1 }, r.ids());
		assertArrayEquals(layers[1], r.layers()[1]);
		assertThrows(IllegalArgumentException.class, () -> MassWeightedGrouping.group(layers, f, 1, 0, 1));
	}
}
