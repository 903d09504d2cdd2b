package org.softsegments.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.softsegments.engine.PipelineInputs;
import org.softsegments.engine.SegmentationResult;
import org.softsegments.engine.StrokeLabels;
import org.softsegments.image.PlanarImage;
import org.softsegments.io.OpenRaster;
import org.softsegments.io.RgbaLayers;
import org.softsegments.unmix.ColourUnmixing;
import org.softsegments.io.ImageFiles;
import org.softsegments.io.SegmentsFile;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * The command line's options of the editing workflow (issue 18), mixed into {@link SssCommand}:
 * strokes that steer the grouping, soft segments kept for regrouping without recomputing them, and
 * the layers with their own (unmixed) colours as RGBA PNGs and as an OpenRaster stack.
 */
final class EditingOptions {

	@Option(names = "--scribbles", paramLabel = "FILE|DIR", description = "Strokes that steer the grouping: a label "
		+ "image the size of the photo (grey or indexed PNG/TIFF; 0 = no stroke, k = a stroke of layer k; the number of "
		+ "layers is the largest label, 2 to 64, and overrides -k), or a folder of them named like the inputs.")
	Path scribbles;

	@Option(names = "--keep-segments", description = "Also write <name>" + SegmentsFile.SUFFIX + ": the soft segments "
		+ "before grouping, so that --from-segments can regroup them (other -k or --scribbles) in about a second.")
	boolean keepSegments;

	@Option(names = "--from-segments", paramLabel = "FILE|DIR", description = "Regroup the soft segments a "
		+ "--keep-segments run wrote (the file, or the folder with <name>" + SegmentsFile.SUFFIX + ") instead of "
		+ "computing them: only the grouping and the stages after it run, with the file's settings; -k, --scribbles "
		+ "and --threads may differ.")
	Path fromSegments;

	@Option(names = "--rgba", paramLabel = "BITS", arity = "0..1", fallbackValue = "8", description = "Write each layer as "
		+ "<name>_layer<k>.png in RGBA: its own colours, unmixed from the other layers' (the layers' colours times their "
		+ "alphas add up to the photo), with the layer as alpha; 8 or 16 bits per sample (8 when BITS is left out).")
	Integer rgba;

	@Option(names = "--ora", description = "Also write <name>.ora (OpenRaster, which GIMP and Krita open as a stack of "
		+ "layers): the unmixed RGBA layers, stacked so that the stack shows the photo.")
	boolean ora;

	/**
	 * Checks the options against each other and the rest of the command line; every failure is a
	 * usage error in the options' words.
	 */
	void check(final CommandSpec spec, final int inputs, final boolean demo, final boolean mattes) {
		if (rgba != null && rgba != 8 && rgba != 16) throw usage(spec, "--rgba takes 8 or 16 (bits per sample), got " + rgba);
		if (rgba != null && mattes) {
			throw usage(spec, "--mattes and --rgba both write <name>_layer<k>.png (grey mattes or RGBA layers); give one of them");
		}
		if (scribbles != null) {
			if (demo) throw usage(spec, "--scribbles applies to photos, not to --demo");
			if (!Files.exists(scribbles)) throw usage(spec, "--scribbles " + scribbles + " does not exist (give a label image or a folder of them)");
			if (Files.isRegularFile(scribbles) && inputs != 1) {
				throw usage(spec, "--scribbles FILE applies to a single INPUT, but " + inputs + " inputs were given; give a folder "
					+ "of stroke images named like the inputs");
			}
		}
		if (fromSegments != null) {
			if (demo) throw usage(spec, "--from-segments applies to photos, not to --demo");
			if (keepSegments) throw usage(spec, "--keep-segments and --from-segments: the segments are already kept; give one of them");
			if (!Files.exists(fromSegments)) {
				throw usage(spec, "--from-segments " + fromSegments + " does not exist (give a " + SegmentsFile.SUFFIX
					+ " file written by --keep-segments, or its folder)");
			}
			if (Files.isRegularFile(fromSegments) && inputs != 1) {
				throw usage(spec, "--from-segments FILE applies to a single INPUT, but " + inputs + " inputs were given; give "
					+ "the folder of the " + SegmentsFile.SUFFIX + " files");
			}
			final ParseResult parsed = spec.commandLine().getParseResult();
			final List<String> fixed = new ArrayList<>();
			for (final String o : SegmentationOptions.FIXED_BY_SEGMENTS) if (parsed != null && parsed.hasMatchedOption(o)) fixed.add(o);
			if (!fixed.isEmpty()) {
				throw usage(spec, String.join(", ", fixed) + (fixed.size() == 1 ? " does" : " do") + " not apply with "
					+ "--from-segments: the segments were computed with the settings stored in the file, which the regrouping "
					+ "reuses (only -k, --scribbles and --threads may change)");
			}
		}
	}

