package org.softsegments.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.softsegments.engine.PipelineInputs;
import org.softsegments.core.Progress;
import org.softsegments.engine.SemanticSoftSegmentation;
import org.softsegments.engine.Settings;
import org.softsegments.engine.SoftSegments;
import org.softsegments.eval.InstanceScores;
import org.softsegments.eval.MattingScores;
import org.softsegments.eval.OracleGrouping;
import org.softsegments.features.network.FeatureNetwork;
import org.softsegments.image.PlanarImage;
import org.softsegments.image.Resize;
import org.softsegments.sparsify.ImageGradient;
import org.softsegments.sparsify.LayerGrouping;
import org.softsegments.sparsify.RelaxedSparsification;

/**
 * Where the fast path loses quality: for every case the fast path's stages run once up to the
 * constrained sparsification (colour features, or the features of the first network method given
 * with {@code --methods}, e.g. {@code pascal-fast}; working resolution), then the same soft segments
 * are grouped several ways and each grouping is finished like the engine does (relaxed
 * sparsification, guided upsampling) and scored:
 * <ul>
 * <li>{@code fast}: the engine's fast-path grouping (its output, bit for bit);</li>
 * <li>{@code reference}: the reference grouping of spec §3.10 (k-means, one start);</li>
 * <li>{@code oracle}: {@link OracleGrouping} by the true alpha (matting cases only), the best a
 * grouping of these segments into foreground and background can do;</li>
 * <li>{@code strokes}: the scribble-guided grouping with {@link SimulatedStrokes} (K = the strokes'
 * labels), through {@link SemanticSoftSegmentation#regroup};</li>
 * <li>{@code corrected}: the same after up to {@link #CORRECTIONS} correction strokes
 * ({@link SimulatedStrokes#correct}), each followed by a regrouping (its time is their sum);</li>
 * <li>{@code corrected-4}: the same after up to {@link #MORE_CORRECTIONS}, for a user who goes on
 * correcting.</li>
 * </ul>
 * Writes {@code OUT/grouping.csv} (case, grouping, segments, SAD in thousands or mean instance
 * IoU, seconds of the grouping and the stages after it) and prints the sums. Options as {@link BenchmarkMain} ({@code --scale}, {@code --seed},
 * {@code --set}, {@code --methods} for the features; the mode is always fast).
 * <p>
 * Usage: {@code GroupingStudy CASES_DIR... --out DIR [--seed S] [--scale F] [--set NAME=V]}
 */
public final class GroupingStudy {

	/** The groupings compared, in output order. */
	public static final List<String> GROUPINGS = List.of("fast", "reference", "oracle", "strokes", "corrected", "corrected-4");
	/** Correction strokes of the {@code corrected} grouping ({@link SimulatedStrokes#correct}). */
	public static final int CORRECTIONS = 2;
	/** Correction strokes of the {@code corrected-4} grouping. */
	public static final int MORE_CORRECTIONS = 4;

	private GroupingStudy() {}

	public static void main(final String[] args) throws IOException {
		final BenchmarkOptions o;
		try {
			o = BenchmarkOptions.parse(args);
		}
		catch (final IllegalArgumentException e) {
			System.err.println(e.getMessage());
			System.err.println("Usage: GroupingStudy CASES_DIR... --out DIR [--seed S] [--scale F] [--set NAME=V]");
			System.exit(2);
			return;
		}
		final Settings s = o.settings;
		FeatureNetwork network = null;
		for (final Method m : o.methods) {
			if (network == null) network = m.network();
		}
		Files.createDirectories(o.out);
		final List<String> lines = new ArrayList<>();
		lines.add("source,case,kind,grouping,segments,sad_k,mean_iou,seconds");
		final Map<String, double[]> sums = new LinkedHashMap<>();
		for (final BenchCase c : BenchmarkMain.cases(o)) {
			final BenchCase.Loaded d = c.load(o.scale);
			final Map<String, Double> scores = scores(d, s, network);
			final boolean matting = d.alpha() != null;
			final StringBuilder shown = new StringBuilder(c.id());
			for (final Map.Entry<String, Double> e : scores.entrySet()) {
				if (e.getKey().equals("segments") || e.getKey().endsWith(" seconds")) continue;
				final double v = e.getValue();
				lines.add(String.join(",", c.source(), c.name(), c.kind().name().toLowerCase(Locale.ROOT), e.getKey(),
					String.valueOf(scores.get("segments").intValue()), matting ? fmt(v) : "", matting ? "" : fmt(v),
					fmt(scores.get(e.getKey() + " seconds"))));
				shown.append(String.format(Locale.ROOT, "  %s %.4f", e.getKey(), v));
				if (!Double.isNaN(v)) {
					final double[] sum = sums.computeIfAbsent((matting ? "SAD (k) " : "IoU ") + e.getKey(), k -> new double[2]);
					sum[0] += v;
					sum[1]++;
				}
			}
			System.out.println(shown);
		}
		// complete or absent: written under a temporary name, then renamed
		final java.nio.file.Path tmp = o.out.resolve("grouping.csv.tmp");
		Files.write(tmp, lines, StandardCharsets.UTF_8);
		Files.move(tmp, o.out.resolve("grouping.csv"), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
			java.nio.file.StandardCopyOption.ATOMIC_MOVE);
		for (final Map.Entry<String, double[]> e : sums.entrySet()) {
			System.out.printf(Locale.ROOT, "%-22s sum %.3f over %d cases, mean %.4f%n", e.getKey(), e.getValue()[0],
				(int) e.getValue()[1], e.getValue()[0] / e.getValue()[1]);
		}
	}

