package org.softsegments.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.scijava.plugin.Plugin;

/**
 * Checks the Fiji bundle that the {@code fiji-bundle} profile assembles in the package phase
 * ({@code target/fiji-bundle/Fiji.app/jars/}); runs in the integration-test phase of
 * {@code mvn verify} (failsafe), which passes the bundle and class folders as system properties.
 * Skipped when the profile is off ({@code -DskipBundle}).
 */
class FijiBundleIT {

	/** Artifacts the bundle ships beside the plugin jar: exactly those Fiji lacks. */
	private static final Set<String> DEPENDENCIES = Set.of("arpack", "arpack_combined_all", "csparsej",
		"imglib2-imagej", "javacpp");
	/** The TensorFlow natives, in jars/linux64/ (Fiji adds that folder's jars on 64-bit Linux). */
	private static final String NATIVES = "tensorflow-core-api-0.5.0-linux-x86_64.jar";
	/** Plugin jar artifact name. */
	private static final String PLUGIN = "semantic-soft-segments";
	/** Packages that must appear only relocated inside the plugin jar. */
	private static final String[] RELOCATED = { "org/ejml/", "pabeles/", "com/google/protobuf/" };

	private static Path jars;
	private static Path classes;
	private static Path pluginJar;

	@BeforeAll
	static void locate() throws IOException {
		final String bundle = System.getProperty("fiji.bundle.dir");
		Assumptions.assumeTrue(bundle != null, "fiji-bundle profile is off (-DskipBundle)");
		jars = Path.of(bundle, "jars");
		classes = Path.of(System.getProperty("project.classes.dir"));
		assertTrue(Files.isDirectory(jars), "bundle folder missing: " + jars);
		try (Stream<Path> s = Files.list(jars)) {
			final List<Path> plugin = s.filter(p -> artifact(p).equals(PLUGIN)).collect(Collectors.toList());
			assertEquals(1, plugin.size(), "one plugin jar in " + jars + ": " + plugin);
			pluginJar = plugin.get(0);
		}
	}

	/** "csparsej-1.1.1.jar" → "csparsej". */
	private static String artifact(final Path jar) {
		return jar.getFileName().toString().replaceFirst("-\\d[^-]*(-SNAPSHOT)?\\.jar$", "");
	}

	@Test
	void bundleHoldsThePluginJarAndOnlyTheDependenciesFijiLacks() throws IOException {
		final Set<String> names = new TreeSet<>();
		try (Stream<Path> s = Files.list(jars)) {
			for (final Path p : (Iterable<Path>) s::iterator) {
				if (Files.isDirectory(p)) {
					assertEquals("linux64", p.getFileName().toString(), "unexpected folder " + p);
					continue;
				}
				assertTrue(p.getFileName().toString().endsWith(".jar"), "not a jar: " + p);
				names.add(artifact(p));
			}
		}
		final Set<String> expected = new TreeSet<>(DEPENDENCIES);
		expected.add(PLUGIN);
		assertEquals(expected, names, "jars in " + jars + " (Fiji ships ij, imglib2, scijava-common, " +
			"commons-math3, gson, slf4j-api; picocli and progressbar are only for the command line; EJML, DJL, " +
			"the TensorFlow 2 Java API and protobuf are inside the plugin jar)");
		try (Stream<Path> s = Files.list(jars.resolve("linux64"))) {
			assertEquals(List.of(NATIVES), s.map(p -> p.getFileName().toString()).collect(Collectors.toList()));
		}
	}

	@Test
	void pluginJarHoldsTheOpsIndexAndThePluginIndex() throws Exception {
		try (ZipFile zip = new ZipFile(pluginJar.toFile())) {
			final byte[] ops = read(zip, "ops.yaml");
			assertNotNull(ops, "ops.yaml missing from " + pluginJar);
			assertArrayEquals(Files.readAllBytes(classes.resolve("ops.yaml")), ops, "ops.yaml differs from the build's");
			assertTrue(new String(ops, StandardCharsets.UTF_8).contains("org.softsegments."), "ops.yaml lists our ops");

			final String indexName = "META-INF/json/org.scijava.plugin.Plugin";
			final Set<String> annotated = pluginClasses();
			final byte[] index = read(zip, indexName);
			if (annotated.isEmpty()) return; // nothing to index (yet)
			assertNotNull(index, indexName + " missing from " + pluginJar + " although " + annotated + " are plugins");
			assertArrayEquals(Files.readAllBytes(classes.resolve(indexName)), index, "plugin index differs");
			final Set<String> listed = new TreeSet<>();
			final Matcher m = Pattern.compile("\"class\"\\s*:\\s*\"([^\"]+)\"").matcher(new String(index,
				StandardCharsets.UTF_8));
			while (m.find()) listed.add(m.group(1));
			assertEquals(annotated, listed, "every @Plugin class is indexed");
		}
	}

