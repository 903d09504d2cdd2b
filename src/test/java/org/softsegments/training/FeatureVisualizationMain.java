package org.softsegments.training;

import java.nio.file.Files;
import java.nio.file.Path;

import org.softsegments.core.Progress;
import org.softsegments.features.network.FeatureNetwork;
import org.softsegments.image.PlanarImage;
import org.softsegments.io.ImageFiles;

/**
 * Writes the 3-channel (spec §3.1) visualisation of the bundled network's features for some
 * photographs: {@code FeatureVisualizationMain OUT_DIR [--max-side 640] IMAGE...}. For looking at,
 * not for committing (the photographs' licences do not allow it).
 */
public final class FeatureVisualizationMain {

	private FeatureVisualizationMain() {}

	public static void main(final String[] args) throws Exception {
		final Path out = Path.of(args[0]);
		Files.createDirectories(out);
		int maxSide = 640;
		try (FeatureNetwork net = FeatureNetwork.bundled()) {
			for (int i = 1; i < args.length; i++) {
				if (args[i].equals("--max-side")) {
					maxSide = Integer.parseInt(args[++i]);
					continue;
				}
				final Path in = Path.of(args[i]);
				PlanarImage img = ImageFiles.read(in);
				final int side = Math.max(img.width(), img.height());
				if (side > maxSide) img = Augmentation.resize(new LabelledImage(img, new int[img.pixels()]), (double) maxSide / side).rgb();
				final long t = System.nanoTime();
				final PlanarImage f = net.preprocessedFeatures(img, Progress.NONE);
				final String name = in.getFileName().toString().replaceAll("\\.[a-z]+$", "");
				ImageFiles.writePng(f, out.resolve(name + "-features.png"));
				ImageFiles.writePng(img, out.resolve(name + "-image.png"));
				System.out.printf("%s %d×%d: %.2f s%n", name, img.width(), img.height(), (System.nanoTime() - t) / 1e9);
			}
		}
	}
}
