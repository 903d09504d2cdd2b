package org.softsegments.superpixels;

import java.util.Arrays;

import org.softsegments.core.Parallel;
import org.softsegments.core.Progress;
import org.softsegments.image.PlanarImage;

/**
 * SLICO superpixels: zero-parameter SLIC with per-cluster adaptive colour normalisation
 * (Achanta et al., "SLIC superpixels compared to state-of-the-art superpixel methods", TPAMI
 * 2012, §4.E "SLICO"), as used by the reference through MATLAB
 * {@code superpixels(I, 2500, 'Compactness', 1e-20)} (spec §3.2 step 1).
 * <p>
 * Algorithm:
 * <ol>
 * <li>Convert the image to CIE L*a*b* ({@link CieLab}).</li>
 * <li>Grid step {@code S = sqrt(N / requestedCount)}. Seeds at the centres of an
 * {@code nx × ny} grid of cells tiling the image, {@code nx = max(1, round(width/S))},
 * {@code ny = max(1, round(height/S))} (cells of {@code width/nx × height/ny} pixels, the
 * rounding error spread evenly as in reference SLIC); seed {@code (i, j)} at pixel
 * {@code (floor((i+½)·width/nx), floor((j+½)·height/ny))}. When {@code S ≥ 3}, each seed moves to
 * the pixel of lowest L*a*b* gradient magnitude
 * {@code |I(x+1,y)−I(x−1,y)|² + |I(x,y+1)−I(x,y−1)|²} (replicated borders) in its 3×3
 * neighbourhood, as in standard SLIC (ties keep the centre, then the first in raster order).</li>
 * <li>{@code iterations} times: every pixel goes to the cluster k minimising
 * {@code D = (d_lab/m_k)² + (d_xy/S)²} (the square of the spec's distance) among the clusters
 * whose search window covers the pixel (the 2S × 2S window of columns {@code ceil(cx−S)..floor(cx+S)}
 * and rows {@code ceil(cy−S)..floor(cy+S)} around the centre),
 * ties going to the lowest cluster index; a pixel inside no window keeps its previous cluster
 * (initially the grid cell it lies in). Then, per cluster, {@code m_k} becomes the largest
 * colour distance {@code d_lab} between the cluster's pixels and the centre used in this
 * assignment, and the centre (L, a, b, x, y) becomes the mean of its pixels. {@code m_k}
 * starts at {@code compactness}, so 1e-20 makes the first pass colour-only (the spatial term
 * only separates pixels of exactly equal colour distance).</li>
 * <li>Connectivity enforcement: the 4-connected components of the cluster map are found;
 * components of at most {@code floor(floor(N/requestedCount)/4)} pixels (the reference SLIC
 * threshold) are merged, smallest first, into the 4-adjacent region of closest mean L*a*b*
 * colour. Labels are then numbered {@code 0..S−1} in raster order of first appearance, and each
 * is one 4-connected region.</li>
 * </ol>
 * <p>
 * Parallelism: the assignment step runs over fixed bands of rows in parallel; in each band every
 * cluster whose window reaches the band sweeps its window rows there, and a pixel keeps the
 * smallest {@code D} with ties to the smallest cluster index, so each pixel's choice depends
 * only on the centres and the result is identical for any number of threads. Centre updates and
 * connectivity enforcement are sequential (linear, a few milliseconds).
 * <p>
 * Deviations and choices, stated explicitly:
 * <ul>
 * <li>MATLAB's implementation is closed; label maps cannot match it (spec §3.2). The count
 * {@code S} differs from {@code requestedCount} (usually somewhat lower because of merged
 * fragments; it may exceed it by the rounding of the grid).</li>
 * <li>{@code requestedCount > N} is clamped to {@code N}.</li>
 * <li>Colour normalisers are floored at {@link #MIN_COLOUR_NORM} (1e-30): a cluster whose pixels
 * all have exactly the centre colour ({@code m_k = 0}) keeps a normaliser of 1e-30, i.e. it only
 * accepts pixels of exactly its colour unless no other cluster is in reach; compactness values
 * below 1e-30 act like 1e-30 (colour-only first pass either way).</li>
 * <li>Clusters that receive no pixel keep their centre and normaliser; they simply produce no
 * label.</li>
 * <li>Merge target of small fragments: reference SLIC merges a fragment into the label of a
 * neighbour of its first pixel, regardless of colour; here the adjacent region of closest mean
 * colour is chosen (smallest fragments first), so that a fragment is not glued across a colour
 * edge. Still "merge orphan fragments into an adjacent label" as the spec asks.</li>
 * <li>Seed perturbation is skipped when {@code S < 3} (seeds would collide).</li>
 * </ul>
 */