	@Test
	void ejmlAndProtobufAppearOnlyRelocated() throws IOException {
		try (ZipFile zip = new ZipFile(pluginJar.toFile())) {
			boolean relocatedEjml = false;
			for (final ZipEntry e : Collections.list(zip.entries())) {
				for (final String pkg : RELOCATED) assertFalse(e.getName().startsWith(pkg), "not relocated: " + e);
				relocatedEjml |= e.getName().startsWith("org/softsegments/shaded/ejml/");
				if (!e.getName().endsWith(".class")) continue;
				final String text = new String(zip.getInputStream(e).readAllBytes(), StandardCharsets.ISO_8859_1);
				for (final String pkg : RELOCATED) {
					assertFalse(refersTo(text, pkg) || refersTo(text, pkg.replace('/', '.')), e + " refers to " + pkg);
				}
			}
			assertTrue(relocatedEjml, "relocated EJML classes are inside the plugin jar");
		}
		for (final Path jar : bundleJars()) {
			try (ZipFile zip = new ZipFile(jar.toFile())) {
				assertTrue(Collections.list(zip.entries()).stream().noneMatch(e -> e.getName().startsWith(
					"com/google/protobuf/")), "unrelocated protobuf in " + jar);
			}
		}
	}

	/**
	 * Runs the engine from the bundle jars plus only the jars Fiji provides, in a class loader
	 * that cannot see the build's class path: the bundle is complete, and uses the relocated
	 * EJML, the bundled ARPACK and CSparseJ.
	 */
	@Test
	void engineRunsFromTheBundleWithFijisJars() throws Exception {
		try (RecordingLoader loader = new RecordingLoader(classPath(null))) {
			assertThrows(ClassNotFoundException.class, () -> loader.loadClass("org.ejml.data.DMatrixRMaj"));
			assertThrows(ClassNotFoundException.class, () -> loader.loadClass("picocli.CommandLine"));

			final Class<?> sceneClass = loader.loadClass("org.softsegments.demo.SyntheticScene");
			final Object scene = sceneClass.getMethod("create", int.class, int.class, double.class, long.class).invoke(
				null, 32, 24, 2.0, 1L);
			final Object image = sceneClass.getMethod("image").invoke(scene);
			final Class<?> settingsClass = loader.loadClass("org.softsegments.engine.Settings");
			final Object settings = settingsClass.getConstructor().newInstance();
			settingsClass.getField("layers").setInt(settings, 3);
			settingsClass.getField("eigenvectors").setInt(settings, 12);
			settingsClass.getField("superpixels").setInt(settings, 30);
			settingsClass.getField("threads").setInt(settings, 1);
			final Class<?> planar = loader.loadClass("org.softsegments.image.PlanarImage");
			final Class<?> progress = loader.loadClass("org.softsegments.core.Progress");
			final Object result = loader.loadClass("org.softsegments.engine.SemanticSoftSegmentation").getMethod("run",
				planar, planar, settingsClass, progress, boolean.class).invoke(null, image, null, settings, progress
					.getField("NONE").get(null), false);
			final Object layers = result.getClass().getMethod("layers").invoke(result);
			final int k = (int) planar.getMethod("channels").invoke(layers);
			final float[][] planes = (float[][]) planar.getMethod("planes").invoke(layers);
			assertTrue(k >= 2, "layers: " + k);
			for (int i = 0; i < planes[0].length; i++) {
				double sum = 0;
				for (final float[] p : planes) sum += p[i];
				assertEquals(1, sum, 1e-2, "layer sum at pixel " + i);
			}
			for (final String pkg : new String[] { "org.softsegments.shaded.ejml.", "dev.ludovic.netlib.",
				"edu.emory.mathcs.csparsej." })
			{
				assertTrue(loader.loaded.stream().anyMatch(n -> n.startsWith(pkg)), "used " + pkg);
			}
		}
	}

