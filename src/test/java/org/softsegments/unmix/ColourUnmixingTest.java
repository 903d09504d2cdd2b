package org.softsegments.unmix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.softsegments.core.Parallel;
import org.softsegments.core.Progress;
import org.softsegments.core.SegmentationCancelledException;
import org.softsegments.demo.SyntheticScene;
import org.softsegments.image.PlanarImage;
import org.softsegments.unmix.ColourUnmixing.Params;
import org.softsegments.unmix.ColourUnmixing.Recomposition;

/**
 * Colour unmixing: known colours are recovered from their mixture (far better than taking the
 * image's colour), the layers recompose the image, results do not depend on the number of threads,
 * and bad arguments are refused in words.
 */
public class ColourUnmixingTest {

	/**
	 * Two layers of constant colours with a linear alpha ramp across the image: the unmixed colours
	 * are the true ones, while the image's own colour (the naive RGBA layer) is the mixture.
	 */
	@Test
	public void twoConstantColoursAreRecoveredFromALinearRamp() {
		final int w = 96, h = 40;
		final double[][] truth = { { 0.9, 0.2, 0.1 }, { 0.1, 0.45, 0.85 } };
		final PlanarImage layers = PlanarImage.zeros(w, h, 2);
		final PlanarImage rgb = PlanarImage.zeros(w, h, 3);
		for (int y = 0; y < h; y++) {
			for (int x = 0; x < w; x++) {
				final float a = x / (float) (w - 1);
				layers.set(x, y, 0, a);
				layers.set(x, y, 1, 1 - a);
				for (int c = 0; c < 3; c++) rgb.set(x, y, c, (float) (a * truth[0][c] + (1 - a) * truth[1][c]));
			}
		}
		final PlanarImage[] f = ColourUnmixing.unmix(rgb, layers);
		final PlanarImage[] naive = { rgb, rgb };
		final PlanarImage[] exact = { constant(w, h, truth[0]), constant(w, h, truth[1]) };
		final double unmixed = weightedError(f, exact, layers), plain = weightedError(naive, exact, layers);
		// where a layer is nearly absent its colour must still be its own (the smoothness carries it)
		final double[] worst = new double[2];
		for (int k = 0; k < 2; k++) {
			for (int i = 0; i < w * h; i++) {
				if (layers.plane(k)[i] < 0.1) continue;
				for (int c = 0; c < 3; c++) worst[k] = Math.max(worst[k], Math.abs(f[k].plane(c)[i] - truth[k][c]));
			}
		}
		System.out.printf(Locale.ROOT, "Two-colour ramp %d×%d: alpha-weighted mean colour error, unmixed %.5f, " +
			"image colour (naive) %.5f; largest error where alpha >= 0.1: %.5f, %.5f%n", w, h, unmixed, plain, worst[0],
			worst[1]);
		assertTrue(unmixed < 0.01, "unmixed error " + unmixed);
		assertTrue(unmixed < plain / 10, "unmixed " + unmixed + " vs naive " + plain);
		assertTrue(worst[0] < 0.05 && worst[1] < 0.05, "largest errors " + worst[0] + ", " + worst[1]);
		final Recomposition r = ColourUnmixing.recomposition(rgb, layers, f, 1 / 255.0);
		assertEquals(0, r.pixelsAbove(), "recomposition " + r);
	}

