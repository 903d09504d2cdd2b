package org.softsegments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Argument handling, sharding and skipping: nothing here runs a segmentation. */
class SssArgumentsTest {

	@TempDir
	Path tmp;

	/** The inputs a dry run lists, in order. */
	private static List<String> dryRunInputs(final Sss r) {
		final List<String> got = new ArrayList<>();
		for (final String line : r.out.split("\n")) {
			if (line.startsWith("  ")) got.add(line.trim().replaceFirst("^skip ", "").replaceFirst(" -> .*", ""));
		}
		return got;
	}

	@Test
	void shardsPartitionTheSortedInputs() throws Exception {
		final Path in = Files.createDirectories(tmp.resolve("in"));
		final String[] names = { "img10.png", "img2.png", "b.jpg", "a.png", "c.tif", "img1.png", "z.gif" };
		for (final String n : names) Files.writeString(in.resolve(n), "not decoded in a dry run");
		final Path loose = tmp.resolve("loose.bmp");
		Files.writeString(loose, "x");
		final String out = tmp.resolve("out").toString();

		final Sss whole = Sss.run(in.toString(), loose.toString(), "--out", out, "--dry-run");
		assertEquals(0, whole.exitCode, whole.toString());
		final List<String> all = dryRunInputs(whole);
		assertEquals(8, all.size(), whole.toString());
		final List<String> sorted = new ArrayList<>(all);
		sorted.sort(null);
		assertEquals(sorted, all, "inputs are sorted by path");
		assertFalse(Files.exists(Path.of(out)), "a dry run writes nothing");

		for (final int n : new int[] { 1, 3, 8, 11 }) {
			final Set<String> union = new HashSet<>();
			for (int i = 0; i < n; i++) {
				final Sss r = Sss.run(loose.toString(), in.toString(), "--out", out, "--dry-run", "--shard", i + "/" + n);
				assertEquals(0, r.exitCode, r.toString());
				final List<String> part = dryRunInputs(r);
				for (int k = 0; k < part.size(); k++) {
					assertEquals(all.get(i + k * n), part.get(k), "shard " + i + "/" + n + ", element " + k);
					assertTrue(union.add(part.get(k)), "in two shards: " + part.get(k));
				}
			}
			assertEquals(new HashSet<>(all), union, "N = " + n);
		}
	}

	@Test
	void skipExistingSkipsFinishedImages() throws Exception {
		final Path in = Files.createDirectories(tmp.resolve("in")), out = Files.createDirectories(tmp.resolve("out"));
		Sss.writeScene(in.resolve("a.png"), 40, 30, 1);
		Files.writeString(out.resolve("a_soft_segments.tif"), "earlier run");
		Files.writeString(out.resolve("a_visualization.png"), "earlier run");

		final Sss r = Sss.run(in.toString(), "--out", out.toString(), "--skip-existing");
		assertEquals(0, r.exitCode, r.toString());
		assertTrue(r.out.contains("skip    [1/1] a.png: outputs exist"), r.toString());
		assertTrue(r.out.contains("0 segmented, 1 skipped, 0 failed"), r.toString());
		assertEquals("earlier run", Files.readString(out.resolve("a_soft_segments.tif")));
		assertEquals("earlier run", Files.readString(out.resolve("a_visualization.png")));
		// nothing left to segment: the feature network is not loaded
		final Sss net = Sss.run(in.toString(), "--out", out.toString(), "--skip-existing", "--features", "unet");
		assertEquals(0, net.exitCode, net.toString());
		assertTrue(net.out.contains("0 segmented, 1 skipped, 0 failed"), net.toString());
		assertFalse(net.out.contains("network "), net.toString());

		// with --mattes the mattes count as outputs too; without --skip-existing nothing is skipped
		assertTrue(Sss.run(in.toString(), "--out", out.toString(), "--skip-existing", "--dry-run").out
			.contains("  skip "));
		assertFalse(Sss.run(in.toString(), "--out", out.toString(), "--skip-existing", "--mattes", "--dry-run").out
			.contains("  skip "));
		assertFalse(Sss.run(in.toString(), "--out", out.toString(), "--dry-run").out.contains("  skip "));
		Files.writeString(out.resolve("a_layer1.png"), "earlier run");
		assertTrue(Sss.run(in.toString(), "--out", out.toString(), "--skip-existing", "--mattes", "--dry-run").out
			.contains("  skip "));
	}

