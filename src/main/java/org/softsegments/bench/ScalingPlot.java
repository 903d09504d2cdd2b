package org.softsegments.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Locale;
import java.util.List;
import java.util.Map;

/**
 * Plots the CSV written by {@link SizeBenchmark} {@code --csv}: total time and peak RSS against
 * megapixels, one line per path (fast / reference), as {@code time-vs-size.png} and
 * {@code memory-vs-size.png}; where a size was run several times, the medians. Also writes
 * {@code medians.md}: per path and size the number of runs and the median total time and RSS.
 * <p>
 * Usage: {@code ScalingPlot SIZES_CSV OUT_DIR}
 */
public final class ScalingPlot {

	private ScalingPlot() {}

	public static void main(final String[] args) throws IOException {
		if (args.length != 2) {
			System.err.println("Usage: ScalingPlot SIZES_CSV OUT_DIR");
			System.exit(2);
		}
		write(ResultTable.read(Path.of(args[0])), Path.of(args[1]));
	}

	/** Writes both plots for the rows into {@code dir}. */
	public static void write(final List<Map<String, String>> rows, final Path dir) throws IOException {
		final List<String> paths = new ArrayList<>();
		for (final Map<String, String> r : rows) if (!paths.contains(r.get("path"))) paths.add(r.get("path"));
		final StringBuilder table = new StringBuilder("| path | size | MP | runs | median total (s) | median peak RSS (MB) |\n" +
			"|---|---|---:|---:|---:|---:|\n");
		final double[][] mp = new double[paths.size()][], time = new double[paths.size()][], rss = new double[paths.size()][];
		for (int p = 0; p < paths.size(); p++) {
			final String path = paths.get(p);
			final double[] sizes = rows.stream().filter(r -> path.equals(r.get("path")))
				.mapToDouble(r -> Report.num(r, "pixels")).distinct().sorted().toArray();
			mp[p] = new double[sizes.length];
			time[p] = new double[sizes.length];
			rss[p] = new double[sizes.length];
			for (int i = 0; i < sizes.length; i++) {
				final double pixels = sizes[i];
				final List<Map<String, String>> runs = rows.stream().filter(r -> path.equals(r.get("path")) && Report.num(r,
					"pixels") == pixels).toList();
				mp[p][i] = pixels / 1e6;
				time[p][i] = median(runs.stream().mapToDouble(r -> Report.num(r, "total_s")).toArray());
				rss[p][i] = median(runs.stream().mapToDouble(r -> Report.num(r, "peak_rss_mb")).toArray()) / 1024;
				table.append(String.format(Locale.ROOT, "| %s | %s×%s | %.2f | %d | %.2f | %.0f |%n", path, runs.get(0).get(
					"width"), runs.get(0).get("height"), pixels / 1e6, runs.size(), time[p][i], rss[p][i] * 1024));
			}
		}
		Files.writeString(dir.resolve("medians.md"), table.toString(), StandardCharsets.UTF_8);
		Charts.writePng(Charts.lines("Total time against image size", "megapixels", "seconds", paths, mp, time),
			dir.resolve("time-vs-size.png"));
		Charts.writePng(Charts.lines("Peak process memory (RSS) against image size", "megapixels", "GB", paths, mp, rss),
			dir.resolve("memory-vs-size.png"));
	}

	/** Median (mean of the two middle values for an even count). */
	static double median(final double[] values) {
		final double[] v = values.clone();
		Arrays.sort(v);
		final int n = v.length;
		return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	}
}
