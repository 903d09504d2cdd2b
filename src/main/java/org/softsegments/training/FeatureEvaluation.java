package org.softsegments.training;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.softsegments.core.Progress;
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

	/** AUCs of one feature kind: all images, BSDS500 images, COCO images; global and local pairs. */
	public static final class Scores {

		public final double global;
		public final double local;
		public final double bsdsGlobal;
		public final double bsdsLocal;
		public final double cocoGlobal;
		public final double cocoLocal;

		Scores(final double[] v) {
			global = v[0];
			local = v[1];
			bsdsGlobal = v[2];
			bsdsLocal = v[3];
			cocoGlobal = v[4];
			cocoLocal = v[5];
		}

		@Override
		public String toString() {
			return String.format(java.util.Locale.ROOT, "global %.4f, local %.4f (BSDS %.4f / %.4f, COCO %.4f / %.4f)", global, local,
				bsdsGlobal, bsdsLocal, cocoGlobal, cocoLocal);
		}
	}

	/** Scores for {raw network features, preprocessed 3-channel features, RGB}; {@code net} may be null (RGB only). */
	public static Scores[] evaluate(final FeatureNetwork net, final TrainingSource images, final int maxImages, final int maxSide,
		final int pairs, final int radius) throws IOException
	{
		// pairs[kind][subset: 0 all, 1 bsds, 2 coco][0 global, 1 local]
		final List<List<List<List<PairAuc.Pairs>>>> acc = new ArrayList<>();
		for (int k = 0; k < 3; k++) {
			final List<List<List<PairAuc.Pairs>>> bySubset = new ArrayList<>();
			for (int s = 0; s < 3; s++) bySubset.add(List.of(new ArrayList<>(), new ArrayList<>()));
			acc.add(bySubset);
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
			final int subset = images.name(i).startsWith("coco") ? 2 : 1;
			for (int k = 0; k < 3; k++) {
				if (kinds[k] == null) continue;
				final PairAuc.Pairs g = PairAuc.sample(kinds[k], img.labels(), pairs, 0, 7919L * i + 1);
				final PairAuc.Pairs l = PairAuc.sample(kinds[k], img.labels(), pairs, radius, 7919L * i + 2);
				for (final int s : new int[] { 0, subset }) {
					acc.get(k).get(s).get(0).add(g);
					acc.get(k).get(s).get(1).add(l);
				}
			}
		}
		final Scores[] out = new Scores[3];
		for (int k = 0; k < 3; k++) {
			final double[] v = new double[6];
			for (int s = 0; s < 3; s++) {
				for (int r = 0; r < 2; r++) v[2 * s + r] = PairAuc.Pairs.concat(acc.get(k).get(s).get(r)).auc();
			}
			out[k] = new Scores(v);
		}
		return out;
	}
}
