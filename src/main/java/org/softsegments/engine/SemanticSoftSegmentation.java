package org.softsegments.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.softsegments.affinity.ColorAffinity;
import org.softsegments.affinity.LaplacianAssembly;
import org.softsegments.affinity.MattingAffinity;
import org.softsegments.affinity.SemanticAffinity;
import org.softsegments.core.Parallel;
import org.softsegments.core.Progress;
import org.softsegments.features.ColorFeatures;
import org.softsegments.features.FeaturePreprocessing;
import org.softsegments.image.PlanarImage;
import org.softsegments.image.Resize;
import org.softsegments.linalg.ShiftInvertEigensolver;
import org.softsegments.linalg.SparseMatrix;
import org.softsegments.linalg.SpectralBasis;
import org.softsegments.linalg.SplittingKMeans;
import org.softsegments.multiscale.GuidedUpsampling;
import org.softsegments.sparsify.AffinityPreMerge;
import org.softsegments.sparsify.ConstrainedSparsification;
import org.softsegments.sparsify.ImageGradient;
import org.softsegments.sparsify.LayerCleanup;
import org.softsegments.sparsify.LayerGrouping;
import org.softsegments.sparsify.MassWeightedGrouping;
import org.softsegments.sparsify.RelaxedSparsification;
import org.softsegments.sparsify.StrokeGrouping;
import org.softsegments.superpixels.Slico;
import org.softsegments.superpixels.SuperpixelGraph;

/**
 * Semantic soft segmentation (Aksoy, Oh, Paris, Pollefeys, Matusik, SIGGRAPH 2018): the whole
 * pipeline of spec §2, stage by stage, faithful to the reference implementation.
 * <p>
 * Entry point: {@link #run(PlanarImage, PlanarImage, Settings, Progress, boolean)}. The
 * pipeline runs in a pool of {@link Settings#threads} workers; the output does not depend on
 * the number of threads. Progress is reported as {@code (stage, overall fraction)}; the
 * callback's cancellation is honoured inside every iterative loop.
 * <p>
 * Deviations from the reference: without a feature image, the features are the image's CIE
 * L*a*b* colours ({@link ColorFeatures}), so the "semantic" affinity becomes a colour affinity
 * between adjacent superpixels; superpixel labels and k-means randomness differ from MATLAB's
 * (spec §3.2, §3.8); the superpixel count is capped at one per {@link #PIXELS_PER_SUPERPIXEL}
 * pixels ({@link #superpixelCount}: small images, and every working-resolution image of the fast
 * path); if the constrained sparsification leaves fewer layers than requested the
 * result has fewer layers (see {@link SegmentationResult#notes()}).
 * <p>
 * <b>Fast path</b> ({@link Settings.Mode#FAST}, issue 6). Deviations from the reference path: the
 * image (and the feature image, before its preprocessing) is area-averaged to the working
 * resolution of at most {@link Settings#workingPixels} pixels ({@link #workingSize}); every stage
 * up to the relaxed sparsification runs there; the layers are then brought to full resolution by
 * {@link GuidedUpsampling} (local linear colour model, the matting Laplacian's own prior), which
 * keeps the per-pixel sums. The constrained sparsification's weighted Grams come from a weighted
 * pixel sample until its last iteration, which is exact ({@link Settings#sampledGrams},
 * {@code ConstrainedSparsification.Acceleration.FAST}). The relaxed sparsification's conjugate
 * gradients are preconditioned ({@link RelaxedSparsification.Solver#FAST}: block Jacobi, same
 * solution within the CG tolerance, several times fewer iterations) and stop their IRLS once it no
 * longer changes any value by more than 1e-3. The grouping (spec §3.10) weights every segment by
 * its mass ({@link Settings#massWeightedGrouping}, {@link MassWeightedGrouping}) after merging the
 * segments most strongly tied together in the Laplacian down to 2K groups
 * ({@link Settings#affinityPreMerge}, {@link AffinityPreMerge}). The final layers are cleaned up by
 * {@link LayerCleanup} (clipped to [0, 1], soft-thresholded by {@link Settings#cleanupThreshold},
 * renormalised). Intermediates are at the working resolution. The fast path is the default;
 * {@link Settings#reference()} selects the reference path.
 */
