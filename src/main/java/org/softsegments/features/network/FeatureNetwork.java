package org.softsegments.features.network;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.softsegments.engine.Progress;
import org.softsegments.features.FeaturePreprocessing;
import org.softsegments.image.PlanarImage;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import ai.djl.util.Pair;
import ai.djl.util.PairList;

/**
 * The {@code features} stage: per-pixel semantic features from a TensorFlow SavedModel run by
 * DJL's TensorFlow engine, offline (paper §3.5 / spec §3.1 input; the network itself replaces
 * the unavailable one of spec §6, see {@code models/README.md}).
 * <p>
 * A model folder holds {@code saved_model.pb} (tag and signature from the {@link ModelCard}) and
 * {@value ModelCard#FILE_NAME}. The image is normalised as the card says, padded by reflection
 * (without repeating the edge pixel) and cut into tiles: every tile's core is at most
 * {@code tileSize × tileSize} pixels and is run with {@link ModelCard#tileMargin()} pixels of
 * context on each side; tile origins are multiples of the padding multiple, so pooling grids line
 * up with a single pass and the result equals a single pass wherever the receptive field fits in
 * the margin (elsewhere it differs slightly). Memory stays bounded by the tile size. Images up to
 * {@value #DEFAULT_TILE_SIZE} pixels on each side run as one tile by default.
 * <p>
 * {@link #features} returns the raw D-channel image; {@link #preprocessedFeatures} applies
 * {@link FeaturePreprocessing} (spec §3.1: clamp, guided filter, PCA to 3, min–max) to it.
 * <p>
 * The bundled model ({@link #bundled()}) is found, in order: in the folder named by the system
 * property {@value #MODEL_PROPERTY}; as the class-path resource {@code models/}{@value #BUNDLED_NAME}
 * (the build copies {@code models/} into the jar; from a jar it is extracted once into
 * {@code java.io.tmpdir}); in {@code models/}{@value #BUNDLED_NAME} under the working directory.
 * <p>
 * Instances are thread-safe (calls are serialised) and must be {@link #close() closed}.
 */
public final class FeatureNetwork implements AutoCloseable {

	/** Folder name of the model shipped in {@code models/}. */
	public static final String BUNDLED_NAME = "sss-unet-d32";
	/** System property naming a model folder that {@link #bundled()} uses instead. */
	public static final String MODEL_PROPERTY = "softsegments.featureModel";
	/** Default maximum tile core size in pixels (per side). */
	public static final int DEFAULT_TILE_SIZE = 768;

	private static final String[] BUNDLED_FILES = { ModelCard.FILE_NAME, "saved_model.pb" };

	private final Path dir;
	private final ModelCard card;
	private final Model model;
	private final Predictor<NDList, NDList> predictor;
	private final int outputIndex;

	private FeatureNetwork(final Path dir, final ModelCard card, final Model model, final Predictor<NDList, NDList> predictor,
		final int outputIndex)
	{
		this.dir = dir;
		this.card = card;
		this.model = model;
		this.predictor = predictor;
		this.outputIndex = outputIndex;
	}

	/**
	 * Loads a SavedModel folder with its model card.
	 *
	 * @throws IllegalArgumentException if the folder, the card or the model is missing or broken,
	 *           or the model's signature does not have the input/output the card names
	 * @throws IllegalStateException if the TensorFlow runtime is unavailable (see {@link TensorFlowRuntime}),
	 *           TensorFlow 1.x classes on the class path get in the way, or a jar the network needs is
	 *           missing (see {@link TensorFlowConflicts#explain})
	 */
	public static FeatureNetwork load(final Path modelDir) {
		// DJL finds its engines with ServiceLoader through the context class loader: make it ours
		// (in Fiji, or in a class loader of its own, the caller's may not see the TensorFlow engine)
		final Thread thread = Thread.currentThread();
		final ClassLoader before = thread.getContextClassLoader();
		thread.setContextClassLoader(FeatureNetwork.class.getClassLoader());
		try {
			return loadFolder(modelDir);
		}
		catch (final RuntimeException | LinkageError e) {
			// TensorFlow 1.x on the class path, missing jars: said clearly; model folder problems as they are
			throw TensorFlowConflicts.explain(e, FeatureNetwork.class.getClassLoader());
		}
		finally {
			thread.setContextClassLoader(before);
		}
	}

