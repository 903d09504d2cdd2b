package org.softsegments.superpixels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.softsegments.image.PlanarImage;

class CieLabTest {

	private static PlanarImage rgb(final float... values) {
		final int n = values.length / 3;
		final float[][] planes = new float[3][n];
		for (int p = 0; p < n; p++) {
			for (int c = 0; c < 3; c++) planes[c][p] = values[3 * p + c];
		}
		return new PlanarImage(n, 1, planes);
	}

	private static void assertLab(final PlanarImage lab, final int p, final double l, final double a, final double b,
		final double tol)
	{
		assertEquals(l, lab.plane(0)[p], tol, "L*");
		assertEquals(a, lab.plane(1)[p], tol, "a*");
		assertEquals(b, lab.plane(2)[p], tol, "b*");
	}

	@Test
	void primariesAndWhiteMatchPublishedValues() {
		final PlanarImage lab = CieLab.fromRgb(rgb(1, 1, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 1, 0));
		assertLab(lab, 0, 100, 0, 0, 1e-4);
		assertLab(lab, 1, 0, 0, 0, 0);
		// published sRGB (D65) values, e.g. Lindbloom / colormine
		assertLab(lab, 2, 53.2408, 80.0925, 67.2032, 0.01);
		assertLab(lab, 3, 87.7347, -86.1827, 83.1793, 0.01);
		assertLab(lab, 4, 32.2970, 79.1875, -107.8602, 0.01);
		assertLab(lab, 5, 97.1393, -21.5537, 94.4780, 0.01);
	}

	@Test
	void greyIsNeutralAndSingleChannelMatchesRgb() {
		final float[] values = { 0f, 0.01f, 0.04045f, 0.2f, 0.5f, 0.75f, 1f };
		final float[] triple = new float[3 * values.length];
		for (int i = 0; i < values.length; i++) triple[3 * i] = triple[3 * i + 1] = triple[3 * i + 2] = values[i];
		final PlanarImage fromRgb = CieLab.fromRgb(rgb(triple));
		final PlanarImage fromGrey = CieLab.fromRgb(new PlanarImage(values.length, 1, new float[][] { values.clone() }));
		for (int p = 0; p < values.length; p++) {
			assertEquals(fromRgb.plane(0)[p], fromGrey.plane(0)[p], 1e-4);
			assertEquals(0, fromRgb.plane(1)[p], 1e-4);
			assertEquals(0, fromRgb.plane(2)[p], 1e-4);
			assertEquals(0f, fromGrey.plane(1)[p]);
			assertEquals(0f, fromGrey.plane(2)[p]);
		}
		// sRGB 0.5 grey has L* = 53.389; 0.01 lies on both linear segments: L* = (24389/27)·(0.01/12.92)
		assertEquals(53.3890, fromGrey.plane(0)[4], 1e-3);
		assertEquals(24389.0 / 27.0 * (0.01 / 12.92), fromGrey.plane(0)[1], 1e-4);
	}

	@Test
	void eightBitLookUpMatchesTheExactFormula() {
		for (int k = 0; k < 256; k++) {
			final float v = k / 255f;
			assertEquals(CieLab.linearExact(v), CieLab.linear(v));
			final float w = Math.nextUp(v);
			assertEquals(CieLab.linearExact(w), CieLab.linear(w));
		}
		assertEquals(CieLab.linearExact(-0.5f), CieLab.linear(-0.5f));
		assertEquals(CieLab.linearExact(1.5f), CieLab.linear(1.5f));
	}

	@Test
	void keepsSizeAndDoesNotTouchInput() {
		final PlanarImage in = new PlanarImage(2, 3, new float[][] { { 0, .1f, .2f, .3f, .4f, .5f }, { 1, 1, 1, 1, 1, 1 },
			{ 0, 0, 0, 0, 0, 0 } });
		final PlanarImage copy = in.copy();
		final PlanarImage lab = CieLab.fromRgb(in);
		assertEquals(2, lab.width());
		assertEquals(3, lab.height());
		assertEquals(3, lab.channels());
		assertEquals(true, in.sameAs(copy));
	}

	@Test
	void rejectsBadInput() {
		assertThrows(IllegalArgumentException.class, () -> CieLab.fromRgb(PlanarImage.zeros(2, 2, 2)));
		assertThrows(IllegalArgumentException.class, () -> CieLab.fromRgb(PlanarImage.zeros(2, 2, 4)));
		assertThrows(IllegalArgumentException.class, () -> CieLab.fromRgb(rgb(0, Float.NaN, 0)));
		assertThrows(IllegalArgumentException.class, () -> CieLab.fromRgb(null));
	}
}
