package org.softsegments.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Map;

import org.softsegments.demo.SyntheticScene;
import org.softsegments.core.Progress;
import org.softsegments.engine.SegmentationResult;
import org.softsegments.engine.SemanticSoftSegmentation;
import org.softsegments.engine.Settings;
import org.softsegments.eval.BestSubset;
import org.softsegments.features.network.FeatureNetwork;
import org.softsegments.features.network.NetworkSegmentation;

/**
 * Runs the whole pipeline once on a synthetic scene of a given size and prints one Markdown
 * table row: path, per-stage wall time, total, peak heap and RSS, and the mean best-subset SAD
 * of the scene's shapes; optionally appends the same numbers to a CSV file (input of
 * {@link ScalingPlot}). One JVM per size (see {@code scripts/benchmark-sizes.sh}) so that peak
 * memory belongs to that size alone.
 * <p>
 * With {@code --features unet} the bundled U-Net computes the features (its forward pass counts in
 * "features"; loading it, a one-off per session, does not) and the path is reported as e.g.
 * {@code fast+unet}.
 * <p>
 * Usage: {@code SizeBenchmark WIDTHxHEIGHT [--mode fast|reference] [--features none|unet] [--header] [--csv FILE]}
 */
public final class SizeBenchmark {

	private SizeBenchmark() {}

	public static void main(final String[] args) throws IOException {
		if (args.length < 1 || !args[0].matches("\\d+x\\d+")) usage();
		final String[] wh = args[0].split("x");
		final int w = Integer.parseInt(wh[0]), h = Integer.parseInt(wh[1]);
		final Settings settings = new Settings();
		boolean header = false, unet = false;
		Path csv = null;
		for (int i = 1; i < args.length; i++) {
			switch (args[i]) {
				case "--header": header = true; break;
				case "--mode":
					if (i + 1 >= args.length) usage();
					settings.mode = Settings.Mode.valueOf(args[++i].toUpperCase(Locale.ROOT));
					break;
				case "--features":
					if (i + 1 >= args.length || !args[i + 1].matches("none|unet")) usage();
					unet = args[++i].equals("unet");
					break;
				case "--csv":
					if (i + 1 >= args.length) usage();
					csv = Path.of(args[++i]);
					break;
				default: usage();
			}
		}
		final SyntheticScene scene = SyntheticScene.create(w, h, Math.max(2, w / 80.0), 7);
		final SegmentationResult r;
		if (unet) {
			try (FeatureNetwork network = FeatureNetwork.bundled()) {
				r = NetworkSegmentation.run(network, scene.image(), settings, Progress.NONE, false);
			}
		}
		else {
			r = SemanticSoftSegmentation.run(scene.image(), null, settings, Progress.NONE, false);
		}
		double sad = 0;
		for (final float[] alpha : scene.alphas()) sad += BestSubset.find(r.layers(), alpha).sad / 1000;
		sad /= scene.shapes();
		final Map<String, Double> t = r.stageSeconds();
		if (header) {
			final StringBuilder head = new StringBuilder("| path | size | pixels |");
			final StringBuilder rule = new StringBuilder("|---|---|---:|");
			for (final String stage : SemanticSoftSegmentation.STAGE_NAMES) {
				head.append(' ').append(stage).append(" (s) |");
				rule.append("---:|");
			}
			head.append(" total (s) | peak heap (MB) | peak RSS (MB) | mean best-subset SAD (k) |");
			rule.append("---:|---:|---:|---:|");
			System.out.println(head);
			System.out.println(rule);
		}
		final String path = settings.mode.name().toLowerCase(Locale.ROOT) + (unet ? "+unet" : "");
		final long heap = MemoryProbe.peakHeapBytes() >> 20, rss = MemoryProbe.peakRssBytes() >> 20;
		final StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "| %s | %d×%d | %d |", path, w, h, w * h));
		for (final String stage : SemanticSoftSegmentation.STAGE_NAMES) {
			final Double s = t.get(stage);
			row.append(s == null ? " – |" : String.format(Locale.ROOT, " %.2f |", s));
		}
		row.append(String.format(Locale.ROOT, " %.2f | %d | %d | %.3f |", t.get("total"), heap, rss, sad));
		System.out.println(row);
		if (csv != null) {
			final boolean fresh = !Files.exists(csv);
			final String line = (fresh ? "path,width,height,pixels,total_s,peak_heap_mb,peak_rss_mb,sad_k\n" : "") +
				String.format(Locale.ROOT, "%s,%d,%d,%d,%.3f,%d,%d,%.4f%n", path, w, h, w * h, t.get("total"), heap, rss, sad);
			Files.writeString(csv, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
		}
	}

	private static void usage() {
		System.err.println("Usage: SizeBenchmark WIDTHxHEIGHT [--mode fast|reference] [--features none|unet] [--header] " +
			"[--csv FILE]");
		System.exit(2);
	}
}
