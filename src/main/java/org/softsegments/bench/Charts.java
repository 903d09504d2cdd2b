package org.softsegments.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;

import javax.imageio.ImageIO;

import org.softsegments.eval.LayerVisualization;

/**
 * Charts drawn with {@link Graphics2D} on a {@link BufferedImage} (headless AWT; no chart
 * library): grouped bars (one group per case, one bar per method), stacked bars (time per
 * stage) and line charts (time or memory against image size). Text uses the JVM's logical sans-serif font; on a machine without any font the
 * charts are still drawn, without text (the CSV and Markdown files carry the numbers).
 */
public final class Charts {

	/** Series colours: the layer palette without its pale entries. */
	private static final int[] SERIES = { 0, 2, 3, 15, 5, 6, 8, 13, 14, 17, 21, 7, 4, 1 };

	private static Boolean textWorks;

	private Charts() {}

	/** Colour of series {@code i}. */
	public static Color seriesColor(final int i) {
		final int[] c = LayerVisualization.color(SERIES[i % SERIES.length]);
		return new Color(c[0], c[1], c[2]);
	}

	/**
	 * Grouped bar chart.
	 *
	 * @param categories one group per category (x axis)
	 * @param series one bar per series in every group (legend)
	 * @param values {@code [series][category]}; NaN = no bar
	 */
	public static BufferedImage grouped(final String title, final String yLabel, final List<String> categories,
		final List<String> series, final double[][] values)
	{
		final int[] colours = new int[series.size()];
		for (int s = 0; s < colours.length; s++) colours[s] = s;
		return grouped(title, yLabel, categories, series, values, colours);
	}

	/**
	 * Grouped bar chart with given series colours.
	 *
	 * @param colours series colour index ({@link #seriesColor}) of every series
	 */
	public static BufferedImage grouped(final String title, final String yLabel, final List<String> categories,
		final List<String> series, final double[][] values, final int[] colours)
	{
		final int bar = Math.max(6, Math.min(18, 120 / Math.max(1, series.size())));
		final int group = series.size() * bar + 14;
		final double max = max(values);
		final Frame f = new Frame(title, yLabel, categories, group, max, series, colours);
		final Graphics2D g = f.g;
		final int offset = (f.slot - series.size() * bar) / 2;
		for (int c = 0; c < categories.size(); c++) {
			for (int s = 0; s < series.size(); s++) {
				final double v = values[s][c];
				if (!Double.isFinite(v)) continue;
				final int x = f.left + c * f.slot + offset + s * bar;
				final int y = f.y(v);
				g.setColor(seriesColor(colours[s]));
				g.fillRect(x, y, bar - 1, f.y(0) - y);
			}
		}
		return f.finish();
	}

	/**
	 * Stacked bar chart.
	 *
	 * @param bars one bar per entry (x axis)
	 * @param parts the stacked parts (legend), bottom first
	 * @param values {@code [bar][part]}; NaN or ≤ 0 = nothing
	 */
	public static BufferedImage stacked(final String title, final String yLabel, final List<String> bars,
		final List<String> parts, final double[][] values)
	{
		double max = 0;
		for (final double[] b : values) {
			double s = 0;
			for (final double v : b) if (Double.isFinite(v) && v > 0) s += v;
			max = Math.max(max, s);
		}
		final int width = 46;
		final int[] colours = new int[parts.size()];
		for (int p = 0; p < colours.length; p++) colours[p] = p;
		final Frame f = new Frame(title, yLabel, bars, width + 18, max, parts, colours);
		final Graphics2D g = f.g;
		for (int b = 0; b < bars.size(); b++) {
			double base = 0;
			final int x = f.left + b * f.slot + (f.slot - width) / 2;
			for (int p = 0; p < parts.size(); p++) {
				final double v = values[b][p];
				if (!Double.isFinite(v) || v <= 0) continue;
				final int y0 = f.y(base), y1 = f.y(base + v);
				g.setColor(seriesColor(p));
				g.fillRect(x, y1, width, Math.max(0, y0 - y1));
				base += v;
			}
		}
		return f.finish();
	}

