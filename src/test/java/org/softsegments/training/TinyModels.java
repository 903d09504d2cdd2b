package org.softsegments.training;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import org.softsegments.image.PlanarImage;

import com.google.gson.JsonObject;

/** Test helpers: tiny U-Nets with random weights exported as SavedModels, and small test images. */
public final class TinyModels {

	private TinyModels() {}

	/** 3 levels (multiple 4), widths 4-8-8, head 8, D = 6. */
	public static UNetArchitecture tinyArchitecture() {
		return new UNetArchitecture(new int[] { 4, 8, 8 }, 8, 6);
	}

	/** He-normal weights with small random biases, from a seed. */
	public static Map<String, float[]> randomWeights(final UNetArchitecture arch, final long seed) {
		final Random rng = new Random(seed);
		final Map<String, float[]> w = new LinkedHashMap<>();
		for (final UNetArchitecture.Parameter p : arch.parameters()) {
			final float[] v = new float[p.size()];
			final double std = p.isKernel() ? Math.sqrt(2.0 / p.fanIn()) : 0.1;
			for (int i = 0; i < v.length; i++) v[i] = (float) (rng.nextGaussian() * std);
			w.put(p.name, v);
		}
		return w;
	}

	/** Exports the weights with a standard model card (tile margin overridable). */
	public static void export(final UNetArchitecture arch, final Map<String, float[]> weights, final Path dir, final int tileMargin)
		throws IOException
	{
		final JsonObject card = SavedModelExport.baseCard("tiny-test", arch);
		card.addProperty("tileMargin", tileMargin);
		SavedModelExport.export(arch, weights, card, dir);
	}

	/** A deterministic colourful test image: smooth gradients, a disc, a square and noise. */
	public static PlanarImage testImage(final int w, final int h, final long seed) {
		final Random rng = new Random(seed);
		final float[][] p = new float[3][w * h];
		for (int y = 0; y < h; y++) {
			for (int x = 0; x < w; x++) {
				final int i = x + y * w;
				final double dx = x - 0.4 * w, dy = y - 0.5 * h;
				final boolean disc = dx * dx + dy * dy < 0.06 * w * h;
				final boolean square = x > 0.65 * w && x < 0.9 * w && y > 0.2 * h && y < 0.6 * h;
				p[0][i] = clamp((disc ? 0.8f : 0.2f) + 0.3f * x / w + 0.05f * (float) rng.nextGaussian());
				p[1][i] = clamp((square ? 0.9f : 0.3f) + 0.2f * y / h + 0.05f * (float) rng.nextGaussian());
				p[2][i] = clamp((disc || square ? 0.1f : 0.6f) + 0.05f * (float) rng.nextGaussian());
			}
		}
		return new PlanarImage(w, h, p);
	}

	private static float clamp(final float v) {
		return Math.max(0, Math.min(1, v));
	}
}
