package org.softsegments.training;

/**
 * IEEE 754 binary16 ("half") conversion, for the {@link TeacherTargets} files. Java 17 has no
 * {@code Float.floatToFloat16} (Java 20+), hence these. {@link #fromFloat} rounds to nearest, ties
 * to even, as the IEEE default (and Java 20's method) does: overflow gives ±infinity, NaN gives a
 * quiet NaN, tiny values become subnormals or ±0. {@link #toFloat} is exact.
 */
public final class Float16 {

	/** Largest finite half, 65504. */
	public static final float MAX_VALUE = 65504f;

	private Float16() {}

	/** The half nearest to {@code f} (ties to even), as its 16 bits. */
	public static short fromFloat(final float f) {
		final int bits = Float.floatToRawIntBits(f);
		final int sign = (bits >>> 16) & 0x8000;
		final int abs = bits & 0x7fffffff;
		if (abs >= 0x7f800000) return (short) (sign | (abs > 0x7f800000 ? 0x7e00 : 0x7c00)); // NaN, ±infinity
		if (abs >= 0x477ff000) return (short) (sign | 0x7c00); // ≥ 65520 = 65504 + half an ulp: rounds to infinity
		if (abs >= 0x38800000) { // ≥ 2^−14: a normal half
			final int mantissa = abs & 0x7fffff;
			int h = ((abs >>> 23) - 127 + 15) << 10 | mantissa >>> 13;
			final int rest = mantissa & 0x1fff;
			if (rest > 0x1000 || rest == 0x1000 && (h & 1) != 0) h++; // a carry into the exponent is still right
			return (short) (sign | h);
		}
		if (abs < 0x33000000) return (short) sign; // < 2^−25, half the smallest subnormal: ±0
		// subnormal half: units of 2^−24; the float's value is (1.mantissa) · 2^(exponent − 127)
		final int exponent = abs >>> 23;
		final int mantissa = (abs & 0x7fffff) | 0x800000;
		final int shift = 126 - exponent; // 14 … 24
		int h = mantissa >>> shift;
		final int rest = mantissa & ((1 << shift) - 1);
		final int half = 1 << (shift - 1);
		if (rest > half || rest == half && (h & 1) != 0) h++;
		return (short) (sign | h);
	}

	/** The value of a half given by its 16 bits. */
	public static float toFloat(final short half) {
		final int bits = half & 0xffff;
		final int sign = (bits & 0x8000) << 16;
		final int exponent = (bits >>> 10) & 0x1f;
		final int mantissa = bits & 0x3ff;
		if (exponent == 0x1f) return Float.intBitsToFloat(sign | 0x7f800000 | mantissa << 13);
		if (exponent == 0) {
			final float v = mantissa * 0x1p-24f;
			return sign != 0 ? -v : v;
		}
		return Float.intBitsToFloat(sign | (exponent + 112) << 23 | mantissa << 13);
	}
}
