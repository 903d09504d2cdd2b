package org.softsegments.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.softsegments.eval.LayerVisualization;
import org.softsegments.fiji.HyperstackTiff;
import org.softsegments.image.PlanarImage;
import org.softsegments.io.ImageFiles;
import org.softsegments.io.OutputFiles;

/**
 * The files the command line writes for one image {@code <name>} into the output folder:
 * <ul>
 * <li>{@code <name>_soft_segments.tif}: the K layers as a 32-bit hyperstack TIFF
 * ({@link HyperstackTiff});</li>
 * <li>{@code <name>_visualization.png}: the colour composite of {@link LayerVisualization};</li>
 * <li>optionally {@code <name>_layer<k>.png}, k = 1…K: each layer as an 8-bit grey matte
 * (α·255, rounded);</li>
 * <li>optionally {@code <name>_features.png}: the 3 feature channels the segmentation uses, as RGB;</li>
 * <li>optionally further files of the editing workflow ({@link Extra}): {@code <name>.sss-segments},
 * the RGBA layers {@code <name>_layer<k>.png} (instead of the grey mattes), {@code <name>.ora}.</li>
 * </ul>
 * Each file is written under a hidden temporary name and renamed when complete; the TIFF comes
 * last, so its presence marks a finished image (used by {@code --skip-existing}).
 */
public final class LayerOutputs {

	/** Suffix of the hyperstack TIFF. */
	public static final String TIFF_SUFFIX = "_soft_segments.tif";
	/** Suffix of the colour visualisation. */
	public static final String VISUALIZATION_SUFFIX = "_visualization.png";
	/** Suffix of the features' visualisation ({@code --write-features}). */
	public static final String FEATURES_SUFFIX = "_features.png";

	private LayerOutputs() {}

	/** The hyperstack TIFF of {@code name}. */
	public static Path tiff(final Path dir, final String name) {
		return dir.resolve(name + TIFF_SUFFIX);
	}

	/** The visualisation PNG of {@code name}. */
	public static Path visualization(final Path dir, final String name) {
		return dir.resolve(name + VISUALIZATION_SUFFIX);
	}

	/** The feature visualisation PNG of {@code name} ({@code --write-features}). */
	public static Path features(final Path dir, final String name) {
		return dir.resolve(name + FEATURES_SUFFIX);
	}

	/** Writes the 3-channel feature image as an RGB PNG (values clamped to [0, 1]). */
	public static Path writeFeatures(final Path dir, final String name, final PlanarImage features) throws IOException {
		final Path p = features(dir, name);
		ImageFiles.writePng(features, p);
		return p;
	}

	/** The matte of layer {@code k} (1-based). */
	public static Path matte(final Path dir, final String name, final int k) {
		return dir.resolve(name + "_layer" + k + ".png");
	}

	/**
	 * True if the outputs of a finished run exist: the TIFF and the visualisation, and with
	 * {@code mattes} also the first layer's matte.
	 */
	public static boolean exist(final Path dir, final String name, final boolean mattes) {
		return Files.isRegularFile(tiff(dir, name)) && Files.isRegularFile(visualization(dir, name)) &&
			(!mattes || Files.isRegularFile(matte(dir, name, 1)));
	}

	/**
	 * Writes the outputs of {@code name}; returns the written files (TIFF last).
	 *
	 * @param info text stored in the TIFF's ImageJ "Info" property (null for none)
	 */
	public static List<Path> write(final Path dir, final String name, final PlanarImage layers, final boolean mattes,
		final String info) throws IOException
	{
		return write(dir, name, layers, mattes, info, null);
	}

	/**
	 * As {@link #write(Path, String, PlanarImage, boolean, String)}, with the features' image
	 * ({@link #features}) when {@code features} is not null. All or nothing: when a file cannot be
	 * written, the files of {@code name} written before it in this call are deleted again and the
	 * {@link IOException} names the file and the reason in words.
	 */
	public static List<Path> write(final Path dir, final String name, final PlanarImage layers, final boolean mattes,
		final String info, final PlanarImage features) throws IOException
	{
		return write(dir, name, layers, mattes, info, features, List.of());
	}

	/** Further outputs of an image, written with the others (all or none); returns the files written. */
	@FunctionalInterface
	public interface Extra {

		List<Path> write(Path dir, String name) throws IOException;
	}

	/**
	 * As {@link #write(Path, String, PlanarImage, boolean, String, PlanarImage)}, with further
	 * outputs (for example the segments file of {@code --keep-segments}) written before the
	 * visualisation and the TIFF, under the same all-or-nothing rule.
	 */
	public static List<Path> write(final Path dir, final String name, final PlanarImage layers, final boolean mattes,
		final String info, final PlanarImage features, final List<Extra> extras) throws IOException
	{
		final List<Path> written = new ArrayList<>();
		try {
			if (features != null) written.add(writeFeatures(dir, name, features));
			for (final Extra e : extras) written.addAll(e.write(dir, name));
			if (mattes) {
				for (int k = 0; k < layers.channels(); k++) {
					final Path p = matte(dir, name, k + 1);
					ImageFiles.writePng(new PlanarImage(layers.width(), layers.height(), new float[][] { layers.plane(k) }),
						p);
					written.add(p);
				}
			}
			final Path vis = visualization(dir, name);
			ImageFiles.writePng(LayerVisualization.composite(layers), vis);
			written.add(vis);
			final Path tif = tiff(dir, name);
			HyperstackTiff.write(layers, name + " soft segments", info, tif);
			written.add(tif);
			return written;
		}
		catch (final IOException | RuntimeException e) {
			for (final Path p : written) {
				try {
					Files.deleteIfExists(p);
				}
				catch (final IOException ignored) {
					// the first error is the one to report
				}
			}
			if (e instanceof OutputFiles.WriteFailedException) throw (IOException) e; // names the file and the reason
			throw new IOException("Cannot write the outputs of " + name + " in " + dir + ": " + OutputFiles.reason(e), e);
		}
	}
}
