package org.softsegments.superpixels;

import java.util.Arrays;

import org.softsegments.image.PlanarImage;

/**
 * The superpixel object of the reference (spec §3.2 steps 2–4): a label map with its
 * 8-connected region adjacency, a representative pixel per superpixel and region means.
 * <ul>
 * <li><b>Adjacency</b> ({@link #pairFirst()}, {@link #pairSecond()}): all unordered pairs
 * {@code {s, t}} of distinct labels with pixels that are horizontal, vertical or diagonal
 * neighbours (8-connectivity, as {@code adjacentRegionsGraph}); each pair once as
 * {@code (s, t)} with {@code s < t}, sorted by {@code (s, t)}.</li>
 * <li><b>Representative pixel</b> ({@link #representative()}): the centroid (mean row, mean
 * column in 1-based coordinates, as {@code regionprops}) rounded half away from zero (MATLAB
 * {@code round}; computed exactly in integer arithmetic), converted to the 0-based pixel index
 * {@code x + y·width}. For a non-convex superpixel this pixel may lie outside it, as in the
 * reference.</li>
 * <li><b>Region means</b> ({@link #regionMeans}): mean of each channel over each superpixel's
 * pixels, accumulated in double in raster order.</li>
 * </ul>
 * Labels are 0-based here (the reference's are 1-based). The object is immutable: accessors
 * return copies, so callers should keep the arrays they use in loops.
 */
public final class SuperpixelGraph {

	private final int width;
	private final int height;
	private final int count;
	private final int[] labels;
	private final int[] sizes;
	private final int[] representative;
	private final int[] pairFirst;
	private final int[] pairSecond;

	private SuperpixelGraph(final int width, final int height, final int count, final int[] labels, final int[] sizes,
		final int[] representative, final int[] pairFirst, final int[] pairSecond)
	{
		this.width = width;
		this.height = height;
		this.count = count;
		this.labels = labels;
		this.sizes = sizes;
		this.representative = representative;
		this.pairFirst = pairFirst;
		this.pairSecond = pairSecond;
	}

	/**
	 * Builds the graph of a label map.
	 *
	 * @param labels per pixel {@code x + y·width} its label; labels must be {@code 0..S−1} with
	 *            every label present (the array is copied)
	 * @param width image width (&gt; 0)
	 * @param height image height (&gt; 0)
	 * @throws IllegalArgumentException if the sizes do not match or labels are negative or not
	 *             contiguous
	 */
	public static SuperpixelGraph build(final int[] labels, final int width, final int height) {
		if (labels == null) throw new IllegalArgumentException("Label map must not be null");
		if (width <= 0 || height <= 0) {
			throw new IllegalArgumentException("Image size must be positive, got " + width + "×" + height);
		}
		if ((long) width * height != labels.length) {
			throw new IllegalArgumentException("Label map has " + labels.length + " entries, expected width·height = " + width
				+ "×" + height + " = " + (long) width * height);
		}
		final int n = labels.length;
		int max = -1;
		for (int p = 0; p < n; p++) {
			final int l = labels[p];
			if (l < 0) {
				throw new IllegalArgumentException("Labels must be 0..S-1 (0-based, contiguous); pixel " + p + " has label " + l);
			}
			if (l > max) max = l;
		}
		if (max >= n) {
			throw new IllegalArgumentException("Labels must be 0..S-1 with every label present; label " + max
				+ " exceeds the pixel count " + n);
		}
		final int count = max + 1;
		final int[] sizes = new int[count];
		final long[] sumRow = new long[count];
		final long[] sumCol = new long[count];
		for (int y = 0, p = 0; y < height; y++) {
			for (int x = 0; x < width; x++, p++) {
				final int l = labels[p];
				sizes[l]++;
				sumRow[l] += y + 1;
				sumCol[l] += x + 1;
			}
		}
		for (int s = 0; s < count; s++) {
			if (sizes[s] == 0) {
				throw new IllegalArgumentException("Labels must be contiguous 0..S-1 with every label present; label " + s
					+ " is missing (largest label " + max + ")");
			}
		}
		final int[] representative = new int[count];
		for (int s = 0; s < count; s++) {
			final int row = roundedMean(sumRow[s], sizes[s]); // 1-based
			final int col = roundedMean(sumCol[s], sizes[s]);
			representative[s] = (col - 1) + (row - 1) * width;
		}
		final long[] keys = adjacencyKeys(labels, width, height, count);
		final int[] first = new int[keys.length];
		final int[] second = new int[keys.length];
		for (int i = 0; i < keys.length; i++) {
			first[i] = (int) (keys[i] / count);
			second[i] = (int) (keys[i] % count);
		}
		return new SuperpixelGraph(width, height, count, labels.clone(), sizes, representative, first, second);
	}

