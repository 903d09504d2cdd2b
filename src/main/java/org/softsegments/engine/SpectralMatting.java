package org.softsegments.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.softsegments.affinity.LaplacianAssembly;
import org.softsegments.affinity.MattingAffinity;
import org.softsegments.core.Parallel;
import org.softsegments.core.Progress;
import org.softsegments.features.ColorFeatures;
import org.softsegments.image.PlanarImage;
import org.softsegments.linalg.ShiftInvertEigensolver;
import org.softsegments.linalg.SparseMatrix;
import org.softsegments.linalg.SpectralBasis;
import org.softsegments.linalg.SplittingKMeans;
import org.softsegments.sparsify.ConstrainedSparsification;
import org.softsegments.sparsify.LayerGrouping;

/**
 * Plain spectral matting (Levin, Rav-Acha, Lischinski, "Spectral Matting", PAMI 2008), the
 * baseline of the paper's comparisons, as described in spec §3.13 ({@code SpectralMatting}):
 * <ol>
 * <li>matting Laplacian only ({@link MattingAffinity}, ε = {@link Settings#mattingEpsilon};
 * no semantic or non-local colour terms);</li>
 * <li>the {@link Params#eigenvectors} (50) eigenvectors of smallest |λ|
 * ({@link ShiftInvertEigensolver}, ascending |λ|);</li>
 * <li>{@link Params#components} (20) initial hard components by the same splitting k-means as
 * the main pipeline ({@link SplittingKMeans}: 5 start clusters, {@link Settings#kmeansReplicates}
 * replicates, {@link Settings#kmeansIterations} iterations, global refinement below 13 clusters)
 * on eigenvectors 2…21 (ascending |λ|; the first, near-constant one is skipped), each scaled by
 * {@code 1/sqrt(|λ|)};</li>
 * <li>constrained sparsification ({@link ConstrainedSparsification}) with γ = 0.8 and 20
 * iterations, w0, w1 and the removal threshold from the settings;</li>
 * <li>grouping to {@link Settings#layers} layers by {@link LayerGrouping}, whose signature is the
 * α-weighted mean of the image's <b>colour</b> features ({@link ColorFeatures}: CIE L*a*b* / 100),
 * the same features the colour-only pipeline uses. No relaxed sparsification.</li>
 * </ol>
 * Stage names and timings use the main pipeline's names ({@link SemanticSoftSegmentation#AFFINITIES}
 * etc.) so benchmark tables line up.
 * <p>
 * Layers are removed on iterations 6, 11 and 16 as in spec §3.13. Deviations: (a) an eigenvalue
 * of magnitude below {@value #EIGENVALUE_FLOOR} is raised to it before the {@code 1/sqrt(|λ|)}
 * scaling (the reference would divide by zero for a disconnected image). (b) Grouping uses
 * colour features (the paper's comparison figures group with the semantic features; here the baseline stays free of them). (c) k-means random streams differ from
 * MATLAB's (seeded by {@link Settings#seed}).
 */
public final class SpectralMatting {

	/** Smallest |λ| used in the {@code 1/sqrt(|λ|)} scaling of the k-means coordinates. */
	public static final double EIGENVALUE_FLOOR = 1e-30;

	/** The splitting k-means refines globally while it has fewer clusters than this (spec §3.8). */
	private static final int REFINE_BELOW = 13;

	private static final String[] STAGES = { SemanticSoftSegmentation.AFFINITIES, SemanticSoftSegmentation.EIGENVECTORS,
		SemanticSoftSegmentation.INITIAL_CLUSTERS, SemanticSoftSegmentation.CONSTRAINED, SemanticSoftSegmentation.GROUPING };
	private static final double[] STAGE_WEIGHTS = { 0.05, 0.35, 0.1, 0.48, 0.02 };

	/**
	 * Spectral matting's own constants (spec §3.13).
	 *
	 * @param eigenvectors eigenvectors of smallest |λ| (50)
	 * @param components initial hard components (20); eigenvectors 2…components+1 are clustered
	 * @param gamma sparsity exponent of the constrained sparsification (0.8)
	 * @param iterations iterations of the constrained sparsification (20)
	 */
	public record Params(int eigenvectors, int components, double gamma, int iterations) {

		/** Spec §3.13 values. */
		public static final Params DEFAULTS = new Params(50, 20, 0.8, 20);

		public Params {
			if (components < 2) throw new IllegalArgumentException("Spectral matting needs at least 2 components, got " +
				components);
			if (eigenvectors < components + 1) {
				throw new IllegalArgumentException("Spectral matting clusters eigenvectors 2…" + (components + 1) +
					", so it needs at least " + (components + 1) + " eigenvectors, got " + eigenvectors);
			}
			if (!(gamma > 0 && gamma < 2)) throw new IllegalArgumentException("gamma must be in (0, 2), got " + gamma);
			if (iterations < 1) throw new IllegalArgumentException("iterations must be >= 1, got " + iterations);
		}
	}

	private SpectralMatting() {}

