package org.softsegments.training;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.softsegments.bench.BenchCase;
import org.softsegments.bench.BenchmarkMain;
import org.softsegments.bench.BenchmarkOptions;
import org.softsegments.core.Progress;
import org.softsegments.engine.PipelineInputs;
import org.softsegments.engine.SemanticSoftSegmentation;
import org.softsegments.engine.Settings;
import org.softsegments.engine.SoftSegments;
import org.softsegments.eval.InstanceScores;
import org.softsegments.eval.MattingScores;
import org.softsegments.features.network.FeatureNetwork;
import org.softsegments.image.PlanarImage;

/**
 * How close to its teacher a distilled network must be for the pipeline (issue 19): the fast path
 * run on blends {@code (1 − f)·T + f·S} of the teacher's features projected to the distillation
 * targets' principal components ({@code T}, what the student is trained to predict) and the
 * student's prediction of them ({@code S}), for several {@code f}. {@code f = 0} is a perfect
 * student, {@code f = 1} the student itself; in between, the student's error scaled by {@code f}.
 * Scores as the benchmark's: best-subset SAD (matting cases) and mean instance soft IoU (instance
 * cases), automatic grouping.
 *
 * <pre>
 * FeatureFidelityStudy --student DIR --targets DIR --teacher FILE.tflite --mix 0,0.25,0.5 [--components M] CASES... --out DIR --set seed=S
 * </pre>
 * {@code --components M} keeps only the first M principal components of both (default: all).
 * Writes {@code fidelity.csv} (case, kind, f, SAD in thousands or IoU) in the output folder.
 * A tool of the project (test sources): not part of the plugin.
 */
public final class FeatureFidelityStudy {

	private FeatureFidelityStudy() {}

	public static void main(final String[] args) throws IOException {
		final List<String> rest = new ArrayList<>();
		Path student = null, targets = null, teacherFile = null;
		double[] mix = { 0, 0.25, 0.5, 0.75, 1 };
		int components = 0;
		for (int i = 0; i < args.length; i++) {
			switch (args[i]) {
				case "--student": student = Path.of(args[++i]); break;
				case "--targets": targets = Path.of(args[++i]); break;
				case "--teacher": teacherFile = Path.of(args[++i]); break;
				case "--mix": mix = Arrays.stream(args[++i].split(",")).mapToDouble(Double::parseDouble).toArray(); break;
				case "--components": components = Integer.parseInt(args[++i]); break;
				default: rest.add(args[i]);
			}
		}
		if (student == null || targets == null || teacherFile == null) {
			System.err.println("Usage: FeatureFidelityStudy --student DIR --targets DIR --teacher FILE.tflite [--mix F,F,...] CASES... --out DIR [--set seed=S]");
			System.exit(2);
		}
		final BenchmarkOptions o = BenchmarkOptions.parse(rest.toArray(new String[0]));
		final Settings s = o.settings.copy();
		s.mode = Settings.Mode.FAST;
		s.validate();
		final TeacherTargets stored = TeacherTargets.open(targets);
		final int k = stored.channels();
		final List<String> lines = new ArrayList<>();
		lines.add("case,kind,f,sad_k,mean_iou");
		final Map<Double, double[]> sums = new LinkedHashMap<>();
		try (FeatureNetwork teacher = FeatureNetwork.load(teacherFile); FeatureNetwork net = FeatureNetwork.load(student)) {
			if (net.channels() != k) throw new IllegalArgumentException("The student gives " + net.channels() + " channels, the targets have " + k);
			final TeacherTargetsMain.Projection projection = TeacherTargetsMain.projection(teacher, null, null,
				targets.resolve("projection-0.f32"), k);
			for (final BenchCase c : BenchmarkMain.cases(o)) {
				final BenchCase.Loaded d = c.load(o.scale);
				final PlanarImage full = PipelineInputs.rgb(d.image());
				final int[] size = SemanticSoftSegmentation.workingSize(full.width(), full.height(), s);
				final int n = size[0] * size[1];
				final float[] t = projection.apply(teacher.features(full, size[0], size[1], FeatureNetwork.DEFAULT_TILE_SIZE, Progress.NONE));
				final PlanarImage predicted = net.features(full, size[0], size[1], FeatureNetwork.DEFAULT_TILE_SIZE, Progress.NONE);
				final StringBuilder shown = new StringBuilder(c.id());
				for (final double f : mix) {
					final int kept = components > 0 ? Math.min(components, k) : k;
					final float[][] blend = new float[kept][n];
					for (int j = 0; j < kept; j++) {
						final float[] sj = predicted.plane(j);
						for (int i = 0; i < n; i++) blend[j][i] = (float) ((1 - f) * t[i * k + j] + f * sj[i]);
					}
					final SoftSegments soft = SemanticSoftSegmentation.segments(full, new PlanarImage(size[0], size[1], blend), s,
						Progress.NONE);
					final PlanarImage layers = SemanticSoftSegmentation.regroup(full, soft, s.layers, null, s.threads, Progress.NONE).layers();
					final boolean matting = d.alpha() != null;
					final double v = matting ? MattingScores.evaluate(layers, d.alpha(), d.trimaps()).sad() / 1000
						: InstanceScores.evaluate(layers, d.labels()).meanIoU();
					lines.add(String.join(",", c.id(), matting ? "matting" : "instances", fmt(f), matting ? value(v) : "", matting ? "" : value(v)));
					shown.append(String.format(Locale.ROOT, "  f=%s %.4f", fmt(f), v));
					if (!Double.isNaN(v)) {
						final double[] sum = sums.computeIfAbsent(matting ? f : -1 - f, key -> new double[2]);
						sum[0] += v;
						sum[1]++;
					}
				}
				System.out.println(shown);
			}
		}
		Files.createDirectories(o.out);
		Files.write(o.out.resolve("fidelity.csv"), lines, StandardCharsets.UTF_8);
		for (final double f : mix) {
			final double[] sad = sums.getOrDefault(f, new double[] { Double.NaN, 1 }), iou = sums.getOrDefault(-1 - f, new double[] { Double.NaN, 1 });
			System.out.printf(Locale.ROOT, "f=%s  mean SAD %.3fk over %d mattes  mean IoU %.4f over %d photos%n", fmt(f), sad[0] / sad[1],
				(int) (sad[1] == 1 && Double.isNaN(sad[0]) ? 0 : sad[1]), iou[0] / iou[1], (int) (iou[1] == 1 && Double.isNaN(iou[0]) ? 0 : iou[1]));
		}
	}

	private static String value(final double v) {
		return String.format(Locale.ROOT, "%.4f", v);
	}

	private static String fmt(final double v) {
		return String.format(Locale.ROOT, "%.4f", v).replaceAll("0+$", "").replaceAll("\\.$", "");
	}
}
