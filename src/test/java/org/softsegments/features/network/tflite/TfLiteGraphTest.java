package org.softsegments.features.network.tflite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.softsegments.features.network.FeatureNetwork;

import com.google.flatbuffers.FlatBufferBuilder;

/**
 * The TFLite reader and graph builder on a small synthetic model written with FlatBufferBuilder
 * (no {@code ../shared} needed): every operator's output against a plain-Java evaluation of the
 * same arithmetic (CONV_2D with per-channel int8 weights and a fused ReLU, DEPTHWISE_CONV_2D with
 * stride 2 and SAME padding, RESIZE_BILINEAR, CONCATENATION, MEAN, ADD with broadcasting), and the
 * errors of broken files, unknown tensors and unsupported operators.
 */
class TfLiteGraphTest {

	static final int H = 9, W = 10;

	@TempDir
	Path tmp;

	/** Tensors of the synthetic model: name, shape, type, constant bytes (or null), per-channel int8 scales. */
	static final class T {

		final String name;
		final int[] shape;
		final int type;
		final byte[] data;
		final float[] scale;

		T(final String name, final int[] shape, final int type, final byte[] data, final float[] scale) {
			this.name = name;
			this.shape = shape;
			this.type = type;
			this.data = data;
			this.scale = scale;
		}
	}

	// weights of the model, kept for the plain-Java evaluation
	final SplittableRandom rng = new SplittableRandom(5);
	final byte[] convQ = new byte[2 * 3 * 3 * 3];
	final float[] convScale = { 0.02f, 0.05f };
	final float[] convBias = { 0.1f, -0.2f };
	final float[] dwFilter = new float[3 * 3 * 2];
	final float[] dwBias = { 0.05f, 0.3f };

