package org.softsegments.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.softsegments.core.Progress;
import org.softsegments.features.network.FeatureNetwork;
import org.softsegments.features.network.ModelCard;

import ij.IJ;
import ij.ImagePlus;

/**
 * {@code sss --features unet} and {@code --features model --model DIR} on a 48×40 synthetic
 * image with small settings, and the errors of bad model folders. One class, so that TensorFlow
 * starts once.
 */
class SssNetworkTest {

	@TempDir
	static Path tmp;

	static Path image;
	static Path modelCopy;

	@BeforeAll
	static void prepare() throws Exception {
		final Path shipped = Path.of("models", FeatureNetwork.BUNDLED_NAME);
		Assumptions.assumeTrue(Files.isDirectory(shipped), "bundled model not present");
		modelCopy = Files.createDirectories(tmp.resolve("model copy"));
		for (final String f : new String[] { "saved_model.pb", ModelCard.FILE_NAME }) {
			Files.copy(shipped.resolve(f), modelCopy.resolve(f));
		}
		image = tmp.resolve("scene.png");
		Sss.writeScene(image, 48, 40, 3);
	}

	private static float[][] layers(final Path tiff, final int w, final int h) {
		final ImagePlus imp = IJ.openImage(tiff.toString());
		assertEquals(w, imp.getWidth());
		assertEquals(h, imp.getHeight());
		final float[][] planes = new float[imp.getNChannels()][];
		for (int c = 0; c < planes.length; c++) planes[c] = (float[]) imp.getStack().getPixels(c + 1);
		return planes;
	}

	@Test
	void bundledUNetAndACopyOfItInAModelFolderGiveTheSameLayers() throws Exception {
		final Path outUnet = tmp.resolve("out-unet"), outModel = tmp.resolve("out-model");
		final Sss unet = Sss.run(SegmentMainTest.args(new String[] { image.toString(), "--out", outUnet.toString(),
			"--features", "unet", "--progress", "lines" }));
		assertEquals(0, unet.exitCode, unet.toString());
		assertTrue(unet.out.contains("network sss-unet-d32 (D = 32)"), unet.toString());
		assertTrue(unet.err.contains("scene.png: features (0%)"), "progress lines\n" + unet);
		final float[][] a = layers(outUnet.resolve("scene_soft_segments.tif"), 48, 40);
		assertEquals(3, a.length);
		for (int i = 0; i < 48 * 40; i++) assertEquals(1, a[0][i] + a[1][i] + a[2][i], 1e-3, "layer sum at " + i);
		assertTrue(IJ.openImage(outUnet.resolve("scene_soft_segments.tif").toString()).getInfoProperty().contains(
			"features=unet sss-unet-d32 (D=32)"));

		// --model alone chooses --features model
		final Sss model = Sss.run(SegmentMainTest.args(new String[] { image.toString(), "--out", outModel.toString(),
			"--model", modelCopy.toString(), "--progress", "none" }));
		assertEquals(0, model.exitCode, model.toString());
		final float[][] b = layers(outModel.resolve("scene_soft_segments.tif"), 48, 40);
		for (int c = 0; c < 3; c++) assertArrayEquals(a[c], b[c], "layer " + (c + 1));

		// a dry run does not load the network
		final Sss dry = Sss.run(image.toString(), "--out", tmp.resolve("dry").toString(), "--features", "unet",
			"--dry-run");
		assertEquals(0, dry.exitCode, dry.toString());
		assertFalse(dry.out.contains("network "), dry.toString());
	}

	/**
	 * {@code --write-features} writes the network's features as the pipeline uses them (spec §3.1,
	 * preprocessed to 3 channels) at the image's size: the PNG holds exactly the rounded values of
	 * {@link FeatureNetwork#preprocessedFeatures}.
	 */
	@Test
	void writeFeaturesGivesThePreprocessedNetworkFeaturesAtFullSize() throws Exception {
		final Path out = tmp.resolve("out-features");
		final Sss r = Sss.run(SegmentMainTest.args(new String[] { image.toString(), "--out", out.toString(),
			"--features", "unet", "--write-features", "--progress", "none" }));
		assertEquals(0, r.exitCode, r.toString());
		Sss.assertPngHolds(FeatureNetwork.bundled().preprocessedFeatures(InputImages.readImage(image), Progress.NONE),
			out.resolve("scene_features.png"));
	}

	@Test
	void badModelFoldersGiveExitCode2AndSayWhatIsWrong() throws Exception {
		final Path empty = Files.createDirectories(tmp.resolve("empty"));
		final Path corrupt = Files.createDirectories(tmp.resolve("corrupt"));
		Files.copy(modelCopy.resolve(ModelCard.FILE_NAME), corrupt.resolve(ModelCard.FILE_NAME));
		Files.write(corrupt.resolve("saved_model.pb"), "not a protocol buffer".getBytes(StandardCharsets.UTF_8));
		final Path wrongD = Files.createDirectories(tmp.resolve("wrong D"));
		Files.copy(modelCopy.resolve("saved_model.pb"), wrongD.resolve("saved_model.pb"));
		Files.writeString(wrongD.resolve(ModelCard.FILE_NAME), Files.readString(modelCopy.resolve(ModelCard.FILE_NAME))
			.replace("\"channels\": 32", "\"channels\": 16"));
		final String[][] cases = { { "has no saved_model.pb", empty.toString() },
			{ "saved_model.pb is not readable", corrupt.toString() }, { "fix \"output\".\"channels\"", wrongD.toString() } };
		for (final String[] c : cases) {
			final Path out = tmp.resolve("out-" + Path.of(c[1]).getFileName());
			final Sss r = Sss.run(image.toString(), "--out", out.toString(), "--model", c[1]);
			assertEquals(2, r.exitCode, r.toString());
			assertTrue(r.err.startsWith("sss: --model " + c[1] + ": ") && r.err.contains(c[0]), r.toString());
			assertFalse(Files.exists(out), "no output folder for bad arguments");
		}
	}
}