	/**
	 * Line chart with linear axes from 0 (so that a cost proportional to x is a straight line
	 * through the origin): one polyline with point markers per series.
	 *
	 * @param x {@code [series][point]} x values (finite)
	 * @param y {@code [series][point]} y values; NaN = no point
	 */
	public static BufferedImage lines(final String title, final String xLabel, final String yLabel,
		final List<String> series, final double[][] x, final double[][] y)
	{
		final int w = 640, h = 400, left = 70, right = 20, top = 40, bottom = 60;
		final BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
		final Graphics2D g = canvas(img);
		final double xMax = niceMax(max(x)), yMax = niceMax(max(y));
		final int pw = w - left - right, ph = h - top - bottom;
		g.setColor(Color.BLACK);
		text(g, title, left, 22);
		g.drawLine(left, top + ph, left + pw, top + ph);
		g.drawLine(left, top, left, top + ph);
		for (int t = 0; t <= 5; t++) {
			final int gx = left + pw * t / 5, gy = top + ph - ph * t / 5;
			g.setColor(new Color(225, 225, 225));
			g.drawLine(left + 1, gy, left + pw, gy);
			g.setColor(Color.BLACK);
			final String xl = label(xMax * t / 5), yl = label(yMax * t / 5);
			text(g, xl, gx - textWidth(g, xl) / 2, top + ph + 16);
			text(g, yl, left - 6 - textWidth(g, yl), gy + 4);
		}
		text(g, xLabel, left + pw / 2 - textWidth(g, xLabel) / 2, h - 28);
		final AffineTransform saved = g.getTransform();
		g.rotate(-Math.PI / 2);
		text(g, yLabel, -(top + ph / 2) - textWidth(g, yLabel) / 2, 16);
		g.setTransform(saved);
		g.setStroke(new BasicStroke(2f));
		int legendX = left;
		for (int s = 0; s < series.size(); s++) {
			g.setColor(seriesColor(s));
			int px = -1, py = -1;
			for (int i = 0; i < x[s].length; i++) {
				if (!Double.isFinite(y[s][i])) continue;
				final int cx = left + (int) Math.round(pw * x[s][i] / xMax);
				final int cy = top + ph - (int) Math.round(ph * y[s][i] / yMax);
				if (px >= 0) g.drawLine(px, py, cx, cy);
				g.fillOval(cx - 4, cy - 4, 8, 8);
				px = cx;
				py = cy;
			}
			g.fillRect(legendX, h - 14, 12, 10);
			g.setColor(Color.BLACK);
			text(g, series.get(s), legendX + 16, h - 5);
			legendX += 30 + textWidth(g, series.get(s));
		}
		g.dispose();
		return img;
	}

	/** The smallest of 1, 2, 2.5, 5 × 10^k at or above {@code v} (1 for v ≤ 0). */
	private static double niceMax(final double v) {
		if (!(v > 0)) return 1;
		final double p = Math.pow(10, Math.floor(Math.log10(v)));
		for (final double m : new double[] { 1, 2, 2.5, 5, 10 }) if (m * p >= v * (1 - 1e-12)) return m * p;
		return 10 * p;
	}

	private static String label(final double v) {
		return v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.2g", v);
	}

	/** Writes a PNG atomically (temporary file renamed when complete). */
	public static void writePng(final BufferedImage img, final Path file) throws IOException {
		final Path abs = file.toAbsolutePath();
		Files.createDirectories(abs.getParent());
		final Path tmp = Files.createTempFile(abs.getParent(), "." + file.getFileName(), ".part");
		try {
			if (!ImageIO.write(img, "png", tmp.toFile())) throw new IOException("No PNG writer available");
			Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		}
		finally {
			Files.deleteIfExists(tmp);
		}
	}

	/** Draws {@code text} with its baseline at (x, y); does nothing if no font can be used. */
	public static void text(final Graphics2D g, final String text, final int x, final int y) {
		if (!textWorks()) return;
		g.drawString(text, x, y);
	}

	/** Width of {@code text} in the current font (an estimate if no font can be used). */
	public static int textWidth(final Graphics2D g, final String text) {
		if (!textWorks()) return 7 * text.length();
		return g.getFontMetrics().stringWidth(text);
	}

	/** A white canvas with antialiasing on and a 12-pixel sans-serif font. */
	public static Graphics2D canvas(final BufferedImage img) {
		final Graphics2D g = img.createGraphics();
		g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
		g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
		g.setColor(Color.WHITE);
		g.fillRect(0, 0, img.getWidth(), img.getHeight());
		if (textWorks()) g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
		g.setColor(Color.BLACK);
		return g;
	}

	private static synchronized boolean textWorks() {
		if (textWorks == null) {
			try {
				final BufferedImage probe = new BufferedImage(40, 20, BufferedImage.TYPE_INT_RGB);
				final Graphics2D g = probe.createGraphics();
				g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
				g.drawString("0.5", 2, 15);
				g.getFontMetrics().stringWidth("0.5");
				g.dispose();
				textWorks = true;
			}
			catch (final Throwable e) { // no fonts / fontconfig on this machine
				System.err.println("Charts: no usable font (" + e + "); drawing charts without text");
				textWorks = false;
			}
		}
		return textWorks;
	}

