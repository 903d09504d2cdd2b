package org.softsegments.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.softsegments.image.PlanarImage;

import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;

class TeacherTargetsTest {

	@TempDir
	Path tmp;

	static JsonObject teacher() {
		final JsonObject t = new JsonObject();
		t.addProperty("model", "test-teacher");
		t.addProperty("tensor", "features");
		return t;
	}

	/** A w×h×c target with distinct values exactly representable in float16. */
	static float[] values(final int w, final int h, final int c, final int seed) {
		final float[] v = new float[w * h * c];
		for (int i = 0; i < v.length; i++) v[i] = ((i * 7 + seed * 13) % 97 - 48) / 16f;
		return v;
	}

	@Test
	void namesAndGridSizes() {
		assertEquals("unlabelled_images_ade20k_ADE_val_00000001.f16", TeacherTargets.fileName("unlabelled/images/ade20k_ADE_val_00000001.jpg"));
		assertEquals("coco_images_000000001234.f16", TeacherTargets.fileName("coco/images/000000001234.jpg"));
		assertEquals("a.b_c.f16", TeacherTargets.fileName("a.b/c"));
		assertEquals(128, TeacherTargets.gridSize(640, 480)[0]);
		assertEquals(96, TeacherTargets.gridSize(640, 480)[1]);
		assertEquals(85, TeacherTargets.gridSize(481, 321)[1]);
		assertEquals(96, TeacherTargets.gridSize(480, 640)[0]);
		assertEquals(128, TeacherTargets.gridSize(480, 640)[1]);
	}

	@Test
	void writeThenReadBack() throws IOException {
		final Path dir = tmp.resolve("t");
		final float[] a = values(6, 4, 3, 1), b = values(4, 6, 3, 2);
		try (TeacherTargets.Writer w = TeacherTargets.Writer.open(dir, teacher(), 3, 2.5, new JsonPrimitive("pca"))) {
			w.write("unlabelled/images/x_a.jpg", 6, 4, a);
			w.write("coco/images/b.jpg", 4, 6, b);
		}
		// the file layout: little-endian float16, [height][width][channels]
		final byte[] raw = Files.readAllBytes(dir.resolve("unlabelled_images_x_a.f16"));
		assertEquals(6 * 4 * 3 * 2, raw.length);
		final ByteBuffer buf = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
		assertEquals(a[(2 * 6 + 5) * 3 + 1], Float16.toFloat(buf.getShort(2 * ((2 * 6 + 5) * 3 + 1))));
		assertEquals("image\twidth\theight\nunlabelled/images/x_a.jpg\t6\t4\ncoco/images/b.jpg\t4\t6\n",
			Files.readString(dir.resolve("index.tsv")));

		final TeacherTargets t = TeacherTargets.open(dir);
		assertEquals(2, t.size());
		assertEquals(3, t.channels());
		assertEquals(2.5, t.scale());
		assertEquals("test-teacher", t.teacher().getAsJsonObject().get("model").getAsString());
		assertEquals("coco/images/b.jpg", t.image(1));
		assertEquals(1, t.indexOf("coco/images/b.jpg"));
		assertEquals(-1, t.indexOf("coco/images/none.jpg"));
		final PlanarImage img = t.load(0);
		assertEquals(6, img.width());
		assertEquals(4, img.height());
		assertEquals(3, img.channels());
		for (int y = 0; y < 4; y++) {
			for (int x = 0; x < 6; x++) {
				for (int c = 0; c < 3; c++) assertEquals(a[(y * 6 + x) * 3 + c], img.get(x, y, c));
			}
		}
		assertEquals(4, t.load(1).width());
		assertEquals(6, t.load(1).height());
	}