public final class SemanticSoftSegmentation {

	/** Stage names, in pipeline order, with their share of the overall progress. */
	public static final String FEATURES = "features", SUPERPIXELS = "superpixels", AFFINITIES = "affinities",
			EIGENVECTORS = "eigenvectors", INITIAL_CLUSTERS = "initial clusters", CONSTRAINED = "constrained sparsification",
			GROUPING = "grouping", RELAXED = "relaxed sparsification", UPSAMPLING = "upsampling";

	private static final String[] STAGES = { FEATURES, SUPERPIXELS, AFFINITIES, EIGENVECTORS, INITIAL_CLUSTERS,
		CONSTRAINED, GROUPING, RELAXED, UPSAMPLING };
	/** Every stage name in pipeline order ({@link #UPSAMPLING} runs on the fast path only). */
	public static final List<String> STAGE_NAMES = List.of(STAGES);

	/** Share of each stage in the overall progress: reference path, fast path. */
	private static final double[] STAGE_WEIGHTS = { 0.03, 0.02, 0.05, 0.15, 0.03, 0.55, 0.01, 0.16, 0 },
			FAST_STAGE_WEIGHTS = { 0.05, 0.03, 0.05, 0.25, 0.03, 0.3, 0.01, 0.18, 0.1 };

	/** The splitting k-means refines globally while it has fewer clusters than this (spec §3.8). */
	private static final int REFINE_BELOW = 13;

	private SemanticSoftSegmentation() {}

	/** Runs the pipeline with colour-only features and paper defaults (fast path). */
	public static SegmentationResult run(final PlanarImage image) {
		return run(image, null, new Settings(), Progress.NONE, false);
	}

	/**
	 * Runs the pipeline.
	 *
	 * @param image RGB (3 channels) or grey (1 channel) image, values in [0,1]
	 * @param features optional feature image of the same size (on the fast path also of the
	 *          {@link #workingSize working size}, which saves resizing a large D-channel image): 3
	 *          channels are used as given, more than 3 are raw network features and are
	 *          preprocessed (spec §3.1); null uses colour-only features
	 * @param settings validated before use (not modified)
	 * @param progress progress and cancellation callback
	 * @param keepIntermediates whether to return the intermediates and the {@link SoftSegments}
	 * @throws IllegalArgumentException for bad input or settings
	 * @throws org.softsegments.core.SegmentationCancelledException when cancelled
	 */
	public static SegmentationResult run(final PlanarImage image, final PlanarImage features,
		final Settings settings, final Progress progress, final boolean keepIntermediates)
	{
		return run(image, features, null, settings, progress, keepIntermediates);
	}

	/**
	 * Runs the pipeline, with the grouping guided by the user's strokes when {@code strokes} is not
	 * null ({@link StrokeGrouping}; the number of layers is then the strokes' K, not
	 * {@link Settings#layers}).
	 *
	 * @param strokes null, or stroke labels of the image's size
	 * @see #run(PlanarImage, PlanarImage, Settings, Progress, boolean)
	 */
	public static SegmentationResult run(final PlanarImage image, final PlanarImage features, final StrokeLabels strokes,
		final Settings settings, final Progress progress, final boolean keepIntermediates)
	{
		final Settings s = withStrokes(settings, strokes).validate();
		final PlanarImage rgb = PipelineInputs.rgb(image);
		PipelineInputs.checkFeatures(features, rgb, workingSize(rgb.width(), rgb.height(), s));
		checkStrokes(strokes, rgb);
		if (2L * s.eigenvectors >= rgb.pixels()) {
			throw new IllegalArgumentException("Image has " + rgb.pixels() + " pixels: too few for " + s.eigenvectors +
				" eigenvectors (need more than twice as many pixels)");
		}
		final Progress p = progress == null ? Progress.NONE : progress;
		return Parallel.inPool(s.threads, () -> {
			final Run run = new Run(rgb, s, p, keepIntermediates, FEATURES);
			return run.lastStages(run.segments(features), strokes);
		});
	}

