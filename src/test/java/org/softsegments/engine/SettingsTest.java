package org.softsegments.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SettingsTest {

	@Test
	void defaultsAreThePapersAndValid() {
		final Settings s = new Settings().validate();
		assertEquals(5, s.layers);
		assertEquals(2500, s.superpixels);
		assertEquals(100, s.eigenvectors);
		assertEquals(40, s.initialClusters);
		assertEquals(0.01, s.semanticWeight);
		assertEquals(0.01, s.colorWeight);
		assertEquals(0.8, s.constrainedGamma);
		assertEquals(100, s.relaxedDelta);
	}

	@Test
	void invalidSettingNamesItselfAndTheRange() {
		final Settings s = new Settings();
		s.eigenvectors = 1;
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, s::validate);
		assertTrue(e.getMessage().contains("eigenvectors"), e.getMessage());
		assertTrue(e.getMessage().contains("[2.0, 1000.0]"), e.getMessage());

		final Settings t = new Settings();
		t.constrainedGamma = Double.NaN;
		assertTrue(assertThrows(IllegalArgumentException.class, t::validate).getMessage().contains("constrainedGamma"));

		final Settings u = new Settings();
		u.layers = 41;
		assertTrue(assertThrows(IllegalArgumentException.class, u::validate).getMessage().contains("initialClusters"));

		final Settings v = new Settings();
		v.layers = 8;
		v.cleanupThreshold = 0.125; // 1/K: the largest of K layers summing to 1 could vanish
		final String message = assertThrows(IllegalArgumentException.class, v::validate).getMessage();
		assertTrue(message.contains("cleanupThreshold") && message.contains("1/8"), message);
		v.cleanupThreshold = 0.12;
		v.validate();
	}

	@Test
	void copyIsIndependent() {
		final Settings s = new Settings();
		s.seed = 42;
		s.layers = 7;
		final Settings c = s.copy();
		assertNotSame(s, c);
		assertEquals(42, c.seed);
		assertEquals(7, c.layers);
		c.layers = 3;
		assertEquals(7, s.layers);
	}
}
