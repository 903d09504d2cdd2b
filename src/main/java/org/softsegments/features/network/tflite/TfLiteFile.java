package org.softsegments.features.network.tflite;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A TensorFlow Lite model file read into plain Java values: the first subgraph's tensors
 * (shape, type, name, quantisation, constant data) and operators (builtin code, inputs, outputs,
 * options). Written from the published TFLite FlatBuffer schema ({@code schema.fbs}): a
 * little-endian FlatBuffer whose tables are addressed through vtables of 16-bit field offsets.
 * Only the fields the graph builder needs are read; every offset is bounds-checked, so a
 * truncated or foreign file fails with {@link IllegalArgumentException} instead of reading garbage.
 */
public final class TfLiteFile {

	/** Tensor element types of the schema (TensorType) that the builder understands. */
	public static final int FLOAT32 = 0, FLOAT16 = 1, INT32 = 2, UINT8 = 3, INT64 = 4, INT8 = 9;

	/** One tensor of the subgraph. */
	public static final class Tensor {

		public final int index;
		public final String name;
		public final int[] shape;
		public final int type;
		/** Constant contents (raw little-endian bytes) or null for activations and inputs. */
		public final ByteBuffer data;
		/** Quantisation scales (one per tensor or per channel) or null. */
		public final float[] scale;
		public final long[] zeroPoint;
		public final int quantizedDimension;

		Tensor(final int index, final String name, final int[] shape, final int type, final ByteBuffer data, final float[] scale,
			final long[] zeroPoint, final int quantizedDimension)
		{
			this.index = index;
			this.name = name;
			this.shape = shape;
			this.type = type;
			this.data = data;
			this.scale = scale;
			this.zeroPoint = zeroPoint;
			this.quantizedDimension = quantizedDimension;
		}

		/** Whether the tensor carries quantisation parameters. */
		public boolean quantized() {
			return scale != null && scale.length > 0;
		}

		/** Number of elements. */
		public long size() {
			long n = 1;
			for (final int s : shape) n *= s;
			return n;
		}

		@Override
		public String toString() {
			return name + java.util.Arrays.toString(shape) + " " + typeName(type);
		}
	}

	/** One operator: builtin code, tensor indices (−1 = absent optional input) and its options table. */
	public static final class Operator {

		public final int index;
		public final int code;
		public final int[] inputs;
		public final int[] outputs;
		final Table options;

		Operator(final int index, final int code, final int[] inputs, final int[] outputs, final Table options) {
			this.index = index;
			this.code = code;
			this.inputs = inputs;
			this.outputs = outputs;
			this.options = options;
		}

		/** A 4-byte integer field of the options table (slot number of the schema), or {@code dflt}. */
		public int intOption(final int slot, final int dflt) {
			return options == null ? dflt : options.int32(slot, dflt);
		}

		/** A 1-byte field (enum, byte or bool) of the options table, or {@code dflt}. */
		public int byteOption(final int slot, final int dflt) {
			return options == null ? dflt : options.int8(slot, dflt, false);
		}

		/** The operator's name in the schema. */
		public String name() {
			return BuiltinOps.name(code);
		}
	}

	private final Path source;
	private final List<Tensor> tensors;
	private final List<Operator> operators;
	private final int[] inputs;
	private final int[] outputs;
	private final String description;

	private TfLiteFile(final Path source, final List<Tensor> tensors, final List<Operator> operators, final int[] inputs,
		final int[] outputs, final String description)
	{
		this.source = source;
		this.tensors = tensors;
		this.operators = operators;
		this.inputs = inputs;
		this.outputs = outputs;
		this.description = description;
	}

	/**
	 * Reads a {@code .tflite} file.
	 *
	 * @throws IllegalArgumentException if the file is missing, truncated, not a TFLite FlatBuffer,
	 *           or has no subgraph
	 */
	public static TfLiteFile read(final Path file) {
		if (file == null) throw new IllegalArgumentException("TFLite model file is null");
		if (!Files.isRegularFile(file)) throw new IllegalArgumentException("TFLite model file not found: " + file.toAbsolutePath());
		final byte[] bytes;
		try {
			bytes = Files.readAllBytes(file);
		}
		catch (final IOException e) {
			throw new IllegalArgumentException("TFLite model file " + file.toAbsolutePath() + " is not readable: " + e.getMessage(), e);
		}
		return parse(bytes, file);
	}