	/**
	 * Groups soft segments kept from an earlier run ({@link SegmentationResult#softSegments()} or a
	 * segments file) again, with another number of layers or other strokes: only the grouping, the
	 * relaxed sparsification and the upsampling run. With the same layers, strokes and seed the
	 * result is that of the full run, bit for bit.
	 *
	 * @param image the photo the segments were computed from (checked by its fingerprint)
	 * @param layers the number of layers (2…64), ignored when {@code strokes} is given
	 * @param strokes null (automatic grouping), or stroke labels of the photo's size
	 * @param threads worker threads (0 = all processors)
	 * @throws IllegalArgumentException when the segments belong to another image, or for bad input
	 */
	public static SegmentationResult regroup(final PlanarImage image, final SoftSegments soft, final int layers,
		final StrokeLabels strokes, final int threads, final Progress progress)
	{
		final PlanarImage rgb = PipelineInputs.rgb(image);
		if (rgb.width() != soft.fullWidth() || rgb.height() != soft.fullHeight() || SoftSegments.fingerprint(rgb) != soft.fingerprint()) {
			throw new IllegalArgumentException("The soft segments were computed from another image (" + soft.fullWidth() + "×"
				+ soft.fullHeight() + "), not from this " + rgb.width() + "×" + rgb.height() + " image");
		}
		final Settings base = soft.settings();
		base.layers = layers;
		base.threads = threads;
		final Settings s = withStrokes(base, strokes).validate();
		checkStrokes(strokes, rgb);
		final Progress p = progress == null ? Progress.NONE : progress;
		return Parallel.inPool(s.threads, () -> new Run(rgb, s, p, false, GROUPING).lastStages(soft, strokes));
	}

	/**
	 * The pipeline up to the soft segments (spec §3.1–3.9): what {@link #regroup} starts from.
	 *
	 * @see #run(PlanarImage, PlanarImage, Settings, Progress, boolean)
	 */
	public static SoftSegments segments(final PlanarImage image, final PlanarImage features, final Settings settings,
		final Progress progress)
	{
		final Settings s = settings.copy().validate();
		final PlanarImage rgb = PipelineInputs.rgb(image);
		PipelineInputs.checkFeatures(features, rgb, workingSize(rgb.width(), rgb.height(), s));
		final Progress p = progress == null ? Progress.NONE : progress;
		return Parallel.inPool(s.threads, () -> new Run(rgb, s, p, false, FEATURES).segments(features));
	}

	/** The settings with {@link Settings#layers} = the strokes' K (a copy; unchanged without strokes). */
	private static Settings withStrokes(final Settings settings, final StrokeLabels strokes) {
		final Settings s = settings.copy();
		if (strokes != null) s.layers = strokes.layers();
		return s;
	}

	private static void checkStrokes(final StrokeLabels strokes, final PlanarImage rgb) {
		if (strokes != null && (strokes.width() != rgb.width() || strokes.height() != rgb.height())) {
			throw new IllegalArgumentException("The strokes are " + strokes.width() + "×" + strokes.height() + " pixels but the image is "
				+ rgb.width() + "×" + rgb.height() + "; the stroke image must be the size of the photo it was drawn on");
		}
	}

	/**
	 * The size the spectral stages run at: the image's own size on the reference path; on the fast
	 * path the largest size with the image's aspect ratio and at most {@link Settings#workingPixels}
	 * pixels (never larger than the image).
	 */
	public static int[] workingSize(final int width, final int height, final Settings s) {
		final long n = (long) width * height;
		if (s.mode != Settings.Mode.FAST || s.workingPixels == 0 || n <= s.workingPixels) return new int[] { width, height };
		final double f = Math.sqrt(s.workingPixels / (double) n);
		int w = Math.max(1, (int) Math.floor(width * f)), h = Math.max(1, (int) Math.floor(height * f));
		while ((long) w * h > s.workingPixels) {
			if (w >= h) w--;
			else h--;
		}
		return new int[] { w, h };
	}