	@Test
	void badArgumentsGiveExitCode2AndAMessage() throws Exception {
		final Path img = tmp.resolve("a.png"), img2 = tmp.resolve("b.png");
		Sss.writeScene(img, 40, 30, 1);
		Sss.writeScene(img2, 40, 30, 2);
		final Path file = tmp.resolve("file.txt");
		Files.writeString(file, "x");
		final String a = img.toString(), out = tmp.resolve("out").toString();
		final String[][] cases = {
			{ "Missing required option: '--out=DIR'" },
			{ "no INPUT given", "--out", out },
			{ "does not exist", tmp.resolve("nope.png").toString(), "--out", out },
			{ "sss: --segments must be an integer from 2 to 64 (got 0)\n", a, "--out", out, "--segments", "0" },
			{ "sss: --segments must be an integer from 2 to 40 (got 41)\n", a, "--out", out, "--segments", "41" },
			{ "Invalid value for option '--segments'", a, "--out", out, "--segments", "five" },
			{ "sss: --eigenvectors must be an integer from 2 to 1000 (got 1)\n", a, "--out", out, "--eigenvectors", "1" },
			{ "sss: --colour-weight must be a number from 0 to 1000 (got -1)\n", a, "--out", out, "--colour-weight", "-1" },
			{ "sss: --semantic-weight must be a number from 0 to 1000 (got 1000.5)\n", a, "--out", out, "--semantic-weight",
				"1000.5" },
			{ "sss: --superpixels must be an integer from 4 to 1000000 (got 3)\n", a, "--out", out, "--superpixels", "3" },
			{ "sss: --threads must be an integer from 0 to 4096 (got -2)\n", a, "--out", out, "--threads", "-2" },
			{ "--features model needs --model FILE|DIR", a, "--out", out, "--features", "model" },
			{ "--model needs --features model", a, "--out", out, "--features", "unet", "--model", tmp.toString() },
			{ "is a file but not a TensorFlow Lite model", a, "--out", out, "--model", file.toString() },
			{ "need --features image, not --features unet", a, "--out", out, "--features", "unet", "--feature-image",
				a },
			{ "is not one of colour, image, unet, model", a, "--out", out, "--features", "banana" },
			{ "--features image needs --feature-image FILE or --feature-dir DIR", a, "--out", out, "--features",
				"image" },
			{ "--feature-image applies to a single INPUT", a, img2.toString(), "--out", out, "--feature-image", a },
			{ "is not a file", a, "--out", out, "--feature-image", tmp.resolve("nope.png").toString() },
			{ "is not a folder", a, "--out", out, "--feature-dir", a },
			{ "give either --feature-image or --feature-dir", a, "--out", out, "--feature-image", a, "--feature-dir",
				tmp.toString() },
			{ "need --features image, not --features colour", a, "--out", out, "--features", "colour",
				"--feature-image", a },
			{ "--demo builds its own scene and takes no INPUT", "--demo", a, "--out", out },
			{ "--demo-size '3x9' is not WIDTHxHEIGHT", "--demo", "--demo-size", "3x9", "--out", out },
			{ "Shard index I must satisfy 0 <= I < N", a, "--out", out, "--shard", "2/2" },
			{ "is not of the form I/N", a, "--out", out, "--shard", "half" },
			{ "Unknown option: '--bogus'", a, "--out", out, "--bogus" },
			{ "is not one of fast, reference", a, "--out", out, "--mode", "quick" },
			{ "sss: --working-pixels must be 0 (full resolution) or an integer of at least 1024 (got 5)\n", a, "--out", out,
				"--working-pixels", "5" },
			{ "sss: --cleanup-threshold must be a number from 0 to below 0.2, 1/5 for 5 layers (got 0.3)\n", a, "--out",
				out, "--cleanup-threshold", "0.3" },
			{ "sss: --cleanup-threshold must be a number from 0 to below 0.2, 1/5 for 5 layers (got -0.01)\n", a, "--out",
				out, "--cleanup-threshold", "-0.01" },
			{ "is not one of auto, bar, lines, none", a, "--out", out, "--progress", "fancy" },
			{ "would both write outputs named 'a_…'", a, tmp.resolve("x").toString(), "--out", out },
			{ "exists and is not a folder", a, "--out", file.toString() },
		};
		Files.createDirectories(tmp.resolve("x"));
		Sss.writeScene(tmp.resolve("x/a.jpg"), 10, 10, 1);
		for (final String[] c : cases) {
			final String[] args = java.util.Arrays.copyOfRange(c, 1, c.length);
			final Sss r = Sss.run(args);
			assertEquals(2, r.exitCode, String.join(" ", args) + "\n" + r);
			assertTrue(r.err.startsWith("sss: ") && r.err.contains(c[0]) && r.err.contains("sss --help"),
				"expected '" + c[0] + "' for " + String.join(" ", args) + "\n" + r);
			assertEquals("", r.out, "nothing on standard output");
			assertFalse(Files.exists(Path.of(out)), "bad arguments create no output folder: " + String.join(" ", args));
		}
	}

