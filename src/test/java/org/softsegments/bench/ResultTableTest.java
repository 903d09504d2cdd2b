package org.softsegments.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultTableTest {

	@Test
	void roundTripKeepsQuotesCommasAndNewlines(@TempDir final Path dir) throws Exception {
		final Map<String, String> a = new LinkedHashMap<>();
		a.put("extra", "x");
		a.put("method", "colour");
		a.put("case", "GT01");
		a.put("notes", "one, \"two\"\nthree");
		final Map<String, String> b = new LinkedHashMap<>();
		b.put("case", "GT02");
		b.put("sad_k", "1.5");
		final Path f = dir.resolve("r.csv");
		ResultTable.write(List.of(a, b), f);
		assertEquals("case,method,sad_k,extra,notes", Files.readAllLines(f).get(0), "canonical order, then extras, notes last");
		final List<Map<String, String>> back = ResultTable.read(f);
		assertEquals(2, back.size());
		assertEquals("one, \"two\"\nthree", back.get(0).get("notes"));
		assertEquals("", back.get(0).get("sad_k"));
		assertEquals("1.5", back.get(1).get("sad_k"));
		assertEquals("GT02", back.get(1).get("case"));
	}
}