	/** One run of the pipeline, or of its last stages: holds the timing and progress bookkeeping. */
	private static final class Run {

		/** The full-resolution image. */
		private final PlanarImage full;
		private final boolean fast;
		private final Settings s;
		private final Progress outer;
		private final boolean keep;
		/** Index of the first stage this run executes (its progress starts there at 0). */
		private final int first;
		private final Map<String, Double> seconds = new LinkedHashMap<>();
		private final List<String> notes = new ArrayList<>();
		private long stageStart, t0 = System.nanoTime();
		/** Intermediates of {@link #segments} kept for the result. */
		private int[] superpixelLabels;
		private int superpixelCount;
		private double[] eigenvalues;
		private int[] clusters;

		Run(final PlanarImage image, final Settings s, final Progress outer, final boolean keep, final String firstStage) {
			this.full = image;
			this.fast = s.mode == Settings.Mode.FAST;
			this.s = s;
			this.outer = outer;
			this.keep = keep;
			this.first = STAGE_NAMES.indexOf(firstStage);
		}

		/** Progress of one stage, mapped to the overall fraction of the stages this run executes. */
		private Progress stage(final String name) {
			stageStart = System.nanoTime();
			final double[] weights = fast ? FAST_STAGE_WEIGHTS : STAGE_WEIGHTS;
			double start = 0, total = 0;
			final int i = STAGE_NAMES.indexOf(name);
			for (int j = first; j < weights.length; j++) {
				if (j < i) start += weights[j];
				total += weights[j];
			}
			final Progress p = Progress.stage(outer, name, start / total, weights[i] / total);
			p.checkpoint(name, 0);
			return p;
		}

		private void done(final String name) {
			seconds.merge(name, (System.nanoTime() - stageStart) * 1e-9, Double::sum);
		}

		/** The stages up to the constrained sparsification (spec §3.1–3.9). */
		SoftSegments segments(final PlanarImage fullFeatures) {
			Progress p = stage(FEATURES);
			// the image and features at the working resolution (the full resolution on the reference path)
			final int[] size = workingSize(full.width(), full.height(), s);
			final PlanarImage rgb = Resize.smooth(full, size[0], size[1]);
			final PlanarImage rawFeatures = fullFeatures == null ? null : Resize.smooth(fullFeatures, size[0], size[1]);
			final int w = rgb.width(), h = rgb.height(), n = rgb.pixels();

			final PlanarImage features = guidanceFeatures(rgb, rawFeatures, s, p);
			done(FEATURES);

			p = stage(SUPERPIXELS);
			final int requested = superpixelCount(n, s);
			// a fast-path run on a downscaled image says so in its working-resolution note instead: the
			// cap is then a property of the working resolution, not of the image the user gave
			if (requested < s.superpixels && full == rgb) {
				notes.add("Requested " + s.superpixels + " superpixels but the image has only " + n + " pixels; used " +
					requested + " (at least " + PIXELS_PER_SUPERPIXEL + " pixels per superpixel)");
			}
			final int[] labels = Slico.segment(rgb, requested, s.slicCompactness, s.slicIterations, p);
			final SuperpixelGraph graph = SuperpixelGraph.build(labels, w, h);
			done(SUPERPIXELS);

			p = stage(AFFINITIES);
			final SparseMatrix laplacian = laplacian(rgb, features, graph, s, p);
			done(AFFINITIES);

			p = stage(EIGENVECTORS);
			final SpectralBasis basis = ShiftInvertEigensolver.smallestMagnitude(laplacian, s.eigenvectors, s.seed, p);
			done(EIGENVECTORS);

			p = stage(INITIAL_CLUSTERS);
			final int[] initial = initialClusters(features, s.initialClusters, s, s.seed, p);
			done(INITIAL_CLUSTERS);

			p = stage(CONSTRAINED);
			final double[][] constrained = constrained(basis, laplacian, initial, s, p);
			done(CONSTRAINED);
			if (keep) {
				superpixelLabels = labels;
				superpixelCount = graph.count();
				eigenvalues = basis.values().clone();
				clusters = initial;
			}
			return new SoftSegments(s, full.width(), full.height(), SoftSegments.fingerprint(full), rgb, features, laplacian,
				constrained, requested, notes);
		}

