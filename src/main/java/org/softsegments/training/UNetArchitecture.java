package org.softsegments.training;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

/**
 * Shape of the project's U-Net feature network (Ronneberger et al. 2015, as in the U-Net variant of
 * semantic soft segmentation, spec §7), small enough to train on a CPU.
 * <ul>
 * <li>input: RGB in [0, 1], NHWC, any height/width that is a multiple of {@link #multiple()}
 * (callers pad); the graph itself subtracts {@link #INPUT_MEAN} and divides by
 * {@link #INPUT_STD};</li>
 * <li>with {@link #inputStride()} 2, the normalised input is first averaged over 2×2 blocks and
 * the U-Net runs at half resolution; its embedding is resized back to the input size with
 * bilinear interpolation (half-pixel centres). This makes the network 4× cheaper; the spec §3.1
 * guided filter (10×10 window) smooths the features at a coarser scale than that anyway;</li>
 * <li>encoder level {@code l = 0 … L−1} (level 0 at full resolution): two 3×3 convolutions with
 * {@code encoderWidths[l]} filters, each followed by ReLU; 2×2 max pooling between levels;</li>
 * <li>decoder level {@code l = L−2 … 1}: nearest-neighbour ×2 upsampling, concatenation with the
 * encoder output of level {@code l} (skip), two 3×3 convolutions with {@code encoderWidths[l]}
 * filters + ReLU; level 0: the same with a single 3×3 convolution of {@code headWidth} filters;</li>
 * <li>head: a 1×1 convolution to {@code embeddingDim} channels, no activation (the embedding).</li>
 * </ul>
 * All convolutions use "SAME" zero padding and biases; there is no normalisation layer, so the
 * output at a pixel depends only on its receptive field (which is what makes tiled inference
 * match a single pass). Deviation from the paper's network (spec §6): a small U-Net trained from
 * scratch instead of a DeepLab ResNet-101 hypercolumn, and D = {@link #embeddingDim()} (see the
 * model card) instead of 128.
 */
public final class UNetArchitecture implements FeatureArchitecture {

	/** Per-channel mean subtracted inside the graph (RGB in [0, 1]). */
	public static final float[] INPUT_MEAN = { 0.485f, 0.456f, 0.406f };
	/** Per-channel divisor applied inside the graph. */
	public static final float[] INPUT_STD = { 0.229f, 0.224f, 0.225f };

	private final int[] encoderWidths;
	private final int headWidth;
	private final int embeddingDim;
	private final int inputStride;

	/** A full-resolution U-Net (input stride 1). */
	public UNetArchitecture(final int[] encoderWidths, final int headWidth, final int embeddingDim) {
		this(encoderWidths, headWidth, embeddingDim, 1);
	}

	/**
	 * @param encoderWidths filters per level, at least 2 levels, each positive
	 * @param headWidth filters of the last full-resolution convolution
	 * @param embeddingDim D, the number of output channels (at least 4: the pipeline treats 3 or
	 *          fewer channels as ready-made features)
	 * @param inputStride 1 (full resolution) or 2 (the U-Net runs on the 2×2-averaged input)
	 */
	public UNetArchitecture(final int[] encoderWidths, final int headWidth, final int embeddingDim, final int inputStride) {
		if (encoderWidths == null || encoderWidths.length < 2 || encoderWidths.length > 7) {
			throw new IllegalArgumentException("U-Net needs 2 to 7 levels, got "
				+ (encoderWidths == null ? "null" : encoderWidths.length));
		}
		for (final int w : encoderWidths) {
			if (w < 1 || w > 1024) throw new IllegalArgumentException("Level widths must be in 1..1024, got " + Arrays.toString(encoderWidths));
		}
		if (headWidth < 1 || headWidth > 1024) throw new IllegalArgumentException("Head width must be in 1..1024, got " + headWidth);
		if (embeddingDim < 4 || embeddingDim > 1024) {
			throw new IllegalArgumentException("Embedding dimension must be in 4..1024 (3 or fewer channels are treated as "
				+ "ready-made features by the pipeline), got " + embeddingDim);
		}
		if (inputStride != 1 && inputStride != 2) throw new IllegalArgumentException("Input stride must be 1 or 2, got " + inputStride);
		this.inputStride = inputStride;
		this.encoderWidths = encoderWidths.clone();
		this.headWidth = headWidth;
		this.embeddingDim = embeddingDim;
	}

	/** The shipped configuration: input stride 2, 5 levels 16-32-64-96-128, head 32, D = 32. */
	public static UNetArchitecture standard() {
		return new UNetArchitecture(new int[] { 16, 32, 64, 96, 128 }, 32, 32, 2);
	}

	/** 1: the U-Net runs at full resolution; 2: on the 2×2-averaged input. */
	public int inputStride() {
		return inputStride;
	}

	public int[] encoderWidths() {
		return encoderWidths.clone();
	}

	public int levels() {
		return encoderWidths.length;
	}

	public int headWidth() {
		return headWidth;
	}

	@Override
	public int embeddingDim() {
		return embeddingDim;
	}

	/** The U-Net's output grid is its input grid: {@link #inputStride()}. */
	@Override
	public int outputStride() {
		return inputStride;
	}