	/**
	 * The bundled U-Net loads and runs from the bundle with protobuf-java 4.x (as Fiji ships it)
	 * first on the class path: the TensorFlow 2 Java API and DJL use the relocated protobuf 3.25
	 * inside the plugin jar. Through {@code FeatureNetwork} directly and through the Fiji command.
	 * (The only test in this JVM that loads the TensorFlow natives: a native library can belong to
	 * one class loader only.)
	 */
	@Test
	void bundledModelRunsWithProtobuf4FirstOnTheClassPath() throws Exception {
		final Path protobuf4 = itJar("protobuf-java-" + System.getProperty("fiji.protobuf.version") + ".jar");
		try (RecordingLoader loader = new RecordingLoader(classPath(protobuf4))) {
			final Class<?> message = loader.loadClass("com.google.protobuf.Message");
			assertEquals(protobuf4.toUri().toURL(), message.getProtectionDomain().getCodeSource().getLocation(),
				"com.google.protobuf is the 4.x jar here");
			final Class<?> network = loader.loadClass("org.softsegments.features.network.FeatureNetwork");
			final Class<?> planar = loader.loadClass("org.softsegments.image.PlanarImage");
			final Object image = scene(loader, 40, 30);
			final AutoCloseable net = (AutoCloseable) network.getMethod("bundled").invoke(null);
			try {
				final Object features = network.getMethod("features", planar).invoke(net, image);
				assertEquals(32, (int) planar.getMethod("channels").invoke(features));
				assertEquals(40, (int) planar.getMethod("width").invoke(features));
				double spread = 0;
				for (final float[] plane : (float[][]) planar.getMethod("planes").invoke(features)) {
					for (final float v : plane) {
						assertTrue(Float.isFinite(v));
						spread = Math.max(spread, Math.abs(v - plane[0]));
					}
				}
				assertTrue(spread > 0, "constant features");
			}
			finally {
				net.close();
			}
			assertTrue(loader.loaded.stream().anyMatch(n -> n.startsWith("org.softsegments.shaded.protobuf.")),
				"the relocated protobuf was used");
			assertTrue(loader.loaded.stream().anyMatch(n -> n.startsWith("ai.djl.tensorflow.engine.")), "DJL's engine");

			// the Fiji command with the bundled U-Net, in a SciJava context of this class path
			final Object module = runCommand(loader, "bundled U-Net", false).get();
			final Object layers = module.getClass().getMethod("getOutput", String.class).invoke(module, "layers");
			assertNotNull(layers, "no layers output");
			assertArrayEquals(new int[] { 40, 30, 3, 1, 1 }, (int[]) layers.getClass().getMethod("getDimensions")
				.invoke(layers));
		}
	}

	/**
	 * TensorFlow 1.x's Java API ({@code libtensorflow-1.15.0.jar}, as the CSBDeep / TensorFlow update
	 * sites ship it) first on the class path: the command fails with the promised explanation, and
	 * before any TensorFlow native is loaded.
	 */
	@Test
	void tensorFlow1FromAnotherUpdateSiteIsExplainedByTheCommand() throws Exception {
		final Path tf1 = itJar("libtensorflow-" + System.getProperty("fiji.tensorflow1.version") + ".jar");
		try (RecordingLoader loader = new RecordingLoader(classPath(tf1))) {
			final ExecutionException e = assertThrows(ExecutionException.class, () -> runCommand(loader,
				"bundled U-Net", true).get());
			Throwable cause = e;
			while (cause != null && !cause.getClass().getName().equals(IllegalStateException.class.getName())) {
				cause = cause.getCause();
			}
			assertNotNull(cause, "no IllegalStateException in " + e);
			final String m = cause.getMessage();
			assertTrue(m.startsWith("TensorFlow 1.x from another update site (" + tf1 + ") conflicts with the " +
				"TensorFlow 2 runtime of the feature network") && m.contains("How to fix"), m);
			assertFalse(loader.loaded.contains("org.tensorflow.internal.c_api.global.tensorflow"), "natives touched");
		}
	}

