package org.softsegments.features.network;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

/**
 * The model card of a feature network: the file {@value #FILE_NAME} beside a TensorFlow SavedModel.
 * It tells {@link FeatureNetwork} how to call the model and documents where it came from.
 * <p>
 * Fields read by the plugin (everything else is documentation and is kept as is):
 * <pre>
 * {
 *   "name": "sss-unet-d32",
 *   "format": "tensorflow-savedmodel",
 *   "tags": ["serve"],                      // optional, default ["serve"]
 *   "signature": "serving_default",         // optional, default "serving_default"
 *   "input":  { "name": "image", "layout": "NHWC", "channelOrder": "RGB",   // or "BGR"
 *               "scale": 1.0,               // the model sees (value·scale − mean[c]) / std[c],
 *               "mean": [0, 0, 0],          //   value = image in [0, 1]
 *               "std":  [1, 1, 1] },
 *   "output": { "name": "features", "layout": "NHWC", "channels": 32 },  // channels = D ≥ 4
 *   "paddingMultiple": 16,                  // input height/width must be multiples of this
 *   "tileMargin": 64,                       // context added around each tile (multiple of paddingMultiple)
 *   "inputMaxSide": 320                     // optional: photo downscaled to this long side first (0 = never)
 * }
 * </pre>
 * A TensorFlow Lite file ({@code "format": "tflite"}, the card named {@code <file>.json} beside
 * {@code <file>.tflite}, see {@link TfLiteCards}) uses {@code input.name} for the input tensor,
 * {@code output.name} or {@code output.names} (several tensors, channels concatenated) for the
 * feature tensors, and {@code "feed"} ({@code "resize"}, {@code "pad"} or {@code "tile"}) for
 * how a photo reaches the network's fixed input size; tags, signature and padding do not apply.
 */
public final class ModelCard {

	/** Name of the model card file inside a model folder. */
	public static final String FILE_NAME = "model-card.json";

	private final JsonObject json;
	private final String name;
	private final String[] tags;
	private final String signature;
	private final String inputName;
	private final boolean bgr;
	private final float scale;
	private final float[] mean;
	private final float[] std;
	private final String outputName;
	private final int channels;
	private final int paddingMultiple;
	private final int tileMargin;
	private final boolean tflite;
	private final String[] outputNames;
	private final Feed feed;
	private final int inputMaxSide;

	/** How a network with a fixed input size is fed a photo of another size or aspect ratio (TFLite cards). */
	public enum Feed {
		/** The whole photo stretched to the input size; the output grid stretched back. */
		RESIZE,
		/** The photo scaled so its long side fits the input, aspect kept, the rest padded by reflection. */
		PAD,
		/** The photo scaled so its short side fits the input, run as overlapping tiles along the long side. */
		TILE;

		/** The card's spelling. */
		public String key() {
			return name().toLowerCase(java.util.Locale.ROOT);
		}
	}

