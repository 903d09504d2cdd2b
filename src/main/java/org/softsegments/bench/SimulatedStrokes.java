package org.softsegments.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.softsegments.engine.StrokeLabels;

/**
 * Strokes a user could have drawn, simulated from a case's ground truth for the benchmark of the
 * scribble-guided grouping (issue 18):
 * <ul>
 * <li>matting cases: {@link #STROKES_PER_SIDE} short strokes in the trimap's definite foreground
 * (label 1) and as many in its definite background (label 2);</li>
 * <li>instance cases: one stroke in every instance covering at least {@link #MIN_INSTANCE} of the
 * image (labels 1…m) and {@link #STROKES_PER_SIDE} in the background (label m + 1).</li>
 * </ul>
 * A stroke is a straight segment {@link #WIDTH} pixels wide and {@link #LENGTH} of the image's
 * diagonal long, lying wholly inside its region (its centre at least half a length plus a margin
 * from the region's border, by a chamfer distance transform); the strokes of a region are spread
 * out (each next centre the farthest from the previous ones among random candidates). Fixed seed:
 * the same strokes whatever the pipeline's seed. {@link #correct} adds the stroke a user would
 * draw next, where the result is most visibly wrong (the protocol of click-based interactive
 * segmentation benchmarks, with strokes).
 */
public final class SimulatedStrokes {

	public static final int STROKES_PER_SIDE = 3;
	public static final double MIN_INSTANCE = 0.01;
	public static final double LENGTH = 0.04;
	public static final int WIDTH = 3;
	private static final long SEED = 20181212;

	private SimulatedStrokes() {}

	/**
	 * Simulated strokes with the truth they were drawn from: {@code truth[i]} is the stroke label
	 * pixel {@code i} should get (0 where the truth is unsure: a trimap's unknown band, a small
	 * instance), for {@link #correct}.
	 */
	public record Strokes(StrokeLabels labels, int[] truth) {}

	/** Strokes for a matting case from its trimap (0 background, 255 foreground); null when a side has no room. */
	public static Strokes matting(final int w, final int h, final int[] trimap) {
		final int[] labels = new int[w * h], truth = new int[w * h];
		final SplittableRandom random = new SplittableRandom(SEED);
		final boolean fg = draw(w, h, region(trimap, 255), 1, STROKES_PER_SIDE, labels, random);
		final boolean bg = draw(w, h, region(trimap, 0), 2, STROKES_PER_SIDE, labels, random);
		for (int i = 0; i < truth.length; i++) truth[i] = trimap[i] == 255 ? 1 : trimap[i] == 0 ? 2 : 0;
		return fg && bg ? new Strokes(new StrokeLabels(w, h, labels), truth) : null;
	}

	/** Strokes for an instance case (label 0 = background); null when no instance is large enough. */
	public static Strokes instances(final int w, final int h, final int[] instanceLabels) {
		int max = 0;
		for (final int l : instanceLabels) max = Math.max(max, l);
		final int[] area = new int[max + 1];
		for (final int l : instanceLabels) area[l]++;
		final int[] labels = new int[w * h], truth = new int[w * h];
		final int[] strokeLabel = new int[max + 1];
		final SplittableRandom random = new SplittableRandom(SEED);
		int next = 1;
		for (int id = 1; id <= max; id++) {
			if (area[id] < MIN_INSTANCE * w * h) continue;
			if (draw(w, h, region(instanceLabels, id), next, 1, labels, random)) strokeLabel[id] = next++;
		}
		if (next == 1 || !draw(w, h, region(instanceLabels, 0), next, STROKES_PER_SIDE, labels, random)) return null;
		strokeLabel[0] = next;
		for (int i = 0; i < truth.length; i++) truth[i] = strokeLabel[instanceLabels[i]];
		return new Strokes(new StrokeLabels(w, h, labels), truth);
	}

	/**
	 * A user's correction: one more stroke, drawn where the result is most visibly wrong: at the
	 * deepest point (chamfer distance) of the pixels whose true label's layer holds less than half,
	 * with that label. Null when no such region is at least {@link #WIDTH} pixels deep.
	 *
	 * @param layers the result of the strokes so far (layer {@code j − 1} for label {@code j})
	 */
	public static Strokes correct(final Strokes strokes, final org.softsegments.image.PlanarImage layers) {
		final int w = layers.width(), h = layers.height(), n = w * h;
		final int[] truth = strokes.truth();
		final boolean[] wrong = new boolean[n];
		for (int i = 0; i < n; i++) wrong[i] = truth[i] > 0 && layers.plane(truth[i] - 1)[i] < 0.5f;
		final float[] depth = distance(w, h, wrong);
		int deepest = -1;
		for (int i = 0; i < n; i++) if (deepest < 0 || depth[i] > depth[deepest]) deepest = i;
		if (deepest < 0 || depth[deepest] < WIDTH) return null;
		final int label = truth[deepest];
		// the stroke lies in the wrong region of that label only
		final boolean[] region = new boolean[n];
		for (int i = 0; i < n; i++) region[i] = wrong[i] && truth[i] == label;
		final int[] labels = strokes.labels().labels();
		final int[] single = new int[n];
		drawAt(w, h, region, label, deepest, Math.min(LENGTH * Math.hypot(w, h) / 2, Math.max(0, depth[deepest] - WIDTH)), 0,
			single);
		for (int i = 0; i < n; i++) if (single[i] != 0) labels[i] = single[i];
		return new Strokes(new StrokeLabels(w, h, labels), truth);
	}