	/**
	 * The files of the editing workflow for one result: the segments file ({@code --keep-segments}),
	 * the RGBA layers ({@code --rgba}) and the OpenRaster stack ({@code --ora}); the layers' colours
	 * are unmixed once for both.
	 */
	List<LayerOutputs.Extra> extras(final PlanarImage image, final SegmentationResult r) {
		final List<LayerOutputs.Extra> extras = new ArrayList<>();
		if (keepSegments) {
			extras.add((dir, name) -> {
				final Path file = dir.resolve(name + SegmentsFile.SUFFIX);
				SegmentsFile.write(r.softSegments(), file);
				return List.of(file);
			});
		}
		if (rgba == null && !ora) return extras;
		final PlanarImage[][] colours = new PlanarImage[1][];
		final PlanarImage rgb = PipelineInputs.rgb(image);
		final java.util.function.Supplier<PlanarImage[]> unmixed = () -> {
			if (colours[0] == null) colours[0] = ColourUnmixing.unmix(rgb, r.layers());
			return colours[0];
		};
		if (rgba != null) extras.add((dir, name) -> RgbaLayers.write(dir, name, r.layers(), unmixed.get(), rgba));
		if (ora) {
			extras.add((dir, name) -> {
				final Path file = dir.resolve(name + ".ora");
				OpenRaster.write(file, rgb, r.layers(), unmixed.get());
				return List.of(file);
			});
		}
		return extras;
	}

	/** The strokes for {@code input} (null without --scribbles); an {@link IOException} names the file and what is wrong. */
	StrokeLabels strokesFor(final Path input) throws IOException {
		if (scribbles == null) return null;
		final Path file = Files.isDirectory(scribbles) ? InputCollection.findFeatureFile(scribbles, input) : scribbles;
		if (file == null) {
			throw new IOException("no stroke image for " + input.getFileName() + " in " + scribbles + " (looked for the same "
				+ "file name, or the same base name with one of " + InputCollection.IMAGE_EXTENSIONS + ")");
		}
		final ImageFiles.Labels labels = ImageFiles.readLabels(file);
		try {
			return new StrokeLabels(labels.width(), labels.height(), labels.values());
		}
		catch (final IllegalArgumentException e) {
			throw new IOException("--scribbles " + file + ": " + e.getMessage(), e);
		}
	}

	/** The segments file of {@code name} for --from-segments (null without it). */
	Path segmentsFor(final String name) throws IOException {
		if (fromSegments == null) return null;
		if (!Files.isDirectory(fromSegments)) return fromSegments;
		final Path file = fromSegments.resolve(name + SegmentsFile.SUFFIX);
		if (!Files.isRegularFile(file)) {
			throw new IOException("no segments file " + file.getFileName() + " in " + fromSegments + " (write it with --keep-segments)");
		}
		return file;
	}

	private static ParameterException usage(final CommandSpec spec, final String message) {
		return new ParameterException(spec.commandLine(), message);
	}
}
