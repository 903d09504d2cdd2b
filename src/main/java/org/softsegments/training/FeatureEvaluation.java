package org.softsegments.training;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.softsegments.engine.Progress;
import org.softsegments.features.FeaturePreprocessing;
import org.softsegments.features.network.FeatureNetwork;
import org.softsegments.image.PlanarImage;

/**
 * Embedding quality on held-out images: {@link PairAuc pixel-pair AUC} (same region vs different,
 * by feature distance) pooled over the images, for the raw D-dimensional features, for the
 * 3-channel features after spec §3.1 preprocessing (what the pipeline uses), and for plain RGB
 * colour as a baseline. Pairs: {@code pairs} per image for each kind, anywhere in the image
 * ("global") and within {@code radius} pixels ("local"). For BSDS500, image {@code i} uses the
 * segmentation chosen by {@code new SplittableRandom(1000 + i)}.
 */
public final class FeatureEvaluation {

	private FeatureEvaluation() {}

	/** AUCs of one feature kind. */
	public static final class Scores {

		public final double global;
		public final double local;

		Scores(final double global, final double local) {
			this.global = global;
			this.local = local;
		}

		@Override
		public String toString() {
			return String.format(java.util.Locale.ROOT, "global %.4f, local %.4f", global, local);
		}
	}

	/** Scores for {raw network features, preprocessed 3-channel features, RGB}. */
	public static Scores[] evaluate(final FeatureNetwork net, final TrainingSource images, final int maxImages, final int maxSide,
		final int pairs, final int radius) throws IOException
	{
		final List<List<PairAuc.Pairs>> g = new ArrayList<>(), l = new ArrayList<>();
		for (int k = 0; k < 3; k++) {
			g.add(new ArrayList<>());
			l.add(new ArrayList<>());
		}
		final int n = Math.min(maxImages, images.size());
		for (int i = 0; i < n; i++) {
			LabelledImage img = images.load(i, new SplittableRandom(1000 + i));
			final int side = Math.max(img.width(), img.height());
			if (maxSide > 0 && side > maxSide) img = Augmentation.resize(img, (double) maxSide / side);
			final PlanarImage[] kinds = new PlanarImage[3];
			if (net != null) {
				kinds[0] = net.features(img.rgb());
				kinds[1] = FeaturePreprocessing.preprocess(kinds[0], img.rgb(), Progress.NONE);
			}
			kinds[2] = img.rgb();
			for (int k = 0; k < 3; k++) {
				if (kinds[k] == null) continue;
				g.get(k).add(PairAuc.sample(kinds[k], img.labels(), pairs, 0, 7919L * i + 1));
				l.get(k).add(PairAuc.sample(kinds[k], img.labels(), pairs, radius, 7919L * i + 2));
			}
		}
		final Scores[] out = new Scores[3];
		for (int k = 0; k < 3; k++) out[k] = new Scores(PairAuc.Pairs.concat(g.get(k)).auc(), PairAuc.Pairs.concat(l.get(k)).auc());
		return out;
	}
}
