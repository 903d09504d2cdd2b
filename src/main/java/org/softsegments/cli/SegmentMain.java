package org.softsegments.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.softsegments.demo.SyntheticScene;
import org.softsegments.engine.Progress;
import org.softsegments.engine.SegmentationResult;
import org.softsegments.engine.SemanticSoftSegmentation;
import org.softsegments.engine.Settings;
import org.softsegments.eval.BestSubset;
import org.softsegments.eval.LayerVisualization;
import org.softsegments.image.PlanarImage;
import org.softsegments.io.ImageFiles;

/**
 * Minimal command-line runner: segments one image (or a synthetic demo scene) and writes one
 * 8-bit PNG matte per layer plus the colour visualisation.
 * <p>
 * {@code SegmentMain (--demo | IMAGE) [--features FEATURES.png] [--out DIR] [--segments K]
 * [--seed S] [--threads T]}
 */
public final class SegmentMain {

	private SegmentMain() {}

	public static void main(final String[] args) throws IOException {
		final Settings settings = new Settings();
		Path input = null, features = null, out = Path.of("sss-output");
		boolean demo = false;
		try {
			for (int i = 0; i < args.length; i++) {
				switch (args[i]) {
					case "--demo": demo = true; break;
					case "--features": features = Path.of(args[++i]); break;
					case "--out": out = Path.of(args[++i]); break;
					case "--segments": settings.layers = Integer.parseInt(args[++i]); break;
					case "--seed": settings.seed = Long.parseLong(args[++i]); break;
					case "--threads": settings.threads = Integer.parseInt(args[++i]); break;
					case "-h": case "--help": usage(0); break;
					default:
						if (args[i].startsWith("-") || input != null) usage(2);
						input = Path.of(args[i]);
				}
			}
		}
		catch (final ArrayIndexOutOfBoundsException | NumberFormatException e) {
			usage(2);
		}
		if (demo == (input != null)) usage(2);

		final PlanarImage image;
		final String name;
		SyntheticScene scene = null;
		if (demo) {
			scene = SyntheticScene.create(240, 180, 3, 7);
			image = scene.image();
			name = "demo";
		}
		else {
			image = ImageFiles.read(input);
			name = input.getFileName().toString().replaceFirst("\\.[^.]+$", "");
		}
		final PlanarImage featureImage = features == null ? null : ImageFiles.read(features);
		final Progress progress = new Progress() {
			private String last = "";

			@Override
			public void report(final String stage, final double fraction) {
				if (!stage.equals(last)) {
					System.err.printf(Locale.ROOT, "[%3.0f%%] %s%n", 100 * fraction, stage);
					last = stage;
				}
			}
		};
		final SegmentationResult r;
		try {
			r = SemanticSoftSegmentation.run(image, featureImage, settings, progress, false);
		}
		catch (final IllegalArgumentException e) {
			System.err.println("Error: " + e.getMessage());
			System.exit(1);
			return;
		}
		Files.createDirectories(out);
		final PlanarImage layers = r.layers();
		for (int k = 0; k < layers.channels(); k++) {
			ImageFiles.writePng(new PlanarImage(layers.width(), layers.height(), new float[][] { layers.plane(k) }),
				out.resolve(String.format(Locale.ROOT, "%s_layer%d.png", name, k + 1)));
		}
		ImageFiles.writePng(LayerVisualization.composite(layers), out.resolve(name + "_layers.png"));
		for (final String note : r.notes()) System.err.println("Note: " + note);
		final List<String> times = new ArrayList<>();
		for (final Map.Entry<String, Double> e : r.stageSeconds().entrySet()) {
			times.add(String.format(Locale.ROOT, "%s %.2f s", e.getKey(), e.getValue()));
		}
		System.out.println(String.join(", ", times));
		if (scene != null) {
			for (int s = 0; s < scene.shapes(); s++) {
				System.out.println("shape " + (s + 1) + ": best subset " + BestSubset.find(layers, scene.alphas()[s]));
			}
		}
		System.out.println("Wrote " + layers.channels() + " layers to " + out.toAbsolutePath());
	}

	private static void usage(final int code) {
		System.err.println("Usage: sss (--demo | IMAGE) [--features FEATURES] [--out DIR] [--segments K] " +
			"[--seed S] [--threads T]");
		System.exit(code);
	}
}