	/**
	 * The synthetic scene with its true alphas (three shapes and the background): unmixed colours
	 * against the true per-pixel colours of each shape, versus the naive layer that takes the
	 * image's colour (premultiplied: α_k·I), over the soft transitions and over all pixels. The
	 * alpha-weighted error of straight colours is the mean error of the premultiplied colours
	 * {@code |α_k F_k − α_k T_k|} per unit of alpha.
	 */
	@Test
	public void syntheticSceneColoursAreRecovered() {
		final SyntheticScene scene = SyntheticScene.create(320, 240, 12, 3);
		final PlanarImage rgb = scene.image();
		final int n = rgb.pixels();
		final float[][] a = new float[4][];
		final float[] background = new float[n];
		for (int k = 0; k < 3; k++) a[k] = scene.alphas()[k];
		for (int i = 0; i < n; i++) background[i] = 1 - (a[0][i] + a[1][i] + a[2][i]);
		a[3] = background;
		final PlanarImage layers = new PlanarImage(rgb.width(), rgb.height(), a);
		final PlanarImage[] truth = scene.layerColours();
		assertTrue(ColourUnmixing.recomposition(rgb, layers, truth, 1e-5).maxError() < 1e-5, "true colours recompose " +
			"the scene");
		final PlanarImage[] f = ColourUnmixing.unmix(rgb, layers);
		final PlanarImage[] naive = { rgb, rgb, rgb, rgb };
		final PlanarImage soft = transitions(layers);
		final double unmixedSoft = weightedError(f, truth, soft), naiveSoft = weightedError(naive, truth, soft);
		final double unmixedAll = weightedError(f, truth, layers), naiveAll = weightedError(naive, truth, layers);
		System.out.printf(Locale.ROOT, "Synthetic scene 320×240, true alphas: alpha-weighted mean colour error in " +
			"soft transitions (0 < alpha < 1): unmixed %.4f, image colour (naive) %.4f; over all pixels: unmixed " +
			"%.4f, naive %.4f%n", unmixedSoft, naiveSoft, unmixedAll, naiveAll);
		assertTrue(unmixedSoft < naiveSoft / 2, "soft transitions: unmixed " + unmixedSoft + " vs naive " + naiveSoft);
		assertTrue(unmixedAll < naiveAll / 2, "all pixels: unmixed " + unmixedAll + " vs naive " + naiveAll);
		assertEquals(0, ColourUnmixing.recomposition(rgb, layers, f, 1 / 255.0).pixelsAbove());
	}

	/** Random photo-like image and random soft layers: Σ α_k F_k = I within 1/255 everywhere. */
	@Test
	public void layersRecomposeTheImage() {
		final PlanarImage rgb = photo(160, 120, 11);
		final PlanarImage layers = softLayers(160, 120, 5, 12);
		final PlanarImage[] f = ColourUnmixing.unmix(rgb, layers);
		for (final PlanarImage c : f) {
			for (final float[] p : c.planes()) {
				for (final float v : p) assertTrue(v >= 0 && v <= 1, "colour " + v);
			}
		}
		final Recomposition exact = ColourUnmixing.recomposition(rgb, layers, f, 1 / 255.0);
		final Recomposition raw = ColourUnmixing.recomposition(rgb, layers, ColourUnmixing.unmix(rgb, layers,
			Params.DEFAULTS.withRecompose(false), Progress.NONE), 1 / 255.0);
		System.out.printf(Locale.ROOT, "Recomposition, random 160×120 K=5: max |Σ αF − I| %.2e (%.4f%% of pixels " +
			"above 1/255); without the final correction %.2e (%.2f%%)%n", exact.maxError(), 100 * exact.fractionAbove(),
			raw.maxError(), 100 * raw.fractionAbove());
		assertEquals(0, exact.pixelsAbove(), "recomposition " + exact);
		assertTrue(exact.maxError() < 1e-5, "recomposition " + exact);
	}

	@Test
	public void resultDoesNotDependOnTheNumberOfThreads() {
		final PlanarImage rgb = photo(203, 157, 5);
		final PlanarImage layers = softLayers(203, 157, 4, 6);
		final PlanarImage[] one = Parallel.inPool(1, () -> ColourUnmixing.unmix(rgb, layers));
		final PlanarImage[] four = Parallel.inPool(4, () -> ColourUnmixing.unmix(rgb, layers));
		for (int k = 0; k < one.length; k++) assertTrue(one[k].sameAs(four[k]), "layer " + k);
	}

