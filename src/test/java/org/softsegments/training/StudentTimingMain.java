package org.softsegments.training;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

import org.softsegments.core.Progress;
import org.softsegments.features.network.FeatureNetwork;
import org.softsegments.image.PlanarImage;

/**
 * Measures the cost of a {@link StudentArchitecture}: seconds per training step (random data,
 * after 2 warm-up steps) and the forward pass of the exported model through {@link FeatureNetwork}
 * on a 320×240 photo. Usage: {@code StudentTimingMain [widths=24,32,64,128,192] [depths=2,2,2,2]
 * [pool=64] [decoder=64] [batch=8] [crop=256] [steps=5]}.
 */
public final class StudentTimingMain {

	private StudentTimingMain() {}

	public static void main(final String[] args) throws Exception {
		final int[] widths = args.length > 0 ? Arrays.stream(args[0].split(",")).mapToInt(Integer::parseInt).toArray()
			: StudentArchitecture.standard().widths();
		final int[] depths = args.length > 1 ? Arrays.stream(args[1].split(",")).mapToInt(Integer::parseInt).toArray()
			: StudentArchitecture.standard().depths();
		final int pool = args.length > 2 ? Integer.parseInt(args[2]) : 64;
		final int decoder = args.length > 3 ? Integer.parseInt(args[3]) : 64;
		final int batch = args.length > 4 ? Integer.parseInt(args[4]) : 8;
		final int crop = args.length > 5 ? Integer.parseInt(args[5]) : 256;
		final int steps = args.length > 6 ? Integer.parseInt(args[6]) : 5;
		final StudentArchitecture arch = new StudentArchitecture(widths, depths, pool, decoder, 32);
		System.out.printf(Locale.ROOT, "%s: %,d parameters, %,d MACs per pixel%n", arch, arch.parameterCount(), Math.round(arch.macsPerPixel()));
		final Random rng = new Random(1);
		final float[] images = new float[batch * crop * crop * 3];
		for (int i = 0; i < images.length; i++) images[i] = rng.nextFloat();
		final int grid = crop / arch.outputStride();
		final float[] targets = new float[batch * grid * grid * 32];
		for (int i = 0; i < targets.length; i++) targets[i] = (float) rng.nextGaussian();
		final DistillationLoss loss = new DistillationLoss();
		final java.util.Map<String, float[]> weights;
		try (TrainingGraph g = new TrainingGraph(arch, loss, batch, crop, 0, 5)) {
			g.initialise(1);
			for (int t = 0; t < 2; t++) g.step(images, loss.feed(targets), t, 1e-3);
			final long t0 = System.nanoTime();
			for (int t = 0; t < steps; t++) g.step(images, loss.feed(targets), t + 2, 1e-3);
			System.out.printf(Locale.ROOT, "training: %.3f s/step at batch %d × %d²%n", (System.nanoTime() - t0) / 1e9 / steps, batch, crop);
			weights = g.weights();
		}
		final Path dir = Files.createTempDirectory("student-timing");
		final Path model = dir.resolve("m");
		SavedModelExport.export(arch, weights, SavedModelExport.baseCard("timing", arch), model);
		System.out.printf(Locale.ROOT, "saved_model.pb: %,d bytes%n", Files.size(model.resolve("saved_model.pb")));
		try (FeatureNetwork net = FeatureNetwork.load(model)) {
			final PlanarImage img = TinyModels.testImage(320, 240, 1);
			net.features(img, FeatureNetwork.DEFAULT_TILE_SIZE, Progress.NONE);
			final long t0 = System.nanoTime();
			final int n = 10;
			for (int k = 0; k < n; k++) net.features(img, FeatureNetwork.DEFAULT_TILE_SIZE, Progress.NONE);
			System.out.printf(Locale.ROOT, "forward 320×240 through FeatureNetwork: %.3f s%n", (System.nanoTime() - t0) / 1e9 / n);
		}
		SavedModelExport.deleteRecursively(dir);
	}
}
