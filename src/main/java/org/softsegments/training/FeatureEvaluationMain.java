package org.softsegments.training;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

import org.softsegments.core.Progress;
import org.softsegments.features.network.FeatureNetwork;
import org.softsegments.features.network.ModelCard;
import org.softsegments.image.PlanarImage;

import com.google.gson.JsonObject;

/**
 * Evaluates an exported feature model on the held-out split of the training data and records the
 * result in its model card ({@code "validation"}) (run by {@code scripts/train-features.sh evaluate}):
 * <pre>
 * FeatureEvaluationMain MODEL_DIR [--data ../shared/data/train] [--max-side 0] [--images 1000]
 *                       [--pairs 2000] [--radius 24] [--no-write]
 * </pre>
 * First times {@link FeatureNetwork#features} on a 640×480 image (median of 3 runs after a warm-up)
 * and reports the process's peak resident memory at that point.
 */
public final class FeatureEvaluationMain {

	private FeatureEvaluationMain() {}

	public static void main(final String[] args) throws IOException {
		if (args.length == 0) throw new IllegalArgumentException("Usage: FeatureEvaluationMain MODEL_DIR [options]");
		final Path modelDir = Path.of(args[0]);
		Path data = Path.of("../shared/data/train");
		int maxSide = 0, images = 1000, pairs = 2000, radius = 24;
		boolean write = true;
		for (int i = 1; i < args.length; i++) {
			switch (args[i]) {
				case "--data": data = Path.of(args[++i]); break;
				case "--max-side": maxSide = Integer.parseInt(args[++i]); break;
				case "--images": images = Integer.parseInt(args[++i]); break;
				case "--pairs": pairs = Integer.parseInt(args[++i]); break;
				case "--radius": radius = Integer.parseInt(args[++i]); break;
				case "--no-write": write = false; break;
				default: throw new IllegalArgumentException("Unknown option " + args[i]);
			}
		}
		final SharedDataset val = SharedDataset.split(data, SharedDataset.VALIDATION_FRACTION)[1];
		try (FeatureNetwork net = FeatureNetwork.load(modelDir)) {
			final PlanarImage img = TinyModels640.image();
			net.features(img);
			final double[] t = new double[3];
			for (int k = 0; k < 3; k++) {
				final long a = System.nanoTime();
				net.features(img, FeatureNetwork.DEFAULT_TILE_SIZE, Progress.NONE);
				t[k] = (System.nanoTime() - a) / 1e9;
			}
			Arrays.sort(t);
			final long peakKb = peakRssKb();
			System.out.printf(Locale.ROOT, "features at 640×480: %.2f s (median of 3; %d processors); peak resident memory of the process so far (JVM + TensorFlow) %d MB%n",
				t[1], Runtime.getRuntime().availableProcessors(), peakKb / 1024);

			final long t0 = System.nanoTime();
			final FeatureEvaluation.Scores[] s = FeatureEvaluation.evaluate(net, val, images, maxSide, pairs, radius);
			final double evalSeconds = (System.nanoTime() - t0) / 1e9;
			System.out.printf(Locale.ROOT, "validation (%d images, %s): raw features %s; preprocessed 3-channel %s; RGB colour %s (%.0f s)%n",
				Math.min(images, val.size()), maxSide > 0 ? "longer side ≤ " + maxSide : "full resolution", s[0], s[1], s[2], evalSeconds);

			if (write) {
				final JsonObject card = ModelCard.read(modelDir).json();
				final JsonObject v = new JsonObject();
				v.addProperty("images", Math.min(images, val.size()));
				v.addProperty("cocoImages", val.cocoCount());
				v.addProperty("resolution", maxSide > 0 ? "longer side ≤ " + maxSide : "full resolution");
				v.addProperty("pairsPerImage", pairs);
				v.addProperty("localRadius", radius);
				v.addProperty("aucRawFeatures", round(s[0].global));
				v.addProperty("aucRawFeaturesLocal", round(s[0].local));
				v.addProperty("aucPreprocessed3Channel", round(s[1].global));
				v.addProperty("aucPreprocessed3ChannelLocal", round(s[1].local));
				v.addProperty("aucRgbBaseline", round(s[2].global));
				v.addProperty("aucRgbBaselineLocal", round(s[2].local));
				final String[] kinds = { "RawFeatures", "Preprocessed3Channel", "RgbBaseline" };
				for (int k = 0; k < 3; k++) {
					v.addProperty("aucBsds" + kinds[k], round(s[k].bsdsGlobal));
					v.addProperty("aucBsds" + kinds[k] + "Local", round(s[k].bsdsLocal));
					v.addProperty("aucCoco" + kinds[k], round(s[k].cocoGlobal));
					v.addProperty("aucCoco" + kinds[k] + "Local", round(s[k].cocoLocal));
				}
				v.addProperty("definition", "pixel pairs from held-out images (10% of BSDS500 and of COCO, fixed split): AUC of "
					+ "'same region' vs 'different region' scored by Euclidean feature distance; global = pairs anywhere in the image, "
					+ "local = within " + radius + " px; BSDS500 regions from one human segmentation, COCO instances (0 and 255 ignored)");
				card.add("validation", v);
				final JsonObject perf = new JsonObject();
				perf.addProperty("seconds640x480", round(t[1]));
				perf.addProperty("processors", Runtime.getRuntime().availableProcessors());
				perf.addProperty("peakResidentMB", peakKb / 1024);
				perf.addProperty("note", "FeatureNetwork.features on a 640×480 image, one tile, median of 3 after a warm-up, "
					+ "on a shared 2-core machine; peak resident memory of the whole JVM process (heap included) after loading "
					+ "the model and these 4 runs");
				card.add("performance", perf);
				ModelCard.of(card).write(modelDir);
				System.out.println("updated " + modelDir.resolve(ModelCard.FILE_NAME));
			}
		}
	}

	private static double round(final double v) {
		return Math.round(v * 10000) / 10000.0;
	}

	/** Peak resident set size of this process (Linux), or −1. */
	static long peakRssKb() {
		try {
			for (final String line : Files.readAllLines(Path.of("/proc/self/status"))) {
				if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
			}
		}
		catch (final IOException | RuntimeException e) {
			// not Linux
		}
		return -1;
	}

	/** A synthetic 640×480 test image (no photographs needed). */
	static final class TinyModels640 {

		static PlanarImage image() {
			final int w = 640, h = 480;
			final java.util.Random rng = new java.util.Random(1);
			final float[][] p = new float[3][w * h];
			for (int y = 0; y < h; y++) {
				for (int x = 0; x < w; x++) {
					final int i = x + y * w;
					final boolean disc = Math.hypot(x - 250, y - 240) < 120;
					p[0][i] = (float) Math.min(1, Math.max(0, (disc ? 0.8 : 0.2) + 0.3 * x / w + 0.05 * rng.nextGaussian()));
					p[1][i] = (float) Math.min(1, Math.max(0, 0.4 + 0.2 * y / h + 0.05 * rng.nextGaussian()));
					p[2][i] = (float) Math.min(1, Math.max(0, (disc ? 0.1 : 0.6) + 0.05 * rng.nextGaussian()));
				}
			}
			return new PlanarImage(w, h, p);
		}
	}
}