	@Test
	public void badParametersAreRefusedInWords() {
		assertMessage(() -> new Params(0, 1, 10, 2, 32, true), "regularization must be a finite number > 0, got 0.0");
		assertMessage(() -> new Params(Double.NaN, 1, 10, 2, 32, true), "regularization must be a finite number > 0");
		assertMessage(() -> new Params(1e-5, -1, 10, 2, 32, true), "gradientWeight must be a finite number >= 0, got " +
			"-1.0");
		assertMessage(() -> new Params(1e-5, Double.POSITIVE_INFINITY, 10, 2, 32, true), "gradientWeight");
		assertMessage(() -> new Params(1e-5, 1, -1, 2, 32, true), "smallIterations must be >= 0, got -1");
		assertMessage(() -> new Params(1e-5, 1, 10, -2, 32, true), "bigIterations must be >= 0, got -2");
		assertMessage(() -> new Params(1e-5, 1, 10, 2, 0, true), "smallSize must be >= 1 pixel, got 0");
		final PlanarImage rgb = photo(20, 10, 1), layers = softLayers(20, 10, 3, 2);
		assertMessage(() -> ColourUnmixing.unmix(PlanarImage.zeros(20, 10, 1), layers), "needs an RGB image (3 " +
			"channels), got 1 channel(s)");
		assertMessage(() -> ColourUnmixing.unmix(rgb, softLayers(21, 10, 3, 2)), "Layers are 21×10 but the image is " +
			"20×10");
		layers.set(3, 4, 1, Float.NaN);
		assertMessage(() -> ColourUnmixing.unmix(rgb, layers), "The layer channel 2 holds a non-finite value (NaN) " +
			"at pixel (3, 4)");
		assertMessage(() -> ColourUnmixing.unmix(rgb, softLayers(20, 10, 3, 2), null, Progress.NONE),
			"params must not be null");
	}

	@Test
	public void cancellationStopsTheUnmixing() {
		final int[] reports = new int[1];
		final Progress cancelAfterThree = new Progress() {

			@Override
			public void report(final String stage, final double fraction) {
				assertEquals(ColourUnmixing.STAGE, stage);
				reports[0]++;
			}

			@Override
			public boolean isCancelled() {
				return reports[0] >= 3;
			}
		};
		assertThrows(SegmentationCancelledException.class, () -> ColourUnmixing.unmix(photo(64, 64, 1), softLayers(64,
			64, 3, 2), Params.DEFAULTS, cancelAfterThree));
	}

	/** Cancelled during the last level's sweeps: the parallel chunks stop, not only the checkpoints. */
	@Test
	public void cancellationStopsTheSweepsOfALevel() {
		final double[] last = new double[1];
		final java.util.concurrent.atomic.AtomicBoolean inSweep = new java.util.concurrent.atomic.AtomicBoolean();
		final Progress cancelPastHalf = new Progress() {

			@Override
			public void report(final String stage, final double fraction) {
				last[0] = fraction;
			}

			@Override
			public boolean isCancelled() {
				if (!(last[0] > 0.5)) return false;
				for (final StackTraceElement f : new Throwable().getStackTrace()) {
					if (f.getClassName().startsWith(ColourUnmixing.class.getName()) && f.getMethodName().contains("sweep")) {
						inSweep.set(true);
					}
				}
				return true;
			}
		};
		final PlanarImage rgb = photo(256, 256, 1), layers = softLayers(256, 256, 3, 2);
		final SegmentationCancelledException e = assertThrows(SegmentationCancelledException.class, () -> Parallel
			.inPool(4, () -> ColourUnmixing.unmix(rgb, layers, Params.DEFAULTS, cancelPastHalf)));
		assertTrue(e.getMessage().contains(ColourUnmixing.STAGE), e.getMessage());
		assertTrue(last[0] < 0.95, "stopped before the end, last report " + last[0]);
		assertTrue(inSweep.get(), "cancellation seen inside a sweep");
	}

	@Test
	public void singleLayerAndSinglePixelTakeTheImageColour() {
		final PlanarImage rgb = photo(7, 5, 4);
		final PlanarImage one = new PlanarImage(7, 5, new float[][] { filled(35, 1) });
		final PlanarImage single = ColourUnmixing.unmix(rgb, one)[0];
		for (int c = 0; c < 3; c++) {
			for (int i = 0; i < 35; i++) assertEquals(rgb.plane(c)[i], single.plane(c)[i], 1e-6);
		}
		final PlanarImage pixel = new PlanarImage(1, 1, new float[][] { { 0.2f }, { 0.5f }, { 0.7f } });
		final PlanarImage[] f = ColourUnmixing.unmix(pixel, new PlanarImage(1, 1, new float[][] { { 0.25f }, {
			0.75f } }));
		for (int c = 0; c < 3; c++) assertEquals(pixel.plane(c)[0], f[0].plane(c)[0], 1e-6);
	}