	private ModelCard(final JsonObject json, final String source) {
		this.json = json;
		name = string(json, "name", source, null);
		final String format = string(json, "format", source, "tensorflow-savedmodel");
		if (!format.equals("tensorflow-savedmodel") && !format.equals("tflite")) {
			throw new IllegalArgumentException(source + ": \"format\" is \"" + format + "\"; accepted: \"tensorflow-savedmodel\", \"tflite\"");
		}
		tflite = format.equals("tflite");
		tags = json.has("tags") ? strings(json.get("tags"), source + ": \"tags\"") : new String[] { "serve" };
		signature = string(json, "signature", source, "serving_default");
		final JsonObject in = object(json, "input", source);
		inputName = string(in, "name", source + ": input", null);
		final String layout = string(in, "layout", source + ": input", "NHWC");
		if (!layout.equals("NHWC")) throw new IllegalArgumentException(source + ": input \"layout\" is \"" + layout + "\"; only \"NHWC\" is supported");
		final String order = string(in, "channelOrder", source + ": input", "RGB");
		if (!order.equals("RGB") && !order.equals("BGR")) {
			throw new IllegalArgumentException(source + ": input \"channelOrder\" must be \"RGB\" or \"BGR\", got \"" + order + "\"");
		}
		bgr = order.equals("BGR");
		scale = (float) number(in, "scale", source + ": input", 1);
		mean = floats(in, "mean", source + ": input", new float[] { 0, 0, 0 });
		std = floats(in, "std", source + ": input", new float[] { 1, 1, 1 });
		for (final float s : std) {
			if (!(s > 0) || !Float.isFinite(s)) throw new IllegalArgumentException(source + ": input \"std\" must be positive, got " + Arrays.toString(std));
		}
		if (!(scale > 0) || !Float.isFinite(scale)) throw new IllegalArgumentException(source + ": input \"scale\" must be positive, got " + scale);
		final JsonObject out = object(json, "output", source);
		if (tflite && out.has("names")) {
			outputNames = strings(out.get("names"), source + ": output \"names\"");
			outputName = String.join("+", outputNames);
		}
		else {
			outputName = string(out, "name", source + ": output", null);
			outputNames = new String[] { outputName };
		}
		final String outLayout = string(out, "layout", source + ": output", "NHWC");
		if (!outLayout.equals("NHWC")) throw new IllegalArgumentException(source + ": output \"layout\" is \"" + outLayout + "\"; only \"NHWC\" is supported");
		channels = (int) number(out, "channels", source + ": output", Double.NaN);
		if (channels < 4) {
			throw new IllegalArgumentException(source + ": output \"channels\" (D) must be at least 4, got " + channels
				+ " (3-channel features are given as a ready feature image instead)");
		}
		final String feedName = string(json, "feed", source, "resize");
		Feed f = null;
		for (final Feed v : Feed.values()) {
			if (v.key().equals(feedName)) f = v;
		}
		if (f == null) throw new IllegalArgumentException(source + ": \"feed\" must be \"resize\", \"pad\" or \"tile\", got \"" + feedName + "\"");
		feed = f;
		inputMaxSide = (int) number(json, "inputMaxSide", source, 0);
		if (inputMaxSide != 0 && inputMaxSide < 32) {
			throw new IllegalArgumentException(source + ": \"inputMaxSide\" must be 0 (no limit) or at least 32 pixels, got " + inputMaxSide);
		}
		paddingMultiple = (int) number(json, "paddingMultiple", source, 1);
		if (paddingMultiple < 1 || paddingMultiple > 1024) {
			throw new IllegalArgumentException(source + ": \"paddingMultiple\" must be in 1..1024, got " + paddingMultiple);
		}
		tileMargin = (int) number(json, "tileMargin", source, 4 * paddingMultiple);
		if (tileMargin < 0 || tileMargin % paddingMultiple != 0) {
			throw new IllegalArgumentException(source + ": \"tileMargin\" must be a non-negative multiple of paddingMultiple ("
				+ paddingMultiple + "), got " + tileMargin);
		}
	}

	/** Parses and validates a card; errors name the file and the field. */
	public static ModelCard parse(final String text, final String source) {
		final JsonElement root;
		try {
			root = JsonParser.parseString(text);
		}
		catch (final JsonParseException e) {
			throw new IllegalArgumentException(source + " is not valid JSON: " + e.getMessage(), e);
		}
		if (!root.isJsonObject()) throw new IllegalArgumentException(source + " must hold a JSON object");
		return new ModelCard(root.getAsJsonObject(), source);
	}

	/** Reads {@code modelDir/model-card.json}. */
	public static ModelCard read(final Path modelDir) {
		final Path file = modelDir.resolve(FILE_NAME);
		if (!Files.isRegularFile(file)) {
			throw new IllegalArgumentException("The model folder " + modelDir + " has no " + FILE_NAME
				+ ": a feature model needs a model card naming its input and output tensors and D (see models/README.md)");
		}
		try {
			return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
		}
		catch (final IOException e) {
			throw new IllegalArgumentException("Cannot read " + file + ": " + e.getMessage(), e);
		}
	}

	/** A card from a JSON object (validated). */
	public static ModelCard of(final JsonObject json) {
		return new ModelCard(json.deepCopy(), "model card");
	}