public final class Slico {

	/** Smallest colour normaliser {@code m_k} used, to avoid division by zero. */
	public static final double MIN_COLOUR_NORM = 1e-30;

	/** Rows per parallel band of the assignment step (fixed: results do not depend on it). */
	private static final int BAND_ROWS = 16;

	/** Stage name reported to {@link Progress}. */
	public static final String STAGE = "Superpixels";

	private Slico() {}

	/**
	 * Segments an sRGB (3-channel) or grey (1-channel) image with values in [0,1] into SLICO
	 * superpixels.
	 *
	 * @param rgb the image (at least 2×2 pixels)
	 * @param requestedCount wanted number of superpixels (≥ 1; values above the pixel count are
	 *            clamped to it)
	 * @param compactness initial colour normaliser {@code m_k} (finite, &gt; 0; the reference
	 *            uses 1e-20)
	 * @param iterations number of assignment/update iterations (≥ 1; the reference uses 10)
	 * @param progress progress and cancellation ({@code null} means {@link Progress#NONE})
	 * @return per pixel {@code p = x + y·width} its label in {@code 0..S−1}; labels are
	 *         contiguous, numbered in raster order of first appearance, each one 4-connected
	 *         region
	 */
	public static int[] segment(final PlanarImage rgb, final int requestedCount, final double compactness,
		final int iterations, final Progress progress)
	{
		if (rgb == null) throw new IllegalArgumentException("Image must not be null");
		final int width = rgb.width(), height = rgb.height();
		if (width < 2 || height < 2) {
			throw new IllegalArgumentException("Superpixels need an image of at least 2×2 pixels, got " + width + "×" + height);
		}
		if (requestedCount < 1) {
			throw new IllegalArgumentException("Requested superpixel count must be at least 1, got " + requestedCount);
		}
		if (!(compactness > 0) || !Double.isFinite(compactness)) {
			throw new IllegalArgumentException("Compactness must be finite and > 0 (the reference uses 1e-20), got " + compactness);
		}
		if (iterations < 1) {
			throw new IllegalArgumentException("Iterations must be at least 1 (the reference uses 10), got " + iterations);
		}
		final Progress prog = progress == null ? Progress.NONE : progress;
		prog.checkpoint(STAGE, 0);
		final PlanarImage lab = CieLab.fromRgb(rgb);
		final int n = width * height;
		final int k = Math.min(requestedCount, n);
		final double step = Math.sqrt(n / (double) k);
		final int[] clusters = cluster(lab, step, compactness, iterations, prog);
		final int[] labels = enforceConnectivity(clusters, lab.planes(), width, height, (n / k) / 4);
		prog.checkpoint(STAGE, 1);
		return labels;
	}

