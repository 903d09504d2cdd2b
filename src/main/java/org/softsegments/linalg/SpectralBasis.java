package org.softsegments.linalg;

/**
 * A set of {@code m} eigenpairs of an {@code N×N} symmetric matrix (spec §3.7): orthonormal
 * vectors {@code vectors[j]} (each of length N, contiguous) with Rayleigh quotients
 * {@code values[j]}. Order and signs carry no meaning for the sparsification stages.
 */
public final class SpectralBasis {

	private final double[][] vectors;
	private final double[] values;

	public SpectralBasis(final double[][] vectors, final double[] values) {
		if (vectors.length != values.length) {
			throw new IllegalArgumentException(vectors.length + " vectors but " + values.length + " values");
		}
		this.vectors = vectors;
		this.values = values;
	}

	/** Number of eigenpairs m. */
	public int size() {
		return values.length;
	}

	/** Length N of each vector. */
	public int length() {
		return vectors.length == 0 ? 0 : vectors[0].length;
	}

	/** Eigenvector j (live array). */
	public double[] vector(final int j) {
		return vectors[j];
	}

	/** All vectors, {@code [m][N]} (live). */
	public double[][] vectors() {
		return vectors;
	}

	/** Eigenvalues (live). */
	public double[] values() {
		return values;
	}
}
