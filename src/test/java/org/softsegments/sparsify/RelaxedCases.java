package org.softsegments.sparsify;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.softsegments.affinity.ColorAffinity;
import org.softsegments.affinity.LaplacianAssembly;
import org.softsegments.affinity.MattingAffinity;
import org.softsegments.affinity.SemanticAffinity;
import org.softsegments.image.Resize;
import org.softsegments.demo.SyntheticScene;
import org.softsegments.core.Progress;
import org.softsegments.engine.SegmentationResult;
import org.softsegments.engine.SemanticSoftSegmentation;
import org.softsegments.engine.Settings;
import org.softsegments.features.ColorFeatures;
import org.softsegments.image.PlanarImage;
import org.softsegments.io.ImageFiles;
import org.softsegments.linalg.SparseMatrix;
import org.softsegments.superpixels.Slico;
import org.softsegments.superpixels.SuperpixelGraph;

/**
 * Real relaxed-sparsification inputs for {@link RelaxedSolverBenchmark} (not a test): the
 * image, features, superpixel labels, grouped layers and gradient of one pipeline run (paper
 * defaults, colour-only features), cached in a binary file outside the repository so that the
 * minutes-long pipeline runs once; the Laplacian is rebuilt from them with the engine's public
 * stages in the order of {@link SemanticSoftSegmentation} (seconds).
 */
final class RelaxedCases {

	/** One case: everything the relaxed sparsification needs plus the true alpha(s). */
	record Case(String name, PlanarImage rgb, PlanarImage features, int[] labels, PlanarImage grouped, float[] gradient,
		float[][] truth)
	{

		int width() {
			return rgb.width();
		}

		int height() {
			return rgb.height();
		}

		double[][] groupedDouble() {
			final double[][] out = new double[grouped.channels()][grouped.pixels()];
			for (int k = 0; k < out.length; k++) {
				final float[] p = grouped.plane(k);
				for (int i = 0; i < p.length; i++) out[k][i] = p[i];
			}
			return out;
		}

		/** The Laplacian of spec §3.6 with the default weights, from the cached labels. */
		SparseMatrix laplacian() {
			return RelaxedCases.laplacian(rgb, features, labels);
		}
	}

	private RelaxedCases() {}

	/** Laplacian of the reference pipeline from image, 3-channel features and superpixel labels. */
	static SparseMatrix laplacian(final PlanarImage rgb, final PlanarImage features, final int[] labels) {
		final Settings s = new Settings();
		final int w = rgb.width(), h = rgb.height(), n = rgb.pixels();
		final SuperpixelGraph graph = SuperpixelGraph.build(labels, w, h);
		final SparseMatrix wL = MattingAffinity.compute(rgb, s.mattingEpsilon);
		final SparseMatrix wS = SemanticAffinity.compute(n, graph.representative(), graph.pairFirst(), graph
			.pairSecond(), graph.regionMeans(features), s.semanticSteepness, s.semanticCenter);
		final SparseMatrix wC = ColorAffinity.compute(w, h, graph.representative(), graph.regionMeans(rgb),
			s.colorSteepness, s.colorCenter, s.colorRadius);
		return LaplacianAssembly.assemble(wL, wS, wC, s.mattingWeight, s.semanticWeight, s.colorWeight);
	}

	/** Laplacian of an image with colour features and fresh superpixels (for sizes without a pipeline run). */
	static SparseMatrix laplacian(final PlanarImage rgb) {
		final Settings s = new Settings();
		final int[] labels = Slico.segment(rgb, Math.min(s.superpixels, Math.max(4, rgb.pixels() / 16)),
			s.slicCompactness, s.slicIterations, Progress.NONE);
		return laplacian(rgb, ColorFeatures.fromImage(rgb), labels);
	}

	/** The 640×480 synthetic scene of the benchmark (edge width 3, seed 7). */
	static SyntheticScene scene640() {
		return SyntheticScene.create(640, 480, 3, 7);
	}

