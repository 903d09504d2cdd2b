package org.softsegments.linalg;

/**
 * A square linear operator applied matrix-free: {@code y = A x}. Used by
 * {@link ConjugateGradient} so that systems such as the relaxed-sparsification system of spec
 * §3.12 (5N unknowns) never need to be assembled.
 * <p>
 * Implementations must overwrite every entry of {@code y}, must not modify {@code x}, and are
 * called with distinct arrays for {@code x} and {@code y}. For bit-identical results on any
 * number of threads, a parallel implementation must compute every output entry independently
 * of the way the work is split (for example with
 * {@link org.softsegments.core.Parallel#forRange}).
 */
@FunctionalInterface
public interface LinearOperator {

	/** Computes {@code y = A x}. */
	void apply(double[] x, double[] y);
}
