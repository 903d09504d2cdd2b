package org.softsegments.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import org.softsegments.demo.SyntheticScene;
import org.softsegments.engine.MemoryEstimate;
import org.softsegments.engine.PipelineInputs;
import org.softsegments.core.Progress;
import org.softsegments.engine.SegmentationResult;
import org.softsegments.engine.SemanticSoftSegmentation;
import org.softsegments.engine.Settings;
import org.softsegments.engine.SoftSegments;
import org.softsegments.engine.StrokeLabels;
import org.softsegments.io.SegmentsFile;
import org.softsegments.eval.BestSubset;
import org.softsegments.features.network.FeatureNetwork;
import org.softsegments.features.network.NetworkSegmentation;
import org.softsegments.features.network.TensorFlowConflicts;
import org.softsegments.image.PlanarImage;
import org.softsegments.image.Resize;
import org.softsegments.io.ImageFiles;
import org.softsegments.io.OutputFiles;

import picocli.CommandLine.Command;
import picocli.CommandLine.Help;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * The {@code sss} command: segments image files (or a synthetic demo scene) and writes, per
 * image, the layers as a hyperstack TIFF, the colour visualisation and optionally one matte per
 * layer ({@link LayerOutputs}). Options mirror the Fiji command's parameters. A failing image
 * is reported and the others continue; the exit code is 0 when every image succeeded (or was
 * skipped), 1 when any failed, 2 for bad arguments. Nothing here calls {@link System#exit}:
 * {@link SegmentMain} does, so tests run the command in-process.
 */
@Command(name = "sss", mixinStandardHelpOptions = true, versionProvider = VersionInfo.class, sortOptions = false,
	showDefaultValues = true, usageHelpAutoWidth = true,
	header = "Semantic soft segmentation (Aksoy et al., SIGGRAPH 2018) without Fiji.",
	// lines of at most 79 characters: picocli wraps the description at the terminal's width
	description = { "", "Splits each image into K soft layers that sum to 1 at every pixel.", "Writes into DIR:",
		"  <name>_soft_segments.tif  32-bit hyperstack, a channel per layer",
		"  <name>_visualization.png  colour composite of the layers",
		"  <name>_layer<k>.png       8-bit matte of layer k (--mattes), or layer k",
		"                            in RGBA with its unmixed colours (--rgba)",
		"  <name>.ora                the RGBA layers as an OpenRaster stack (--ora)",
		"  <name>.sss-segments       soft segments for regrouping (--keep-segments)",
		"  <name>_features.png       the 3 feature channels, as RGB (--write-features)",
		"Files appear only complete (temporary name, then renamed).", "" },
	exitCodeListHeading = "%nExit codes:%n",
	exitCodeList = { "0:every image segmented or skipped", "1:at least one image failed (the others were written)",
		"2:bad arguments (including a --model folder that is not a usable feature network)",
		"3:the feature network cannot run on this machine (TensorFlow natives or jars missing, or TensorFlow 1.x " +
			"classes on the class path)" },
	footer = { "", "Examples:", "  sss --demo --out sss-output/", "  sss photos/ --out layers/ --segments 5 --mattes",
		"  sss photos/ --out layers/ --skip-existing \\", "      --shard $SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT" })
public final class SssCommand implements Callable<Integer> {

	/** Where the semantic features come from (the Fiji command's {@code features} choices). */
	public enum FeatureMode {
		/** Colour-only features (the image's CIE L*a*b*): no network. */
		COLOUR("colour"),
		/** A precomputed feature image per input. */
		IMAGE("image"),
		/** The bundled U-Net feature network (models/sss-unet-d32, inside the jar). */
		UNET("unet"),
		/** A custom feature network (--model): a .tflite file or a TensorFlow SavedModel folder with its model-card.json. */
		MODEL("model");

		final String key;

		FeatureMode(final String key) {
			this.key = key;
		}

		@Override
		public String toString() {
			return key;
		}
	}

	private static final Settings DEFAULTS = new Settings();

	@Spec
	private CommandSpec spec;

	@Mixin
	private EditingOptions editing = new EditingOptions();

	@Parameters(paramLabel = "INPUT", arity = "0..*", showDefaultValue = Help.Visibility.NEVER,
		description = "Image files (" + ImageFiles.FORMATS + ") or folders (their image files, not recursive). All " +
			"inputs are sorted by path. JPEGs are turned upright by their EXIF orientation.")
	private List<Path> inputs = new ArrayList<>();

	@Option(names = { "-o", "--out" }, paramLabel = "DIR", required = true,
		description = "Output folder (created if missing).")
	private Path out;

	@Option(names = { "-k", "--segments" }, paramLabel = "K", description = "Number of soft layers.")
	private int segments = DEFAULTS.layers;

	@Option(names = "--features", paramLabel = "MODE", converter = FeatureModeConverter.class,
		description = "Semantic features: colour (no network), image (--feature-image or --feature-dir), " +
			"unet (the bundled U-Net; not yet better than colour on mattes) or model (--model FILE|DIR). Default: image " +
			"when a feature file or folder is given, model with --model, else colour.")
	private FeatureMode features;

	@Option(names = "--feature-image", paramLabel = "FILE",
		description = "Feature image of the single INPUT (3 channels, or more raw feature channels as TIFF).")
	private Path featureImage;

	@Option(names = "--feature-dir", paramLabel = "DIR",
		description = "Folder of feature images named like the inputs (same name, or same base name with an image " +
			"extension).")
	private Path featureDir;

	@Option(names = "--model", paramLabel = "FILE|DIR", description = "Custom feature network (--features model): a " +
		"TensorFlow Lite segmentation network (.tflite, optional model card FILE.json beside it), or a folder with a " +
		"TensorFlow SavedModel (saved_model.pb) and its model-card.json.")
	private Path model;

	@Option(names = "--seed", paramLabel = "S", description = "Seed of the random steps: same input + seed = identical output.")
	private long seed = DEFAULTS.seed;

	@Option(names = "--threads", paramLabel = "T", description = "Worker threads (0 = all processors); the output does not depend on it.")
	private int threads = DEFAULTS.threads;

	@Option(names = "--mode", paramLabel = "fast|reference", converter = ModeConverter.class, defaultValue = "fast",
		description = "fast (spectral stages at a working resolution, layers upsampled) or reference (the faithful " +
			"full-resolution algorithm).")
	private Settings.Mode mode = Settings.Mode.FAST;

	@Option(names = "--working-pixels", paramLabel = "N",
		description = "Fast path: largest working resolution in pixels (0 = full size).")
	private int workingPixels = DEFAULTS.workingPixels;

	@Option(names = "--cleanup-threshold", paramLabel = "T",
		description = "Fast path: layer values below T are set to 0 (soft threshold, then renormalised; 0 = clip to " +
			"[0, 1] only); below 1/segments.")
	private double cleanupThreshold = DEFAULTS.cleanupThreshold;

	@Option(names = "--superpixels", paramLabel = "N", description = "Requested number of superpixels.")
	private int superpixels = DEFAULTS.superpixels;

	@Option(names = "--eigenvectors", paramLabel = "M", description = "Size of the spectral basis.")
	private int eigenvectors = DEFAULTS.eigenvectors;

	@Option(names = "--semantic-weight", paramLabel = "W", description = "Weight of the semantic affinity.")
	private double semanticWeight = DEFAULTS.semanticWeight;

	@Option(names = { "--colour-weight", "--color-weight" }, paramLabel = "W",
		description = "Weight of the non-local colour affinity.")
	private double colourWeight = DEFAULTS.colorWeight;

	@Option(names = "--mattes", description = "Also write one 8-bit PNG matte per layer.")
	private boolean mattes;

	@Option(names = "--write-features", description = "Also write <name>_features.png: the 3 feature channels the " +
		"segmentation uses (spec §3.1: for network features the guided-filtered PCA to 3 channels, min–max " +
		"normalised), at the image's size, shown as RGB.")
	private boolean writeFeatures;

	@Option(names = "--skip-existing", description = "Skip images whose outputs already exist.")
	private boolean skipExisting;

	@Option(names = "--shard", paramLabel = "I/N", converter = ShardConverter.class,
		description = "Process only the inputs whose 0-based index in the sorted input list is I modulo N " +
			"(array jobs: run I = 0…N-1).")
	private Shard shard = Shard.ALL;

	@Option(names = "--demo", description = "Segment a synthetic scene with known layers (no INPUT) and report how " +
		"well the layers reproduce its shapes.")
	private boolean demo;

	@Option(names = "--demo-size", paramLabel = "WxH", description = "Size of the --demo scene.")
	private String demoSize = "240x180";

	@Option(names = "--dry-run", description = "List what would be processed (and what would be skipped), then exit.")
	private boolean dryRun;

	@Option(names = "--progress", paramLabel = "MODE", converter = ProgressModeConverter.class,
		description = "auto (a bar on a terminal, else one line per stage), bar, lines or none. Progress goes to " +
			"standard error.")
	private ConsoleProgress.Mode progress = ConsoleProgress.Mode.AUTO;

	/** One image to segment. */
	private static final class Job {

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

	@Override
	public Integer call() {
		try {
			return run();
		}
		finally {
			removeCreatedFoldersIfEmpty(); // a run that wrote nothing leaves no empty folder behind
		}
	}

	private int run() {
		final PrintWriter stdout = spec.commandLine().getOut(), stderr = spec.commandLine().getErr();
		final Settings settings = settings();
		final FeatureMode mode = featureMode();
		final List<Path> all = demo ? List.of() : inputList();
		if (featureImage != null && all.size() != 1) {
			throw usage("--feature-image applies to a single INPUT, but " + all.size() + " inputs were given; " +
				"use --feature-dir for several");
		}
		final List<Job> jobs = jobs(all, mode);
		editing.check(spec, all.size(), demo, mattes);
		// the output folder before any work: created if missing and proven writable (a bad --out is a bad argument)
		final Path outDir = outputFolder(stdout);
		// then the network: a model folder that does not load is a bad argument, before any output exists
		final boolean usesNetwork = mode == FeatureMode.UNET || mode == FeatureMode.MODEL;
		final FeatureNetwork network = usesNetwork && !dryRun ? loadNetwork(mode, stdout, stderr) : null;
		if (usesNetwork && !dryRun && network == null) return NETWORK_UNAVAILABLE;
		try {
			final String scope = demo ? "the demo scene" : shard.count() > 1 ? jobs.size() + " of " + all.size() +
				" inputs (shard " + shard + ")" : all.size() + (all.size() == 1 ? " input" : " inputs");
			if (dryRun) {
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
			return segmentAll(jobs, mode, settings, network, outDir, scope, stdout, stderr);
		}
		finally {
			if (network != null) network.close();
		}
	}

	/** Exit code when the feature network cannot run here. */
	static final int NETWORK_UNAVAILABLE = 3;

	/**
	 * Loads the feature network once for all images. A model folder that is not usable is a bad
	 * argument (exit 2, thrown as a usage error); a runtime that cannot run it is reported here
	 * and gives null (exit {@value #NETWORK_UNAVAILABLE}).
	 */
	private FeatureNetwork loadNetwork(final FeatureMode mode, final PrintWriter stdout, final PrintWriter stderr) {
		final long t0 = System.nanoTime();
		final FeatureNetwork network;
		try {
			network = mode == FeatureMode.UNET ? FeatureNetwork.bundled() : FeatureNetwork.load(model);
		}
		catch (final IllegalArgumentException e) {
			throw usage((mode == FeatureMode.UNET ? "--features unet: " : "--model " + model + ": ") + e.getMessage());
		}
		catch (final RuntimeException | LinkageError e) {
			final RuntimeException r = TensorFlowConflicts.explain(e, SssCommand.class.getClassLoader());
			stderr.println("sss: the feature network cannot run here: " + r.getMessage());
			stderr.flush();
			return null;
		}
		stdout.printf(Locale.ROOT, "network %s (D = %d) from %s, loaded in %.1f s%n", network.card().name(), network
			.channels(), network.modelDir(), (System.nanoTime() - t0) * 1e-9);
		stdout.flush();
		return network;
	}

	private int segmentAll(final List<Job> jobs, final FeatureMode mode, final Settings settings,
		final FeatureNetwork network, final Path outDir, final String scope, final PrintWriter stdout,
		final PrintWriter stderr)
	{
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
				final SegmentationResult r = segment(job, mode, settings, network, task, stderr, shown);
				final String info = info(job, mode, network, r.softSegments() != null ? r.softSegments().settings() : settings, r);
				// all of the image's files or none: a failed write removes the ones written before it
				LayerOutputs.write(outDir, job.name, r.layers(), mattes, info, writeFeatures ? shown[0] : null,
					editing.extras(shown[1], r));
				stdout.printf(Locale.ROOT, "ok      %s -> %s (%d layers, %.1f s)%n", task, job.name +
					LayerOutputs.TIFF_SUFFIX, r.layerCount(), (System.nanoTime() - start) * 1e-9);
				for (final String note : r.notes()) stdout.println("note    " + task + ": " + note);
				if (job.scene != null) reportDemo(job.scene, r, stdout);
				done++;
			}
			catch (final IOException | IllegalArgumentException e) {
				failures.add(fail(task, e.getMessage(), stderr));
			}
			catch (final IllegalStateException | LinkageError e) {
				failures.add(fail(task, TensorFlowConflicts.explain(e, SssCommand.class.getClassLoader()).getMessage(),
					stderr));
			}
			catch (final OutOfMemoryError e) {
				failures.add(fail(task, "out of memory; give Java more (e.g. SSS_JAVA_OPTS=-Xmx16g) or use fewer " +
					"--eigenvectors / --superpixels", stderr));
			}
			catch (final RuntimeException e) {
				failures.add(fail(task, "unexpected error: " + e, stderr));
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

	private static String fail(final String task, final String message, final PrintWriter stderr) {
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
	private SegmentationResult segment(final Job job, final FeatureMode mode, final Settings settings,
		final FeatureNetwork network, final String task, final PrintWriter stderr, final PlanarImage[] outputs)
		throws IOException
	{
		if (job.input != null) checkMemory(job.input, settings, network); // from the header, before decoding
		final PlanarImage image = job.scene != null ? job.scene.image() : InputImages.readImage(job.input);
		outputs[1] = image;
		final StrokeLabels strokes = job.input == null ? null : editing.strokesFor(job.input);
		if (strokes != null && (strokes.width() != image.width() || strokes.height() != image.height())) {
			throw new IOException("--scribbles: the stroke image is " + strokes.width() + "×" + strokes.height() + " but "
				+ job.input.getFileName() + " is " + image.width() + "×" + image.height() + "; draw the strokes on this photo "
				+ "(a label image of its size)");
		}
		final Path segmentsFile = job.input == null ? null : editing.segmentsFor(job.name);
		if (segmentsFile != null) return regroup(image, segmentsFile, strokes, settings, task, stderr, outputs);
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
		final Settings settings, final String task, final PrintWriter stderr, final PlanarImage[] outputs)
		throws IOException
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
	private static void checkMemory(final Path input, final Settings settings, final FeatureNetwork network)
		throws IOException
	{
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

	private static void reportDemo(final SyntheticScene scene, final SegmentationResult r, final PrintWriter stdout) {
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
	private String info(final Job job, final FeatureMode mode, final FeatureNetwork network, final Settings s,
		final SegmentationResult r) throws IOException
	{
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

	// -- argument checks (each failure is a usage error: exit code 2) --

	private ParameterException usage(final String message) {
		return new ParameterException(spec.commandLine(), message);
	}

	private Settings settings() {
		final Settings s = new Settings();
		s.layers = segments;
		s.seed = seed;
		s.threads = threads;
		s.mode = mode;
		s.workingPixels = workingPixels;
		s.cleanupThreshold = cleanupThreshold;
		s.superpixels = superpixels;
		s.eigenvectors = eigenvectors;
		s.semanticWeight = semanticWeight;
		s.colorWeight = colourWeight;
		try {
			return s.validate();
		}
		catch (final Settings.InvalidSettingException e) {
			throw usage(SettingOptions.message(e)); // in the options' words: "--segments must be an integer from 2 to 64 (got 0)"
		}
		catch (final IllegalArgumentException e) {
			throw usage(e.getMessage());
		}
	}

	private FeatureMode featureMode() {
		final boolean files = featureImage != null || featureDir != null;
		final FeatureMode mode = features != null ? features : files ? FeatureMode.IMAGE : model != null ?
			FeatureMode.MODEL : FeatureMode.COLOUR;
		switch (mode) {
			case MODEL:
				if (model == null) {
					throw usage("--features model needs --model FILE|DIR (a .tflite file, or a folder with a TensorFlow " +
						"SavedModel, saved_model.pb, and its model-card.json); or use --features unet (the bundled U-Net)");
				}
				if (!Files.exists(model)) throw usage("--model " + model + " does not exist (give a .tflite file or a SavedModel folder)");
				if (files) throw usage("--feature-image and --feature-dir need --features image, not --features " + mode);
				break;
			case IMAGE:
				if (featureImage != null && featureDir != null) {
					throw usage("give either --feature-image or --feature-dir, not both");
				}
				if (!files) throw usage("--features image needs --feature-image FILE or --feature-dir DIR");
				if (demo) throw usage("--demo uses colour features; it takes no --feature-image or --feature-dir");
				if (featureImage != null && !Files.isRegularFile(featureImage)) {
					throw usage("--feature-image " + featureImage + " is not a file");
				}
				if (featureDir != null && !Files.isDirectory(featureDir)) {
					throw usage("--feature-dir " + featureDir + " is not a folder");
				}
				break;
			default:
				if (files) throw usage("--feature-image and --feature-dir need --features image, not --features " + mode);
		}
		if (model != null && mode != FeatureMode.MODEL) throw usage("--model needs --features model");
		return mode;
	}

	private List<Path> inputList() {
		if (inputs.isEmpty()) throw usage("no INPUT given: name image files or folders, or use --demo");
		final List<Path> all;
		try {
			all = InputCollection.expand(inputs);
			InputCollection.checkDistinctNames(all);
		}
		catch (final IllegalArgumentException e) {
			throw usage(e.getMessage());
		}
		if (all.isEmpty()) {
			throw usage("no image files found in " + inputs + " (accepted extensions: " +
				InputCollection.IMAGE_EXTENSIONS + ")");
		}
		return all;
	}

	private List<Job> jobs(final List<Path> all, final FeatureMode mode) {
		final List<Job> jobs = new ArrayList<>();
		if (demo) {
			if (!inputs.isEmpty()) throw usage("--demo builds its own scene and takes no INPUT (got " + inputs + ")");
			if (shard.count() > 1) throw usage("--shard does not apply to --demo");
			final int[] size = demoSize();
			jobs.add(new Job("demo", null, null, SyntheticScene.create(size[0], size[1], 3, 7)));
			return jobs;
		}
		for (final Path input : shard.select(all)) {
			Path feature = null;
			if (mode == FeatureMode.IMAGE) {
				feature = featureImage != null ? featureImage : InputCollection.findFeatureFile(featureDir, input);
			}
			jobs.add(new Job(InputCollection.baseName(input), input, feature, null));
		}
		return jobs;
	}

	private int[] demoSize() {
		final String[] parts = demoSize.toLowerCase(Locale.ROOT).split("x");
		try {
			if (parts.length == 2) {
				final int w = Integer.parseInt(parts[0].trim()), h = Integer.parseInt(parts[1].trim());
				if (w >= 8 && h >= 8 && (long) w * h <= 100_000_000L) return new int[] { w, h };
			}
		}
		catch (final NumberFormatException e) {
			// reported below
		}
		throw usage("--demo-size '" + demoSize + "' is not WIDTHxHEIGHT with both at least 8 (e.g. 240x180)");
	}

	/** Folders this run created for --out (deepest first), removed at the end if still empty. */
	private final List<Path> createdFolders = new ArrayList<>();

	/**
	 * The output folder, created if missing and proven writable by writing and deleting a probe
	 * file, before any work; leftovers of an interrupted earlier run are removed
	 * ({@link OutputFiles#removeStaleTemporaries}). Any problem is a usage error in words.
	 */
	private Path outputFolder(final PrintWriter stdout) {
		final Path dir = out.toAbsolutePath().normalize();
		if (Files.exists(dir) && !Files.isDirectory(dir)) throw usage("--out " + out + " exists and is not a folder");
		if (dryRun) return dir;
		for (Path p = dir; p != null && !Files.exists(p); p = p.getParent()) createdFolders.add(p);
		try {
			Files.createDirectories(dir);
		}
		catch (final IOException | SecurityException e) {
			removeCreatedFoldersIfEmpty();
			final String why = e instanceof NoSuchFileException ? "the file system there does not allow new folders" :
				OutputFiles.reason(e);
			throw usage("Cannot create the output folder " + out + ": " + why + "; choose another --out");
		}
		final Path probe = OutputFiles.temporaryFor(dir.resolve("sss-write-test"));
		try {
			Files.write(probe, new byte[] { 1 }, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
			Files.delete(probe);
		}
		catch (final IOException | SecurityException e) {
			try {
				Files.deleteIfExists(probe);
			}
			catch (final IOException ignored) {
				// the folder refuses files anyway
			}
			removeCreatedFoldersIfEmpty();
			final String why = e instanceof NoSuchFileException && Files.isDirectory(dir) ?
				"the file system there does not allow new files" : OutputFiles.reason(e);
			throw usage("Cannot write to the output folder " + out + ": " + why + "; choose another --out");
		}
		final int stale = OutputFiles.removeStaleTemporaries(dir);
		if (stale > 0) {
			stdout.println("note    removed " + stale + " unfinished temporary file(s) of an interrupted earlier run in " +
				dir);
		}
		return dir;
	}

	/** Removes the folders this run created for --out if they are (still) empty. */
	private void removeCreatedFoldersIfEmpty() {
		for (final Path p : createdFolders) { // deepest first
			try {
				Files.deleteIfExists(p); // fails for a folder that is not empty: it stays
			}
			catch (final IOException | SecurityException e) {
				break;
			}
		}
		createdFolders.clear();
	}

	// -- converters --

	/** Parses {@code --mode}: fast or reference. */
	static final class ModeConverter implements ITypeConverter<Settings.Mode> {

		@Override
		public Settings.Mode convert(final String value) {
			for (final Settings.Mode m : Settings.Mode.values()) if (m.name().equalsIgnoreCase(value.trim())) return m;
			throw new TypeConversionException("'" + value + "' is not one of fast, reference");
		}
	}

	/** Parses {@code --features}: colour (or color), image, unet, model. */
	static final class FeatureModeConverter implements ITypeConverter<FeatureMode> {

		@Override
		public FeatureMode convert(final String value) {
			final String v = value.trim().toLowerCase(Locale.ROOT);
			if (v.equals("color")) return FeatureMode.COLOUR;
			for (final FeatureMode m : FeatureMode.values()) if (m.key.equals(v)) return m;
			throw new TypeConversionException("'" + value + "' is not one of colour, image, unet, model");
		}
	}

	/** Parses {@code --progress}: auto, bar, lines, none. */
	static final class ProgressModeConverter implements ITypeConverter<ConsoleProgress.Mode> {

		@Override
		public ConsoleProgress.Mode convert(final String value) {
			for (final ConsoleProgress.Mode m : ConsoleProgress.Mode.values()) {
				if (m.name().equalsIgnoreCase(value.trim())) return m;
			}
			throw new TypeConversionException("'" + value + "' is not one of auto, bar, lines, none");
		}
	}

	/** Parses {@code --shard I/N}. */
	static final class ShardConverter implements ITypeConverter<Shard> {

		@Override
		public Shard convert(final String value) {
			try {
				return Shard.parse(value);
			}
			catch (final IllegalArgumentException e) {
				throw new TypeConversionException(e.getMessage());
			}
		}
	}
}