		/** The stages from the grouping on (spec §3.10–3.12 and the fast path's upsampling). */
		SegmentationResult lastStages(final SoftSegments soft, final StrokeLabels strokes) {
			notes.clear();
			notes.addAll(soft.notes());
			final PlanarImage rgb = soft.rgb(), features = soft.features();
			final SparseMatrix laplacian = soft.laplacian();
			final double[][] constrained = soft.segments();
			final int w = rgb.width(), h = rgb.height();
			Progress p = stage(GROUPING);
			if (strokes == null && constrained.length < s.layers) {
				notes.add("The constrained sparsification left " + constrained.length + " layers, fewer than the " +
					s.layers + " requested: the result has " + constrained.length + " layers");
			}
			final PlanarImage coverage = strokes == null ? null : strokes.coverage(w, h);
			final LayerGrouping.Result grouped = strokes == null ? group(constrained, laplacian, features, s)
				: StrokeGrouping.group(constrained, StrokeGrouping.attractive(laplacian,
					scaled(MattingAffinity.compute(rgb, s.mattingEpsilon).laplacian(), s.mattingWeight)), coverage, p);
			done(GROUPING);

			p = stage(RELAXED);
			final float[] gradient = ImageGradient.magnitude(rgb);
			final RelaxedSparsification.Params relaxedParams = fast ? relaxedParams(s).withSolver(
				RelaxedSparsification.Solver.FAST) : relaxedParams(s);
			final double[][] relaxed = RelaxedSparsification.solve(grouped.layers(), laplacian, gradient, relaxedParams,
				coverage == null ? null : StrokeGrouping.strokeTerm(coverage), p).layers();
			done(RELAXED);
			PlanarImage layers = toImage(relaxed, w, h);

			if (fast) {
				p = stage(UPSAMPLING);
				if (full.width() != w || full.height() != h) {
					final int requested = soft.superpixels();
					final String superpixels = requested < s.superpixels ? "; " + requested + " of the " + s.superpixels +
						" superpixels requested, at most one per " + PIXELS_PER_SUPERPIXEL + " working pixels" : "";
					notes.add("Fast path: the spectral stages ran at " + w + "×" + h + " (working resolution" + superpixels +
						"); the layers were upsampled to " + full.width() + "×" + full.height() + " by guided upsampling");
				}
				layers = finish(layers, rgb, full, s);
				done(UPSAMPLING);
			}
			outer.report(fast ? UPSAMPLING : RELAXED, 1);

			seconds.put("total", (System.nanoTime() - t0) * 1e-9);
			final SegmentationResult.Intermediates intermediates = keep ? new SegmentationResult.Intermediates(
				features, superpixelLabels, superpixelCount, eigenvalues, clusters, toImage(constrained, w, h),
				toImage(grouped.layers(), w, h), gradient) : null;
			// a regrouping's result carries the segments it started from (no copy: they are in memory anyway)
			return new SegmentationResult(layers, seconds, notes, intermediates, keep || first > 0 ? soft : null);
		}
	}

	/**
	 * The fast path's last step: the layers computed at the working resolution ({@code rgb}'s size)
	 * brought to the size of {@code full} by {@link GuidedUpsampling} (skipped when the sizes are
	 * equal), then {@link LayerCleanup#softThreshold} with {@link Settings#cleanupThreshold} (both
	 * timed as the {@link #UPSAMPLING} stage).
	 */
	public static PlanarImage finish(final PlanarImage layers, final PlanarImage rgb, final PlanarImage full,
		final Settings s)
	{
		final boolean same = full.width() == rgb.width() && full.height() == rgb.height();
		final PlanarImage upsampled = same ? layers : GuidedUpsampling.upsample(layers, rgb, full,
			s.upsamplingWindow, s.upsamplingEpsilon);
		return LayerCleanup.softThreshold(upsampled, s.cleanupThreshold);
	}

