package org.softsegments.features.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.softsegments.core.Progress;
import org.softsegments.features.FeaturePreprocessing;
import org.softsegments.image.PlanarImage;
import org.softsegments.training.TinyModels;
import org.softsegments.training.UNetArchitecture;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/** The features stage on a tiny exported U-Net with random weights (runs in a few seconds). */
class FeatureNetworkTest {

	@TempDir
	static Path tmp;

	static Path modelDir;
	static FeatureNetwork net;
	static final UNetArchitecture ARCH = TinyModels.tinyArchitecture();

	@BeforeAll
	static void exportTinyModel() throws IOException {
		modelDir = tmp.resolve("tiny");
		// receptive radius of the tiny net is 22 px: a 24 px margin makes tiles exact
		assertTrue(ARCH.receptiveRadius() <= 24, "test assumes a small receptive field");
		TinyModels.export(ARCH, TinyModels.randomWeights(ARCH, 42), modelDir, 24);
		net = FeatureNetwork.load(modelDir);
	}

	@AfterAll
	static void close() {
		if (net != null) net.close();
	}

	@Test
	void oddSizeGivesDChannelsOfTheImageSize() {
		final PlanarImage img = TinyModels.testImage(97, 61, 1);
		final PlanarImage f = net.features(img);
		assertEquals(97, f.width());
		assertEquals(61, f.height());
		assertEquals(6, f.channels());
		assertEquals(6, net.channels());
		for (int c = 0; c < 6; c++) {
			double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
			for (final float v : f.plane(c)) {
				assertTrue(Float.isFinite(v));
				min = Math.min(min, v);
				max = Math.max(max, v);
			}
			assertTrue(max > min, "channel " + c + " should vary over the image");
		}
	}

	@Test
	void tinyImagesWork() {
		for (final int[] s : new int[][] { { 1, 1 }, { 2, 3 }, { 5, 1 } }) {
			final PlanarImage f = net.features(TinyModels.testImage(s[0], s[1], 2));
			assertEquals(s[0], f.width());
			assertEquals(s[1], f.height());
		}
	}

	@Test
	void tilingEqualsOnePassWhenTheMarginCoversTheReceptiveField() {
		final PlanarImage img = TinyModels.testImage(97, 61, 3);
		final PlanarImage one = net.features(img, 1024, Progress.NONE);
		final List<Double> fractions = new ArrayList<>();
		final PlanarImage tiled = net.features(img, 20, progressRecorder(fractions)); // core 20 → 5×4 tiles
		assertEquals(20, fractions.stream().filter(v -> v > 0).count());
		assertEquals(1.0, fractions.get(fractions.size() - 1));
		assertEquals(0, maxAbsDiff(one, tiled), 1e-4);
	}

	@Test
	void halfResolutionNetworkTilesExactlyToo() throws IOException {
		final UNetArchitecture a = new UNetArchitecture(new int[] { 4, 8, 8 }, 8, 6, 2);
		final Path dir = tmp.resolve("tiny-stride2");
		TinyModels.export(a, TinyModels.randomWeights(a, 8), dir, 48); // receptive radius 46
		try (FeatureNetwork half = FeatureNetwork.load(dir)) {
			final PlanarImage img = TinyModels.testImage(97, 61, 3);
			final PlanarImage one = half.features(img, 1024, Progress.NONE);
			assertEquals(97, one.width());
			assertEquals(61, one.height());
			assertEquals(6, one.channels());
			assertEquals(0, maxAbsDiff(one, half.features(img, 24, Progress.NONE)), 1e-4);
		}
	}

	@Test
	void resultDependsOnlyOnTheImage() {
		final PlanarImage img = TinyModels.testImage(40, 33, 4);
		assertTrue(net.features(img).sameAs(net.features(img.copy())));
	}

