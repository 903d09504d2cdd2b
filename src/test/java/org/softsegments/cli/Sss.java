package org.softsegments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import org.softsegments.demo.SyntheticScene;
import org.softsegments.image.PlanarImage;
import org.softsegments.io.ImageFiles;

/** Runs {@code sss} in-process and captures its exit code and output (test helper). */
final class Sss {

	final int exitCode;
	final String out;
	final String err;

	private Sss(final int exitCode, final String out, final String err) {
		this.exitCode = exitCode;
		this.out = out;
		this.err = err;
	}

	static Sss run(final String... args) {
		final StringWriter o = new StringWriter(), e = new StringWriter();
		final int code = SegmentMain.run(new PrintWriter(o), new PrintWriter(e), args);
		return new Sss(code, o.toString(), e.toString());
	}

	/**
	 * Asserts that the 8-bit PNG {@code file} holds exactly the rounded values of {@code expected}
	 * (clamped to [0, 1]), channel by channel, at the same size.
	 */
	static void assertPngHolds(final PlanarImage expected, final Path file) throws Exception {
		final PlanarImage png = ImageFiles.read(file);
		assertEquals(expected.width(), png.width(), "width");
		assertEquals(expected.height(), png.height(), "height");
		assertEquals(expected.channels(), png.channels(), "channels");
		for (int c = 0; c < expected.channels(); c++) {
			for (int i = 0; i < expected.pixels(); i++) {
				assertEquals(Math.round(Math.max(0, Math.min(1, expected.plane(c)[i])) * 255),
					Math.round(png.plane(c)[i] * 255), "channel " + c + " pixel " + i);
			}
		}
	}

	/** Writes a small synthetic RGB scene as PNG. */
	static PlanarImage writeScene(final Path file, final int w, final int h, final long seed) throws Exception {
		final PlanarImage image = SyntheticScene.create(w, h, 2, seed).image();
		ImageFiles.writePng(image, file);
		return image;
	}

	@Override
	public String toString() {
		return "exit " + exitCode + "\n--- stdout:\n" + out + "--- stderr:\n" + err;
	}
}