	/** The fewest pixels per superpixel: caps the superpixel count of small (or working-resolution) images. */
	public static final int PIXELS_PER_SUPERPIXEL = 16;

	/**
	 * Superpixels requested for an image of {@code pixels} pixels: the settings' count, at most one
	 * per {@link #PIXELS_PER_SUPERPIXEL} pixels (at least 4).
	 */
	public static int superpixelCount(final int pixels, final Settings s) {
		return Math.min(s.superpixels, Math.max(4, pixels / PIXELS_PER_SUPERPIXEL));
	}

	/**
	 * The Laplacian of the image at the resolution given (spec §3.3–3.6): matting, semantic and
	 * non-local colour affinities with the settings' weights.
	 *
	 * @param rgb the image (3 channels, values in [0, 1])
	 * @param features its 3-channel guidance features ({@link #guidanceFeatures})
	 * @param graph its superpixels
	 */
	public static SparseMatrix laplacian(final PlanarImage rgb, final PlanarImage features, final SuperpixelGraph graph,
		final Settings s, final Progress progress)
	{
		final SparseMatrix wL = MattingAffinity.compute(rgb, s.mattingEpsilon);
		progress.checkpoint(AFFINITIES, 0.7);
		final SparseMatrix wS = SemanticAffinity.compute(rgb.pixels(), graph.representative(), graph.pairFirst(),
			graph.pairSecond(), graph.regionMeans(features), s.semanticSteepness, s.semanticCenter);
		final SparseMatrix wC = ColorAffinity.compute(rgb.width(), rgb.height(), graph.representative(),
			graph.regionMeans(rgb), s.colorSteepness, s.colorCenter, s.colorRadius);
		progress.checkpoint(AFFINITIES, 0.9);
		return LaplacianAssembly.assemble(wL, wS, wC, s.mattingWeight, s.semanticWeight, s.colorWeight);
	}

	/**
	 * The 3-channel features the pipeline works with (spec §3.1): colour-only features
	 * ({@link ColorFeatures}) when {@code features} is null, a 3-channel feature image as given, more
	 * channels preprocessed (clamp, guided filter, PCA to 3, min–max) with the settings' constants.
	 * Also what the front ends show as the features' PCA visualisation.
	 *
	 * @param rgb the image (3 channels, values in [0, 1])
	 * @param features null, or a feature image of the same size
	 */
	public static PlanarImage guidanceFeatures(final PlanarImage rgb, final PlanarImage features, final Settings s,
		final Progress progress)
	{
		if (features == null) return ColorFeatures.fromImage(rgb);
		if (features.channels() == 3) return features;
		return FeaturePreprocessing.preprocess(features, rgb, s.featureClamp, s.guidedFilterWindow, s.guidedFilterEpsilon,
			progress == null ? Progress.NONE : progress);
	}

	/**
	 * Initial hard clusters of 3-channel features by the splitting k-means (spec §3.8) with the
	 * settings' replicates and iterations.
	 */
	public static int[] initialClusters(final PlanarImage features, final int count, final Settings s,
		final long seed, final Progress progress)
	{
		final int n = features.pixels();
		final double[] points = new double[n * 3];
		for (int c = 0; c < 3; c++) {
			final float[] f = features.plane(c);
			for (int i = 0; i < n; i++) points[3 * i + c] = f[i];
		}
		return SplittingKMeans.cluster(points, n, 3, count, Math.min(5, count), s.kmeansReplicates, s.kmeansIterations,
			REFINE_BELOW, seed, progress);
	}

