package org.softsegments.fiji;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import ij.ImagePlus;
import ij.io.FileInfo;
import ij.io.FileSaver;
import ij.io.TiffEncoder;

import org.softsegments.eval.LayerVisualization;
import org.softsegments.image.PlanarImage;
import org.softsegments.io.OutputFiles;

/**
 * The soft layers as an ImageJ hyperstack TIFF: 32-bit, C = K channels (Z = T = 1), a
 * {@code CompositeImage} in composite mode with one colour LUT per layer (the palette of
 * {@link LayerVisualization}), display range 0…1, channel labels "layer 1…K". Written with
 * ImageJ 1.x's own TIFF encoder and the description {@link FileSaver} builds, so Fiji opens it
 * as a hyperstack and Python's {@code tifffile} reads it as an ImageJ hyperstack of shape
 * (K, height, width). Works headless (no window is created).
 */
public final class HyperstackTiff {

	private HyperstackTiff() {}

	/**
	 * The layers as a composite hyperstack (pixels are copied).
	 *
	 * @param info text stored as the image's "Info" property (null for none)
	 */
	public static ImagePlus toImagePlus(final PlanarImage layers, final String title, final String info) {
		final PlanarImage copy = layers.copy();
		final ImagePlus imp = LayerHyperstacks.layersHyperstack(List.of(copy), 1, 1, title);
		if (info != null) imp.setProperty("Info", info);
		return imp;
	}

	/**
	 * Writes the layers to {@code file}: first to a hidden temporary file beside it, renamed to
	 * {@code file} when complete (an existing file is replaced).
	 */
	public static void write(final PlanarImage layers, final String title, final String info, final Path file)
		throws IOException
	{
		write(toImagePlus(layers, title, info), file);
	}

	/** Writes an ImagePlus as TIFF, through a temporary file renamed when complete. */
	public static void write(final ImagePlus imp, final Path file) throws IOException {
		final FileInfo fi = imp.getFileInfo();
		fi.description = new FileSaver(imp).getDescriptionString();
		fi.info = imp.getInfoProperty();
		fi.sliceLabels = imp.getStack().getSliceLabels();
		if (imp.isComposite()) new FileSaver(imp).saveDisplayRangesAndLuts(imp, fi);
		OutputFiles.writeAtomically(file, out -> new TiffEncoder(fi).write(out));
	}
}
