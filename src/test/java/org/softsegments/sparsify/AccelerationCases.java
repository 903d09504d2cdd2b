package org.softsegments.sparsify;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.softsegments.affinity.ColorAffinity;
import org.softsegments.affinity.LaplacianAssembly;
import org.softsegments.affinity.MattingAffinity;
import org.softsegments.affinity.SemanticAffinity;
import org.softsegments.bench.BenchCase;
import org.softsegments.demo.SyntheticScene;
import org.softsegments.core.Progress;
import org.softsegments.engine.SemanticSoftSegmentation;
import org.softsegments.engine.Settings;
import org.softsegments.features.ColorFeatures;
import org.softsegments.image.PlanarImage;
import org.softsegments.linalg.ShiftInvertEigensolver;
import org.softsegments.linalg.SparseMatrix;
import org.softsegments.linalg.SpectralBasis;
import org.softsegments.superpixels.Slico;
import org.softsegments.superpixels.SuperpixelGraph;

/**
 * Inputs of the constrained sparsification built with the engine's public stages in the order of
 * {@code SemanticSoftSegmentation.execute} (colour features, paper settings), for the
 * acceleration benchmark: synthetic scenes with known alphas ({@code synth:WxH}) and matting
 * cases of {@code ../shared/data/eval-dev} resized to a given width ({@code am:GT01@320}). The
 * Laplacian, eigenbasis and initial clusters are cached in a folder (the eigensolver costs ~15 s
 * at 320×240). Not a test.
 */
final class AccelerationCases {

	/** One prepared case: everything the constrained and later stages need, plus true alphas. */
	record Case(String name, PlanarImage image, PlanarImage features, float[][] targets, SparseMatrix laplacian,
		SpectralBasis basis, int[] clusters, int count)
	{
		int width() {
			return image.width();
		}

		int height() {
			return image.height();
		}
	}

	private AccelerationCases() {}

