package org.softsegments.io;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.InflaterInputStream;

import org.softsegments.engine.Settings;
import org.softsegments.engine.SoftSegments;
import org.softsegments.image.PlanarImage;
import org.softsegments.linalg.SparseMatrix;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

/**
 * The segments file ({@code <name>.sss-segments}): the {@link SoftSegments} of a run, so that a
 * later run regroups them without recomputing them ({@code --keep-segments}, {@code --from-segments},
 * the Fiji command "Regroup Soft Segments").
 * <p>
 * Layout: the 16 bytes {@code "SSS-SEGMENTS v1\n"}, then a zlib stream (deflate, fastest level)
 * holding a big-endian int and that many bytes of UTF-8 JSON (the settings, sizes, fingerprint,
 * notes, counts), then the arrays, little-endian: the working image (3 float planes), the features
 * (3 float planes), the Laplacian in compressed-row form (N+1 row starts, column indices as ints,
 * values as doubles) and the C segments (doubles). Values are stored exactly, so that a regrouping
 * from the file equals one from memory bit for bit.
 */
public final class SegmentsFile {

	/** The file name suffix. */
	public static final String SUFFIX = ".sss-segments";
	private static final byte[] MAGIC = "SSS-SEGMENTS v1\n".getBytes(StandardCharsets.US_ASCII);

	private SegmentsFile() {}

	/** Writes {@code soft} to {@code file} atomically (nothing is left behind on failure). */
	public static void write(final SoftSegments soft, final Path file) throws IOException {
		OutputFiles.writeAtomically(file, out -> {
			out.write(MAGIC);
			final Deflater deflater = new Deflater(Deflater.BEST_SPEED);
			try {
				final DeflaterOutputStream z = new DeflaterOutputStream(out, deflater, 1 << 16);
				final DataOutputStream data = new DataOutputStream(z);
				final byte[] header = header(soft).toString().getBytes(StandardCharsets.UTF_8);
				data.writeInt(header.length);
				data.write(header);
				planes(data, soft.rgb());
				planes(data, soft.features());
				final SparseMatrix l = soft.laplacian();
				ints(data, l.rowStart());
				ints(data, l.columns());
				doubles(data, l.values());
				for (final double[] s : soft.segments()) doubles(data, s);
				data.flush();
				z.finish();
			}
			finally {
				deflater.end();
			}
		});
	}