	@Test
	void versionAndHelp() {
		final Sss v = Sss.run("--version");
		assertEquals(0, v.exitCode, v.toString());
		assertTrue(v.out.matches("(?s)sss \\(Semantic Soft Segments\\) \\d+\\.\\d+\\.\\d+.*"), v.out);
		final Sss h = Sss.run("--help");
		assertEquals(0, h.exitCode);
		for (final String o : new String[] { "--out", "--segments", "--features", "--feature-image", "--feature-dir",
			"--model", "--seed", "--threads", "--mode", "--working-pixels", "--cleanup-threshold", "--superpixels", "--eigenvectors", "--semantic-weight", "--colour-weight",
			"--mattes", "--skip-existing", "--shard", "--demo", "--version", "--help" })
		{
			assertTrue(h.out.contains(o), o);
		}
	}

	@Test
	void everySettingOptionSaysWhatItAcceptsInTheUsersWords() throws Exception {
		final Path img = tmp.resolve("a.png");
		Sss.writeScene(img, 40, 30, 1);
		final String out = tmp.resolve("out").toString();
		final picocli.CommandLine.Model.CommandSpec spec = SegmentMain.commandLine(new java.io.PrintWriter(
			new java.io.StringWriter()), new java.io.PrintWriter(new java.io.StringWriter())).getCommandSpec();
		for (final java.util.Map.Entry<String, String> e : SettingOptions.OPTIONS.entrySet()) {
			assertTrue(spec.findOption(e.getValue()) != null, "no option " + e.getValue());
			if (e.getKey().equals("seed") || e.getKey().equals("mode")) continue; // any value is valid / an enum
			final Sss r = Sss.run(img.toString(), "--out", out, e.getValue(), "-5"); // -5 is invalid for every one
			final String kind = SettingOptions.integer(e.getKey()) ? "an integer" : "a number";
			assertEquals(2, r.exitCode, r.toString());
			assertTrue(r.err.startsWith("sss: " + e.getValue() + " must be ") && r.err.contains(kind) && r.err.contains(
				" (got -5)\n") && !r.err.contains("Setting '"), r.toString());
		}
	}

	/** The option rows of a help text: each option's lines, from its name to the next option. */
	private static List<String> optionBlocks(final String help) {
		final List<String> blocks = new ArrayList<>();
		boolean in = false;
		for (final String line : help.split("\n")) {
			if (line.startsWith("Exit codes:")) break;
			final String t = line.stripLeading();
			final int indent = line.length() - t.length();
			if (indent <= 6 && (t.startsWith("-") || t.startsWith("["))) {
				blocks.add(line);
				in = true;
			}
			else if (in && !t.isEmpty()) {
				blocks.set(blocks.size() - 1, blocks.get(blocks.size() - 1) + "\n" + line);
			}
		}
		return blocks;
	}

