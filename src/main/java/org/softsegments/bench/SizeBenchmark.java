package org.softsegments.bench;

import java.util.Locale;
import java.util.Map;

import org.softsegments.demo.SyntheticScene;
import org.softsegments.engine.SegmentationResult;
import org.softsegments.engine.SemanticSoftSegmentation;
import org.softsegments.engine.Settings;
import org.softsegments.eval.BestSubset;

/**
 * Runs the whole pipeline once on a synthetic scene of a given size and prints one Markdown
 * table row: per-stage wall time, total, peak heap and RSS, and the mean best-subset SAD of the
 * scene's shapes. One JVM per size (see {@code scripts/benchmark-sizes.sh}) so that peak
 * memory belongs to that size alone.
 * <p>
 * Usage: {@code SizeBenchmark WIDTHxHEIGHT [--header]}
 */
public final class SizeBenchmark {

	private SizeBenchmark() {}

	public static void main(final String[] args) {
		if (args.length < 1 || !args[0].matches("\\d+x\\d+")) {
			System.err.println("Usage: SizeBenchmark WIDTHxHEIGHT [--header]");
			System.exit(2);
		}
		final String[] wh = args[0].split("x");
		final int w = Integer.parseInt(wh[0]), h = Integer.parseInt(wh[1]);
		final SyntheticScene scene = SyntheticScene.create(w, h, Math.max(2, w / 80.0), 7);
		final Settings settings = new Settings();
		final SegmentationResult r = SemanticSoftSegmentation.run(scene.image(), null, settings, (s, f) -> {}, false);
		double sad = 0;
		for (final float[] alpha : scene.alphas()) sad += BestSubset.find(r.layers(), alpha).sad / 1000;
		sad /= scene.shapes();
		final Map<String, Double> t = r.stageSeconds();
		if (args.length > 1 && args[1].equals("--header")) {
			final StringBuilder head = new StringBuilder("| size | pixels |");
			final StringBuilder rule = new StringBuilder("|---|---:|");
			for (final String stage : t.keySet()) {
				head.append(' ').append(stage).append(" (s) |");
				rule.append("---:|");
			}
			head.append(" peak heap (MB) | peak RSS (MB) | mean best-subset SAD (k) |");
			rule.append("---:|---:|---:|");
			System.out.println(head);
			System.out.println(rule);
		}
		final StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "| %d×%d | %d |", w, h, w * h));
		for (final double s : t.values()) row.append(String.format(Locale.ROOT, " %.2f |", s));
		row.append(String.format(Locale.ROOT, " %d | %d | %.3f |", MemoryProbe.peakHeapBytes() >> 20,
			MemoryProbe.peakRssBytes() >> 20, sad));
		System.out.println(row);
	}
}
