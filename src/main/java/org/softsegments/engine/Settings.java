package org.softsegments.engine;

import org.softsegments.sparsify.ConstrainedSparsification;

/**
 * Every constant of the semantic soft segmentation pipeline, with the paper's defaults (spec
 * §12, "constant checklist"), and the choice of path ({@link #mode}: fast by default). A plain
 * mutable value in the style of BoofCV configuration objects: set fields, then
 * {@link #validate()} (the facade validates before it runs).
 * Field names are stable; front ends expose a subset of them.
 */
public final class Settings {

	// -- output --
	/** Number of output layers K (spec §3.10). */
	public int layers = 5;
	/** Seed of every random step (the k-means stages). Same input + seed ⇒ bit-identical output. */
	public long seed = 1;
	/** Worker threads; 0 = all available processors. The output does not depend on it. */
	public int threads = 0;

	// -- path (issue 6: fast path) --
	/** Which implementation of the pipeline runs. */
	public enum Mode {
		/**
		 * The spectral stages run at a working resolution of at most {@link #workingPixels} pixels
		 * with accelerated solvers; the layers are brought to full resolution by guided upsampling.
		 * Deviations from the reference are listed in {@link SemanticSoftSegmentation}.
		 */
		FAST,
		/** The faithful implementation of the reference algorithm (spec §3) at full resolution. */
		REFERENCE
	}

	/**
	 * Fast or reference path. Default FAST: it matches the reference path's quality at a small
	 * fraction of the time (measured in the README, "Fast path"); REFERENCE is the faithful
	 * implementation, for validation against the authors' results.
	 */
	public Mode mode = Mode.FAST;
	/**
	 * Fast path: the spectral stages run on the image downscaled to at most this many pixels (0 =
	 * full size). 20 000 was chosen on the 10 alphamatting cases at full size, where a larger working
	 * resolution did not give better mattes (the segmentation varies more between runs than the
	 * resolution costs) at several times the time (README, "Fast path").
	 */
	public int workingPixels = 20_000;
	/** Fast path: box window (pixels at the working resolution) of the guided upsampling. */
	public int upsamplingWindow = 3;
	/** Fast path: regularisation ε of the guided upsampling (colour values in [0,1]). */
	public double upsamplingEpsilon = 1e-4;
	/**
	 * Fast path: threshold τ of the clean-up of the final layers ({@code sparsify.LayerCleanup}:
	 * clip to [0, 1], subtract τ, clamp at 0, renormalise to sum 1), in [0, 1/{@link #layers});
	 * 0 = clip and renormalise only. Removes the floor of small values every layer otherwise has
	 * at almost every pixel. Measured: README, "Layer clean-up".
	 */
	public double cleanupThreshold = 0.01;
	/**
	 * Fast path: the constrained sparsification accumulates its weighted Grams on a weighted pixel
	 * sample with an exact last iteration ({@code ConstrainedSparsification.Acceleration.FAST},
	 * seeded by {@link #seed}); false = every iteration on all pixels, as the reference path.
	 */
	public boolean sampledGrams = true;
	/**
	 * Fast path, with {@link #sampledGrams}: size of the pixel sample per basis vector
	 * ({@code Acceleration.samplesPerVector}: strata of ⌊N / (this · eigenvectors)⌋ pixels, 1 … 256).
	 * Fewer samples make the sampled iterations cheaper and noisier; the last iteration is exact either way.
	 */
	public int gramSamplesPerVector = ConstrainedSparsification.Acceleration.FAST.samplesPerVector();
	/**
	 * Fast path: the grouping (spec §3.10) weights every layer by its mass and keeps the best of
	 * {@code MassWeightedGrouping.REPLICATES} k-means++ starts; false = the reference grouping.
	 * Measured: README, "Grouping on the fast path".
	 */
	public boolean massWeightedGrouping = true;
	/**
	 * Fast path, with {@link #massWeightedGrouping}: before the grouping, the soft segments most
	 * strongly tied together in the Laplacian are merged down to 2K groups
	 * ({@code sparsify.AffinityPreMerge}), so that distant regions of similar colour no longer share a
	 * layer; false = the mass-weighted grouping of all segments. Measured: README, "Grouping on the
	 * fast path".
	 */
	public boolean affinityPreMerge = true;

	// -- feature preprocessing (§3.1) --
	/** Raw features are clamped to ±this. */
	public double featureClamp = 5;
	/** Guided filter window size (10: rows/cols −4…+5). */
	public int guidedFilterWindow = 10;
	/** Guided filter ε. */
	public double guidedFilterEpsilon = 0.01;

	// -- superpixels (§3.2) --
	/** Requested number of SLICO superpixels. */
	public int superpixels = 2500;
	/** Initial SLICO compactness (only the first pass uses it). */
	public double slicCompactness = 1e-20;
	/** SLICO iterations. */
	public int slicIterations = 10;

