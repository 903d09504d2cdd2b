package org.softsegments.training;

import java.nio.file.Path;
import java.util.Locale;

import org.softsegments.core.Progress;
import org.softsegments.engine.SegmentationResult;
import org.softsegments.engine.SemanticSoftSegmentation;
import org.softsegments.engine.Settings;
import org.softsegments.eval.BestSubset;
import org.softsegments.features.network.FeatureNetwork;
import org.softsegments.image.PlanarImage;
import org.softsegments.io.ImageFiles;

/**
 * Pipeline quality with the bundled network's features versus colour only, on alpha-matting
 * cases of {@code ../shared/data/eval-dev}: best-subset SAD (thousands) and MSE over the whole
 * image and over trimap1's unknown region. {@code MattingComparisonMain SCALE CASE...}, e.g.
 * {@code 0.25 GT01 GT02 GT05}.
 */
public final class MattingComparisonMain {

	private MattingComparisonMain() {}

	public static void main(final String[] args) throws Exception {
		final double scale = Double.parseDouble(args[0]);
		final Path root = Path.of("../shared/data/eval-dev/alphamatting");
		try (FeatureNetwork net = FeatureNetwork.bundled()) {
			for (int i = 1; i < args.length; i++) {
				final Path dir = root.resolve(args[i]);
				final PlanarImage img = shrink(ImageFiles.read(dir.resolve("image.png")), scale);
				final float[] alpha = shrink(ImageFiles.read(dir.resolve("alpha.png")), scale).plane(0);
				final float[] trimap = shrink(ImageFiles.read(dir.resolve("trimap1.png")), scale).plane(0);
				final boolean[] unknown = new boolean[trimap.length];
				for (int p = 0; p < trimap.length; p++) unknown[p] = trimap[p] > 0.1 && trimap[p] < 0.9;
				for (final boolean withNet : new boolean[] { false, true }) {
					final long t = System.nanoTime();
					final PlanarImage features = withNet ? net.features(img) : null;
					final SegmentationResult r = SemanticSoftSegmentation.run(img, features, new Settings(), Progress.NONE, false);
					final BestSubset.Match all = BestSubset.find(r.layers(), alpha);
					final BestSubset.Match unk = BestSubset.find(r.layers(), alpha, unknown);
					System.out.printf(Locale.ROOT, "%s %d×%d %-8s SAD %.3f k MSE %.5f | unknown region SAD %.3f k MSE %.5f | %.0f s%n",
						args[i], img.width(), img.height(), withNet ? "network" : "colour", all.sad / 1000, all.mse, unk.sad / 1000, unk.mse,
						(System.nanoTime() - t) / 1e9);
				}
			}
		}
	}

	/** Box-supersampled bilinear shrink of a 1- or 3-channel image. */
	static PlanarImage shrink(final PlanarImage img, final double scale) {
		final boolean grey = img.channels() == 1;
		final PlanarImage rgb = grey ? new PlanarImage(img.width(), img.height(), new float[][] { img.plane(0), img.plane(0), img.plane(0) }) : img;
		final PlanarImage s = Augmentation.resize(new LabelledImage(rgb, new int[rgb.pixels()]), scale).rgb();
		return grey ? new PlanarImage(s.width(), s.height(), new float[][] { s.plane(0) }) : s;
	}
}
