package org.softsegments.fiji;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Point;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.softsegments.engine.StrokeLabels;

import ij.IJ;
import ij.gui.Line;
import ij.gui.OvalRoi;
import ij.gui.PointRoi;
import ij.gui.PolygonRoi;
import ij.gui.Roi;

/** ROIs → stroke labels ({@link StrokeRois}): exact pixels of lines, points and areas; layers from groups and names; errors. */
class StrokeRoisTest {

	private static final int W = 24, H = 16;

	static {
		HeadlessRoiManager.groupColoursWithoutLutFolder();
	}

	@AfterEach
	void noManager() throws ReflectiveOperationException {
		HeadlessRoiManager.remove();
	}

	/** A 2×2 area in the top-left corner: the second layer that every stroke set needs. */
	private static Roi corner(final int group) {
		final Roi r = new Roi(0, 0, 2, 2);
		r.setGroup(group);
		return r;
	}

	private static Roi grouped(final Roi roi, final int group) {
		roi.setGroup(group);
		return roi;
	}

	private static Roi named(final Roi roi, final String name) {
		roi.setName(name);
		return roi;
	}

	/** The pixels (as "x,y") with label {@code k}. */
	private static String pixels(final StrokeLabels s, final int k) {
		final StringBuilder b = new StringBuilder();
		for (int i = 0; i < W * H; i++) if (s.label(i) == k) b.append(i % W).append(',').append(i / W).append(' ');
		return b.toString().trim();
	}

	private static String box(final int x0, final int x1, final int y0, final int y1) {
		final StringBuilder b = new StringBuilder();
		for (int y = y0; y <= y1; y++) for (int x = x0; x <= x1; x++) b.append(x).append(',').append(y).append(' ');
		return b.toString().trim();
	}

	@Test
	void aLineOfWidthThreeIsExactlyARoundBrushOfDiameterThree() {
		// through the pixel centres of row 5, x = 10…14: the centres within 1.5 of the segment
		for (final float width : new float[] { 0, 1, 3 }) { // thinner lines are drawn 3 wide
			final Line line = new Line(10.5, 5.5, 14.5, 5.5);
			line.setStrokeWidth(width);
			final StrokeLabels s = StrokeRois.labels(new Roi[] { grouped(line, 1), corner(2) }, W, H).strokes();
			assertEquals(box(9, 15, 4, 6), pixels(s, 1), "stroke width " + width);
			assertEquals(21, s.pixels(1));
		}
	}

	@Test
	void aWiderLineHasRoundCaps() {
		final Line line = new Line(10.5, 5.5, 14.5, 5.5);
		line.setStrokeWidth(5); // radius 2.5: rows 3…7 along the line, rows 4…6 two pixels beyond the ends
		final StrokeLabels s = StrokeRois.labels(new Roi[] { grouped(line, 1), corner(2) }, W, H).strokes();
		final int[] expected = new int[W * H];
		for (int y = 3; y <= 7; y++) for (int x = 9; x <= 15; x++) expected[y * W + x] = 1;
		for (int y = 4; y <= 6; y++) expected[y * W + 8] = expected[y * W + 16] = 1;
		for (int i = 0; i < W * H; i++) assertEquals(expected[i], s.label(i) == 1 ? 1 : 0, "pixel " + i % W + "," + i / W);
		assertEquals(41, s.pixels(1));
	}

	@Test
	void aSegmentedLineIsTheUnionOfItsSegmentsAndPointsAreThreeByThree() {
		final PolygonRoi polyline = new PolygonRoi(new float[] { 4.5f, 10.5f, 10.5f }, new float[] { 8.5f, 8.5f, 14.5f },
			Roi.POLYLINE);
		final PointRoi point = new PointRoi(20, 3);
		final StrokeLabels s = StrokeRois.labels(new Roi[] { grouped(polyline, 1), grouped(point, 2) }, W, H).strokes();
		final String horizontal = box(3, 11, 7, 9), vertical = box(9, 11, 7, 15);
		for (final String p : (horizontal + " " + vertical).split(" ")) {
			final String[] xy = p.split(",");
			assertEquals(1, s.label(Integer.parseInt(xy[1]) * W + Integer.parseInt(xy[0])), "pixel " + p);
		}
		assertEquals(9 * 3 + 3 * 6, s.pixels(1)); // the two boxes share 3×3 pixels at the corner
		assertEquals(box(19, 21, 2, 4), pixels(s, 2));
	}

	@Test
	void areasAreTheirMasks() {
		final OvalRoi oval = new OvalRoi(6, 3, 9, 7);
		final StrokeLabels s = StrokeRois.labels(new Roi[] { grouped(oval, 2), corner(1) }, W, H).strokes();
		final Point[] inside = oval.getContainedPoints();
		assertEquals(inside.length, s.pixels(2));
		for (final Point p : inside) assertEquals(2, s.label(p.y * W + p.x));
		assertEquals(box(0, 1, 0, 1), pixels(s, 1));
	}

