package org.softsegments.fiji;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Cancelable;
import org.scijava.Context;
import org.scijava.app.event.StatusEvent;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;
import org.scijava.event.EventHandler;
import org.scijava.event.EventService;
import org.scijava.event.EventSubscriber;
import org.scijava.module.Module;
import org.scijava.module.ModuleService;
import org.softsegments.demo.SyntheticScene;
import org.softsegments.features.network.FeatureNetwork;
import org.softsegments.features.network.ModelCard;
import org.softsegments.io.ImageFiles;

import ij.ImagePlus;

/**
 * The network choices of the Fiji commands ({@code features=[bundled U-Net]} and
 * {@code [custom model folder]}) through SciJava's {@link CommandService} in a headless
 * {@link Context}, on a 48×40 synthetic scene with small settings. One class, so that TensorFlow
 * starts once; each run loads the model again (about a second).
 */
class NetworkFeaturesCommandTest {

	private static final int W = 48, H = 40, K = 3;

	@TempDir
	static Path tmp;

	private static Context context;
	private static CommandService commands;
	private static ImagePlus input;
	/** The run with the bundled U-Net shared by several tests. */
	private static CommandModule bundled;
	/** A copy of models/sss-unet-d32. */
	private static Path modelCopy;

	/** Status texts of this command seen since the last test started. */
	private static final List<String> statuses = Collections.synchronizedList(new ArrayList<>());
	/** Kept so that the event service does not drop the listener. */
	private static List<EventSubscriber<?>> subscribers;
	private static final Object listener = new Object() {
		@EventHandler
		public void onStatus(final StatusEvent e) {
			final String m = e.getStatusMessage();
			if (m != null && m.startsWith("Semantic Soft Segments")) statuses.add(m);
		}
	};

	@BeforeAll
	static void runBundledOnce() throws Exception {
		final Path shipped = Path.of("models", FeatureNetwork.BUNDLED_NAME);
		Assumptions.assumeTrue(Files.isDirectory(shipped), "bundled model not present");
		modelCopy = copyModel(shipped, tmp.resolve("copy of the model"));
		context = new Context();
		commands = context.service(CommandService.class);
		subscribers = context.service(EventService.class).subscribe(listener);
		input = FijiTestImages.rgb("scene.png", W, H, 3);
		bundled = commands.run(SemanticSoftSegmentsCommand.class, true, inputs(input,
			SemanticSoftSegmentsCommand.BUNDLED_UNET, null)).get();
	}

	@AfterAll
	static void dispose() {
		if (context != null) context.dispose();
	}

	@AfterEach
	void clearStatuses() {
		statuses.clear();
	}

	static Path copyModel(final Path from, final Path to) throws Exception {
		Files.createDirectories(to);
		for (final String f : new String[] { "saved_model.pb", ModelCard.FILE_NAME }) {
			Files.copy(from.resolve(f), to.resolve(f));
		}
		return to;
	}

	/** Every input of the command, small settings (all given, so no persisted value leaks in). */
	static Map<String, Object> inputs(final ImagePlus imp, final String features, final File model) {
		final Map<String, Object> m = new HashMap<>();
		m.put("imp", imp);
		m.put("segments", K);
		m.put("features", features);
		m.put("feature_image", null);
		m.put("model", model);
		m.put("seed", 1L);
		m.put("superpixels", 100);
		m.put("eigenvectors", 20);
		m.put("semantic_weight", 0.01);
		m.put("colour_weight", 0.01);
		m.put("visualization", false);
		return m;
	}

	@Test
	void bundledUNetGivesAHyperstackOfLayersThatSumToOne() {
		assertFalse(bundled.isCanceled(), bundled.getCancelReason());
		final ImagePlus out = (ImagePlus) bundled.getOutput("layers");
		assertNotNull(out);
		assertEquals("scene.png soft segments", out.getTitle());
		assertArrayEquals(new int[] { W, H, K, 1, 1 }, out.getDimensions());
		final double worst = FijiTestImages.worstSumError(out, 1, 1);
		assertTrue(worst < 1e-2, "max |Σ layers − 1| = " + worst);
		// the layers differ from colour-only ones: the network's features were used
		final Map<String, Object> colour = inputs(input, SemanticSoftSegmentsCommand.COLOUR_ONLY, null);
		final ImagePlus c;
		try {
			c = (ImagePlus) commands.run(SemanticSoftSegmentsCommand.class, true, colour).get().getOutput("layers");
		}
		catch (final Exception e) {
			throw new AssertionError(e);
		}
		boolean differ = false;
		for (int k = 1; k <= Math.min(K, c.getNChannels()); k++) {
			differ |= !java.util.Arrays.equals((float[]) c.getStack().getPixels(k), (float[]) out.getStack().getPixels(k));
		}
		assertTrue(differ, "network features gave the colour-only layers");
	}

