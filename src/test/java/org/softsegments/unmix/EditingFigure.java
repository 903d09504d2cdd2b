package org.softsegments.unmix;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.file.Path;

import javax.imageio.ImageIO;

import org.softsegments.core.Progress;
import org.softsegments.engine.SegmentationResult;
import org.softsegments.engine.SemanticSoftSegmentation;
import org.softsegments.engine.Settings;
import org.softsegments.engine.StrokeLabels;
import org.softsegments.image.PlanarImage;
import org.softsegments.io.ImageFiles;

/**
 * Renders the README's editing figure ({@code scripts/editing-figure.sh}): a photo with the user's
 * strokes, the scribble-guided layer of the person as an unmixed RGBA layer, and two edits: the
 * person composited on a new background with her unmixed colours and with the naive
 * photo·α cut-out, and the background layer recoloured. Not a test: a tool for the docs.
 * <p>
 * Usage: {@code EditingFigure OUT.png PHOTO STROKES.png}
 */
public final class EditingFigure {

	private static final int PANEL = 300, CAPTION = 22;

	public static void main(final String[] args) throws Exception {
		final PlanarImage photo = org.softsegments.engine.PipelineInputs.rgb(ImageFiles.read(Path.of(args[1])));
		final ImageFiles.Labels l = ImageFiles.readLabels(Path.of(args[2]));
		final StrokeLabels strokes = new StrokeLabels(l.width(), l.height(), l.values());
		final Settings s = new Settings();
		s.seed = 1;
		final SegmentationResult r = SemanticSoftSegmentation.run(photo, null, strokes, s, Progress.NONE, false);
		final PlanarImage layers = r.layers();
		final PlanarImage[] colours = ColourUnmixing.unmix(photo, layers);
		final int w = photo.width(), h = photo.height(), n = w * h;
		final float[] person = layers.plane(0);

		final String[] captions = { "photo and strokes (2 layers)", "layer 1, unmixed RGBA", "on a new background: unmixed",
			"on a new background: photo·α", "background layer recoloured" };
		final BufferedImage out = new BufferedImage(PANEL * captions.length, PANEL + CAPTION, BufferedImage.TYPE_INT_RGB);
		final Graphics2D g = out.createGraphics();
		g.setColor(Color.WHITE);
		g.fillRect(0, 0, out.getWidth(), out.getHeight());
		g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
		g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
		for (int p = 0; p < captions.length; p++) {
			final int[] rgb = new int[n];
			for (int i = 0; i < n; i++) {
				final int x = i % w, y = i / w;
				final double[] c = new double[3];
				for (int ch = 0; ch < 3; ch++) {
					final double photoV = photo.plane(ch)[i];
					final double fg = colours[0].plane(ch)[i], a = person[i];
					// new background: a vertical gradient from evening blue to orange
					final double t = y / (double) (h - 1);
					final double bg = new double[] { 0.15 + 0.8 * t, 0.25 + 0.35 * t, 0.55 - 0.4 * t }[ch];
					final double checker = ((x / 16 + y / 16) & 1) == 0 ? 0.85 : 0.65;
					switch (p) {
						case 0: c[ch] = photoV; break;
						case 1: c[ch] = a * fg + (1 - a) * checker; break;
						case 2: c[ch] = a * fg + (1 - a) * bg; break;
						case 3: c[ch] = photoV * a + (1 - a) * bg; break;
						default: {
							// the background layer's own colours turned to grey-blue, the person kept
							final double grey = 0.3 * colours[1].plane(0)[i] + 0.59 * colours[1].plane(1)[i] + 0.11 * colours[1].plane(2)[i];
							final double recoloured = grey * new double[] { 0.75, 0.9, 1.15 }[ch];
							c[ch] = a * fg + layers.plane(1)[i] * Math.min(1, recoloured);
						}
					}
				}
				if (p == 0 && strokes.label(i) > 0) {
					c[0] = strokes.label(i) == 1 ? 1 : 0.1;
					c[1] = strokes.label(i) == 1 ? 0.9 : 0.8;
					c[2] = strokes.label(i) == 1 ? 0.1 : 1;
				}
				rgb[i] = 0xff << 24 | to8(c[0]) << 16 | to8(c[1]) << 8 | to8(c[2]);
			}
			final BufferedImage panel = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
			panel.setRGB(0, 0, w, h, rgb, 0, w);
			g.drawImage(panel, p * PANEL, CAPTION, PANEL, PANEL * h / w, null);
			g.setColor(Color.BLACK);
			g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
			g.drawString(captions[p], p * PANEL + 4, 16);
		}
		g.dispose();
		ImageIO.write(out, "png", new File(args[0]));
		System.out.println("wrote " + args[0] + " (" + r.layerCount() + " layers, " + String.format("%.1f", r.stageSeconds().get("total"))
			+ " s)");
	}

	private static int to8(final double v) {
		return (int) Math.round(Math.max(0, Math.min(1, v)) * 255);
	}
}
