package org.softsegments.training;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

import org.softsegments.features.network.ModelCard;
import org.softsegments.features.network.TensorFlowRuntime;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.SessionFunction;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

/**
 * Writes a trained {@link FeatureArchitecture feature network} (the U-Net or the distilled student)
 * as a TensorFlow SavedModel (tag {@code serve}, signature {@code serving_default}: input
 * {@value #INPUT} float [N, H, W, 3] RGB in [0, 1] with dynamic N/H/W, H and W multiples of
 * {@link FeatureArchitecture#multiple()}; output {@value #OUTPUT} float [N, H, W, D]) plus its
 * {@link ModelCard}. The weights are stored as graph constants (a
 * frozen inference graph, no variables), so loading needs no restore step. The folder appears
 * complete or not at all (written beside it, then renamed).
 */
public final class SavedModelExport {

	public static final String INPUT = "image";
	public static final String OUTPUT = "features";

	private SavedModelExport() {}

	/**
	 * The essential model card fields for {@code arch} (name, format, tags, signature, input,
	 * output, paddingMultiple, tileMargin, architecture); callers add training data, licences,
	 * metrics and the reproduce command.
	 */
	public static JsonObject baseCard(final String name, final FeatureArchitecture arch) {
		final JsonObject card = new JsonObject();
		card.addProperty("name", name);
		card.addProperty("format", "tensorflow-savedmodel");
		final JsonArray tags = new JsonArray();
		tags.add("serve");
		card.add("tags", tags);
		card.addProperty("signature", "serving_default");
		final JsonObject in = new JsonObject();
		in.addProperty("name", INPUT);
		in.addProperty("layout", "NHWC");
		in.addProperty("channelOrder", "RGB");
		in.addProperty("scale", 1.0);
		in.add("mean", array(0, 0, 0));
		in.add("std", array(1, 1, 1));
		in.addProperty("note", "float32 RGB in [0, 1]; the graph itself subtracts mean "
			+ java.util.Arrays.toString(UNetArchitecture.INPUT_MEAN) + " and divides by std "
			+ java.util.Arrays.toString(UNetArchitecture.INPUT_STD) + "; height and width must be multiples of paddingMultiple "
			+ "(the plugin pads by reflection)");
		card.add("input", in);
		final JsonObject out = new JsonObject();
		out.addProperty("name", OUTPUT);
		out.addProperty("layout", "NHWC");
		out.addProperty("channels", arch.embeddingDim());
		out.addProperty("note", "float32 per-pixel embedding, same height and width as the input; pixels of the same "
			+ "region/object are close in Euclidean distance. Goes through spec §3.1 preprocessing (clamp ±5, guided filter, PCA to 3, min-max).");
		card.add("output", out);
		card.addProperty("paddingMultiple", arch.multiple());
		card.addProperty("tileMargin", arch.tileMargin());
		card.add("architecture", arch.cardSection());
		return card;
	}

	private static JsonArray array(final double... v) {
		final JsonArray a = new JsonArray();
		for (final double x : v) a.add(x);
		return a;
	}

	/**
	 * Exports {@code weights} (by parameter name) to {@code dir}, replacing an existing folder.
	 *
	 * @param card the model card to write beside the model (validated first)
	 */
	public static void export(final FeatureArchitecture arch, final Map<String, float[]> weights, final JsonObject card,
		final Path dir) throws IOException
	{
		final ModelCard parsed = ModelCard.of(card);
		if (parsed.channels() != arch.embeddingDim()) {
			throw new IllegalArgumentException("Model card says D = " + parsed.channels() + ", the network has " + arch.embeddingDim());
		}
		TensorFlowRuntime.ensureLoaded();
		final Path abs = dir.toAbsolutePath();
		final Path parent = abs.getParent();
		Files.createDirectories(parent);
		final Path tmp = Files.createTempDirectory(parent, abs.getFileName() + ".tmp");
		final Path model = tmp.resolve("m");
		try {
			try (Graph g = new Graph()) {
				final Ops tf = Ops.create(g);
				final Placeholder<TFloat32> input = tf.withName(INPUT).placeholder(TFloat32.class,
					Placeholder.shape(Shape.of(-1, -1, -1, 3)));
				final String scope = arch instanceof UNetArchitecture ? "unet" : "net";
				final Operand<TFloat32> emb = arch.forward(tf.withSubScope(scope), input, name -> {
					final float[] v = weights.get(name);
					if (v == null) throw new IllegalArgumentException("No weights for " + name);
					for (final FeatureArchitecture.Parameter p : arch.parameters()) {
						if (p.name.equals(name)) {
							if (p.size() != v.length) throw new IllegalArgumentException("Weights of " + name + " have the wrong size");
							return tf.constant(Shape.of(p.shape()), DataBuffers.of(v, true, false));
						}
					}
					throw new IllegalArgumentException("Unknown parameter " + name);
				});
				final Operand<TFloat32> out = tf.withName(OUTPUT).identity(emb);
				try (Session s = new Session(g)) {
					SavedModelBundle.exporter(model.toString()).withFunction(SessionFunction.create(
						Signature.builder().key(Signature.DEFAULT_KEY).input(INPUT, input).output(OUTPUT, out).build(), s)).export();
				}
			}
			parsed.write(model);
			if (Files.exists(abs)) {
				final Path old = tmp.resolve("old");
				Files.move(abs, old);
			}
			Files.move(model, abs, StandardCopyOption.ATOMIC_MOVE);
		}
		finally {
			deleteRecursively(tmp);
		}
	}

	static void deleteRecursively(final Path dir) throws IOException {
		if (!Files.exists(dir)) return;
		try (Stream<Path> s = Files.walk(dir)) {
			for (final Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
		}
	}
}