	/** Parses the bytes of a {@code .tflite} file ({@code source} only names it in messages). */
	public static TfLiteFile parse(final byte[] bytes, final Path source) {
		final String what = "The file " + (source == null ? "(in memory)" : source.toAbsolutePath().toString());
		if (bytes.length < 8 || bytes[4] != 'T' || bytes[5] != 'F' || bytes[6] != 'L' || bytes[7] != '3') {
			throw new IllegalArgumentException(what + " is not a TensorFlow Lite model (no 'TFL3' FlatBuffer identifier at byte 4; "
				+ bytes.length + " bytes)");
		}
		try {
			return parseChecked(ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN), source);
		}
		catch (final IndexOutOfBoundsException | IllegalStateException | NegativeArraySizeException e) {
			throw new IllegalArgumentException(what + " is truncated or corrupt: a FlatBuffer offset points outside the file's " + bytes.length
				+ " bytes (" + e.getMessage() + "); copy the model file again", e);
		}
	}

	private static TfLiteFile parseChecked(final ByteBuffer buf, final Path source) {
		final Table model = Table.at(buf, buf.getInt(0));
		final List<Table> codes = model.tables(1);
		final int[] opCodes = new int[codes.size()];
		for (int i = 0; i < opCodes.length; i++) {
			final Table c = codes.get(i);
			opCodes[i] = Math.max(c.int8(0, 0, false), c.int32(3, 0));
		}
		final List<Table> subgraphs = model.tables(2);
		if (subgraphs.isEmpty()) throw new IllegalStateException("the model has no subgraph");
		final List<Table> buffers = model.tables(4);
		final String description = model.string(3);
		final Table sg = subgraphs.get(0);
		final List<Table> ts = sg.tables(0);
		final List<Tensor> tensors = new ArrayList<>(ts.size());
		for (int i = 0; i < ts.size(); i++) {
			final Table t = ts.get(i);
			final int[] shape = t.ints(0);
			final int type = t.int8(1, FLOAT32, false);
			final int bufIndex = t.int32(2, 0);
			ByteBuffer data = null;
			if (bufIndex > 0 && bufIndex < buffers.size()) {
				data = buffers.get(bufIndex).bytes(0);
				if (data != null && data.remaining() == 0) data = null;
			}
			final String name = t.string(3);
			float[] scale = null;
			long[] zero = null;
			int qdim = 0;
			final Table q = t.table(4);
			if (q != null) {
				scale = q.floats(2);
				zero = q.longs(3);
				qdim = q.int32(6, 0);
			}
			final Tensor tensor = new Tensor(i, name == null ? "tensor" + i : name, shape == null ? new int[0] : shape, type, data, scale,
				zero, qdim);
			if (data != null) {
				final long need = tensor.size() * elementBytes(type);
				if (need > 0 && data.remaining() < need) {
					throw new IllegalStateException("tensor '" + tensor.name + "' needs " + need + " bytes, its buffer has " + data.remaining());
				}
			}
			tensors.add(tensor);
		}
		final List<Table> os = sg.tables(3);
		final List<Operator> ops = new ArrayList<>(os.size());
		for (int i = 0; i < os.size(); i++) {
			final Table o = os.get(i);
			final int codeIndex = o.int32(0, 0);
			if (codeIndex < 0 || codeIndex >= opCodes.length) throw new IllegalStateException("operator " + i + " has opcode index " + codeIndex);
			final Table options = o.int8(3, 0, true) != 0 ? o.table(4) : null;
			final int[] in = o.ints(1), out = o.ints(2);
			for (final int[] idx : new int[][] { in, out }) {
				if (idx == null) continue;
				for (final int k : idx) {
					if (k < -1 || k >= tensors.size()) throw new IllegalStateException("operator " + i + " names tensor " + k);
				}
			}
			ops.add(new Operator(i, opCodes[codeIndex], in == null ? new int[0] : in, out == null ? new int[0] : out, options));
		}
		final int[] inputs = sg.ints(1), outputs = sg.ints(2);
		if (inputs == null || outputs == null) throw new IllegalStateException("the subgraph has no inputs or outputs");
		return new TfLiteFile(source, Collections.unmodifiableList(tensors), Collections.unmodifiableList(ops), inputs, outputs,
			description);
	}

	/** The file it was read from (may be null). */
	public Path source() {
		return source;
	}

	public List<Tensor> tensors() {
		return tensors;
	}

	public List<Operator> operators() {
		return operators;
	}

	/** The subgraph's input tensors. */
	public List<Tensor> inputs() {
		final List<Tensor> l = new ArrayList<>();
		for (final int i : inputs) l.add(tensors.get(i));
		return l;
	}

	/** The subgraph's output tensors. */
	public List<Tensor> outputs() {
		final List<Tensor> l = new ArrayList<>();
		for (final int i : outputs) l.add(tensors.get(i));
		return l;
	}

	/** The model's description string (may be null). */
	public String description() {
		return description;
	}

	/** The tensor of that name, or null. */
	public Tensor tensor(final String name) {
		for (final Tensor t : tensors) {
			if (t.name.equals(name)) return t;
		}
		return null;
	}

	/** The operator that writes tensor {@code index}, or null for inputs and constants. */
	public Operator producer(final int index) {
		for (final Operator o : operators) {
			for (final int k : o.outputs) {
				if (k == index) return o;
			}
		}
		return null;
	}

	/** The operators that read tensor {@code index}. */
	public List<Operator> consumers(final int index) {
		final List<Operator> l = new ArrayList<>();
		for (final Operator o : operators) {
			for (final int k : o.inputs) {
				if (k == index) {
					l.add(o);
					break;
				}
			}
		}
		return l;
	}

	/** Bytes per element of a tensor type, 0 if unknown. */
	static int elementBytes(final int type) {
		switch (type) {
			case FLOAT32:
			case INT32:
				return 4;
			case FLOAT16:
				return 2;
			case UINT8:
			case INT8:
				return 1;
			case INT64:
				return 8;
			default:
				return 0;
		}
	}

	/** The schema's name of a tensor type. */
	public static String typeName(final int type) {
		switch (type) {
			case FLOAT32:
				return "float32";
			case FLOAT16:
				return "float16";
			case INT32:
				return "int32";
			case UINT8:
				return "uint8";
			case INT64:
				return "int64";
			case INT8:
				return "int8";
			default:
				return "type " + type;
		}
	}

	/** A FlatBuffer table: position of the table and of its vtable. */
	static final class Table {

		private final ByteBuffer buf;
		private final int pos;
		private final int vtable;
		private final int vtableSize;

		private Table(final ByteBuffer buf, final int pos) {
			this.buf = buf;
			this.pos = pos;
			checkRange(pos, 4);
			vtable = pos - buf.getInt(pos);
			checkRange(vtable, 4);
			vtableSize = Short.toUnsignedInt(buf.getShort(vtable));
			checkRange(vtable, vtableSize);
		}

		static Table at(final ByteBuffer buf, final int pos) {
			return new Table(buf, pos);
		}

		private void checkRange(final int p, final int len) {
			if (p < 0 || len < 0 || (long) p + len > buf.limit()) {
				throw new IndexOutOfBoundsException("offset " + p + " + " + len + " beyond " + buf.limit());
			}
		}

		/** Absolute position of field {@code slot}, or 0 if absent. */
		private int field(final int slot) {
			final int vo = 4 + 2 * slot;
			if (vo + 2 > vtableSize) return 0;
			final int off = Short.toUnsignedInt(buf.getShort(vtable + vo));
			return off == 0 ? 0 : pos + off;
		}

		/** Position a uoffset field points to, or 0 if absent. */
		private int indirect(final int slot) {
			final int f = field(slot);
			if (f == 0) return 0;
			checkRange(f, 4);
			final int target = f + buf.getInt(f);
			checkRange(target, 4);
			return target;
		}

		/** A 1-byte field (byte, ubyte or bool in the schema; returned unsigned when {@code unsigned}). */
		int int8(final int slot, final int dflt, final boolean unsigned) {
			final int f = field(slot);
			if (f == 0) return dflt;
			checkRange(f, 1);
			return unsigned ? Byte.toUnsignedInt(buf.get(f)) : buf.get(f);
		}

		/** A 4-byte field (int or uint in the schema). */
		int int32(final int slot, final int dflt) {
			final int f = field(slot);
			if (f == 0) return dflt;
			checkRange(f, 4);
			return buf.getInt(f);
		}

		Table table(final int slot) {
			final int t = indirect(slot);
			return t == 0 ? null : new Table(buf, t);
		}

		String string(final int slot) {
			final int t = indirect(slot);
			if (t == 0) return null;
			final int n = buf.getInt(t);
			checkRange(t + 4, n);
			final byte[] b = new byte[n];
			buf.get(t + 4, b);
			return new String(b, java.nio.charset.StandardCharsets.UTF_8);
		}

		private int vectorLength(final int t, final int elementSize) {
			final int n = buf.getInt(t);
			if (n < 0) throw new IndexOutOfBoundsException("negative vector length " + n);
			checkRange(t + 4, (int) Math.min(Integer.MAX_VALUE, (long) n * elementSize));
			return n;
		}

		List<Table> tables(final int slot) {
			final int t = indirect(slot);
			if (t == 0) return Collections.emptyList();
			final int n = vectorLength(t, 4);
			final List<Table> l = new ArrayList<>(n);
			for (int i = 0; i < n; i++) {
				final int e = t + 4 + 4 * i;
				l.add(new Table(buf, e + buf.getInt(e)));
			}
			return l;
		}

		int[] ints(final int slot) {
			final int t = indirect(slot);
			if (t == 0) return null;
			final int n = vectorLength(t, 4);
			final int[] a = new int[n];
			for (int i = 0; i < n; i++) a[i] = buf.getInt(t + 4 + 4 * i);
			return a;
		}

		float[] floats(final int slot) {
			final int t = indirect(slot);
			if (t == 0) return null;
			final int n = vectorLength(t, 4);
			final float[] a = new float[n];
			for (int i = 0; i < n; i++) a[i] = buf.getFloat(t + 4 + 4 * i);
			return a;
		}

		long[] longs(final int slot) {
			final int t = indirect(slot);
			if (t == 0) return null;
			final int n = vectorLength(t, 8);
			final long[] a = new long[n];
			for (int i = 0; i < n; i++) a[i] = buf.getLong(t + 4 + 8 * i);
			return a;
		}

		ByteBuffer bytes(final int slot) {
			final int t = indirect(slot);
			if (t == 0) return null;
			final int n = vectorLength(t, 1);
			return buf.slice(t + 4, n).order(ByteOrder.LITTLE_ENDIAN);
		}
	}
}