	/** {@code round(sum / count)} half away from zero, exact (sum ≥ 0, count &gt; 0). */
	static int roundedMean(final long sum, final int count) {
		return (int) ((2 * sum + count) / (2L * count));
	}

	/** Sorted distinct keys {@code s·count + t} (s &lt; t) of 8-connected label pairs. */
	private static long[] adjacencyKeys(final int[] labels, final int width, final int height, final int count) {
		long[] keys = new long[1024];
		int size = 0;
		for (int y = 0; y < height; y++) {
			final int row = y * width;
			final boolean hasDown = y + 1 < height;
			for (int x = 0; x < width; x++) {
				final int a = labels[row + x];
				// right, down-left, down, down-right: every 8-neighbour pair exactly once
				for (int d = 0; d < 4; d++) {
					final int nx, ny;
					switch (d) {
						case 0: nx = x + 1; ny = y; break;
						case 1: nx = x - 1; ny = y + 1; break;
						case 2: nx = x; ny = y + 1; break;
						default: nx = x + 1; ny = y + 1; break;
					}
					if (nx < 0 || nx >= width || (ny != y && !hasDown)) continue;
					final int b = labels[nx + ny * width];
					if (a == b) continue;
					if (size == keys.length) keys = Arrays.copyOf(keys, 2 * size);
					keys[size++] = a < b ? (long) a * count + b : (long) b * count + a;
				}
			}
		}
		keys = Arrays.copyOf(keys, size);
		Arrays.sort(keys);
		int unique = 0;
		for (int i = 0; i < size; i++) {
			if (unique == 0 || keys[i] != keys[unique - 1]) keys[unique++] = keys[i];
		}
		return Arrays.copyOf(keys, unique);
	}

	/** Number of superpixels S. */
	public int count() {
		return count;
	}

	public int width() {
		return width;
	}

	public int height() {
		return height;
	}

	/** Number of adjacent pairs. */
	public int pairCount() {
		return pairFirst.length;
	}

	/** Smaller label of each adjacent pair (pairs sorted by (first, second)); a copy. */
	public int[] pairFirst() {
		return pairFirst.clone();
	}

	/** Larger label of each adjacent pair; a copy. */
	public int[] pairSecond() {
		return pairSecond.clone();
	}

	/** Per superpixel the pixel index {@code x + y·width} of its rounded centroid; a copy. */
	public int[] representative() {
		return representative.clone();
	}

	/** Per superpixel its number of pixels; a copy. */
	public int[] sizes() {
		return sizes.clone();
	}

	/** The label map, per pixel {@code x + y·width}; a copy. */
	public int[] labels() {
		return labels.clone();
	}

	/**
	 * Mean of every channel of {@code img} over each superpixel's pixels.
	 *
	 * @return {@code [S][channels]}
	 * @throws IllegalArgumentException if the image size differs from the label map's
	 */
	public double[][] regionMeans(final PlanarImage img) {
		if (img == null) throw new IllegalArgumentException("Image must not be null");
		if (img.width() != width || img.height() != height) {
			throw new IllegalArgumentException("Image is " + img.width() + "×" + img.height() + " but the superpixel label map is "
				+ width + "×" + height);
		}
		final int channels = img.channels();
		final double[][] means = new double[count][channels];
		for (int c = 0; c < channels; c++) {
			final float[] plane = img.plane(c);
			final double[] sum = new double[count];
			for (int p = 0; p < plane.length; p++) sum[labels[p]] += plane[p];
			for (int s = 0; s < count; s++) means[s][c] = sum[s] / sizes[s];
		}
		return means;
	}
}
