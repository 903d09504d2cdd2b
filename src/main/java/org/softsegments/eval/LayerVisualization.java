package org.softsegments.eval;

import org.softsegments.image.PlanarImage;

/**
 * Colour composite of soft layers (spec §3.13 {@code visualizeSoftSegments}): Σ_k α_k·colour_k
 * with P. Green-Armytage's 26-colour "colour alphabet", repeated for more layers; the composite
 * is clamped to [0,1].
 */
public final class LayerVisualization {

	/** The palette, RGB in 0…255, in layer order. */
	public static final int[][] PALETTE = { { 0, 117, 220 }, { 255, 255, 128 }, { 43, 206, 72 }, { 153, 0, 0 },
		{ 128, 128, 128 }, { 240, 163, 255 }, { 153, 63, 0 }, { 76, 0, 92 }, { 0, 92, 49 }, { 255, 204, 153 },
		{ 148, 255, 181 }, { 143, 124, 0 }, { 157, 204, 0 }, { 194, 0, 136 }, { 0, 51, 128 }, { 255, 164, 5 },
		{ 255, 168, 187 }, { 66, 102, 0 }, { 255, 0, 16 }, { 94, 241, 242 }, { 0, 153, 143 }, { 224, 255, 102 },
		{ 116, 10, 255 }, { 255, 255, 0 }, { 255, 80, 5 }, { 25, 25, 25 } };

	private LayerVisualization() {}

	/** Colour of layer k as RGB 0…255. */
	public static int[] color(final int k) {
		return PALETTE[k % PALETTE.length];
	}

	/** The composite as a 3-channel image in [0,1]. */
	public static PlanarImage composite(final PlanarImage layers) {
		final int n = layers.pixels();
		final float[][] rgb = new float[3][n];
		for (int k = 0; k < layers.channels(); k++) {
			final float[] a = layers.plane(k);
			final int[] col = color(k);
			for (int c = 0; c < 3; c++) {
				final float f = col[c] / 255f;
				final float[] out = rgb[c];
				for (int i = 0; i < n; i++) out[i] += a[i] * f;
			}
		}
		for (final float[] p : rgb) {
			for (int i = 0; i < n; i++) p[i] = p[i] < 0 ? 0 : p[i] > 1 ? 1 : p[i];
		}
		return new PlanarImage(layers.width(), layers.height(), rgb);
	}
}
