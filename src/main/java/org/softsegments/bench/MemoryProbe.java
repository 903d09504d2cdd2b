package org.softsegments.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Peak memory of this JVM: heap (sum of the heap pools' peaks, an upper bound) and process RSS
 * (Linux {@code VmHWM}). {@link #resetPeaks()} starts a new measurement inside one process.
 */
public final class MemoryProbe {

	private MemoryProbe() {}

	/** Sum of the peak usage of all heap pools, in bytes (an upper bound of the true peak). */
	public static long peakHeapBytes() {
		long sum = 0;
		for (final MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
			if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) sum += pool.getPeakUsage().getUsed();
		}
		return sum;
	}

	/** Peak resident set size (VmHWM) in bytes, or −1 where /proc is unavailable. */
	public static long peakRssBytes() {
		try {
			for (final String line : Files.readAllLines(Path.of("/proc/self/status"))) {
				if (line.startsWith("VmHWM:")) {
					return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
				}
			}
		}
		catch (final IOException | NumberFormatException e) {
			// fall through
		}
		return -1;
	}

	/**
	 * Starts a new peak measurement: runs a garbage collection, resets the peak usage of every
	 * heap pool and (on Linux) the process's peak RSS by writing {@code 5} to
	 * {@code /proc/self/clear_refs}. Returns whether the RSS peak could be reset (if not,
	 * {@link #peakRssBytes()} keeps covering the whole process life).
	 */
	public static boolean resetPeaks() {
		System.gc();
		for (final MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
			if (pool.getType() == MemoryType.HEAP) pool.resetPeakUsage();
		}
		try {
			Files.writeString(Path.of("/proc/self/clear_refs"), "5");
			return true;
		}
		catch (final IOException | SecurityException | UnsupportedOperationException e) {
			return false;
		}
	}
}
