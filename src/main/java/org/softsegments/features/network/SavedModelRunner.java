package org.softsegments.features.network;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.softsegments.core.Progress;
import org.softsegments.image.PlanarImage;
import org.softsegments.image.Resize;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import ai.djl.util.PairList;

/**
 * A TensorFlow SavedModel run by DJL's TensorFlow engine, tile by tile (see {@link FeatureNetwork}
 * for the tiling contract): the image is normalised as the card says, padded by reflection
 * (without repeating the edge pixel) and cut into tiles whose cores are at most
 * {@code tileSize × tileSize} pixels, each run with {@link ModelCard#tileMargin()} pixels of context.
 */
final class SavedModelRunner implements FeatureNetwork.Runner {

	private final ModelCard card;
	private final Model model;
	private final Predictor<NDList, NDList> predictor;
	private final int outputIndex;

	private SavedModelRunner(final ModelCard card, final Model model, final Predictor<NDList, NDList> predictor, final int outputIndex) {
		this.card = card;
		this.model = model;
		this.predictor = predictor;
		this.outputIndex = outputIndex;
	}

	@Override
	public ModelCard card() {
		return card;
	}

	static SavedModelRunner load(final Path modelDir) {
		if (modelDir == null) throw new IllegalArgumentException("Feature model folder is null");
		if (!Files.isDirectory(modelDir)) {
			throw new IllegalArgumentException("Feature model folder not found: " + modelDir.toAbsolutePath()
				+ " (expected a TensorFlow SavedModel folder with saved_model.pb and " + ModelCard.FILE_NAME + ")");
		}
		if (!Files.isRegularFile(modelDir.resolve("saved_model.pb"))) {
			throw new IllegalArgumentException("The feature model folder " + modelDir.toAbsolutePath()
				+ " has no saved_model.pb: it must be a TensorFlow SavedModel (TF 2.x, tag 'serve')");
		}
		final ModelCard card = ModelCard.read(modelDir);
		TensorFlowRuntime.ensureLoaded();
		checkSavedModel(modelDir, card);
		final Model model = Model.newInstance(card.name(), ai.djl.Device.cpu(), "TensorFlow");
		try {
			final Map<String, Object> options = new HashMap<>();
			options.put("Tags", String.join(",", card.tags()));
			options.put("SignatureDefKey", card.signature());
			try {
				model.load(modelDir, null, options);
			}
			catch (final IOException | MalformedModelException | RuntimeException e) {
				if (e instanceof RuntimeException && !TensorFlowConflicts.tensorFlow1Locations(FeatureNetwork.class
					.getClassLoader()).isEmpty())
				{
					throw TensorFlowConflicts.explain(e, SavedModelRunner.class.getClassLoader());
				}
				throw new IllegalArgumentException("The feature model in " + modelDir.toAbsolutePath()
					+ " could not be loaded as a TensorFlow SavedModel with tags " + String.join(",", card.tags()) + ": "
					+ e.getMessage() + " (is saved_model.pb complete and written by TensorFlow 2.x?)", e);
			}
			final int outputIndex = checkSignature(model, card, modelDir);
			final Predictor<NDList, NDList> predictor = model.newPredictor(new NoopTranslator());
			return new SavedModelRunner(card, model, predictor, outputIndex);
		}
		catch (final RuntimeException e) {
			model.close();
			throw e;
		}
	}

	/**
	 * Reads saved_model.pb (a protocol buffer) and checks that it holds a meta graph with the card's
	 * tags and, in it, the card's signature; DJL would otherwise fall back silently to another
	 * signature.
	 */
	private static void checkSavedModel(final Path modelDir, final ModelCard card) {
		final org.tensorflow.proto.framework.SavedModel saved;
		try (InputStream in = Files.newInputStream(modelDir.resolve("saved_model.pb"))) {
			saved = org.tensorflow.proto.framework.SavedModel.parseFrom(in);
		}
		catch (final IOException | RuntimeException e) {
			throw new IllegalArgumentException("The feature model in " + modelDir.toAbsolutePath()
				+ " could not be loaded as a TensorFlow SavedModel: saved_model.pb is not readable (" + e.getMessage()
				+ "); copy the model folder again", e);
		}
		final List<String> wanted = java.util.Arrays.asList(card.tags());
		final List<List<String>> available = new java.util.ArrayList<>();
		for (final org.tensorflow.proto.framework.MetaGraphDef mg : saved.getMetaGraphsList()) {
			final List<String> tags = mg.getMetaInfoDef().getTagsList();
			available.add(tags);
			if (tags.size() == wanted.size() && tags.containsAll(wanted)) {
				if (!mg.getSignatureDefMap().containsKey(card.signature())) {
					throw new IllegalArgumentException("The model in " + modelDir + " has no signature '" + card.signature()
						+ "' (it has " + new java.util.TreeSet<>(mg.getSignatureDefMap().keySet()) + "): fix \"signature\" in "
						+ ModelCard.FILE_NAME);
				}
				return;
			}
		}
		throw new IllegalArgumentException("The model in " + modelDir + " has no meta graph with tags " + wanted + " (it has "
			+ available + "): fix \"tags\" in " + ModelCard.FILE_NAME);
	}

