package org.softsegments.sparsify;

import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.softsegments.linalg.SparseMatrix;
import org.softsegments.linalg.SpectralBasis;

/** Small test problems for constrained sparsification. */
final class ConstrainedFixtures {

	private ConstrainedFixtures() {}

	/** Laplacian of a 4-connected w×h grid graph with random edge weights in [0.5, 1.5). */
	static SparseMatrix gridLaplacian(final int w, final int h, final long seed) {
		final SplittableRandom random = new SplittableRandom(seed);
		final int n = w * h;
		final int[] r = new int[4 * n];
		final int[] c = new int[4 * n];
		final double[] v = new double[4 * n];
		int count = 0;
		for (int y = 0; y < h; y++) {
			for (int x = 0; x < w; x++) {
				final int p = x + y * w;
				if (x + 1 < w) {
					final double a = 0.5 + random.nextDouble();
					r[count] = p; c[count] = p + 1; v[count++] = a;
					r[count] = p + 1; c[count] = p; v[count++] = a;
				}
				if (y + 1 < h) {
					final double a = 0.5 + random.nextDouble();
					r[count] = p; c[count] = p + w; v[count++] = a;
					r[count] = p + w; c[count] = p; v[count++] = a;
				}
			}
		}
		return SparseMatrix.fromTriplets(n, r, c, v, count).laplacian();
	}

	/** The m eigenpairs of smallest eigenvalue of a (small) symmetric sparse matrix, dense EJML. */
	static SpectralBasis smallestEigenpairs(final SparseMatrix matrix, final int m) {
		final int n = matrix.size();
		final DMatrixRMaj dense = new DMatrixRMaj(n, n);
		for (int i = 0; i < n; i++) {
			for (int k = matrix.rowStart()[i]; k < matrix.rowStart()[i + 1]; k++) {
				dense.set(i, matrix.columns()[k], matrix.values()[k]);
			}
		}
		final EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(n, true, true);
		if (!eig.decompose(dense)) throw new IllegalStateException("eigen decomposition failed");
		final Integer[] order = IntStream.range(0, n).boxed().toArray(Integer[]::new);
		Arrays.sort(order, Comparator.comparingDouble(i -> eig.getEigenvalue(i).real));
		final double[][] vectors = new double[m][];
		final double[] values = new double[m];
		for (int j = 0; j < m; j++) {
			values[j] = eig.getEigenvalue(order[j]).real;
			final double[] vec = eig.getEigenVector(order[j]).data.clone();
			double norm = 0;
			for (final double x : vec) norm += x * x;
			norm = Math.sqrt(norm);
			for (int p = 0; p < n; p++) vec[p] /= norm;
			vectors[j] = vec;
		}
		return new SpectralBasis(vectors, values);
	}

	/** Nearest-seed (Voronoi) labels of {@code k} random seeds on a w×h grid. */
	static int[] voronoiLabels(final int w, final int h, final int k, final long seed) {
		final SplittableRandom random = new SplittableRandom(seed);
		final int[] sx = new int[k], sy = new int[k];
		for (int i = 0; i < k; i++) {
			sx[i] = random.nextInt(w);
			sy[i] = random.nextInt(h);
		}
		final int[] labels = new int[w * h];
		for (int y = 0; y < h; y++) {
			for (int x = 0; x < w; x++) {
				int best = 0;
				long bestD = Long.MAX_VALUE;
				for (int i = 0; i < k; i++) {
					final long d = (long) (x - sx[i]) * (x - sx[i]) + (long) (y - sy[i]) * (y - sy[i]);
					if (d < bestD) {
						bestD = d;
						best = i;
					}
				}
				labels[x + y * w] = best;
			}
		}
		return labels;
	}

	/** Orthogonal projection {@code E Eᵀ v}. */
	static double[] project(final double[][] e, final double[] v) {
		final int n = v.length;
		final double[] out = new double[n];
		for (final double[] ej : e) {
			double c = 0;
			for (int p = 0; p < n; p++) c += ej[p] * v[p];
			for (int p = 0; p < n; p++) out[p] += c * ej[p];
		}
		return out;
	}
}
