package org.softsegments.features.network;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TensorFlowRuntimeTest {

	@Test
	void loadsTensorFlow2Offline() {
		final String v = TensorFlowRuntime.ensureLoaded();
		assertTrue(v.startsWith(TensorFlowRuntime.EXPECTED_VERSION_PREFIX), v);
		assertTrue(Files.isDirectory(TensorFlowRuntime.nativeFolder()));
		assertTrue("true".equals(System.getProperty("ai.djl.offline")));
		assertTrue(Files.isRegularFile(TensorFlowRuntime.nativeFolder().resolve(System.mapLibraryName("jnitensorflow"))));
	}

	@Test
	void tensorFlow2ClassIsAccepted() {
		assertNull(TensorFlowRuntime.tensorFlow1Problem(org.tensorflow.TensorFlow.class));
		TensorFlowRuntime.checkJavaApi(TensorFlowRuntimeTest.class.getClassLoader());
	}

	/** Stand-in with the shape of TensorFlow 1.x's org.tensorflow.TensorFlow. */
	static final class TensorFlow1 {

		static String version() {
			return "1.15.0";
		}

		static byte[] registeredOpList() {
			return new byte[0];
		}
	}

	@Test
	void tensorFlow1ClassesAreExplained() {
		final String msg = TensorFlowRuntime.tensorFlow1Problem(TensorFlow1.class);
		assertTrue(msg.contains("TensorFlow 1.x") && msg.contains("CSBDeep") && msg.contains("feature image"), msg);
	}

	@Test
	void missingJavaApiIsExplained() {
		final ClassLoader bare = new ClassLoader(ClassLoader.getPlatformClassLoader()) {};
		final IllegalStateException e = assertThrows(IllegalStateException.class, () -> TensorFlowRuntime.checkJavaApi(bare));
		assertTrue(e.getMessage().contains("tensorflow-engine"), e.getMessage());
	}

	@Test
	void missingNativesAreExplained() {
		final ClassLoader bare = new ClassLoader(ClassLoader.getPlatformClassLoader()) {};
		final IllegalStateException e = assertThrows(IllegalStateException.class, () -> TensorFlowRuntime.locateNatives(null, bare));
		assertTrue(e.getMessage().contains(TensorFlowRuntime.NATIVES_ARTIFACT) && e.getMessage().contains("Nothing is downloaded"),
			e.getMessage());
	}

	@Test
	void badLibraryPathIsExplained(@TempDir final Path empty) {
		final IllegalStateException e = assertThrows(IllegalStateException.class,
			() -> TensorFlowRuntime.locateNatives(empty.toString(), TensorFlowRuntimeTest.class.getClassLoader()));
		assertTrue(e.getMessage().contains("TENSORFLOW_LIBRARY_PATH") && e.getMessage().contains(empty.toString()), e.getMessage());
	}

	@Test
	void libraryPathOverrideIsUsed() {
		TensorFlowRuntime.ensureLoaded();
		final Path dir = TensorFlowRuntime.nativeFolder();
		final String before = System.getProperty("org.bytedeco.javacpp.platform.preloadpath");
		try {
			assertTrue(TensorFlowRuntime.locateNatives(dir.toString(), getClass().getClassLoader()).equals(dir.toAbsolutePath()));
		}
		finally {
			if (before == null) System.clearProperty("org.bytedeco.javacpp.platform.preloadpath");
			else System.setProperty("org.bytedeco.javacpp.platform.preloadpath", before);
		}
	}
}