	@Test
	void groupsAreLayersAndUngroupedRoisShareALayerPerNameInOrderOfAppearance() {
		final Roi[] rois = { named(new Roi(0, 0, 2, 2), "sky"), grouped(new Roi(4, 0, 2, 2), 1), named(new Roi(8, 0, 2, 2),
			"tree"), named(new Roi(12, 0, 2, 2), "sky"), new Roi(16, 0, 2, 2) };
		final StrokeRois.Result r = StrokeRois.labels(rois, W, H);
		assertEquals(4, r.strokes().layers());
		assertEquals(2, r.strokes().label(0)); // 'sky': the first number no group uses
		assertEquals(1, r.strokes().label(4));
		assertEquals(3, r.strokes().label(8)); // 'tree'
		assertEquals(2, r.strokes().label(12)); // 'sky' again
		assertEquals(4, r.strokes().label(16)); // no name: a layer of its own
		assertEquals(List.of("group 1 (1 ROI)", "'sky' (2 ROIs)", "'tree' (1 ROI)", "ROI 5 (1 ROI)"), r.layers());
		// the later ROI wins where they overlap
		final StrokeLabels over = StrokeRois.labels(new Roi[] { grouped(new Roi(0, 0, 4, 4), 1), grouped(new Roi(2, 2, 4, 4),
			2) }, W, H).strokes();
		assertEquals(2, over.label(3 * W + 3));
		assertEquals(12, over.pixels(1));
	}

	@Test
	void badRoisAreExplained() {
		assertMessage("No ROIs given", new Roi[0]);
		assertMessage("All ROIs are one layer ('sky' (2 ROIs)): strokes need at least two layers", named(new Roi(0, 0, 2, 2),
			"sky"), named(new Roi(4, 4, 2, 2), "sky"));
		assertMessage("No ROI marks layer 2, but ROI group 3 is used: the groups must be 1, 2, …, K without gaps", corner(1),
			grouped(new Roi(5, 5, 2, 2), 3));
		assertMessage("ROI 2 is in group 70; the groups 1–64 are layers", corner(1), grouped(new Roi(5, 5, 2, 2), 70));
		assertMessage("ROI 'far' marks no pixel of the 24×16 image", corner(1), grouped(named(new Roi(40, 40, 3, 3), "far"),
			2));
		assertMessage("The ROIs of layer 1 (group 1 (1 ROI)) are all covered by later ROIs", corner(1), grouped(new Roi(0, 0,
			3, 3), 2));
	}

	@Test
	void theRoiManagerIsReadHeadlessSafely() throws ReflectiveOperationException {
		// the test JVM is headless: no ROI Manager can exist unless one is installed
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class, StrokeRois::managerRois);
		assertTrue(e.getMessage().startsWith("strokes=[ROI Manager]: no ROI Manager is open (headless ImageJ has none: " +
			"give the strokes as a label image, strokes=[label image] stroke_image=<title>)"), e.getMessage());
		HeadlessRoiManager.install();
		e = assertThrows(IllegalArgumentException.class, StrokeRois::managerRois);
		assertTrue(e.getMessage().startsWith("strokes=[ROI Manager]: the ROI Manager is empty"), e.getMessage());
		final Roi a = corner(1), b = grouped(new Roi(3, 3, 2, 2), 2);
		HeadlessRoiManager.install(a, b);
		assertArrayEquals(new Roi[] { a, b }, StrokeRois.managerRois());
	}

	@Test
	void insideAHeadlessBatchModeMacroTheMissingRoiManagerIsExplainedToo() {
		// ImageJ would create a macro's batch-mode ROI Manager here, which fails headless (it is a window)
		final String message = IJ.runMacro("setBatchMode(true); m = call('" + MacroProbe.class.getName() +
			".managerRois'); setBatchMode(false); return m;");
		assertTrue(message.startsWith("strokes=[ROI Manager]: no ROI Manager is open (headless ImageJ has none"), message);
	}

	/** Called from a macro: what reading the ROI Manager gives there. */
	public static final class MacroProbe {

		private MacroProbe() {}

		public static String managerRois() {
			try {
				return StrokeRois.managerRois().length + " ROIs";
			}
			catch (final IllegalArgumentException e) {
				return e.getMessage();
			}
		}
	}

	private static void assertMessage(final String expected, final Roi... rois) {
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StrokeRois.labels(rois, W, H));
		assertTrue(e.getMessage().startsWith(expected), "message '" + e.getMessage() + "' does not start with '" + expected +
			"'");
	}
}
