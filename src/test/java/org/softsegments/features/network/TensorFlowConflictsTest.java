package org.softsegments.features.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TensorFlow 1.x detection with a fake {@code libtensorflow-1.15.0.jar}: classes with the names
 * and shape of TensorFlow 1.x's {@code org.tensorflow.TensorFlow} and {@code Tensors}, compiled
 * here, put on a child class loader before or after the real TensorFlow 2 API.
 */
class TensorFlowConflictsTest {

	@TempDir
	static Path tmp;

	/** The fake TensorFlow 1.x jar. */
	static Path tf1Jar;
	/** The real TensorFlow 2 Java API jar (DJL's tensorflow-api) of the test class path, with protobuf and JavaCPP. */
	static URL[] tf2;

	@BeforeAll
	static void fakeTensorFlow1() throws IOException {
		final Path src = Files.createDirectories(tmp.resolve("src/org/tensorflow"));
		Files.writeString(src.resolve("TensorFlow.java"), "package org.tensorflow;\n" +
			"public final class TensorFlow {\n  private TensorFlow() {}\n" +
			"  public static String version() { return \"1.15.0\"; }\n" +
			"  public static byte[] registeredOpList() { return new byte[0]; }\n}\n");
		Files.writeString(src.resolve("Tensors.java"), "package org.tensorflow;\n" +
			"public final class Tensors { private Tensors() {} }\n");
		final Path classes = Files.createDirectories(tmp.resolve("classes"));
		final JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
		assertNotNull(javac, "tests need a JDK");
		assertEquals(0, javac.run(null, null, null, "-proc:none", "-d", classes.toString(), src.resolve("TensorFlow.java").toString(),
			src.resolve("Tensors.java").toString()));
		tf1Jar = tmp.resolve("libtensorflow-1.15.0.jar");
		try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(tf1Jar))) {
			for (final String name : new String[] { "org/tensorflow/TensorFlow.class", "org/tensorflow/Tensors.class" }) {
				jar.putNextEntry(new JarEntry(name));
				Files.copy(classes.resolve(name), jar);
				jar.closeEntry();
			}
		}
		tf2 = new URL[3];
		final Class<?>[] classes2 = { org.tensorflow.TensorFlow.class, com.google.protobuf.Message.class,
			org.bytedeco.javacpp.Loader.class };
		for (int i = 0; i < 3; i++) tf2[i] = classes2[i].getProtectionDomain().getCodeSource().getLocation();
	}

	/** A class loader over the given location (or none), then TensorFlow 2, then {@code after} (parent: the platform loader). */
	private static URLClassLoader loader(final Path before, final Path after) throws IOException {
		final List<URL> urls = new ArrayList<>();
		if (before != null) urls.add(before.toUri().toURL());
		urls.addAll(Arrays.asList(tf2));
		if (after != null) urls.add(after.toUri().toURL());
		return new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader());
	}

	@Test
	void tensorFlow2AloneIsNoConflict() throws Exception {
		try (URLClassLoader l = loader(null, null)) {
			assertEquals(List.of(), TensorFlowConflicts.tensorFlow1Locations(l));
			assertNull(TensorFlowConflicts.tensorFlow1Problem(Class.forName("org.tensorflow.TensorFlow", false, l)));
			TensorFlowRuntime.checkJavaApi(l); // does not throw
		}
		assertEquals(List.of(), TensorFlowConflicts.tensorFlow1Locations(getClass().getClassLoader()));
	}

	@Test
	void tensorFlow1FirstOnTheClassPathIsFoundAndExplained() throws Exception {
		try (URLClassLoader l = loader(tf1Jar, null)) {
			assertEquals(List.of(tf1Jar.toString()), TensorFlowConflicts.tensorFlow1Locations(l));
			final Class<?> tf = Class.forName("org.tensorflow.TensorFlow", false, l);
			final String problem = TensorFlowConflicts.tensorFlow1Problem(tf);
			assertNotNull(problem);
			assertTrue(problem.startsWith("TensorFlow 1.x from another update site (" + tf1Jar + ") conflicts"), problem);
			// the check that the runtime makes before it loads any native code
			final IllegalStateException e = assertThrows(IllegalStateException.class, () -> TensorFlowRuntime
				.checkJavaApi(l));
			assertTrue(e.getMessage().contains("TensorFlow 1.x from another update site (" + tf1Jar + ")") && e
				.getMessage().contains("How to fix") && e.getMessage().contains("CSBDeep"), e.getMessage());
		}
	}

	@Test
	void tensorFlow1AfterTensorFlow2IsStillListed() throws Exception {
		try (URLClassLoader l = loader(null, tf1Jar)) {
			// TensorFlow 2 wins, so the runtime check passes, but a failure is still attributed to TF 1.x
			TensorFlowRuntime.checkJavaApi(l);
			assertEquals(List.of(tf1Jar.toString()), TensorFlowConflicts.tensorFlow1Locations(l));
		}
	}

	@Test
	void failuresAreExplainedWhenTensorFlow1IsPresent() throws Exception {
		final NoSuchMethodError linkage = new NoSuchMethodError("'org.tensorflow.proto.framework.OpList " +
			"org.tensorflow.TensorFlow.registeredOpList()'");
		try (URLClassLoader l = loader(tf1Jar, null)) {
			final RuntimeException e = TensorFlowConflicts.explain(linkage, l);
			assertTrue(e instanceof IllegalStateException, e.toString());
			assertSame(linkage, e.getCause());
			assertTrue(e.getMessage().startsWith("TensorFlow 1.x from another update site (" + tf1Jar + ") conflicts " +
				"with the TensorFlow 2 runtime of the feature network") && e.getMessage().contains("How to fix") && e
					.getMessage().contains("registeredOpList"), e.getMessage());
			// explained once, not twice
			assertSame(e, TensorFlowConflicts.explain(e, l));
			// a problem of the model folder stays what it is
			final IllegalArgumentException folder = new IllegalArgumentException("Feature model folder not found: /x");
			assertSame(folder, TensorFlowConflicts.explain(folder, l));
		}
	}

	@Test
	void failuresWithoutTensorFlow1() throws Exception {
		try (URLClassLoader l = loader(null, null)) {
			final IllegalStateException natives = new IllegalStateException("natives missing");
			assertSame(natives, TensorFlowConflicts.explain(natives, l));
			final RuntimeException missing = TensorFlowConflicts.explain(new NoClassDefFoundError("ai/djl/Model"), l);
			assertTrue(missing instanceof IllegalStateException && missing.getMessage().contains("ai/djl/Model") &&
				missing.getMessage().contains("install the whole bundle"), missing.getMessage());
			final RuntimeException protobuf = TensorFlowConflicts.explain(new NoSuchMethodError(
				"'void org.tensorflow.proto.framework.SavedModel.makeExtensionsImmutable()'"), l);
			assertTrue(protobuf instanceof IllegalStateException && protobuf.getMessage().contains("protobuf-java") &&
				protobuf.getMessage().contains("makeExtensionsImmutable"), protobuf.getMessage());
			final RuntimeException other = TensorFlowConflicts.explain(new UnsupportedOperationException("boom"), l);
			assertTrue(other instanceof IllegalStateException && other.getMessage().contains("boom"), other.getMessage());
		}
	}
}
