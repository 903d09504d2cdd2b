package org.softsegments.features.network.tflite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.softsegments.core.Progress;
import org.softsegments.engine.SegmentationResult;
import org.softsegments.engine.Settings;
import org.softsegments.eval.LayerMatching;
import org.softsegments.features.network.FeatureNetwork;
import org.softsegments.features.network.NetworkSegmentation;
import org.softsegments.image.PlanarImage;
import org.softsegments.io.ImageFiles;

/**
 * The two pretrained TFLite networks of {@code ../shared/models} rebuilt as TensorFlow graphs,
 * checked against the numbers an independent interpreter computed ({@code fixtures/}), and the
 * errors a broken or foreign file gives. Skipped with a message when {@code ../shared/models} is absent.
 */
class SharedTeachersTest {

	static final Path MODELS = Path.of("../shared/models");
	static final Path ADE = MODELS.resolve("deeplabv3-mnv2-ade20k.tflite");
	static final Path PASCAL = MODELS.resolve("deeplabv3-mnv2-pascal-quant.tflite");
	static final Path FIX = MODELS.resolve("fixtures");
	static final int SKY = 3, PERSON = 13;

	@TempDir
	static Path tmp;

	static TfLiteGraph ade;
	static float[][] adeOut;

	@BeforeAll
	static void runAde() throws IOException {
		if (!Files.isRegularFile(ADE)) return;
		ade = TfLiteGraph.build(TfLiteFile.read(ADE), List.of("tfl.conv_2d39", "tfl.conv_2d40", "ResizeBilinear_2"));
		adeOut = ade.run(input513(v -> v / 127.5f - 1));
	}

	@AfterAll
	static void close() {
		if (ade != null) ade.close();
	}

	private static void assumeModels() {
		assumeTrue(Files.isRegularFile(ADE) && Files.isRegularFile(PASCAL) && Files.isDirectory(FIX),
			"../shared/models not found: the TFLite teacher checks are skipped");
	}

	interface Norm {
		float apply(float v);
	}

	/** The fixture's 513×513 docia input as NHWC, each 8-bit value mapped by {@code norm}. */
	static float[] input513(final Norm norm) throws IOException {
		final PlanarImage img = ImageFiles.read(FIX.resolve("docia-513.png"));
		final float[] in = new float[513 * 513 * 3];
		for (int i = 0; i < 513 * 513; i++) {
			for (int c = 0; c < 3; c++) in[i * 3 + c] = norm.apply(Math.round(img.plane(c)[i] * 255));
		}
		return in;
	}

	@Test
	void adeDecoderFeaturesAndLogitsMatchTheIndependentInterpreter() throws IOException {
		assumeModels();
		final ByteBuffer coords = le(FIX.resolve("docia-decoder-samples.coords.i32"));
		final ByteBuffer dec = le(FIX.resolve("docia-decoder-samples.f32"));
		final ByteBuffer log = le(FIX.resolve("docia-logits-samples.f32"));
		double maxDec = 0, maxLog = 0;
		for (int i = 0; i < 400; i++) {
			final int r = coords.getInt(8 * i), c = coords.getInt(8 * i + 4);
			for (int k = 0; k < 256; k++) maxDec = Math.max(maxDec, Math.abs(adeOut[0][(r * 129 + c) * 256 + k] - dec.getFloat(4 * (i * 256 + k))));
			for (int k = 0; k < 151; k++) maxLog = Math.max(maxLog, Math.abs(adeOut[1][(r * 129 + c) * 151 + k] - log.getFloat(4 * (i * 151 + k))));
		}
		// decoder values are of order 1 (sd 1.29): a transposed filter, a wrong resize convention
		// or a misplaced padding changes them by far more than 1e-3
		assertTrue(maxDec < 1e-3, "decoder features differ from the fixture by up to " + maxDec);
		assertTrue(maxLog < 1e-3, "logits differ from the fixture by up to " + maxLog);
	}

