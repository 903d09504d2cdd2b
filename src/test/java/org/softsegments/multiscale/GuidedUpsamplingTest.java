package org.softsegments.multiscale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.softsegments.image.PlanarImage;
import org.softsegments.image.Resize;

class GuidedUpsamplingTest {

	/** A 3-channel image with a vertical step edge at x = edge (fractional edge pixels are mixed). */
	private static PlanarImage stepImage(final int w, final int h, final double edge, final float[] alpha) {
		final float[][] c = new float[3][w * h];
		for (int y = 0; y < h; y++) {
			for (int x = 0; x < w; x++) {
				final double a = Math.max(0, Math.min(1, x + 1 - edge)); // coverage of the right side
				final int i = x + y * w;
				alpha[i] = (float) a;
				final double wave = 0.05 * Math.sin(0.3 * y);
				c[0][i] = (float) (0.8 * (1 - a) + 0.1 * a + wave);
				c[1][i] = (float) (0.3 * (1 - a) + 0.6 * a);
				c[2][i] = (float) (0.2 * (1 - a) + 0.7 * a - wave);
			}
		}
		return new PlanarImage(w, h, c);
	}

	@Test
	void constantAndSumsArePreserved() {
		final float[] alpha = new float[64 * 48];
		final PlanarImage full = stepImage(64, 48, 29.3, alpha);
		final PlanarImage low = Resize.smooth(full, 16, 12);
		final float[] a = Resize.smooth(new PlanarImage(64, 48, new float[][] { alpha }), 16, 12).plane(0);
		final float[] one = new float[16 * 12], rest = new float[16 * 12];
		for (int i = 0; i < one.length; i++) {
			one[i] = 1;
			rest[i] = 1 - a[i];
		}
		final PlanarImage up = GuidedUpsampling.upsample(new PlanarImage(16, 12, new float[][] { one, a, rest }), low,
			full, 3, 1e-4);
		assertEquals(3, up.channels());
		assertEquals(64, up.width());
		for (int i = 0; i < 64 * 48; i++) {
			assertEquals(1, up.plane(0)[i], 1e-5, "constant layer");
			assertEquals(1, up.plane(1)[i] + up.plane(2)[i], 1e-5, "layers summing to one");
		}
	}

	@Test
	void stepEdgeIsRecoveredFarBetterThanBilinear() {
		final int w = 96, h = 64, f = 4;
		final float[] alpha = new float[w * h];
		final PlanarImage full = stepImage(w, h, 41.6, alpha);
		final PlanarImage low = Resize.smooth(full, w / f, h / f);
		final PlanarImage lowAlpha = Resize.smooth(new PlanarImage(w, h, new float[][] { alpha }), w / f, h / f);
		final float[] guided = GuidedUpsampling.upsample(lowAlpha, low, full, 3, 1e-4).plane(0);
		final float[] bilinear = Resize.smooth(lowAlpha, w, h).plane(0);
		double sadGuided = 0, sadBilinear = 0;
		for (int i = 0; i < w * h; i++) {
			sadGuided += Math.abs(guided[i] - alpha[i]);
			sadBilinear += Math.abs(bilinear[i] - alpha[i]);
		}
		// the true alpha is a linear function of the colour: the guided upsampling recovers it
		assertTrue(sadGuided < 0.15 * sadBilinear, "guided SAD " + sadGuided + " vs bilinear " + sadBilinear);
		assertTrue(sadGuided / (w * h) < 2e-3, "mean error " + sadGuided / (w * h));
	}

	@Test
	void badInputIsRejected() {
		final float[] alpha = new float[32 * 32];
		final PlanarImage full = stepImage(32, 32, 10, alpha);
		final PlanarImage low = Resize.smooth(full, 8, 8);
		final PlanarImage layers = new PlanarImage(8, 8, new float[][] { new float[64] });
		assertThrows(IllegalArgumentException.class, () -> GuidedUpsampling.upsample(layers, Resize.smooth(full, 9, 8),
			full, 3, 1e-4));
		assertThrows(IllegalArgumentException.class, () -> GuidedUpsampling.upsample(layers, low, low, 3, 0));
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
			() -> GuidedUpsampling.upsample(layers, low, Resize.smooth(full, 4, 4), 3, 1e-4));
		assertTrue(e.getMessage().contains("smaller"), e.getMessage());
	}
}