	/** The clustering iterations; returns per pixel its cluster index (seed index). */
	private static int[] cluster(final PlanarImage lab, final double step, final double compactness,
		final int iterations, final Progress progress)
	{
		final int width = lab.width(), height = lab.height(), n = width * height;
		final float[] pl = lab.plane(0), pa = lab.plane(1), pb = lab.plane(2);

		// seeds on the centres of an nx × ny grid of cells
		final int nx = Math.min(width, Math.max(1, (int) Math.round(width / step)));
		final int ny = Math.min(height, Math.max(1, (int) Math.round(height / step)));
		final int kc = nx * ny;
		final double[] cl = new double[kc], ca = new double[kc], cb = new double[kc];
		final double[] cx = new double[kc], cy = new double[kc];
		final double[] invM2 = new double[kc];
		final float[] gradient = step >= 3 ? gradient(lab) : null;
		for (int j = 0; j < ny; j++) {
			final int y0 = (int) ((j + 0.5) * height / ny);
			for (int i = 0; i < nx; i++) {
				final int x0 = (int) ((i + 0.5) * width / nx);
				int best = x0 + y0 * width;
				if (gradient != null) {
					float g = gradient[best];
					for (int y = Math.max(0, y0 - 1); y <= Math.min(height - 1, y0 + 1); y++) {
						for (int x = Math.max(0, x0 - 1); x <= Math.min(width - 1, x0 + 1); x++) {
							final int p = x + y * width;
							if (gradient[p] < g) {
								g = gradient[p];
								best = p;
							}
						}
					}
				}
				final int c = i + j * nx;
				cl[c] = pl[best];
				ca[c] = pa[best];
				cb[c] = pb[best];
				cx[c] = best % width;
				cy[c] = best / width;
				final double m = Math.max(compactness, MIN_COLOUR_NORM);
				invM2[c] = 1.0 / (m * m);
			}
		}

		// initial clusters: the grid cell of each pixel (kept by pixels outside every window)
		final int[] labels = new int[n];
		for (int y = 0; y < height; y++) {
			final int j = (int) ((long) y * ny / height);
			for (int x = 0; x < width; x++) {
				labels[x + y * width] = (int) ((long) x * nx / width) + j * nx;
			}
		}

		final double invS2 = 1.0 / (step * step);
		final int bucket = Math.max(1, (int) Math.ceil(step));
		final int nby = (height - 1) / bucket + 1;
		final int[] rowStart = new int[nby + 1];
		final int[] rowItems = new int[kc];
		final double[] dist = new double[n];
		final double[] dlab2 = new double[n];
		final double[] sums = new double[6 * kc];
		final double[] maxD2 = new double[kc];

		for (int it = 0; it < iterations; it++) {
			progress.checkpoint(STAGE, 0.95 * it / iterations);
			// centres sorted by row bucket floor(cy)/bucket (counting sort, stable by index)
			Arrays.fill(rowStart, 0);
			for (int c = 0; c < kc; c++) rowStart[rowBucket(cy[c], bucket, nby) + 1]++;
			for (int r = 0; r < nby; r++) rowStart[r + 1] += rowStart[r];
			final int[] fill = Arrays.copyOf(rowStart, nby);
			for (int c = 0; c < kc; c++) rowItems[fill[rowBucket(cy[c], bucket, nby)]++] = c;

			// assignment over bands of rows: each cluster sweeps its window's rows inside the band;
			// a pixel takes the smallest D, ties to the smallest cluster index (order-independent)
			Parallel.forRange(height, BAND_ROWS, (y0, y1) -> {
				Arrays.fill(dist, y0 * width, y1 * width, Double.POSITIVE_INFINITY);
				final int rbLo = Math.max(0, y0 - bucket) / bucket;
				final int rbHi = Math.min(nby - 1, (y1 - 1 + bucket) / bucket);
				for (int s = rowStart[rbLo], e = rowStart[rbHi + 1]; s < e; s++) {
					final int c = rowItems[s];
					final double ccx = cx[c], ccy = cy[c];
					final int yLo = Math.max(y0, (int) Math.ceil(ccy - step));
					final int yHi = Math.min(y1 - 1, (int) Math.floor(ccy + step));
					if (yLo > yHi) continue;
					final int xLo = Math.max(0, (int) Math.ceil(ccx - step));
					final int xHi = Math.min(width - 1, (int) Math.floor(ccx + step));
					final double ccl = cl[c], cca = ca[c], ccb = cb[c], inv = invM2[c];
					for (int y = yLo; y <= yHi; y++) {
						final double dy = y - ccy;
						final double spatialY = dy * dy * invS2;
						final int row = y * width;
						for (int x = xLo; x <= xHi; x++) {
							final int p = row + x;
							final double dl = pl[p] - ccl, da = pa[p] - cca, db = pb[p] - ccb;
							final double d2lab = dl * dl + da * da + db * db;
							final double dx = x - ccx;
							final double d = d2lab * inv + dx * dx * invS2 + spatialY;
							final double old = dist[p];
							if (d < old || (d == old && c < labels[p])) {
								dist[p] = d;
								labels[p] = c;
								dlab2[p] = d2lab;
							}
						}
					}
				}
				// pixels inside no window keep their cluster
				for (int p = y0 * width; p < y1 * width; p++) {
					if (dist[p] == Double.POSITIVE_INFINITY) {
						final int c = labels[p];
						final double dl = pl[p] - cl[c], da = pa[p] - ca[c], db = pb[p] - cb[c];
						dlab2[p] = dl * dl + da * da + db * db;
					}
				}
			});
			if (it == iterations - 1) break;

			// update: adaptive colour normaliser and centre means (sequential, raster order)
			Arrays.fill(sums, 0);
			Arrays.fill(maxD2, 0);
			final int[] count = new int[kc];
			for (int y = 0, p = 0; y < height; y++) {
				for (int x = 0; x < width; x++, p++) {
					final int c = labels[p];
					final int o = 6 * c;
					sums[o] += pl[p];
					sums[o + 1] += pa[p];
					sums[o + 2] += pb[p];
					sums[o + 3] += x;
					sums[o + 4] += y;
					count[c]++;
					if (dlab2[p] > maxD2[c]) maxD2[c] = dlab2[p];
				}
			}
			for (int c = 0; c < kc; c++) {
				if (count[c] == 0) continue;
				final double inv = 1.0 / count[c];
				final int o = 6 * c;
				cl[c] = sums[o] * inv;
				ca[c] = sums[o + 1] * inv;
				cb[c] = sums[o + 2] * inv;
				cx[c] = sums[o + 3] * inv;
				cy[c] = sums[o + 4] * inv;
				invM2[c] = 1.0 / Math.max(maxD2[c], MIN_COLOUR_NORM * MIN_COLOUR_NORM);
			}
		}
		return labels;
	}

