package org.softsegments.features.network;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds TensorFlow 1.x Java classes on the class path and turns feature-network failures they
 * cause into one clear message. Fiji users who enabled the CSBDeep / TensorFlow update sites have
 * {@code jars/libtensorflow-1.x.jar}: its {@code org.tensorflow.*} classes carry the same names as
 * the TensorFlow 2 Java API that the feature network runs on (DJL's {@code tensorflow-api}), and
 * whichever jar comes first on the class path wins.
 * <p>
 * Detection, without loading or initialising any TensorFlow class (this class imports neither
 * DJL nor TensorFlow, so it works even when their jars are missing):
 * <ul>
 * <li>every class-path location that provides {@code org/tensorflow/TensorFlow.class} is
 * inspected: it is TensorFlow 1.x when the same location also provides one of the classes that
 * only TensorFlow 1.x has ({@code org.tensorflow.DataType}, {@code Tensors}, {@code Shape},
 * {@code TensorFlowException}) and not {@code org.tensorflow.ConcreteFunction}, which only the
 * TensorFlow 2 Java API has;</li>
 * <li>a loaded {@code org.tensorflow.TensorFlow} class is TensorFlow 1.x when it declares
 * {@code byte[] registeredOpList()} or lacks {@code registerCustomGradient} (2.x returns an
 * {@code OpList} protocol buffer and has it).</li>
 * </ul>
 */
public final class TensorFlowConflicts {

	private static final String TF_CLASS = "org/tensorflow/TensorFlow.class";
	/** Classes that only the TensorFlow 1.x Java API (libtensorflow 1.x) has. */
	private static final String[] TF1_ONLY = { "DataType.class", "Tensors.class", "Shape.class",
		"TensorFlowException.class" };
	/** A class that only the TensorFlow 2 Java API has. */
	private static final String TF2_ONLY = "ConcreteFunction.class";

	private TensorFlowConflicts() {}

	/**
	 * The class-path locations (jar paths or folders, as text) that provide TensorFlow 1.x's
	 * {@code org.tensorflow} classes to {@code loader}, in class-path order; empty if none.
	 */
	public static List<String> tensorFlow1Locations(final ClassLoader loader) {
		final Set<String> found = new LinkedHashSet<>();
		final List<URL> urls;
		try {
			urls = Collections.list(loader == null ? ClassLoader.getSystemResources(TF_CLASS) : loader.getResources(TF_CLASS));
		}
		catch (final IOException e) {
			return List.of();
		}
		for (final URL url : urls) {
			if (!exists(sibling(url, TF2_ONLY))) {
				for (final String tf1 : TF1_ONLY) {
					if (exists(sibling(url, tf1))) {
						found.add(location(url));
						break;
					}
				}
			}
		}
		return new ArrayList<>(found);
	}

	/**
	 * An explanation if the given (loaded) {@code org.tensorflow.TensorFlow} class is the
	 * TensorFlow 1.x one, else null.
	 */
	public static String tensorFlow1Problem(final Class<?> tensorFlowClass) {
		boolean v2 = false;
		boolean v1 = false;
		final Method[] methods;
		try {
			methods = tensorFlowClass.getDeclaredMethods();
		}
		catch (final LinkageError e) {
			// TensorFlow 2's class names protocol buffer types (1.x's only String and byte[]): when those
			// cannot be loaded it is not the 1.x class, and the missing jar is reported where it is used
			return null;
		}
		for (final Method m : methods) {
			if (m.getName().equals("registerCustomGradient")) v2 = true;
			if (m.getName().equals("registeredOpList") && m.getReturnType() == byte[].class) v1 = true;
		}
		if (v2 && !v1) return null;
		return message(List.of(location(tensorFlowClass)), "its org.tensorflow classes shadow");
	}

	/**
	 * The failure of the feature network as the user should see it. When TensorFlow 1.x classes
	 * are on {@code loader}'s class path and the failure can come from them (anything but an
	 * {@link IllegalArgumentException}, which names a problem of the model folder or the input),
	 * an {@link IllegalStateException} says that TensorFlow 1.x from another update site
	 * conflicts and how to fix it. Otherwise {@link IllegalArgumentException}s and
	 * {@link IllegalStateException}s are returned as they are, a missing or incompatible class
	 * ({@link LinkageError}) becomes an {@link IllegalStateException} that says which jars the
	 * feature network needs, and anything else an {@link IllegalStateException} naming it. The
	 * original failure is the cause.
	 */
	public static RuntimeException explain(final Throwable failure, final ClassLoader loader) {
		if (failure instanceof IllegalArgumentException) return (IllegalArgumentException) failure;
		if (failure instanceof IllegalStateException && failure.getMessage() != null && failure.getMessage().contains(
			MARK))
		{
			return (IllegalStateException) failure; // explained already
		}
		final List<String> tf1 = tensorFlow1Locations(loader);
		if (!tf1.isEmpty()) {
			return new IllegalStateException(message(tf1, "its org.tensorflow classes clash with") + " (The error was: " +
				describe(failure) + ")", failure);
		}
		if (failure instanceof IllegalStateException) return (IllegalStateException) failure;
		if (failure instanceof LinkageError && protobufMismatch(failure)) {
			return new IllegalStateException("The feature network could not start: the protobuf-java on the class path " +
				"does not fit the TensorFlow 2 Java API (" + describe(failure) + "); it was built for protobuf-java " +
				"3.x, and Fiji ships 4.x. Install the plugin from its Fiji bundle, whose plugin jar carries its own " +
				"relocated protobuf; or choose 'colour only' or a feature image.", failure);
		}
		if (failure instanceof LinkageError) {
			return new IllegalStateException("The feature network could not start: a class it needs is missing or " +
				"incompatible (" + describe(failure) + "). It needs DJL 0.28.0 (ai.djl:api, tensorflow-engine, " +
				"tensorflow-api, inside the plugin jar of the Fiji bundle), JavaCPP 1.5.10 and the TensorFlow natives " +
				TensorFlowRuntime.NATIVES_ARTIFACT + " (jars/linux64/ of the Fiji bundle): install the whole bundle, " +
				"or choose 'colour only' or a feature image.", failure);
		}
		return new IllegalStateException("The feature network failed: " + describe(failure), failure);
	}

	/** The beginning of every message about TensorFlow 1.x. */
	static final String MARK = "TensorFlow 1.x from another update site";

	/** What to do about TensorFlow 1.x classes on the class path (the end of every such message). */
	static final String HOW_TO_FIX = "How to fix: in Fiji, disable the update sites that bring TensorFlow 1.x " +
		"(CSBDeep, TensorFlow; Help › Update… › Manage update sites) or remove jars/libtensorflow-1.*.jar and " +
		"jars/*/libtensorflow_jni*.jar, then restart Fiji; or choose features 'colour only' or a precomputed feature " +
		"image; or run the command-line runner scripts/sss (no Fiji) with --features unet.";

	/** The message for TensorFlow 1.x found at the given locations. */
	static String message(final List<String> locations, final String how) {
		return MARK + " (" + String.join(", ", locations) + ") conflicts with the " +
			"TensorFlow 2 runtime of the feature network: " + how + " the TensorFlow 2 classes it needs. " + HOW_TO_FIX;
	}

	/** True if a linkage error is about protocol buffer classes (TensorFlow's generated ones or protobuf's). */
	private static boolean protobufMismatch(final Throwable failure) {
		final String m = String.valueOf(failure.getMessage()).replace('/', '.');
		return m.contains("org.tensorflow.proto.") || m.contains("com.google.protobuf.");
	}

	private static String describe(final Throwable t) {
		return t.getMessage() == null ? t.toString() : t.getClass().getSimpleName() + ": " + t.getMessage();
	}

	/** The URL of {@code name} in the same folder (of the same jar) as {@code classUrl}, or null. */
	private static URL sibling(final URL classUrl, final String name) {
		final String s = classUrl.toExternalForm();
		if (!s.endsWith("TensorFlow.class")) return null;
		try {
			return new URL(s.substring(0, s.length() - "TensorFlow.class".length()) + name);
		}
		catch (final IOException e) {
			return null;
		}
	}

	private static boolean exists(final URL url) {
		if (url == null) return false;
		try {
			final URLConnection c = url.openConnection();
			c.setUseCaches(false); // do not keep jar files open
			try (InputStream in = c.getInputStream()) {
				return in != null;
			}
		}
		catch (final IOException | RuntimeException e) {
			return false;
		}
	}

	/** "…/libtensorflow-1.15.0.jar" for a jar URL, the folder for a file URL. */
	private static String location(final URL resource) {
		try {
			final URLConnection c = resource.openConnection();
			if (c instanceof JarURLConnection) {
				final URL jar = ((JarURLConnection) c).getJarFileURL();
				return jar.getProtocol().equals("file") ? new java.io.File(jar.toURI()).getPath() : jar.toString();
			}
		}
		catch (final IOException | java.net.URISyntaxException | RuntimeException e) {
			// fall through
		}
		final String s = resource.toExternalForm();
		return s.endsWith(TF_CLASS) ? s.substring(0, s.length() - TF_CLASS.length()) : s;
	}

	static String location(final Class<?> c) {
		final CodeSource cs = c.getProtectionDomain() == null ? null : c.getProtectionDomain().getCodeSource();
		final URL url = cs == null ? null : cs.getLocation();
		if (url == null) return "an unknown location";
		try {
			return url.getProtocol().equals("file") ? new java.io.File(url.toURI()).getPath() : url.toString();
		}
		catch (final java.net.URISyntaxException | RuntimeException e) {
			return url.toString();
		}
	}
}