	/** Spectral matting with the spec's constants ({@link Params#DEFAULTS}). */
	public static SegmentationResult run(final PlanarImage image, final Settings settings, final Progress progress) {
		return run(image, settings, Params.DEFAULTS, progress);
	}

	/**
	 * Runs spectral matting.
	 *
	 * @param image RGB (3 channels) or grey (1 channel) image, values in [0,1]
	 * @param settings used: layers, seed, threads, mattingEpsilon, kmeansReplicates,
	 *          kmeansIterations, constrainedW0, constrainedW1, removalThreshold (validated, not
	 *          modified)
	 * @param params spectral matting's own constants
	 * @param progress progress and cancellation (null = none)
	 * @return the grouped layers (no intermediates), stage times and notes
	 * @throws IllegalArgumentException for bad input or settings
	 * @throws org.softsegments.core.SegmentationCancelledException when cancelled
	 */
	public static SegmentationResult run(final PlanarImage image, final Settings settings, final Params params,
		final Progress progress)
	{
		final Settings s = settings.copy().validate();
		final PlanarImage rgb = PipelineInputs.rgb(image);
		if (2L * params.eigenvectors() >= rgb.pixels()) {
			throw new IllegalArgumentException("Image has " + rgb.pixels() + " pixels: too few for " +
				params.eigenvectors() + " eigenvectors (need more than twice as many pixels)");
		}
		final Progress p = progress == null ? Progress.NONE : progress;
		return Parallel.inPool(s.threads, () -> execute(rgb, s, params, p));
	}

	private static SegmentationResult execute(final PlanarImage rgb, final Settings s, final Params params,
		final Progress outer)
	{
		final long t0 = System.nanoTime();
		final Map<String, Double> seconds = new LinkedHashMap<>();
		final List<String> notes = new ArrayList<>();
		final int w = rgb.width(), h = rgb.height(), n = rgb.pixels();

		long start = System.nanoTime();
		Progress p = stage(outer, 0);
		final SparseMatrix wL = MattingAffinity.compute(rgb, s.mattingEpsilon);
		final SparseMatrix laplacian = LaplacianAssembly.assemble(wL, null, null, 1, 0, 0);
		start = done(seconds, 0, start);

		p = stage(outer, 1);
		final SpectralBasis basis = ShiftInvertEigensolver.smallestMagnitude(laplacian, params.eigenvectors(), s.seed, p);
		start = done(seconds, 1, start);

		p = stage(outer, 2);
		final int dim = params.components();
		final double[] points = new double[n * dim];
		final double[] values = basis.values();
		for (int j = 0; j < dim; j++) {
			final double scale = 1 / Math.sqrt(Math.max(Math.abs(values[j + 1]), EIGENVALUE_FLOOR));
			final double[] v = basis.vector(j + 1);
			for (int i = 0; i < n; i++) points[i * dim + j] = v[i] * scale;
		}
		final int[] clusters = SplittingKMeans.cluster(points, n, dim, params.components(),
			Math.min(5, params.components()), s.kmeansReplicates, s.kmeansIterations, REFINE_BELOW, s.seed, p);
		int count = 0;
		for (final int c : clusters) count = Math.max(count, c + 1);
		if (count < params.components()) {
			notes.add("The splitting k-means found only " + count + " of " + params.components() + " initial components");
		}
		start = done(seconds, 2, start);

		p = stage(outer, 3);
		final double[][] constrained = ConstrainedSparsification.run(basis, laplacian, clusters, count,
			new ConstrainedSparsification.Params(params.gamma(), s.constrainedW0, s.constrainedW1, params.iterations(),
				s.removalThreshold, ConstrainedSparsification.Params.DEFAULTS.clamp(),
				ConstrainedSparsification.Params.DEFAULTS.eigenvalueWeight()), p);
		start = done(seconds, 3, start);

		stage(outer, 4);
		if (constrained.length < s.layers) {
			notes.add("The constrained sparsification left " + constrained.length + " layers, fewer than the " + s.layers +
				" requested: the result has " + constrained.length + " layers");
		}
		final double[][] grouped = LayerGrouping.group(constrained, ColorFeatures.fromImage(rgb), s.layers, s.seed);
		done(seconds, 4, start);
		outer.report(SemanticSoftSegmentation.GROUPING, 1);
		seconds.put("total", (System.nanoTime() - t0) * 1e-9);
		return new SegmentationResult(SemanticSoftSegmentation.toImage(grouped, w, h), seconds, notes, null, null);
	}

	/** Progress of stage {@code i}, mapped to the overall fraction; checks cancellation. */
	private static Progress stage(final Progress outer, final int i) {
		double from = 0;
		for (int j = 0; j < i; j++) from += STAGE_WEIGHTS[j];
		final Progress p = Progress.stage(outer, STAGES[i], from, STAGE_WEIGHTS[i]);
		p.checkpoint(STAGES[i], 0);
		return p;
	}

	private static long done(final Map<String, Double> seconds, final int i, final long start) {
		final long now = System.nanoTime();
		seconds.merge(STAGES[i], (now - start) * 1e-9, Double::sum);
		return now;
	}
}
