package org.softsegments.features.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelCardTest {

	static final String MINIMAL = "{\"name\":\"m\",\"input\":{\"name\":\"x\"},\"output\":{\"name\":\"y\",\"channels\":8}}";

	@Test
	void defaults() {
		final ModelCard c = ModelCard.parse(MINIMAL, "card");
		assertEquals("m", c.name());
		assertEquals("x", c.inputName());
		assertEquals("y", c.outputName());
		assertEquals(8, c.channels());
		assertArrayEquals(new String[] { "serve" }, c.tags());
		assertEquals("serving_default", c.signature());
		assertEquals(1, c.paddingMultiple());
		assertEquals(4, c.tileMargin());
		assertEquals(0.25f, c.normalise(0.25f, 0));
	}

	@Test
	void normalisationAndChannelOrder() {
		final ModelCard c = ModelCard.parse("{\"name\":\"m\",\"input\":{\"name\":\"x\",\"channelOrder\":\"BGR\",\"scale\":255,"
			+ "\"mean\":[104,117,123],\"std\":[2,2,2]},\"output\":{\"name\":\"y\",\"channels\":128},\"paddingMultiple\":8,\"tileMargin\":16}", "card");
		assertTrue(c.bgr());
		assertEquals(2, c.modelChannel(0));
		// red value 1.0 goes to model channel 2, normalised with mean[2] = 123
		assertEquals((255 - 123) / 2f, c.normalise(1f, 0), 1e-6);
		assertEquals((0 - 104) / 2f, c.normalise(0f, 2), 1e-6);
		assertEquals(8, c.paddingMultiple());
		assertEquals(16, c.tileMargin());
	}

	@Test
	void errorsNameTheField() {
		assertMessage("{", "not valid JSON");
		assertMessage("[]", "JSON object");
		assertMessage("{\"input\":{\"name\":\"x\"},\"output\":{\"name\":\"y\",\"channels\":8}}", "\"name\"");
		assertMessage("{\"name\":\"m\",\"output\":{\"name\":\"y\",\"channels\":8}}", "\"input\"");
		assertMessage("{\"name\":\"m\",\"input\":{\"name\":\"x\"},\"output\":{\"name\":\"y\"}}", "\"channels\"");
		assertMessage("{\"name\":\"m\",\"input\":{\"name\":\"x\"},\"output\":{\"name\":\"y\",\"channels\":3}}", "at least 4");
		assertMessage("{\"name\":\"m\",\"input\":{\"name\":\"x\",\"layout\":\"NCHW\"},\"output\":{\"name\":\"y\",\"channels\":8}}", "NHWC");
		assertMessage("{\"name\":\"m\",\"input\":{\"name\":\"x\",\"std\":[1,0,1]},\"output\":{\"name\":\"y\",\"channels\":8}}", "std");
		assertMessage("{\"name\":\"m\",\"input\":{\"name\":\"x\",\"mean\":[1,2]},\"output\":{\"name\":\"y\",\"channels\":8}}", "3 numbers");
		assertMessage("{\"name\":\"m\",\"input\":{\"name\":\"x\"},\"output\":{\"name\":\"y\",\"channels\":8},\"paddingMultiple\":16,\"tileMargin\":20}",
			"multiple of paddingMultiple");
		assertMessage("{\"name\":\"m\",\"format\":\"onnx\",\"input\":{\"name\":\"x\"},\"output\":{\"name\":\"y\",\"channels\":8}}", "onnx");
	}

	@Test
	void missingFileIsExplained(@TempDir final Path dir) {
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelCard.read(dir));
		assertTrue(e.getMessage().contains(ModelCard.FILE_NAME));
	}

	@Test
	void writeAndReadBack(@TempDir final Path dir) throws IOException {
		final ModelCard c = ModelCard.parse(MINIMAL, "card");
		c.write(dir);
		final ModelCard back = ModelCard.read(dir);
		assertEquals(c.json(), back.json());
	}

	private static void assertMessage(final String json, final String part) {
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelCard.parse(json, "card.json"));
		assertTrue(e.getMessage().contains(part), "message '" + e.getMessage() + "' should mention " + part);
	}
}