	@Test
	void customModelFolderGivesTheSameLayersAsTheBundledModel() throws Exception {
		final CommandModule custom = commands.run(SemanticSoftSegmentsCommand.class, true, inputs(input,
			SemanticSoftSegmentsCommand.CUSTOM_MODEL, modelCopy.toFile())).get();
		final ImagePlus a = (ImagePlus) bundled.getOutput("layers"), b = (ImagePlus) custom.getOutput("layers");
		assertArrayEquals(a.getDimensions(), b.getDimensions());
		for (int k = 1; k <= a.getNChannels(); k++) {
			assertArrayEquals((float[]) a.getStack().getPixels(k), (float[]) b.getStack().getPixels(k), "layer " + k);
		}
		synchronized (statuses) {
			assertTrue(statuses.contains("Semantic Soft Segments: " + FeatureNetworkChoice.LOADING), statuses.toString());
			assertTrue(statuses.contains("Semantic Soft Segments: features"), statuses.toString());
		}
	}

	@Test
	void framesShareOneLoadOfTheNetwork() throws Exception {
		final ImagePlus frames = FijiTestImages.rgbFrames("movie", W, H, 3, 11);
		final ImagePlus out = (ImagePlus) commands.run(SemanticSoftSegmentsCommand.class, true, inputs(frames,
			SemanticSoftSegmentsCommand.BUNDLED_UNET, null)).get().getOutput("layers");
		assertArrayEquals(new int[] { W, H, K, 1, 2 }, out.getDimensions());
		for (int t = 1; t <= 2; t++) assertTrue(FijiTestImages.worstSumError(out, 1, t) < 1e-2, "frame " + t);
		// frame 1 is the scene of the single-image run: same layers
		final ImagePlus one = (ImagePlus) bundled.getOutput("layers");
		for (int c = 1; c <= K; c++) {
			assertArrayEquals((float[]) one.getStack().getPixels(c), (float[]) out.getStack().getPixels(out.getStackIndex(c,
				1, 1)), "layer " + c + " of frame 1");
		}
		synchronized (statuses) {
			final long loads = statuses.stream().filter(s -> s.endsWith(FeatureNetworkChoice.LOADING)).count();
			assertEquals(1, loads, statuses.toString());
			assertTrue(statuses.contains("Semantic Soft Segments: features (plane 2/2)"), statuses.toString());
		}
	}

	@Test
	void badModelFoldersGiveThePromisedErrors() throws Exception {
		final String custom = SemanticSoftSegmentsCommand.CUSTOM_MODEL;
		assertError(IllegalArgumentException.class, "needs a model (parameter model", inputs(input, custom, null));
		assertError(IllegalArgumentException.class, "Feature model not found", inputs(input, custom, tmp
			.resolve("nowhere").toFile()));
		final Path empty = Files.createDirectories(tmp.resolve("empty"));
		assertError(IllegalArgumentException.class, "has no saved_model.pb", inputs(input, custom, empty.toFile()));

		final Path corrupt = copyModel(modelCopy, tmp.resolve("corrupt"));
		Files.write(corrupt.resolve("saved_model.pb"), "not a protocol buffer".getBytes(StandardCharsets.UTF_8));
		assertError(IllegalArgumentException.class, "saved_model.pb is not readable", inputs(input, custom, corrupt
			.toFile()));

		final Path noCard = copyModel(modelCopy, tmp.resolve("no card"));
		Files.delete(noCard.resolve(ModelCard.FILE_NAME));
		assertError(IllegalArgumentException.class, "has no " + ModelCard.FILE_NAME, inputs(input, custom, noCard
			.toFile()));

		// the card promises 16 channels, the model gives 32
		final Path wrongD = copyModel(modelCopy, tmp.resolve("wrong D"));
		final Path card = wrongD.resolve(ModelCard.FILE_NAME);
		final String text = Files.readString(card);
		assertTrue(text.contains("\"channels\": 32"), "model card layout changed: " + text);
		Files.writeString(card, text.replace("\"channels\": 32", "\"channels\": 16"));
		final String message = assertError(IllegalArgumentException.class, "D = 16", inputs(input, custom, wrongD
			.toFile()));
		assertTrue(message.contains("\"output\".\"channels\""), message);

		// the input is checked before the network is loaded
		statuses.clear();
		final ImagePlus twoChannels = NetworkFeaturesCommandTest.twoChannels();
		assertError(IllegalArgumentException.class, "2 channels", inputs(twoChannels,
			SemanticSoftSegmentsCommand.BUNDLED_UNET, null));
		assertFalse(statuses.stream().anyMatch(s -> s.endsWith(FeatureNetworkChoice.LOADING)), statuses.toString());
	}

