package org.softsegments.features.network;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.softsegments.core.Progress;
import org.softsegments.features.FeaturePreprocessing;
import org.softsegments.image.PlanarImage;
import org.softsegments.image.Resize;

/**
 * The {@code features} stage: per-pixel semantic features from a network run offline through
 * TensorFlow (paper §3.5 / spec §3.1 input; the network replaces the unavailable one of spec §6,
 * see {@code models/README.md}). Two kinds of model load:
 * <ul>
 * <li>a <b>TensorFlow SavedModel folder</b> with {@code saved_model.pb} and
 * {@value ModelCard#FILE_NAME}, run by DJL's TensorFlow engine ({@link SavedModelRunner}): the
 * image is normalised as the card says, padded by reflection and cut into tiles whose cores are at
 * most {@code tileSize × tileSize} pixels, each run with {@link ModelCard#tileMargin()} pixels of
 * context; tile origins are multiples of the padding multiple, so the result equals a single pass
 * wherever the receptive field fits in the margin;</li>
 * <li>a <b>TensorFlow Lite file</b> ({@code .tflite}), read and rebuilt as a TensorFlow graph in
 * the same runtime ({@link TfLiteRunner}), with an optional card {@code <name>.json} beside it
 * ({@link TfLiteCards}: which tensors are the features, normalisation, how the photo is fed to the
 * fixed input size).</li>
 * </ul>
 * A card's {@code inputMaxSide} makes the network run on the photo downscaled to that long side.
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

	/** One kind of model: features at the image's size. */
	interface Runner extends AutoCloseable {

		ModelCard card();

		/** Features of {@code rgb} resampled to {@code outW × outH}. */
		PlanarImage features(PlanarImage rgb, int outW, int outH, int tileSize, Progress progress);

		@Override
		void close();
	}

	private final Path path;
	private Runner runner;

	private FeatureNetwork(final Path path, final Runner runner) {
		this.path = path;
		this.runner = runner;
	}

	/**
	 * Loads a SavedModel folder with its model card, or a {@code .tflite} file (with or without a
	 * card beside it).
	 *
	 * @throws IllegalArgumentException if the folder or file, the card or the model is missing or
	 *           broken, the model does not have the input/output the card names, or a TFLite model
	 *           uses an operator that cannot be run (the message names it)
	 * @throws IllegalStateException if the TensorFlow runtime is unavailable (see {@link TensorFlowRuntime}),
	 *           TensorFlow 1.x classes on the class path get in the way, or a jar the network needs is
	 *           missing (see {@link TensorFlowConflicts#explain})
	 */
	public static FeatureNetwork load(final Path model) {
		return load(model, null);
	}

	/**
	 * As {@link #load(Path)}; for a {@code .tflite} file {@code cardOverrides} (may be null)
	 * replaces top-level fields of its card, e.g. {@code {"feed": "tile"}}.
	 */
	public static FeatureNetwork load(final Path model, final com.google.gson.JsonObject cardOverrides) {
		// DJL finds its engines with ServiceLoader through the context class loader: make it ours
		// (in Fiji, or in a class loader of its own, the caller's may not see the TensorFlow engine)
		final Thread thread = Thread.currentThread();
		final ClassLoader before = thread.getContextClassLoader();
		thread.setContextClassLoader(FeatureNetwork.class.getClassLoader());
		try {
			if (model == null) throw new IllegalArgumentException("Feature model is null");
			if (Files.isRegularFile(model)) {
				if (!isTfLite(model)) {
					throw new IllegalArgumentException("The feature model " + model.toAbsolutePath() + " is a file but not a TensorFlow Lite model "
						+ "(no 'TFL3' identifier); give a .tflite file or a SavedModel folder with saved_model.pb and " + ModelCard.FILE_NAME);
				}
				return new FeatureNetwork(model, TfLiteRunner.load(model, cardOverrides));
			}
			if (!Files.isDirectory(model)) {
				throw new IllegalArgumentException("Feature model not found: " + model.toAbsolutePath()
					+ " (expected a .tflite file, or a TensorFlow SavedModel folder with saved_model.pb and " + ModelCard.FILE_NAME + ")");
			}
			return new FeatureNetwork(model, SavedModelRunner.load(model));
		}
		catch (final RuntimeException | LinkageError e) {
			// TensorFlow 1.x on the class path, missing jars: said clearly; model problems as they are
			throw TensorFlowConflicts.explain(e, FeatureNetwork.class.getClassLoader());
		}
		finally {
			thread.setContextClassLoader(before);
		}
	}

	/** Whether {@code file} starts like a TFLite FlatBuffer ('TFL3' at byte 4). */
	static boolean isTfLite(final Path file) {
		try (InputStream in = Files.newInputStream(file)) {
			final byte[] b = in.readNBytes(8);
			return b.length == 8 && b[4] == 'T' && b[5] == 'F' && b[6] == 'L' && b[7] == '3';
		}
		catch (final IOException e) {
			throw new IllegalArgumentException("The feature model file " + file.toAbsolutePath() + " is not readable: " + e.getMessage(), e);
		}
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
		return runner().card();
	}

	/** D, the number of feature channels. */
	public int channels() {
		return runner().card().channels();
	}

	/** The model folder or file. */
	public Path modelDir() {
		return path;
	}

	/** {@link #features(PlanarImage, int, Progress)} with the default tile size and no progress. */
	public PlanarImage features(final PlanarImage rgb) {
		return features(rgb, DEFAULT_TILE_SIZE, Progress.NONE);
	}

	/**
	 * Raw D-channel features of {@code rgb} (3 channels, or 1 grey channel used for R, G and B;
	 * values in [0, 1]), same size as the image.
	 *
	 * @param tileSize maximum tile core size per side for SavedModels (rounded down to the padding
	 *          multiple, at least one multiple); TFLite models have a fixed input size
	 * @param progress stage "features", fraction = tiles done / tiles
	 */
	public PlanarImage features(final PlanarImage rgb, final int tileSize, final Progress progress) {
		return features(rgb, rgb == null ? 0 : rgb.width(), rgb == null ? 0 : rgb.height(), tileSize, progress);
	}

	/**
	 * Raw features resampled to {@code outW × outH} (e.g. the fast path's working resolution):
	 * the network runs on the photo (downscaled first when the card sets {@code inputMaxSide}) and
	 * its output is resized ({@link Resize#smooth}), so large photos need no full-size D-channel image.
	 */
	public synchronized PlanarImage features(final PlanarImage rgb, final int outW, final int outH, final int tileSize,
		final Progress progress)
	{
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
		if (outW < 1 || outH < 1) throw new IllegalArgumentException("Feature size must be positive, got " + outW + "×" + outH);
		final Runner r = runner();
		final PlanarImage colour = rgb.channels() == 1
			? new PlanarImage(rgb.width(), rgb.height(), new float[][] { rgb.plane(0), rgb.plane(0), rgb.plane(0) })
			: rgb;
		PlanarImage in = colour;
		final int maxSide = r.card().inputMaxSide();
		final int side = Math.max(rgb.width(), rgb.height());
		if (maxSide > 0 && side > maxSide) {
			final double f = (double) maxSide / side;
			in = Resize.smooth(colour, Math.max(1, (int) Math.round(rgb.width() * f)), Math.max(1, (int) Math.round(rgb.height() * f)));
		}
		return r.features(in, outW, outH, tileSize, progress);
	}

	/** {@link #features} followed by {@link FeaturePreprocessing#preprocess} (spec §3.1): 3 channels in [0, 1]. */
	public PlanarImage preprocessedFeatures(final PlanarImage rgb, final Progress progress) {
		final PlanarImage guide = rgb != null && rgb.channels() == 1
			? new PlanarImage(rgb.width(), rgb.height(), new float[][] { rgb.plane(0), rgb.plane(0), rgb.plane(0) })
			: rgb;
		return FeaturePreprocessing.preprocess(features(rgb, DEFAULT_TILE_SIZE, progress), guide, progress);
	}

	private Runner runner() {
		if (runner == null) throw new IllegalStateException("Feature network is closed");
		return runner;
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
		if (runner != null) runner.close();
		runner = null;
	}

	@Override
	public String toString() {
		return "FeatureNetwork[" + (runner == null ? "closed" : runner.card().name() + ", D=" + runner.card().channels()) + ", " + path + "]";
	}
}
