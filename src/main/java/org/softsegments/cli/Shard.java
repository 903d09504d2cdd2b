package org.softsegments.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * One part of an input collection split across array jobs: {@code I/N} selects the inputs
 * whose 0-based index in the sorted input list is congruent to {@code I} modulo {@code N}.
 * The N shards {@code 0/N … (N−1)/N} partition the list exactly (every input in exactly one
 * shard), and neighbouring inputs go to different shards, which balances folders whose file
 * sizes drift with their names.
 */
public final class Shard {

	/** The whole collection ({@code 0/1}). */
	public static final Shard ALL = new Shard(0, 1);

	private final int index;
	private final int count;

	/**
	 * @param index 0 ≤ index &lt; count
	 * @param count number of shards, ≥ 1
	 */
	public Shard(final int index, final int count) {
		if (count < 1) throw new IllegalArgumentException("Shard count N must be at least 1, got " + count);
		if (index < 0 || index >= count) {
			throw new IllegalArgumentException("Shard index I must satisfy 0 <= I < N (here N = " + count + "), got " +
				index + "; shards of N are numbered 0/N to " + (count - 1) + "/N");
		}
		this.index = index;
		this.count = count;
	}

	/**
	 * Parses {@code I/N} (for example {@code 3/16}); throws {@link IllegalArgumentException}
	 * saying what is accepted.
	 */
	public static Shard parse(final String text) {
		final String t = text == null ? "" : text.trim();
		final int slash = t.indexOf('/');
		if (slash <= 0 || slash == t.length() - 1) {
			throw new IllegalArgumentException("Shard '" + text + "' is not of the form I/N (for example 0/4: the " +
				"first of 4 shards, 0-based)");
		}
		final int i, n;
		try {
			i = Integer.parseInt(t.substring(0, slash).trim());
			n = Integer.parseInt(t.substring(slash + 1).trim());
		}
		catch (final NumberFormatException e) {
			throw new IllegalArgumentException("Shard '" + text + "' is not of the form I/N with whole numbers I and N " +
				"(for example 0/4)");
		}
		return new Shard(i, n);
	}

	/** 0-based shard index I. */
	public int index() {
		return index;
	}

	/** Number of shards N. */
	public int count() {
		return count;
	}

	/** True if the input at {@code position} of the sorted list belongs to this shard. */
	public boolean contains(final int position) {
		return position % count == index;
	}

	/** The elements of {@code sorted} that belong to this shard, in order. */
	public <T> List<T> select(final List<T> sorted) {
		final List<T> out = new ArrayList<>();
		for (int p = index; p < sorted.size(); p += count) out.add(sorted.get(p));
		return out;
	}

	@Override
	public String toString() {
		return index + "/" + count;
	}

	@Override
	public boolean equals(final Object o) {
		return o instanceof Shard && ((Shard) o).index == index && ((Shard) o).count == count;
	}

	@Override
	public int hashCode() {
		return 31 * index + count;
	}
}