	/** Builds the model: image → conv (int8, ReLU) → depthwise /2 → resize ×2 → concat with conv → + spatial mean → arg max. */
	byte[] model() {
		for (int i = 0; i < convQ.length; i++) convQ[i] = (byte) (rng.nextInt(255) - 127);
		for (int i = 0; i < dwFilter.length; i++) dwFilter[i] = (float) rng.nextDouble(-1, 1);
		final List<T> t = new ArrayList<>();
		t.add(new T("image", new int[] { 1, H, W, 3 }, TfLiteFile.FLOAT32, null, null)); // 0
		t.add(new T("conv/filter", new int[] { 2, 3, 3, 3 }, TfLiteFile.INT8, convQ, convScale)); // 1
		t.add(new T("conv/bias", new int[] { 2 }, TfLiteFile.FLOAT32, floats(convBias), null)); // 2
		t.add(new T("conv", new int[] { 1, H, W, 2 }, TfLiteFile.FLOAT32, null, null)); // 3
		t.add(new T("dw/filter", new int[] { 1, 3, 3, 2 }, TfLiteFile.FLOAT32, floats(dwFilter), null)); // 4
		t.add(new T("dw/bias", new int[] { 2 }, TfLiteFile.FLOAT32, floats(dwBias), null)); // 5
		t.add(new T("dw", new int[] { 1, 5, 5, 2 }, TfLiteFile.FLOAT32, null, null)); // 6
		t.add(new T("size", new int[] { 2 }, TfLiteFile.INT32, ints(H, W), null)); // 7
		t.add(new T("up", new int[] { 1, H, W, 2 }, TfLiteFile.FLOAT32, null, null)); // 8
		t.add(new T("cat", new int[] { 1, H, W, 4 }, TfLiteFile.FLOAT32, null, null)); // 9
		t.add(new T("axes", new int[] { 2 }, TfLiteFile.INT32, ints(1, 2), null)); // 10
		t.add(new T("mean", new int[] { 1, 1, 1, 4 }, TfLiteFile.FLOAT32, null, null)); // 11
		t.add(new T("sum", new int[] { 1, H, W, 4 }, TfLiteFile.FLOAT32, null, null)); // 12
		t.add(new T("axis", new int[] { 1 }, TfLiteFile.INT32, ints(3), null)); // 13
		t.add(new T("classes", new int[] { 1, H, W }, TfLiteFile.INT64, null, null)); // 14

		final FlatBufferBuilder b = new FlatBufferBuilder(4096);
		b.forceDefaults(true);
		// buffers: 0 is the empty buffer, then one per constant
		final List<Integer> buffers = new ArrayList<>();
		b.startTable(1);
		buffers.add(b.endTable());
		final int[] bufferOf = new int[t.size()];
		for (int i = 0; i < t.size(); i++) {
			if (t.get(i).data == null) continue;
			final int v = b.createByteVector(t.get(i).data);
			b.startTable(1);
			b.addOffset(0, v, 0);
			bufferOf[i] = buffers.size();
			buffers.add(b.endTable());
		}
		final int[] tensors = new int[t.size()];
		for (int i = 0; i < t.size(); i++) {
			final T x = t.get(i);
			final int name = b.createString(x.name);
			final int shape = intVector(b, x.shape);
			int quant = 0;
			if (x.scale != null) {
				b.startVector(4, x.scale.length, 4);
				for (int k = x.scale.length - 1; k >= 0; k--) b.addFloat(x.scale[k]);
				final int sc = b.endVector();
				b.startVector(8, x.scale.length, 8);
				for (int k = x.scale.length - 1; k >= 0; k--) b.addLong(0);
				final int zp = b.endVector();
				b.startTable(7);
				b.addOffset(2, sc, 0);
				b.addOffset(3, zp, 0);
				b.addInt(6, 0, 0);
				quant = b.endTable();
			}
			b.startTable(8);
			b.addOffset(0, shape, 0);
			b.addByte(1, (byte) x.type, 0);
			b.addInt(2, bufferOf[i], 0);
			b.addOffset(3, name, 0);
			if (quant != 0) b.addOffset(4, quant, 0);
			tensors[i] = b.endTable();
		}
		final int[] codes = { BuiltinOps.CONV_2D, BuiltinOps.DEPTHWISE_CONV_2D, BuiltinOps.RESIZE_BILINEAR, BuiltinOps.CONCATENATION,
			BuiltinOps.MEAN, BuiltinOps.ADD, BuiltinOps.ARG_MAX };
		final int[] opCodes = new int[codes.length];
		for (int i = 0; i < codes.length; i++) {
			b.startTable(4);
			b.addByte(0, (byte) Math.min(codes[i], 127), 0);
			b.addInt(3, codes[i], 0);
			opCodes[i] = b.endTable();
		}
		final List<Integer> ops = new ArrayList<>();
		// CONV_2D: SAME, stride 1×1, ReLU, dilation 1
		ops.add(op(b, 0, new int[] { 0, 1, 2 }, new int[] { 3 }, options(b, new int[][] { { 0, 0, 1 }, { 1, 1, 4 }, { 2, 1, 4 }, { 3, 1,
			1 }, { 4, 1, 4 }, { 5, 1, 4 } })));
		// DEPTHWISE_CONV_2D: SAME, stride 2, multiplier 1, no activation
		ops.add(op(b, 1, new int[] { 3, 4, 5 }, new int[] { 6 }, options(b, new int[][] { { 0, 0, 1 }, { 1, 2, 4 }, { 2, 2, 4 }, { 3, 1,
			4 }, { 4, 0, 1 }, { 5, 1, 4 }, { 6, 1, 4 } })));
		// RESIZE_BILINEAR: align_corners false, half_pixel_centers false
		ops.add(op(b, 2, new int[] { 6, 7 }, new int[] { 8 }, options(b, new int[][] { { 2, 0, 1 }, { 3, 0, 1 } })));
		// CONCATENATION on axis 3
		ops.add(op(b, 3, new int[] { 3, 8 }, new int[] { 9 }, options(b, new int[][] { { 0, 3, 4 }, { 1, 0, 1 } })));
		// MEAN over axes 1, 2 keeping dimensions
		ops.add(op(b, 4, new int[] { 9, 10 }, new int[] { 11 }, options(b, new int[][] { { 0, 1, 1 } })));
		// ADD with broadcasting
		ops.add(op(b, 5, new int[] { 9, 11 }, new int[] { 12 }, options(b, new int[][] { { 0, 0, 1 } })));
		// ARG_MAX (not supported by the builder)
		ops.add(op(b, 6, new int[] { 12, 13 }, new int[] { 14 }, 0));
		final int tensorVec = b.createVectorOfTables(tensors);
		final int inputs = intVector(b, new int[] { 0 });
		final int outputs = intVector(b, new int[] { 14 });
		final int opVec = b.createVectorOfTables(ops.stream().mapToInt(Integer::intValue).toArray());
		b.startTable(5);
		b.addOffset(0, tensorVec, 0);
		b.addOffset(1, inputs, 0);
		b.addOffset(2, outputs, 0);
		b.addOffset(3, opVec, 0);
		final int sg = b.endTable();
		final int codeVec = b.createVectorOfTables(opCodes);
		final int sgVec = b.createVectorOfTables(new int[] { sg });
		final int bufVec = b.createVectorOfTables(buffers.stream().mapToInt(Integer::intValue).toArray());
		b.startTable(5);
		b.addInt(0, 3, 0);
		b.addOffset(1, codeVec, 0);
		b.addOffset(2, sgVec, 0);
		b.addOffset(4, bufVec, 0);
		b.finish(b.endTable(), "TFL3");
		return b.sizedByteArray();
	}