	/** Tick label of value v for ticks of size step. */
	static String tick(final double v, final double step) {
		final int decimals = step >= 1 ? 0 : (int) Math.ceil(-Math.log10(step) - 1e-9);
		return String.format(Locale.ROOT, "%." + decimals + "f", v);
	}

	private static double max(final double[][] values) {
		double m = 0;
		for (final double[] r : values) for (final double v : r) if (Double.isFinite(v)) m = Math.max(m, v);
		return m;
	}

	/** Axes, title, legend and category labels; bars are drawn between construction and finish. */
	private static final class Frame {

		final BufferedImage img;
		final Graphics2D g;
		final int left = 70, top, plotHeight = 300, bottomAxis, slot;
		final double yMax, step;

		Frame(final String title, final String yLabel, final List<String> categories, final int minSlot, final double max,
			final List<String> legend, final int[] colours)
		{
			final BufferedImage scratch = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
			final Graphics2D sg = canvas(scratch);
			int longest = 0;
			for (final String c : categories) longest = Math.max(longest, textWidth(sg, c));
			int legendWidth = 0;
			for (final String s : legend) legendWidth += textWidth(sg, s) + 30;
			sg.dispose();
			final int width = Math.max(Math.max(560, left + categories.size() * minSlot + 30), Math.min(2400,
				legendWidth + 40));
			// spread the categories over the width, but keep groups compact when there are few
			slot = Math.max(minSlot, Math.min(3 * minSlot, (width - left - 30) / Math.max(1, categories.size())));
			final int plotWidth = categories.size() * slot;
			final int legendRows = Math.max(1, (int) Math.ceil(legendWidth / (double) (width - 40)));
			top = 40 + 18 * legendRows;
			bottomAxis = top + plotHeight;
			final int height = bottomAxis + 20 + (int) Math.ceil(longest * 0.72) + 10;
			img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
			g = canvas(img);
			// title and legend
			g.setFont(g.getFont().deriveFont(Font.BOLD, 14f));
			text(g, title, left, 22);
			g.setFont(g.getFont().deriveFont(Font.PLAIN, 12f));
			int lx = left, ly = 38;
			for (int s = 0; s < legend.size(); s++) {
				final int w = textWidth(g, legend.get(s)) + 30;
				if (lx + w > width - 10 && lx > left) {
					lx = left;
					ly += 18;
				}
				g.setColor(seriesColor(colours[s]));
				g.fillRect(lx, ly - 10, 12, 12);
				g.setColor(Color.BLACK);
				text(g, legend.get(s), lx + 16, ly);
				lx += w;
			}
			// y axis with "nice" ticks
			final double raw = max > 0 ? max / 5 : 1;
			final double mag = Math.pow(10, Math.floor(Math.log10(raw)));
			final double r = raw / mag;
			step = (r <= 1 ? 1 : r <= 2 ? 2 : r <= 5 ? 5 : 10) * mag;
			yMax = Math.max(step, Math.ceil(max / step - 1e-9) * step);
			g.setStroke(new BasicStroke(1));
			for (double v = 0; v <= yMax + step / 2; v += step) {
				final int y = y(v);
				g.setColor(new Color(225, 225, 225));
				g.drawLine(left, y, left + plotWidth, y);
				g.setColor(Color.BLACK);
				final String t = tick(v, step);
				text(g, t, left - 6 - textWidth(g, t), y + 4);
			}
			g.drawLine(left, top, left, bottomAxis);
			g.drawLine(left, bottomAxis, left + plotWidth, bottomAxis);
			// y label, rotated
			final AffineTransform saved = g.getTransform();
			g.rotate(-Math.PI / 2);
			text(g, yLabel, -(top + plotHeight / 2) - textWidth(g, yLabel) / 2, 16);
			g.setTransform(saved);
			// category labels at −45°
			for (int c = 0; c < categories.size(); c++) {
				final int cx = left + c * slot + slot / 2;
				final AffineTransform t = g.getTransform();
				g.translate(cx + 4, bottomAxis + 10);
				g.rotate(-Math.PI / 4);
				final String s = categories.get(c);
				text(g, s, -textWidth(g, s), 0);
				g.setTransform(t);
			}
			// bars are drawn by the caller after this; remember the plot width
		}

		int y(final double v) {
			return bottomAxis - (int) Math.round(plotHeight * Math.max(0, v) / yMax);
		}

		BufferedImage finish() {
			g.dispose();
			return img;
		}
	}

	/** Whether text can be drawn on this machine (fonts available). */
	static boolean hasText() {
		return textWorks();
	}
}
