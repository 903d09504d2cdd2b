package org.softsegments.linalg;

import edu.emory.mathcs.csparsej.tdouble.Dcs_amd;
import edu.emory.mathcs.csparsej.tdouble.Dcs_common.Dcs;

/**
 * Fill-reducing symmetric orderings for {@link SupernodalLdlt}. {@code order[k]} is the original
 * index of the k-th pivot.
 */
public final class FillReducingOrdering {

	private FillReducingOrdering() {}

	/**
	 * Approximate minimum degree ordering of the pattern of {@code A + Aᵀ} (Amestoy, Davis, Duff
	 * 1996; CSparse's {@code cs_amd} through csparsej). Deterministic.
	 */
	public static int[] amd(final SparseMatrix a) {
		final Dcs A = new Dcs();
		A.m = a.size();
		A.n = a.size();
		A.p = a.rowStart();
		A.i = a.columns();
		A.x = null;
		A.nzmax = a.columns().length;
		A.nz = -1;
		final int[] p = Dcs_amd.cs_amd(1, A);
		if (p == null) throw new IllegalStateException("AMD ordering failed (out of memory?)");
		return java.util.Arrays.copyOf(p, a.size());
	}
}
