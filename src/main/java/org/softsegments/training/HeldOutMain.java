package org.softsegments.training;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Prints the images the feature network never saw in training (the validation part of
 * {@link SharedDataset#split}), one case name per line, so that the benchmark can measure the
 * network on held-out photographs only: {@code scripts/train-features.sh held-out coco > held-out-coco.txt},
 * then {@code scripts/benchmark.sh ../shared/data/train/coco@held-out-coco.txt …}.
 * Usage: {@code held-out [coco|bsds500] [--data DIR]} (default: both data sets, names prefixed by
 * the data set; with a data set: its bare image ids, the benchmark's case names).
 */
public final class HeldOutMain {

	private HeldOutMain() {}

	public static void main(final String[] args) throws IOException {
		try {
			for (final String line : names(args)) System.out.println(line);
		}
		catch (final IllegalArgumentException e) {
			System.err.println("Error: " + e.getMessage());
			System.err.println("Usage: scripts/train-features.sh held-out [coco|bsds500] [--data ../shared/data/train]");
			System.exit(2);
		}
	}

	/** The held-out names for the arguments of {@link #main}. */
	static List<String> names(final String... args) throws IOException {
		Path data = Path.of("../shared/data/train");
		String set = null;
		for (int i = 0; i < args.length; i++) {
			if (args[i].equals("--data") && i + 1 < args.length) data = Path.of(args[++i]);
			else if (args[i].equals("coco") || args[i].equals("bsds500")) set = args[i];
			else throw new IllegalArgumentException("Unknown argument '" + args[i] + "'; accepted: coco, bsds500, --data DIR");
		}
		final SharedDataset val = SharedDataset.split(data, SharedDataset.VALIDATION_FRACTION)[1];
		final List<String> out = new ArrayList<>();
		for (int i = 0; i < val.size(); i++) {
			final String name = val.name(i);
			if (set == null) out.add(name);
			else if (name.startsWith(set + "/")) out.add(name.substring(set.length() + 1));
		}
		out.sort(null);
		return out;
	}
}
