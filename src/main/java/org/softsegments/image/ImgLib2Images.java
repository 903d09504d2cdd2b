package org.softsegments.image;

import net.imglib2.Cursor;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.IntegerType;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.integer.IntType;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.IntervalView;
import net.imglib2.view.Views;

/**
 * Conversions between ImgLib2 images and the engine's {@link PlanarImage}. Images are
 * {@code X×Y} (one channel) or {@code X×Y×C}. Intensities are scaled to [0,1] by the type's
 * range: integer types are divided by their maximum (8-bit by 255, 16-bit by 65535); float and
 * double values are taken as they are.
 */
public final class ImgLib2Images {

	private ImgLib2Images() {}

	/** An X×Y or X×Y×C image as planes, integer types scaled to [0,1]. */
	public static <T extends RealType<T>> PlanarImage toPlanar(final RandomAccessibleInterval<T> img) {
		return toPlanar(img, true);
	}

	/**
	 * An X×Y or X×Y×C image as planes; with {@code scaleIntegers} integer types are divided by
	 * their maximum value, otherwise all values are taken as they are.
	 */
	public static <T extends RealType<T>> PlanarImage toPlanar(final RandomAccessibleInterval<T> img,
		final boolean scaleIntegers)
	{
		final int nd = img.numDimensions();
		if (nd != 2 && nd != 3) {
			throw new IllegalArgumentException("Expected an X×Y or X×Y×C image, got " + nd + " dimensions");
		}
		final long w = img.dimension(0), h = img.dimension(1), c = nd == 3 ? img.dimension(2) : 1;
		if (w * h > Integer.MAX_VALUE / 2 || w == 0 || h == 0) {
			throw new IllegalArgumentException("Image size " + w + "×" + h + " is not supported");
		}
		final T type = img.getType();
		final double scale = scaleIntegers && type instanceof IntegerType ? 1.0 / type.getMaxValue() : 1.0;
		final float[][] planes = new float[(int) c][(int) (w * h)];
		for (int ch = 0; ch < c; ch++) {
			final RandomAccessibleInterval<T> plane = nd == 3 ? Views.hyperSlice(img, 2, img.min(2) + ch) : img;
			final IntervalView<T> zero = Views.zeroMin(plane);
			final Cursor<T> cursor = Views.flatIterable(zero).cursor();
			final float[] p = planes[ch];
			int i = 0;
			while (cursor.hasNext()) p[i++] = (float) (cursor.next().getRealDouble() * scale);
		}
		return new PlanarImage((int) w, (int) h, planes);
	}

	/** An image as an X×Y×C float image (copied). */
	public static Img<FloatType> toImg(final PlanarImage image) {
		final int n = image.pixels();
		final float[] data = new float[n * image.channels()];
		for (int c = 0; c < image.channels(); c++) System.arraycopy(image.plane(c), 0, data, c * n, n);
		return ArrayImgs.floats(data, image.width(), image.height(), image.channels());
	}

	/** A label array (index x + y·width) as an X×Y int image (copied). */
	public static Img<IntType> labels(final int[] labels, final int width, final int height) {
		if (labels.length != width * height) throw new IllegalArgumentException("labels do not match " + width + "×" +
			height);
		return ArrayImgs.ints(labels.clone(), width, height);
	}

	/** An X×Y integer image as a label array (index x + y·width). */
	public static <T extends IntegerType<T>> int[] labelArray(final RandomAccessibleInterval<T> img) {
		if (img.numDimensions() != 2) {
			throw new IllegalArgumentException("Expected an X×Y label image, got " + img.numDimensions() + " dimensions");
		}
		final int[] out = new int[(int) (img.dimension(0) * img.dimension(1))];
		final Cursor<T> cursor = Views.flatIterable(Views.zeroMin(img)).cursor();
		int i = 0;
		while (cursor.hasNext()) out[i++] = cursor.next().getInteger();
		return out;
	}
}
