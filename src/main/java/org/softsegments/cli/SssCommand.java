package org.softsegments.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.softsegments.demo.SyntheticScene;
import org.softsegments.engine.Settings;
import org.softsegments.features.network.FeatureNetwork;
import org.softsegments.io.ImageFiles;

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
 * <p>
 * This class only wires the command line: the options of the segmentation are
 * {@link SegmentationOptions}, those of the editing workflow {@link EditingOptions}; the output
 * folder is prepared by {@link OutputFolder} and the images are segmented by {@link BatchRunner}.
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

	/** Exit code when the feature network cannot run here. */
	static final int NETWORK_UNAVAILABLE = 3;

	@Spec
	private CommandSpec spec;

	// the order of the fields is the order of the options in the help

	@Mixin
	private EditingOptions editing = new EditingOptions();

	@Parameters(paramLabel = "INPUT", arity = "0..*", showDefaultValue = Help.Visibility.NEVER,
		description = "Image files (" + ImageFiles.FORMATS + ") or folders (their image files, not recursive). All " +
			"inputs are sorted by path. JPEGs are turned upright by their EXIF orientation.")
	private List<Path> inputs = new ArrayList<>();

	@Option(names = { "-o", "--out" }, paramLabel = "DIR", required = true,
		description = "Output folder (created if missing).")
	private Path out;

	@Mixin
	private SegmentationOptions segmentation = new SegmentationOptions();

	@Option(names = "--mattes", description = "Also write one 8-bit PNG matte per layer.")
	private boolean mattes;

	@Option(names = "--write-features", description = "Also write <name>_features.png: the 3 feature channels the " +
		"segmentation uses (spec §3.1: for network features the guided-filtered PCA to 3 channels, min–max " +
		"normalised), at the image's size, shown as RGB.")
	private boolean writeFeatures;

	@Option(names = "--skip-existing", description = "Skip images whose outputs already exist (the " +
		"feature network is not even loaded when no image is left).")
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

	private final OutputFolder outputFolder = new OutputFolder();

	@Override
	public Integer call() {
		try {
			return run();
		}
		finally {
			outputFolder.removeCreatedIfEmpty(); // a run that wrote nothing leaves no empty folder behind
		}
	}

	private int run() {
		final PrintWriter stdout = spec.commandLine().getOut(), stderr = spec.commandLine().getErr();
		final Settings settings = segmentation.settings(spec);
		final FeatureMode mode = segmentation.featureMode(spec, demo);
		final List<Path> all = demo ? List.of() : inputList();
		segmentation.checkInputs(spec, all.size());
		final List<BatchRunner.Job> jobs = jobs(all, mode);
		editing.check(spec, all.size(), demo, mattes);
		// the output folder before any work: created if missing and proven writable (a bad --out is a bad argument)
		final Path outDir = outputFolder.prepare(spec, out, dryRun, stdout);
		// then the network, if an image needs it: a model that does not load is a bad argument, before any output exists
		final boolean needsNetwork = (mode == FeatureMode.UNET || mode == FeatureMode.MODEL) && !dryRun &&
			jobs.stream().anyMatch(job -> !(skipExisting && LayerOutputs.exist(outDir, job.name, mattes)));
		final FeatureNetwork network = needsNetwork ? segmentation.loadNetwork(spec, mode, stdout, stderr) : null;
		if (needsNetwork && network == null) return NETWORK_UNAVAILABLE;
		try {
			final String scope = demo ? "the demo scene" : shard.count() > 1 ? jobs.size() + " of " + all.size() +
				" inputs (shard " + shard + ")" : all.size() + (all.size() == 1 ? " input" : " inputs");
			final BatchRunner batch = new BatchRunner(settings, mode, segmentation.featureDir, network, editing, mattes,
				writeFeatures, skipExisting, progress, demoSize, stdout, stderr);
			return dryRun ? batch.list(jobs, outDir, scope) : batch.segmentAll(jobs, outDir, scope);
		}
		finally {
			if (network != null) network.close();
		}
	}

	// -- argument checks (each failure is a usage error: exit code 2) --

	private ParameterException usage(final String message) {
		return new ParameterException(spec.commandLine(), message);
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

	private List<BatchRunner.Job> jobs(final List<Path> all, final FeatureMode mode) {
		final List<BatchRunner.Job> jobs = new ArrayList<>();
		if (demo) {
			if (!inputs.isEmpty()) throw usage("--demo builds its own scene and takes no INPUT (got " + inputs + ")");
			if (shard.count() > 1) throw usage("--shard does not apply to --demo");
			final int[] size = demoSize();
			jobs.add(new BatchRunner.Job("demo", null, null, SyntheticScene.create(size[0], size[1], 3, 7)));
			return jobs;
		}
		for (final Path input : shard.select(all)) {
			final Path feature = mode == FeatureMode.IMAGE ? segmentation.featureFileFor(input) : null;
			jobs.add(new BatchRunner.Job(InputCollection.baseName(input), input, feature, null));
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

	// -- converters --

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
