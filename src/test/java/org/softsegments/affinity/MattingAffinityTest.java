package org.softsegments.affinity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.junit.jupiter.api.Test;
import org.softsegments.image.PlanarImage;
import org.softsegments.linalg.SparseMatrix;

class MattingAffinityTest {

	private static final double EPS = 1e-7;

	static PlanarImage randomImage(final int w, final int h, final long seed) {
		final SplittableRandom rnd = new SplittableRandom(seed);
		final PlanarImage im = PlanarImage.zeros(w, h, 3);
		for (int c = 0; c < 3; c++) {
			final float[] p = im.plane(c);
			for (int i = 0; i < p.length; i++) p[i] = rnd.nextInt(256) / 255f;
		}
		return im;
	}

	/** Windows containing a coordinate along an axis of the given length (spec §3.3). */
	private static int axisWindows(final int i, final int size) {
		// window centres c in [1, size−2] with |c − i| ≤ 1
		return Math.min(size - 2, i + 1) - Math.max(1, i - 1) + 1;
	}

	@Test
	void rowSumsEqualWindowCounts() {
		for (final int[] size : new int[][] { { 9, 7 }, { 12, 15 }, { 4, 3 } }) {
			final int w = size[0], h = size[1];
			final SparseMatrix m = MattingAffinity.compute(randomImage(w, h, 7 * w + h), EPS);
			final double[] sums = m.rowSums();
			for (int y = 0; y < h; y++) {
				for (int x = 0; x < w; x++) {
					assertEquals(axisWindows(x, w) * axisWindows(y, h), sums[x + y * w], 1e-9, "row sum at " + x + "," + y);
				}
			}
		}
		final SparseMatrix m = MattingAffinity.compute(randomImage(10, 8, 3), EPS);
		final double[] s = m.rowSums();
		assertEquals(9, s[5 + 4 * 10], 1e-9);
		assertEquals(6, s[5 + 1 * 10], 1e-9);
		assertEquals(3, s[5], 1e-9);
		assertEquals(4, s[1 + 10], 1e-9);
		assertEquals(1, s[0], 1e-9);
		assertEquals(1, s[9 + 7 * 10], 1e-9);
	}

	@Test
	void constantImageGivesExactWindowCounts() {
		final PlanarImage im = PlanarImage.zeros(6, 5, 3);
		for (int c = 0; c < 3; c++) java.util.Arrays.fill(im.plane(c), 0.25f * (c + 1));
		final SparseMatrix m = MattingAffinity.compute(im, EPS);
		// flat windows: every G entry is exactly 1/9
		assertEquals(1.0 / 9, m.get(0, 0), 0);
		assertEquals(9.0 / 9, m.get(2 + 2 * 6, 2 + 2 * 6), 1e-15);
		assertEquals(2.0 / 9, m.get(1, 2), 1e-16);
	}

	@Test
	void nonZeroPatternIsClippedFiveByFive() {
		final int w = 11, h = 9;
		final SparseMatrix m = MattingAffinity.compute(randomImage(w, h, 5), EPS);
		final int[] rs = m.rowStart();
		for (int y = 0; y < h; y++) {
			for (int x = 0; x < w; x++) {
				final int p = x + y * w;
				final int nx = Math.min(2, w - 1 - x) - Math.max(-2, -x) + 1;
				final int ny = Math.min(2, h - 1 - y) - Math.max(-2, -y) + 1;
				assertEquals(nx * ny, rs[p + 1] - rs[p], "pattern size at " + x + "," + y);
				for (int k = rs[p]; k < rs[p + 1]; k++) {
					final int q = m.columns()[k];
					assertTrue(Math.abs(q % w - x) <= 2 && Math.abs(q / w - y) <= 2);
					if (k > rs[p]) assertTrue(m.columns()[k - 1] < q, "sorted columns");
				}
			}
		}
		assertEquals(25, rs[5 + 4 * w + 1] - rs[5 + 4 * w]);
		assertEquals(9, rs[1] - rs[0]);
		assertEquals(15, rs[5 + 1] - rs[5]);
		assertEquals(20, rs[5 + w + 1] - rs[5 + w]);
		assertEquals((5L * w - 6) * (5L * h - 6), m.nonZeros());
	}

	@Test
	void singleWindowRowsSumToOne() {
		final SparseMatrix m = MattingAffinity.compute(randomImage(3, 3, 11), EPS);
		assertEquals(81, m.nonZeros());
		for (final double s : m.rowSums()) assertEquals(1, s, 1e-12);
		assertTrue(m.isSymmetric());
	}

	@Test
	void matchesBruteForceTripletConstruction() {
		final int w = 7, h = 6;
		final PlanarImage im = randomImage(w, h, 42);
		final SparseMatrix fast = MattingAffinity.compute(im, EPS);
		final SparseMatrix brute = bruteForce(im, EPS);
		assertEquals(brute.nonZeros(), fast.nonZeros());
		for (int i = 0; i < w * h; i++) {
			for (int j = 0; j < w * h; j++) {
				assertEquals(brute.get(i, j), fast.get(i, j), 1e-12, "entry " + i + "," + j);
			}
		}
	}

