/**
 * Affinities and the graph Laplacian of semantic soft segmentation (spec §3.3–3.6, §4):
 * {@link org.softsegments.affinity.MattingAffinity} (pixel level, Levin et al.),
 * {@link org.softsegments.affinity.SemanticAffinity} and
 * {@link org.softsegments.affinity.ColorAffinity} (superpixel level, placed on representative
 * pixels), and {@link org.softsegments.affinity.LaplacianAssembly} ({@code L = D − W}).
 * <p>
 * erf: Apache Commons Math 3 ({@code org.apache.commons.math3.special.Erf}) rather than an own
 * implementation of Cody's approximations. Reasons: Fiji already ships commons-math3 3.6.1 (no
 * extra weight in the plugin), it is version-managed by pom-scijava, and it is well tested. It is
 * accurate to a few ulps and returns exactly −1 below −5.9215871957945, the same cut-off as a
 * correctly rounded erf (checked against a 40-digit evaluation of erfc = 2⁻⁵⁴), which is what
 * decides which colour-affinity entries vanish. Its cost (≈1 µs per call) only matters for the
 * colour affinity, which skips the call where the result is known to be exactly −1.
 */
package org.softsegments.affinity;
