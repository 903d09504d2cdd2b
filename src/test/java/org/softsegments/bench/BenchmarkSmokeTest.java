package org.softsegments.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.softsegments.engine.Settings;

/**
 * Smoke run of the benchmark main on tiny synthetic cases it writes itself (2 matting cases, one
 * with a feature image, and 1 instance case at 48×36), with small settings.
 */
class BenchmarkSmokeTest {

	private static final String[] SMALL = { "--set", "eigenvectors=20", "--set", "superpixels=100", "--set",
		"initialClusters=8", "--set", "constrainedIterations=8", "--set", "relaxedIterations=3", "--set",
		"kmeansReplicates=2", "--set", "spectral.eigenvectors=16", "--set", "spectral.components=6", "--set",
		"spectral.iterations=8", "--threads", "2", "--quiet" };

	private static String[] args(final String... head) {
		final String[] a = new String[head.length + SMALL.length];
		System.arraycopy(head, 0, a, 0, head.length);
		System.arraycopy(SMALL, 0, a, head.length, SMALL.length);
		return a;
	}

	@Test
	void runsAllMethodsAndWritesCsvMarkdownPlotsAndSheets(@TempDir final Path tmp) throws Exception {
		SyntheticCases.write(tmp.resolve("cases"), 48, 36);
		final Path out = tmp.resolve("results");
		final List<Map<String, String>> rows = BenchmarkMain.run(BenchmarkOptions.parse(args(
			tmp.resolve("cases/matting").toString(), tmp.resolve("cases/instances").toString(), "--out", out.toString())));

		// one row per case × method; sss runs only where a feature image exists
		assertEquals(9, rows.size());
		final List<Map<String, String>> csv = ResultTable.read(out.resolve("results.csv"));
		assertEquals(9, csv.size());
		int ok = 0;
		for (final Map<String, String> r : csv) {
			final boolean featureless = !"synthetic-disc".equals(r.get("case")) && "sss".equals(r.get("method"));
			assertEquals(featureless ? "skipped: no feature image" : "ok", r.get("status"), r.toString());
			if (!"ok".equals(r.get("status"))) continue;
			ok++;
			assertEquals("48", r.get("width"));
			// K = 5 requested; on a 48×36 scene fewer may survive the constrained sparsification (documented)
			final int layers = Integer.parseInt(r.get("layers"));
			assertTrue(layers >= 3 && layers <= 5, r.toString());
			assertTrue(Double.parseDouble(r.get("t_total")) > 0);
			assertTrue(Double.parseDouble(r.get("peak_heap_mb")) > 0);
			final double sparsity = Double.parseDouble(r.get("sparsity"));
			assertTrue(sparsity >= 0 && sparsity <= 1);
			if ("matting".equals(r.get("kind"))) {
				// a 48×36 scene: the best subset must recover the shape up to its soft edge
				assertTrue(Double.parseDouble(r.get("sad_k")) < 0.1, r.toString());
				assertTrue(Double.parseDouble(r.get("sad_k_unknown_trimap1")) <= Double.parseDouble(r.get("sad_k")) + 1e-9);
			}
			else {
				assertEquals(3, Integer.parseInt(r.get("instances")));
				final double iou = Double.parseDouble(r.get("mean_iou"));
				assertTrue(iou > 0.5 && iou <= 1, r.toString());
			}
		}
		assertEquals(7, ok);

		final String md = Files.readString(out.resolve("summary.md"));
		assertTrue(md.contains("## Matting"));
		assertTrue(md.contains("## Instances"));
		assertTrue(md.contains("| spectral-matting |"));
		assertTrue(md.contains("| sss | 1 |"), "sss ran on the one case with features");

		for (final String plot : List.of("sad.png", "sad-unknown-trimap1.png", "iou.png", "time-stages.png",
			"time-total.png", "memory-rss.png", "memory-heap.png"))
		{
			readable(out.resolve("plots").resolve(plot));
		}
		final BufferedImage sheet = readable(out.resolve("contact-sheets/matting-synthetic-disc.png"));
		readable(out.resolve("contact-sheets/instances-synthetic-scene.png"));
		// header + 3 method rows, each at least a tile high
		assertTrue(sheet.getHeight() > 4 * 100, "sheet height " + sheet.getHeight());

		// the report can be re-rendered from the CSV alone
		Files.delete(out.resolve("summary.md"));
		BenchmarkMain.run(BenchmarkOptions.parse("--out", out.toString(), "--report-only"));
		assertTrue(Files.readString(out.resolve("summary.md")).contains("| spectral-matting |"));
	}