	/** {@link #scores(BenchCase.Loaded, Settings, FeatureNetwork)} with colour features. */
	public static Map<String, Double> scores(final BenchCase.Loaded d, final Settings settings) {
		return scores(d, settings, null);
	}

	/**
	 * Scores of the groupings for one case (colour features, or {@code network}'s; the fast path
	 * with {@code settings}' other values):
	 * {@code segments} (the number of soft segments grouped), then SAD in thousands (matting
	 * cases) or mean instance IoU (instance cases) per grouping name, and for each grouping
	 * {@code <name> seconds}: the wall time of its grouping, relaxed sparsification and upsampling
	 * (for {@code fast} and {@code strokes}, {@link SemanticSoftSegmentation#regroup}).
	 */
	public static Map<String, Double> scores(final BenchCase.Loaded d, final Settings settings, final FeatureNetwork network) {
		final Settings s = settings.copy();
		s.mode = Settings.Mode.FAST;
		s.validate();
		final PlanarImage full = PipelineInputs.rgb(d.image());
		final int[] size = SemanticSoftSegmentation.workingSize(full.width(), full.height(), s);
		final PlanarImage raw = network == null ? null
			: network.features(full, size[0], size[1], FeatureNetwork.DEFAULT_TILE_SIZE, Progress.NONE);
		final SoftSegments soft = SemanticSoftSegmentation.segments(full, raw, s, Progress.NONE);
		final PlanarImage rgb = soft.rgb();
		final int w = rgb.width(), h = rgb.height();
		final double[][] segments = soft.segments();

		final Map<String, Double> out = new LinkedHashMap<>();
		final Map<String, Double> times = new LinkedHashMap<>();
		out.put("segments", (double) segments.length);
		for (final String g : GROUPINGS) {
			final long t0 = System.nanoTime();
			final PlanarImage result;
			if (g.equals("fast")) {
				result = SemanticSoftSegmentation.regroup(full, soft, s.layers, null, s.threads, Progress.NONE).layers();
			}
			else if (g.startsWith("strokes") || g.startsWith("corrected")) {
				final int corrections = g.equals("corrected") ? CORRECTIONS : g.equals("corrected-4") ? MORE_CORRECTIONS : 0;
				SimulatedStrokes.Strokes strokes = d.alpha() != null ? SimulatedStrokes.matting(full.width(), full.height(),
					d.trimaps().get(0).values()) : SimulatedStrokes.instances(full.width(), full.height(), d.labels());
				if (strokes == null) continue;
				PlanarImage r = SemanticSoftSegmentation.regroup(full, soft, s.layers, strokes.labels(), s.threads, Progress.NONE).layers();
				for (int c = 0; c < corrections; c++) {
					strokes = SimulatedStrokes.correct(strokes, r);
					if (strokes == null) break;
					r = SemanticSoftSegmentation.regroup(full, soft, s.layers, strokes.labels(), s.threads, Progress.NONE).layers();
				}
				result = r;
			}
			else {
				final int[] ids;
				if (g.equals("reference")) ids = LayerGrouping.groupWithIds(segments, soft.features(), s.layers, s.seed).ids();
				else if (d.alpha() != null) {
					final PlanarImage alpha = new PlanarImage(full.width(), full.height(), new float[][] { d.alpha() });
					ids = OracleGrouping.byTrueAlpha(segments, Resize.smooth(alpha, w, h).plane(0));
				}
				else continue;
				int groups = 0;
				for (final int id : ids) groups = Math.max(groups, id + 1);
				final double[][] layers = RelaxedSparsification.run(LayerGrouping.sumGroups(segments, ids, groups),
					soft.laplacian(), ImageGradient.magnitude(rgb), SemanticSoftSegmentation.relaxedParams(s)
						.withSolver(RelaxedSparsification.Solver.FAST), Progress.NONE);
				result = SemanticSoftSegmentation.finish(SemanticSoftSegmentation.toImage(layers, w, h), rgb, full, s);
			}
			times.put(g + " seconds", (System.nanoTime() - t0) * 1e-9);
			out.put(g, d.alpha() != null ? MattingScores.evaluate(result, d.alpha(), d.trimaps()).sad() / 1000
				: InstanceScores.evaluate(result, d.labels()).meanIoU());
		}
		out.putAll(times);
		return out;
	}

	private static String fmt(final double v) {
		return String.format(Locale.ROOT, "%.4f", v);
	}
}
