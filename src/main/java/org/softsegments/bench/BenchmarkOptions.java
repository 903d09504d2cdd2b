package org.softsegments.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.softsegments.engine.Settings;
import org.softsegments.engine.SpectralMatting;

/** Command-line options of {@link BenchmarkMain}; see {@link #USAGE}. */
public final class BenchmarkOptions {

	/** Usage text. */
	public static final String USAGE = String.join("\n",
		"Usage: benchmark.sh CASES_DIR[:N]... --out RESULTS_DIR [options]",
		"  CASES_DIR      matting cases (<case>/image.png, alpha.png, [trimap*.png], [features.png])",
		"                 or instance cases (images/<id>.jpg + instances/<id>.png, [features/<id>.png]);",
		"                 ':N' keeps the first N cases of that folder (sorted by name); 'DIR@LIST[:N]' only",
		"                 the cases named in the text file LIST (one name per line, e.g. the held-out images",
		"                 from 'scripts/train-features.sh held-out coco')",
		"  --out DIR      results folder (results.csv, summary.md, plots/, contact-sheets/)",
		"  --scale F      resize every case by F first (area averaging; nearest for labels/trimaps); default 1",
		"  --methods LIST comma-separated: sss,colour,spectral-matting,unet,sss-fast,colour-fast,unet-fast,\n"
		+ "                 ade20k-fast,ade20k-pad-fast,ade20k-tile-fast,pascal-fast (TFLite teachers, ../shared/models),\n"
		+ "                 distilled-fast (models/sss-distilled)",
		"                 (default: sss,colour,spectral-matting; unet = bundled U-Net features; -fast = fast path)",
		"  --limit N      keep the first N cases of every folder",
		"  --layers K     number of layers (default 5)     --seed S    random seed (default 1)",
		"  --threads T    worker threads (0 = all cores)",
		"  --set NAME=V   any engine Settings field (e.g. --set eigenvectors=50), or spectral.eigenvectors,",
		"                 spectral.components, spectral.gamma, spectral.iterations for spectral matting",
		"  --isolate      run every case x method in its own JVM (clean per-run peak memory)",
		"  --max-minutes M  start no new run after M minutes (later runs are listed as skipped)",
		"  --quiet        no per-stage progress lines",
		"  --resume       reuse the successful runs already in RESULTS_DIR/work (continue a stopped run)",
		"  --import CSV   reuse the successful rows of an earlier results.csv (same source, case, method and",
		"                 size) instead of running them, e.g. a run split over several sessions (repeatable)",
		"  --report-only  re-render summary.md and plots/ from RESULTS_DIR/results.csv",
		"  --unit ID:METHOD  (internal) run one case x method and exit");

	/**
	 * A cases folder with an optional case limit and an optional list of the case names to keep.
	 *
	 * @param names the names to keep (null: all)
	 */
	public record Source(Path dir, int limit, Set<String> names) {}

	public final List<Source> sources = new ArrayList<>();
	public Path out;
	public double scale = 1;
	public List<Method> methods = List.of(Method.SSS, Method.COLOUR, Method.SPECTRAL_MATTING);
	public int limit = Integer.MAX_VALUE;
	public final Settings settings = new Settings();
	public SpectralMatting.Params spectral = SpectralMatting.Params.DEFAULTS;
	public boolean isolate;
	public double maxMinutes = Double.POSITIVE_INFINITY;
	public boolean reportOnly;
	public boolean quiet;
	public boolean resume;
	/** Earlier results files whose successful rows are reused ({@code --import}). */
	public final List<Path> imports = new ArrayList<>();
	public String unit;
	/** The arguments as given (the workers get them again). */
	public final List<String> args = new ArrayList<>();

	/**
	 * Parses the arguments.
	 *
	 * @throws IllegalArgumentException with a message for the user
	 */
	public static BenchmarkOptions parse(final String... args) {
		final BenchmarkOptions o = new BenchmarkOptions();
		o.args.addAll(List.of(args));
		int eig = o.spectral.eigenvectors(), comp = o.spectral.components(), iter = o.spectral.iterations();
		double gamma = o.spectral.gamma();
		for (int i = 0; i < args.length; i++) {
			final String a = args[i];
			try {
				switch (a) {
					case "--out": o.out = Path.of(value(args, ++i, a)); break;
					case "--scale": o.scale = Double.parseDouble(value(args, ++i, a)); break;
					case "--methods": o.methods = Method.parseList(value(args, ++i, a)); break;
					case "--limit": o.limit = Integer.parseInt(value(args, ++i, a)); break;
					case "--layers": o.settings.layers = Integer.parseInt(value(args, ++i, a)); break;
					case "--seed": o.settings.seed = Long.parseLong(value(args, ++i, a)); break;
					case "--threads": o.settings.threads = Integer.parseInt(value(args, ++i, a)); break;
					case "--isolate": o.isolate = true; break;
					case "--max-minutes": o.maxMinutes = Double.parseDouble(value(args, ++i, a)); break;
					case "--report-only": o.reportOnly = true; break;
					case "--quiet": o.quiet = true; break;
					case "--resume": o.resume = true; break;
					case "--import": o.imports.add(Path.of(value(args, ++i, a))); break;
					case "--unit": o.unit = value(args, ++i, a); break;
					case "--set": {
						final String kv = value(args, ++i, a);
						final int eq = kv.indexOf('=');
						if (eq <= 0) throw new IllegalArgumentException("--set expects NAME=VALUE, got '" + kv + "'");
						final String name = kv.substring(0, eq), v = kv.substring(eq + 1);
						switch (name) {
							case "spectral.eigenvectors": eig = Integer.parseInt(v); break;
							case "spectral.components": comp = Integer.parseInt(v); break;
							case "spectral.iterations": iter = Integer.parseInt(v); break;
							case "spectral.gamma": gamma = Double.parseDouble(v); break;
							default: setField(o.settings, name, v);
						}
						break;
					}
					default:
						if (a.startsWith("-")) throw new IllegalArgumentException("Unknown option " + a);
						o.sources.add(source(a));
				}
			}
			catch (final NumberFormatException e) {
				throw new IllegalArgumentException("Option " + a + ": not a number: " + e.getMessage());
			}
		}
		if (o.out == null) throw new IllegalArgumentException("--out RESULTS_DIR is required");
		if (!o.reportOnly && o.sources.isEmpty()) throw new IllegalArgumentException("No cases folder given");
		if (!(o.scale > 0) || o.scale > 8) throw new IllegalArgumentException("--scale must be in (0, 8], got " + o.scale);
		if (o.limit < 1) throw new IllegalArgumentException("--limit must be >= 1, got " + o.limit);
		for (final Path p : o.imports) {
			if (!Files.isRegularFile(p)) throw new IllegalArgumentException("--import: no such results file: " + p);
		}
		if (!(o.maxMinutes > 0)) throw new IllegalArgumentException("--max-minutes must be > 0, got " + o.maxMinutes);
		o.settings.validate();
		o.spectral = new SpectralMatting.Params(eig, comp, gamma, iter);
		return o;
	}