	/** Loads a cached case, or runs the pipeline on the given image and caches it. */
	static Case load(final Path dir, final String name, final PlanarImage rgb, final float[][] truth)
		throws IOException
	{
		final Path file = dir.resolve(name + ".bin");
		if (Files.exists(file)) return read(file, name, truth);
		final long t0 = System.nanoTime();
		final Settings s = Settings.reference();
		s.threads = 2;
		final SegmentationResult r = SemanticSoftSegmentation.run(rgb, null, s, Progress.NONE, true);
		System.out.printf("pipeline %s %d×%d: %.1f s%n", name, rgb.width(), rgb.height(), (System.nanoTime() - t0) *
			1e-9);
		final SegmentationResult.Intermediates im = r.intermediates();
		final Case c = new Case(name, rgb, im.features, im.superpixelLabels, im.groupedLayers, im.gradient, truth);
		Files.createDirectories(dir);
		write(file, c);
		return c;
	}

	/** The synthetic scene at 320×240 (the 640×480 scene halved) with its three true alphas. */
	static Case synthetic(final Path dir) throws IOException {
		final SyntheticScene scene = scene640();
		final PlanarImage rgb = Resize.smooth(scene.image(), 0.5);
		final PlanarImage alphas = Resize.smooth(new PlanarImage(640, 480, scene.alphas()), 0.5);
		final float[][] truth = new float[alphas.channels()][];
		for (int k = 0; k < truth.length; k++) truth[k] = alphas.plane(k);
		return load(dir, "synthetic320", rgb, truth);
	}

	/** The 640×480 synthetic scene itself (pipeline at full resolution; several minutes). */
	static Case synthetic640(final Path dir) throws IOException {
		final SyntheticScene scene = scene640();
		return load(dir, "synthetic640", scene.image(), scene.alphas());
	}

	/** An alphamatting.com photo downscaled to width 320 with its true alpha; null if absent. */
	static Case photo(final Path dir, final Path caseDir) throws IOException {
		return photo(dir, caseDir, 320);
	}

	/** An alphamatting.com photo downscaled to the given width with its true alpha; null if absent. */
	static Case photo(final Path dir, final Path caseDir, final int width) throws IOException {
		if (!Files.isDirectory(caseDir)) return null;
		final PlanarImage full = ImageFiles.read(caseDir.resolve("image.png"));
		final double f = width / (double) full.width();
		final PlanarImage rgb = Resize.smooth(full, f);
		final PlanarImage alpha = Resize.smooth(ImageFiles.read(caseDir.resolve("alpha.png")), rgb.width(), rgb
			.height());
		return load(dir, caseDir.getFileName() + "_" + width, rgb, new float[][] { alpha.plane(0) });
	}

	private static void write(final Path file, final Case c) throws IOException {
		final Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
		try (DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(tmp)))) {
			writeImage(out, c.rgb());
			writeImage(out, c.features());
			writeInts(out, c.labels());
			writeImage(out, c.grouped());
			writeFloats(out, c.gradient());
		}
		Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
	}

	private static Case read(final Path file, final String name, final float[][] truth) throws IOException {
		try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(file)))) {
			final PlanarImage rgb = readImage(in);
			final PlanarImage features = readImage(in);
			final int[] labels = readInts(in);
			final PlanarImage grouped = readImage(in);
			final float[] gradient = readFloats(in);
			return new Case(name, rgb, features, labels, grouped, gradient, truth);
		}
	}

	private static void writeImage(final DataOutputStream out, final PlanarImage img) throws IOException {
		out.writeInt(img.width());
		out.writeInt(img.height());
		out.writeInt(img.channels());
		for (int c = 0; c < img.channels(); c++) writeFloats(out, img.plane(c));
	}

	private static PlanarImage readImage(final DataInputStream in) throws IOException {
		final int w = in.readInt(), h = in.readInt(), ch = in.readInt();
		final float[][] planes = new float[ch][];
		for (int c = 0; c < ch; c++) planes[c] = readFloats(in);
		return new PlanarImage(w, h, planes);
	}

	private static void writeFloats(final DataOutputStream out, final float[] a) throws IOException {
		out.writeInt(a.length);
		for (final float v : a) out.writeFloat(v);
	}

	private static float[] readFloats(final DataInputStream in) throws IOException {
		final float[] a = new float[in.readInt()];
		for (int i = 0; i < a.length; i++) a[i] = in.readFloat();
		return a;
	}

	private static void writeInts(final DataOutputStream out, final int[] a) throws IOException {
		out.writeInt(a.length);
		for (final int v : a) out.writeInt(v);
	}

	private static int[] readInts(final DataInputStream in) throws IOException {
		final int[] a = new int[in.readInt()];
		for (int i = 0; i < a.length; i++) a[i] = in.readInt();
		return a;
	}
}
