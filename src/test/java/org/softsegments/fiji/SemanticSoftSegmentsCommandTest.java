package org.softsegments.fiji;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.scijava.Cancelable;
import org.scijava.Context;
import org.scijava.app.event.StatusEvent;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;
import org.scijava.event.EventHandler;
import org.scijava.event.EventService;
import org.scijava.module.Module;
import org.scijava.module.ModuleService;
import org.softsegments.engine.SemanticSoftSegmentation;
import org.softsegments.eval.LayerVisualization;

import ij.CompositeImage;
import ij.IJ;
import ij.ImagePlus;
import ij.ImageStack;
import ij.measure.Calibration;
import ij.process.ByteProcessor;
import ij.process.ColorProcessor;
import ij.process.LUT;

/**
 * The command through SciJava's {@link CommandService} in a headless {@link Context}, on small
 * synthetic scenes (60×45, 30 eigenvectors, 200 superpixels).
 */
class SemanticSoftSegmentsCommandTest {

	private static final int W = 60, H = 45, K = 4;

	private static Context context;
	private static CommandService commands;
	/** The single-image run shared by several tests. */
	private static ImagePlus input;
	private static List<Object> inputPixels;
	private static CommandModule single;

	@BeforeAll
	static void runOnce() throws Exception {
		context = new Context();
		commands = context.service(CommandService.class);
		input = FijiTestImages.rgb("scene.png", W, H, 3);
		final Calibration cal = input.getCalibration();
		cal.pixelWidth = 0.5;
		cal.pixelHeight = 0.25;
		cal.setUnit("µm");
		inputPixels = FijiTestImages.snapshot(input);
		final Map<String, Object> in = inputs(input);
		in.put("visualization", true);
		single = commands.run(SemanticSoftSegmentsCommand.class, true, in).get();
	}

	@AfterAll
	static void dispose() {
		context.dispose();
	}

	/** Every input of the command, with small settings (all given, so no persisted value leaks in). */
	static Map<String, Object> inputs(final ImagePlus imp) {
		final Map<String, Object> m = new HashMap<>();
		m.put("imp", imp);
		m.put("segments", K);
		m.put("features", SemanticSoftSegmentsCommand.COLOUR_ONLY);
		m.put("feature_image", null);
		m.put("model", null);
		m.put("seed", 1L);
		m.put("mode", SemanticSoftSegmentsCommand.REFERENCE);
		m.put("working_pixels", 80_000);
		m.put("cleanup_threshold", 0.01);
		m.put("superpixels", 200);
		m.put("eigenvectors", 30);
		m.put("semantic_weight", 0.01);
		m.put("colour_weight", 0.01);
		m.put("visualization", false);
		return m;
	}

	@Test
	void outputIsACompositeHyperstackOfLayers() {
		assertFalse(single.isCanceled());
		final ImagePlus out = (ImagePlus) single.getOutput("layers");
		assertNotNull(out);
		assertEquals("scene.png soft segments", out.getTitle());
		assertEquals(32, out.getBitDepth());
		assertArrayEquals(new int[] { W, H, K, 1, 1 }, out.getDimensions());
		assertTrue(out instanceof CompositeImage);
		final CompositeImage ci = (CompositeImage) out;
		assertEquals(IJ.COMPOSITE, ci.getMode());
		for (int c = 1; c <= K; c++) {
			final LUT lut = ci.getChannelLut(c);
			final int[] colour = LayerVisualization.PALETTE[c - 1];
			assertEquals(colour[0], lut.getRed(255), "red of layer " + c);
			assertEquals(colour[1], lut.getGreen(255), "green of layer " + c);
			assertEquals(colour[2], lut.getBlue(255), "blue of layer " + c);
			assertEquals(0, lut.min);
			assertEquals(1, lut.max);
			assertEquals("layer " + c, ci.getStack().getSliceLabel(c));
		}
		final Calibration cal = out.getCalibration();
		assertEquals(0.5, cal.pixelWidth);
		assertEquals(0.25, cal.pixelHeight);
		assertEquals("µm", cal.getUnit());
		final double worst = FijiTestImages.worstSumError(out, 1, 1);
		assertTrue(worst < 1e-2, "max |Σ layers − 1| = " + worst);
	}