	/** Writes the card (pretty-printed JSON) atomically to {@code modelDir/model-card.json}. */
	public void write(final Path modelDir) throws IOException {
		final Gson gson = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();
		final Path tmp = modelDir.resolve(FILE_NAME + ".tmp");
		Files.writeString(tmp, gson.toJson(json) + "\n", StandardCharsets.UTF_8);
		Files.move(tmp, modelDir.resolve(FILE_NAME), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
	}

	/** A copy of the whole card. */
	public JsonObject json() {
		return json.deepCopy();
	}

	public String name() {
		return name;
	}

	public String[] tags() {
		return tags.clone();
	}

	public String signature() {
		return signature;
	}

	public String inputName() {
		return inputName;
	}

	public String outputName() {
		return outputName;
	}

	/** The output tensors (TFLite cards may name several; their channels are concatenated). */
	public String[] outputNames() {
		return outputNames.clone();
	}

	/** Whether this card describes a TensorFlow Lite file ({@code "format": "tflite"}). */
	public boolean tflite() {
		return tflite;
	}

	/** How a photo is fed to a fixed-size input (TFLite). */
	public Feed feed() {
		return feed;
	}

	/** The photo is downscaled so that its long side is at most this before the network runs (0 = no limit). */
	public int inputMaxSide() {
		return inputMaxSide;
	}

	/** D, the number of feature channels. */
	public int channels() {
		return channels;
	}

	public int paddingMultiple() {
		return paddingMultiple;
	}

	public int tileMargin() {
		return tileMargin;
	}

	/** True if the model expects BGR channel order. */
	public boolean bgr() {
		return bgr;
	}

	/** The value the model sees for image value {@code v} ∈ [0, 1] of RGB channel {@code c}. */
	public float normalise(final float v, final int rgbChannel) {
		final int c = bgr ? 2 - rgbChannel : rgbChannel;
		return (v * scale - mean[c]) / std[c];
	}

	/** Position (in the model's channel order) of RGB channel {@code c}. */
	public int modelChannel(final int rgbChannel) {
		return bgr ? 2 - rgbChannel : rgbChannel;
	}

	private static String string(final JsonObject o, final String key, final String where, final String def) {
		final JsonElement e = o.get(key);
		if (e == null || e.isJsonNull()) {
			if (def != null) return def;
			throw new IllegalArgumentException(where + ": missing \"" + key + "\"");
		}
		if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
			throw new IllegalArgumentException(where + ": \"" + key + "\" must be a string, got " + e);
		}
		return e.getAsString();
	}

	private static double number(final JsonObject o, final String key, final String where, final double def) {
		final JsonElement e = o.get(key);
		if (e == null || e.isJsonNull()) {
			if (!Double.isNaN(def)) return def;
			throw new IllegalArgumentException(where + ": missing \"" + key + "\"");
		}
		if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
			throw new IllegalArgumentException(where + ": \"" + key + "\" must be a number, got " + e);
		}
		return e.getAsDouble();
	}

	private static JsonObject object(final JsonObject o, final String key, final String where) {
		final JsonElement e = o.get(key);
		if (e == null || !e.isJsonObject()) throw new IllegalArgumentException(where + ": missing object \"" + key + "\"");
		return e.getAsJsonObject();
	}

	private static float[] floats(final JsonObject o, final String key, final String where, final float[] def) {
		final JsonElement e = o.get(key);
		if (e == null || e.isJsonNull()) return def;
		if (!e.isJsonArray() || e.getAsJsonArray().size() != 3) {
			throw new IllegalArgumentException(where + ": \"" + key + "\" must be an array of 3 numbers, got " + e);
		}
		final JsonArray a = e.getAsJsonArray();
		final float[] out = new float[3];
		for (int i = 0; i < 3; i++) {
			if (!a.get(i).isJsonPrimitive() || !a.get(i).getAsJsonPrimitive().isNumber()) {
				throw new IllegalArgumentException(where + ": \"" + key + "\" must be an array of 3 numbers, got " + e);
			}
			out[i] = a.get(i).getAsFloat();
		}
		return out;
	}

	private static String[] strings(final JsonElement e, final String where) {
		if (!e.isJsonArray() || e.getAsJsonArray().size() == 0) throw new IllegalArgumentException(where + " must be a non-empty array of strings");
		final JsonArray a = e.getAsJsonArray();
		final String[] out = new String[a.size()];
		for (int i = 0; i < out.length; i++) {
			if (!a.get(i).isJsonPrimitive() || !a.get(i).getAsJsonPrimitive().isString()) throw new IllegalArgumentException(where + " must be an array of strings");
			out[i] = a.get(i).getAsString();
		}
		return out;
	}
}
