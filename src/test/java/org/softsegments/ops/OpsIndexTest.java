package org.softsegments.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import net.imglib2.img.Img;
import net.imglib2.type.numeric.integer.IntType;
import net.imglib2.type.numeric.real.FloatType;

import org.junit.jupiter.api.Test;
import org.softsegments.demo.SyntheticScene;
import org.softsegments.image.ImgLib2Images;
import org.softsegments.linalg.SparseMatrix;

/**
 * Reads the {@code ops.yaml} that scijava-ops-indexer generated at compile time and checks that
 * every stage is published and every entry resolves to a real public static method whose
 * parameters match the index.
 */
class OpsIndexTest {

	/** The op names every release must publish: one per pipeline stage plus the whole pipeline. */
	private static final Set<String> STAGES = Set.of("sss.softSegments", "sss.preprocessFeatures", "sss.superpixels",
		"sss.mattingAffinity", "sss.semanticAffinity", "sss.colorAffinity", "sss.laplacian", "sss.eigenpairs",
		"sss.initialClusters", "sss.constrainedSparsification", "sss.groupLayers", "sss.imageGradient",
		"sss.relaxedSparsification");

	/** One op entry of the index: its names, source and parameter (kind, type) list. */
	private static final class Entry {

		final List<String> names = new ArrayList<>();
		String source;
		final List<String[]> parameters = new ArrayList<>();
	}

	private static List<Entry> readIndex() throws IOException {
		final List<Entry> entries = new ArrayList<>();
		try (InputStream in = OpsIndexTest.class.getResourceAsStream("/ops.yaml")) {
			assertNotNull(in, "ops.yaml is missing from the class path: is scijava-ops-indexer running?");
			Entry e = null;
			String kind = null;
			for (final String raw : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
				final String line = raw.trim();
				if (line.equals("- op:")) entries.add(e = new Entry());
				else if (line.startsWith("names: [")) {
					for (final String n : line.substring(8, line.length() - 1).split(",")) e.names.add(n.trim());
				}
				else if (line.startsWith("source: ")) e.source = line.substring(8);
				else if (line.startsWith("- parameter type: ")) kind = line.substring(18);
				else if (line.startsWith("type: ") && kind != null) {
					e.parameters.add(new String[] { kind, line.substring(6) });
					kind = null;
				}
			}
		}
		return entries;
	}

	private static Method resolve(final String source) throws ReflectiveOperationException {
		assertTrue(source.startsWith("javaMethod:/"), source);
		final String sig = URLDecoder.decode(source.substring(12), StandardCharsets.UTF_8);
		final String qualified = sig.substring(0, sig.indexOf('('));
		final String args = sig.substring(sig.indexOf('(') + 1, sig.length() - 1);
		final Class<?> owner = Class.forName(qualified.substring(0, qualified.lastIndexOf('.')));
		final List<Class<?>> types = new ArrayList<>();
		if (!args.isEmpty()) for (final String a : args.split(",")) types.add(Class.forName(a));
		return owner.getMethod(qualified.substring(qualified.lastIndexOf('.') + 1), types.toArray(new Class<?>[0]));
	}

	@Test
	void everyStageIsIndexedAndResolvesToAMatchingStaticMethod() throws Exception {
		final List<Entry> entries = readIndex();
		final Set<String> names = new TreeSet<>();
		for (final Entry e : entries) {
			names.addAll(e.names);
			final Method m = resolve(e.source);
			assertTrue(Modifier.isStatic(m.getModifiers()) && Modifier.isPublic(m.getModifiers()), e.source);
			final List<String> inputs = new ArrayList<>();
			String output = null;
			for (final String[] p : e.parameters) {
				if (p[0].equals("INPUT")) inputs.add(p[1]);
				else if (p[0].equals("OUTPUT")) output = p[1];
			}
			final java.lang.reflect.Type[] declared = m.getGenericParameterTypes();
			assertEquals(declared.length, inputs.size(), "parameter count of " + e.source);
			for (int i = 0; i < declared.length; i++) {
				assertEquals(declared[i].getTypeName(), inputs.get(i), "parameter " + i + " of " + e.source);
			}
			assertEquals(m.getGenericReturnType().getTypeName(), output, "output of " + e.source);
		}
		assertTrue(names.containsAll(STAGES), "missing ops: " + new TreeSet<>(STAGES) + " vs indexed " + names);
	}

	@Test
	void indexedStageOpsRunOnASmallImage() throws Exception {
		final Map<String, Method> byName = new LinkedHashMap<>();
		for (final Entry e : readIndex()) byName.putIfAbsent(e.names.get(0), resolve(e.source));
		final Img<FloatType> image = ImgLib2Images.toImg(SyntheticScene.create(40, 32, 2, 1).image());

		@SuppressWarnings("unchecked")
		final Img<IntType> labels = (Img<IntType>) byName.get("sss.superpixels").invoke(null, image, 20);
		assertEquals(40, labels.dimension(0));
		final SparseMatrix wL = (SparseMatrix) byName.get("sss.mattingAffinity").invoke(null, image, 1e-7);
		final SparseMatrix wS = (SparseMatrix) byName.get("sss.semanticAffinity").invoke(null, labels, image);
		final SparseMatrix wC = (SparseMatrix) byName.get("sss.colorAffinity").invoke(null, labels, image);
		final SparseMatrix l = (SparseMatrix) byName.get("sss.laplacian").invoke(null, wL, wS, wC);
		assertEquals(40 * 32, l.size());
		assertTrue(l.isSymmetric());
		@SuppressWarnings("unchecked")
		final Img<FloatType> gradient = (Img<FloatType>) byName.get("sss.imageGradient").invoke(null, image);
		assertEquals(3, gradient.numDimensions());
		assertEquals(1, gradient.dimension(2));
	}
}
