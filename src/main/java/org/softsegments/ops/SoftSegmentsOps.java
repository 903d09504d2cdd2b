package org.softsegments.ops;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.IntegerType;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.integer.IntType;
import net.imglib2.type.numeric.real.FloatType;

import org.softsegments.affinity.ColorAffinity;
import org.softsegments.affinity.LaplacianAssembly;
import org.softsegments.affinity.MattingAffinity;
import org.softsegments.affinity.SemanticAffinity;
import org.softsegments.engine.PipelineInputs;
import org.softsegments.core.Progress;
import org.softsegments.engine.SemanticSoftSegmentation;
import org.softsegments.engine.Settings;
import org.softsegments.features.FeaturePreprocessing;
import org.softsegments.image.ImgLib2Images;
import org.softsegments.image.PlanarImage;
import org.softsegments.linalg.ShiftInvertEigensolver;
import org.softsegments.linalg.SparseMatrix;
import org.softsegments.linalg.SpectralBasis;
import org.softsegments.linalg.SplittingKMeans;
import org.softsegments.sparsify.ConstrainedSparsification;
import org.softsegments.sparsify.ImageGradient;
import org.softsegments.sparsify.LayerGrouping;
import org.softsegments.sparsify.RelaxedSparsification;
import org.softsegments.superpixels.Slico;
import org.softsegments.superpixels.SuperpixelGraph;

/**
 * The pipeline's stages as SciJava Ops (indexed at compile time into {@code ops.yaml} by
 * scijava-ops-indexer), on ImgLib2 images: images are {@code X×Y} or {@code X×Y×C}, integer
 * types scaled to [0,1], label images {@code X×Y} with labels 0..S−1. Matrices are the engine's
 * {@link SparseMatrix}. Each op is a thin wrapper around the engine class named in its doc; the
 * constants are the paper's (see {@link Settings}).
 */
public final class SoftSegmentsOps {

	private SoftSegmentsOps() {}

	/**
	 * The whole pipeline with colour-only features (paper defaults on the fast path, as
	 * {@code new Settings()}).
	 *
	 * @param image the RGB or grey image
	 * @param layers the number of layers K
	 * @param seed the seed of the random stages
	 * @return the layers, X×Y×K
	 * @implNote op names='sss.softSegments'
	 */
	public static <T extends RealType<T>> Img<FloatType> softSegments(final RandomAccessibleInterval<T> image,
		final Integer layers, final Long seed)
	{
		final Settings s = new Settings();
		s.layers = layers;
		s.seed = seed;
		return ImgLib2Images.toImg(SemanticSoftSegmentation.run(rgb(image), null, s, Progress.NONE, false).layers());
	}

	/**
	 * The whole pipeline with a feature image (3 channels used as given, more preprocessed; fast
	 * path, paper defaults).
	 *
	 * @param image the RGB or grey image
	 * @param features the feature image, X×Y×D
	 * @param layers the number of layers K
	 * @param seed the seed of the random stages
	 * @return the layers, X×Y×K
	 * @implNote op names='sss.softSegments'
	 */
	public static <T extends RealType<T>, F extends RealType<F>> Img<FloatType> softSegmentsWithFeatures(
		final RandomAccessibleInterval<T> image, final RandomAccessibleInterval<F> features, final Integer layers,
		final Long seed)
	{
		final Settings s = new Settings();
		s.layers = layers;
		s.seed = seed;
		return ImgLib2Images.toImg(SemanticSoftSegmentation.run(rgb(image), ImgLib2Images.toPlanar(features, false), s,
			Progress.NONE, false).layers());
	}

	/**
	 * Raw network features to 3 channels: clamp, guided filter, PCA, min–max (spec §3.1).
	 *
	 * @param features the raw features, X×Y×D with D greater than 3
	 * @param image the guide image (RGB)
	 * @return the preprocessed features, X×Y×3 in [0,1]
	 * @implNote op names='sss.preprocessFeatures'
	 */
	public static <F extends RealType<F>, T extends RealType<T>> Img<FloatType> preprocessFeatures(
		final RandomAccessibleInterval<F> features, final RandomAccessibleInterval<T> image)
	{
		return ImgLib2Images.toImg(FeaturePreprocessing.preprocess(ImgLib2Images.toPlanar(features, false), rgb(image),
			Progress.NONE));
	}