	private static String value(final String[] args, final int i, final String option) {
		if (i >= args.length) throw new IllegalArgumentException("Option " + option + " needs a value");
		return args[i];
	}

	/**
	 * {@code DIR}, {@code DIR:N}, {@code DIR@LIST} or {@code DIR@LIST:N} (the suffix is a limit only
	 * when the whole argument is not a file or folder; {@code @LIST} only when DIR is a folder).
	 */
	private static Source source(final String a) {
		String rest = a;
		int limit = Integer.MAX_VALUE;
		final int colon = a.lastIndexOf(':');
		if (colon > 0 && a.substring(colon + 1).matches("\\d+") && !Files.exists(Path.of(a))) {
			limit = Integer.parseInt(a.substring(colon + 1));
			if (limit < 1) throw new IllegalArgumentException("Case limit must be >= 1 in '" + a + "'");
			rest = a.substring(0, colon);
		}
		final int at = rest.lastIndexOf('@');
		if (at > 0 && !Files.exists(Path.of(rest)) && Files.isDirectory(Path.of(rest.substring(0, at)))) {
			return new Source(Path.of(rest.substring(0, at)), limit, names(Path.of(rest.substring(at + 1)), a));
		}
		return new Source(Path.of(rest), limit, null);
	}

	/** The case names listed in {@code list}: one per line, blank lines and {@code #} comments ignored. */
	private static Set<String> names(final Path list, final String arg) {
		if (!Files.isRegularFile(list)) {
			throw new IllegalArgumentException("Case list " + list + " (in '" + arg + "') is not a file");
		}
		final Set<String> out = new LinkedHashSet<>();
		try {
			for (final String line : Files.readAllLines(list)) {
				final String name = line.replaceFirst("#.*", "").trim();
				if (!name.isEmpty()) out.add(name);
			}
		}
		catch (final IOException e) {
			throw new UncheckedIOException("Cannot read case list " + list, e);
		}
		if (out.isEmpty()) throw new IllegalArgumentException("Case list " + list + " names no case");
		return out;
	}

	private static void setField(final Settings s, final String name, final String v) {
		final Field f;
		try {
			f = Settings.class.getField(name);
		}
		catch (final NoSuchFieldException e) {
			final List<String> names = new ArrayList<>();
			for (final Field x : Settings.class.getFields()) names.add(x.getName());
			throw new IllegalArgumentException("Unknown setting '" + name + "'; accepted: " + String.join(", ", names) +
				", spectral.eigenvectors, spectral.components, spectral.gamma, spectral.iterations");
		}
		try {
			if (f.getType() == int.class) f.setInt(s, Integer.parseInt(v));
			else if (f.getType() == long.class) f.setLong(s, Long.parseLong(v));
			else if (f.getType() == double.class) f.setDouble(s, Double.parseDouble(v));
			else if (f.getType() == boolean.class) f.setBoolean(s, Boolean.parseBoolean(v));
			else if (f.getType().isEnum()) f.set(s, enumValue(f.getType(), name, v));
			else throw new IllegalArgumentException("Setting '" + name + "' cannot be set from the command line");
		}
		catch (final IllegalAccessException e) {
			throw new IllegalStateException(e);
		}
	}

	private static Object enumValue(final Class<?> type, final String name, final String v) {
		for (final Object c : type.getEnumConstants()) {
			if (((Enum<?>) c).name().equalsIgnoreCase(v.trim())) return c;
		}
		throw new IllegalArgumentException("Setting '" + name + "' = '" + v + "' is not one of " +
			java.util.Arrays.toString(type.getEnumConstants()));
	}

	/** Settings fields that differ from the defaults, as {@code name=value} (for the report). */
	public List<String> changedSettings() {
		final List<String> out = new ArrayList<>();
		final Settings d = new Settings();
		for (final Field f : Settings.class.getFields()) {
			if (java.lang.reflect.Modifier.isStatic(f.getModifiers())) continue;
			try {
				final Object a = f.get(settings), b = f.get(d);
				if (!a.equals(b)) out.add(f.getName() + "=" + a);
			}
			catch (final IllegalAccessException e) {
				throw new IllegalStateException(e);
			}
		}
		if (!spectral.equals(SpectralMatting.Params.DEFAULTS)) out.add("spectral=" + spectral);
		return out;
	}
}