	@Test
	void visualizationIsOutputOnRequest() {
		final ImagePlus vis = (ImagePlus) single.getOutput("visualization_image");
		assertNotNull(vis);
		assertEquals("scene.png soft segments visualisation", vis.getTitle());
		assertEquals(24, vis.getBitDepth());
		assertEquals(W, vis.getWidth());
		assertEquals(0.5, vis.getCalibration().pixelWidth);
	}

	@Test
	void inputIsNotModified() {
		assertTrue(FijiTestImages.unchanged(input, inputPixels), "input pixels changed");
		assertEquals("scene.png", input.getTitle());
		assertEquals(24, input.getBitDepth());
		assertEquals(1, input.getStackSize());
	}

	@Test
	void framesAreSegmentedOneByOneIntoAHyperstackWithTheSameT() throws Exception {
		// frame 1 is the shared single image (seed 3), frame 2 another scene
		final ImagePlus frames = FijiTestImages.rgbFrames("movie", W, H, 3, 11);
		final List<Object> before = FijiTestImages.snapshot(frames);
		final ImagePlus out = (ImagePlus) commands.run(SemanticSoftSegmentsCommand.class, true, inputs(frames)).get()
			.getOutput("layers");
		assertArrayEquals(new int[] { W, H, K, 1, 2 }, out.getDimensions());
		assertTrue(out.isHyperStack());
		assertTrue(FijiTestImages.unchanged(frames, before), "input pixels changed");
		for (int t = 1; t <= 2; t++) {
			final double worst = FijiTestImages.worstSumError(out, 1, t);
			assertTrue(worst < 1e-2, "frame " + t + ": max |Σ layers − 1| = " + worst);
		}
		// plane by plane: frame 1 equals the single-image run bit for bit (same seed)
		final ImagePlus one = (ImagePlus) single.getOutput("layers");
		for (int c = 1; c <= K; c++) {
			assertArrayEquals((float[]) one.getStack().getPixels(c), (float[]) out.getStack().getPixels(out.getStackIndex(c,
				1, 1)), "layer " + c + " of frame 1");
			assertEquals("layer " + c, out.getStack().getSliceLabel(out.getStackIndex(c, 1, 2)));
		}
	}

	@Test
	void featureImageChoiceUsesTheFeatureImage() throws Exception {
		// a 3-channel feature image is used as given: here the image itself
		final Map<String, Object> in = inputs(input);
		in.put("features", SemanticSoftSegmentsCommand.FEATURE_IMAGE);
		in.put("feature_image", input);
		final ImagePlus out = (ImagePlus) commands.run(SemanticSoftSegmentsCommand.class, true, in).get().getOutput(
			"layers");
		assertEquals(K, out.getNChannels());
		assertTrue(FijiTestImages.worstSumError(out, 1, 1) < 1e-2);
	}

	@Test
	void fastPathGivesFullSizeLayersFromAWorkingResolution() throws Exception {
		final Map<String, Object> in = inputs(input);
		in.put("mode", SemanticSoftSegmentsCommand.FAST);
		in.put("working_pixels", 1024);
		final ImagePlus out = (ImagePlus) commands.run(SemanticSoftSegmentsCommand.class, true, in).get().getOutput(
			"layers");
		assertEquals(W, out.getWidth());
		assertEquals(H, out.getHeight());
		assertEquals(K, out.getNChannels());
		assertTrue(FijiTestImages.worstSumError(out, 1, 1) < 1e-2);
	}

