package org.softsegments.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.softsegments.cli.SssCommand.FeatureMode;
import org.softsegments.core.Progress;
import org.softsegments.demo.SyntheticScene;
import org.softsegments.engine.MemoryEstimate;
import org.softsegments.engine.PipelineInputs;
import org.softsegments.engine.SegmentationResult;
import org.softsegments.engine.SemanticSoftSegmentation;
import org.softsegments.engine.Settings;
import org.softsegments.engine.SoftSegments;
import org.softsegments.engine.StrokeLabels;
import org.softsegments.eval.BestSubset;
import org.softsegments.features.network.FeatureNetwork;
import org.softsegments.features.network.NetworkSegmentation;
import org.softsegments.features.network.TensorFlowConflicts;
import org.softsegments.image.PlanarImage;
import org.softsegments.image.Resize;
import org.softsegments.io.ImageFiles;
import org.softsegments.io.SegmentsFile;

/**
 * The batch part of {@code sss}, apart from the option handling in {@link SssCommand}: segments
 * the run's images one after another (memory check from the header, image, features, strokes or
 * kept segments, the engine with a console progress display, {@link LayerOutputs}) and reports
 * a line per image and a summary. A failing image is reported and the others continue; the
 * arguments were checked before, so everything that goes wrong here belongs to one image.
 */
final class BatchRunner {

	private static final Settings DEFAULTS = new Settings();

	/** One image to segment. */
	static final class Job {

		final String name;
		final Path input;
		final Path featureFile;
		final SyntheticScene scene;

		Job(final String name, final Path input, final Path featureFile, final SyntheticScene scene) {
			this.name = name;
			this.input = input;
			this.featureFile = featureFile;
			this.scene = scene;
		}

		String label() {
			return input == null ? "demo scene" : input.getFileName().toString();
		}
	}

	private final Settings settings;
	private final FeatureMode mode;
	private final Path featureDir;
	private final FeatureNetwork network;
	private final EditingOptions editing;
	private final boolean mattes, writeFeatures, skipExisting;
	private final ConsoleProgress.Mode progress;
	private final String demoSize;
	private final PrintWriter stdout, stderr;

	/**
	 * @param featureDir --feature-dir, named when an input has no feature image there
	 * @param network the loaded network of --features unet or model (null for none)
	 * @param demoSize --demo-size as given, stored in the demo scene's provenance
	 */
	BatchRunner(final Settings settings, final FeatureMode mode, final Path featureDir, final FeatureNetwork network,
		final EditingOptions editing, final boolean mattes, final boolean writeFeatures, final boolean skipExisting,
		final ConsoleProgress.Mode progress, final String demoSize, final PrintWriter stdout, final PrintWriter stderr)
	{
		this.settings = settings;
		this.mode = mode;
		this.featureDir = featureDir;
		this.network = network;
		this.editing = editing;
		this.mattes = mattes;
		this.writeFeatures = writeFeatures;
		this.skipExisting = skipExisting;
		this.progress = progress;
		this.demoSize = demoSize;
		this.stdout = stdout;
		this.stderr = stderr;
	}

	/** {@code --dry-run}: lists what would be processed (and what would be skipped); returns the exit code 0. */
	int list(final List<Job> jobs, final Path outDir, final String scope) {
		stdout.println("Would process " + scope + " into " + outDir + ":");
		for (final Job job : jobs) {
			final boolean skip = skipExisting && LayerOutputs.exist(outDir, job.name, mattes);
			stdout.println((skip ? "  skip " : "  ") + (job.input == null ? "demo scene" : job.input.toString()) +
				" -> " + job.name + LayerOutputs.TIFF_SUFFIX + (job.featureFile != null ? "  (features " +
					job.featureFile + ")" : ""));
		}
		stdout.flush();
		return 0;
	}