	private static boolean[] region(final int[] values, final int value) {
		final boolean[] r = new boolean[values.length];
		for (int i = 0; i < r.length; i++) r[i] = values[i] == value;
		return r;
	}

	/** Draws {@code count} strokes of {@code label} inside {@code region}; false if the region is empty. */
	private static boolean draw(final int w, final int h, final boolean[] region, final int label, final int count,
		final int[] labels, final SplittableRandom random)
	{
		final float[] dist = distance(w, h, region);
		final double length = LENGTH * Math.hypot(w, h);
		float best = 0;
		for (final float d : dist) best = Math.max(best, d);
		if (best <= 0) return false;
		// centres deep enough for a whole stroke, or the deepest pixels of a thin region
		final float need = (float) Math.min(length / 2 + WIDTH, best);
		final List<Integer> candidates = new ArrayList<>();
		for (int i = 0; i < dist.length; i++) if (dist[i] >= need) candidates.add(i);
		final double half = Math.min(length / 2, Math.max(0, best - WIDTH));
		final List<Integer> centres = new ArrayList<>();
		for (int s = 0; s < count; s++) {
			int chosen = -1;
			double far = -1;
			for (int t = 0; t < 32; t++) {
				final int c = candidates.get(random.nextInt(candidates.size()));
				double nearest = Double.POSITIVE_INFINITY;
				for (final int o : centres) nearest = Math.min(nearest, Math.hypot(c % w - o % w, c / w - o / w));
				if (nearest > far) {
					far = nearest;
					chosen = c;
				}
			}
			centres.add(chosen);
			drawAt(w, h, region, label, chosen, half, random.nextDouble() * Math.PI, labels);
		}
		return true;
	}

	/** A straight stroke of {@link #WIDTH} pixels through {@code centre}, {@code half} long each way, clipped to the region. */
	private static void drawAt(final int w, final int h, final boolean[] region, final int label, final int centre,
		final double half, final double angle, final int[] labels)
	{
		final double dx = Math.cos(angle), dy = Math.sin(angle);
		final int cx = centre % w, cy = centre / w;
		for (double t = -half; t <= half; t += 0.5) {
			final double x = cx + t * dx, y = cy + t * dy;
			for (int oy = -WIDTH / 2; oy <= WIDTH / 2; oy++) {
				for (int ox = -WIDTH / 2; ox <= WIDTH / 2; ox++) {
					final int px = (int) Math.round(x) + ox, py = (int) Math.round(y) + oy;
					if (px >= 0 && py >= 0 && px < w && py < h && region[py * w + px]) labels[py * w + px] = label;
				}
			}
		}
	}

	/** Chamfer (3-4) distance in pixels from each region pixel to the nearest pixel outside (or the image border). */
	static float[] distance(final int w, final int h, final boolean[] region) {
		final float big = 1e9f;
		final float[] d = new float[w * h];
		for (int i = 0; i < d.length; i++) d[i] = region[i] ? big : 0;
		for (int y = 0; y < h; y++) {
			for (int x = 0; x < w; x++) {
				final int i = y * w + x;
				if (d[i] == 0) continue;
				float v = x == 0 || y == 0 || x == w - 1 || y == h - 1 ? 1 : big;
				if (x > 0) v = Math.min(v, d[i - 1] + 1);
				if (y > 0) v = Math.min(v, d[i - w] + 1);
				if (x > 0 && y > 0) v = Math.min(v, d[i - w - 1] + 1.4142f);
				if (x < w - 1 && y > 0) v = Math.min(v, d[i - w + 1] + 1.4142f);
				d[i] = v;
			}
		}
		for (int y = h - 1; y >= 0; y--) {
			for (int x = w - 1; x >= 0; x--) {
				final int i = y * w + x;
				if (d[i] == 0) continue;
				float v = d[i];
				if (x < w - 1) v = Math.min(v, d[i + 1] + 1);
				if (y < h - 1) v = Math.min(v, d[i + w] + 1);
				if (x < w - 1 && y < h - 1) v = Math.min(v, d[i + w + 1] + 1.4142f);
				if (x > 0 && y < h - 1) v = Math.min(v, d[i + w - 1] + 1.4142f);
				d[i] = v;
			}
		}
		return d;
	}
}