	// -- affinities (§3.3–3.6) --
	/** Matting affinity ε (divided by the window size 9 inside). */
	public double mattingEpsilon = 1e-7;
	/** Semantic affinity erf steepness. */
	public double semanticSteepness = 20;
	/** Semantic affinity erf centre. */
	public double semanticCenter = 0.85;
	/** Non-local colour affinity erf steepness. */
	public double colorSteepness = 50;
	/** Non-local colour affinity erf centre. */
	public double colorCenter = 0.95;
	/** Non-local colour affinity radius (normalised centroid distance). */
	public double colorRadius = 0.2;
	/** Weight of the matting affinity in W. */
	public double mattingWeight = 1;
	/** Weight of the semantic affinity in W. */
	public double semanticWeight = 0.01;
	/** Weight of the non-local colour affinity in W. */
	public double colorWeight = 0.01;

	// -- spectral basis (§3.7) --
	/** Number of eigenvectors of smallest |λ|. */
	public int eigenvectors = 100;

	// -- initial clustering (§3.8) --
	/** Number of initial hard clusters. */
	public int initialClusters = 40;
	/** Replicates of the first k-means. */
	public int kmeansReplicates = 7;
	/** Lloyd iterations per k-means run. */
	public int kmeansIterations = 100;

	// -- constrained sparsification (§3.9) --
	/** Sparsity exponent γ. */
	public double constrainedGamma = 0.8;
	/** Weight w0 of the |α|^γ term. */
	public double constrainedW0 = 0.3;
	/** Weight w1 of the |1−α|^γ term. */
	public double constrainedW1 = 0.3;
	/** IRLS iterations. */
	public int constrainedIterations = 40;
	/** Layers with max|α| at most this are removed at iterations 11, 21, 31. */
	public double removalThreshold = 0.1;

	// -- relaxed sparsification (§3.11–3.12) --
	/** Sparsity weight σ_S. */
	public double relaxedSigmaS = 1;
	/** Fidelity weight σ_F. */
	public double relaxedSigmaF = 1;
	/** Sum-to-one weight δ. */
	public double relaxedDelta = 100;
	/** Base of the per-pixel exponent γ_i = base + min(gradient, cap). */
	public double relaxedGammaBase = 0.9;
	/** Cap of the gradient term of γ_i. */
	public double relaxedGammaCap = 0.1;
	/** Outer IRLS iterations. */
	public int relaxedIterations = 20;
	/** Conjugate-gradient iterations per outer iteration. */
	public int relaxedCgIterations = 100;
	/** Conjugate-gradient iterations of the final polish. */
	public int relaxedFinalCgIterations = 1000;
	/** Relative residual tolerance of conjugate gradients. */
	public double relaxedTolerance = 1e-6;

	/** Paper defaults, on the fast path ({@link #reference()} for the reference path). */
	public Settings() {}

	/** Paper defaults on the reference path: the faithful pipeline of spec §3 at full resolution. */
	public static Settings reference() {
		final Settings s = new Settings();
		s.mode = Mode.REFERENCE;
		return s;
	}

	/** A copy. */
	public Settings copy() {
		final Settings s = new Settings();
		for (final java.lang.reflect.Field f : Settings.class.getFields()) {
			try {
				f.set(s, f.get(this));
			}
			catch (final IllegalAccessException e) {
				throw new IllegalStateException(e);
			}
		}
		return s;
	}

