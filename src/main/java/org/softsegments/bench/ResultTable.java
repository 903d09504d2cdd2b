package org.softsegments.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The benchmark's rows (one per case × method) as string maps, and their CSV form (RFC 4180:
 * comma separated, fields with commas, quotes or line breaks quoted, a header line). Columns
 * come in a fixed canonical order ({@link #COLUMNS}) followed by any others (e.g. the
 * per-trimap columns) in order of first appearance.
 */
public final class ResultTable {

	/** Canonical leading columns. */
	public static final List<String> COLUMNS = List.of("source", "case", "kind", "method", "status", "features",
		"orig_width", "orig_height", "scale", "width", "height", "pixels", "layers", "t_features", "t_superpixels",
		"t_affinities", "t_eigenvectors", "t_initial_clusters", "t_constrained_sparsification", "t_grouping",
		"t_relaxed_sparsification", "t_total", "peak_heap_mb", "peak_rss_mb", "sad_k", "mse", "subset", "single_layer",
		"single_sad_k", "single_mse", "instances", "mean_iou", "iou_above_050", "iou_above_075", "sum_err_max",
		"sum_err_mean", "out_of_range", "sparsity", "nonempty_layers");

	private ResultTable() {}

	/** Column names of {@code rows}: canonical ones present, then the rest in first-seen order. */
	public static List<String> columns(final List<Map<String, String>> rows) {
		final Set<String> seen = new LinkedHashSet<>();
		for (final Map<String, String> r : rows) seen.addAll(r.keySet());
		final List<String> out = new ArrayList<>();
		for (final String c : COLUMNS) if (seen.remove(c)) out.add(c);
		final List<String> rest = new ArrayList<>(seen);
		rest.remove("notes");
		out.addAll(rest);
		if (seen.contains("notes")) out.add("notes");
		return out;
	}

	/** Writes {@code rows} as CSV (atomically: a temporary file renamed when complete). */
	public static void write(final List<Map<String, String>> rows, final Path file) throws IOException {
		final List<String> cols = columns(rows);
		final StringBuilder sb = new StringBuilder();
		line(sb, cols);
		for (final Map<String, String> r : rows) {
			final List<String> v = new ArrayList<>();
			for (final String c : cols) v.add(r.getOrDefault(c, ""));
			line(sb, v);
		}
		final Path abs = file.toAbsolutePath();
		Files.createDirectories(abs.getParent());
		final Path tmp = Files.createTempFile(abs.getParent(), "." + file.getFileName(), ".part");
		try {
			Files.writeString(tmp, sb, StandardCharsets.UTF_8);
			Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		}
		finally {
			Files.deleteIfExists(tmp);
		}
	}

	private static void line(final StringBuilder sb, final List<String> fields) {
		for (int i = 0; i < fields.size(); i++) {
			if (i > 0) sb.append(',');
			final String f = fields.get(i);
			if (f.indexOf(',') >= 0 || f.indexOf('"') >= 0 || f.indexOf('\n') >= 0 || f.indexOf('\r') >= 0) {
				sb.append('"').append(f.replace("\"", "\"\"")).append('"');
			}
			else {
				sb.append(f);
			}
		}
		sb.append('\n');
	}

	/**
	 * Reads a CSV written by {@link #write}.
	 *
	 * @throws IllegalArgumentException if a row has another number of fields than the header
	 */
	public static List<Map<String, String>> read(final Path file) throws IOException {
		final List<List<String>> records = parse(Files.readString(file, StandardCharsets.UTF_8));
		final List<Map<String, String>> rows = new ArrayList<>();
		if (records.isEmpty()) return rows;
		final List<String> head = records.get(0);
		for (int i = 1; i < records.size(); i++) {
			final List<String> rec = records.get(i);
			if (rec.size() != head.size()) {
				throw new IllegalArgumentException(file + " line " + (i + 1) + ": " + rec.size() + " fields, header has " +
					head.size());
			}
			final Map<String, String> row = new LinkedHashMap<>();
			for (int c = 0; c < head.size(); c++) row.put(head.get(c), rec.get(c));
			rows.add(row);
		}
		return rows;
	}

	/** Splits CSV text into records of fields (quoted fields may hold commas, quotes, newlines). */
	static List<List<String>> parse(final String text) {
		final List<List<String>> out = new ArrayList<>();
		List<String> rec = new ArrayList<>();
		final StringBuilder f = new StringBuilder();
		boolean quoted = false, any = false;
		for (int i = 0; i < text.length(); i++) {
			final char c = text.charAt(i);
			if (quoted) {
				if (c == '"') {
					if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
						f.append('"');
						i++;
					}
					else {
						quoted = false;
					}
				}
				else {
					f.append(c);
				}
				continue;
			}
			if (c == '"') {
				quoted = true;
				any = true;
			}
			else if (c == ',') {
				rec.add(f.toString());
				f.setLength(0);
				any = true;
			}
			else if (c == '\n' || c == '\r') {
				if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') i++;
				if (any || f.length() > 0) {
					rec.add(f.toString());
					out.add(rec);
				}
				rec = new ArrayList<>();
				f.setLength(0);
				any = false;
			}
			else {
				f.append(c);
				any = true;
			}
		}
		if (any || f.length() > 0) {
			rec.add(f.toString());
			out.add(rec);
		}
		return out;
	}
}