	private static int rowBucket(final double y, final int bucket, final int nby) {
		return Math.min(nby - 1, Math.max(0, (int) Math.floor(y) / bucket));
	}

	/** Squared L*a*b* gradient magnitude with replicated borders. */
	private static float[] gradient(final PlanarImage lab) {
		final int width = lab.width(), height = lab.height();
		final float[][] planes = lab.planes();
		final float[] g = new float[width * height];
		Parallel.forRange(height, 32, (y0, y1) -> {
			for (int y = y0; y < y1; y++) {
				final int up = Math.max(0, y - 1) * width, down = Math.min(height - 1, y + 1) * width;
				for (int x = 0; x < width; x++) {
					final int left = Math.max(0, x - 1), right = Math.min(width - 1, x + 1);
					double sum = 0;
					for (final float[] pl : planes) {
						final double dx = pl[right + y * width] - pl[left + y * width];
						final double dy = pl[x + down] - pl[x + up];
						sum += dx * dx + dy * dy;
					}
					g[x + y * width] = (float) sum;
				}
			}
		});
		return g;
	}

	/**
	 * Connectivity enforcement and relabelling. The 4-connected components of {@code clusters}
	 * are found; components of at most {@code maxMergeSize} pixels are visited by increasing
	 * size (ties: raster order of their first pixel) and merged, together with whatever was
	 * merged into them before, into the 4-adjacent group whose mean colour is closest to theirs
	 * (ties: the group first in raster order); a group that has grown above
	 * {@code maxMergeSize} by the time it is visited stays. Every merge joins adjacent groups,
	 * so each final label is one 4-connected region. Labels are numbered in raster order of
	 * first appearance.
	 *
	 * @param colour per channel, per pixel the colour used to choose merge targets
	 */
	static int[] enforceConnectivity(final int[] clusters, final float[][] colour, final int width, final int height,
		final int maxMergeSize)
	{
		final int n = width * height;
		final int[] comp = new int[n];
		Arrays.fill(comp, -1);
		final int[] order = new int[n]; // pixels grouped by component, components in raster order
		int[] start = new int[1024];
		int nc = 0, tail = 0;
		for (int p = 0; p < n; p++) {
			if (comp[p] >= 0) continue;
			if (nc + 1 >= start.length) start = Arrays.copyOf(start, 2 * start.length);
			start[nc] = tail;
			final int original = clusters[p];
			int head = tail;
			order[tail++] = p;
			comp[p] = nc;
			while (head < tail) {
				final int q = order[head++];
				final int x = q % width, y = q / width;
				if (x > 0 && comp[q - 1] < 0 && clusters[q - 1] == original) {
					comp[q - 1] = nc;
					order[tail++] = q - 1;
				}
				if (x < width - 1 && comp[q + 1] < 0 && clusters[q + 1] == original) {
					comp[q + 1] = nc;
					order[tail++] = q + 1;
				}
				if (y > 0 && comp[q - width] < 0 && clusters[q - width] == original) {
					comp[q - width] = nc;
					order[tail++] = q - width;
				}
				if (y < height - 1 && comp[q + width] < 0 && clusters[q + width] == original) {
					comp[q + width] = nc;
					order[tail++] = q + width;
				}
			}
			nc++;
		}
		start[nc] = n;

		// groups (union-find over components) with their size, colour sums and member chains
		final int channels = colour.length;
		final int[] parent = new int[nc];
		final int[] size = new int[nc];
		final int[] nextMember = new int[nc];
		final int[] lastMember = new int[nc];
		final double[] sum = new double[nc * channels];
		long[] small = new long[64];
		int smallCount = 0;
		for (int c = 0; c < nc; c++) {
			parent[c] = c;
			size[c] = start[c + 1] - start[c];
			nextMember[c] = -1;
			lastMember[c] = c;
			for (int i = start[c]; i < start[c + 1]; i++) {
				for (int ch = 0; ch < channels; ch++) sum[c * channels + ch] += colour[ch][order[i]];
			}
			if (size[c] <= maxMergeSize) {
				if (smallCount == small.length) small = Arrays.copyOf(small, 2 * smallCount);
				small[smallCount++] = ((long) size[c] << 32) | c;
			}
		}
		Arrays.sort(small, 0, smallCount);
		for (int i = 0; i < smallCount; i++) {
			final int c = (int) small[i];
			if (parent[c] != c || size[c] > maxMergeSize) continue;
			int best = -1;
			double bestDistance = Double.POSITIVE_INFINITY;
			for (int m = c; m >= 0; m = nextMember[m]) {
				for (int k = start[m]; k < start[m + 1]; k++) {
					final int q = order[k];
					final int x = q % width, y = q / width;
					for (int d = 0; d < 4; d++) {
						final int r;
						if (d == 0) r = x > 0 ? q - 1 : -1;
						else if (d == 1) r = x < width - 1 ? q + 1 : -1;
						else if (d == 2) r = y > 0 ? q - width : -1;
						else r = y < height - 1 ? q + width : -1;
						if (r < 0) continue;
						final int t = find(parent, comp[r]);
						if (t == c) continue;
						double distance = 0;
						for (int ch = 0; ch < channels; ch++) {
							final double diff = sum[c * channels + ch] / size[c] - sum[t * channels + ch] / size[t];
							distance += diff * diff;
						}
						if (distance < bestDistance || (distance == bestDistance && t < best)) {
							bestDistance = distance;
							best = t;
						}
					}
				}
			}
			if (best < 0) continue; // the whole image is one component
			parent[c] = best;
			size[best] += size[c];
			for (int ch = 0; ch < channels; ch++) sum[best * channels + ch] += sum[c * channels + ch];
			nextMember[lastMember[best]] = c;
			lastMember[best] = lastMember[c];
		}

		final int[] finalLabel = new int[nc];
		Arrays.fill(finalLabel, -1);
		final int[] out = new int[n];
		int next = 0;
		for (int p = 0; p < n; p++) {
			final int root = find(parent, comp[p]);
			if (finalLabel[root] < 0) finalLabel[root] = next++;
			out[p] = finalLabel[root];
		}
		return out;
	}

	private static int find(final int[] parent, int c) {
		while (parent[c] != c) {
			parent[c] = parent[parent[c]];
			c = parent[c];
		}
		return c;
	}
}
