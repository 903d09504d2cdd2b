package org.softsegments.cli;

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
