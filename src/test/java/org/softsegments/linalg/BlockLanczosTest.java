package org.softsegments.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.softsegments.core.Progress;

class BlockLanczosTest {

	/** Diagonal operator: eigenvalues known exactly, eigenvectors are coordinate vectors. */
	private static BlockLanczos.BlockOperator diagonal(final double[] d) {
		return (in, out) -> {
			for (int c = 0; c < in.length; c++) for (int i = 0; i < d.length; i++) out[c][i] = d[i] * in[c][i];
		};
	}

	@Test
	void findsLargestMagnitudeOfBothSignsIncludingATripleEigenvalue() {
		final int n = 3000;
		final SplittableRandom rnd = new SplittableRandom(5);
		final double[] d = new double[n];
		for (int i = 0; i < n; i++) d[i] = rnd.nextDouble() * 2 - 1;
		final double[] big = { 50, -40, 30, 30, 30, -25, 20, -18, 15, 12, 11, -10.5, 10, 9, 8.5 };
		for (int q = 0; q < big.length; q++) d[q * 97] = big[q];
		final int nev = big.length;
		final BlockLanczos.Result r = BlockLanczos.largestMagnitude(diagonal(d), n, nev, 4, 2 * nev + 8, 1e-12, 100, 3,
			Progress.NONE);
		final double[] expected = big.clone();
		final double[] got = r.values.clone();
		Arrays.sort(expected);
		Arrays.sort(got);
		assertArrayEquals(expected, got, 1e-9);
		for (int q = 0; q < nev; q++) {
			final double[] x = r.vectors[q];
			double res = 0, norm = 0;
			for (int i = 0; i < n; i++) {
				res += Math.pow(d[i] * x[i] - r.values[q] * x[i], 2);
				norm += x[i] * x[i];
			}
			assertEquals(1, norm, 1e-12);
			assertTrue(Math.sqrt(res) < 1e-9 * Math.abs(r.values[q]), "residual " + Math.sqrt(res));
		}
		assertEquals(r.operatorApplications, 4 * r.blockSteps);
	}

	@Test
	void deterministicForSeed() {
		final int n = 1000;
		final double[] d = new double[n];
		for (int i = 0; i < n; i++) d[i] = 1.0 / (i + 1);
		final BlockLanczos.Result a = BlockLanczos.largestMagnitude(diagonal(d), n, 10, 4, 28, 1e-12, 50, 8, Progress.NONE);
		final BlockLanczos.Result b = BlockLanczos.largestMagnitude(diagonal(d), n, 10, 4, 28, 1e-12, 50, 8, Progress.NONE);
		assertArrayEquals(a.values, b.values, 0);
		for (int q = 0; q < 10; q++) assertArrayEquals(a.vectors[q], b.vectors[q], 0);
	}

	@Test
	void rejectsABasisThatDoesNotFit() {
		final double[] d = new double[30];
		Arrays.fill(d, 1);
		assertThrows(IllegalArgumentException.class,
			() -> BlockLanczos.largestMagnitude(diagonal(d), 30, 10, 4, 28, 1e-12, 10, 1, Progress.NONE));
	}
}