	/**
	 * Checks every field; throws {@link IllegalArgumentException} naming the first invalid
	 * setting, its value and the accepted range.
	 */
	public Settings validate() {
		range("layers", layers, 2, 64);
		range("threads", threads, 0, 4096);
		if (mode == null) throw new IllegalArgumentException("Setting 'mode' must be FAST or REFERENCE, got null");
		if (workingPixels != 0 && !(workingPixels >= 1024)) {
			throw new InvalidSettingException("Setting 'workingPixels' = " + workingPixels +
				" must be 0 (full resolution) or at least 1024", "workingPixels", workingPixels,
				"0 (full resolution) or %s of at least 1024");
		}
		range("gramSamplesPerVector", gramSamplesPerVector, 1, 10_000);
		range("upsamplingWindow", upsamplingWindow, 1, 255);
		positive("upsamplingEpsilon", upsamplingEpsilon);
		if (!(cleanupThreshold >= 0 && cleanupThreshold < 1.0 / layers)) {
			throw new InvalidSettingException("Setting 'cleanupThreshold' = " + cleanupThreshold + " must be in [0, 1/" +
				layers + ") for " + layers + " layers", "cleanupThreshold", cleanupThreshold, "%s from 0 to below " +
					bound(1.0 / layers) + ", 1/" + layers + " for " + layers + " layers");
		}
		positive("featureClamp", featureClamp);
		range("guidedFilterWindow", guidedFilterWindow, 1, 255);
		positive("guidedFilterEpsilon", guidedFilterEpsilon);
		range("superpixels", superpixels, 4, 1_000_000);
		positive("slicCompactness", slicCompactness);
		range("slicIterations", slicIterations, 1, 1000);
		positive("mattingEpsilon", mattingEpsilon);
		positive("semanticSteepness", semanticSteepness);
		finite("semanticCenter", semanticCenter);
		positive("colorSteepness", colorSteepness);
		finite("colorCenter", colorCenter);
		range("colorRadius", colorRadius, 0, 2);
		positive("mattingWeight", mattingWeight);
		range("semanticWeight", semanticWeight, 0, 1000);
		range("colorWeight", colorWeight, 0, 1000);
		range("eigenvectors", eigenvectors, 2, 1000);
		range("initialClusters", initialClusters, 2, 1000);
		range("kmeansReplicates", kmeansReplicates, 1, 1000);
		range("kmeansIterations", kmeansIterations, 1, 100_000);
		open01("constrainedGamma", constrainedGamma, 0, 2);
		positive("constrainedW0", constrainedW0);
		positive("constrainedW1", constrainedW1);
		range("constrainedIterations", constrainedIterations, 1, 10_000);
		range("removalThreshold", removalThreshold, 0, 1);
		range("relaxedSigmaS", relaxedSigmaS, 0, 1e6);
		positive("relaxedSigmaF", relaxedSigmaF);
		range("relaxedDelta", relaxedDelta, 0, 1e9);
		open01("relaxedGammaBase", relaxedGammaBase, 0, 2);
		range("relaxedGammaCap", relaxedGammaCap, 0, 2);
		range("relaxedIterations", relaxedIterations, 0, 10_000);
		range("relaxedCgIterations", relaxedCgIterations, 1, 1_000_000);
		range("relaxedFinalCgIterations", relaxedFinalCgIterations, 0, 1_000_000);
		open01("relaxedTolerance", relaxedTolerance, 0, 1);
		if (layers > initialClusters) {
			throw new InvalidSettingException("layers (" + layers + ") must not exceed initialClusters (" +
				initialClusters + ")", "layers", layers, "%s from 2 to " + initialClusters);
		}
		return this;
	}

	private static void range(final String name, final double v, final double lo, final double hi) {
		if (!(v >= lo && v <= hi)) {
			throw new InvalidSettingException("Setting '" + name + "' = " + v + " is outside the accepted range [" +
				lo + ", " + hi + "]", name, v, "%s from " + bound(lo) + " to " + bound(hi));
		}
	}

	private static void positive(final String name, final double v) {
		if (!(v > 0 && Double.isFinite(v))) {
			throw new InvalidSettingException("Setting '" + name + "' = " + v + " must be a finite number > 0", name, v,
				"%s greater than 0");
		}
	}

	private static void open01(final String name, final double v, final double lo, final double hi) {
		if (!(v > lo && v < hi)) {
			throw new InvalidSettingException("Setting '" + name + "' = " + v + " must lie strictly between " + lo +
				" and " + hi, name, v, "%s strictly between " + bound(lo) + " and " + bound(hi));
		}
	}

	private static void finite(final String name, final double v) {
		if (!Double.isFinite(v)) {
			throw new InvalidSettingException("Setting '" + name + "' = " + v + " must be finite", name, v, "%s");
		}
	}

	/** A bound as people write it: 2, 0.01, 1000000 (no ".0", no exponent). */
	static String bound(final double v) {
		if (!Double.isFinite(v)) return Double.toString(v);
		final String s = java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
		return s.length() > 12 ? String.format(java.util.Locale.ROOT, "%.4g", v) : s;
	}

	/**
	 * What {@link #validate()} throws: besides the message, the invalid field ({@link #setting()},
	 * a field name of {@link Settings}), its value and the rule it broke in words
	 * ({@link #requirement(String)}), so that a front end can name its own option or parameter.
	 */
	public static final class InvalidSettingException extends IllegalArgumentException {

		private static final long serialVersionUID = 1L;

		private final String setting;
		private final double value;
		private final String requirement;

		InvalidSettingException(final String message, final String setting, final double value,
			final String requirement)
		{
			super(message);
			this.setting = setting;
			this.value = value;
			this.requirement = requirement;
		}

		/** The name of the invalid field of {@link Settings}, e.g. {@code layers}. */
		public String setting() {
			return setting;
		}

		/** The rejected value. */
		public double value() {
			return value;
		}

		/**
		 * What the value must be, in words, to follow "must be": {@code kind} is the value's kind
		 * as the front end presents it, e.g. {@code requirement("an integer")} gives "an integer
		 * from 2 to 64".
		 */
		public String requirement(final String kind) {
			return String.format(java.util.Locale.ROOT, requirement, kind);
		}
	}
}
