package org.softsegments.eval;

/**
 * The grouping of soft segments that knows the answer: every segment goes to the side of the true
 * alpha matte where most of its mass lies ({@code Σ_i α_ki·a_i > ½ Σ_i α_ki}: foreground, group 0;
 * else background, group 1). Not part of the algorithm: a benchmark diagnostic that bounds what a
 * better grouping (spec §3.10) of the same segments could gain, separating errors of the grouping
 * from errors of the segments themselves.
 */
public final class OracleGrouping {

	private OracleGrouping() {}

	/**
	 * Group ids (0 = foreground, 1 = background) of the segments {@code [K'][N]}, renumbered to 0
	 * when every segment lands on one side.
	 *
	 * @param alpha the true matte at the segments' resolution (N values in [0, 1])
	 * @throws IllegalArgumentException if a segment's length differs from the matte's
	 */
	public static int[] byTrueAlpha(final double[][] segments, final float[] alpha) {
		final int[] ids = new int[segments.length];
		boolean foreground = false, background = false;
		for (int k = 0; k < segments.length; k++) {
			final double[] a = segments[k];
			if (a.length != alpha.length) {
				throw new IllegalArgumentException("Segment " + k + " has " + a.length + " values, the matte " + alpha.length);
			}
			double inside = 0, total = 0;
			for (int i = 0; i < a.length; i++) {
				inside += a[i] * alpha[i];
				total += a[i];
			}
			ids[k] = inside > 0.5 * total ? 0 : 1;
			foreground |= ids[k] == 0;
			background |= ids[k] == 1;
		}
		if (!foreground || !background) java.util.Arrays.fill(ids, 0);
		return ids;
	}
}