	/**
	 * Runs the Fiji command on a 40×30 scene (small settings) in a new SciJava context of {@code loader}.
	 * Quietly: the context has no display for ImagePlus outputs (in Fiji, imagej-legacy shows them), so
	 * SciJava's "Ignoring unsupported output" warning is off; and when the test expects the command to
	 * fail ({@code expectFailure}, checked through the returned future), so is the module runner's
	 * "Command errored" log with its stack trace.
	 */
	private static java.util.concurrent.Future<?> runCommand(final ClassLoader loader, final String features,
		final boolean expectFailure) throws Exception
	{
		final Thread thread = Thread.currentThread();
		final ClassLoader before = thread.getContextClassLoader();
		thread.setContextClassLoader(loader); // SciJava finds its plugins through it
		try {
			final Class<?> contextClass = loader.loadClass("org.scijava.Context");
			final Object context = contextClass.getConstructor().newInstance();
			final Class<?> commandService = loader.loadClass("org.scijava.command.CommandService");
			final Object commands = contextClass.getMethod("service", Class.class).invoke(context, commandService);
			final Object log = contextClass.getMethod("service", Class.class).invoke(context, loader.loadClass(
				"org.scijava.log.LogService"));
			final java.lang.reflect.Method setLevel = log.getClass().getMethod("setLevel", String.class, int.class);
			setLevel.invoke(log, "org.scijava.display.DisplayPostprocessor", org.scijava.log.LogLevel.ERROR);
			if (expectFailure) setLevel.invoke(log, "org.scijava.module.ModuleRunner", org.scijava.log.LogLevel.NONE);
			final Map<String, Object> in = new HashMap<>();
			final float[][] rgb = planes(scene(loader, 40, 30));
			final int[] pixels = new int[40 * 30];
			for (int i = 0; i < pixels.length; i++) {
				pixels[i] = 0xff000000 | to8(rgb[0][i]) << 16 | to8(rgb[1][i]) << 8 | to8(rgb[2][i]);
			}
			final Object processor = loader.loadClass("ij.process.ColorProcessor").getConstructor(int.class, int.class,
				int[].class).newInstance(40, 30, pixels);
			in.put("imp", loader.loadClass("ij.ImagePlus").getConstructor(String.class, loader.loadClass(
				"ij.process.ImageProcessor")).newInstance("scene", processor));
			in.put("segments", 3);
			in.put("features", features);
			in.put("feature_image", null);
			in.put("model", null);
			in.put("seed", 1L);
			in.put("superpixels", 100);
			in.put("eigenvectors", 20);
			in.put("semantic_weight", 0.01);
			in.put("colour_weight", 0.01);
			in.put("visualization", false);
			final java.util.concurrent.Future<?> f = (java.util.concurrent.Future<?>) commandService.getMethod("run",
				String.class, boolean.class, Map.class).invoke(commands, "org.softsegments.fiji.SemanticSoftSegmentsCommand",
					true, in);
			try {
				f.get();
			}
			catch (final ExecutionException e) {
				// reported by the caller through the returned future
			}
			contextClass.getMethod("dispose").invoke(context);
			return f;
		}
		finally {
			thread.setContextClassLoader(before);
		}
	}

	private static int to8(final float v) {
		return Math.round(Math.max(0, Math.min(1, v)) * 255);
	}

	/** A synthetic scene image (a PlanarImage of {@code loader}). */
	private static Object scene(final ClassLoader loader, final int w, final int h) throws Exception {
		final Class<?> sceneClass = loader.loadClass("org.softsegments.demo.SyntheticScene");
		final Object scene = sceneClass.getMethod("create", int.class, int.class, double.class, long.class).invoke(null,
			w, h, 2.0, 1L);
		return sceneClass.getMethod("image").invoke(scene);
	}

	private static float[][] planes(final Object planarImage) throws Exception {
		return (float[][]) planarImage.getClass().getMethod("planes").invoke(planarImage);
	}

	/** A jar that the build copied for these tests (pre-integration-test). */
	private static Path itJar(final String name) {
		final Path jar = Path.of(System.getProperty("bundle.it.dir"), name);
		assertTrue(Files.isRegularFile(jar), "missing " + jar + " (copied by the fiji-bundle profile)");
		return jar;
	}

	/** Every jar of the bundle: jars/*.jar and jars/linux64/*.jar. */
	private static List<Path> bundleJars() throws IOException {
		try (Stream<Path> s = Files.walk(jars, 2)) {
			return s.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().collect(Collectors.toList());
		}
	}