	/**
	 * Constrained sparsification (spec §3.9) of the basis from hard clusters 0..C−1; on the fast
	 * path with {@link Settings#sampledGrams}, accelerated (sampled Grams, exact last iteration).
	 */
	public static double[][] constrained(final SpectralBasis basis, final SparseMatrix laplacian, final int[] clusters,
		final Settings s, final Progress progress)
	{
		int count = 0;
		for (final int c : clusters) count = Math.max(count, c + 1);
		final ConstrainedSparsification.Params params = new ConstrainedSparsification.Params(s.constrainedGamma,
			s.constrainedW0, s.constrainedW1, s.constrainedIterations, s.removalThreshold,
			ConstrainedSparsification.Params.DEFAULTS.clamp(), ConstrainedSparsification.Params.DEFAULTS.eigenvalueWeight());
		final ConstrainedSparsification.Acceleration acceleration = s.mode == Settings.Mode.FAST && s.sampledGrams
			? ConstrainedSparsification.Acceleration.FAST.withSeed(s.seed).withSamplesPerVector(s.gramSamplesPerVector)
			: ConstrainedSparsification.Acceleration.NONE;
		return ConstrainedSparsification.run(basis, laplacian, clusters, count, params, acceleration, progress).layers();
	}

	/**
	 * The grouping of the constrained layers into {@link Settings#layers} (spec §3.10): the
	 * reference grouping, or on the fast path with {@link Settings#massWeightedGrouping} the
	 * mass-weighted one, after {@link AffinityPreMerge} down to 2K groups when
	 * {@link Settings#affinityPreMerge} is set.
	 */
	public static LayerGrouping.Result group(final double[][] constrained, final SparseMatrix laplacian,
		final PlanarImage features, final Settings s)
	{
		if (s.mode != Settings.Mode.FAST || !s.massWeightedGrouping) {
			return LayerGrouping.groupWithIds(constrained, features, s.layers, s.seed);
		}
		final int target = 2 * s.layers;
		if (!s.affinityPreMerge || constrained.length <= target) {
			return MassWeightedGrouping.group(constrained, features, s.layers, MassWeightedGrouping.REPLICATES, s.seed);
		}
		final int[] pre = AffinityPreMerge.merge(constrained, laplacian, target);
		final double[][] merged = LayerGrouping.sumGroups(constrained, pre, target);
		final LayerGrouping.Result second = MassWeightedGrouping.group(merged, features, s.layers,
			MassWeightedGrouping.REPLICATES, s.seed);
		final int[] ids = new int[constrained.length];
		for (int k = 0; k < ids.length; k++) ids[k] = second.ids()[pre[k]];
		return new LayerGrouping.Result(ids, LayerGrouping.sumGroups(constrained, ids, second.groups()));
	}

	/** The relaxed sparsification's parameters (spec §3.12) from the settings. */
	public static RelaxedSparsification.Params relaxedParams(final Settings s) {
		final RelaxedSparsification.Params d = RelaxedSparsification.Params.DEFAULTS;
		return new RelaxedSparsification.Params(s.relaxedSigmaS, s.relaxedSigmaF, s.relaxedDelta, s.relaxedGammaBase,
			s.relaxedGammaCap, d.clamp(), d.lowCut(), d.highCut(), s.relaxedIterations, s.relaxedCgIterations,
			s.relaxedFinalCgIterations, s.relaxedTolerance);
	}

	/** {@code weight·m} (the matrix itself when the weight is 1). */
	private static SparseMatrix scaled(final SparseMatrix m, final double weight) {
		if (weight == 1) return m;
		final double[] v = m.values().clone();
		for (int i = 0; i < v.length; i++) v[i] *= weight;
		return new SparseMatrix(m.size(), m.rowStart(), m.columns(), v);
	}

	/** Layers {@code [K][N]} in double as a K-channel float image. */
	public static PlanarImage toImage(final double[][] layers, final int w, final int h) {
		final float[][] planes = new float[layers.length][w * h];
		for (int k = 0; k < layers.length; k++) {
			for (int i = 0; i < w * h; i++) planes[k][i] = (float) layers[k][i];
		}
		return new PlanarImage(w, h, planes);
	}
}
