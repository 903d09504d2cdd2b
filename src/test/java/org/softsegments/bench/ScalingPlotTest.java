package org.softsegments.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The size benchmark's plots and median table from repeated runs. */
class ScalingPlotTest {

	private static Map<String, String> row(final String path, final int w, final int h, final double total,
		final int rss)
	{
		return Map.of("path", path, "width", "" + w, "height", "" + h, "pixels", "" + w * h, "total_s", "" + total,
			"peak_rss_mb", "" + rss);
	}

	@Test
	void medianOfOddAndEvenCounts() {
		assertEquals(2, ScalingPlot.median(new double[] { 3, 1, 2 }));
		assertEquals(2.5, ScalingPlot.median(new double[] { 4, 1, 3, 2 }));
	}

	@Test
	void repeatedSizesAreSummarisedByTheirMedians(@TempDir final Path dir) throws IOException {
		ScalingPlot.write(List.of(row("fast", 640, 480, 9, 700), row("fast", 640, 480, 7, 900), row("fast", 640, 480,
			30, 800), row("fast", 320, 240, 4, 500), row("reference", 320, 240, 40, 2000)), dir);
		final List<String> lines = Files.readAllLines(dir.resolve("medians.md"));
		assertEquals(List.of("| fast | 320×240 | 0.08 | 1 | 4.00 | 500 |", "| fast | 640×480 | 0.31 | 3 | 9.00 | 800 |",
			"| reference | 320×240 | 0.08 | 1 | 40.00 | 2000 |"), lines.subList(2, lines.size()));
		assertTrue(Files.size(dir.resolve("time-vs-size.png")) > 0);
		assertTrue(Files.size(dir.resolve("memory-vs-size.png")) > 0);
	}
}