	/** An options table from {slot, value, bytes (1 or 4)} triples. */
	private static int options(final FlatBufferBuilder b, final int[][] fields) {
		b.startTable(8);
		for (final int[] f : fields) {
			if (f[2] == 1) b.addByte(f[0], (byte) f[1], 0);
			else b.addInt(f[0], f[1], 0);
		}
		return b.endTable();
	}

	private static int op(final FlatBufferBuilder b, final int code, final int[] in, final int[] out, final int options) {
		final int i = intVector(b, in), o = intVector(b, out);
		b.startTable(5);
		b.addInt(0, code, 0);
		b.addOffset(1, i, 0);
		b.addOffset(2, o, 0);
		if (options != 0) {
			b.addByte(3, (byte) 1, 0);
			b.addOffset(4, options, 0);
		}
		return b.endTable();
	}

	private static int intVector(final FlatBufferBuilder b, final int[] v) {
		b.startVector(4, v.length, 4);
		for (int k = v.length - 1; k >= 0; k--) b.addInt(v[k]);
		return b.endVector();
	}

	private static byte[] floats(final float[] v) {
		final ByteBuffer bb = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
		for (final float f : v) bb.putFloat(f);
		return bb.array();
	}

	private static byte[] ints(final int... v) {
		final ByteBuffer bb = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
		for (final int f : v) bb.putInt(f);
		return bb.array();
	}

	@Test
	void everyOperatorAgreesWithAPlainJavaEvaluation() {
		final TfLiteFile f = TfLiteFile.parse(model(), null);
		assertEquals(15, f.tensors().size());
		assertEquals(7, f.operators().size());
		final float[] in = new float[H * W * 3];
		for (int i = 0; i < in.length; i++) in[i] = (float) rng.nextDouble(-1, 1);

		// plain Java: conv with dequantised per-channel weights, SAME padding, ReLU
		final float[] conv = new float[H * W * 2];
		for (int y = 0; y < H; y++) for (int x = 0; x < W; x++) for (int o = 0; o < 2; o++) {
			double s = convBias[o];
			for (int ky = 0; ky < 3; ky++) for (int kx = 0; kx < 3; kx++) for (int i = 0; i < 3; i++) {
				final int sy = y + ky - 1, sx = x + kx - 1;
				if (sy < 0 || sy >= H || sx < 0 || sx >= W) continue;
				s += in[(sy * W + sx) * 3 + i] * convScale[o] * convQ[((o * 3 + ky) * 3 + kx) * 3 + i];
			}
			conv[(y * W + x) * 2 + o] = (float) Math.max(0, s);
		}
		// depthwise, stride 2, SAME: output 5×5, padding before = 1 row (total 2), 0 columns (total 1)
		final float[] dw = new float[5 * 5 * 2];
		for (int y = 0; y < 5; y++) for (int x = 0; x < 5; x++) for (int c = 0; c < 2; c++) {
			double s = dwBias[c];
			for (int ky = 0; ky < 3; ky++) for (int kx = 0; kx < 3; kx++) {
				final int sy = 2 * y + ky - 1, sx = 2 * x + kx;
				if (sy < 0 || sy >= H || sx < 0 || sx >= W) continue;
				s += conv[(sy * W + sx) * 2 + c] * dwFilter[(ky * 3 + kx) * 2 + c];
			}
			dw[(y * 5 + x) * 2 + c] = (float) s;
		}
		// bilinear 5×5 → 9×10, legacy convention (src = dst · in/out, clamped neighbour)
		final float[] up = new float[H * W * 2];
		for (int y = 0; y < H; y++) for (int x = 0; x < W; x++) for (int c = 0; c < 2; c++) {
			final double sy = y * 5.0 / H, sx = x * 5.0 / W;
			final int y0 = (int) sy, x0 = (int) sx, y1 = Math.min(y0 + 1, 4), x1 = Math.min(x0 + 1, 4);
			final double fy = sy - y0, fx = sx - x0;
			final double top = dw[(y0 * 5 + x0) * 2 + c] * (1 - fx) + dw[(y0 * 5 + x1) * 2 + c] * fx;
			final double bot = dw[(y1 * 5 + x0) * 2 + c] * (1 - fx) + dw[(y1 * 5 + x1) * 2 + c] * fx;
			up[(y * W + x) * 2 + c] = (float) (top * (1 - fy) + bot * fy);
		}
		final float[] cat = new float[H * W * 4];
		final double[] mean = new double[4];
		for (int p = 0; p < H * W; p++) for (int c = 0; c < 4; c++) {
			cat[p * 4 + c] = c < 2 ? conv[p * 2 + c] : up[p * 2 + c - 2];
			mean[c] += cat[p * 4 + c] / (H * W);
		}
		final float[] sum = new float[H * W * 4];
		for (int p = 0; p < H * W; p++) for (int c = 0; c < 4; c++) sum[p * 4 + c] = (float) (cat[p * 4 + c] + mean[c]);

		try (TfLiteGraph g = TfLiteGraph.build(f, List.of("conv", "dw", "up", "cat", "mean", "sum"))) {
			final float[][] out = g.run(in);
			assertClose(conv, out[0], "conv");
			assertClose(dw, out[1], "dw");
			assertClose(up, out[2], "up");
			assertClose(cat, out[3], "cat");
			final float[] m = new float[4];
			for (int c = 0; c < 4; c++) m[c] = (float) mean[c];
			assertClose(m, out[4], "mean");
			assertClose(sum, out[5], "sum");
		}
	}