	/** Straightforward window loop: 81 triplets per window, EJML inverse, (W + Wᵀ)/2. */
	private static SparseMatrix bruteForce(final PlanarImage im, final double eps) {
		final int w = im.width(), h = im.height(), n = w * h;
		final int windows = (w - 2) * (h - 2);
		final int[] r = new int[windows * 81], c = new int[windows * 81];
		final double[] v = new double[windows * 81];
		int t = 0;
		for (int cy = 1; cy < h - 1; cy++) {
			for (int cx = 1; cx < w - 1; cx++) {
				final int[] idx = new int[9];
				final DMatrixRMaj colors = new DMatrixRMaj(9, 3);
				for (int k = 0; k < 9; k++) {
					idx[k] = cx - 1 + k % 3 + (cy - 1 + k / 3) * w;
					for (int ch = 0; ch < 3; ch++) colors.set(k, ch, im.plane(ch)[idx[k]]);
				}
				final double[] mu = new double[3];
				for (int ch = 0; ch < 3; ch++) {
					for (int k = 0; k < 9; k++) mu[ch] += colors.get(k, ch) / 9;
				}
				final DMatrixRMaj sigma = new DMatrixRMaj(3, 3);
				for (int a = 0; a < 3; a++) {
					for (int b = 0; b < 3; b++) {
						double s = 0;
						for (int k = 0; k < 9; k++) s += colors.get(k, a) * colors.get(k, b);
						sigma.set(a, b, s / 9 - mu[a] * mu[b] + (a == b ? eps / 9 : 0));
					}
				}
				final DMatrixRMaj inv = new DMatrixRMaj(3, 3);
				assertTrue(CommonOps_DDRM.invert(sigma, inv));
				for (int i = 0; i < 9; i++) {
					for (int j = 0; j < 9; j++) {
						double q = 0;
						for (int a = 0; a < 3; a++) {
							for (int b = 0; b < 3; b++) q += (colors.get(i, a) - mu[a]) * inv.get(a, b) * (colors.get(j, b) - mu[b]);
						}
						r[t] = idx[i];
						c[t] = idx[j];
						v[t] = (1 + q) / 9;
						t++;
					}
				}
			}
		}
		final SparseMatrix raw = SparseMatrix.fromTriplets(n, r, c, v, t);
		final int[] rr = new int[(int) raw.nonZeros() * 2], cc = new int[rr.length];
		final double[] vv = new double[rr.length];
		int u = 0;
		for (int i = 0; i < n; i++) {
			for (int k = raw.rowStart()[i]; k < raw.rowStart()[i + 1]; k++) {
				rr[u] = i;
				cc[u] = raw.columns()[k];
				vv[u++] = raw.values()[k] / 2;
				rr[u] = raw.columns()[k];
				cc[u] = i;
				vv[u++] = raw.values()[k] / 2;
			}
		}
		return SparseMatrix.fromTriplets(n, rr, cc, vv, u);
	}

	@Test
	void isBitSymmetricAndDeterministicAcrossThreadCounts() throws Exception {
		final PlanarImage im = randomImage(97, 83, 9);
		final SparseMatrix one = new ForkJoinPool(1).submit(() -> MattingAffinity.compute(im, EPS)).get();
		final SparseMatrix four = new ForkJoinPool(4).submit(() -> MattingAffinity.compute(im, EPS)).get();
		assertTrue(one.isSymmetric());
		assertArrayEquals(one.rowStart(), four.rowStart());
		assertArrayEquals(one.columns(), four.columns());
		assertArrayEquals(one.values(), four.values());
	}

	@Test
	void laplacianAnnihilatesConstantsAndIsPositiveSemidefinite() {
		final int w = 6, h = 5, n = w * h;
		final SparseMatrix wl = MattingAffinity.compute(randomImage(w, h, 13), EPS);
		final SparseMatrix l = LaplacianAssembly.assemble(wl, null, null, 1, 0, 0);
		assertTrue(l.isSymmetric());
		final double[] ones = new double[n], y = new double[n];
		java.util.Arrays.fill(ones, 1);
		l.multiply(ones, y);
		final double[] diag = l.diagonal();
		for (int i = 0; i < n; i++) assertEquals(0, y[i], 1e-14 * Math.max(1, diag[i]));
		final DMatrixRMaj dense = new DMatrixRMaj(n, n);
		for (int i = 0; i < n; i++) {
			for (int j = 0; j < n; j++) dense.set(i, j, l.get(i, j));
		}
		final EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(n, false, true);
		assertTrue(eig.decompose(dense));
		double min = Double.POSITIVE_INFINITY;
		for (int i = 0; i < n; i++) min = Math.min(min, eig.getEigenvalue(i).getReal());
		assertTrue(min >= -1e-12, "smallest eigenvalue " + min);
		assertTrue(min <= 1e-12, "constant vector is in the null space");
	}

	@Test
	void rejectsBadInput() {
		assertThrows(IllegalArgumentException.class, () -> MattingAffinity.compute(PlanarImage.zeros(2, 5, 3), EPS));
		assertThrows(IllegalArgumentException.class, () -> MattingAffinity.compute(PlanarImage.zeros(5, 2, 3), EPS));
		assertThrows(IllegalArgumentException.class, () -> MattingAffinity.compute(PlanarImage.zeros(5, 5, 1), EPS));
		assertThrows(IllegalArgumentException.class, () -> MattingAffinity.compute(PlanarImage.zeros(5, 5, 3), 0));
		assertThrows(IllegalArgumentException.class, () -> MattingAffinity.compute(PlanarImage.zeros(5, 5, 3), Double.NaN));
		assertThrows(IllegalArgumentException.class, () -> MattingAffinity.compute(null, EPS));
		final PlanarImage nan = PlanarImage.zeros(4, 4, 3);
		nan.plane(1)[5] = Float.NaN;
		assertThrows(IllegalArgumentException.class, () -> MattingAffinity.compute(nan, EPS));
	}
}