	@Test
	void aKilledRunResumesAndSkipsWhatIsDone() throws IOException {
		final Path dir = tmp.resolve("t");
		final TeacherTargets.Writer first = TeacherTargets.Writer.open(dir, teacher(), 2, 1, null);
		first.write("unlabelled/images/a.jpg", 3, 2, values(3, 2, 2, 1));
		first.write("unlabelled/images/b.jpg", 3, 2, values(3, 2, 2, 2));
		// no close(): as if killed. Then a half-written index line, a target file without its line, a temp file
		Files.writeString(dir.resolve("index.tsv"), "unlabelled/images/c.jpg\t3", StandardOpenOption.APPEND);
		Files.write(dir.resolve("unlabelled_images_d.f16"), new byte[3 * 2 * 2 * 2]);
		Files.write(dir.resolve("unlabelled_images_e.f16.1.tmp"), new byte[5]);
		// a reader meanwhile sees the complete lines only
		assertEquals(2, TeacherTargets.open(dir).size());

		try (TeacherTargets.Writer again = TeacherTargets.Writer.open(dir, teacher(), 2, 1, null)) {
			assertEquals(2, again.size());
			assertTrue(again.has("unlabelled/images/a.jpg"));
			assertTrue(again.has("unlabelled/images/b.jpg"));
			assertFalse(again.has("unlabelled/images/c.jpg"));
			assertFalse(again.has("unlabelled/images/d.jpg"), "a file without an index line is not done");
			again.write("unlabelled/images/d.jpg", 3, 2, values(3, 2, 2, 4));
		}
		final TeacherTargets t = TeacherTargets.open(dir);
		assertEquals(3, t.size());
		assertEquals(values(3, 2, 2, 4)[(1 * 3 + 0) * 2 + 1], t.load(t.indexOf("unlabelled/images/d.jpg")).get(0, 1, 1));
		assertTrue(Files.readString(dir.resolve("index.tsv"), StandardCharsets.UTF_8).endsWith("unlabelled/images/d.jpg\t3\t2\n"));
	}

	@Test
	void anotherTeacherOrChannelCountIsRefused() throws IOException {
		final Path dir = tmp.resolve("t");
		TeacherTargets.Writer.open(dir, teacher(), 2, 1, null).close();
		final JsonObject other = teacher();
		other.addProperty("tensor", "logits");
		assertThrows(IllegalArgumentException.class, () -> TeacherTargets.Writer.open(dir, other, 2, 1, null));
		assertThrows(IllegalArgumentException.class, () -> TeacherTargets.Writer.open(dir, teacher(), 3, 1, null));
		assertThrows(IllegalArgumentException.class, () -> TeacherTargets.Writer.open(dir, teacher(), 2, 4, null));
		TeacherTargets.Writer.open(dir, teacher(), 2, 1, null).close();
	}

	@Test
	void badInputIsRefused() throws IOException {
		try (TeacherTargets.Writer w = TeacherTargets.Writer.open(tmp.resolve("t"), teacher(), 2, 1, null)) {
			assertThrows(IllegalArgumentException.class, () -> w.write("a.jpg", 3, 2, new float[11]));
			assertThrows(IllegalArgumentException.class, () -> w.write("/abs/a.jpg", 3, 2, new float[12]));
			assertThrows(IllegalArgumentException.class, () -> w.write("x/../a.jpg", 3, 2, new float[12]));
			assertThrows(IllegalArgumentException.class, () -> w.write("a\tb.jpg", 3, 2, new float[12]));
			final float[] big = new float[12];
			big[3] = 70000;
			assertThrows(IllegalArgumentException.class, () -> w.write("a.jpg", 3, 2, big));
			big[3] = Float.NaN;
			assertThrows(IllegalArgumentException.class, () -> w.write("a.jpg", 3, 2, big));
			w.write("x/a_b.jpg", 3, 2, new float[12]);
			assertThrows(IllegalArgumentException.class, () -> w.write("x_a/b.jpg", 3, 2, new float[12]), "same file name");
			assertEquals(1, w.size());
		}
		assertThrows(IllegalArgumentException.class, () -> TeacherTargets.open(tmp.resolve("none")));
	}
}