	private static void assertClose(final float[] expected, final float[] actual, final String what) {
		assertEquals(expected.length, actual.length, what + " size");
		double max = 0, norm = 0;
		for (int i = 0; i < expected.length; i++) {
			max = Math.max(max, Math.abs(expected[i] - actual[i]));
			norm = Math.max(norm, Math.abs(expected[i]));
		}
		assertTrue(norm > 0.1, what + " should not be trivially zero");
		assertTrue(max < 1e-5 * Math.max(1, norm), what + " differs by up to " + max);
	}

	@Test
	void unsupportedOperatorsAndUnknownTensorsAreNamed() {
		final TfLiteFile f = TfLiteFile.parse(model(), Path.of("tiny.tflite"));
		final IllegalArgumentException op = assertThrows(IllegalArgumentException.class, () -> TfLiteGraph.build(f, List.of("classes")));
		assertTrue(op.getMessage().contains("uses the operator ARG_MAX") && op.getMessage().contains("supported operators: ADD"), op
			.getMessage());
		final IllegalArgumentException name = assertThrows(IllegalArgumentException.class, () -> TfLiteGraph.build(f, List.of("features")));
		assertTrue(name.getMessage().contains("no tensor 'features'") && name.getMessage().contains("sum [1, 9, 10, 4]"), name.getMessage());
	}

	@Test
	void truncatedAndForeignFilesFailWithAClearMessage() {
		final byte[] good = model();
		// every truncation either fails as truncated/corrupt or not-TFLite, never with another exception
		for (int n = 0; n < good.length; n += Math.max(1, good.length / 97)) {
			final byte[] cut = Arrays.copyOf(good, n);
			final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TfLiteGraph.build(TfLiteFile.parse(cut,
				null), List.of("sum")), "truncated to " + n + " bytes");
			assertTrue(e.getMessage().contains("truncated or corrupt") || e.getMessage().contains("not a TensorFlow Lite model")
				|| e.getMessage().contains("no tensor") || e.getMessage().contains("neither computed"), n + " bytes: " + e.getMessage());
		}
		final byte[] png = { (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0 };
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TfLiteFile.parse(png, Path.of("x.tflite")));
		assertTrue(e.getMessage().contains("is not a TensorFlow Lite model"), e.getMessage());
	}

	@Test
	void featureNetworkLoadsTheFileWithACardBesideIt() throws Exception {
		final Path file = tmp.resolve("tiny.tflite");
		Files.write(file, model());
		// without a card the output (ARG_MAX class ids) cannot serve as features: the message says so
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FeatureNetwork.load(file));
		assertTrue(e.getMessage().contains("'classes'"), e.getMessage());
		Files.writeString(tmp.resolve("tiny.json"), "{\"output\": {\"name\": \"sum\"}, \"feed\": \"pad\"}");
		try (FeatureNetwork net = FeatureNetwork.load(file)) {
			assertEquals(4, net.channels());
			assertEquals("tiny", net.card().name());
			final org.softsegments.image.PlanarImage rgb = new org.softsegments.image.PlanarImage(23, 17, new float[][] { new float[23 * 17],
				new float[23 * 17], new float[23 * 17] });
			final org.softsegments.image.PlanarImage out = net.features(rgb);
			assertEquals(23, out.width());
			assertEquals(17, out.height());
			assertEquals(4, out.channels());
		}
		Files.writeString(tmp.resolve("tiny.json"), "{\"output\": {\"name\": \"sum\", \"channels\": 8}}");
		final IllegalArgumentException d = assertThrows(IllegalArgumentException.class, () -> FeatureNetwork.load(file));
		assertTrue(d.getMessage().contains("fix \"output\".\"channels\""), d.getMessage());
	}
}
