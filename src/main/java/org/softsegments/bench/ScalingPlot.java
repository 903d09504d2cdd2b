package org.softsegments.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Plots the CSV written by {@link SizeBenchmark} {@code --csv}: total time and peak RSS against
 * megapixels, one line per path (fast / reference), as {@code time-vs-size.png} and
 * {@code memory-vs-size.png}.
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
		final double[][] mp = new double[paths.size()][], time = new double[paths.size()][], rss = new double[paths.size()][];
		for (int p = 0; p < paths.size(); p++) {
			final String path = paths.get(p);
			final List<Map<String, String>> mine = rows.stream().filter(r -> path.equals(r.get("path")))
				.sorted((a, b) -> Double.compare(Report.num(a, "pixels"), Report.num(b, "pixels"))).toList();
			mp[p] = mine.stream().mapToDouble(r -> Report.num(r, "pixels") / 1e6).toArray();
			time[p] = mine.stream().mapToDouble(r -> Report.num(r, "total_s")).toArray();
			rss[p] = mine.stream().mapToDouble(r -> Report.num(r, "peak_rss_mb") / 1024).toArray();
		}
		Charts.writePng(Charts.lines("Total time against image size", "megapixels", "seconds", paths, mp, time),
			dir.resolve("time-vs-size.png"));
		Charts.writePng(Charts.lines("Peak process memory (RSS) against image size", "megapixels", "GB", paths, mp, rss),
			dir.resolve("memory-vs-size.png"));
	}
}