	@Test
	void adeClassMapHasSkyAtTheTopAndAPersonAtTheFace() throws IOException {
		assumeModels();
		final int[] cls = argmax(adeOut[2], 513 * 513, 151);
		final PlanarImage truth = ImageFiles.read(FIX.resolve("docia-513-classes.png"));
		int agree = 0;
		for (int i = 0; i < cls.length; i++) if (cls[i] == Math.round(truth.plane(0)[i] * 255)) agree++;
		assertTrue(agree > 0.995 * cls.length, "class map agrees with the fixture on " + agree + " of " + cls.length + " pixels");
		// the top rows are sky; the person's face (right of centre, rows 40–60 %) is a person
		assertTrue(fraction(cls, 513, 0, 513, 0, 40, SKY) > 0.9, "sky at the top");
		assertTrue(fraction(cls, 513, 300, 400, 220, 300, PERSON) > 0.9, "person at the face");
	}

	@Test
	void pascalQuantisedNetworkFindsThePerson() throws IOException {
		assumeModels();
		final TfLiteFile f = TfLiteFile.read(PASCAL);
		final String logits = "logits/semantic/BiasAdd;logits/semantic/Conv2D;logits/semantic/biases1";
		try (TfLiteGraph g = TfLiteGraph.build(f, List.of(logits))) {
			final float[] out = g.run(input513(v -> v))[0];
			final int[] cls = argmax(out, 33 * 33, 21);
			// 33×33 grid at stride 16: the face around column 22, rows 14–18; the sky above row 5 is background
			assertTrue(fraction(cls, 33, 19, 25, 14, 19, 15) > 0.8, "person (15) at the face");
			assertTrue(fraction(cls, 33, 0, 33, 0, 5, 0) > 0.8, "background at the top");
		}
	}

	@Test
	void defaultCardsTakeThePenultimateFeatureMaps() {
		assumeModels();
		try (FeatureNetwork a = FeatureNetwork.load(ADE); FeatureNetwork p = FeatureNetwork.load(PASCAL)) {
			assertEquals("tfl.conv_2d39", a.card().outputName());
			assertEquals(256, a.channels());
			assertTrue(p.card().outputName().startsWith("concat_projection/"), p.card().outputName());
			assertEquals(256, p.channels());
		}
	}

	@Test
	void aCardBesideTheFileCanConcatenateTensors() throws IOException {
		assumeModels();
		final Path copy = tmp.resolve("both.tflite");
		Files.copy(ADE, copy);
		Files.writeString(tmp.resolve("both.json"), "{\"output\": {\"names\": [\"tfl.conv_2d39\", \"tfl.conv_2d40\"]}, \"feed\": \"tile\"}");
		try (FeatureNetwork net = FeatureNetwork.load(copy)) {
			assertEquals(256 + 151, net.channels());
			final PlanarImage rgb = ImageFiles.read(FIX.resolve("docia-513.png"));
			final PlanarImage f = net.features(rgb, 100, 80, FeatureNetwork.DEFAULT_TILE_SIZE, Progress.NONE);
			assertEquals(100, f.width());
			assertEquals(80, f.height());
			assertEquals(407, f.channels());
		}
	}

	@Test
	void dociaWithTheAdeTeacherSeparatesSkyBalloonPersonAndLandscape() throws IOException {
		assumeModels();
		final Path ref = Path.of("../shared/reference/docia_320");
		assumeTrue(Files.isDirectory(ref), "../shared/reference/docia_320 not found");
		final PlanarImage image = ImageFiles.read(ref.resolve("image.png"));
		final Settings s = new Settings();
		s.seed = 1;
		try (FeatureNetwork net = FeatureNetwork.load(ADE)) {
			final SegmentationResult r = NetworkSegmentation.run(net, image, s, Progress.NONE, false);
			final PlanarImage reference = org.softsegments.engine.DociaReferenceTest.readColumnMajor(ref.resolve("soft_segments.f32"), 320, 320, 5);
			final double iou = LayerMatching.meanMatchedIoU(r.layers(), reference);
			System.out.printf("docia with the ADE20K teacher (fast path, seed 1): matched soft IoU %.3f%n", iou);
			assertTrue(iou > 0.57, "matched soft IoU with the authors' layers " + iou);
			// sky, balloon, face and the landscape at the bottom left each in a layer of their own
			final int[] at = { dominant(r.layers(), 160, 10), dominant(r.layers(), 75, 100), dominant(r.layers(), 215, 150),
				dominant(r.layers(), 40, 260) };
			assertEquals(4, java.util.Arrays.stream(at).distinct().count(), "layers of sky, balloon, face, landscape: "
				+ java.util.Arrays.toString(at));
		}
	}