	/**
	 * SLICO superpixels (spec §3.2).
	 *
	 * @param image the RGB or grey image
	 * @param count the requested number of superpixels
	 * @return the labels 0..S−1, X×Y
	 * @implNote op names='sss.superpixels'
	 */
	public static <T extends RealType<T>> Img<IntType> superpixels(final RandomAccessibleInterval<T> image,
		final Integer count)
	{
		final PlanarImage rgb = rgb(image);
		final Settings s = new Settings();
		return ImgLib2Images.labels(Slico.segment(rgb, count, s.slicCompactness, s.slicIterations, Progress.NONE), rgb
			.width(), rgb.height());
	}

	/**
	 * Closed-form matting affinity W_L with 3×3 windows (spec §3.3).
	 *
	 * @param image the RGB or grey image
	 * @param epsilon the regularisation ε (1e-7 in the paper)
	 * @return the N×N affinity matrix, pixel index x + y·width
	 * @implNote op names='sss.mattingAffinity'
	 */
	public static <T extends RealType<T>> SparseMatrix mattingAffinity(final RandomAccessibleInterval<T> image,
		final Double epsilon)
	{
		return MattingAffinity.compute(rgb(image), epsilon);
	}

	/**
	 * Semantic affinity between adjacent superpixels, placed at their representative pixels
	 * (spec §3.4, §4), with the paper's steepness 20 and centre 0.85.
	 *
	 * @param labels the superpixel labels 0..S−1, X×Y
	 * @param features the 3-channel features, X×Y×3
	 * @return the N×N affinity matrix
	 * @implNote op names='sss.semanticAffinity'
	 */
	public static <L extends IntegerType<L>, F extends RealType<F>> SparseMatrix semanticAffinity(
		final RandomAccessibleInterval<L> labels, final RandomAccessibleInterval<F> features)
	{
		final PlanarImage f = ImgLib2Images.toPlanar(features, false);
		final SuperpixelGraph g = SuperpixelGraph.build(ImgLib2Images.labelArray(labels), f.width(), f.height());
		final Settings s = new Settings();
		return SemanticAffinity.compute(f.pixels(), g.representative(), g.pairFirst(), g.pairSecond(), g.regionMeans(f),
			s.semanticSteepness, s.semanticCenter);
	}

	/**
	 * Non-local colour affinity between superpixels within 20 % of the image size (spec §3.5,
	 * §4), steepness 50 and centre 0.95.
	 *
	 * @param labels the superpixel labels 0..S−1, X×Y
	 * @param image the RGB or grey image
	 * @return the N×N affinity matrix
	 * @implNote op names='sss.colorAffinity'
	 */
	public static <L extends IntegerType<L>, T extends RealType<T>> SparseMatrix colorAffinity(
		final RandomAccessibleInterval<L> labels, final RandomAccessibleInterval<T> image)
	{
		final PlanarImage rgb = rgb(image);
		final SuperpixelGraph g = SuperpixelGraph.build(ImgLib2Images.labelArray(labels), rgb.width(), rgb.height());
		final Settings s = new Settings();
		return ColorAffinity.compute(rgb.width(), rgb.height(), g.representative(), g.regionMeans(rgb),
			s.colorSteepness, s.colorCenter, s.colorRadius);
	}

	/**
	 * The graph Laplacian L = D − W of W = W_L + 0.01·W_S + 0.01·W_C (spec §3.6).
	 *
	 * @param matting the matting affinity W_L
	 * @param semantic the semantic affinity W_S
	 * @param color the non-local colour affinity W_C
	 * @return the Laplacian
	 * @implNote op names='sss.laplacian'
	 */
	public static SparseMatrix laplacian(final SparseMatrix matting, final SparseMatrix semantic,
		final SparseMatrix color)
	{
		final Settings s = new Settings();
		return LaplacianAssembly.assemble(matting, semantic, color, s.mattingWeight, s.semanticWeight, s.colorWeight);
	}

	/**
	 * The eigenpairs of smallest magnitude of a symmetric sparse matrix (spec §3.7).
	 *
	 * @param laplacian the Laplacian
	 * @param count the number of eigenpairs
	 * @param seed the seed of the Lanczos start vector
	 * @return the eigenvectors and eigenvalues
	 * @implNote op names='sss.eigenpairs'
	 */
	public static SpectralBasis eigenpairs(final SparseMatrix laplacian, final Integer count, final Long seed) {
		return ShiftInvertEigensolver.smallestMagnitude(laplacian, count, seed, Progress.NONE);
	}