	/** Checks the signature against the card; returns the index of the output among the signature's outputs. */
	private static int checkSignature(final Model model, final ModelCard card, final Path modelDir) {
		final PairList<String, Shape> inputs = model.describeInput();
		final PairList<String, Shape> outputs = model.describeOutput();
		if (inputs.size() != 1 || !inputs.get(0).getKey().equals(card.inputName())) {
			throw new IllegalArgumentException("The model in " + modelDir + " has inputs " + inputs.keys() + " in signature '"
				+ card.signature() + "', but its model card names the single input '" + card.inputName()
				+ "': fix \"input\".\"name\" (or \"signature\") in " + ModelCard.FILE_NAME);
		}
		final Shape in = inputs.get(0).getValue();
		if (in.dimension() != 4 || (in.get(3) != 3 && in.get(3) != -1)) {
			throw new IllegalArgumentException("The model input '" + card.inputName() + "' has shape " + in
				+ "; a feature network needs an NHWC image input [N, H, W, 3]");
		}
		final List<String> names = outputs.keys();
		final int idx = names.indexOf(card.outputName());
		if (idx < 0) {
			throw new IllegalArgumentException("The model in " + modelDir + " has outputs " + names + " in signature '"
				+ card.signature() + "', but its model card names '" + card.outputName() + "': fix \"output\".\"name\" in "
				+ ModelCard.FILE_NAME);
		}
		final Shape out = outputs.get(idx).getValue();
		if (out.dimension() != 4 || (out.get(3) != -1 && out.get(3) != card.channels())) {
			throw new IllegalArgumentException("The model output '" + card.outputName() + "' has shape " + out + ", but the model card says D = "
				+ card.channels() + " channels (NHWC [N, H, W, D]): fix \"output\".\"channels\" in " + ModelCard.FILE_NAME);
		}
		return idx;
	}

	@Override
	public PlanarImage features(final PlanarImage rgb, final int outW, final int outH, final int tileSize, final Progress progress) {
		final PlanarImage raw = features(rgb, tileSize, progress);
		return raw.width() == outW && raw.height() == outH ? raw : Resize.smooth(raw, outW, outH);
	}

	/** Raw features at the image size, tile by tile. */
	private PlanarImage features(final PlanarImage rgb, final int tileSize, final Progress progress) {
		if (predictor == null) throw new IllegalStateException("Feature network is closed");
		final int mult = card.paddingMultiple();
		final int margin = card.tileMargin();
		final int core = Math.max(mult, tileSize / mult * mult);
		final int w = rgb.width(), h = rgb.height(), d = card.channels();
		final int tilesX = (w + core - 1) / core, tilesY = (h + core - 1) / core;
		final float[][] out = new float[d][w * h];
		progress.checkpoint("features", 0);
		for (int ty = 0; ty < tilesY; ty++) {
			for (int tx = 0; tx < tilesX; tx++) {
				final int cx = tx * core, cy = ty * core;
				final int cw = Math.min(core, w - cx), ch = Math.min(core, h - cy);
				final int ww = roundUp(cw, mult) + 2 * margin, wh = roundUp(ch, mult) + 2 * margin;
				final float[] tile = runTile(window(rgb, cx - margin, cy - margin, ww, wh), ww, wh);
				for (int y = 0; y < ch; y++) {
					for (int x = 0; x < cw; x++) {
						final int src = ((y + margin) * ww + x + margin) * d;
						final int dst = cx + x + (cy + y) * w;
						for (int c = 0; c < d; c++) out[c][dst] = tile[src + c];
					}
				}
				progress.checkpoint("features", (double) (ty * tilesX + tx + 1) / (tilesX * tilesY));
			}
		}
		return new PlanarImage(w, h, out);
	}

	/** NHWC window [wh, ww, 3] starting at (x0, y0), reflected outside the image, normalised as the card says. */
	private float[] window(final PlanarImage rgb, final int x0, final int y0, final int ww, final int wh) {
		final int w = rgb.width(), h = rgb.height();
		final boolean grey = rgb.channels() == 1;
		final float[] in = new float[ww * wh * 3];
		for (int y = 0; y < wh; y++) {
			final int sy = reflect(y0 + y, h);
			for (int x = 0; x < ww; x++) {
				final int s = reflect(x0 + x, w) + sy * w;
				final int o = (x + y * ww) * 3;
				for (int c = 0; c < 3; c++) in[o + card.modelChannel(c)] = card.normalise(rgb.plane(grey ? 0 : c)[s], c);
			}
		}
		return in;
	}

	private float[] runTile(final float[] nhwc, final int ww, final int wh) {
		try (NDManager manager = model.getNDManager().newSubManager()) {
			final NDArray input = manager.create(nhwc, new Shape(1, wh, ww, 3));
			final NDList result;
			try {
				result = predictor.predict(new NDList(input));
			}
			catch (final LinkageError e) {
				throw TensorFlowConflicts.explain(e, SavedModelRunner.class.getClassLoader());
			}
			catch (final TranslateException | RuntimeException e) {
				throw new IllegalArgumentException("The feature model " + card.name() + " failed on a " + ww + "×" + wh + " input: "
					+ e.getMessage(), e);
			}
			final NDArray o = result.get(outputIndex);
			final Shape s = o.getShape();
			if (s.dimension() != 4 || s.get(0) != 1 || s.get(1) != wh || s.get(2) != ww || s.get(3) != card.channels()) {
				throw new IllegalArgumentException("The feature model " + card.name() + " returned shape " + s + " for input [1, " + wh + ", "
					+ ww + ", 3]; expected [1, " + wh + ", " + ww + ", " + card.channels()
					+ "] (same size as the input, D from the model card)");
			}
			return o.toFloatArray();
		}
	}

	private static int roundUp(final int v, final int m) {
		return (v + m - 1) / m * m;
	}

	private static int reflect(final int i, final int n) {
		return FeatureNetwork.reflect(i, n);
	}

	@Override
	public void close() {
		predictor.close();
		model.close();
	}
}