	@Test
	void cancellationDuringTheNetworkStopsWithoutOutput() throws Exception {
		final ModuleService modules = context.service(ModuleService.class);
		final Module module = modules.createModule(commands.getCommand(SemanticSoftSegmentsCommand.class));
		final AtomicBoolean cancelled = new AtomicBoolean();
		final List<String> seen = Collections.synchronizedList(new ArrayList<>());
		final Object canceller = new Object() {
			@EventHandler
			public void onStatus(final StatusEvent e) {
				final String m = e.getStatusMessage();
				if (m == null || !m.startsWith("Semantic Soft Segments: ")) return;
				seen.add(m);
				if (m.equals("Semantic Soft Segments: features") && !cancelled.getAndSet(true)) {
					((Cancelable) module).cancel("test cancel");
				}
			}
		};
		final EventService events = context.service(EventService.class);
		final List<EventSubscriber<?>> subscribers = events.subscribe(canceller);
		try {
			final Future<Module> future = modules.run(module, true, inputs(input, SemanticSoftSegmentsCommand.BUNDLED_UNET,
				null));
			final Module done = future.get(60, TimeUnit.SECONDS);
			assertTrue(cancelled.get(), "never saw the features stage: " + seen);
			assertTrue(((Cancelable) done).isCanceled());
			assertNull(done.getOutput("layers"));
			synchronized (seen) {
				assertFalse(seen.stream().anyMatch(s -> s.endsWith(": superpixels")), "the engine started: " + seen);
			}
		}
		finally {
			events.unsubscribe(subscribers);
		}
	}

	@Test
	void batchCommandLoadsTheNetworkOnceForTheFolder(@TempDir final Path dir) throws Exception {
		final Path in = Files.createDirectories(dir.resolve("in")), out = dir.resolve("out");
		ImageFiles.writePng(SyntheticScene.create(W, H, 2, 1).image(), in.resolve("a.png"));
		ImageFiles.writePng(SyntheticScene.create(W, H, 2, 2).image(), in.resolve("b.png"));
		final Map<String, Object> m = new HashMap<>();
		m.put("input_folder", in.toFile());
		m.put("file_pattern", "*.png");
		m.put("output_folder", out.toFile());
		m.put("segments", K);
		m.put("features", SemanticSoftSegmentsCommand.CUSTOM_MODEL);
		m.put("model", modelCopy.toFile());
		m.put("seed", 1L);
		m.put("skip_existing", false);
		m.put("superpixels", 100);
		m.put("eigenvectors", 20);
		m.put("semantic_weight", 0.01);
		m.put("colour_weight", 0.01);
		final String summary = (String) commands.run(SemanticSoftSegmentsBatchCommand.class, true, m).get().getOutput(
			"summary");
		assertTrue(summary.startsWith("2 file(s) matched") && summary.contains("2 segmented") && summary.contains(
			"0 failed"), summary);
		for (final String n : new String[] { "a", "b" }) {
			assertTrue(Files.isRegularFile(out.resolve(n + SemanticSoftSegmentsBatchCommand.LAYERS_SUFFIX)), n);
		}
		synchronized (statuses) {
			final long loads = statuses.stream().filter(s -> s.endsWith(FeatureNetworkChoice.LOADING)).count();
			assertEquals(1, loads, statuses.toString());
		}
		// a bad folder is an error up front, before any file
		m.put("model", dir.resolve("nowhere").toFile());
		m.put("output_folder", dir.resolve("out2").toFile());
		final ExecutionException e = ExpectedCommandFailure.assertCommandFails(context, () -> commands.run(
			SemanticSoftSegmentsBatchCommand.class, true, m).get());
		assertTrue(causeOf(e, IllegalArgumentException.class).getMessage().contains("Feature model not found"));
		assertFalse(Files.exists(dir.resolve("out2").resolve("a" + SemanticSoftSegmentsBatchCommand.LAYERS_SUFFIX)));
	}

	private static ImagePlus twoChannels() {
		final ij.ImageStack stack = new ij.ImageStack(W, H);
		for (int c = 0; c < 2; c++) stack.addSlice(new ij.process.ByteProcessor(W, H));
		final ImagePlus imp = new ImagePlus("c2", stack);
		imp.setDimensions(2, 1, 1);
		return new ij.CompositeImage(imp, ij.IJ.COMPOSITE);
	}

	private static <T extends Throwable> T causeOf(final Throwable e, final Class<T> type) {
		Throwable cause = e;
		while (cause != null && !type.isInstance(cause)) cause = cause.getCause();
		assertNotNull(cause, "no " + type.getSimpleName() + " in " + e);
		return type.cast(cause);
	}

	private static String assertError(final Class<? extends RuntimeException> type, final String expected,
		final Map<String, Object> in)
	{
		final ExecutionException e = ExpectedCommandFailure.assertCommandFails(context, () -> commands.run(
			SemanticSoftSegmentsCommand.class, true, in).get());
		final String message = causeOf(e, type).getMessage();
		assertTrue(message.contains(expected), "message '" + message + "' lacks '" + expected + "'");
		return message;
	}
}
