package org.softsegments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InputCollectionTest {

	@TempDir
	Path tmp;

	private Path touch(final String name) throws Exception {
		final Path p = tmp.resolve(name);
		Files.createDirectories(p.getParent());
		Files.writeString(p, "x");
		return p;
	}

	@Test
	void foldersExpandToSortedImageFilesWithoutOwnOutputs() throws Exception {
		final Path dir = tmp.resolve("in");
		for (final String n : new String[] { "in/b.png", "in/a.JPG", "in/c.tiff", "in/notes.txt", "in/.hidden.png",
			"in/a_soft_segments.tif", "in/a_visualization.png", "in/a_layer3.png", "in/sub/d.png", "in/layer.png" })
		{
			touch(n);
		}
		final Path extra = touch("other/z.dat"); // explicit files are taken whatever their extension
		final List<Path> got = InputCollection.expand(List.of(extra, dir, dir.resolve("b.png")));
		final List<String> names = new ArrayList<>();
		for (final Path p : got) names.add(tmp.relativize(p).toString().replace('\\', '/'));
		assertEquals(List.of("in/a.JPG", "in/b.png", "in/c.tiff", "in/layer.png", "other/z.dat"), names);
	}

	@Test
	void missingInputIsAnError() {
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> InputCollection.expand(
			List.of(tmp.resolve("nope.png"))));
		assertTrue(e.getMessage().contains("nope.png") && e.getMessage().contains("does not exist"), e.getMessage());
	}

	@Test
	void clashingOutputNamesAreAnError() throws Exception {
		final List<Path> files = List.of(touch("x/a.png"), touch("y/a.png"));
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> InputCollection
			.checkDistinctNames(files));
		assertTrue(e.getMessage().contains("'a_…'"), e.getMessage());
		InputCollection.checkDistinctNames(List.of(touch("x/a.png"), touch("x/b.png")));
	}

	@Test
	void baseNamesAndFeatureFiles() throws Exception {
		assertEquals("photo.v2", InputCollection.baseName(Path.of("dir/photo.v2.jpg")));
		assertEquals(".rc", InputCollection.baseName(Path.of(".rc")));
		final Path feats = tmp.resolve("feats");
		final Path same = touch("feats/a.png"), tif = touch("feats/b.tif");
		assertEquals(same, InputCollection.findFeatureFile(feats, Path.of("in/a.png")));
		assertEquals(tif, InputCollection.findFeatureFile(feats, Path.of("in/b.jpg")));
		assertNull(InputCollection.findFeatureFile(feats, Path.of("in/c.png")));
	}
}
