package org.softsegments.features.network;

import java.nio.file.Path;
import java.util.Arrays;

import org.softsegments.core.Progress;
import org.softsegments.features.network.tflite.TfLiteFile;
import org.softsegments.features.network.tflite.TfLiteGraph;
import org.softsegments.image.PlanarImage;
import org.softsegments.image.Resize;

/**
 * A TensorFlow Lite segmentation network used as a feature source: the file is read
 * ({@link TfLiteFile}), rebuilt as a TensorFlow graph ({@link TfLiteGraph}) up to the card's feature
 * tensor(s), and fed the photo at its fixed input size as the card's {@link ModelCard.Feed} says.
 * The feature tensors (often at a stride of the input, e.g. 129×129 for a 513×513 input) are
 * resampled to the requested size; several tensors are resampled to the largest grid and
 * concatenated.
 */
final class TfLiteRunner implements FeatureNetwork.Runner {

	private final ModelCard card;
	private final TfLiteGraph graph;
	private final int inW, inH;

	private TfLiteRunner(final ModelCard card, final TfLiteGraph graph) {
		this.card = card;
		this.graph = graph;
		inH = graph.input().shape[1];
		inW = graph.input().shape[2];
	}

	static TfLiteRunner load(final Path file, final com.google.gson.JsonObject overrides) {
		final TfLiteFile model = TfLiteFile.read(file);
		final ModelCard card = TfLiteCards.card(file, model, overrides);
		final TfLiteFile.Tensor in = model.inputs().get(0);
		if (!in.name.equals(card.inputName())) {
			throw new IllegalArgumentException("The TFLite model " + file + " has the input '" + in.name + "', but its model card names '"
				+ card.inputName() + "': fix \"input\".\"name\" in " + TfLiteCards.cardFile(file));
		}
		if (in.shape.length != 4 || in.shape[3] != 3 || in.shape[1] < 8 || in.shape[2] < 8) {
			throw new IllegalArgumentException("The TFLite model " + file + " has the input " + in
				+ "; a feature network needs a fixed-size RGB image input [1, H, W, 3]");
		}
		int d = 0;
		for (final String n : card.outputNames()) {
			final TfLiteFile.Tensor t = model.tensor(n);
			if (t == null) {
				throw new IllegalArgumentException("The TFLite model " + file + " has no tensor '" + n + "' (model card "
					+ TfLiteCards.cardFile(file) + ", \"output\"). Its 4-D tensors computed from the input are: "
					+ TfLiteGraph.featureCandidates(model));
			}
			if (t.shape.length != 4 || t.shape[0] != 1) {
				throw new IllegalArgumentException("The TFLite tensor '" + n + "' has shape " + Arrays.toString(t.shape)
					+ "; features must be a 4-D map [1, h, w, D]. Candidates: " + TfLiteGraph.featureCandidates(model));
			}
			if (t.type == TfLiteFile.INT64 || t.type == TfLiteFile.INT32) {
				throw new IllegalArgumentException("The TFLite tensor '" + n + "' holds integers (" + TfLiteFile.typeName(t.type)
					+ ", e.g. class ids); features must be real-valued. Candidates: " + TfLiteGraph.featureCandidates(model));
			}
			d += t.shape[3];
		}
		if (d != card.channels()) {
			throw new IllegalArgumentException("The TFLite feature tensor(s) " + String.join(", ", card.outputNames()) + " have " + d
				+ " channels, but the model card says D = " + card.channels() + ": fix \"output\".\"channels\" in " + TfLiteCards.cardFile(file));
		}
		return new TfLiteRunner(card, TfLiteGraph.build(model, Arrays.asList(card.outputNames())));
	}

	@Override
	public ModelCard card() {
		return card;
	}

	/** Features resampled straight from the network's grid to {@code outW × outH}; the tile size does not apply (the input size is fixed). */
	@Override
	public PlanarImage features(final PlanarImage rgb, final int outW, final int outH, final int tileSize, final Progress progress) {
		final int w = rgb.width(), h = rgb.height();
		progress.checkpoint("features", 0);
		final PlanarImage out;
		switch (card.feed()) {
			case PAD: {
				final double f = Math.min((double) inW / w, (double) inH / h);
				final int sw = Math.max(1, Math.min(inW, (int) Math.round(w * f))), sh = Math.max(1, Math.min(inH, (int) Math.round(h * f)));
				final PlanarImage grid = run(pad(Resize.smooth(rgb, sw, sh)));
				// the part of the output grid that covers the photo
				final int gw = grid.width(), gh = grid.height();
				final int cw = Math.max(1, (int) Math.round(sw * (double) gw / inW)), ch = Math.max(1, (int) Math.round(sh * (double) gh / inH));
				out = Resize.smooth(crop(grid, 0, 0, cw, ch), outW, outH);
				break;
			}
			case TILE:
				out = Resize.smooth(tiles(rgb, progress), outW, outH);
				break;
			case RESIZE:
			default:
				out = Resize.smooth(run(Resize.smooth(rgb, inW, inH)), outW, outH);
				break;
		}
		progress.checkpoint("features", 1);
		return out;
	}

