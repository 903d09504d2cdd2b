package org.softsegments.fiji;

import java.awt.Color;
import java.awt.Frame;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Arrays;

import ij.gui.Roi;
import ij.plugin.frame.RoiManager;
import ij.process.LUT;

/**
 * Tests only: an ImageJ 1.x ROI Manager holding given ROIs in the headless test JVM. The ROI Manager
 * is a window, so headless ImageJ cannot construct one (java.awt.HeadlessException); this allocates
 * the object without running its constructor, fills its ROI list and makes it the manager that
 * {@link RoiManager#getInstance()} returns, as if the user had added the ROIs in the GUI. Only
 * {@link RoiManager#getRoisAsArray()} is meant to be called on it (what {@link StrokeRois} reads).
 */
final class HeadlessRoiManager {

	private HeadlessRoiManager() {}

	/** Installs a manager with {@code rois} (none: an empty manager). */
	static void install(final Roi... rois) throws ReflectiveOperationException {
		final Field unsafeField = Class.forName("sun.misc.Unsafe").getDeclaredField("theUnsafe");
		unsafeField.setAccessible(true);
		final Object unsafe = unsafeField.get(null);
		final Object manager = unsafe.getClass().getMethod("allocateInstance", Class.class).invoke(unsafe,
			RoiManager.class);
		final Field list = RoiManager.class.getDeclaredField("rois");
		list.setAccessible(true);
		list.set(manager, new ArrayList<>(Arrays.asList(rois)));
		instance().set(null, (Frame) manager);
	}

	/** No ROI Manager (as at the start of a headless session). */
	static void remove() throws ReflectiveOperationException {
		instance().set(null, null);
	}

	/**
	 * Gives {@link Roi#setGroup} its group colours without ImageJ's {@code luts} folder (a test has
	 * none: each call would print "LUT not found: …/glasbey.lut"); the colours do not matter here.
	 */
	static void groupColoursWithoutLutFolder() {
		try {
			final Field lut = Roi.class.getDeclaredField("glasbeyLut");
			lut.setAccessible(true);
			if (lut.get(null) == null) lut.set(null, LUT.createLutFromColor(Color.white));
		}
		catch (final ReflectiveOperationException e) {
			throw new IllegalStateException(e);
		}
	}

	private static Field instance() throws NoSuchFieldException {
		final Field f = RoiManager.class.getDeclaredField("instance");
		f.setAccessible(true);
		return f;
	}
}