	/** Input height and width must be multiples of this: {@code inputStride · 2^(levels−1)}. */
	@Override
	public int multiple() {
		return inputStride << (encoderWidths.length - 1);
	}

	/**
	 * Radius in pixels of the receptive field of one output pixel (each 3×3 convolution at level
	 * {@code l} widens it by {@code 2^l}; each pooling by {@code 2^l}).
	 */
	public int receptiveRadius() {
		int r = 0;
		final int levels = levels();
		for (int l = 0; l < levels; l++) r += 2 * (1 << l); // encoder convs
		for (int l = 0; l < levels - 1; l++) r += 1 << l; // pooling windows
		for (int l = 1; l < levels - 1; l++) r += 2 * (1 << l); // decoder convs
		r += 1; // level-0 decoder conv
		return inputStride == 1 ? r : 2 * r + 2; // + the 2×2 average and the bilinear resize
	}

	@Override
	public List<Parameter> parameters() {
		final List<Parameter> out = new ArrayList<>();
		int in = 3;
		for (int l = 0; l < levels(); l++) {
			final int w = encoderWidths[l];
			out.add(new Parameter("enc" + l + "a_kernel", 3, 3, in, w));
			out.add(new Parameter("enc" + l + "a_bias", w));
			out.add(new Parameter("enc" + l + "b_kernel", 3, 3, w, w));
			out.add(new Parameter("enc" + l + "b_bias", w));
			in = w;
		}
		for (int l = levels() - 2; l >= 0; l--) {
			final int cat = in + encoderWidths[l];
			if (l > 0) {
				final int w = encoderWidths[l];
				out.add(new Parameter("dec" + l + "a_kernel", 3, 3, cat, w));
				out.add(new Parameter("dec" + l + "a_bias", w));
				out.add(new Parameter("dec" + l + "b_kernel", 3, 3, w, w));
				out.add(new Parameter("dec" + l + "b_bias", w));
				in = w;
			}
			else {
				out.add(new Parameter("dec0_kernel", 3, 3, cat, headWidth));
				out.add(new Parameter("dec0_bias", headWidth));
				in = headWidth;
			}
		}
		out.add(new Parameter("head_kernel", 1, 1, in, embeddingDim));
		out.add(new Parameter("head_bias", embeddingDim));
		return out;
	}

	/** Multiply–accumulates per input pixel of one forward pass (convolutions only). */
	public double macsPerPixel() {
		double macs = 0;
		for (final Parameter p : parameters()) {
			if (!p.isKernel()) continue;
			final String n = p.name;
			final int level = n.startsWith("head") || n.startsWith("dec0") ? 0 : n.charAt(3) - '0';
			macs += (double) p.size() / (1L << (2 * level));
		}
		return macs / (inputStride * inputStride);
	}

	@Override
	public Operand<TFloat32> forwardAtOutputStride(final Ops tf, final Operand<TFloat32> rgb,
		final Function<String, Operand<TFloat32>> weights)
	{
		return UNetGraph.forwardAtOutputStride(tf, rgb, this, weights);
	}

	/** 0.6 × the receptive radius, rounded down to the multiple (at least one multiple). */
	@Override
	public int tileMargin() {
		// measured on the shipped model, tiles then match a single pass to 0.3 % (mean relative difference;
		// 1.5 % at 0.45 ×, 8 % at 0.3 ×), at +50 % cost for a 640×480 image
		return Math.max(multiple(), (int) (0.6 * receptiveRadius()) / multiple() * multiple());
	}

	@Override
	public JsonObject cardSection() {
		final JsonObject a = new JsonObject();
		a.addProperty("type", "u-net");
		a.addProperty("description", toString());
		final JsonArray widths = new JsonArray();
		for (final int w : encoderWidths) widths.add(w);
		a.add("encoderWidths", widths);
		a.addProperty("headWidth", headWidth);
		a.addProperty("inputStride", inputStride);
		a.addProperty("embeddingDim", embeddingDim);
		a.addProperty("parameters", parameterCount());
		a.addProperty("receptiveFieldRadius", receptiveRadius());
		a.addProperty("macsPerPixel", Math.round(macsPerPixel()));
		return a;
	}

	/** A compact description such as {@code u-net 16-32-64-96-128 head 32 D 32}. */
	@Override
	public String toString() {
		final StringBuilder sb = new StringBuilder("u-net ");
		for (int l = 0; l < encoderWidths.length; l++) sb.append(l == 0 ? "" : "-").append(encoderWidths[l]);
		sb.append(" head ").append(headWidth).append(" D ").append(embeddingDim);
		return inputStride == 1 ? sb.toString() : sb.append(" stride ").append(inputStride).toString();
	}

	@Override
	public boolean equals(final Object o) {
		return o instanceof UNetArchitecture && Arrays.equals(((UNetArchitecture) o).encoderWidths, encoderWidths)
			&& ((UNetArchitecture) o).headWidth == headWidth && ((UNetArchitecture) o).embeddingDim == embeddingDim
			&& ((UNetArchitecture) o).inputStride == inputStride;
	}

	@Override
	public int hashCode() {
		return (Arrays.hashCode(encoderWidths) * 31 * 31 + headWidth * 31 + embeddingDim) * 31 + inputStride;
	}
}