	private static FeatureNetwork loadFolder(final Path modelDir) {
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
					throw TensorFlowConflicts.explain(e, FeatureNetwork.class.getClassLoader());
				}
				throw new IllegalArgumentException("The feature model in " + modelDir.toAbsolutePath()
					+ " could not be loaded as a TensorFlow SavedModel with tags " + String.join(",", card.tags()) + ": "
					+ e.getMessage() + " (is saved_model.pb complete and written by TensorFlow 2.x?)", e);
			}
			final int outputIndex = checkSignature(model, card, modelDir);
			final Predictor<NDList, NDList> predictor = model.newPredictor(new NoopTranslator());
			return new FeatureNetwork(modelDir, card, model, predictor, outputIndex);
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

	/** Loads the model shipped with the plugin (see the class documentation for where it is looked for). */
	public static FeatureNetwork bundled() {
		return load(bundledModelDir());
	}

	/** The folder of the bundled model, extracted from the jar if needed. */
	public static Path bundledModelDir() {
		final String prop = System.getProperty(MODEL_PROPERTY);
		if (prop != null && !prop.isBlank()) return Path.of(prop);
		final String res = "models/" + BUNDLED_NAME + "/" + ModelCard.FILE_NAME;
		final URL url = FeatureNetwork.class.getClassLoader().getResource(res);
		if (url != null) {
			try {
				if (url.getProtocol().equals("file")) return Path.of(url.toURI()).getParent();
				return extract(url);
			}
			catch (final IOException | URISyntaxException e) {
				throw new IllegalStateException("Could not extract the bundled feature model " + res + ": " + e.getMessage(), e);
			}
		}
		final Path local = Path.of("models", BUNDLED_NAME);
		if (Files.isDirectory(local)) return local;
		throw new IllegalArgumentException("The bundled feature model " + BUNDLED_NAME + " was not found: not in the system property "
			+ MODEL_PROPERTY + ", not on the class path (" + res + "), not in " + local.toAbsolutePath()
			+ ". Point " + MODEL_PROPERTY + " at a model folder or give a feature image.");
	}

	private static Path extract(final URL cardUrl) throws IOException {
		final byte[] cardBytes;
		try (InputStream in = cardUrl.openStream()) {
			cardBytes = in.readAllBytes();
		}
		final String key = Integer.toHexString(java.util.Arrays.hashCode(cardBytes));
		final Path target = Path.of(System.getProperty("java.io.tmpdir"), "softsegments-models", BUNDLED_NAME + "-" + key);
		if (Files.isRegularFile(target.resolve("saved_model.pb")) && Files.isRegularFile(target.resolve(ModelCard.FILE_NAME))) return target;
		Files.createDirectories(target.getParent());
		final Path tmp = Files.createTempDirectory(target.getParent(), BUNDLED_NAME + ".tmp");
		for (final String f : BUNDLED_FILES) {
			try (InputStream in = FeatureNetwork.class.getClassLoader().getResourceAsStream("models/" + BUNDLED_NAME + "/" + f)) {
				if (in == null) throw new IOException("missing resource models/" + BUNDLED_NAME + "/" + f);
				Files.copy(in, tmp.resolve(f), StandardCopyOption.REPLACE_EXISTING);
			}
		}
		Files.createDirectories(tmp.resolve("variables"));
		try {
			Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
		}
		catch (final IOException e) {
			// another process extracted it first
			if (!Files.isRegularFile(target.resolve("saved_model.pb"))) throw e;
		}
		return target;
	}

	/** The model card. */
	public ModelCard card() {
		return card;
	}

	/** D, the number of feature channels. */
	public int channels() {
		return card.channels();
	}

	/** The model folder. */
	public Path modelDir() {
		return dir;
	}

	/** {@link #features(PlanarImage, int, Progress)} with the default tile size and no progress. */
	public PlanarImage features(final PlanarImage rgb) {
		return features(rgb, DEFAULT_TILE_SIZE, Progress.NONE);
	}

	/**
	 * Raw D-channel features of {@code rgb} (3 channels, or 1 grey channel used for R, G and B;
	 * values in [0, 1]), same size as the image.
	 *
	 * @param tileSize maximum tile core size per side (rounded down to the padding multiple, at least one multiple)
	 * @param progress stage "features", fraction = tiles done / tiles
	 */
	public synchronized PlanarImage features(final PlanarImage rgb, final int tileSize, final Progress progress) {
		if (rgb == null) throw new IllegalArgumentException("Feature network needs an image, got null");
		if (rgb.channels() != 3 && rgb.channels() != 1) {
			throw new IllegalArgumentException("Feature network needs an RGB (3-channel) or grey (1-channel) image, got " + rgb.channels() + " channels");
		}
		for (int c = 0; c < rgb.channels(); c++) {
			for (final float v : rgb.plane(c)) {
				if (!Float.isFinite(v)) throw new IllegalArgumentException("Image values must be finite numbers in [0, 1]; channel " + c + " contains " + v);
			}
		}
		if (tileSize < 1) throw new IllegalArgumentException("Tile size must be positive, got " + tileSize);
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

	/** {@link #features} followed by {@link FeaturePreprocessing#preprocess} (spec §3.1): 3 channels in [0, 1]. */
	public PlanarImage preprocessedFeatures(final PlanarImage rgb, final Progress progress) {
		final PlanarImage guide = rgb != null && rgb.channels() == 1
			? new PlanarImage(rgb.width(), rgb.height(), new float[][] { rgb.plane(0), rgb.plane(0), rgb.plane(0) })
			: rgb;
		return FeaturePreprocessing.preprocess(features(rgb, DEFAULT_TILE_SIZE, progress), guide, progress);
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
				throw TensorFlowConflicts.explain(e, FeatureNetwork.class.getClassLoader());
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

	/** Reflection without repeating the edge pixel (…, 2, 1, 0, 1, 2, …), any overshoot. */
	static int reflect(final int i, final int n) {
		if (n == 1) return 0;
		final int period = 2 * n - 2;
		final int k = Math.floorMod(i, period);
		return k < n ? k : period - k;
	}

	@Override
	public synchronized void close() {
		predictor.close();
		model.close();
	}

	@Override
	public String toString() {
		return "FeatureNetwork[" + card.name() + ", D=" + card.channels() + ", " + dir + "]";
	}

	/** For diagnostics: the signature's outputs as (name, shape). */
	public List<Pair<String, Shape>> describeOutputs() {
		final PairList<String, Shape> o = model.describeOutput();
		final java.util.ArrayList<Pair<String, Shape>> list = new java.util.ArrayList<>();
		for (int i = 0; i < o.size(); i++) list.add(o.get(i));
		return list;
	}
}
