package org.softsegments.sparsify;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.softsegments.core.Parallel;
import org.softsegments.core.Progress;
import org.softsegments.engine.SemanticSoftSegmentation;
import org.softsegments.engine.Settings;
import org.softsegments.eval.BestSubset;
import org.softsegments.eval.LayerMatching;
import org.softsegments.image.PlanarImage;
import org.softsegments.sparsify.ConstrainedSparsification.Acceleration;
import org.softsegments.sparsify.ConstrainedSparsification.Outcome;
import org.softsegments.sparsify.ConstrainedSparsification.Params;

/**
 * Measurements of the accelerated constrained sparsification against the reference variant
 * (not a test). Inputs are built by {@link AccelerationCases} from the engine's stages and cached
 * in {@code -Dfastcs.cache} (default /tmp/fastcs-cache); cases are {@code synth:WxH} (synthetic
 * scene, known alphas) or {@code am:GTnn@WIDTH} (../shared/data/eval-dev/alphamatting, resized).
 * Run from the project directory with the test classpath:
 * <pre>
 * ... ConstrainedAccelerationBenchmark prepare CASE...   build and cache the inputs
 * ... ConstrainedAccelerationBenchmark ref CASE...       reference run: per-iteration max |Δα|, layers cached
 * ... ConstrainedAccelerationBenchmark refsad CASE...    final SAD of the cached reference layers
 * ... ConstrainedAccelerationBenchmark fast CASE...      one accelerated run (-Dtrace=true per iteration)
 * ... ConstrainedAccelerationBenchmark quality CASE...   final-SAD distribution over sample and grouping seeds
 * ... ConstrainedAccelerationBenchmark table CASE...     reference vs fast in one JVM, medians of -Dreps=3
 * </pre>
 * Acceleration from -Dsamples, -Dcand, -Dband, -Dtol, -Dreuse, -Dexact, -Dseed (defaults: FAST);
 * final SAD: grouping (seeds -Dseeds, default 1,2,3), image gradient and relaxed sparsification
 * with the paper settings, best-subset SAD summed over the case's true alphas.
 */
public final class ConstrainedAccelerationBenchmark {

	static final Path DATA = Path.of("../shared/data/eval-dev");
	static final Path CACHE = Path.of(System.getProperty("fastcs.cache", "/tmp/fastcs-cache"));

	public static void main(final String[] args) throws Exception {
		final List<String> specs = Arrays.asList(args).subList(1, args.length);
		switch (args[0]) {
			case "prepare" -> {
				for (final String s : specs) AccelerationCases.load(s, DATA, CACHE);
			}
			case "ref" -> {
				for (final String s : specs) ref(AccelerationCases.load(s, DATA, CACHE));
			}
			case "refsad" -> {
				for (final String s : specs) refSad(AccelerationCases.load(s, DATA, CACHE));
			}
			case "quality" -> {
				for (final String s : specs) quality(AccelerationCases.load(s, DATA, CACHE), accelerationFromProperties());
			}
			case "table" -> table(specs, accelerationFromProperties(), Integer.getInteger("reps", 3));
			case "fast" -> {
				if (Boolean.getBoolean("warmup")) warmUp(AccelerationCases.load(specs.get(0), DATA, CACHE), accelerationFromProperties());
				for (final String s : specs) fast(AccelerationCases.load(s, DATA, CACHE), accelerationFromProperties());
			}
			default -> throw new IllegalArgumentException(args[0]);
		}
	}

	static Acceleration accelerationFromProperties() {
		final Acceleration f = Acceleration.FAST;
		return new Acceleration(Integer.getInteger("samples", f.samplesPerVector()), Integer.getInteger("cand", f.candidateStride()), Double.parseDouble(System.getProperty("band", ""
			+ f.transitionBand())), Double.parseDouble(System.getProperty("tol", "" + f.changeTolerance())), Double.parseDouble(System
				.getProperty("reuse", "" + f.reuseTolerance())), Integer.getInteger("exact", f.exactIterations()), Long.getLong("seed",
					f.seed()));
	}