	/**
	 * Initial hard clusters of the 3-channel features by the splitting k-means (spec §3.8).
	 *
	 * @param features the 3-channel features, X×Y×3
	 * @param count the number of clusters (40 in the paper)
	 * @param seed the seed
	 * @return the cluster labels 0..count−1, X×Y
	 * @implNote op names='sss.initialClusters'
	 */
	public static <F extends RealType<F>> Img<IntType> initialClusters(final RandomAccessibleInterval<F> features,
		final Integer count, final Long seed)
	{
		final PlanarImage f = ImgLib2Images.toPlanar(features, false);
		return ImgLib2Images.labels(SemanticSoftSegmentation.initialClusters(f, count, new Settings(), seed,
			Progress.NONE), f.width(), f.height());
	}

	/**
	 * Constrained sparsification of the spectral basis from initial hard clusters (spec §3.9).
	 *
	 * @param basis the spectral basis
	 * @param laplacian the Laplacian the basis came from
	 * @param clusters the initial cluster labels 0..C−1, X×Y
	 * @return the soft layers that survive, X×Y×M (M layers)
	 * @implNote op names='sss.constrainedSparsification'
	 */
	public static <L extends IntegerType<L>> Img<FloatType> constrainedSparsification(final SpectralBasis basis,
		final SparseMatrix laplacian, final RandomAccessibleInterval<L> clusters)
	{
		final int[] labels = ImgLib2Images.labelArray(clusters);
		final double[][] layers = SemanticSoftSegmentation.constrained(basis, laplacian, labels, Settings
			.reference(), Progress.NONE);
		return ImgLib2Images.toImg(SemanticSoftSegmentation.toImage(layers, (int) clusters.dimension(0), (int) clusters
			.dimension(1)));
	}

	/**
	 * Groups soft layers into K by k-means on their feature signatures (spec §3.10).
	 *
	 * @param layers the soft layers, X×Y×M (M layers)
	 * @param features the 3-channel features, X×Y×3
	 * @param groups the number of groups K
	 * @param seed the seed
	 * @return the grouped layers, X×Y×K
	 * @implNote op names='sss.groupLayers'
	 */
	public static <A extends RealType<A>, F extends RealType<F>> Img<FloatType> groupLayers(
		final RandomAccessibleInterval<A> layers, final RandomAccessibleInterval<F> features, final Integer groups,
		final Long seed)
	{
		final PlanarImage l = ImgLib2Images.toPlanar(layers, false);
		final double[][] grouped = LayerGrouping.group(toDouble(l), ImgLib2Images.toPlanar(features, false), groups,
			seed);
		return ImgLib2Images.toImg(SemanticSoftSegmentation.toImage(grouped, l.width(), l.height()));
	}

	/**
	 * Gradient magnitude with the 13-tap Farid–Simoncelli filters (spec §3.11).
	 *
	 * @param image the image
	 * @return the gradient magnitude, X×Y
	 * @implNote op names='sss.imageGradient'
	 */
	public static <T extends RealType<T>> Img<FloatType> imageGradient(final RandomAccessibleInterval<T> image) {
		final PlanarImage img = ImgLib2Images.toPlanar(image);
		final float[] g = ImageGradient.magnitude(img);
		return ImgLib2Images.toImg(new PlanarImage(img.width(), img.height(), new float[][] { g }));
	}

	/**
	 * Relaxed sparsification of grouped layers (spec §3.12).
	 *
	 * @param layers the grouped layers, X×Y×K
	 * @param laplacian the Laplacian
	 * @param gradient the image gradient magnitude, X×Y
	 * @return the final layers, X×Y×K
	 * @implNote op names='sss.relaxedSparsification'
	 */
	public static <A extends RealType<A>, G extends RealType<G>> Img<FloatType> relaxedSparsification(
		final RandomAccessibleInterval<A> layers, final SparseMatrix laplacian, final RandomAccessibleInterval<G> gradient)
	{
		final PlanarImage l = ImgLib2Images.toPlanar(layers, false);
		final float[] g = ImgLib2Images.toPlanar(gradient, false).plane(0);
		final double[][] out = RelaxedSparsification.run(toDouble(l), laplacian, g, SemanticSoftSegmentation
			.relaxedParams(new Settings()), Progress.NONE);
		return ImgLib2Images.toImg(SemanticSoftSegmentation.toImage(out, l.width(), l.height()));
	}

	private static <T extends RealType<T>> PlanarImage rgb(final RandomAccessibleInterval<T> image) {
		return PipelineInputs.rgb(ImgLib2Images.toPlanar(image));
	}

	private static double[][] toDouble(final PlanarImage img) {
		final double[][] out = new double[img.channels()][img.pixels()];
		for (int c = 0; c < img.channels(); c++) {
			final float[] p = img.plane(c);
			for (int i = 0; i < p.length; i++) out[c][i] = p[i];
		}
		return out;
	}
}
