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
 * Shape of the distilled semantic feature network ({@link StudentGraph} builds it): a strided
 * encoder for a large receptive field, an image-pooling branch for global context and a light
 * top-down decoder, with regular (not depthwise) convolutions, which TensorFlow trains fastest on
 * the CPU.
 * <ul>
 * <li>input: RGB in [0, 1], NHWC, height and width multiples of 32; normalised in the graph as in
 * {@link UNetArchitecture} ({@link UNetArchitecture#INPUT_MEAN}, {@link UNetArchitecture#INPUT_STD});</li>
 * <li>stem: a 3×3 convolution with stride 2 ({@code widths[0]} filters) + ReLU;</li>
 * <li>stages {@code k = 1 … 4} at strides 4, 8, 16, 32: a 3×3 convolution with stride 2, then
 * {@code depths[k − 1] − 1} 3×3 convolutions, {@code widths[k]} filters each, each followed by
 * ReLU; with {@code residual}, each of those later convolutions is a residual step
 * {@code (x + ReLU(conv(x))) / √2} (He et al. 2016; the 1/√2 keeps the activations' scale at
 * initialisation, where plain sums would grow it 2× per step), which trains faster from random
 * weights than a plain stack of the same depth;</li>
 * <li>image pooling (as in ASPP, Chen et al. 2017): the global mean of stage 4 → 1×1 convolution
 * to {@code poolWidth} + ReLU; its 1×1 projection to {@code decoderWidth} is added (broadcast) to
 * the 1×1 projection of stage 4, + ReLU (the same as concatenating both and one 1×1 convolution);</li>
 * <li>top-down decoder (as in FPN, Lin et al. 2017) for stages 3, 2, 1: bilinear ×2 upsampling of
 * the coarser map + a 1×1 projection of the stage's output (lateral), then a 3×3 convolution with
 * {@code decoderWidth} filters + ReLU;</li>
 * <li>head at stride 4: a 1×1 convolution to {@code embeddingDim} channels (no activation),
 * resized bilinearly to the input size by {@link #forward}.</li>
 * </ul>
 * "SAME" zero padding, biases, no normalisation layers. Because of the image pooling the output at
 * a pixel depends on the whole image: tiled inference only approximates a single pass, so the
 * network is meant to run on a downscaled photo in one tile.
 */
public final class StudentArchitecture implements FeatureArchitecture {

	/** Number of downsampling steps: the stem and 4 stages (multiple 32). */
	public static final int STAGES = 5;
	/** Resolution of the output grid relative to the input (the decoder stops at stage 1). */
	public static final int OUTPUT_STRIDE = 4;

	private final int[] widths;
	private final int[] depths;
	private final int poolWidth;
	private final int decoderWidth;
	private final int embeddingDim;
	private final boolean residual;

	/** A plain (not residual) student; see {@link #StudentArchitecture(int[], int[], int, int, int, boolean)}. */
	public StudentArchitecture(final int[] widths, final int[] depths, final int poolWidth, final int decoderWidth,
		final int embeddingDim)
	{
		this(widths, depths, poolWidth, decoderWidth, embeddingDim, false);
	}

	/**
	 * @param widths filters of the stem and of the stages at strides 4, 8, 16, 32 (5 values)
	 * @param depths 3×3 convolutions of the stages at strides 4, 8, 16, 32 (4 values, each 1 to 8)
	 * @param poolWidth filters of the image-pooling branch
	 * @param decoderWidth filters of the decoder
	 * @param embeddingDim C, the number of output channels (at least 4)
	 * @param residual whether the stages' stride-1 convolutions are residual steps (same parameters)
	 */
	public StudentArchitecture(final int[] widths, final int[] depths, final int poolWidth, final int decoderWidth,
		final int embeddingDim, final boolean residual)
	{
		if (widths == null || widths.length != STAGES) {
			throw new IllegalArgumentException("The student needs " + STAGES + " widths (stem and strides 4, 8, 16, 32), got "
				+ (widths == null ? "null" : Arrays.toString(widths)));
		}
		if (depths == null || depths.length != STAGES - 1) {
			throw new IllegalArgumentException("The student needs " + (STAGES - 1) + " stage depths (strides 4, 8, 16, 32), got "
				+ (depths == null ? "null" : Arrays.toString(depths)));
		}
		for (final int d : depths) {
			if (d < 1 || d > 8) throw new IllegalArgumentException("Stage depths must be in 1..8, got " + Arrays.toString(depths));
		}
		for (final int w : widths) {
			if (w < 1 || w > 1024) throw new IllegalArgumentException("Widths must be in 1..1024, got " + Arrays.toString(widths));
		}
		if (poolWidth < 1 || poolWidth > 1024) throw new IllegalArgumentException("Pool width must be in 1..1024, got " + poolWidth);
		if (decoderWidth < 1 || decoderWidth > 1024) throw new IllegalArgumentException("Decoder width must be in 1..1024, got " + decoderWidth);
		if (embeddingDim < 4 || embeddingDim > 1024) {
			throw new IllegalArgumentException("Embedding dimension must be in 4..1024 (3 or fewer channels are treated as "
				+ "ready-made features by the pipeline), got " + embeddingDim);
		}
		this.widths = widths.clone();
		this.depths = depths.clone();
		this.poolWidth = poolWidth;
		this.decoderWidth = decoderWidth;
		this.embeddingDim = embeddingDim;
		this.residual = residual;
	}

	/**
	 * The configuration trained by {@code scripts/train-features.sh distill}: widths 32-48-96-192-320,
	 * depths 2-2-3-3 (the extra depth where it is cheap: at strides 16 and 32), pool 128, decoder 64,
	 * C = 32.
	 */
	public static StudentArchitecture standard() {
		return new StudentArchitecture(new int[] { 32, 48, 96, 192, 320 }, new int[] { 2, 2, 3, 3 }, 128, 64, 32);
	}

	public int[] widths() {
		return widths.clone();
	}

	public int[] depths() {
		return depths.clone();
	}

	public int poolWidth() {
		return poolWidth;
	}

	public int decoderWidth() {
		return decoderWidth;
	}

	public boolean residual() {
		return residual;
	}

	@Override
	public int embeddingDim() {
		return embeddingDim;
	}

	@Override
	public int multiple() {
		return 1 << STAGES;
	}

	@Override
	public int outputStride() {
		return OUTPUT_STRIDE;
	}

	/** Two multiples: the context is global anyway (image pooling); the network is meant to run in one tile. */
	@Override
	public int tileMargin() {
		return 2 * multiple();
	}

	@Override
	public List<Parameter> parameters() {
		final List<Parameter> out = new ArrayList<>();
		conv(out, "stem", 3, 3, widths[0]);
		for (int k = 1; k < STAGES; k++) {
			for (int j = 0; j < depths[k - 1]; j++) conv(out, stageConv(k, j), 3, j == 0 ? widths[k - 1] : widths[k], widths[k]);
		}
		conv(out, "pool", 1, widths[4], poolWidth);
		conv(out, "top", 1, widths[4], decoderWidth);
		out.add(new Parameter("top_pool_kernel", 1, 1, poolWidth, decoderWidth));
		for (int k = STAGES - 2; k >= 1; k--) {
			conv(out, "lateral" + k, 1, widths[k], decoderWidth);
			conv(out, "fuse" + k, 3, decoderWidth, decoderWidth);
		}
		conv(out, "head", 1, decoderWidth, embeddingDim);
		return out;
	}

	/** Name of convolution {@code j} (0-based; 0 has stride 2) of stage {@code k}: {@code stage<k><a, b, c, …>}. */
	static String stageConv(final int k, final int j) {
		return "stage" + k + (char) ('a' + j);
	}

	private static void conv(final List<Parameter> out, final String name, final int k, final int in, final int filters) {
		out.add(new Parameter(name + "_kernel", k, k, in, filters));
		out.add(new Parameter(name + "_bias", filters));
	}

	/** Stride (relative to the input) of the grid a parameter's convolution runs on; 0 for the image-pooling branch. */
	static int gridStride(final String name) {
		if (name.startsWith("stem")) return 2;
		if (name.startsWith("stage")) return 1 << (name.charAt(5) - '0' + 1);
		if (name.startsWith("pool") || name.startsWith("top_pool")) return 0;
		if (name.startsWith("top")) return 32;
		if (name.startsWith("lateral") || name.startsWith("fuse")) {
			return 1 << (name.charAt(name.startsWith("fuse") ? 4 : 7) - '0' + 1);
		}
		return OUTPUT_STRIDE; // head
	}

	/** Multiply–accumulates per input pixel of one forward pass (convolutions only). */
	public double macsPerPixel() {
		double macs = 0;
		for (final Parameter p : parameters()) {
			final int s = gridStride(p.name);
			if (p.isKernel() && s > 0) macs += (double) p.size() / ((double) s * s);
		}
		return macs;
	}

	@Override
	public Operand<TFloat32> forwardAtOutputStride(final Ops tf, final Operand<TFloat32> rgb,
		final Function<String, Operand<TFloat32>> weights)
	{
		return StudentGraph.forwardAtOutputStride(tf, rgb, depths, residual, weights);
	}

	@Override
	public JsonObject cardSection() {
		final JsonObject a = new JsonObject();
		a.addProperty("type", "strided-encoder-fpn");
		a.addProperty("description", toString() + ": stem 3×3/2, stages at strides 4-8-16-32 (a 3×3/2 conv then " + (residual ? "residual " : "")
			+ "3×3 convs, depths " + Arrays.toString(depths) + ", ReLU), "
			+ "image pooling (global mean → 1×1) added to the stride-32 projection, top-down decoder (bilinear ×2 + 1×1 lateral, "
			+ "3×3 conv) to stride 4, 1×1 head, bilinear resize to the input size");
		final JsonArray w = new JsonArray();
		for (final int v : widths) w.add(v);
		a.add("widths", w);
		final JsonArray d = new JsonArray();
		for (final int v : depths) d.add(v);
		a.add("depths", d);
		a.addProperty("poolWidth", poolWidth);
		a.addProperty("decoderWidth", decoderWidth);
		a.addProperty("embeddingDim", embeddingDim);
		a.addProperty("residual", residual);
		a.addProperty("outputStride", OUTPUT_STRIDE);
		a.addProperty("parameters", parameterCount());
		a.addProperty("receptiveField", "global (image pooling)");
		a.addProperty("macsPerPixel", Math.round(macsPerPixel()));
		return a;
	}

	/** A compact description such as {@code student 24-32-64-128-192 pool 64 decoder 64 D 32}. */
	@Override
	public String toString() {
		final StringBuilder sb = new StringBuilder("student ");
		for (int k = 0; k < widths.length; k++) sb.append(k == 0 ? "" : "-").append(widths[k]);
		sb.append(" depths ");
		for (int k = 0; k < depths.length; k++) sb.append(k == 0 ? "" : "-").append(depths[k]);
		if (residual) sb.append(" residual");
		return sb.append(" pool ").append(poolWidth).append(" decoder ").append(decoderWidth).append(" D ").append(embeddingDim).toString();
	}

	@Override
	public boolean equals(final Object o) {
		return o instanceof StudentArchitecture && Arrays.equals(((StudentArchitecture) o).widths, widths)
			&& Arrays.equals(((StudentArchitecture) o).depths, depths)
			&& ((StudentArchitecture) o).poolWidth == poolWidth && ((StudentArchitecture) o).decoderWidth == decoderWidth
			&& ((StudentArchitecture) o).embeddingDim == embeddingDim && ((StudentArchitecture) o).residual == residual;
	}

	@Override
	public int hashCode() {
		return (Arrays.hashCode(widths) * 31 + Arrays.hashCode(depths)) * 31 * 31 * 31 + poolWidth * 31 * 31 + decoderWidth * 31 + embeddingDim
			+ (residual ? 1 << 30 : 0);
	}
}