	// -- helpers --

	static void assertMessage(final Runnable r, final String expected) {
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
		assertTrue(e.getMessage().contains(expected), "message: " + e.getMessage());
	}

	private static float[] filled(final int n, final float v) {
		final float[] p = new float[n];
		java.util.Arrays.fill(p, v);
		return p;
	}

	private static PlanarImage constant(final int w, final int h, final double[] rgb) {
		final PlanarImage im = PlanarImage.zeros(w, h, 3);
		for (int c = 0; c < 3; c++) java.util.Arrays.fill(im.plane(c), (float) rgb[c]);
		return im;
	}

	/**
	 * Mean colour error {@code Σ_k Σ_i w_ik |F_ik − T_ik|₁/3 / Σ w_ik}: each layer's colour error
	 * weighted by how much of the pixel the layer covers.
	 */
	static double weightedError(final PlanarImage[] f, final PlanarImage[] truth, final PlanarImage weights) {
		double sum = 0, total = 0;
		for (int k = 0; k < f.length; k++) {
			final float[] wk = weights.plane(k);
			for (int i = 0; i < wk.length; i++) {
				if (wk[i] <= 0) continue;
				double e = 0;
				for (int c = 0; c < 3; c++) e += Math.abs(f[k].plane(c)[i] - truth[k].plane(c)[i]);
				sum += wk[i] * e / 3;
				total += wk[i];
			}
		}
		return sum / total;
	}

	/** The layers' alphas where they are strictly between 0.01 and 0.99, else 0. */
	private static PlanarImage transitions(final PlanarImage layers) {
		final PlanarImage out = layers.copy();
		for (final float[] p : out.planes()) {
			for (int i = 0; i < p.length; i++) if (p[i] < 0.01f || p[i] > 0.99f) p[i] = 0;
		}
		return out;
	}

	/** A photo-like image: smooth colour waves, edges and noise, values in [0,1]. */
	public static PlanarImage photo(final int w, final int h, final long seed) {
		final SplittableRandom rnd = new SplittableRandom(seed);
		final PlanarImage im = PlanarImage.zeros(w, h, 3);
		final double[] f = new double[9];
		for (int j = 0; j < f.length; j++) f[j] = 0.02 + 0.2 * rnd.nextDouble();
		for (int c = 0; c < 3; c++) {
			final float[] p = im.plane(c);
			for (int y = 0; y < h; y++) {
				for (int x = 0; x < w; x++) {
					double v = 0.5 + 0.3 * Math.sin(f[3 * c] * x + f[3 * c + 1] * y) + (x > w / 3 + y / 2 ? 0.2 : -0.1) +
						0.05 * (rnd.nextDouble() - 0.5);
					v += 0.2 * Math.cos(f[3 * c + 2] * (x - y));
					p[x + y * w] = (float) Math.max(0, Math.min(1, v));
				}
			}
		}
		return im;
	}

	/** K random smooth soft layers, α ≥ 0 summing to 1, with soft transitions and some exact zeros. */
	public static PlanarImage softLayers(final int w, final int h, final int k, final long seed) {
		final SplittableRandom rnd = new SplittableRandom(seed);
		final float[][] a = new float[k][w * h];
		final double[][] p = new double[k][4];
		for (int l = 0; l < k; l++) for (int j = 0; j < 4; j++) p[l][j] = rnd.nextDouble();
		for (int y = 0; y < h; y++) {
			for (int x = 0; x < w; x++) {
				final int i = x + y * w;
				double sum = 0;
				final double[] v = new double[k];
				for (int l = 0; l < k; l++) {
					final double s = Math.sin(0.05 * (1 + 3 * p[l][0]) * x + 6 * p[l][1]) + Math.cos(0.05 * (1 + 3 *
						p[l][2]) * y + 6 * p[l][3]);
					v[l] = Math.exp(3 * s);
					if (v[l] < 0.3) v[l] = 0; // some layers exactly absent
					sum += v[l];
				}
				if (sum == 0) {
					v[i % k] = 1;
					sum = 1;
				}
				for (int l = 0; l < k; l++) a[l][i] = (float) (v[l] / sum);
			}
		}
		return new PlanarImage(w, h, a);
	}
}
