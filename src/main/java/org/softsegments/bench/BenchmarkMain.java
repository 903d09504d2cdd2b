package org.softsegments.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.softsegments.core.Progress;
import org.softsegments.engine.SegmentationResult;
import org.softsegments.engine.Settings;
import org.softsegments.eval.InstanceScores;
import org.softsegments.eval.LayerHealth;
import org.softsegments.eval.LayerVisualization;
import org.softsegments.eval.MattingScores;
import org.softsegments.image.PlanarImage;
import org.softsegments.sparsify.LayerCleanup;

/**
 * The quality and speed benchmark (issue 3): runs the methods ({@link Method}) on folders of
 * cases ({@link BenchCase}) and writes a results folder:
 * <ul>
 * <li>{@code results.csv}: one row per case × method (columns in {@link ResultTable});</li>
 * <li>{@code summary.md}: tables of the means per method and per case ({@link Report});</li>
 * <li>{@code plots/*.png}: SAD / IoU per case, time per stage, total time and memory;</li>
 * <li>{@code contact-sheets/<case>.png}: input, truth, and per method the colour visualisation,
 * each layer and the best-subset matte next to the truth;</li>
 * <li>{@code run-info.txt}: command, machine, date; {@code work/}: per-run rows and sheet rows.</li>
 * </ul>
 * The report is rewritten after every case, so an interrupted run leaves valid partial results.
 * Usage: {@link BenchmarkOptions#USAGE}.
 */
public final class BenchmarkMain {

	private BenchmarkMain() {}

	public static void main(final String[] args) throws IOException, InterruptedException {
		System.setProperty("java.awt.headless", "true");
		final BenchmarkOptions o;
		try {
			o = BenchmarkOptions.parse(args);
		}
		catch (final IllegalArgumentException e) {
			System.err.println("Error: " + e.getMessage());
			System.err.println(BenchmarkOptions.USAGE);
			System.exit(2);
			return;
		}
		try {
			run(o);
		}
		catch (final IllegalArgumentException e) {
			System.err.println("Error: " + e.getMessage());
			System.exit(2);
		}
	}

	/** The cases of the options' sources, in order, with their name lists and limits applied. */
	public static List<BenchCase> cases(final BenchmarkOptions o) throws IOException {
		final List<BenchCase> cases = new ArrayList<>();
		for (final BenchmarkOptions.Source s : o.sources) {
			final List<BenchCase> found = new ArrayList<>(BenchCase.discover(s.dir()));
			if (s.names() != null) {
				found.removeIf(c -> !s.names().contains(c.name()));
				if (found.isEmpty()) {
					throw new IllegalArgumentException("None of the listed case names is a case in " + s.dir());
				}
			}
			cases.addAll(found.subList(0, Math.min(found.size(), Math.min(s.limit(), o.limit))));
		}
		return cases;
	}

