package org.softsegments.fiji;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.softsegments.engine.MemoryEstimate;
import org.softsegments.engine.Settings;

/** The Fiji commands' shared parameter handling: messages that name the macro keys, the memory check. */
class CommandParametersTest {

	private static Settings settings(final String mode) {
		return CommandParameters.settings(5, 1, mode, 20_000, 0.01, 2500, 100, 0.01, 0.01);
	}

	@Test
	void settingsMapTheMacroKeys() {
		final Settings s = CommandParameters.settings(7, 42, SemanticSoftSegmentsCommand.REFERENCE, 0, 0, 300, 50, 0.5, 0.25);
		assertEquals(7, s.layers);
		assertEquals(42, s.seed);
		assertEquals(Settings.Mode.REFERENCE, s.mode);
		assertEquals(300, s.superpixels);
		assertEquals(50, s.eigenvectors);
		assertEquals(0.5, s.semanticWeight);
		assertEquals(0.25, s.colorWeight);
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CommandParameters.settings(1, 1,
			SemanticSoftSegmentsCommand.FAST, 20_000, 0.01, 2500, 100, 0.01, 0.01));
		assertEquals("segments=1 is outside the accepted range 2–20", e.getMessage());
		final IllegalArgumentException m = assertThrows(IllegalArgumentException.class, () -> settings("slow"));
		assertTrue(m.getMessage().startsWith("mode=slow is not accepted"), m.getMessage());
	}

	@Test
	void unknownFeatureChoicesListWhatIsAccepted() {
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CommandParameters.checkFeatures(
			"colour", null, null, null, "test", SemanticSoftSegmentsCommand.COLOUR_ONLY, SemanticSoftSegmentsCommand.CUSTOM_MODEL));
		assertEquals("Unknown features choice 'colour'; accepted are '" + SemanticSoftSegmentsCommand.COLOUR_ONLY + "', '" +
			SemanticSoftSegmentsCommand.CUSTOM_MODEL + "'", e.getMessage());
		assertNull(CommandParameters.checkFeatures(SemanticSoftSegmentsCommand.COLOUR_ONLY, null, null, null, "test",
			SemanticSoftSegmentsCommand.COLOUR_ONLY));
		final IllegalArgumentException f = assertThrows(IllegalArgumentException.class, () -> CommandParameters.checkFeatures(
			SemanticSoftSegmentsCommand.FEATURE_IMAGE, null, null, null, "test", SemanticSoftSegmentsCommand.FEATURE_IMAGE));
		assertTrue(f.getMessage().contains("needs a feature image (parameter feature_image"), f.getMessage());
	}

	@Test
	void imagesTooLargeForTheHeapAreRefusedWithRemedies() {
		// a size whose reference path cannot fit in this JVM but whose fast path does
		final long have = MemoryEstimate.available();
		long side = 256;
		while (MemoryEstimate.bytes(side, side, 0, settings(SemanticSoftSegmentsCommand.REFERENCE)) <= have) side *= 2;
		final long s = side;
		assertTrue(MemoryEstimate.bytes(s, s, 0, settings(SemanticSoftSegmentsCommand.FAST)) < have, "test size " + s);
		assertDoesNotThrow(() -> CommandParameters.checkMemory(s, s, 0, settings(SemanticSoftSegmentsCommand.FAST)));
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CommandParameters.checkMemory(s, s,
			0, settings(SemanticSoftSegmentsCommand.REFERENCE)));
		assertTrue(e.getMessage().startsWith("The image is " + s + "×" + s + " pixels: segmenting it on the reference path " +
			"needs at least "), e.getMessage());
		assertTrue(e.getMessage().contains("Not started; give Fiji more memory (Edit › Options › Memory & Threads…"), e.getMessage());
		assertTrue(e.getMessage().contains("choose mode=fast (at least "), e.getMessage());
		// too large for either path: no mode to suggest
		final IllegalArgumentException f = assertThrows(IllegalArgumentException.class, () -> CommandParameters.checkMemory(
			1_000_000, 1_000_000, 0, settings(SemanticSoftSegmentsCommand.FAST)));
		assertTrue(f.getMessage().endsWith("or scale the image down."), f.getMessage());
		assertTrue(!f.getMessage().contains("mode=fast") && !f.getMessage().contains("working_pixels"), f.getMessage());
	}
}