	/**
	 * The photo scaled so that its short side is the input's, cut into evenly spaced overlapping
	 * input-sized tiles along the long side; the tiles' output grids are blended on one grid over
	 * the scaled photo, with weights that fall linearly to each tile's edges (1 in the middle).
	 */
	private PlanarImage tiles(final PlanarImage rgb, final Progress progress) {
		final int w = rgb.width(), h = rgb.height();
		final double f = Math.max((double) inW / w, (double) inH / h);
		final int sw = Math.max(inW, (int) Math.round(w * f)), sh = Math.max(inH, (int) Math.round(h * f));
		final PlanarImage scaled = Resize.smooth(rgb, sw, sh);
		final int nx = tileCount(sw, inW), ny = tileCount(sh, inH);
		final int d = card.channels();
		float[][] acc = null;
		float[] weight = null;
		int gw = 0, gh = 0, aw = 0, ah = 0;
		int done = 0;
		for (int ty = 0; ty < ny; ty++) {
			final int y0 = ny == 1 ? 0 : (int) Math.round((double) ty * (sh - inH) / (ny - 1));
			for (int tx = 0; tx < nx; tx++) {
				final int x0 = nx == 1 ? 0 : (int) Math.round((double) tx * (sw - inW) / (nx - 1));
				final PlanarImage t = run(crop(scaled, x0, y0, inW, inH));
				if (acc == null) {
					gw = t.width();
					gh = t.height();
					aw = (int) Math.round((double) sw * gw / inW);
					ah = (int) Math.round((double) sh * gh / inH);
					acc = new float[d][aw * ah];
					weight = new float[aw * ah];
				}
				final int gx0 = Math.min(aw - gw, (int) Math.round((double) x0 * gw / inW));
				final int gy0 = Math.min(ah - gh, (int) Math.round((double) y0 * gh / inH));
				for (int y = 0; y < gh; y++) {
					final float wy = ny == 1 ? 1 : edgeWeight(y, gh);
					for (int x = 0; x < gw; x++) {
						final float wt = wy * (nx == 1 ? 1 : edgeWeight(x, gw));
						final int o = gx0 + x + (gy0 + y) * aw;
						weight[o] += wt;
						for (int c = 0; c < d; c++) acc[c][o] += wt * t.plane(c)[x + y * gw];
					}
				}
				progress.checkpoint("features", (double) ++done / (nx * ny));
			}
		}
		for (int i = 0; i < weight.length; i++) {
			final float inv = 1f / weight[i];
			for (int c = 0; c < d; c++) acc[c][i] *= inv;
		}
		return new PlanarImage(aw, ah, acc);
	}

	/** Tiles of length {@code tile} along {@code length}, neighbours overlapping by at least a quarter tile. */
	static int tileCount(final int length, final int tile) {
		return length <= tile ? 1 : 1 + (int) Math.ceil((length - tile) / (0.75 * tile));
	}

	/** Blending weight across a tile: 1 in the middle half, falling linearly to a small positive value at the edges. */
	private static float edgeWeight(final int i, final int n) {
		final double u = (i + 0.5) / n;
		final double e = Math.min(u, 1 - u) * 4;
		return (float) Math.max(0.02, Math.min(1, e));
	}

	/** Reflection-padded to the input size, image at the top left. */
	private PlanarImage pad(final PlanarImage img) {
		final int w = img.width(), h = img.height();
		final float[][] p = new float[img.channels()][inW * inH];
		for (int y = 0; y < inH; y++) {
			final int sy = FeatureNetwork.reflect(y, h);
			for (int x = 0; x < inW; x++) {
				final int s = FeatureNetwork.reflect(x, w) + sy * w;
				for (int c = 0; c < p.length; c++) p[c][x + y * inW] = img.plane(c)[s];
			}
		}
		return new PlanarImage(inW, inH, p);
	}

	private static PlanarImage crop(final PlanarImage img, final int x0, final int y0, final int cw, final int ch) {
		final float[][] p = new float[img.channels()][cw * ch];
		for (int c = 0; c < p.length; c++) {
			for (int y = 0; y < ch; y++) System.arraycopy(img.plane(c), x0 + (y0 + y) * img.width(), p[c], y * cw, cw);
		}
		return new PlanarImage(cw, ch, p);
	}

	/** Runs the network on an input-sized RGB image; returns the feature tensors on the largest grid. */
	private PlanarImage run(final PlanarImage rgb) {
		final float[] nhwc = new float[inW * inH * 3];
		for (int i = 0; i < inW * inH; i++) {
			for (int c = 0; c < 3; c++) nhwc[i * 3 + card.modelChannel(c)] = card.normalise(rgb.plane(c)[i], c);
		}
		final float[][] outs;
		try {
			outs = graph.run(nhwc);
		}
		catch (final LinkageError e) {
			throw TensorFlowConflicts.explain(e, TfLiteRunner.class.getClassLoader());
		}
		int gw = 0, gh = 0;
		for (final TfLiteFile.Tensor t : graph.outputs()) {
			gw = Math.max(gw, t.shape[2]);
			gh = Math.max(gh, t.shape[1]);
		}
		final float[][] planes = new float[card.channels()][];
		int c0 = 0;
		for (int k = 0; k < outs.length; k++) {
			final int[] s = graph.outputs().get(k).shape;
			final int th = s[1], tw = s[2], td = s[3];
			final float[][] p = new float[td][tw * th];
			for (int i = 0; i < tw * th; i++) {
				for (int c = 0; c < td; c++) p[c][i] = outs[k][i * td + c];
			}
			final PlanarImage grid = tw == gw && th == gh ? new PlanarImage(tw, th, p) : Resize.smooth(new PlanarImage(tw, th, p), gw, gh);
			for (int c = 0; c < td; c++) planes[c0 + c] = grid.plane(c);
			c0 += td;
		}
		return new PlanarImage(gw, gh, planes);
	}

	@Override
	public void close() {
		graph.close();
	}
}