	@Test
	void scaleAndLimitAreApplied(@TempDir final Path tmp) throws Exception {
		SyntheticCases.write(tmp.resolve("cases"), 96, 72);
		final Path out = tmp.resolve("results");
		final List<Map<String, String>> rows = BenchmarkMain.run(BenchmarkOptions.parse(args(
			tmp.resolve("cases/matting").toString() + ":1", "--out", out.toString(), "--scale", "0.5", "--methods",
			"colour")));
		assertEquals(1, rows.size());
		assertEquals("synthetic-disc", rows.get(0).get("case"));
		assertEquals("48", rows.get(0).get("width"));
		assertEquals("36", rows.get(0).get("height"));
		assertEquals("96", rows.get(0).get("orig_width"));
		assertEquals("ok", rows.get(0).get("status"));

		// --resume reuses the finished run (same timing) and adds the next case
		final List<Map<String, String>> resumed = BenchmarkMain.run(BenchmarkOptions.parse(args(
			tmp.resolve("cases/matting").toString() + ":2", "--out", out.toString(), "--scale", "0.5", "--methods",
			"colour", "--resume")));
		assertEquals(2, resumed.size());
		assertEquals(rows.get(0).get("t_total"), resumed.get(0).get("t_total"));
		assertEquals("synthetic-square", resumed.get(1).get("case"));
		assertEquals(2, ResultTable.read(out.resolve("results.csv")).size());

		// --import reuses rows of another results folder's CSV (same case, method, size) in a new folder
		final Path other = tmp.resolve("other");
		final List<Map<String, String>> imported = BenchmarkMain.run(BenchmarkOptions.parse(args(
			tmp.resolve("cases/matting").toString() + ":2", "--out", other.toString(), "--scale", "0.5", "--methods",
			"colour", "--import", out.resolve("results.csv").toString())));
		assertEquals(2, imported.size());
		final List<Map<String, String>> earlier = ResultTable.read(out.resolve("results.csv"));
		for (int i = 0; i < 2; i++) assertEquals(earlier.get(i), imported.get(i), "row " + i + " reused as it was");
		assertTrue(Files.isRegularFile(other.resolve("work/matting-synthetic-disc/colour.csv")), "kept for --resume");
		// at another size nothing matches: the case runs again
		final List<Map<String, String>> rerun = BenchmarkMain.run(BenchmarkOptions.parse(args(
			tmp.resolve("cases/matting").toString() + ":1", "--out", tmp.resolve("third").toString(), "--scale", "1",
			"--methods", "colour", "--import", out.resolve("results.csv").toString())));
		assertEquals("96", rerun.get(0).get("width"));
		assertEquals("ok", rerun.get(0).get("status"));
		assertThrows(IllegalArgumentException.class, () -> BenchmarkOptions.parse("c", "--out", "o", "--import",
			tmp.resolve("missing.csv").toString()));
	}

	@Test
	void fastAndReferencePathsAreComparedSideBySide(@TempDir final Path tmp) throws Exception {
		SyntheticCases.write(tmp.resolve("cases"), 96, 72);
		final Path out = tmp.resolve("results");
		final List<Map<String, String>> rows = BenchmarkMain.run(BenchmarkOptions.parse(args(
			tmp.resolve("cases/matting").toString() + ":1", "--out", out.toString(), "--methods", "colour,colour-fast,unet-fast",
			"--set", "workingPixels=4096")));
		assertEquals(3, rows.size());
		assertEquals("colour-fast", rows.get(1).get("method"));
		assertEquals("ok", rows.get(2).get("status"), rows.get(2).toString());
		assertTrue(Double.parseDouble(rows.get(2).get("t_features")) > Double.parseDouble(rows.get(1).get("t_features")),
			"the network's forward pass counts as features time");
		assertEquals("96", rows.get(1).get("width"), "the fast path returns full-resolution layers");
		assertTrue(rows.get(1).containsKey("t_upsampling"), rows.get(1).toString());
		assertTrue(rows.get(0).containsKey("cleaned_sad_k"), "the reference row is also scored after the clean-up");
		assertTrue(Double.parseDouble(rows.get(0).get("cleaned_sad_k")) <= Double.parseDouble(rows.get(0).get("sad_k")),
			rows.get(0).toString());
		assertTrue(!rows.get(1).containsKey("cleaned_sad_k"), "the fast path's output is cleaned already");
		final String md = Files.readString(out.resolve("summary.md"));
		assertTrue(md.contains("## Fast path vs reference path"), md);
		assertTrue(md.contains("| colour-fast / colour | 1 |"), md);
	}

