package org.softsegments.features.network;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Prepares the TensorFlow 2 runtime used by DJL's TensorFlow engine (DJL 0.28.0, TensorFlow
 * 2.10.1), fully offline (DESIGN.md §3). Call {@link #ensureLoaded()} before touching DJL or any
 * {@code org.tensorflow} class; it is cheap after the first call.
 * <p>
 * What it does, once per JVM:
 * <ol>
 * <li>sets the system property {@code ai.djl.offline=true} so DJL never tries a download;</li>
 * <li>makes TensorFlow's native log quiet (errors only) unless the environment variable
 * {@code TF_CPP_MIN_LOG_LEVEL} is set, see {@link #quietNativeLog()};</li>
 * <li>checks that the TensorFlow 2 Java API (DJL's {@code tensorflow-api} jar) is what the class
 * path provides for {@code org.tensorflow.*}; TensorFlow 1.x classes (for example
 * {@code libtensorflow-1.15.0.jar} from Fiji's CSBDeep/TensorFlow update sites) shadow it and are
 * reported with the jar that holds them;</li>
 * <li>locates the native libraries: if the environment variable or system property
 * {@code TENSORFLOW_LIBRARY_PATH} names a folder holding {@code libjnitensorflow}, those are used;
 * otherwise JavaCPP's {@code Loader.load} extracts them from the
 * {@code org.tensorflow:tensorflow-core-api:0.5.0:linux-x86_64} jar into {@code ~/.javacpp/cache}
 * (about 460 MB, first use only) and {@code TENSORFLOW_LIBRARY_PATH} is pointed at that folder
 * for DJL;</li>
 * <li>checks that the loaded native library reports TensorFlow 2.x.</li>
 * </ol>
 * Failures throw {@link IllegalStateException} with a message saying what is missing and how to
 * fix it; nothing is ever downloaded. (DJL's own {@code tensorflow-native-cpu} jar is not used: it
 * is labelled as a CUDA build and rejected on CPU machines.)
 */
public final class TensorFlowRuntime {

	/** The TensorFlow version the engine and the natives were built for. */
	public static final String EXPECTED_VERSION_PREFIX = "2.10";

	/** Maven coordinates of the native library jar, for error messages. */
	public static final String NATIVES_ARTIFACT = "org.tensorflow:tensorflow-core-api:0.5.0:linux-x86_64";

	private static final String LIBRARY_PATH_KEY = "TENSORFLOW_LIBRARY_PATH";

	/**
	 * The environment variable that sets the level of TensorFlow's native (C++) log: 0 all, 1 no
	 * INFO, 2 no INFO or WARNING, 3 fatal only.
	 */
	public static final String NATIVE_LOG_LEVEL_VARIABLE = "TF_CPP_MIN_LOG_LEVEL";

	/** The native log level used when the environment sets none: errors only. */
	public static final String QUIET_NATIVE_LOG_LEVEL = "2";

	private static volatile String loadedVersion;
	private static volatile Path nativeFolder;

	private TensorFlowRuntime() {}

	/**
	 * Loads the TensorFlow natives (once) and returns the TensorFlow version they report.
	 *
	 * @throws IllegalStateException when TensorFlow 1.x classes shadow TensorFlow 2, the TensorFlow
	 *           2 Java API or the natives are missing, or the platform is not supported
	 */
	public static String ensureLoaded() {
		String v = loadedVersion;
		if (v != null) return v;
		synchronized (TensorFlowRuntime.class) {
			if (loadedVersion != null) return loadedVersion;
			System.setProperty("ai.djl.offline", "true");
			quietNativeLog();
			checkJavaApi(TensorFlowRuntime.class.getClassLoader());
			final String override = System.getenv(LIBRARY_PATH_KEY) != null ? System.getenv(LIBRARY_PATH_KEY)
				: System.getProperty(LIBRARY_PATH_KEY);
			nativeFolder = locateNatives(override, TensorFlowRuntime.class.getClassLoader());
			System.setProperty(LIBRARY_PATH_KEY, nativeFolder.toString());
			final String version;
			try {
				version = org.tensorflow.TensorFlow.version();
			}
			catch (final LinkageError e) {
				throw new IllegalStateException("The TensorFlow native library in " + nativeFolder
					+ " could not be used (" + e + "). Use the natives of " + NATIVES_ARTIFACT
					+ " (TensorFlow 2.10.1) or unset " + LIBRARY_PATH_KEY + ".", e);
			}
			if (!version.startsWith("2.")) {
				throw new IllegalStateException("TensorFlow " + version + " was loaded, but the feature network needs TensorFlow 2 ("
					+ EXPECTED_VERSION_PREFIX + ".x from " + NATIVES_ARTIFACT + "). " + tf1Advice());
			}
			loadedVersion = version;
			return version;
		}
	}

	/**
	 * Sets {@code TF_CPP_MIN_LOG_LEVEL=2} in this process's environment unless it is already set, so
	 * that loading a network does not print TensorFlow's INFO lines ("oneDNN custom operations are
	 * on", "Reading SavedModel from", …) in every front end (command line, Fiji, tests). The native
	 * runtime reads the variable with libc's {@code getenv}; Java cannot change its own environment,
	 * so libc's {@code setenv} is called through JNA (a dependency of DJL, shipped with Fiji) with
	 * overwrite = 0: a level the user set wins. Best effort: without JNA, or where libc has no
	 * {@code setenv}, nothing changes and TensorFlow logs as usual. Must run before the natives load.
	 */
	static void quietNativeLog() {
		if (System.getenv(NATIVE_LOG_LEVEL_VARIABLE) != null) return;
		try {
			Libc.setenvUnlessSet(NATIVE_LOG_LEVEL_VARIABLE, QUIET_NATIVE_LOG_LEVEL);
		}
		catch (final RuntimeException | LinkageError e) {
			// JNA missing (NoClassDefFoundError) or no setenv here (UnsatisfiedLinkError): TensorFlow's default log
		}
	}

	/** libc through JNA; a class of its own so that JNA is only needed when it is called. */
	private static final class Libc {

		static void setenvUnlessSet(final String name, final String value) {
			com.sun.jna.Function.getFunction(com.sun.jna.Platform.C_LIBRARY_NAME, "setenv").invoke(int.class,
				new Object[] { name, value, 0 });
		}
	}

	/** The folder holding the native libraries in use, or null before {@link #ensureLoaded()}. */
	public static Path nativeFolder() {
		return nativeFolder;
	}

	/**
	 * Checks that {@code org.tensorflow.TensorFlow} comes from the TensorFlow 2 Java API (the jar
	 * that also holds the JavaCPP bindings {@code org.tensorflow.internal.c_api.global.tensorflow}).
	 * Package-private for tests.
	 */
	static void checkJavaApi(final ClassLoader loader) {
		final Class<?> tf;
		try {
			tf = Class.forName("org.tensorflow.TensorFlow", false, loader);
		}
		catch (final ClassNotFoundException | LinkageError e) {
			throw new IllegalStateException("The TensorFlow 2 Java API is not on the class path (class org.tensorflow.TensorFlow "
				+ "not found). Add ai.djl.tensorflow:tensorflow-engine:0.28.0 (it brings ai.djl.tensorflow:tensorflow-api).", e);
		}
		final String problem = tensorFlow1Problem(tf);
		if (problem != null) throw new IllegalStateException(problem);
		try {
			Class.forName("org.tensorflow.internal.c_api.global.tensorflow", false, loader);
		}
		catch (final ClassNotFoundException | LinkageError e) {
			throw new IllegalStateException(TensorFlowConflicts.message(java.util.List.of(location(tf)),
				"its org.tensorflow.TensorFlow lacks the TensorFlow 2 bindings (org.tensorflow.internal.c_api.global.tensorflow) and shadows"), e);
		}
	}

	/**
	 * Returns an explanation if the given {@code org.tensorflow.TensorFlow} class is the TensorFlow
	 * 1.x one, else null (see {@link TensorFlowConflicts#tensorFlow1Problem}).
	 */
	static String tensorFlow1Problem(final Class<?> tensorFlowClass) {
		return TensorFlowConflicts.tensorFlow1Problem(tensorFlowClass);
	}

	private static String tf1Advice() {
		return TensorFlowConflicts.HOW_TO_FIX;
	}

	/**
	 * The folder holding the natives: {@code override} (the value of {@code TENSORFLOW_LIBRARY_PATH},
	 * may be null) or, without one, where JavaCPP extracts the natives found by {@code loader}.
	 * Package-private for tests.
	 */
	static Path locateNatives(final String override, final ClassLoader loader) {
		final String jni = System.mapLibraryName("jnitensorflow");
		if (override != null && !override.isBlank()) {
			final Path dir = Path.of(override);
			final Path folder = Files.isRegularFile(dir) ? dir.getParent() : dir;
			if (folder == null || !Files.isRegularFile(folder.resolve(jni))) {
				throw new IllegalStateException(LIBRARY_PATH_KEY + " is set to " + override + ", but that folder has no " + jni
					+ ". Point it at the folder holding the TensorFlow 2.10 natives (" + jni
					+ ", libtensorflow_cc.so.2, libtensorflow_framework.so.2), or unset it to use " + NATIVES_ARTIFACT + ".");
			}
			// Let JavaCPP find the same libraries when org.tensorflow classes initialise.
			System.setProperty("org.bytedeco.javacpp.platform.preloadpath", folder.toString());
			return folder.toAbsolutePath();
		}
		final String path;
		try {
			final String platform = org.bytedeco.javacpp.Loader.getPlatform();
			if (!"linux-x86_64".equals(platform)) {
				throw new IllegalStateException("The bundled TensorFlow natives are for linux-x86_64, this machine is " + platform
					+ ". Add org.tensorflow:tensorflow-core-api:0.5.0 with the classifier for " + platform
					+ " to the class path, or set " + LIBRARY_PATH_KEY + " to a folder with TensorFlow 2.10 natives.");
			}
			if (loader.getResource("org/tensorflow/internal/c_api/" + platform + "/" + jni) == null)
			{
				throw new IllegalStateException("The TensorFlow native libraries are not on the class path (no "
					+ "org/tensorflow/internal/c_api/" + platform + "/" + jni + "). Add the jar " + NATIVES_ARTIFACT
					+ " (Maven: classifier linux-x86_64, runtime scope), or set " + LIBRARY_PATH_KEY
					+ " to a folder holding the TensorFlow 2.10 natives. Nothing is downloaded.");
			}
			path = org.bytedeco.javacpp.Loader.load(org.tensorflow.internal.c_api.global.tensorflow.class);
		}
		catch (final IllegalStateException e) {
			throw e;
		}
		catch (final RuntimeException | LinkageError e) {
			throw new IllegalStateException("Could not load the TensorFlow native libraries from " + NATIVES_ARTIFACT
				+ " (" + e + "). JavaCPP extracts about 460 MB into ~/.javacpp/cache on first use: check free disk space "
				+ "and write access there (or set the system property org.bytedeco.javacpp.cachedir), or set "
				+ LIBRARY_PATH_KEY + " to a folder with the natives.", e);
		}
		if (path == null) {
			throw new IllegalStateException("JavaCPP did not load the TensorFlow natives (" + NATIVES_ARTIFACT
				+ " missing from the class path?). Nothing is downloaded.");
		}
		return new File(path).getAbsoluteFile().getParentFile().toPath();
	}

	private static String location(final Class<?> c) {
		return TensorFlowConflicts.location(c);
	}
}
