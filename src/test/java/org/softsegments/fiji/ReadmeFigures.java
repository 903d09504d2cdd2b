package org.softsegments.fiji;

import java.awt.Color;
import java.awt.Font;
import java.awt.Frame;
import java.awt.Graphics2D;
import java.awt.Image;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.Robot;
import java.awt.Window;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import javax.imageio.ImageIO;

import org.scijava.Context;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;
import org.softsegments.demo.SyntheticScene;

import ij.CompositeImage;
import ij.IJ;
import ij.ImageJ;
import ij.ImagePlus;
import ij.WindowManager;
import ij.process.FloatProcessor;

/**
 * Makes the README's figures of the Fiji output (a tool, not a test): runs the command
 * "Semantic Soft Segments" through SciJava's {@link CommandService} on a synthetic scene
 * ({@link SyntheticScene}, 240×180, paper defaults, colour-only features, K = 5) and writes
 * <ul>
 * <li>{@code fiji-output.png}: the input, the layer hyperstack as ImageJ renders it in composite
 * mode, the RGB visualisation, and each channel of the hyperstack with its LUT;</li>
 * <li>with {@code --screenshot} (needs a display, e.g. {@code xvfb-run}): {@code fiji-windows.png},
 * a screenshot of ImageJ 1.x showing the three images in their windows.</li>
 * </ul>
 * Usage: {@code java -cp <test class path> org.softsegments.fiji.ReadmeFigures OUT_DIR [--screenshot]}
 * (see {@code scripts/readme-figures.sh}).
 */
public final class ReadmeFigures {

	private static final int W = 240, H = 180, PAD = 8, LABEL = 18;

	private ReadmeFigures() {}

	public static void main(final String[] args) throws Exception {
		final Path out = Path.of(args.length > 0 ? args[0] : "docs/images");
		final boolean screenshot = args.length > 1 && args[1].equals("--screenshot");
		Files.createDirectories(out);
		final ImagePlus input = new ImagePlus("synthetic-scene.png", FijiTestImages.colorProcessor(SyntheticScene.create(W,
			H, 3, 7).image()));
		final ImagePlus layers, vis;
		try (Context context = new Context()) {
			final Map<String, Object> in = new HashMap<>();
			in.put("imp", input);
			in.put("segments", 5);
			in.put("features", SemanticSoftSegmentsCommand.COLOUR_ONLY);
			in.put("feature_image", null);
			in.put("model", null);
			in.put("seed", 1L);
			in.put("superpixels", 2500);
			in.put("eigenvectors", 100);
			in.put("semantic_weight", 0.01);
			in.put("colour_weight", 0.01);
			in.put("visualization", true);
			final long t0 = System.nanoTime();
			final CommandModule m = context.service(CommandService.class).run(SemanticSoftSegmentsCommand.class, true, in)
				.get();
			System.out.printf("command: %.1f s%n", (System.nanoTime() - t0) * 1e-9);
			layers = (ImagePlus) m.getOutput("layers");
			vis = (ImagePlus) m.getOutput("visualization_image");
		}
		ImageIO.write(figure(input, (CompositeImage) layers, vis), "png", out.resolve("fiji-output.png").toFile());
		if (screenshot) ImageIO.write(screenshot(input, layers, vis), "png", out.resolve("fiji-windows.png").toFile());
		System.out.println("written to " + out);
		System.exit(0);
	}

	/** Input, composite, visualisation on the first row; the K channels with their LUTs below. */
	static BufferedImage figure(final ImagePlus input, final CompositeImage layers, final ImagePlus vis) {
		final int k = layers.getNChannels();
		final int tw = W / 2 + W / 4, th = H / 2 + H / 4; // channel tiles at 3/4 size
		final int width = Math.max(3 * (W + PAD), k * (tw + PAD)) + PAD;
		final int height = PAD + LABEL + H + PAD + LABEL + th + PAD;
		final BufferedImage fig = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
		final Graphics2D g = fig.createGraphics();
		g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
		g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
		g.setColor(Color.WHITE);
		g.fillRect(0, 0, width, height);
		g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
		layers.setMode(IJ.COMPOSITE);
		layers.updateImage();
		final Image[] top = { input.getImage(), layers.getImage(), vis.getImage() };
		final String[] names = { "input (RGB)", "layers hyperstack (composite)", "visualisation (RGB)" };
		for (int i = 0; i < 3; i++) {
			final int x = PAD + i * (W + PAD);
			label(g, names[i], x, PAD);
			g.drawImage(top[i], x, PAD + LABEL, W, H, null);
		}
		final int y = PAD + LABEL + H + PAD;
		for (int c = 1; c <= k; c++) {
			final FloatProcessor fp = (FloatProcessor) layers.getStack().getProcessor(c).duplicate();
			fp.setLut(LayerHyperstacks.layerLut(c - 1));
			fp.setMinAndMax(0, 1);
			final int x = PAD + (c - 1) * (tw + PAD);
			label(g, layers.getStack().getSliceLabel(c) + " (channel " + c + ")", x, y);
			g.drawImage(fp.createImage(), x, y + LABEL, tw, th, null);
		}
		g.dispose();
		return fig;
	}

	private static void label(final Graphics2D g, final String text, final int x, final int y) {
		g.setColor(Color.DARK_GRAY);
		g.drawString(text, x, y + LABEL - 5);
	}

	/** Shows the images in ImageJ 1.x windows and captures the screen around them. */
	static BufferedImage screenshot(final ImagePlus input, final ImagePlus layers, final ImagePlus vis)
		throws Exception
	{
		final ImageJ ij = new ImageJ();
		ij.setLocation(0, 0);
		input.show();
		layers.show();
		vis.show();
		Thread.sleep(1500);
		final Window[] windows = { ij, WindowManager.getWindow(input.getTitle()), WindowManager.getWindow(layers
			.getTitle()), WindowManager.getWindow(vis.getTitle()) };
		int x = 0;
		final int y = ij.getHeight() + 4;
		for (int i = 1; i < windows.length; i++) {
			windows[i].setLocation(x, y);
			x += windows[i].getWidth() + 4;
		}
		((Frame) windows[2]).toFront();
		IJ.showStatus("Semantic Soft Segments: 5 layers");
		Thread.sleep(2500);
		Rectangle all = new Rectangle();
		for (final Window w : windows) all = all.union(w.getBounds());
		return new Robot().createScreenCapture(all);
	}
}
