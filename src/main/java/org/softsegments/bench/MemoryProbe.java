package org.softsegments.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;

/** Peak memory of this JVM: heap (sum of the heap pools' peaks, an upper bound) and process RSS. */
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
}