	/** Runs the benchmark described by {@code o}; returns the rows written. */
	public static List<Map<String, String>> run(final BenchmarkOptions o) throws IOException, InterruptedException {
		final Path out = o.out;
		if (o.reportOnly) {
			final List<Map<String, String>> rows = ResultTable.read(out.resolve("results.csv"));
			Report.write(out, rows, readInfo(out));
			return rows;
		}
		final List<BenchCase> cases = cases(o);
		if (o.unit != null) {
			runWorker(o, cases);
			return List.of();
		}
		Files.createDirectories(out);
		final List<String> info = info(o, cases);
		if (o.resume && Files.isRegularFile(out.resolve("run-info.txt"))) {
			final List<String> before = new ArrayList<>(readInfo(out));
			before.add("Resumed: " + info.get(0).replaceFirst("^Command: ", "") + " (" + info.get(1) + "; " + info.get(2) +
				")");
			info.clear();
			info.addAll(before);
		}
		Files.write(out.resolve("run-info.txt"), info);
		final Map<String, Map<String, String>> imported = imported(o.imports);
		final long start = System.nanoTime();
		final List<Map<String, String>> rows = new ArrayList<>();
		int done = 0;
		for (final BenchCase c : cases) {
			final Path work = out.resolve("work").resolve(c.id());
			Files.createDirectories(work);
			final BenchCase.Loaded data = c.load(o.scale);
			final List<Path> sheetRows = new ArrayList<>();
			final Path header = work.resolve("0-input.png");
			Charts.writePng(ContactSheet.row(headerText(data), headerTiles(data)), header);
			sheetRows.add(header);
			int index = 1;
			for (final Method m : o.methods) {
				final double minutes = (System.nanoTime() - start) * 1e-9 / 60;
				final Path rowFile = work.resolve(m.key + ".csv");
				final Path sheetRow = work.resolve(index++ + "-" + m.key + ".png");
				Map<String, String> previous = o.resume ? previousRow(rowFile) : null;
				final Map<String, String> earlier = imported.get(unitKey(baseRow(data, m)));
				if (previous == null && earlier != null) {
					previous = new LinkedHashMap<>(earlier);
					ResultTable.write(List.of(previous), rowFile); // so that a later --resume keeps it
					Files.deleteIfExists(sheetRow);
				}
				else if (previous == null) {
					Files.deleteIfExists(rowFile);
					Files.deleteIfExists(sheetRow);
				}
				Map<String, String> row;
				if (previous != null) {
					row = previous;
					renumberSheetRow(work, m, sheetRow);
				}
				else if (minutes > o.maxMinutes) {
					row = baseRow(data, m);
					row.put("status", "skipped: time budget of " + o.maxMinutes + " min used up");
				}
				else if (m.needsFeatures() && data.features() == null) {
					row = baseRow(data, m);
					row.put("status", "skipped: no feature image");
				}
				else {
					System.err.printf(Locale.ROOT, "[%6.1f min] %s %s (%d×%d)%n", minutes, c.id(), m.key, data.width(),
						data.height());
					if (o.isolate) row = runChild(o, c, m, rowFile);
					else row = runUnit(o, data, m, work, sheetRow);
				}
				rows.add(row);
				if (Files.isRegularFile(sheetRow)) sheetRows.add(sheetRow);
				System.err.println("    -> " + brief(row));
			}
			ContactSheet.stitch(sheetRows, out.resolve("contact-sheets").resolve(c.id() + ".png"));
			Report.write(out, rows, info);
			done++;
			System.err.printf(Locale.ROOT, "[%6.1f min] %d/%d cases done%n", (System.nanoTime() - start) * 1e-9 / 60, done,
				cases.size());
		}
		return rows;
	}

	/**
	 * The successful rows of earlier results files ({@code --import}), by {@link #unitKey}; a later
	 * file's row replaces an earlier one's.
	 */
	static Map<String, Map<String, String>> imported(final List<Path> files) throws IOException {
		final Map<String, Map<String, String>> out = new LinkedHashMap<>();
		for (final Path f : files) {
			for (final Map<String, String> r : ResultTable.read(f)) if ("ok".equals(r.get("status"))) out.put(unitKey(r), r);
		}
		return out;
	}

	/** What identifies one run: source, case, method and the size it ran at. */
	static String unitKey(final Map<String, String> row) {
		return String.join("|", row.get("source"), row.get("case"), row.get("method"), row.get("width"),
			row.get("height"));
	}

	/**
	 * A reused run's contact-sheet row was numbered by its position in the earlier run's method
	 * list: renames it to {@code sheetRow} (this run's position) so that the sheet keeps it.
	 */
	private static void renumberSheetRow(final Path work, final Method m, final Path sheetRow) throws IOException {
		if (Files.isRegularFile(sheetRow)) return;
		try (java.util.stream.Stream<Path> files = Files.list(work)) {
			final Path earlier = files.filter(f -> f.getFileName().toString().matches("\\d+-" +
				java.util.regex.Pattern.quote(m.key) + "\\.png")).findFirst().orElse(null);
			if (earlier != null) Files.move(earlier, sheetRow);
		}
	}

	/** The successful row of an earlier run in {@code rowFile}, or null. */
	private static Map<String, String> previousRow(final Path rowFile) throws IOException {
		if (!Files.isRegularFile(rowFile)) return null;
		final List<Map<String, String>> r = ResultTable.read(rowFile);
		return r.size() == 1 && "ok".equals(r.get(0).get("status")) ? new LinkedHashMap<>(r.get(0)) : null;
	}

	/** Worker mode ({@code --unit ID:METHOD}): runs one case × method, writes its row and sheet row. */
	private static void runWorker(final BenchmarkOptions o, final List<BenchCase> cases) throws IOException {
		final int colon = o.unit.lastIndexOf(':');
		if (colon <= 0) throw new IllegalArgumentException("--unit expects CASE_ID:METHOD, got " + o.unit);
		final String id = o.unit.substring(0, colon);
		final Method m = Method.of(o.unit.substring(colon + 1));
		final BenchCase c = cases.stream().filter(x -> x.id().equals(id)).findFirst()
			.orElseThrow(() -> new IllegalArgumentException("No case with id " + id));
		final Path work = o.out.resolve("work").resolve(c.id());
		final int index = o.methods.indexOf(m) + 1;
		runUnit(o, c.load(o.scale), m, work, work.resolve(index + "-" + m.key + ".png"));
	}