	/**
	 * Builds (or reads from {@code cache}) the case named {@code spec}: {@code synth:WxH} or
	 * {@code am:<case>@<width>} (a case folder under {@code data}/alphamatting).
	 */
	static Case load(final String spec, final Path data, final Path cache) throws IOException {
		final PlanarImage image;
		final float[][] targets;
		if (spec.startsWith("synth:")) {
			final String[] s = spec.substring(6).split("x");
			final int w = Integer.parseInt(s[0]), h = Integer.parseInt(s[1]);
			final SyntheticScene scene = SyntheticScene.create(w, h, Math.max(1.5, Math.min(w, h) / 60.0), 7);
			image = scene.image();
			targets = scene.alphas();
		}
		else if (spec.startsWith("am:")) {
			final String[] s = spec.substring(3).split("@");
			final BenchCase c = BenchCase.discover(data.resolve("alphamatting").resolve(s[0])).get(0);
			final int width = Integer.parseInt(s[1]);
			final int w0 = org.softsegments.io.ImageFiles.read(c.image()).width();
			final BenchCase.Loaded loaded = c.load(width / (double) w0);
			image = loaded.image();
			targets = new float[][] { loaded.alpha() };
		}
		else {
			throw new IllegalArgumentException("case must be synth:WxH or am:GTnn@width, got " + spec);
		}
		final PlanarImage features = ColorFeatures.fromImage(image);
		final Path file = cache.resolve(spec.replaceAll("[^A-Za-z0-9]", "_") + ".bin");
		if (Files.isRegularFile(file)) {
			try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 20))) {
				final SparseMatrix l = readMatrix(in);
				final int m = in.readInt(), n = in.readInt();
				final double[] values = new double[m];
				for (int j = 0; j < m; j++) values[j] = in.readDouble();
				final double[][] vectors = new double[m][n];
				for (int j = 0; j < m; j++) for (int p = 0; p < n; p++) vectors[j][p] = in.readDouble();
				final int count = in.readInt();
				final int[] clusters = new int[n];
				for (int p = 0; p < n; p++) clusters[p] = in.readInt();
				return new Case(spec, image, features, targets, l, new SpectralBasis(vectors, values), clusters, count);
			}
		}
		final long t0 = System.nanoTime();
		final Case built = build(spec, image, targets, new Settings().eigenvectors);
		final SparseMatrix laplacian = built.laplacian();
		final SpectralBasis basis = built.basis();
		final int[] clusters = built.clusters();
		final int count = built.count();
		final int w = image.width(), h = image.height(), n = image.pixels();
		System.err.printf("prepared %s (%dx%d) in %.1f s%n", spec, w, h, (System.nanoTime() - t0) * 1e-9);
		Files.createDirectories(cache);
		final Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
		try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20))) {
			writeMatrix(out, laplacian);
			out.writeInt(basis.size());
			out.writeInt(n);
			for (final double v : basis.values()) out.writeDouble(v);
			for (final double[] v : basis.vectors()) for (final double x : v) out.writeDouble(x);
			out.writeInt(count);
			for (final int c : clusters) out.writeInt(c);
		}
		Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
		return new Case(spec, image, features, targets, laplacian, basis, clusters, count);
	}

	/**
	 * Builds a case from an image (colour features, paper settings, {@code eigenvectors} basis
	 * vectors) in the order of {@code SemanticSoftSegmentation.execute}.
	 */
	static Case build(final String name, final PlanarImage image, final float[][] targets, final int eigenvectors) {
		final Settings s = new Settings();
		final PlanarImage features = ColorFeatures.fromImage(image);
		final int w = image.width(), h = image.height(), n = image.pixels();
		final int requested = Math.min(s.superpixels, Math.max(4, n / 16));
		final int[] labels = Slico.segment(image, requested, s.slicCompactness, s.slicIterations, Progress.NONE);
		final SuperpixelGraph graph = SuperpixelGraph.build(labels, w, h);
		final SparseMatrix wL = MattingAffinity.compute(image, s.mattingEpsilon);
		final SparseMatrix wS = SemanticAffinity.compute(n, graph.representative(), graph.pairFirst(), graph.pairSecond(),
			graph.regionMeans(features), s.semanticSteepness, s.semanticCenter);
		final SparseMatrix wC = ColorAffinity.compute(w, h, graph.representative(), graph.regionMeans(image), s.colorSteepness,
			s.colorCenter, s.colorRadius);
		final SparseMatrix laplacian = LaplacianAssembly.assemble(wL, wS, wC, s.mattingWeight, s.semanticWeight,
			s.colorWeight);
		final SpectralBasis basis = ShiftInvertEigensolver.smallestMagnitude(laplacian, eigenvectors, s.seed, Progress.NONE);
		final int[] clusters = SemanticSoftSegmentation.initialClusters(features, s.initialClusters, s, s.seed,
			Progress.NONE);
		int count = 0;
		for (final int c : clusters) count = Math.max(count, c + 1);
		return new Case(name, image, features, targets, laplacian, basis, clusters, count);
	}

	/** All listed cases. */
	static List<Case> loadAll(final List<String> specs, final Path data, final Path cache) throws IOException {
		final java.util.ArrayList<Case> out = new java.util.ArrayList<>();
		for (final String s : specs) out.add(load(s, data, cache));
		return out;
	}

	private static void writeMatrix(final DataOutputStream out, final SparseMatrix a) throws IOException {
		out.writeInt(a.size());
		out.writeInt(a.columns().length);
		for (final int v : a.rowStart()) out.writeInt(v);
		for (final int v : a.columns()) out.writeInt(v);
		for (final double v : a.values()) out.writeDouble(v);
	}

	private static SparseMatrix readMatrix(final DataInputStream in) throws IOException {
		final int n = in.readInt(), nnz = in.readInt();
		final int[] rowStart = new int[n + 1];
		for (int i = 0; i <= n; i++) rowStart[i] = in.readInt();
		final int[] columns = new int[nnz];
		for (int i = 0; i < nnz; i++) columns[i] = in.readInt();
		final double[] values = new double[nnz];
		for (int i = 0; i < nnz; i++) values[i] = in.readDouble();
		return new SparseMatrix(n, rowStart, columns, values);
	}
}