	@Test
	void helpShowsEachDefaultOnceAndBreaksLinesOnlyBetweenWords() {
		for (final int width : new int[] { 80, 97, 120, 160 }) {
			final java.io.StringWriter o = new java.io.StringWriter();
			final picocli.CommandLine cl = SegmentMain.commandLine(new java.io.PrintWriter(o), new java.io.PrintWriter(
				new java.io.StringWriter()));
			cl.setUsageHelpAutoWidth(false);
			cl.setUsageHelpWidth(width);
			assertEquals(0, cl.execute("--help"));
			final String help = o.toString();
			for (final String line : help.split("\n")) assertTrue(line.length() <= width, width + ": " + line);
			// each default once, as the user types it; none for INPUT
			final List<String> blocks = optionBlocks(help);
			assertTrue(blocks.size() > 20, help);
			for (final String b : blocks) {
				assertTrue(b.split("Default:", -1).length <= 2, "default shown twice at width " + width + ":\n" + b);
			}
			assertFalse(help.contains("Default: []") || help.contains("Default: FAST"), help);
			assertEquals(2, help.split("Default: fast\\b", -1).length, help);
			assertEquals(2, help.split("Default: 20000\\b", -1).length, help);
			assertTrue(help.contains("--mode=fast|reference"), help);
			assertTrue(help.contains("(" + org.softsegments.io.ImageFiles.FORMATS + ")"), help);
			// no word of an option's description is split across lines ("saved_model.", "pb")
			final String flat = help.replaceAll("\\s+", " ");
			for (final picocli.CommandLine.Model.ArgSpec a : cl.getCommandSpec().args()) {
				for (final String d : a.description()) {
					for (final String word : d.split("\\s+")) {
						if (!word.contains("${")) assertTrue(flat.contains(word), "'" + word + "' broken at width " + width);
					}
				}
			}
			// the description section's lines stand as written (no word wrapped to column 0)
			for (final String line : cl.getCommandSpec().usageMessage().description()) {
				assertTrue(help.contains("\n" + line + "\n"), "'" + line + "' wrapped at width " + width);
			}
		}
	}

	@Test
	void anOutputFolderThatCannotBeWrittenIsRefusedBeforeAnyWork() throws Exception {
		org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self")), "needs Linux /proc");
		final Path img = tmp.resolve("a.png");
		Sss.writeScene(img, 40, 30, 1);
		final Sss proc = Sss.run(img.toString(), "--out", "/proc");
		assertEquals(2, proc.exitCode, proc.toString());
		assertTrue(proc.err.startsWith("sss: Cannot write to the output folder /proc: ") && proc.err.contains(
			"; choose another --out\n"), proc.toString());
		assertEquals("", proc.out, "nothing segmented");

		final Sss sub = Sss.run(img.toString(), "--out", "/proc/sss-no-such-folder/out");
		assertEquals(2, sub.exitCode, sub.toString());
		assertTrue(sub.err.startsWith("sss: Cannot create the output folder /proc/sss-no-such-folder/out: ") && sub.err
			.contains("; choose another --out"), sub.toString());

		final Path file = tmp.resolve("file.txt");
		Files.writeString(file, "x");
		final Sss underFile = Sss.run(img.toString(), "--out", file.resolve("out").toString());
		assertEquals(2, underFile.exitCode, underFile.toString());
		assertTrue(underFile.err.startsWith("sss: Cannot create the output folder " + file.resolve("out")), underFile
			.toString());
	}

	@Test
	void aRunThatWritesNothingLeavesNoFolderBehind() throws Exception {
		final Path good = tmp.resolve("good.png");
		Sss.writeScene(good, 40, 30, 1);
		final byte[] png = Files.readAllBytes(good);
		final Path bad = tmp.resolve("bad.png");
		Files.write(bad, java.util.Arrays.copyOf(png, png.length / 2));
		final Path out = tmp.resolve("new/nested/out");
		final Sss r = Sss.run(bad.toString(), "--out", out.toString());
		assertEquals(1, r.exitCode, r.toString());
		assertTrue(r.err.contains("Cannot read " + bad + ": the PNG file is truncated or corrupt") && r.err.contains(
			"accepted formats: " + org.softsegments.io.ImageFiles.FORMATS), r.toString());
		assertFalse(Files.exists(tmp.resolve("new")), "the folders this run created are gone");

		final Path existing = Files.createDirectories(tmp.resolve("existing"));
		assertEquals(1, Sss.run(bad.toString(), "--out", existing.toString()).exitCode);
		assertTrue(Files.isDirectory(existing), "a folder that was there stays");
	}

	@Test
	void theOptionsASegmentsFileFixesAreAllSegmentationOptionsButKAndThreads() {
		// an option added to SegmentationOptions must be refused beside --from-segments (or allowed here on purpose)
		final List<String> declared = new ArrayList<>();
		for (final picocli.CommandLine.Model.OptionSpec o : picocli.CommandLine.Model.CommandSpec.forAnnotatedObject(
			new SegmentationOptions()).options()) declared.add(o.longestName());
		declared.removeAll(List.of("--segments", "--threads"));
		assertEquals(new HashSet<>(declared), new HashSet<>(SegmentationOptions.FIXED_BY_SEGMENTS));
		assertEquals(declared.size(), SegmentationOptions.FIXED_BY_SEGMENTS.size());
	}
}
