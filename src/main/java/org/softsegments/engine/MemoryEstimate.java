package org.softsegments.engine;

import java.util.Locale;

/**
 * The Java heap one segmentation needs at least, from the image's size and the settings, so that
 * a front end can refuse an image that cannot fit before any work starts (instead of an
 * {@link OutOfMemoryError} minutes later). It is a lower estimate: an image refused by it does
 * not fit; one accepted may still run out of memory on a heap that is only just large enough.
 * <p>
 * Two parts:
 * <ul>
 * <li>full-resolution arrays, 4 bytes per pixel and channel: the image (3), the guidance
 * features (3), raw network or feature-image channels (D, when D &gt; 3) and the K layers;</li>
 * <li>the spectral stages (superpixels, affinities, eigenvectors, sparsification) on the pixels
 * they run on (fast path: at most {@link Settings#workingPixels}; reference path: all):
 * {@value #SPECTRAL_BYTES_PER_PIXEL} bytes per pixel plus {@value #BYTES_PER_PIXEL_AND_EIGENVECTOR}
 * per pixel and eigenvector.</li>
 * </ul>
 * The constants are calibrated against runs that fit and runs that do not (the README lists them,
 * next to the memory check).
 */
public final class MemoryEstimate {

	private MemoryEstimate() {}

	/** Bytes per pixel of the spectral stages, besides the eigenvectors. */
	static final long SPECTRAL_BYTES_PER_PIXEL = 1000;
	/** Bytes per pixel and eigenvector (the basis and the Lanczos / sparsification blocks). */
	static final long BYTES_PER_PIXEL_AND_EIGENVECTOR = 30;

	/**
	 * The heap (bytes) segmenting a {@code width}×{@code height} image needs at least.
	 *
	 * @param featureChannels channels of the raw features (network output or feature image), 0 or 3
	 *            for colour or preprocessed features
	 */
	public static long bytes(final long width, final long height, final int featureChannels, final Settings s) {
		final long pixels = width * height;
		final long full = 4L * pixels * (3 + 3 + (featureChannels > 3 ? featureChannels : 0) + s.layers);
		return full + spectralPixels(pixels, s) * (SPECTRAL_BYTES_PER_PIXEL + BYTES_PER_PIXEL_AND_EIGENVECTOR *
			s.eigenvectors);
	}

	/** The pixels the spectral stages run on. */
	static long spectralPixels(final long pixels, final Settings s) {
		return s.mode == Settings.Mode.FAST && s.workingPixels > 0 ? Math.min(pixels, s.workingPixels) : pixels;
	}

	/**
	 * What segmenting an image needs against what Java may use, and what the fast path at the
	 * default working resolution would need instead: the numbers every front end's refusal message
	 * is made of (each in its own words).
	 *
	 * @param need bytes on the chosen path ({@link #bytes})
	 * @param available the heap Java may use ({@link #available()})
	 * @param fastNeed bytes on the fast path at the default {@link Settings#workingPixels}
	 */
	public record Verdict(long need, long available, long fastNeed) {

		/** True when the chosen path fits. */
		public boolean fits() {
			return need <= available;
		}

		/** True when the fast path at the default working resolution fits. */
		public boolean fastFits() {
			return fastNeed <= available;
		}
	}

	/** The {@link Verdict} for a {@code width × height} image with the settings given. */
	public static Verdict check(final long width, final long height, final int featureChannels, final Settings s) {
		final Settings fast = s.copy();
		fast.mode = Settings.Mode.FAST;
		fast.workingPixels = new Settings().workingPixels;
		return new Verdict(bytes(width, height, featureChannels, s), available(), bytes(width, height, featureChannels, fast));
	}

	/** The heap Java may use ({@code -Xmx}), in bytes. */
	public static long available() {
		return Runtime.getRuntime().maxMemory();
	}

	/** Bytes as people read them: "850 MB", "3.2 GB". */
	public static String format(final long bytes) {
		if (bytes < 1L << 30) return String.format(Locale.ROOT, "%d MB", Math.max(1, Math.round(bytes / 1048576.0)));
		return String.format(Locale.ROOT, "%.1f GB", bytes / 1073741824.0);
	}

	/** A {@code -Xmx} value that leaves room above {@code bytes}: +50 %, whole gigabytes. */
	public static String xmx(final long bytes) {
		return "-Xmx" + Math.max(1, (long) Math.ceil(bytes * 1.5 / (1L << 30))) + "g";
	}
}
