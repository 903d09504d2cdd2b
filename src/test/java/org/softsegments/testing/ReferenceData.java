package org.softsegments.testing;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Assumptions;
import org.softsegments.image.PlanarImage;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * The authors' reference outputs under {@code ../shared/reference} (see its README): the one place
 * that knows where they are, how their files are laid out (MATLAB column-major arrays,
 * little-endian, 1-based labels, a {@code .json} beside each binary giving dtype and dims) and
 * how a test skips when they are absent.
 * <p>
 * A test starts with {@link #docia()}: when the folder is missing the test is skipped (a JUnit
 * assumption, so it shows as skipped, not passed) and a line on standard error says what was
 * skipped and why. Call it in each test: from a {@code @BeforeAll} it would abort the whole class,
 * which Surefire counts neither as run nor as skipped (shared set-up can check {@link #available}
 * and leave the skipping to the tests). Arrays come back in this project's layout: planes indexed
 * {@code x + y·w}, labels 0-based.
 */
public final class ReferenceData {

	/** Root of the shared reference outputs, relative to the repository root (Maven's working directory). */
	public static final Path ROOT = Path.of("../shared/reference");

	/** The 320×320 demo photo run ({@code docia_320}). */
	public static final String DOCIA_320 = "docia_320";

	private final Path dir;

	private ReferenceData(final Path dir) {
		this.dir = dir;
	}

	/** Whether the reference run {@code name} is present. */
	public static boolean available(final String name) {
		return Files.isDirectory(ROOT.resolve(name));
	}

	/**
	 * The reference run {@code name}; skips the calling test (an assumption, reported on the console
	 * by {@link SkipReporter}) when it is absent.
	 *
	 * @param what what the caller checks, for the skip message
	 */
	public static ReferenceData require(final String name, final String what) {
		final Path dir = ROOT.resolve(name);
		if (!Files.isDirectory(dir)) {
			// SkipReporter prints the reason on the console
			Assumptions.assumeTrue(false, what + " needs " + dir + " (absolute " + dir.toAbsolutePath().normalize()
				+ "), which is absent");
		}
		return new ReferenceData(dir);
	}

	/** {@link #require(String, String)} for {@code docia_320}, the caller's class named in the message. */
	public static ReferenceData docia() {
		return require(DOCIA_320, StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE).getCallerClass()
			.getSimpleName());
	}

	/** The folder of this run. */
	public Path dir() {
		return dir;
	}

	/** A file of this run. */
	public Path file(final String fileName) {
		return dir.resolve(fileName);
	}

	/** The input photo ({@code image.png}) in [0, 1]. */
	public PlanarImage image() throws IOException {
		return readPng(file("image.png"));
	}

	/** The preprocessed 3-channel features ({@code features.png}) in [0, 1]. */
	public PlanarImage features() throws IOException {
		return readPng(file("features.png"));
	}

	/**
	 * A float32 array {@code name.f32} of dims h×w(×K) as K planes of w×h ({@code x + y·w}); dims
	 * from {@code name.json}.
	 */
	public PlanarImage planes(final String name) throws IOException {
		final int[] dims = dims(name, "float32", 2, 3);
		return readColumnMajor(file(name + ".f32"), dims[1], dims[0], dims.length > 2 ? dims[2] : 1);
	}

	/** An int32 h×w label map {@code name.i32} as 0-based labels indexed {@code x + y·w}. */
	public int[] labels(final String name) throws IOException {
		final int[] dims = dims(name, "int32", 2, 2);
		return readLabels(file(name + ".i32"), dims[1], dims[0]);
	}

	/** An int32 vector {@code name.i32} as stored (MATLAB values, e.g. 1-based ids). */
	public int[] ints(final String name) throws IOException {
		final int[] dims = dims(name, "int32", 1, 2);
		final ByteBuffer buf = bytes(file(name + ".i32"), 4L * count(dims));
		final int[] out = new int[count(dims)];
		for (int i = 0; i < out.length; i++) out[i] = buf.getInt(4 * i);
		return out;
	}

	/** A float64 vector {@code name.f64}. */
	public double[] doubles(final String name) throws IOException {
		final int[] dims = dims(name, "float64", 1, 2);
		final ByteBuffer buf = bytes(file(name + ".f64"), 8L * count(dims));
		final double[] out = new double[count(dims)];
		for (int i = 0; i < out.length; i++) out[i] = buf.getDouble(8 * i);
		return out;
	}

	/** The {@code name.json} of this run as a JSON object (e.g. {@code summary}). */
	public JsonObject json(final String name) throws IOException {
		return JsonParser.parseString(Files.readString(file(name + ".json"))).getAsJsonObject();
	}

	/** The dims of {@code name} from its json, checking dtype and rank (trailing 1s dropped). */
	private int[] dims(final String name, final String dtype, final int minRank, final int maxRank) throws IOException {
		final JsonObject meta = json(name);
		final String actual = meta.get("dtype").getAsString();
		if (!dtype.equals(actual)) throw new IOException(name + " holds " + actual + ", expected " + dtype);
		final JsonArray array = meta.getAsJsonArray("dims");
		int rank = array.size();
		while (rank > minRank && array.get(rank - 1).getAsInt() == 1) rank--;
		if (rank > maxRank) throw new IOException(name + " has dims " + array + ", expected at most " + maxRank);
		final int[] dims = new int[rank];
		for (int i = 0; i < rank; i++) dims[i] = array.get(i).getAsInt();
		return dims;
	}

	private static int count(final int[] dims) {
		int n = 1;
		for (final int d : dims) n *= d;
		return n;
	}

	private static ByteBuffer bytes(final Path file, final long expectedLength) throws IOException {
		final byte[] raw = Files.readAllBytes(file);
		if (raw.length != expectedLength) {
			throw new IOException(file + " has " + raw.length + " bytes, expected " + expectedLength);
		}
		return ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
	}

	/**
	 * A MATLAB-order (column-major) float32 little-endian h×w×k file as k planes indexed
	 * {@code x + y·w}.
	 */
	public static PlanarImage readColumnMajor(final Path file, final int w, final int h, final int k) throws IOException {
		final ByteBuffer buf = bytes(file, 4L * w * h * k);
		final float[][] planes = new float[k][w * h];
		for (int c = 0; c < k; c++) {
			for (int x = 0; x < w; x++) {
				for (int y = 0; y < h; y++) planes[c][x + y * w] = buf.getFloat();
			}
		}
		return new PlanarImage(w, h, planes);
	}

	/** The planes of {@link #readColumnMajor} widened to double. */
	public static double[][] toDouble(final PlanarImage image) {
		final double[][] out = new double[image.channels()][image.pixels()];
		for (int c = 0; c < out.length; c++) {
			final float[] p = image.plane(c);
			for (int i = 0; i < p.length; i++) out[c][i] = p[i];
		}
		return out;
	}

	/** A column-major int32 h×w file of 1-based labels as 0-based labels indexed {@code x + y·w}. */
	public static int[] readLabels(final Path file, final int w, final int h) throws IOException {
		final ByteBuffer buf = bytes(file, 4L * w * h);
		final int[] labels = new int[w * h];
		for (int x = 0; x < w; x++) {
			for (int y = 0; y < h; y++) labels[x + y * w] = buf.getInt() - 1;
		}
		return labels;
	}

	/** An 8-bit RGB PNG as 3 planes in [0, 1] (sample / 255, as MATLAB {@code im2double}, rounded to float). */
	public static PlanarImage readPng(final Path file) throws IOException {
		final int[][] samples = pngSamples(file);
		final int w = samples[0][0], h = samples[0][1];
		final float[][] planes = new float[3][w * h];
		for (int c = 0; c < 3; c++) {
			for (int i = 0; i < w * h; i++) planes[c][i] = samples[c + 1][i] / 255f;
		}
		return new PlanarImage(w, h, planes);
	}

	/** An RGB image in double precision: {@code planes[c][x + y·width]}. */
	public record DoubleRgb(int width, int height, double[][] planes) {}

	/** An 8-bit RGB PNG as double planes in [0, 1] (sample / 255 in double, as {@code im2double}). */
	public static DoubleRgb readPngAsDouble(final Path file) throws IOException {
		final int[][] samples = pngSamples(file);
		final int n = samples[1].length;
		final double[][] out = new double[3][n];
		for (int c = 0; c < 3; c++) {
			for (int i = 0; i < n; i++) out[c][i] = samples[c + 1][i] / 255.0;
		}
		return new DoubleRgb(samples[0][0], samples[0][1], out);
	}

	/** {@code {{w, h}, red, green, blue}}: the raw 8-bit samples, indexed {@code x + y·w}. */
	private static int[][] pngSamples(final Path file) throws IOException {
		final BufferedImage img = ImageIO.read(file.toFile());
		if (img == null) throw new IOException("not a readable image: " + file);
		final Raster raster = img.getRaster();
		if (raster.getNumBands() < 3 || img.getColorModel().getComponentSize(0) != 8) {
			throw new IOException(file + " is not an 8-bit RGB image");
		}
		final int w = img.getWidth(), h = img.getHeight();
		final int[][] out = { { w, h }, new int[w * h], new int[w * h], new int[w * h] };
		for (int y = 0; y < h; y++) {
			for (int x = 0; x < w; x++) {
				for (int c = 0; c < 3; c++) out[c + 1][x + y * w] = raster.getSample(x, y, c);
			}
		}
		return out;
	}
}
