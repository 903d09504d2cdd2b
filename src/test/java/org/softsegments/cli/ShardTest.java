package org.softsegments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class ShardTest {

	@Test
	void shardsPartitionTheListExactly() {
		for (int size = 0; size <= 11; size++) {
			final List<Integer> list = new ArrayList<>();
			for (int i = 0; i < size; i++) list.add(i);
			for (int n = 1; n <= 5; n++) {
				final int[] seen = new int[size];
				for (int i = 0; i < n; i++) {
					final Shard s = new Shard(i, n);
					for (final int v : s.select(list)) {
						assertEquals(i, v % n, "element " + v + " in shard " + s);
						assertTrue(s.contains(v));
						seen[v]++;
					}
				}
				for (int v = 0; v < size; v++) assertEquals(1, seen[v], "element " + v + " with N = " + n);
			}
		}
	}

	@Test
	void parsesAndRejects() {
		assertEquals(new Shard(3, 16), Shard.parse("3/16"));
		assertEquals(new Shard(0, 1), Shard.parse(" 0 / 1 "));
		assertEquals("3/16", Shard.parse("3/16").toString());
		for (final String bad : new String[] { "", "3", "/4", "3/", "a/4", "3/b", "4/4", "-1/4", "0/0", "1/2/3" }) {
			final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Shard.parse(bad), bad);
			assertTrue(e.getMessage().contains("I/N") || e.getMessage().contains("0 <= I < N") || e.getMessage()
				.contains("at least 1"), e.getMessage());
		}
	}
}