	@Test
	void greyImageEqualsReplicatedRgb() {
		final PlanarImage rgb = TinyModels.testImage(30, 20, 5);
		final PlanarImage grey = new PlanarImage(30, 20, new float[][] { rgb.plane(1).clone() });
		final PlanarImage rep = new PlanarImage(30, 20, new float[][] { rgb.plane(1), rgb.plane(1), rgb.plane(1) });
		assertTrue(net.features(grey).sameAs(net.features(rep)));
	}

	@Test
	void preprocessingOfTheOutputIsSpecSection31() {
		final PlanarImage img = TinyModels.testImage(45, 37, 6);
		final PlanarImage viaNetwork = net.preprocessedFeatures(img, Progress.NONE);
		final PlanarImage direct = FeaturePreprocessing.preprocess(net.features(img), img, Progress.NONE);
		assertEquals(3, viaNetwork.channels());
		assertTrue(viaNetwork.sameAs(direct));
		for (int c = 0; c < 3; c++) {
			float min = 1, max = 0;
			for (final float v : viaNetwork.plane(c)) {
				min = Math.min(min, v);
				max = Math.max(max, v);
			}
			assertEquals(0, min, 1e-6);
			assertEquals(1, max, 1e-6);
		}
	}

	@Test
	void bgrCardSwapsChannels() throws IOException {
		// a card that declares BGR order and a 0..255 scale: the model must see the same values as the RGB card
		// when fed the channel-swapped image, so results are identical.
		final Path bgrDir = tmp.resolve("tiny-bgr");
		copyModel(modelDir, bgrDir);
		editCard(bgrDir, card -> {
			final JsonObject in = card.getAsJsonObject("input");
			in.addProperty("channelOrder", "BGR");
			in.addProperty("scale", 255.0);
			final com.google.gson.JsonArray std = new com.google.gson.JsonArray();
			for (int i = 0; i < 3; i++) std.add(255.0);
			in.add("std", std);
		});
		final PlanarImage img = TinyModels.testImage(24, 19, 7);
		final PlanarImage swapped = new PlanarImage(24, 19, new float[][] { img.plane(2), img.plane(1), img.plane(0) });
		try (FeatureNetwork bgr = FeatureNetwork.load(bgrDir)) {
			assertEquals(0, maxAbsDiff(net.features(img), bgr.features(swapped)), 1e-5);
		}
	}