	@Test
	void badInputsGiveThePromisedErrors() {
		assertError("2 channels", inputs(compositeOf(2)));
		assertError("4 channels", inputs(compositeOf(4)));
		final Map<String, Object> wrongSize = inputs(input);
		wrongSize.put("features", SemanticSoftSegmentsCommand.FEATURE_IMAGE);
		wrongSize.put("feature_image", FijiTestImages.rgb("small", W - 10, H, 1));
		assertError("must have the same size", wrongSize);
		final Map<String, Object> noFeatures = inputs(input);
		noFeatures.put("features", SemanticSoftSegmentsCommand.FEATURE_IMAGE);
		assertError("needs a feature image", noFeatures);
		final Map<String, Object> noModel = inputs(input);
		noModel.put("features", SemanticSoftSegmentsCommand.CUSTOM_MODEL);
		assertError("needs a model (parameter model", noModel); // the network choices: NetworkFeaturesCommandTest
		final Map<String, Object> tooMany = inputs(input);
		tooMany.put("segments", 25);
		assertError("segments=25 is outside the accepted range 2–20", tooMany);
		final Map<String, Object> weight = inputs(input);
		weight.put("colour_weight", -1.0);
		assertError("colour_weight=-1 is outside", weight);
		final Map<String, Object> mode = inputs(input);
		mode.put("mode", "quick");
		assertError("mode=quick is not accepted", mode);
		final Map<String, Object> working = inputs(input);
		working.put("working_pixels", 100);
		assertError("working_pixels=100 is outside", working);
		final Map<String, Object> cleanup = inputs(input);
		cleanup.put("cleanup_threshold", 0.25); // K = 4 segments: must be below 1/4
		assertError("cleanup_threshold=0.25 is outside the accepted range: at least 0 and below 1/segments = 0.25",
			cleanup);
		assertError("needs at least 8×8", inputs(new ImagePlus("tiny", new ColorProcessor(6, 6))));
	}

	@Test
	void cancellationStopsPromptlyWithoutOutput() throws Exception {
		final List<String> statuses = Collections.synchronizedList(new ArrayList<>());
		final AtomicLong cancelledAt = new AtomicLong();
		final ModuleService modules = context.service(ModuleService.class);
		final Module module = modules.createModule(commands.getCommand(SemanticSoftSegmentsCommand.class));
		final Object listener = new Object() {
			@EventHandler
			public void onStatus(final StatusEvent e) {
				final String message = e.getStatusMessage();
				if (message == null || !message.startsWith(SemanticSoftSegmentsCommand.NAME + ": ")) return;
				statuses.add(message);
				// cancel from the event thread once a later stage has started
				if (message.endsWith(SemanticSoftSegmentation.CONSTRAINED) && cancelledAt.get() == 0) {
					cancelledAt.set(System.nanoTime());
					((Cancelable) module).cancel("test cancel");
				}
			}
		};
		context.service(EventService.class).subscribe(listener);
		final Future<Module> future = modules.run(module, true, inputs(input));
		final Module done = future.get(60, TimeUnit.SECONDS);
		final long end = System.nanoTime();
		assertTrue(cancelledAt.get() > 0, "never saw the stage; statuses: " + statuses);
		final double latency = (end - cancelledAt.get()) * 1e-9;
		System.out.printf("cancel → end of run: %.3f s%n", latency);
		assertTrue(((Cancelable) done).isCanceled());
		assertEquals("test cancel", ((Cancelable) done).getCancelReason());
		assertNull(done.getOutput("layers"));
		assertNull(done.getOutput("visualization_image"));
		assertTrue(latency < 2, "the run went on for " + latency + " s after the cancel");
		synchronized (statuses) {
			for (final String s : statuses) {
				assertFalse(s.endsWith(SemanticSoftSegmentation.RELAXED), "a later stage started: " + statuses);
			}
		}
		assertTrue(FijiTestImages.unchanged(input, inputPixels));
	}

	private static String assertError(final String expected, final Map<String, Object> in) {
		final ExecutionException e = ExpectedCommandFailure.assertCommandFails(context, () -> commands.run(
			SemanticSoftSegmentsCommand.class, true, in).get());
		// SciJava wraps what the command threw: ExecutionException → "Module threw exception" → ours
		Throwable cause = e;
		while (cause != null && !(cause instanceof IllegalArgumentException)) cause = cause.getCause();
		assertNotNull(cause, "no IllegalArgumentException in " + e);
		assertTrue(cause.getMessage().contains(expected), "message '" + cause.getMessage() + "' lacks '" + expected +
			"'");
		return cause.getMessage();
	}

	private static ImagePlus compositeOf(final int channels) {
		final ImageStack stack = new ImageStack(W, H);
		for (int c = 0; c < channels; c++) stack.addSlice(new ByteProcessor(W, H));
		final ImagePlus imp = new ImagePlus("c" + channels, stack);
		imp.setDimensions(channels, 1, 1);
		return new CompositeImage(imp, IJ.COMPOSITE);
	}
}
