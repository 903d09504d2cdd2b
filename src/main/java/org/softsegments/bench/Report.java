package org.softsegments.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Writes the results folder's {@code results.csv}, {@code summary.md} and {@code plots/*.png}
 * from the rows alone (so {@code --report-only} can re-render them from the CSV).
 * <p>
 * Aggregation: matting numbers are means over the matting cases a method ran on; instance
 * numbers are pooled over all scored instances (each case's mean weighted by its instance
 * count); health and time are means over all runs of a method (the worst case for
 * {@code max |Σα−1|}, the maximum for peak memory).
 */
public final class Report {

	/** Stage columns in pipeline order, with their table names. */
	static final String[][] STAGES = { { "t_features", "features" }, { "t_superpixels", "superpixels" },
		{ "t_affinities", "affinities" }, { "t_eigenvectors", "eigenvectors" },
		{ "t_initial_clusters", "initial clusters" }, { "t_constrained_sparsification", "constrained" },
		{ "t_grouping", "grouping" }, { "t_relaxed_sparsification", "relaxed" }, { "t_upsampling", "upsampling" } };

	private Report() {}

	/** Writes CSV, Markdown and plots for {@code rows} into {@code out}. */
	public static void write(final Path out, final List<Map<String, String>> rows, final List<String> info)
		throws IOException
	{
		ResultTable.write(rows, out.resolve("results.csv"));
		final StringBuilder md = new StringBuilder();
		markdown(md, rows, info);
		final Path tmp = Files.createTempFile(out.toAbsolutePath(), ".summary", ".part");
		try {
			Files.writeString(tmp, md, StandardCharsets.UTF_8);
			Files.move(tmp, out.resolve("summary.md"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		}
		finally {
			Files.deleteIfExists(tmp);
		}
		plots(out.resolve("plots"), rows);
	}

	/** Methods with at least one successful run, in order of appearance. */
	static List<String> methods(final List<Map<String, String>> rows) {
		final Set<String> m = new LinkedHashSet<>();
		for (final Map<String, String> r : rows) if (ok(r)) m.add(r.get("method"));
		return new ArrayList<>(m);
	}

	static boolean ok(final Map<String, String> r) {
		return "ok".equals(r.get("status"));
	}

	/** Trimap names (from the {@code sad_k_unknown_<name>} columns). */
	static List<String> trimaps(final List<Map<String, String>> rows) {
		final List<String> out = new ArrayList<>();
		for (final String c : ResultTable.columns(rows)) {
			if (c.startsWith("sad_k_unknown_")) out.add(c.substring("sad_k_unknown_".length()));
		}
		return out;
	}

	static void markdown(final StringBuilder md, final List<Map<String, String>> rows, final List<String> info) {
		md.append("# Benchmark results\n\n");
		for (final String line : info) md.append("- ").append(line).append('\n');
		md.append('\n');
		final List<String> methods = methods(rows);
		final List<String> trimaps = trimaps(rows);
		final Predicate<Map<String, String>> matting = r -> "matting".equals(r.get("kind"));
		final Predicate<Map<String, String>> instances = r -> "instances".equals(r.get("kind"));

		if (rows.stream().anyMatch(matting)) {
			md.append("## Matting: best subset of layers vs true alpha (mean over cases)\n\n");
			md.append("SAD in thousands (alphamatting.com convention), MSE per pixel; \"unknown\": the whole-image best " +
				"subset measured on the trimap's unknown region (value 128) only; \"single\": best single layer.\n\n");
			final StringBuilder head = new StringBuilder("| method | cases | SAD (k) | MSE |");
			final StringBuilder rule = new StringBuilder("|---|---:|---:|---:|");
			for (final String t : trimaps) {
				head.append(" SAD unknown ").append(t).append(" (k) | MSE unknown ").append(t).append(" |");
				rule.append("---:|---:|");
			}
			head.append(" single SAD (k) | single MSE | SAD / colour |");
			rule.append("---:|---:|---:|");
			md.append(head).append('\n').append(rule).append('\n');
			final double colourSad = mean(rows, "colour", matting, "sad_k");
			for (final String m : methods) {
				final int n = count(rows, m, matting);
				if (n == 0) continue;
				md.append("| ").append(m).append(" | ").append(n).append(" | ")
					.append(f3(mean(rows, m, matting, "sad_k"))).append(" | ").append(f4(mean(rows, m, matting, "mse")))
					.append(" |");
				for (final String t : trimaps) {
					md.append(' ').append(f3(mean(rows, m, matting, "sad_k_unknown_" + t))).append(" | ")
						.append(f4(mean(rows, m, matting, "mse_unknown_" + t))).append(" |");
				}
				md.append(' ').append(f3(mean(rows, m, matting, "single_sad_k"))).append(" | ")
					.append(f4(mean(rows, m, matting, "single_mse"))).append(" | ")
					.append(Double.isFinite(colourSad) && colourSad > 0 ? f2(mean(rows, m, matting, "sad_k") / colourSad) : "–")
					.append(" |\n");
			}
			md.append('\n');
		}
		if (rows.stream().anyMatch(instances)) {
			md.append("## Instances: best-subset soft IoU per instance (instances covering ≥ 1 % of the image)\n\n");
			md.append("| method | images | instances | mean soft IoU | IoU > 0.5 | IoU > 0.75 | mean of per-image means |\n");
			md.append("|---|---:|---:|---:|---:|---:|---:|\n");
			for (final String m : methods) {
				final int n = count(rows, m, instances);
				if (n == 0) continue;
				double total = 0, iou = 0, a50 = 0, a75 = 0, perImage = 0;
				int images = 0;
				for (final Map<String, String> r : rows) {
					if (!ok(r) || !m.equals(r.get("method")) || !instances.test(r)) continue;
					final double k = num(r, "instances");
					if (!(k > 0)) continue;
					total += k;
					iou += k * num(r, "mean_iou");
					a50 += k * num(r, "iou_above_050");
					a75 += k * num(r, "iou_above_075");
					perImage += num(r, "mean_iou");
					images++;
				}
				md.append("| ").append(m).append(" | ").append(n).append(" | ").append((int) total).append(" | ")
					.append(f3(iou / total)).append(" | ").append(f3(a50 / total)).append(" | ").append(f3(a75 / total))
					.append(" | ").append(f3(perImage / images)).append(" |\n");
			}
			md.append('\n');
		}
		final Predicate<Map<String, String>> all = r -> true;
		md.append("## Layer health (all runs)\n\n");
		md.append("| method | runs | max \\|Σα−1\\| (worst) | mean \\|Σα−1\\| | values outside [−0.05, 1.05] | " +
			"sparsity (largest layer > 0.9) | non-empty layers (max α > 0.1) |\n");
		md.append("|---|---:|---:|---:|---:|---:|---:|\n");
		for (final String m : methods) {
			md.append("| ").append(m).append(" | ").append(count(rows, m, all)).append(" | ")
				.append(sci(max(rows, m, all, "sum_err_max"))).append(" | ").append(sci(mean(rows, m, all, "sum_err_mean")))
				.append(" | ").append(f4(mean(rows, m, all, "out_of_range"))).append(" | ")
				.append(f3(mean(rows, m, all, "sparsity"))).append(" | ").append(f2(mean(rows, m, all, "nonempty_layers")))
				.append(" / ").append(f2(mean(rows, m, all, "layers"))).append(" |\n");
		}
		md.append('\n');
		md.append("## Speed and memory (mean seconds per run; memory: largest peak)\n\n");
		final StringBuilder head = new StringBuilder("| method | runs | mean pixels |");
		final StringBuilder rule = new StringBuilder("|---|---:|---:|");
		for (final String[] s : STAGES) {
			head.append(' ').append(s[1]).append(" |");
			rule.append("---:|");
		}
		head.append(" total (s) | peak heap (MB) | peak RSS (MB) |");
		rule.append("---:|---:|---:|");
		md.append(head).append('\n').append(rule).append('\n');
		for (final String m : methods) {
			md.append("| ").append(m).append(" | ").append(count(rows, m, all)).append(" | ")
				.append(String.format(Locale.ROOT, "%.0f", mean(rows, m, all, "pixels"))).append(" |");
			for (final String[] s : STAGES) md.append(' ').append(f1(mean(rows, m, all, s[0]))).append(" |");
			md.append(' ').append(f1(mean(rows, m, all, "t_total"))).append(" | ")
				.append(f0(max(rows, m, all, "peak_heap_mb"))).append(" | ").append(f0(max(rows, m, all, "peak_rss_mb")))
				.append(" |\n");
		}
		md.append('\n');
		fastVersusReference(md, rows, methods, matting, instances);
		md.append("## Per case\n\n");
		md.append("| case | kind | size | method | SAD (k) or mean IoU | MSE or instances | sparsity | total (s) | " +
			"peak RSS (MB) | status |\n");
		md.append("|---|---|---|---|---:|---:|---:|---:|---:|---|\n");
		for (final Map<String, String> r : rows) {
			final boolean mat = matting.test(r);
			md.append("| ").append(r.get("case")).append(" | ").append(r.get("kind")).append(" | ").append(r.get("width"))
				.append('×').append(r.get("height")).append(" | ").append(r.get("method")).append(" | ");
			if (ok(r)) {
				md.append(mat ? f3(num(r, "sad_k")) : f3(num(r, "mean_iou"))).append(" | ")
					.append(mat ? f4(num(r, "mse")) : r.getOrDefault("instances", "")).append(" | ")
					.append(f3(num(r, "sparsity"))).append(" | ").append(f1(num(r, "t_total"))).append(" | ")
					.append(r.getOrDefault("peak_rss_mb", "")).append(" | ok |\n");
			}
			else {
				md.append("| | | | | ").append(r.get("status").replace("|", "/")).append(" |\n");
			}
		}
		md.append("\nPlots: `plots/`; contact sheets: `contact-sheets/`; all numbers: `results.csv`.\n");
	}

	/**
	 * For every method that ran on both paths ({@code m} and {@code m-fast}): quality and time of
	 * the fast path relative to the reference path on the cases where both succeeded.
	 */
	static void fastVersusReference(final StringBuilder md, final List<Map<String, String>> rows,
		final List<String> methods, final Predicate<Map<String, String>> matting,
		final Predicate<Map<String, String>> instances)
	{
		final StringBuilder t = new StringBuilder();
		for (final String fast : methods) {
			if (!fast.endsWith(Method.FAST_SUFFIX)) continue;
			final String ref = fast.substring(0, fast.length() - Method.FAST_SUFFIX.length());
			if (!methods.contains(ref)) continue;
			final List<Map<String, String>> f = new ArrayList<>(), r = new ArrayList<>();
			final List<Double> timeRatios = new ArrayList<>();
			for (final Map<String, String> a : rows) {
				if (!ok(a) || !fast.equals(a.get("method"))) continue;
				for (final Map<String, String> b : rows) {
					if (ok(b) && ref.equals(b.get("method")) && a.get("case").equals(b.get("case"))) {
						f.add(a);
						r.add(b);
						timeRatios.add(num(a, "t_total") / num(b, "t_total"));
					}
				}
			}
			if (f.isEmpty()) continue;
			final Predicate<Map<String, String>> all = x -> true;
			t.append("| ").append(fast).append(" / ").append(ref).append(" | ").append(f.size()).append(" | ")
				.append(ratio(f, r, matting, "sad_k")).append(" | ").append(ratio(f, r, matting, "mse")).append(" | ")
				.append(ratio(f, r, instances, "mean_iou")).append(" | ").append(f1(median(f, "t_total"))).append(" / ")
				.append(f1(median(r, "t_total"))).append(" | ").append(f3(median(timeRatios))).append(" | ")
				.append(f0(max(f, fast, all, "peak_rss_mb"))).append(" / ").append(f0(max(r, ref, all, "peak_rss_mb")))
				.append(" |\n");
		}
		if (t.length() == 0) return;
		md.append("## Fast path vs reference path (cases where both ran)\n\n");
		md.append("Ratios of means, fast / reference (quality: below 1 is better for SAD and MSE, above 1 for IoU); " +
			"time: medians over the cases and the median of the per-case ratios.\n\n");
		md.append("| methods | cases | SAD ratio | MSE ratio | IoU ratio | median total (s) | median time ratio | " +
			"peak RSS (MB) |\n|---|---:|---:|---:|---:|---:|---:|---:|\n");
		md.append(t).append('\n');
	}

	private static String ratio(final List<Map<String, String>> fast, final List<Map<String, String>> ref,
		final Predicate<Map<String, String>> kind, final String column)
	{
		double a = 0, b = 0;
		int n = 0;
		for (int i = 0; i < fast.size(); i++) {
			if (!kind.test(fast.get(i))) continue;
			final double x = num(fast.get(i), column), y = num(ref.get(i), column);
			if (!Double.isFinite(x) || !Double.isFinite(y)) continue;
			a += x;
			b += y;
			n++;
		}
		return n == 0 || b == 0 ? "–" : f3(a / b);
	}

	private static double median(final List<Map<String, String>> rows, final String column) {
		final List<Double> v = new ArrayList<>();
		for (final Map<String, String> r : rows) v.add(num(r, column));
		return median(v);
	}

	private static double median(final List<Double> values) {
		final List<Double> v = new ArrayList<>(values);
		v.removeIf(x -> !Double.isFinite(x));
		if (v.isEmpty()) return Double.NaN;
		v.sort(null);
		final int n = v.size();
		return n % 2 == 1 ? v.get(n / 2) : 0.5 * (v.get(n / 2 - 1) + v.get(n / 2));
	}

	/** The PNG plots. */
	static void plots(final Path dir, final List<Map<String, String>> rows) throws IOException {
		Files.createDirectories(dir);
		final List<String> methods = methods(rows);
		if (methods.isEmpty()) return;
		final List<String> mattingCases = cases(rows, "matting"), instanceCases = cases(rows, "instances");
		if (!mattingCases.isEmpty()) {
			Charts.writePng(Charts.grouped("Best-subset SAD per matting case (lower is better)", "SAD (thousands)",
				mattingCases, methods, values(rows, methods, mattingCases, "sad_k"), colours(methods)), dir.resolve("sad.png"));
			for (final String t : trimaps(rows)) {
				Charts.writePng(Charts.grouped("Best-subset SAD in the unknown region of " + t, "SAD (thousands)",
					mattingCases, methods, values(rows, methods, mattingCases, "sad_k_unknown_" + t), colours(methods)),
					dir.resolve("sad-unknown-" + t + ".png"));
			}
		}
		if (!instanceCases.isEmpty()) {
			Charts.writePng(Charts.grouped("Mean best-subset soft IoU per image (higher is better)", "soft IoU",
				instanceCases, methods, values(rows, methods, instanceCases, "mean_iou"), colours(methods)), dir.resolve("iou.png"));
		}
		final List<String> allCases = new ArrayList<>(mattingCases);
		allCases.addAll(instanceCases);
		final List<String> parts = new ArrayList<>();
		for (final String[] s : STAGES) parts.add(s[1]);
		final double[][] stacks = new double[methods.size()][STAGES.length];
		for (int m = 0; m < methods.size(); m++) {
			for (int s = 0; s < STAGES.length; s++) {
				stacks[m][s] = mean(rows, methods.get(m), r -> true, STAGES[s][0]);
			}
		}
		Charts.writePng(Charts.stacked("Mean time per stage", "seconds", methods, parts, stacks),
			dir.resolve("time-stages.png"));
		Charts.writePng(Charts.grouped("Total time per case", "seconds", allCases, methods,
			values(rows, methods, allCases, "t_total"), colours(methods)), dir.resolve("time-total.png"));
		Charts.writePng(Charts.grouped("Peak process memory (RSS) per case", "MB", allCases, methods,
			values(rows, methods, allCases, "peak_rss_mb"), colours(methods)), dir.resolve("memory-rss.png"));
		Charts.writePng(Charts.grouped("Peak Java heap per case", "MB", allCases, methods,
			values(rows, methods, allCases, "peak_heap_mb"), colours(methods)), dir.resolve("memory-heap.png"));
	}

	/** Fixed colour per method (its position in {@link Method}), so charts agree across runs. */
	private static int[] colours(final List<String> methods) {
		final int[] c = new int[methods.size()];
		for (int i = 0; i < c.length; i++) {
			int k = Method.values().length + i;
			for (final Method m : Method.values()) if (m.key.equals(methods.get(i))) k = m.ordinal();
			c[i] = k;
		}
		return c;
	}

	private static List<String> cases(final List<Map<String, String>> rows, final String kind) {
		final Set<String> out = new LinkedHashSet<>();
		for (final Map<String, String> r : rows) if (kind.equals(r.get("kind"))) out.add(r.get("case"));
		return new ArrayList<>(out);
	}

	private static double[][] values(final List<Map<String, String>> rows, final List<String> methods,
		final List<String> cases, final String column)
	{
		final double[][] v = new double[methods.size()][cases.size()];
		for (final double[] a : v) java.util.Arrays.fill(a, Double.NaN);
		for (final Map<String, String> r : rows) {
			if (!ok(r)) continue;
			final int m = methods.indexOf(r.get("method")), c = cases.indexOf(r.get("case"));
			if (m >= 0 && c >= 0) v[m][c] = num(r, column);
		}
		return v;
	}

	private static int count(final List<Map<String, String>> rows, final String m,
		final Predicate<Map<String, String>> p)
	{
		int n = 0;
		for (final Map<String, String> r : rows) if (ok(r) && m.equals(r.get("method")) && p.test(r)) n++;
		return n;
	}

	/** Mean of a column over the successful runs of method m matching p (NaN values skipped). */
	static double mean(final List<Map<String, String>> rows, final String m, final Predicate<Map<String, String>> p,
		final String column)
	{
		double s = 0;
		int n = 0;
		for (final Map<String, String> r : rows) {
			if (!ok(r) || !m.equals(r.get("method")) || !p.test(r)) continue;
			final double v = num(r, column);
			if (Double.isFinite(v)) {
				s += v;
				n++;
			}
		}
		return n == 0 ? Double.NaN : s / n;
	}

	private static double max(final List<Map<String, String>> rows, final String m,
		final Predicate<Map<String, String>> p, final String column)
	{
		double best = Double.NaN;
		for (final Map<String, String> r : rows) {
			if (!ok(r) || !m.equals(r.get("method")) || !p.test(r)) continue;
			final double v = num(r, column);
			if (Double.isFinite(v) && !(v <= best)) best = v;
		}
		return best;
	}

	static double num(final Map<String, String> r, final String column) {
		final String s = r.get(column);
		if (s == null || s.isBlank()) return Double.NaN;
		try {
			return Double.parseDouble(s);
		}
		catch (final NumberFormatException e) {
			return Double.NaN;
		}
	}

	private static String f(final String fmt, final double v) {
		return Double.isFinite(v) ? String.format(Locale.ROOT, fmt, v) : "–";
	}

	private static String f0(final double v) {
		return f("%.0f", v);
	}

	private static String f1(final double v) {
		return f("%.1f", v);
	}

	private static String f2(final double v) {
		return f("%.2f", v);
	}

	private static String f3(final double v) {
		return f("%.3f", v);
	}

	/** Four decimals, or two significant digits in scientific notation below 0.01 (small MSEs). */
	private static String f4(final double v) {
		return Double.isFinite(v) && v != 0 && Math.abs(v) < 0.01 ? f("%.2e", v) : f("%.4f", v);
	}

	private static String sci(final double v) {
		return f("%.2g", v);
	}
}