	@Test
	void badImagesAreRejected() {
		assertThrows(IllegalArgumentException.class, () -> net.features(null));
		assertThrows(IllegalArgumentException.class, () -> net.features(PlanarImage.zeros(5, 5, 2)));
		final PlanarImage nan = PlanarImage.zeros(5, 5, 3);
		nan.plane(1)[3] = Float.NaN;
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> net.features(nan));
		assertTrue(e.getMessage().contains("finite"), e.getMessage());
	}

	@Test
	void missingFolder() {
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FeatureNetwork.load(tmp.resolve("nowhere")));
		assertTrue(e.getMessage().contains("not found") && e.getMessage().contains("saved_model.pb"), e.getMessage());
	}

	@Test
	void folderWithoutSavedModel() throws IOException {
		final Path d = Files.createDirectories(tmp.resolve("empty"));
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FeatureNetwork.load(d));
		assertTrue(e.getMessage().contains("no saved_model.pb"), e.getMessage());
	}

	@Test
	void missingModelCard() throws IOException {
		final Path d = tmp.resolve("nocard");
		copyModel(modelDir, d);
		Files.delete(d.resolve(ModelCard.FILE_NAME));
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FeatureNetwork.load(d));
		assertTrue(e.getMessage().contains(ModelCard.FILE_NAME), e.getMessage());
	}

	@Test
	void corruptModelCard() throws IOException {
		final Path d = tmp.resolve("badcard");
		copyModel(modelDir, d);
		Files.writeString(d.resolve(ModelCard.FILE_NAME), "{ \"name\": \"x\", ", StandardCharsets.UTF_8);
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FeatureNetwork.load(d));
		assertTrue(e.getMessage().contains("not valid JSON"), e.getMessage());
	}

	@Test
	void corruptSavedModel() throws IOException {
		final Path d = tmp.resolve("corrupt");
		copyModel(modelDir, d);
		final byte[] pb = Files.readAllBytes(d.resolve("saved_model.pb"));
		Files.write(d.resolve("saved_model.pb"), java.util.Arrays.copyOf(pb, pb.length / 3));
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FeatureNetwork.load(d));
		assertTrue(e.getMessage().contains("could not be loaded as a TensorFlow SavedModel"), e.getMessage());
	}

	@Test
	void wrongInputName() throws IOException {
		final Path d = tmp.resolve("wrong-input");
		copyModel(modelDir, d);
		editCard(d, card -> card.getAsJsonObject("input").addProperty("name", "input_1"));
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FeatureNetwork.load(d));
		assertTrue(e.getMessage().contains("[image]") && e.getMessage().contains("input_1"), e.getMessage());
	}

	@Test
	void wrongOutputName() throws IOException {
		final Path d = tmp.resolve("wrong-output");
		copyModel(modelDir, d);
		editCard(d, card -> card.getAsJsonObject("output").addProperty("name", "embedding"));
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FeatureNetwork.load(d));
		assertTrue(e.getMessage().contains("[features]") && e.getMessage().contains("embedding"), e.getMessage());
	}

	@Test
	void wrongDimension() throws IOException {
		final Path d = tmp.resolve("wrong-d");
		copyModel(modelDir, d);
		editCard(d, card -> card.getAsJsonObject("output").addProperty("channels", 128));
		// the static signature already says D = 6, so loading fails
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FeatureNetwork.load(d));
		assertTrue(e.getMessage().contains("D = 128"), e.getMessage());
	}

	@Test
	void wrongSignatureKey() throws IOException {
		final Path d = tmp.resolve("wrong-signature");
		copyModel(modelDir, d);
		editCard(d, card -> card.addProperty("signature", "predict"));
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FeatureNetwork.load(d));
		assertTrue(e.getMessage().contains("'predict'") && e.getMessage().contains("serving_default"), e.getMessage());
	}

	@Test
	void wrongTags() throws IOException {
		final Path d = tmp.resolve("wrong-tags");
		copyModel(modelDir, d);
		editCard(d, card -> {
			final com.google.gson.JsonArray tags = new com.google.gson.JsonArray();
			tags.add("train");
			card.add("tags", tags);
		});
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FeatureNetwork.load(d));
		assertTrue(e.getMessage().contains("[train]") && e.getMessage().contains("[[serve]]"), e.getMessage());
	}

	static double maxAbsDiff(final PlanarImage a, final PlanarImage b) {
		assertEquals(a.channels(), b.channels());
		assertEquals(a.pixels(), b.pixels());
		double m = 0;
		for (int c = 0; c < a.channels(); c++) {
			for (int i = 0; i < a.pixels(); i++) m = Math.max(m, Math.abs(a.plane(c)[i] - b.plane(c)[i]));
		}
		return m;
	}

	static Progress progressRecorder(final List<Double> fractions) {
		return new Progress() {

			@Override
			public void report(final String stage, final double fraction) {
				fractions.add(fraction);
			}

			@Override
			public boolean isCancelled() {
				return false;
			}
		};
	}

	static void copyModel(final Path from, final Path to) throws IOException {
		Files.createDirectories(to.resolve("variables"));
		for (final String f : new String[] { "saved_model.pb", ModelCard.FILE_NAME }) Files.copy(from.resolve(f), to.resolve(f));
	}

	static void editCard(final Path dir, final java.util.function.Consumer<JsonObject> edit) throws IOException {
		final Path f = dir.resolve(ModelCard.FILE_NAME);
		final JsonObject card = JsonParser.parseString(Files.readString(f)).getAsJsonObject();
		edit.accept(card);
		Files.writeString(f, card.toString());
	}
}
