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
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
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
		"imglib2-imagej");
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
				assertTrue(p.getFileName().toString().endsWith(".jar"), "not a jar: " + p);
				names.add(artifact(p));
			}
		}
		final Set<String> expected = new TreeSet<>(DEPENDENCIES);
		expected.add(PLUGIN);
		assertEquals(expected, names, "jars in " + jars + " (Fiji ships ij, imglib2, scijava-common, " +
			"commons-math3; picocli and progressbar are only for the command line; EJML is relocated inside)");
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
		try (Stream<Path> s = Files.list(jars)) {
			for (final Path jar : (Iterable<Path>) s::iterator) {
				try (ZipFile zip = new ZipFile(jar.toFile())) {
					assertTrue(Collections.list(zip.entries()).stream().noneMatch(e -> e.getName().startsWith(
						"com/google/protobuf/")), "unrelocated protobuf in " + jar);
				}
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
		final List<URL> urls = new ArrayList<>();
		try (Stream<Path> s = Files.list(jars)) {
			for (final Path p : (Iterable<Path>) s::iterator) urls.add(p.toUri().toURL());
		}
		for (final String fijiClass : new String[] { "ij.ImagePlus", "net.imglib2.img.Img", "org.scijava.Context",
			"org.scijava.parsington.Variable", "org.apache.commons.math3.special.Erf" })
		{
			urls.add(Class.forName(fijiClass).getProtectionDomain().getCodeSource().getLocation());
		}
		try (RecordingLoader loader = new RecordingLoader(urls.toArray(new URL[0]))) {
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
			final Class<?> progress = loader.loadClass("org.softsegments.engine.Progress");
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

	/** True if a class file's bytes name {@code pkg} other than as the end of a relocated name. */
	private static boolean refersTo(final String classBytes, final String pkg) {
		for (int i = classBytes.indexOf(pkg); i >= 0; i = classBytes.indexOf(pkg, i + 1)) {
			final String before = classBytes.substring(Math.max(0, i - 7), i);
			if (!before.equals("shaded/") && !before.equals("shaded.")) return true;
		}
		return false;
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