	static void ref(final AccelerationCases.Case c) throws IOException {
		final double[][][] prev = { null };
		final long t0 = System.nanoTime();
		final long cpu0 = cpu();
		final Outcome o = Parallel.inPool(2, () -> ConstrainedSparsification.run(c.basis(), c.laplacian(), c.clusters(), c
			.count(), Params.DEFAULTS, Acceleration.NONE, Progress.NONE, (it, layers, kept) -> {
				if (prev[0] != null && prev[0].length == layers.length) {
					double max = 0;
					int at = -1;
					for (int k = 0; k < layers.length; k++) {
						for (int p = 0; p < layers[k].length; p++) {
							final double d = Math.abs(layers[k][p] - prev[0][k][p]);
							if (d > max) {
								max = d;
								at = k;
							}
						}
					}
					System.out.printf("  it %2d K=%2d maxchange %.2e (layer %d)%s%n", it, layers.length, max, at, kept == null ? ""
						: " removal -> " + kept.length);
				}
				else System.out.printf("  it %2d K=%2d%s%n", it, layers.length, kept == null ? "" : " removal -> " + kept.length);
				final double[][] copy = new double[layers.length][];
				for (int k = 0; k < layers.length; k++) copy[k] = layers[k].clone();
				if (kept != null) {
					final double[][] sel = new double[kept.length][];
					for (int i = 0; i < kept.length; i++) sel[i] = copy[kept[i]];
					prev[0] = sel;
				}
				else prev[0] = copy;
			}));
		final double sec = (System.nanoTime() - t0) * 1e-9;
		System.out.printf("  cpu %.2f s%n", (cpu() - cpu0) * 1e-9);
		final long t1 = System.nanoTime();
		final double[] sad = finalSad(c, o.layers());
		System.out.printf("%s ref: %.2f s, %d layers, grams %d, final SAD %s (downstream %.1f s)%n", c.name(), sec, o.layers().length,
			o.grams(), Arrays.toString(sad), (System.nanoTime() - t1) * 1e-9);
		try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(refFile(c)))) {
			out.writeInt(o.layers().length);
			out.writeInt(o.layers()[0].length);
			for (int k = 0; k < o.layers().length; k++) {
				out.writeInt(o.sources()[k]);
				for (final double v : o.layers()[k]) out.writeFloat((float) v);
			}
			out.writeInt(sad.length);
			for (final double v : sad) out.writeDouble(v);
		}
	}

	record Ref(float[][] layers, int[] sources, double[] sad) {}

	static Ref readRef(final AccelerationCases.Case c) throws IOException {
		try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(refFile(c))))) {
			final int k = in.readInt(), n = in.readInt();
			final float[][] l = new float[k][n];
			final int[] s = new int[k];
			for (int i = 0; i < k; i++) {
				s[i] = in.readInt();
				for (int p = 0; p < n; p++) l[i][p] = in.readFloat();
			}
			final double[] sad = new double[in.readInt()];
			for (int i = 0; i < sad.length; i++) sad[i] = in.readDouble();
			return new Ref(l, s, sad);
		}
	}

	static Path refFile(final AccelerationCases.Case c) {
		return CACHE.resolve(c.name().replaceAll("[^A-Za-z0-9]", "_") + ".ref");
	}

	static void fast(final AccelerationCases.Case c, final Acceleration acc) throws IOException {
		final Ref ref = readRef(c);
		final List<String> lines = new ArrayList<>();
		final long t0 = System.nanoTime();
		final long cpu0 = cpu();
		final Outcome o = Parallel.inPool(2, () -> AcceleratedSparsification.solve(c.basis(), c.laplacian(), c.clusters(), c
			.count(), Params.DEFAULTS.withIterations(Integer.getInteger("iters", 40)), acc, Progress.NONE, null, Boolean.getBoolean(
				"notrace") ? null : (it, layers, change, grams, pixels, exact, secs, ch) -> lines.add(String
				.format("  it %2d K=%2d change %.2e grams %2d pixels/N %.2f%s  gram %.3f solve %.3f combine %.3f  <.003:%d <.01:%d <.03:%d",
					it, layers, change, grams, pixels / (double) c.image().pixels(), exact ? " exact" : "", secs[0], secs[1], secs[2],
					java.util.Arrays.stream(ch).filter(v -> v < 0.003).count(), java.util.Arrays.stream(ch).filter(v -> v < 0.01).count(),
					java.util.Arrays.stream(ch).filter(v -> v < 0.03).count()))));
		final double sec = (System.nanoTime() - t0) * 1e-9;
		System.out.printf("  cpu %.2f s%n", (cpu() - cpu0) * 1e-9);
		if (Boolean.getBoolean("trace")) lines.forEach(System.out::println);
		final double iou = matchedIoU(ref, o);
		final boolean downstream = !Boolean.getBoolean("nosad");
		final double[] sad = downstream ? finalSad(c, o.layers()) : new double[0];
		System.out.printf("%s %s: %.2f s, it %d, layers %d (ref %d), grams %d, pixels/N %.1f, IoU %.4f, SAD %s%n   ref SAD %s%n", c
			.name(), acc, sec, o.iterations(), o.layers().length, ref.layers().length, o.grams(), o.gramPixels() / (double) c
				.image().pixels(), iou, Arrays.toString(sad), refSadText(c));
	}

	static long cpu() {
		return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
			.getProcessCpuTime();
	}

	/**
	 * For each case: the stage by the reference and by each fast variant (FAST with the
	 * candidate strides of -Dcands, default "4"), alternately, {@code reps} times in one JVM (2
	 * threads); medians of wall and process CPU time; layers, matched IoU and final SAD (mean and
	 * median over the grouping seeds -Dseeds) of the first repetition. Prints Markdown tables.
	 */
	static void table(final List<String> specs, final Acceleration acc, final int reps) throws IOException {
		final List<Acceleration> variants = new ArrayList<>();
		variants.add(Acceleration.NONE);
		for (final String c : System.getProperty("cands", "" + acc.candidateStride()).split(",")) {
			variants.add(new Acceleration(acc.samplesPerVector(), Integer.parseInt(c), acc.transitionBand(), acc.changeTolerance(),
				acc.reuseTolerance(), acc.exactIterations(), acc.seed()));
		}
		final List<String> rows = new ArrayList<>();
		warmUp(AccelerationCases.load(specs.get(0), DATA, CACHE), acc);
		for (final String spec : specs) {
			final AccelerationCases.Case c = AccelerationCases.load(spec, DATA, CACHE);
			final int v = variants.size();
			final double[][] wall = new double[v][reps], cpu = new double[v][reps];
			final Outcome[] first = new Outcome[v];
			for (int r = 0; r < reps; r++) {
				for (int i = 0; i < v; i++) {
					final Acceleration a = variants.get(i);
					final long t0 = System.nanoTime(), c0 = cpu();
					final Outcome o = Parallel.inPool(2, () -> ConstrainedSparsification.run(c.basis(), c.laplacian(), c.clusters(), c
						.count(), Params.DEFAULTS, a, Progress.NONE));
					wall[i][r] = (System.nanoTime() - t0) * 1e-9;
					cpu[i][r] = (cpu() - c0) * 1e-9;
					System.out.printf("%s variant %d rep %d: %.2f s wall, %.2f s CPU%n", spec, i, r, wall[i][r], cpu[i][r]);
					if (first[i] == null) first[i] = o;
				}
			}
			final Ref asRef = toRef(first[0]);
			final double[] refSad = finalSad(c, first[0].layers());
			final double refMedian = median(Arrays.copyOfRange(refSad, 1, refSad.length));
			for (int i = 0; i < v; i++) {
				final double[] sad = i == 0 ? refSad : finalSad(c, first[i].layers());
				final double med = median(Arrays.copyOfRange(sad, 1, sad.length));
				final String row = String.format(
					"| %s | %d×%d | %s | %.2f | %.1f | %.1f× | %.1f× | %d | %d | %.0f | %.3f | %.1f (%+.1f %%) | %.1f (%+.1f %%) |", spec,
					c.width(), c.height(), i == 0 ? "reference" : "fast c=" + variants.get(i).candidateStride(), median(wall[i]), median(
						cpu[i]), median(wall[0]) / median(wall[i]), median(cpu[0]) / median(cpu[i]), first[i].layers().length, first[i]
							.iterations(), first[i].gramPixels() / (double) c.image().pixels(), matchedIoU(asRef, first[i]), sad[0], 100
								* (sad[0] / refSad[0] - 1), med, 100 * (med / refMedian - 1));
				System.out.println(row);
				rows.add(row);
			}
		}
		System.out.println();
		System.out.println("| case | size | variant | wall s | CPU s | speed-up wall | speed-up CPU | layers | iterations | Gram pixels / N | IoU vs ref | final SAD mean | final SAD median |");
		System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
		rows.forEach(System.out::println);
	}


	/**
	 * Quality distribution: final SAD (summed over targets) for grouping seeds -Dseeds of the
	 * reference layers, of the exact iteration with FastPow weights (a ~1e-12 perturbation: the
	 * noise floor) and of the fast variant with sample seeds 1..-Dsamples.
	 */
	static void quality(final AccelerationCases.Case c, final Acceleration acc) throws IOException {
		final Ref r = readRef(c);
		final double[][] refLayers = new double[r.layers().length][];
		for (int k = 0; k < refLayers.length; k++) {
			refLayers[k] = new double[r.layers()[k].length];
			for (int p = 0; p < refLayers[k].length; p++) refLayers[k][p] = r.layers()[k][p];
		}
		report(c.name() + " reference", finalSad(c, refLayers), r.layers().length, 1);
		if (!Boolean.getBoolean("nofloor")) {
			final Outcome exact = Parallel.inPool(2, () -> AcceleratedSparsification.solve(c.basis(), c.laplacian(), c.clusters(), c
				.count(), Params.DEFAULTS, new Acceleration(0, 1, 0, 0, 0, 0, 1), Progress.NONE, null, null));
			report(c.name() + " exact+FastPow", finalSad(c, exact.layers()), exact.layers().length, matchedIoU(r, exact));
		}
		final int samples = Integer.getInteger("sampleSeeds", 3);
		final List<Double> all = new ArrayList<>();
		for (int seed = 1; seed <= samples; seed++) {
			final Acceleration a = acc.withSeed(seed);
			final Outcome o = Parallel.inPool(2, () -> ConstrainedSparsification.run(c.basis(), c.laplacian(), c.clusters(), c
				.count(), Params.DEFAULTS, a, Progress.NONE));
			final double[] sad = finalSad(c, o.layers());
			report(c.name() + " fast seed " + seed, sad, o.layers().length, matchedIoU(r, o));
			for (int i = 1; i < sad.length; i++) all.add(sad[i]);
		}
		final double[] v = all.stream().mapToDouble(Double::doubleValue).toArray();
		System.out.printf("%s fast all: mean %.1f median %.1f%n", c.name(), Arrays.stream(v).average().orElse(0), median(v));
	}

	private static void report(final String what, final double[] sad, final int layers, final double iou) {
		final double[] v = Arrays.copyOfRange(sad, 1, sad.length);
		System.out.printf("%s: layers %d IoU %.3f SAD mean %.1f median %.1f %s%n", what, layers, iou, sad[0], median(v), Arrays
			.toString(Arrays.stream(v).map(x -> Math.round(x * 10) / 10.0).toArray()));
	}


	/** Untimed runs (JIT compilation of the kernels): 5 reference and 40 fast iterations. */
	static void warmUp(final AccelerationCases.Case c, final Acceleration acc) {
		final long t0 = System.nanoTime();
		Parallel.inPool(2, () -> {
			ConstrainedSparsification.run(c.basis(), c.laplacian(), c.clusters(), c.count(), Params.DEFAULTS.withIterations(5),
				Acceleration.NONE, Progress.NONE);
			return ConstrainedSparsification.run(c.basis(), c.laplacian(), c.clusters(), c.count(), Params.DEFAULTS, acc,
				Progress.NONE);
		});
		System.out.printf("warm-up %.1f s%n", (System.nanoTime() - t0) * 1e-9);
	}

	private static Ref toRef(final Outcome o) {
		final float[][] l = new float[o.layers().length][];
		for (int k = 0; k < l.length; k++) {
			l[k] = new float[o.layers()[k].length];
			for (int p = 0; p < l[k].length; p++) l[k][p] = (float) o.layers()[k][p];
		}
		return new Ref(l, o.sources(), new double[0]);
	}

	private static double median(final double[] v) {
		final double[] s = v.clone();
		Arrays.sort(s);
		return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
	}

	/** Mean soft IoU of layers with the same source, over the union of sources (missing = 0). */
	static double matchedIoU(final Ref ref, final Outcome o) {
		double total = 0;
		int count = 0;
		for (int i = 0; i < ref.sources().length; i++) {
			int j = -1;
			for (int q = 0; q < o.sources().length; q++) if (o.sources()[q] == ref.sources()[i]) j = q;
			count++;
			if (j < 0) continue;
			final float[] b = new float[o.layers()[j].length];
			for (int p = 0; p < b.length; p++) b[p] = (float) o.layers()[j][p];
			final double v = LayerMatching.softIoU(ref.layers()[i], b);
			if (Boolean.getBoolean("layers")) System.out.printf("   source %2d IoU %.4f%n", ref.sources()[i], v);
			total += v;
		}
		for (final int s : o.sources()) {
			boolean found = false;
			for (final int r : ref.sources()) found |= r == s;
			if (!found) count++;
		}
		return total / count;
	}

	/**
	 * Grouping (for each seed of -Dseeds, default 1,2,3), gradient, relaxed sparsification (paper
	 * settings); the best-subset SAD summed over the targets, averaged over the seeds.
	 */
	static double[] finalSad(final AccelerationCases.Case c, final double[][] constrained) {
		final String[] seeds = System.getProperty("seeds", "1,2,3").split(",");
		final double[] out = new double[seeds.length + 1];
		for (int i = 0; i < seeds.length; i++) {
			final Settings s = new Settings();
			s.seed = Long.parseLong(seeds[i]);
			out[i + 1] = Parallel.inPool(2, () -> {
				final LayerGrouping.Result g = LayerGrouping.groupWithIds(constrained, c.features(), s.layers, s.seed);
				final float[] gradient = ImageGradient.magnitude(c.image());
				final double[][] relaxed = RelaxedSparsification.run(g.layers(), c.laplacian(), gradient, SemanticSoftSegmentation
					.relaxedParams(s), Progress.NONE);
				final PlanarImage img = SemanticSoftSegmentation.toImage(relaxed, c.width(), c.height());
				double sad = 0;
				for (final float[] t : c.targets()) sad += BestSubset.find(img, t).sad;
				return sad;
			});
			out[0] += out[i + 1] / seeds.length;
		}
		return out;
	}

	/** Recomputes the reference's final SADs from the stored layers. */
	static void refSad(final AccelerationCases.Case c) throws IOException {
		final Ref r = readRef(c);
		final double[][] l = new double[r.layers().length][];
		for (int k = 0; k < l.length; k++) {
			l[k] = new double[r.layers()[k].length];
			for (int p = 0; p < l[k].length; p++) l[k][p] = r.layers()[k][p];
		}
		final double[] sad = finalSad(c, l);
		Files.writeString(refSadFile(c), Arrays.toString(sad));
		System.out.printf("%s ref SAD %s%n", c.name(), Arrays.toString(sad));
	}

	static Path refSadFile(final AccelerationCases.Case c) {
		return CACHE.resolve(c.name().replaceAll("[^A-Za-z0-9]", "_") + ".refsad");
	}

	static String refSadText(final AccelerationCases.Case c) throws IOException {
		return Files.isRegularFile(refSadFile(c)) ? Files.readString(refSadFile(c)) : "?";
	}
}
