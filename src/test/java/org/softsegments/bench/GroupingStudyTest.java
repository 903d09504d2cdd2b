package org.softsegments.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.softsegments.core.Progress;
import org.softsegments.engine.SemanticSoftSegmentation;
import org.softsegments.engine.Settings;
import org.softsegments.eval.InstanceScores;
import org.softsegments.eval.MattingScores;

/**
 * The grouping study on tiny synthetic cases: its {@code fast} grouping is the engine's output
 * (same score to the last bit), the oracle needs the true alpha, and the CSV has a row per case
 * and grouping.
 */
class GroupingStudyTest {

	private static Settings small() {
		final Settings s = new Settings();
		s.mode = Settings.Mode.FAST;
		s.workingPixels = 1200;
		s.eigenvectors = 20;
		s.superpixels = 100;
		s.initialClusters = 8;
		s.constrainedIterations = 8;
		s.relaxedIterations = 3;
		s.kmeansReplicates = 2;
		return s;
	}

	@Test
	void fastGroupingReproducesTheEngineAndOracleIsMattingOnly(@TempDir final Path tmp) throws Exception {
		SyntheticCases.write(tmp, 64, 48);
		final Settings s = small();
		final BenchCase matting = BenchCase.discover(tmp.resolve("matting")).get(1);
		final BenchCase.Loaded d = matting.load(1);
		final Map<String, Double> scores = GroupingStudy.scores(d, s);
		final double engine = MattingScores.evaluate(SemanticSoftSegmentation.run(d.image(), null, s, Progress.NONE, false)
			.layers(), d.alpha(), d.trimaps()).sad() / 1000;
		assertEquals(engine, scores.get("fast"), 0.0);
		assertTrue(scores.get("segments") >= s.layers, scores.toString());
		assertTrue(scores.get("oracle") <= scores.get("fast") + 0.02, scores.toString());
		System.out.println("GroupingStudyTest synthetic matte: " + scores);
		assertTrue(scores.get("strokes") <= scores.get("oracle") * 1.1 + 0.02, scores.toString());
		assertTrue(scores.get("strokes seconds") > 0, scores.toString());

		final BenchCase.Loaded instances = BenchCase.discover(tmp.resolve("instances")).get(0).load(1);
		final Map<String, Double> iou = GroupingStudy.scores(instances, s);
		assertFalse(iou.containsKey("oracle"));
		System.out.println("GroupingStudyTest synthetic instances: " + iou);
		assertTrue(iou.get("strokes") >= iou.get("fast") - 0.02, iou.toString());
		assertEquals(InstanceScores.evaluate(SemanticSoftSegmentation.run(instances.image(), null, s, Progress.NONE,
			false).layers(), instances.labels()).meanIoU(), iou.get("fast"), 0.0);
	}

	@Test
	void mainWritesARowPerCaseAndGrouping(@TempDir final Path tmp) throws Exception {
		SyntheticCases.write(tmp.resolve("cases"), 48, 36);
		GroupingStudy.main(new String[] { tmp.resolve("cases/matting").toString(), "--out", tmp.resolve("out").toString(),
			"--set", "workingPixels=1024", "--set", "eigenvectors=16", "--set", "superpixels=80", "--set",
			"constrainedIterations=6", "--set", "relaxedIterations=2" });
		final List<String> lines = Files.readAllLines(tmp.resolve("out/grouping.csv"));
		assertEquals("source,case,kind,grouping,segments,sad_k,mean_iou,seconds", lines.get(0));
		assertEquals(1 + 2 * GroupingStudy.GROUPINGS.size(), lines.size(), lines.toString());
		assertTrue(lines.get(1).matches("matting,synthetic-disc,matting,fast,\\d+,\\d+\\.\\d{4},,\\d+\\.\\d{4}"), lines.get(1));
	}
}
