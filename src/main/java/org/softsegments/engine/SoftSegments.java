package org.softsegments.engine;

import java.util.List;

import org.softsegments.image.PlanarImage;
import org.softsegments.linalg.SparseMatrix;

/**
 * What the grouping (spec §3.10) and everything after it need from a run: the soft segments of the
 * constrained sparsification (spec §3.9) with the image's guidance data at the working resolution.
 * Kept so that changing the number of layers or the strokes re-runs only the grouping, the relaxed
 * sparsification and the upsampling ({@link SemanticSoftSegmentation#regroup}); saved and read back
 * by {@link org.softsegments.io.SegmentsFile}.
 * <p>
 * Arrays are shared, not copied: treat them as read-only.
 */
public final class SoftSegments {

	private final Settings settings;
	private final int fullWidth, fullHeight;
	private final long fingerprint;
	private final PlanarImage rgb, features;
	private final SparseMatrix laplacian;
	private final double[][] segments;
	private final int superpixels;
	private final List<String> notes;

	/**
	 * @param settings the validated settings of the run that computed them
	 * @param fullWidth width of the photo
	 * @param fullHeight height of the photo
	 * @param fingerprint {@link #fingerprint(PlanarImage)} of the photo
	 * @param rgb the photo at the working resolution
	 * @param features its 3-channel guidance features
	 * @param laplacian the Laplacian of spec §3.6 at the working resolution
	 * @param segments the soft segments {@code [C][N]}
	 * @param superpixels the number of superpixels used
	 * @param notes the run's notes so far
	 */
	public SoftSegments(final Settings settings, final int fullWidth, final int fullHeight, final long fingerprint,
		final PlanarImage rgb, final PlanarImage features, final SparseMatrix laplacian, final double[][] segments,
		final int superpixels, final List<String> notes)
	{
		final int n = rgb.pixels();
		if (features.pixels() != n || features.channels() != 3 || rgb.channels() != 3 || laplacian.size() != n || segments.length == 0) {
			throw new IllegalArgumentException("Inconsistent soft segments: image " + rgb.width() + "×" + rgb.height()
				+ ", features " + features.pixels() + " pixels, Laplacian " + laplacian.size() + ", " + segments.length + " segments");
		}
		for (final double[] s : segments) {
			if (s.length != n) throw new IllegalArgumentException("A soft segment has " + s.length + " values, the image " + n + " pixels");
		}
		this.settings = settings.copy();
		this.fullWidth = fullWidth;
		this.fullHeight = fullHeight;
		this.fingerprint = fingerprint;
		this.rgb = rgb;
		this.features = features;
		this.laplacian = laplacian;
		this.segments = segments;
		this.superpixels = superpixels;
		this.notes = List.copyOf(notes);
	}

	/**
	 * A 64-bit hash of an image's size and pixel values (exact float bits): tells whether soft
	 * segments belong to a photo.
	 */
	public static long fingerprint(final PlanarImage image) {
		long h = 0xcbf29ce484222325L;
		h = mix(h, image.width());
		h = mix(h, image.height());
		h = mix(h, image.channels());
		for (int c = 0; c < image.channels(); c++) {
			for (final float v : image.plane(c)) h = mix(h, Float.floatToIntBits(v));
		}
		return h;
	}

	private static long mix(final long h, final int v) {
		long x = (h ^ v) * 0x100000001b3L;
		return x ^ (x >>> 29);
	}

	/** A copy of the settings the segments were computed with. */
	public Settings settings() {
		return settings.copy();
	}

	public int fullWidth() {
		return fullWidth;
	}

	public int fullHeight() {
		return fullHeight;
	}

	/** {@link #fingerprint(PlanarImage)} of the photo they were computed from. */
	public long fingerprint() {
		return fingerprint;
	}

	/** The photo at the working resolution (RGB). */
	public PlanarImage rgb() {
		return rgb;
	}

	/** The 3-channel guidance features at the working resolution. */
	public PlanarImage features() {
		return features;
	}

	public SparseMatrix laplacian() {
		return laplacian;
	}

	/** The soft segments {@code [C][N]} (shared: do not modify). */
	public double[][] segments() {
		return segments;
	}

	/** Number of soft segments C. */
	public int count() {
		return segments.length;
	}

	/** Number of superpixels the run used. */
	public int superpixels() {
		return superpixels;
	}

	/** The notes of the run up to the constrained sparsification. */
	public List<String> notes() {
		return notes;
	}
}