	/** Runs one case × method in a child JVM with this JVM's options and class path. */
	private static Map<String, String> runChild(final BenchmarkOptions o, final BenchCase c, final Method m,
		final Path rowFile) throws IOException, InterruptedException
	{
		final List<String> cmd = new ArrayList<>();
		cmd.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java")
			.toString()));
		cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
		cmd.add("-cp");
		cmd.add(System.getProperty("java.class.path"));
		cmd.add(BenchmarkMain.class.getName());
		for (final String a : o.args) if (!a.equals("--isolate")) cmd.add(a);
		cmd.add("--unit");
		cmd.add(c.id() + ":" + m.key);
		final Process p = new ProcessBuilder(cmd).inheritIO().start();
		final int code = p.waitFor();
		if (Files.isRegularFile(rowFile)) {
			final List<Map<String, String>> r = ResultTable.read(rowFile);
			if (r.size() == 1) return new LinkedHashMap<>(r.get(0));
		}
		final Map<String, String> row = baseRow(c.load(o.scale), m);
		row.put("status", "error: worker JVM exited with code " + code + " without a result");
		return row;
	}

	/**
	 * Runs one case × method in this JVM, evaluates it, writes the row to
	 * {@code work/<method>.csv} and the contact-sheet row to {@code sheetRow}.
	 */
	static Map<String, String> runUnit(final BenchmarkOptions o, final BenchCase.Loaded data, final Method m,
		final Path work, final Path sheetRow) throws IOException
	{
		final Map<String, String> row = baseRow(data, m);
		try {
			final boolean rssReset = MemoryProbe.resetPeaks();
			final SegmentationResult r = m.run(data.image(), m.needsFeatures() ? data.features() : null, o.settings,
				o.spectral, o.quiet ? Progress.NONE : progress(data.source().id() + " " + m.key));
			row.put("peak_heap_mb", fmt("%.0f", MemoryProbe.peakHeapBytes() / 1048576.0));
			final long rss = MemoryProbe.peakRssBytes();
			row.put("peak_rss_mb", rss < 0 ? "" : fmt("%.0f", rss / 1048576.0));
			if (!rssReset) row.put("rss_scope", "process");
			evaluate(data, m, r, row, sheetRow);
			if (m.mode != Settings.Mode.FAST) evaluateCleaned(data, r.layers(), o.settings.cleanupThreshold, row);
		}
		catch (final RuntimeException | OutOfMemoryError e) {
			row.put("status", "error: " + e.getClass().getSimpleName() + ": " + e.getMessage());
			e.printStackTrace();
		}
		ResultTable.write(List.of(row), work.resolve(m.key + ".csv"));
		return row;
	}

	/** The identifying columns of a row. */
	static Map<String, String> baseRow(final BenchCase.Loaded data, final Method m) {
		final Map<String, String> row = new LinkedHashMap<>();
		final BenchCase c = data.source();
		row.put("source", c.source());
		row.put("case", c.name());
		row.put("kind", c.kind().toString());
		row.put("method", m.key);
		row.put("status", "ok");
		row.put("features", m.needsFeatures() && c.features() != null ? c.features().getFileName().toString() : "none");
		row.put("orig_width", Integer.toString(data.originalWidth()));
		row.put("orig_height", Integer.toString(data.originalHeight()));
		row.put("scale", fmt("%.4g", data.width() / (double) data.originalWidth()));
		row.put("width", Integer.toString(data.width()));
		row.put("height", Integer.toString(data.height()));
		row.put("pixels", Integer.toString(data.width() * data.height()));
		return row;
	}

	/**
	 * Diagnostic columns {@code cleaned_sad_k}, {@code cleaned_mse} (mattes) or
	 * {@code cleaned_mean_iou} (instances): the scores of the method's layers after the fast path's
	 * {@link LayerCleanup} with threshold τ, for methods whose output the engine does not clean
	 * (reference path, spectral matting), so that how much of a difference is that clean-up can be
	 * read off one run.
	 */
	private static void evaluateCleaned(final BenchCase.Loaded data, final PlanarImage layers, final double threshold,
		final Map<String, String> row)
	{
		final PlanarImage cleaned = LayerCleanup.softThreshold(layers, threshold);
		if (data.alpha() != null) {
			final MattingScores.Result s = MattingScores.evaluate(cleaned, data.alpha(), data.trimaps());
			row.put("cleaned_sad_k", fmt("%.4f", s.sad() / 1000));
			row.put("cleaned_mse", fmt("%.6f", s.mse()));
		}
		else {
			row.put("cleaned_mean_iou", fmt("%.4f", InstanceScores.evaluate(cleaned, data.labels()).meanIoU()));
		}
	}

	/** Quality and health columns, and the method's contact-sheet row. */
	private static void evaluate(final BenchCase.Loaded data, final Method m, final SegmentationResult r,
		final Map<String, String> row, final Path sheetRow) throws IOException
	{
		final PlanarImage layers = r.layers();
		final int w = data.width(), h = data.height();
		row.put("layers", Integer.toString(layers.channels()));
		for (final Map.Entry<String, Double> e : r.stageSeconds().entrySet()) {
			row.put("t_" + e.getKey().replace(' ', '_'), fmt("%.3f", e.getValue()));
		}
		final List<String> text = new ArrayList<>();
		text.add(m.key);
		final List<ContactSheet.Tile> tiles = new ArrayList<>();
		tiles.add(new ContactSheet.Tile("layers (colour)", LayerVisualization.composite(layers)));
		for (int k = 0; k < layers.channels(); k++) {
			tiles.add(new ContactSheet.Tile("layer " + (k + 1), new PlanarImage(w, h, new float[][] { layers.plane(k) })));
		}
		if (data.alpha() != null) {
			final MattingScores.Result s = MattingScores.evaluate(layers, data.alpha(), data.trimaps());
			row.put("sad_k", fmt("%.4f", s.sad() / 1000));
			row.put("mse", fmt("%.6f", s.mse()));
			row.put("subset", subset(s.subset()));
			row.put("single_layer", Integer.toString(s.singleLayer() + 1));
			row.put("single_sad_k", fmt("%.4f", s.singleSad() / 1000));
			row.put("single_mse", fmt("%.6f", s.singleMse()));
			for (final MattingScores.Region u : s.unknown()) {
				row.put("sad_k_unknown_" + u.name(), fmt("%.4f", u.sad() / 1000));
				row.put("mse_unknown_" + u.name(), fmt("%.6f", u.mse()));
			}
			text.add(fmt("SAD %.2fk", s.sad() / 1000));
			text.add(fmt("MSE %.4f", s.mse()));
			tiles.add(new ContactSheet.Tile("best subset " + subset(s.subset()), new PlanarImage(w, h,
				new float[][] { MattingScores.matte(layers, s.subset()) })));
			tiles.add(new ContactSheet.Tile("true alpha", new PlanarImage(w, h, new float[][] { data.alpha() })));
		}
		else {
			final InstanceScores.Result s = InstanceScores.evaluate(layers, data.labels());
			row.put("instances", Integer.toString(s.instances().size()));
			row.put("mean_iou", fmt("%.4f", s.meanIoU()));
			row.put("iou_above_050", fmt("%.4f", s.above50()));
			row.put("iou_above_075", fmt("%.4f", s.above75()));
			final StringBuilder per = new StringBuilder();
			final int[] labels = new int[s.instances().size()];
			final float[][] mattes = new float[labels.length][];
			for (int i = 0; i < labels.length; i++) {
				final InstanceScores.Instance in = s.instances().get(i);
				if (per.length() > 0) per.append(' ');
				per.append(in.label()).append(':').append(fmt("%.3f", in.iou())).append('@').append(subset(in.subset()));
				labels[i] = in.label();
				mattes[i] = MattingScores.matte(layers, in.subset());
			}
			row.put("instance_ious", per.toString());
			text.add(fmt("IoU %.3f (%d)", s.meanIoU(), labels.length));
			tiles.add(new ContactSheet.Tile("best subsets", ContactSheet.matteColours(labels, mattes, w, h)));
			tiles.add(new ContactSheet.Tile("instances", ContactSheet.instanceColours(data.labels(), w, h)));
		}
		final LayerHealth.Result hl = LayerHealth.of(layers);
		row.put("sum_err_max", fmt("%.3g", hl.maxSumError()));
		row.put("sum_err_mean", fmt("%.3g", hl.meanSumError()));
		row.put("out_of_range", fmt("%.4f", hl.outOfRange()));
		row.put("sparsity", fmt("%.4f", hl.sparsity()));
		row.put("nonempty_layers", Integer.toString(hl.nonEmpty()));
		if (!r.notes().isEmpty()) row.put("notes", String.join("; ", r.notes()));
		text.add(fmt("%.1f s", r.stageSeconds().getOrDefault("total", Double.NaN)));
		if (row.containsKey("peak_rss_mb")) text.add("RSS " + row.get("peak_rss_mb") + " MB");
		text.add(fmt("sparsity %.2f", hl.sparsity()));
		Charts.writePng(ContactSheet.row(text, tiles), sheetRow);
	}

	private static List<String> headerText(final BenchCase.Loaded d) {
		final List<String> t = new ArrayList<>();
		t.add(d.source().name());
		t.add(d.source().source() + " (" + d.source().kind() + ")");
		t.add(d.width() + "×" + d.height() + " px");
		if (d.width() != d.originalWidth()) t.add("from " + d.originalWidth() + "×" + d.originalHeight());
		return t;
	}

	private static List<ContactSheet.Tile> headerTiles(final BenchCase.Loaded d) {
		final List<ContactSheet.Tile> t = new ArrayList<>();
		final int w = d.width(), h = d.height();
		t.add(new ContactSheet.Tile("input", d.image()));
		if (d.alpha() != null) {
			t.add(new ContactSheet.Tile("true alpha", new PlanarImage(w, h, new float[][] { d.alpha() })));
			for (final MattingScores.Trimap tri : d.trimaps()) {
				final float[] v = new float[w * h];
				for (int i = 0; i < v.length; i++) v[i] = tri.values()[i] / 255f;
				t.add(new ContactSheet.Tile(tri.name(), new PlanarImage(w, h, new float[][] { v })));
			}
		}
		else {
			t.add(new ContactSheet.Tile("instances", ContactSheet.instanceColours(d.labels(), w, h)));
		}
		if (d.features() != null) t.add(new ContactSheet.Tile("features", d.features()));
		return t;
	}

	/** 1-based layer list of a subset mask, e.g. {@code 1+3}; {@code none} for the empty set. */
	static String subset(final long mask) {
		final StringBuilder sb = new StringBuilder();
		for (int k = 0; k < 64; k++) {
			if ((mask >> k & 1) == 0) continue;
			if (sb.length() > 0) sb.append('+');
			sb.append(k + 1);
		}
		return sb.length() == 0 ? "none" : sb.toString();
	}

	private static String brief(final Map<String, String> row) {
		if (!"ok".equals(row.get("status"))) return row.get("status");
		final String q = row.containsKey("sad_k") ? "SAD " + row.get("sad_k") + "k" : "IoU " + row.get("mean_iou");
		return q + ", " + row.get("t_total") + " s, RSS " + row.get("peak_rss_mb") + " MB";
	}

	private static Progress progress(final String label) {
		final long t0 = System.nanoTime();
		return new Progress() {
			private String last = "";

			@Override
			public synchronized void report(final String stage, final double fraction) {
				if (stage.equals(last)) return;
				last = stage;
				System.err.printf(Locale.ROOT, "      %-28s %-28s at %6.1f s%n", label, stage, (System.nanoTime() - t0) * 1e-9);
			}
		};
	}

	private static List<String> info(final BenchmarkOptions o, final List<BenchCase> cases) {
		final List<String> info = new ArrayList<>();
		info.add("Command: benchmark " + String.join(" ", o.args));
		info.add("Date: " + Instant.now().truncatedTo(ChronoUnit.SECONDS));
		info.add(fmt("Machine: %d cores, Java %s, max heap %d MB, %s %s, load average at start %.1f",
			Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
			Runtime.getRuntime().maxMemory() >> 20, System.getProperty("os.name"), System.getProperty("os.arch"),
			ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
		info.add("Cases: " + cases.size() + ", scale " + o.scale + ", methods " +
			String.join(",", o.methods.stream().map(m -> m.key).toList()) + (o.isolate ? ", one JVM per run" :
				", one JVM (peaks reset before every run)"));
		final List<String> changed = o.changedSettings();
		info.add("Settings: paper defaults" + (changed.isEmpty() ? "" : " except " + String.join(", ", changed)));
		return info;
	}

	private static List<String> readInfo(final Path out) throws IOException {
		final Path p = out.resolve("run-info.txt");
		return Files.isRegularFile(p) ? Files.readAllLines(p) : List.of();
	}

	static String fmt(final String f, final Object... a) {
		return String.format(Locale.ROOT, f, a);
	}
}