	/** Segments the jobs into {@code outDir}; returns the exit code: 0 if none failed, else 1. */
	int segmentAll(final List<Job> jobs, final Path outDir, final String scope) {
		int done = 0, skipped = 0;
		final List<String> failures = new ArrayList<>();
		for (int j = 0; j < jobs.size(); j++) {
			final Job job = jobs.get(j);
			final String task = String.format(Locale.ROOT, "[%d/%d] %s", j + 1, jobs.size(), job.label());
			if (skipExisting && LayerOutputs.exist(outDir, job.name, mattes)) {
				stdout.println("skip    " + task + ": outputs exist");
				stdout.flush();
				skipped++;
				continue;
			}
			final long start = System.nanoTime();
			try {
				final PlanarImage[] shown = new PlanarImage[2]; // the features shown, the image read
				final SegmentationResult r = segment(job, task, shown);
				final String info = info(job, r.softSegments() != null ? r.softSegments().settings() : settings, r);
				// all of the image's files or none: a failed write removes the ones written before it
				LayerOutputs.write(outDir, job.name, r.layers(), mattes, info, writeFeatures ? shown[0] : null,
					editing.extras(shown[1], r));
				stdout.printf(Locale.ROOT, "ok      %s -> %s (%d layers, %.1f s)%n", task, job.name +
					LayerOutputs.TIFF_SUFFIX, r.layerCount(), (System.nanoTime() - start) * 1e-9);
				for (final String note : r.notes()) stdout.println("note    " + task + ": " + note);
				if (job.scene != null) reportDemo(job.scene, r);
				done++;
			}
			catch (final IOException | IllegalArgumentException e) {
				failures.add(fail(task, e.getMessage()));
			}
			catch (final IllegalStateException | LinkageError e) {
				failures.add(fail(task, TensorFlowConflicts.explain(e, SssCommand.class.getClassLoader()).getMessage()));
			}
			catch (final OutOfMemoryError e) {
				failures.add(fail(task, "out of memory; give Java more (e.g. SSS_JAVA_OPTS=-Xmx16g) or use fewer " +
					"--eigenvectors / --superpixels"));
			}
			catch (final RuntimeException e) {
				failures.add(fail(task, "unexpected error: " + e));
				e.printStackTrace(stderr);
			}
			stdout.flush();
		}
		stdout.printf(Locale.ROOT, "sss: %d segmented, %d skipped, %d failed (%s) -> %s%n", done, skipped,
			failures.size(), scope, outDir);
		if (!failures.isEmpty()) {
			stderr.println("Failed:");
			for (final String f : failures) stderr.println("  " + f);
		}
		stdout.flush();
		stderr.flush();
		return failures.isEmpty() ? 0 : 1;
	}

	private String fail(final String task, final String message) {
		final String line = task + ": " + message;
		stderr.println("FAILED  " + line);
		stderr.flush();
		return line;
	}

	/**
	 * Reads the job's image and features and runs the engine with a console progress display; with
	 * {@code --write-features}, {@code outputs[0]} receives the 3 feature channels at full size;
	 * {@code outputs[1]} receives the image read.
	 */
	private SegmentationResult segment(final Job job, final String task, final PlanarImage[] outputs) throws IOException {
		if (job.input != null) checkMemory(job.input); // from the header, before decoding
		final PlanarImage image = job.scene != null ? job.scene.image() : InputImages.readImage(job.input);
		outputs[1] = image;
		final StrokeLabels strokes = job.input == null ? null : editing.strokesFor(job.input);
		if (strokes != null && (strokes.width() != image.width() || strokes.height() != image.height())) {
			throw new IOException("--scribbles: the stroke image is " + strokes.width() + "×" + strokes.height() + " but "
				+ job.input.getFileName() + " is " + image.width() + "×" + image.height() + "; draw the strokes on this photo "
				+ "(a label image of its size)");
		}
		final Path segmentsFile = job.input == null ? null : editing.segmentsFor(job.name);
		if (segmentsFile != null) return regroup(image, segmentsFile, strokes, task, outputs);
		PlanarImage feat = null;
		if (mode == FeatureMode.IMAGE) {
			if (job.featureFile == null) {
				throw new IOException("no feature image for " + job.input.getFileName() + " in " + featureDir +
					" (looked for the same file name, or the same base name with one of " +
					InputCollection.IMAGE_EXTENSIONS + ")");
			}
			feat = InputImages.readFeatures(job.featureFile);
		}
		try (ConsoleProgress p = ConsoleProgress.start(progress, task, stderr)) {
			if (network != null) {
				return NetworkSegmentation.run(network, image, strokes, settings, p, editing.keepSegments, raw -> {
					if (writeFeatures) outputs[0] = shownFeatures(image, raw, settings);
				});
			}
			if (writeFeatures) outputs[0] = shownFeatures(image, feat, settings);
			return SemanticSoftSegmentation.run(image, feat, strokes, settings, p, editing.keepSegments);
		}
	}

	/** {@code --from-segments}: the kept soft segments of the image grouped again (-k or the strokes). */
	private SegmentationResult regroup(final PlanarImage image, final Path file, final StrokeLabels strokes,
		final String task, final PlanarImage[] outputs) throws IOException
	{
		final SoftSegments soft = SegmentsFile.read(file);
		if (writeFeatures) outputs[0] = Resize.smooth(soft.features(), image.width(), image.height());
		try (ConsoleProgress p = ConsoleProgress.start(progress, task, stderr)) {
			return SemanticSoftSegmentation.regroup(image, soft, settings.layers, strokes, settings.threads, p);
		}
		catch (final IllegalArgumentException e) {
			throw new IOException("--from-segments " + file + ": " + e.getMessage(), e);
		}
	}