	@Test
	void brokenAndForeignFilesGiveClearErrors() throws IOException {
		assumeModels();
		final byte[] all = Files.readAllBytes(ADE);
		final Path truncated = tmp.resolve("truncated.tflite");
		Files.write(truncated, java.util.Arrays.copyOf(all, 100_000));
		final IllegalArgumentException t = assertThrows(IllegalArgumentException.class, () -> FeatureNetwork.load(truncated));
		assertTrue(t.getMessage().contains("truncated or corrupt"), t.getMessage());

		final Path png = tmp.resolve("photo.tflite");
		Files.copy(FIX.resolve("docia-513.png"), png);
		final IllegalArgumentException n = assertThrows(IllegalArgumentException.class, () -> FeatureNetwork.load(png));
		assertTrue(n.getMessage().contains("not a TensorFlow Lite model"), n.getMessage());

		// a card naming a tensor that does not exist: the message lists the candidates
		final Path copy = tmp.resolve("ade.tflite");
		Files.copy(ADE, copy);
		Files.writeString(tmp.resolve("ade.json"), "{\"output\": {\"name\": \"decoder\"}}");
		final IllegalArgumentException w = assertThrows(IllegalArgumentException.class, () -> FeatureNetwork.load(copy));
		assertTrue(w.getMessage().contains("no tensor 'decoder'") && w.getMessage().contains("tfl.conv_2d39 [1, 129, 129, 256]"), w
			.getMessage());

		// the pascal network's class ids come from ARG_MAX: integers, and an operator this plugin does not run
		final Path pcopy = tmp.resolve("pascal.tflite");
		Files.copy(PASCAL, pcopy);
		Files.writeString(tmp.resolve("pascal.json"), "{\"output\": {\"name\": \"ArgMax\", \"channels\": 4}}");
		final IllegalArgumentException a = assertThrows(IllegalArgumentException.class, () -> FeatureNetwork.load(pcopy));
		assertTrue(a.getMessage().contains("'ArgMax'") && a.getMessage().contains("4-D"), a.getMessage());
		final IllegalArgumentException op = assertThrows(IllegalArgumentException.class, () -> TfLiteGraph.build(TfLiteFile.read(PASCAL),
			List.of("ArgMax")));
		assertTrue(op.getMessage().contains("ARG_MAX"), op.getMessage());
	}

	/** The layer with the largest value at (x, y). */
	static int dominant(final PlanarImage layers, final int x, final int y) {
		int best = 0;
		for (int k = 1; k < layers.channels(); k++) {
			if (layers.plane(k)[x + y * layers.width()] > layers.plane(best)[x + y * layers.width()]) best = k;
		}
		return best;
	}

	static ByteBuffer le(final Path p) throws IOException {
		return ByteBuffer.wrap(Files.readAllBytes(p)).order(ByteOrder.LITTLE_ENDIAN);
	}

	static int[] argmax(final float[] hwc, final int n, final int d) {
		final int[] out = new int[n];
		for (int i = 0; i < n; i++) {
			int best = 0;
			for (int k = 1; k < d; k++) if (hwc[i * d + k] > hwc[i * d + best]) best = k;
			out[i] = best;
		}
		return out;
	}

	/** Fraction of pixels in columns [x0, x1) and rows [y0, y1) of a w-wide map with class {@code c}. */
	static double fraction(final int[] cls, final int w, final int x0, final int x1, final int y0, final int y1, final int c) {
		int hit = 0, all = 0;
		for (int y = y0; y < y1; y++) {
			for (int x = x0; x < x1; x++) {
				all++;
				if (cls[x + y * w] == c) hit++;
			}
		}
		return (double) hit / all;
	}
}