	/**
	 * Reads a segments file.
	 *
	 * @throws IOException with a message naming the file when it is not a segments file, is
	 *         truncated or corrupt
	 */
	public static SoftSegments read(final Path file) throws IOException {
		try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
			final byte[] magic = in.readNBytes(MAGIC.length);
			if (!Arrays.equals(magic, MAGIC)) {
				throw new IOException(file + " is not a segments file (written with --keep-segments; it starts with \""
					+ new String(MAGIC, StandardCharsets.US_ASCII).trim() + "\")");
			}
			try (DataInputStream data = new DataInputStream(new InflaterInputStream(in))) {
				final int headerLength = data.readInt();
				if (headerLength < 2 || headerLength > 1 << 24) throw new IOException("bad header length " + headerLength);
				final JsonObject h = JsonParser.parseString(new String(data.readNBytes(headerLength), StandardCharsets.UTF_8))
					.getAsJsonObject();
				final Settings settings = new Gson().fromJson(h.get("settings"), Settings.class);
				final int w = h.get("workingWidth").getAsInt(), wh = h.get("workingHeight").getAsInt();
				final int count = h.get("segments").getAsInt();
				final long nnz = h.get("nonZeros").getAsLong();
				final long n = (long) w * wh;
				if (w < 1 || wh < 1 || n > Integer.MAX_VALUE / 8 || count < 1 || count > 10_000 || nnz < 0 || nnz > Integer.MAX_VALUE - 8) {
					throw new IOException("implausible sizes in the header");
				}
				final PlanarImage rgb = new PlanarImage(w, wh, floatPlanes(data, 3, (int) n));
				final PlanarImage features = new PlanarImage(w, wh, floatPlanes(data, 3, (int) n));
				final int[] rowStart = ints(data, (int) n + 1);
				final int[] columns = ints(data, (int) nnz);
				final double[] values = doubles(data, (int) nnz);
				checkMatrix(rowStart, columns, (int) n);
				final double[][] segments = new double[count][];
				for (int k = 0; k < count; k++) segments[k] = doubles(data, (int) n);
				final List<String> notes = new ArrayList<>();
				for (final JsonElement e : h.getAsJsonArray("notes")) notes.add(e.getAsString());
				settings.validate();
				return new SoftSegments(settings, h.get("fullWidth").getAsInt(), h.get("fullHeight").getAsInt(),
					h.get("fingerprint").getAsLong(), rgb, features, new SparseMatrix((int) n, rowStart, columns, values), segments,
					h.get("superpixels").getAsInt(), notes);
			}
		}
		catch (final EOFException e) {
			throw new IOException("Cannot read " + file + ": the segments file is truncated", e);
		}
		catch (final IOException | JsonParseException | IllegalStateException | IllegalArgumentException | NullPointerException
			| UnsupportedOperationException e)
		{
			if (e instanceof IOException && e.getMessage() != null && e.getMessage().startsWith(file.toString())) throw (IOException) e;
			throw new IOException("Cannot read " + file + ": the segments file is corrupt (" + e.getMessage() + ")", e);
		}
	}

	private static JsonObject header(final SoftSegments soft) {
		final JsonObject h = new JsonObject();
		h.add("settings", new Gson().toJsonTree(soft.settings()));
		h.addProperty("fullWidth", soft.fullWidth());
		h.addProperty("fullHeight", soft.fullHeight());
		h.addProperty("fingerprint", soft.fingerprint());
		h.addProperty("workingWidth", soft.rgb().width());
		h.addProperty("workingHeight", soft.rgb().height());
		h.addProperty("segments", soft.count());
		h.addProperty("superpixels", soft.superpixels());
		h.addProperty("nonZeros", soft.laplacian().nonZeros());
		final JsonArray notes = new JsonArray();
		for (final String note : soft.notes()) notes.add(note);
		h.add("notes", notes);
		return h;
	}

	private static void checkMatrix(final int[] rowStart, final int[] columns, final int n) throws IOException {
		if (rowStart[0] != 0 || rowStart[n] != columns.length) throw new IOException("bad row starts");
		for (int i = 0; i < n; i++) if (rowStart[i + 1] < rowStart[i]) throw new IOException("bad row starts");
		for (final int c : columns) if (c < 0 || c >= n) throw new IOException("bad column index " + c);
	}

	private static final int CHUNK = 1 << 15;

	/** Moves {@code count} values starting at {@code offset} between an array and a little-endian buffer. */
	@FunctionalInterface
	private interface Values {

		void move(ByteBuffer buffer, int offset, int count);
	}

	/** Writes {@code n} values of {@code bytes} bytes each, little-endian, a chunk at a time. */
	private static void write(final DataOutputStream out, final int n, final int bytes, final Values put) throws IOException {
		final ByteBuffer b = ByteBuffer.allocate(bytes * CHUNK).order(ByteOrder.LITTLE_ENDIAN);
		for (int s = 0; s < n; s += CHUNK) {
			final int m = Math.min(CHUNK, n - s);
			b.clear();
			put.move(b, s, m);
			out.write(b.array(), 0, bytes * m);
		}
	}

	/** Reads {@code n} values of {@code bytes} bytes each, little-endian, a chunk at a time. */
	private static void read(final DataInputStream in, final int n, final int bytes, final Values get) throws IOException {
		final byte[] buf = new byte[bytes * CHUNK];
		final ByteBuffer b = ByteBuffer.wrap(buf).order(ByteOrder.LITTLE_ENDIAN);
		for (int s = 0; s < n; s += CHUNK) {
			final int m = Math.min(CHUNK, n - s);
			in.readFully(buf, 0, bytes * m);
			b.clear();
			get.move(b, s, m);
		}
	}

	private static void planes(final DataOutputStream out, final PlanarImage image) throws IOException {
		for (int c = 0; c < 3; c++) {
			final float[] p = image.plane(c);
			write(out, p.length, 4, (b, s, m) -> b.asFloatBuffer().put(p, s, m));
		}
	}

	private static void ints(final DataOutputStream out, final int[] v) throws IOException {
		write(out, v.length, 4, (b, s, m) -> b.asIntBuffer().put(v, s, m));
	}

	private static void doubles(final DataOutputStream out, final double[] v) throws IOException {
		write(out, v.length, 8, (b, s, m) -> b.asDoubleBuffer().put(v, s, m));
	}

	private static float[][] floatPlanes(final DataInputStream in, final int channels, final int n) throws IOException {
		final float[][] out = new float[channels][n];
		for (final float[] p : out) read(in, n, 4, (b, s, m) -> b.asFloatBuffer().get(p, s, m));
		return out;
	}

	private static int[] ints(final DataInputStream in, final int n) throws IOException {
		final int[] out = new int[n];
		read(in, n, 4, (b, s, m) -> b.asIntBuffer().get(out, s, m));
		return out;
	}

	private static double[] doubles(final DataInputStream in, final int n) throws IOException {
		final double[] out = new double[n];
		read(in, n, 8, (b, s, m) -> b.asDoubleBuffer().get(out, s, m));
		return out;
	}
}
