package org.softsegments.engine;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.softsegments.image.PlanarImage;

/**
 * What {@link SemanticSoftSegmentation#run} returns: the soft layers (one channel each, summing
 * to ≈1 per pixel), the wall time of every stage, notes about documented fallbacks (e.g. fewer
 * layers than requested) and, when requested, the intermediates of the pipeline.
 */
public final class SegmentationResult {

	private final PlanarImage layers;
	private final Map<String, Double> stageSeconds;
	private final List<String> notes;
	private final Intermediates intermediates;
	private final SoftSegments softSegments;

	SegmentationResult(final PlanarImage layers, final Map<String, Double> stageSeconds, final List<String> notes,
		final Intermediates intermediates, final SoftSegments softSegments)
	{
		this.layers = layers;
		this.stageSeconds = Collections.unmodifiableMap(new LinkedHashMap<>(stageSeconds));
		this.notes = List.copyOf(notes);
		this.intermediates = intermediates;
		this.softSegments = softSegments;
	}

	/** The final layers: channel k is layer k. */
	public PlanarImage layers() {
		return layers;
	}

	/** Number of layers (the requested K, or fewer: see {@link #notes()}). */
	public int layerCount() {
		return layers.channels();
	}

	/** Wall time of each stage in seconds, in pipeline order, plus "total". */
	public Map<String, Double> stageSeconds() {
		return stageSeconds;
	}

	/**
	 * This result with {@code seconds} of work done outside the engine (e.g. a feature network's
	 * forward pass) added to {@code stage} and to "total"; the layers and intermediates are shared.
	 */
	public SegmentationResult withExtraTime(final String stage, final double seconds) {
		final Map<String, Double> t = new LinkedHashMap<>();
		if (!stageSeconds.containsKey(stage)) t.put(stage, seconds);
		for (final Map.Entry<String, Double> e : stageSeconds.entrySet()) {
			t.put(e.getKey(), e.getValue() + (e.getKey().equals(stage) || e.getKey().equals("total") ? seconds : 0));
		}
		return new SegmentationResult(layers, t, notes, intermediates, softSegments);
	}

	/** Human-readable notes about fallbacks the run took (empty for a normal run). */
	public List<String> notes() {
		return notes;
	}

	/** Intermediates, or {@code null} unless requested. */
	public Intermediates intermediates() {
		return intermediates;
	}

	/**
	 * The soft segments before grouping, for {@link SemanticSoftSegmentation#regroup}: those of a
	 * run with intermediates requested, or those a regrouping started from; null otherwise.
	 */
	public SoftSegments softSegments() {
		return softSegments;
	}

	/** Intermediate results of the stages (spec §2 pipeline overview). */
	public static final class Intermediates {

		/** The 3-channel features the affinities and clustering used, values in [0,1]. */
		public final PlanarImage features;
		/** Superpixel label per pixel, 0..S−1. */
		public final int[] superpixelLabels;
		/** Number of superpixels S. */
		public final int superpixelCount;
		/** Eigenvalues of the spectral basis. */
		public final double[] eigenvalues;
		/** Initial hard cluster per pixel (0-based). */
		public final int[] initialClusters;
		/** Layers after the constrained sparsification (before grouping). */
		public final PlanarImage constrainedLayers;
		/** Layers after grouping (before the relaxed sparsification). */
		public final PlanarImage groupedLayers;
		/** Image gradient magnitude used by the relaxed sparsification. */
		public final float[] gradient;

		Intermediates(final PlanarImage features, final int[] superpixelLabels, final int superpixelCount,
			final double[] eigenvalues, final int[] initialClusters, final PlanarImage constrainedLayers,
			final PlanarImage groupedLayers, final float[] gradient)
		{
			this.features = features;
			this.superpixelLabels = superpixelLabels;
			this.superpixelCount = superpixelCount;
			this.eigenvalues = eigenvalues;
			this.initialClusters = initialClusters;
			this.constrainedLayers = constrainedLayers;
			this.groupedLayers = groupedLayers;
			this.gradient = gradient;
		}
	}
}
