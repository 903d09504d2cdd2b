/**
 * Colour unmixing of soft layers: given an RGB image and soft layers α_k summing to 1, estimate
 * each layer's own colours F_k so that Σ_k α_k F_k reproduces the image
 * ({@link org.softsegments.unmix.ColourUnmixing}). The result turns each soft segment into an
 * RGBA layer whose colours carry no colour of the other segments in soft transitions (hair,
 * blurred edges), as written by {@link org.softsegments.io.RgbaLayers} and
 * {@link org.softsegments.io.OpenRaster}. Depends only on {@code core} and {@code image}.
 */
package org.softsegments.unmix;
