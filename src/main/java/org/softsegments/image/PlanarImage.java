package org.softsegments.image;

import java.util.Arrays;

/**
 * A multi-channel float image stored plane by plane: {@code data[c][x + y * width]}. This is the
 * engine's image type (no ImageJ dependency); the ops and front ends convert ImgLib2 / ImageJ
 * images to and from it.
 */
public final class PlanarImage {

	private final int width;
	private final int height;
	private final float[][] data;

	/** Wraps the given planes (not copied); every plane must hold {@code width·height} values. */
	public PlanarImage(final int width, final int height, final float[][] planes) {
		if (width <= 0 || height <= 0) {
			throw new IllegalArgumentException("Image size must be positive, got " + width + "×" + height);
		}
		if (planes.length == 0) throw new IllegalArgumentException("Image needs at least one channel");
		for (final float[] p : planes) {
			if (p.length != width * height) {
				throw new IllegalArgumentException("Plane of length " + p.length + " does not match " + width + "×" + height);
			}
		}
		this.width = width;
		this.height = height;
		this.data = planes;
	}

	/** A zero image. */
	public static PlanarImage zeros(final int width, final int height, final int channels) {
		final float[][] planes = new float[channels][width * height];
		return new PlanarImage(width, height, planes);
	}

	public int width() {
		return width;
	}

	public int height() {
		return height;
	}

	public int channels() {
		return data.length;
	}

	/** Number of pixels, {@code width·height}. */
	public int pixels() {
		return width * height;
	}

	/** The plane of channel {@code c} (live, not a copy). */
	public float[] plane(final int c) {
		return data[c];
	}

	/** All planes (live). */
	public float[][] planes() {
		return data;
	}

	public float get(final int x, final int y, final int c) {
		return data[c][x + y * width];
	}

	public void set(final int x, final int y, final int c, final float v) {
		data[c][x + y * width] = v;
	}

	/** Deep copy. */
	public PlanarImage copy() {
		final float[][] planes = new float[data.length][];
		for (int c = 0; c < data.length; c++) planes[c] = data[c].clone();
		return new PlanarImage(width, height, planes);
	}

	/** True if both images have the same size, channel count and bit-identical values. */
	public boolean sameAs(final PlanarImage other) {
		if (other.width != width || other.height != height || other.channels() != channels()) return false;
		for (int c = 0; c < data.length; c++) {
			if (!Arrays.equals(data[c], other.data[c])) return false;
		}
		return true;
	}

	@Override
	public String toString() {
		return "PlanarImage[" + width + "×" + height + "×" + data.length + "]";
	}
}