	@Test
	void caseListKeepsTheNamedCases(@TempDir final Path tmp) throws Exception {
		SyntheticCases.write(tmp.resolve("cases"), 48, 36);
		final Path list = tmp.resolve("list.txt");
		Files.writeString(list, "# held out\nsynthetic-square\n\n");
		final BenchmarkOptions o = BenchmarkOptions.parse(args(tmp.resolve("cases/matting") + "@" + list, "--out",
			tmp.resolve("results").toString(), "--methods", "colour"));
		assertEquals(java.util.Set.of("synthetic-square"), o.sources.get(0).names());
		final List<Map<String, String>> rows = BenchmarkMain.run(o);
		assertEquals(1, rows.size());
		assertEquals("synthetic-square", rows.get(0).get("case"));
		assertEquals("ok", rows.get(0).get("status"));
		// with a limit after the list, and errors that say what is wrong
		assertEquals(1, BenchmarkOptions.parse(tmp.resolve("cases/matting") + "@" + list + ":1", "--out", "o").sources
			.get(0).limit());
		assertThrows(IllegalArgumentException.class, () -> BenchmarkOptions.parse(tmp.resolve("cases/matting") + "@" +
			tmp.resolve("missing.txt"), "--out", "o"));
		Files.writeString(list, "no-such-case\n");
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BenchmarkMain.run(
			BenchmarkOptions.parse(tmp.resolve("cases/matting") + "@" + list, "--out", tmp.resolve("r2").toString())));
		assertTrue(e.getMessage().contains("None of the listed case names"), e.getMessage());
	}

	@Test
	void resumedRunsKeepTheirContactSheetRowsUnderAnotherMethodList(@TempDir final Path tmp) throws Exception {
		SyntheticCases.write(tmp.resolve("cases"), 48, 36);
		final Path out = tmp.resolve("results");
		final String cases = tmp.resolve("cases/matting").toString() + ":1";
		BenchmarkMain.run(BenchmarkOptions.parse(args(cases, "--out", out.toString(), "--methods", "colour")));
		final Path work = out.resolve("work/matting-synthetic-disc");
		assertTrue(Files.isRegularFile(work.resolve("1-colour.png")));
		final int oneRow = readable(out.resolve("contact-sheets/matting-synthetic-disc.png")).getHeight();
		BenchmarkMain.run(BenchmarkOptions.parse(args(cases, "--out", out.toString(), "--methods", "colour-fast,colour",
			"--resume", "--set", "workingPixels=1024")));
		assertTrue(Files.isRegularFile(work.resolve("2-colour.png")), "renumbered to its place in the new list");
		assertTrue(!Files.exists(work.resolve("1-colour.png")));
		assertTrue(readable(out.resolve("contact-sheets/matting-synthetic-disc.png")).getHeight() > oneRow,
			"the sheet has the reused row and the new one");
	}

	@Test
	void badOptionsAreExplained() {
		assertThrows(IllegalArgumentException.class, () -> BenchmarkOptions.parse("cases"), "no --out");
		assertThrows(IllegalArgumentException.class, () -> BenchmarkOptions.parse("cases", "--out", "o", "--methods", "x"));
		assertThrows(IllegalArgumentException.class, () -> BenchmarkOptions.parse("cases", "--out", "o", "--set", "nope=1"));
		assertThrows(IllegalArgumentException.class, () -> BenchmarkOptions.parse("cases", "--out", "o", "--scale", "0"));
		final BenchmarkOptions o = BenchmarkOptions.parse("c:3", "--out", "o", "--set", "eigenvectors=40");
		assertEquals(3, o.sources.get(0).limit());
		assertEquals(40, o.settings.eigenvectors);
		assertEquals(List.of("eigenvectors=40"), o.changedSettings());
		assertEquals(Settings.Mode.FAST, BenchmarkOptions.parse("c", "--out", "o", "--set", "mode=fast").settings.mode);
		assertThrows(IllegalArgumentException.class, () -> BenchmarkOptions.parse("c", "--out", "o", "--set", "mode=quick"));
	}

	private static BufferedImage readable(final Path png) throws Exception {
		assertTrue(Files.isRegularFile(png), png + " missing");
		final BufferedImage img = ImageIO.read(png.toFile());
		assertNotNull(img, png + " is not a readable PNG");
		assertTrue(img.getWidth() > 100 && img.getHeight() > 100, png + " is " + img.getWidth() + "×" + img.getHeight());
		return img;
	}
}
