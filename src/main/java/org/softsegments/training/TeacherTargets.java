package org.softsegments.training;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.softsegments.image.PlanarImage;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * A folder of per-pixel target embeddings computed by a teacher network for training photos, the
 * training data of the {@link DistillationTrainer}:
 * <ul>
 * <li>{@value #JSON_FILE}: {@code {"teacher": {…provenance…}, "channels": C, "scale": s,
 * "projection": …}} ({@code teacher} and {@code projection} are free-form and describe how the
 * targets were made; values were divided by {@code scale} so that they are of order 1);</li>
 * <li>{@value #INDEX_FILE}: a header line {@code image\twidth\theight}, then one line per photo:
 * its path relative to the data root (e.g. {@code unlabelled/images/ade20k_ADE_val_00000001.jpg})
 * and the width and height of its target grid (the photo's aspect ratio, long side
 * {@value #LONG_SIDE}: {@link #gridSize});</li>
 * <li>per photo {@link #fileName the image path with / replaced by _ and the extension by
 * .f16}: little-endian IEEE float16 values, [height][width][C], no header.</li>
 * </ul>
 * The grid covers the whole photo with aligned pixel centres: cell (i, j) (row i, column j) is
 * centred on photo position {@code ((j + ½)·W/w − ½, (i + ½)·H/h − ½)} for a W×H photo and a w×h
 * grid, i.e. on normalised position {@code ((j + ½)/w, (i + ½)/h)}.
 * <p>
 * The {@link Writer} makes the folder resumable: each target file appears complete or not at all
 * (written beside it, then renamed) and gets its index line only afterwards, so a run that is
 * killed leaves a folder whose index lists only complete targets; a new writer on it keeps them
 * and the caller skips the photos it {@link Writer#has has}.
 */
public final class TeacherTargets {

	public static final String JSON_FILE = "targets.json";
	public static final String INDEX_FILE = "index.tsv";
	public static final String EXTENSION = ".f16";
	/** Long side of a target grid. */
	public static final int LONG_SIDE = 128;
	private static final String HEADER = "image\twidth\theight";

	private final Path folder;
	private final JsonObject json;
	private final int channels;
	private final double scale;
	private final List<Entry> entries;
	private final Map<String, Integer> byImage = new HashMap<>();

	private static final class Entry {

		final String image;
		final int width;
		final int height;

		Entry(final String image, final int width, final int height) {
			this.image = image;
			this.width = width;
			this.height = height;
		}
	}

	private TeacherTargets(final Path folder, final JsonObject json, final List<Entry> entries) {
		this.folder = folder;
		this.json = json;
		this.channels = json.get("channels").getAsInt();
		this.scale = json.get("scale").getAsDouble();
		this.entries = entries;
		for (int i = 0; i < entries.size(); i++) byImage.put(entries.get(i).image, i);
	}

	/**
	 * Opens a target folder. Index lines are checked; an unterminated last line (a writer still
	 * appending) is left out.
	 */
	public static TeacherTargets open(final Path folder) throws IOException {
		final JsonObject json = readJson(folder);
		final List<Entry> entries = readIndex(folder, json.get("channels").getAsInt(), false);
		return new TeacherTargets(folder, json, entries);
	}

	private static JsonObject readJson(final Path folder) throws IOException {
		final Path file = folder.resolve(JSON_FILE);
		if (!Files.isRegularFile(file)) {
			throw new IllegalArgumentException("Not a teacher target folder (no " + JSON_FILE + "): " + folder);
		}
		final JsonObject json;
		try {
			json = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
		}
		catch (final RuntimeException e) {
			throw new IllegalArgumentException(file + " is not a JSON object: " + e.getMessage(), e);
		}
		if (!json.has("channels") || !json.get("channels").isJsonPrimitive() || json.get("channels").getAsInt() < 1) {
			throw new IllegalArgumentException(file + ": \"channels\" must be a positive integer");
		}
		if (!json.has("scale") || !json.get("scale").isJsonPrimitive() || !(json.get("scale").getAsDouble() > 0)) {
			throw new IllegalArgumentException(file + ": \"scale\" must be a positive number");
		}
		return json;
	}

	/**
	 * The index's entries. Strict mode (reader): every complete line must be valid. Repair mode
	 * (writer): lines that do not parse or whose file is missing or has the wrong size are dropped.
	 */
	private static List<Entry> readIndex(final Path folder, final int channels, final boolean repair) throws IOException {
		final Path file = folder.resolve(INDEX_FILE);
		final List<Entry> out = new ArrayList<>();
		if (!Files.isRegularFile(file)) return out;
		final String text = Files.readString(file, StandardCharsets.UTF_8);
		final String[] lines = text.split("\n", -1);
		// the last element is "" when the file ends with a newline, else an unterminated line being written
		final Map<String, Integer> seen = new HashMap<>();
		for (int k = 0; k < lines.length - 1; k++) {
			final String line = lines[k];
			if (k == 0) {
				if (line.equals(HEADER)) continue;
				if (repair) break;
				throw new IOException(file + ": the first line must be \"" + HEADER.replace("\t", "\\t") + "\"");
			}
			if (line.isEmpty()) continue;
			final Entry e = parseLine(line);
			if (e == null || repair && !complete(folder, e, channels)) {
				if (repair) continue;
				throw new IOException(file + ", line " + (k + 1) + ": expected image<TAB>width<TAB>height, got \"" + line + "\"");
			}
			final Integer before = seen.put(e.image, out.size());
			if (before != null) out.set(before, null); // the later line wins
			out.add(e);
		}
		out.removeIf(Objects::isNull);
		return out;
	}

	private static Entry parseLine(final String line) {
		final String[] f = line.split("\t", -1);
		if (f.length != 3) return null;
		try {
			final int w = Integer.parseInt(f[1]), h = Integer.parseInt(f[2]);
			if (w < 1 || h < 1 || checkImagePath(f[0]) != null) return null;
			return new Entry(f[0], w, h);
		}
		catch (final NumberFormatException e) {
			return null;
		}
	}

	private static boolean complete(final Path folder, final Entry e, final int channels) throws IOException {
		final Path f = folder.resolve(fileName(e.image));
		return Files.isRegularFile(f) && Files.size(f) == 2L * e.width * e.height * channels;
	}

	/** Null if {@code image} is a usable relative path, else what is wrong with it. */
	private static String checkImagePath(final String image) {
		if (image.isEmpty() || image.startsWith("/") || image.contains("\\")) return "must be a relative path with / separators";
		for (final String part : image.split("/", -1)) {
			if (part.isEmpty() || part.equals(".") || part.equals("..")) return "must not contain empty, . or .. parts";
		}
		for (int i = 0; i < image.length(); i++) {
			if (Character.isISOControl(image.charAt(i))) return "must not contain tabs, newlines or other control characters";
		}
		return null;
	}

	/**
	 * The target file name of an image path: {@code /} replaced by {@code _} and the extension (if
	 * any) by {@value #EXTENSION}, e.g. {@code coco/images/000000001234.jpg} →
	 * {@code coco_images_000000001234.f16}.
	 */
	public static String fileName(final String image) {
		final int slash = image.lastIndexOf('/');
		final int dot = image.lastIndexOf('.');
		final String stem = dot > slash + 1 ? image.substring(0, dot) : image;
		return stem.replace('/', '_') + EXTENSION;
	}

	/** The target grid of a {@code width × height} photo: long side {@value #LONG_SIDE}, the other side rounded (at least 1). */
	public static int[] gridSize(final int width, final int height) {
		if (width < 1 || height < 1) throw new IllegalArgumentException("Photo size must be positive, got " + width + "×" + height);
		if (width >= height) return new int[] { LONG_SIDE, (int) Math.max(1, Math.round((double) height * LONG_SIDE / width)) };
		return new int[] { (int) Math.max(1, Math.round((double) width * LONG_SIDE / height)), LONG_SIDE };
	}

	public Path folder() {
		return folder;
	}

	/** The whole {@value #JSON_FILE} (a copy). */
	public JsonObject json() {
		return json.deepCopy();
	}

	/** The teacher's provenance ({@code "teacher"} of {@value #JSON_FILE}), or JSON null. */
	public JsonElement teacher() {
		return json.has("teacher") ? json.get("teacher").deepCopy() : JsonNull.INSTANCE;
	}

	/** C, the number of target channels. */
	public int channels() {
		return channels;
	}

	/** The factor the teacher's values were divided by. */
	public double scale() {
		return scale;
	}

	/** Number of photos with a target. */
	public int size() {
		return entries.size();
	}

	/** Path of photo {@code i} relative to the data root, with / separators. */
	public String image(final int i) {
		return entries.get(i).image;
	}

	/** Width of photo {@code i}'s target grid. */
	public int width(final int i) {
		return entries.get(i).width;
	}

	/** Height of photo {@code i}'s target grid. */
	public int height(final int i) {
		return entries.get(i).height;
	}

	/** Index of an image path, or −1. */
	public int indexOf(final String image) {
		final Integer i = byImage.get(image);
		return i == null ? -1 : i;
	}

	/** All image paths in index order. */
	public List<String> images() {
		final List<String> out = new ArrayList<>(entries.size());
		for (final Entry e : entries) out.add(e.image);
		return Collections.unmodifiableList(out);
	}

	/** Photo {@code i}'s target: a C-channel planar image of the grid size. */
	public PlanarImage load(final int i) throws IOException {
		final Entry e = entries.get(i);
		final Path f = folder.resolve(fileName(e.image));
		final byte[] bytes = Files.readAllBytes(f);
		final int n = e.width * e.height;
		if (bytes.length != 2L * n * channels) {
			throw new IOException(f + " has " + bytes.length + " bytes; a " + e.width + "×" + e.height + "×" + channels
				+ " float16 target needs " + 2L * n * channels);
		}
		final ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
		final float[][] planes = new float[channels][n];
		for (int p = 0; p < n; p++) {
			for (int c = 0; c < channels; c++) planes[c][p] = Float16.toFloat(buf.getShort());
		}
		return new PlanarImage(e.width, e.height, planes);
	}

	/**
	 * Creates or continues a target folder. Thread-safe: several threads may {@link #write} at
	 * once. {@link #close} rewrites the index atomically.
	 */
	public static final class Writer implements AutoCloseable {

		private final Path folder;
		private final int channels;
		private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>();
		private final Map<String, String> fileOwners = new HashMap<>();

		private Writer(final Path folder, final int channels, final List<Entry> existing) {
			this.folder = folder;
			this.channels = channels;
			for (final Entry e : existing) {
				entries.put(e.image, e);
				fileOwners.put(fileName(e.image), e.image);
			}
		}

		/**
		 * Opens {@code folder} for writing: a new folder gets {@value #JSON_FILE}; an existing one
		 * must have been made with the same teacher, channels, scale and projection (else
		 * {@link IllegalArgumentException}), and its complete targets are kept.
		 *
		 * @param teacher provenance of the teacher (free-form; must be the same on every run)
		 * @param channels C
		 * @param scale the factor the values given to {@link #write} were divided by
		 * @param projection how the teacher's features became C channels (free-form, may be null)
		 */
		public static Writer open(final Path folder, final JsonElement teacher, final int channels, final double scale,
			final JsonElement projection) throws IOException
		{
			if (channels < 1) throw new IllegalArgumentException("Channels must be positive, got " + channels);
			if (!(scale > 0) || Double.isInfinite(scale)) throw new IllegalArgumentException("Scale must be positive, got " + scale);
			final JsonObject json = new JsonObject();
			json.add("teacher", teacher == null ? JsonNull.INSTANCE : teacher.deepCopy());
			json.addProperty("channels", channels);
			json.addProperty("scale", scale);
			json.add("projection", projection == null ? JsonNull.INSTANCE : projection.deepCopy());
			json.addProperty("layout", "per photo <image path, / as _, extension .f16>: little-endian float16 [height][width][channels] "
				+ "of the teacher's embedding divided by scale; grid over the whole photo with aligned pixel centres, long side "
				+ LONG_SIDE + "; index.tsv: image, width, height");
			Files.createDirectories(folder);
			final Path jsonFile = folder.resolve(JSON_FILE);
			if (Files.exists(jsonFile)) {
				final JsonObject saved = readJson(folder);
				for (final String key : new String[] { "teacher", "channels", "scale", "projection" }) {
					final JsonElement a = saved.has(key) ? saved.get(key) : JsonNull.INSTANCE;
					if (!a.equals(json.get(key))) {
						throw new IllegalArgumentException(jsonFile + " was made with another \"" + key + "\": " + a + ", now " + json.get(key)
							+ ". Use another folder or the same settings.");
					}
				}
			}
			else TrainingRun.writeAtomically(jsonFile, new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(json) + "\n");
			final Writer w = new Writer(folder, channels, readIndex(folder, channels, true));
			w.writeIndex();
			return w;
		}

		/** True if the folder holds a complete target for {@code image}. */
		public synchronized boolean has(final String image) {
			return entries.containsKey(image);
		}

		/** Number of photos with a target. */
		public synchronized int size() {
			return entries.size();
		}

		/**
		 * Adds one photo's target (replacing an earlier one).
		 *
		 * @param image the photo's path relative to the data root, / separators
		 * @param hwc {@code width·height·C} values, [height][width][C], already divided by the scale
		 * @throws IllegalArgumentException for a bad path, size, or a value that is not finite or
		 *           beyond the float16 range
		 */
		public void write(final String image, final int width, final int height, final float[] hwc) throws IOException {
			final String bad = checkImagePath(image);
			if (bad != null) throw new IllegalArgumentException("Image path \"" + image + "\" " + bad);
			if (width < 1 || height < 1 || hwc.length != (long) width * height * channels) {
				throw new IllegalArgumentException("A " + width + "×" + height + "×" + channels + " target needs "
					+ (long) width * height * channels + " values, got " + hwc.length);
			}
			final String name = fileName(image);
			synchronized (this) {
				final String owner = fileOwners.putIfAbsent(name, image);
				if (owner != null && !owner.equals(image)) {
					throw new IllegalArgumentException("Images " + owner + " and " + image + " would share the target file " + name);
				}
			}
			final ByteBuffer buf = ByteBuffer.allocate(2 * hwc.length).order(ByteOrder.LITTLE_ENDIAN);
			for (int i = 0; i < hwc.length; i++) {
				final short h = Float16.fromFloat(hwc[i]);
				if ((h & 0x7c00) == 0x7c00) {
					throw new IllegalArgumentException("Target value " + hwc[i] + " of " + image + " (index " + i
						+ ") is not finite or beyond the float16 range ±" + Float16.MAX_VALUE + ": divide by a larger scale");
				}
				buf.putShort(h);
			}
			final Path file = folder.resolve(name);
			final Path tmp = folder.resolve(name + "." + Thread.currentThread().getId() + ".tmp");
			Files.write(tmp, buf.array());
			Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
			synchronized (this) {
				entries.remove(image);
				entries.put(image, new Entry(image, width, height));
				Files.writeString(folder.resolve(INDEX_FILE), image + "\t" + width + "\t" + height + "\n", StandardCharsets.UTF_8,
					StandardOpenOption.CREATE, StandardOpenOption.APPEND);
			}
		}

		/** Rewrites the index atomically (one line per photo, in the order written). */
		@Override
		public synchronized void close() throws IOException {
			writeIndex();
		}

		private synchronized void writeIndex() throws IOException {
			final StringBuilder sb = new StringBuilder(HEADER).append('\n');
			for (final Entry e : entries.values()) sb.append(e.image).append('\t').append(e.width).append('\t').append(e.height).append('\n');
			TrainingRun.writeAtomically(folder.resolve(INDEX_FILE), sb.toString());
		}
	}
}
