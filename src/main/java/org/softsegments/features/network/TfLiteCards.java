package org.softsegments.features.network;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.softsegments.features.network.tflite.TfLiteFile;
import org.softsegments.features.network.tflite.TfLiteGraph;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

/**
 * The model card of a TensorFlow Lite segmentation network: {@code <name>.json} beside
 * {@code <name>.tflite} when present, otherwise (and for every field the card leaves out)
 * defaults the loader derives from the file:
 * <ul>
 * <li>input: the model's single input; a float input is fed RGB scaled to [−1, 1] (the
 * convention of the MobileNet/DeepLab family), a quantised uint8 input the 0–255 values;</li>
 * <li>features: the <b>penultimate feature map</b>, found by walking back from the model's output
 * through ARG_MAX and RESIZE_BILINEAR to the class logits and taking the input of the 1×1
 * convolution that computes them (for DeepLab: the decoder's or the ASPP projection's
 * 256-channel map); when the model does not end that way, its first output;</li>
 * <li>feed: {@code resize} (the whole photo stretched to the fixed input size).</li>
 * </ul>
 */
public final class TfLiteCards {

	private TfLiteCards() {}

	/** The card file of a {@code .tflite} file: same name with {@code .json}. */
	public static Path cardFile(final Path tflite) {
		final String n = tflite.getFileName().toString();
		final int dot = n.lastIndexOf('.');
		return tflite.resolveSibling((dot > 0 ? n.substring(0, dot) : n) + ".json");
	}

	/**
	 * The card for {@code file}: the one beside it completed with derived defaults, or only the
	 * defaults; {@code overrides} (may be null) replaces top-level fields of the card (e.g.
	 * {@code "feed"}), as the benchmark does to compare ways of feeding a photo.
	 */
	public static ModelCard card(final Path tfliteFile, final TfLiteFile model, final JsonObject overrides) {
		final Path cardFile = cardFile(tfliteFile);
		JsonObject given = new JsonObject();
		String source = "defaults derived from " + tfliteFile.getFileName();
		if (Files.isRegularFile(cardFile)) {
			source = cardFile.toString();
			try {
				final JsonElement e = JsonParser.parseString(Files.readString(cardFile, StandardCharsets.UTF_8));
				if (!e.isJsonObject()) throw new IllegalArgumentException(cardFile + " must hold a JSON object");
				given = e.getAsJsonObject();
			}
			catch (final IOException e) {
				throw new IllegalArgumentException("Cannot read " + cardFile + ": " + e.getMessage(), e);
			}
			catch (final JsonParseException e) {
				throw new IllegalArgumentException(cardFile + " is not valid JSON: " + e.getMessage(), e);
			}
		}
		if (overrides != null) {
			for (final java.util.Map.Entry<String, JsonElement> e : overrides.entrySet()) given.add(e.getKey(), e.getValue().deepCopy());
		}
		final JsonObject card = complete(given, tfliteFile, model);
		try {
			return ModelCard.parse(card.toString(), source);
		}
		catch (final IllegalArgumentException e) {
			throw new IllegalArgumentException(e.getMessage() + " (model card " + source + ")", e);
		}
	}

	/** {@code given} with every field it lacks filled in from the model. */
	static JsonObject complete(final JsonObject given, final Path file, final TfLiteFile model) {
		final JsonObject c = given.deepCopy();
		if (!c.has("name")) {
			final String n = file.getFileName().toString();
			c.addProperty("name", n.endsWith(".tflite") ? n.substring(0, n.length() - 7) : n);
		}
		if (!c.has("format")) c.addProperty("format", "tflite");
		final TfLiteFile.Tensor in = model.inputs().get(0);
		final JsonObject input = c.has("input") && c.get("input").isJsonObject() ? c.getAsJsonObject("input") : new JsonObject();
		if (!input.has("name")) input.addProperty("name", in.name);
		if (!input.has("scale") && !input.has("mean") && !input.has("std")) {
			final boolean floatInput = in.type == TfLiteFile.FLOAT32;
			input.addProperty("scale", 255);
			input.add("mean", triple(floatInput ? 127.5 : 0));
			input.add("std", triple(floatInput ? 127.5 : 1));
		}
		c.add("input", input);
		final JsonObject output = c.has("output") && c.get("output").isJsonObject() ? c.getAsJsonObject("output") : new JsonObject();
		if (!output.has("name") && !output.has("names")) output.addProperty("name", penultimate(model).name);
		if (!output.has("channels")) {
			int d = 0;
			for (final String n : names(output)) {
				final TfLiteFile.Tensor t = model.tensor(n);
				if (t == null) {
					throw new IllegalArgumentException("The TFLite model " + file + " has no tensor '" + n + "' (named in its model card "
						+ cardFile(file) + "); its 4-D tensors computed from the input are: " + TfLiteGraph.featureCandidates(model));
				}
				if (t.shape.length != 4 || t.type == TfLiteFile.INT64 || t.type == TfLiteFile.INT32) {
					throw new IllegalArgumentException("The TFLite tensor '" + n + "' " + Arrays.toString(t.shape) + " "
						+ TfLiteFile.typeName(t.type) + " of " + file.getFileName() + " is not a feature map [1, h, w, D] of real values"
						+ (given.has("output") ? "" : " (the model does not end in the class logits of a segmentation network)")
						+ ": name the feature tensor in " + cardFile(file) + ", e.g. {\"output\": {\"name\": \"...\"}}. Candidates: "
						+ TfLiteGraph.featureCandidates(model));
				}
				d += t.shape[3];
			}
			output.addProperty("channels", d);
		}
		c.add("output", output);
		return c;
	}

	private static String[] names(final JsonObject output) {
		if (output.has("names") && output.get("names").isJsonArray()) {
			final JsonArray a = output.getAsJsonArray("names");
			final String[] s = new String[a.size()];
			for (int i = 0; i < s.length; i++) s[i] = a.get(i).getAsString();
			return s;
		}
		return new String[] { output.get("name").getAsString() };
	}

	private static JsonArray triple(final double v) {
		final JsonArray a = new JsonArray();
		for (int i = 0; i < 3; i++) a.add(v);
		return a;
	}

	/**
	 * The input of the 1×1 convolution that computes the class logits, found from the output back
	 * through ARG_MAX / RESIZE_BILINEAR / QUANTIZE / DEQUANTIZE; the first output if there is none.
	 */
	public static TfLiteFile.Tensor penultimate(final TfLiteFile model) {
		int t = model.outputs().get(0).index;
		for (int hops = 0; hops < 16; hops++) {
			final TfLiteFile.Operator p = model.producer(t);
			if (p == null) break;
			final String op = p.name();
			if (op.equals("CONV_2D")) {
				final TfLiteFile.Tensor filter = model.tensors().get(p.inputs[1]);
				if (filter.shape.length == 4 && filter.shape[1] == 1 && filter.shape[2] == 1) return model.tensors().get(p.inputs[0]);
				break;
			}
			if (!Arrays.asList("ARG_MAX", "RESIZE_BILINEAR", "QUANTIZE", "DEQUANTIZE").contains(op)) break;
			t = p.inputs[0];
		}
		return model.outputs().get(0);
	}
}