	/**
	 * Refuses an image that cannot fit in the heap on the chosen path ({@link MemoryEstimate}),
	 * from its header, before anything is decoded, saying how much it needs and what would help.
	 */
	private void checkMemory(final Path input) throws IOException {
		final int[] size = InputImages.size(input);
		final long w = size[0], h = size[1];
		final String what = input.getFileName() + " is " + w + "×" + h + " pixels (" + String.format(Locale.ROOT,
			"%.1f", w * h / 1e6) + " megapixels)";
		if (w * h > ImageFiles.MAX_PIXELS) {
			throw new IllegalArgumentException(what + ", more than this program can hold (" + ImageFiles.MAX_PIXELS /
				1_000_000 + " megapixels); downscale the image");
		}
		final MemoryEstimate.Verdict v = MemoryEstimate.check(w, h, network != null ? network.channels() : 0, settings);
		if (v.fits()) return;
		final long need = v.need(), have = v.available();
		final List<String> help = new ArrayList<>();
		help.add("give Java more memory (e.g. SSS_JAVA_OPTS=" + MemoryEstimate.xmx(need) + " scripts/sss …)");
		if (v.fastFits() && settings.mode != Settings.Mode.FAST) {
			help.add("use the fast path (--mode fast: at least " + MemoryEstimate.format(v.fastNeed()) + ")");
		}
		else if (v.fastFits()) {
			help.add("use a smaller --working-pixels (the default " + DEFAULTS.workingPixels + ": at least " +
				MemoryEstimate.format(v.fastNeed()) + ")");
		}
		help.add("downscale the image");
		throw new IllegalArgumentException(what + ": segmenting it on the " + settings.mode.name().toLowerCase(
			Locale.ROOT) + " path needs at least " + MemoryEstimate.format(need) + " of memory, but Java may use " +
			MemoryEstimate.format(have) + " (-Xmx). Not started; " + String.join(", ", help.subList(0, help.size() -
				1)) + " or " + help.get(help.size() - 1) + ".");
	}

	/** The 3 guidance channels at the image's size (network features may come at the fast path's working size). */
	private static PlanarImage shownFeatures(final PlanarImage image, final PlanarImage features, final Settings s) {
		final PlanarImage rgb = PipelineInputs.rgb(image);
		if (features == null || (features.width() == rgb.width() && features.height() == rgb.height())) {
			return SemanticSoftSegmentation.guidanceFeatures(rgb, features, s, Progress.NONE);
		}
		final PlanarImage small = Resize.smooth(rgb, features.width(), features.height());
		return Resize.smooth(SemanticSoftSegmentation.guidanceFeatures(small, features, s, Progress.NONE), rgb.width(), rgb.height());
	}

	private void reportDemo(final SyntheticScene scene, final SegmentationResult r) {
		final List<String> times = new ArrayList<>();
		for (final Map.Entry<String, Double> e : r.stageSeconds().entrySet()) {
			times.add(String.format(Locale.ROOT, "%s %.2f s", e.getKey(), e.getValue()));
		}
		stdout.println("        stages: " + String.join(", ", times));
		final int n = scene.image().pixels();
		for (int s = 0; s < scene.shapes(); s++) {
			final BestSubset.Match m = BestSubset.find(r.layers(), scene.alphas()[s]);
			stdout.printf(Locale.ROOT, "        shape %d: best subset of layers %s, mean |error| %.4f%n", s + 1,
				layers(m.subset), m.sad / n);
		}
	}

	private static String layers(final long subset) {
		final List<String> ks = new ArrayList<>();
		for (int k = 0; k < 64; k++) if ((subset >>> k & 1) != 0) ks.add(Integer.toString(k + 1));
		return "{" + String.join(",", ks) + "}";
	}

	/** Provenance stored in the TIFF ("Info" property; Fiji: Image › Show Info). */
	private String info(final Job job, final Settings s, final SegmentationResult r) throws IOException {
		final StringBuilder b = new StringBuilder();
		b.append("Semantic soft segments (sss ").append(VersionInfo.version()).append(")\n");
		b.append("input=").append(job.input == null ? "demo scene " + demoSize : job.input.getFileName()).append('\n');
		if (job.input != null) {
			final int o = ImageFiles.exifOrientation(job.input);
			b.append("exif_orientation=").append(o).append(o == 1 ? " (none, or upright)" : " (the input was " +
				ImageFiles.orientationWords(o) + " before segmenting, as photo viewers show it)").append('\n');
		}
		b.append("features=").append(mode);
		if (job.featureFile != null) b.append(' ').append(job.featureFile.getFileName());
		if (network != null) b.append(' ').append(network.card().name()).append(" (D=").append(network.channels()).append(')');
		b.append('\n');
		b.append("segments=").append(s.layers).append('\n').append("layers=").append(r.layerCount()).append('\n');
		b.append("seed=").append(s.seed).append('\n').append("mode=").append(s.mode.name().toLowerCase(Locale.ROOT))
			.append('\n').append("working_pixels=").append(s.workingPixels).append('\n');
		if (s.mode == Settings.Mode.FAST) b.append("cleanup_threshold=").append(s.cleanupThreshold).append('\n');
		b.append("superpixels=").append(s.superpixels).append('\n');
		b.append("eigenvectors=").append(s.eigenvectors).append('\n');
		b.append("semantic_weight=").append(s.semanticWeight).append('\n');
		b.append("colour_weight=").append(s.colorWeight).append('\n');
		for (final String note : r.notes()) b.append("note=").append(note).append('\n');
		return b.toString();
	}
}