	/**
	 * A Fiji-like class path: {@code first} (if not null), the bundle's jars, and the jars of Fiji
	 * itself that the plugin uses (ImageJ 1.x, ImgLib2, SciJava Common + Parsington, Commons Math 3,
	 * and DJL's Gson and SLF4J API, with an SLF4J provider: Fiji has its own, the no-op one of this
	 * test's class path stands in), taken from this test's class path. Nothing else: not the
	 * build's classes, not its protobuf, DJL or TensorFlow jars.
	 */
	private static URL[] classPath(final Path first) throws Exception {
		final List<URL> urls = new ArrayList<>();
		if (first != null) urls.add(first.toUri().toURL());
		for (final Path jar : bundleJars()) urls.add(jar.toUri().toURL());
		for (final String fijiClass : FIJI_CLASSES) {
			urls.add(Class.forName(fijiClass).getProtectionDomain().getCodeSource().getLocation());
		}
		return urls.toArray(new URL[0]);
	}

	/** A class of each jar of Fiji that the plugin needs. */
	private static final String[] FIJI_CLASSES = { "ij.ImagePlus", "net.imglib2.img.Img", "org.scijava.Context",
		"org.scijava.parsington.Variable", "org.apache.commons.math3.special.Erf", "com.google.gson.Gson",
		"org.slf4j.LoggerFactory", "org.slf4j.nop.NOPServiceProvider" };

	/**
	 * True if a class file's bytes name {@code pkg} other than as the end of a relocated name. One
	 * exception: protobuf's own .proto files (Any, Timestamp, descriptor.proto, compiler/plugin.proto, …)
	 * embed their serialized file descriptor, whose option {@code java_package = "com.google.protobuf…"}
	 * is data, not a class reference: protobuf never loads classes by that name.
	 */
	private static boolean refersTo(final String classBytes, final String pkg) {
		for (int i = classBytes.indexOf(pkg); i >= 0; i = classBytes.indexOf(pkg, i + 1)) {
			final String before = classBytes.substring(Math.max(0, i - 7), i);
			if (before.equals("shaded/") || before.equals("shaded.")) continue;
			if (pkg.indexOf('.') >= 0 && isJavaPackageOption(classBytes, i)) continue;
			return true;
		}
		return false;
	}

	/**
	 * True if the text at {@code i} is the value of a serialized {@code FileOptions.java_package}
	 * (field 1: byte 0x0a, a length byte L, L characters of a package name) followed by
	 * {@code java_outer_classname} (field 8: byte 'B').
	 */
	private static boolean isJavaPackageOption(final String classBytes, final int i) {
		if (i < 2 || classBytes.charAt(i - 2) != '\n') return false;
		final int length = classBytes.charAt(i - 1);
		if (i + length >= classBytes.length() || classBytes.charAt(i + length) != 'B') return false;
		return classBytes.substring(i, i + length).matches("[a-z][a-z0-9_.]*");
	}

	/** Names of the compiled classes annotated with SciJava's {@code @Plugin}. */
	private static Set<String> pluginClasses() throws Exception {
		final Set<String> names = new TreeSet<>();
		try (Stream<Path> s = Files.walk(classes)) {
			for (final Path p : (Iterable<Path>) s::iterator) {
				final String rel = classes.relativize(p).toString().replace('\\', '/');
				if (!rel.endsWith(".class") || rel.contains("module-info")) continue;
				final String name = rel.substring(0, rel.length() - 6).replace('/', '.');
				final Class<?> c = Class.forName(name, false, FijiBundleIT.class.getClassLoader());
				if (c.isAnnotationPresent(Plugin.class)) names.add(name);
			}
		}
		return names;
	}

	private static byte[] read(final ZipFile zip, final String name) throws IOException {
		final ZipEntry e = zip.getEntry(name);
		return e == null ? null : zip.getInputStream(e).readAllBytes();
	}

	/** A class loader over the given jars only (parent: the platform loader) that records what it loads. */
	private static final class RecordingLoader extends URLClassLoader {

		final Set<String> loaded = Collections.synchronizedSet(new TreeSet<>());

		RecordingLoader(final URL[] urls) {
			super(urls, ClassLoader.getPlatformClassLoader());
		}

		@Override
		protected Class<?> findClass(final String name) throws ClassNotFoundException {
			final Class<?> c = super.findClass(name);
			loaded.add(name);
			return c;
		}
	}
}
