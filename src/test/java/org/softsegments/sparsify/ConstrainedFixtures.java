package org.softsegments.sparsify;

import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.NormOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.softsegments.linalg.SparseMatrix;
import org.softsegments.linalg.SpectralBasis;
import org.softsegments.sparsify.ConstrainedSparsification.Params;

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

	/**
	 * One IRLS step of spec §3.9 from the layers {@code alpha} (K ≥ 2 of them), set up as the
	 * reference does it, independently of the implementation: weights
	 * {@code e0 = w0^γ·max(|α|, clamp)^(γ−2)}, {@code e1 = w1^γ·max(|α−1|, clamp)^(γ−2)} with
	 * {@link Math#pow}; blocks {@code A_k = Eᵀdiag(e0_k+e1_k)E + sΛ}, {@code b_k = Eᵀe1_k} for
	 * k &lt; K−1, {@code T} likewise for the last layer with {@code t = Eᵀe0_{K−1} + Eᵀ(L·1)}; the
	 * dense {@code (K−1)m} matrix with {@code A_k + T} on the diagonal blocks and {@code T}
	 * everywhere else, right-hand sides {@code b_k + t}; solved by EJML's LU.
	 */
	static final class DenseStep {

		final DMatrixRMaj matrix;
		final DMatrixRMaj rhs;
		final DMatrixRMaj solution;
		private final double[][] e;
		private final int m, unknowns;

		DenseStep(final SpectralBasis basis, final SparseMatrix laplacian, final double[][] alpha, final Params params) {
			e = basis.vectors();
			m = basis.size();
			final int n = basis.length(), layers = alpha.length;
			unknowns = layers - 1;
			final double c0 = Math.pow(params.w0(), params.gamma()), c1 = Math.pow(params.w1(), params.gamma());
			final double exponent = params.gamma() - 2;
			// Eᵀ(L·1) from the stored entries
			final double[] rowSums = new double[n];
			for (int i = 0; i < n; i++) {
				for (int q = laplacian.rowStart()[i]; q < laplacian.rowStart()[i + 1]; q++) rowSums[i] += laplacian.values()[q];
			}
			final double[][][] blocks = new double[layers][m][m];
			final double[][] projections = new double[layers][m];
			for (int k = 0; k < layers; k++) {
				final boolean last = k == layers - 1;
				for (int p = 0; p < n; p++) {
					final double a = alpha[k][p];
					final double e0 = c0 * Math.pow(Math.max(Math.abs(a), params.clamp()), exponent);
					final double e1 = c1 * Math.pow(Math.max(Math.abs(a - 1), params.clamp()), exponent);
					final double w = e0 + e1, b = last ? e0 + rowSums[p] : e1;
					for (int i = 0; i < m; i++) {
						final double ei = e[i][p];
						projections[k][i] += ei * b;
						for (int j = 0; j < m; j++) blocks[k][i][j] += ei * w * e[j][p];
					}
				}
				for (int i = 0; i < m; i++) blocks[k][i][i] += params.eigenvalueWeight() * basis.values()[i];
			}
			final double[][] t = blocks[layers - 1];
			matrix = new DMatrixRMaj(unknowns * m, unknowns * m);
			rhs = new DMatrixRMaj(unknowns * m, 1);
			for (int k = 0; k < unknowns; k++) {
				for (int i = 0; i < m; i++) {
					rhs.set(k * m + i, 0, projections[k][i] + projections[layers - 1][i]);
					for (int l = 0; l < unknowns; l++) {
						for (int j = 0; j < m; j++) {
							matrix.set(k * m + i, l * m + j, t[i][j] + (k == l ? blocks[k][i][j] : 0));
						}
					}
				}
			}
			solution = new DMatrixRMaj(unknowns * m, 1);
			final var solver = LinearSolverFactory_DDRM.lu(unknowns * m);
			if (!solver.setA(matrix.copy())) throw new IllegalStateException("dense system is singular");
			solver.solve(rhs.copy(), solution);
		}

		/** The layers of the dense solution: {@code α_k = E y_k}, the last one 1 − Σ. */
		double[][] layers() {
			final double[][] y = new double[unknowns][m];
			for (int k = 0; k < unknowns; k++) for (int i = 0; i < m; i++) y[k][i] = solution.get(k * m + i, 0);
			return layersOf(y);
		}

		/**
		 * Relative residual {@code ‖M y − r‖ / (‖M‖·‖y‖ + ‖r‖)} (Frobenius norms) of the
		 * coefficients {@code y_k = Eᵀα_k} of the first K−1 of {@code layers} (E has orthonormal
		 * columns, so these are the coefficients of layers that lie in its span).
		 */
		double residual(final double[][] layers) {
			final DMatrixRMaj y = new DMatrixRMaj(unknowns * m, 1);
			for (int k = 0; k < unknowns; k++) {
				for (int i = 0; i < m; i++) {
					double c = 0;
					for (int p = 0; p < layers[k].length; p++) c += e[i][p] * layers[k][p];
					y.set(k * m + i, 0, c);
				}
			}
			final DMatrixRMaj r = new DMatrixRMaj(unknowns * m, 1);
			CommonOps_DDRM.mult(matrix, y, r);
			CommonOps_DDRM.subtractEquals(r, rhs);
			return NormOps_DDRM.normF(r) / (NormOps_DDRM.normF(matrix) * NormOps_DDRM.normF(y) + NormOps_DDRM.normF(rhs));
		}

		private double[][] layersOf(final double[][] y) {
			final int n = e[0].length;
			final double[][] out = new double[unknowns + 1][n];
			java.util.Arrays.fill(out[unknowns], 1);
			for (int k = 0; k < unknowns; k++) {
				for (int i = 0; i < m; i++) for (int p = 0; p < n; p++) out[k][p] += y[k][i] * e[i][p];
				for (int p = 0; p < n; p++) out[unknowns][p] -= out[k][p];
			}
			return out;
		}
	}

	/** Largest |a − b| over all layers, relative to the largest |b|. */
	static double relativeMaxDifference(final double[][] a, final double[][] b) {
		double diff = 0, scale = 0;
		for (int k = 0; k < b.length; k++) {
			for (int p = 0; p < b[k].length; p++) {
				diff = Math.max(diff, Math.abs(a[k][p] - b[k][p]));
				scale = Math.max(scale, Math.abs(b[k][p]));
			}
		}
		return diff / scale;
	}
}
