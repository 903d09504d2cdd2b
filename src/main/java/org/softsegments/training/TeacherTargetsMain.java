package org.softsegments.training;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.decomposition.eig.SymmetricQRAlgorithmDecomposition_DDRM;
import org.softsegments.core.Progress;
import org.softsegments.features.network.FeatureNetwork;
import org.softsegments.image.PlanarImage;
import org.softsegments.io.ImageFiles;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

/**
 * Computes the distillation targets of every training photo with one or more teacher networks
 * (TFLite segmentation networks, e.g. the ADE20K and PASCAL DeepLabs of {@code ../shared/models}):
 * each teacher's feature tensor (its card's default: the penultimate 256-channel map) resampled to
 * the {@link TeacherTargets#gridSize target grid}, projected on its top principal components
 * ({@value #CHANNELS} / number of teachers each, estimated once on a sample of the photos) and
 * divided by the scale that makes the mean variance of its channels 1, so that every teacher
 * weighs the same; the teachers' channels are concatenated. Written as {@link TeacherTargets};
 * resumable (photos already written are skipped).
 * <p>
 * The held-out photos of {@link SharedDataset#split} (the benchmark's COCO and BSDS validation
 * images) get no targets: no trained network may see them.
 * <p>
 * Usage: {@code teacher-targets --teacher FILE.tflite [--teacher FILE2.tflite] --out DIR [--data ../shared/data/train] [--limit N]}
 */
public final class TeacherTargetsMain {

	/** Principal components kept, over all teachers. */
	public static final int CHANNELS = 32;
	/** Photos and pixels per photo sampled for the projection. */
	static final int PCA_PHOTOS = 160, PCA_PIXELS = 256;

	private TeacherTargetsMain() {}

	public static void main(final String[] args) throws Exception {
		final List<Path> teachers = new ArrayList<>();
		Path out = null, data = Path.of("../shared/data/train");
		int limit = Integer.MAX_VALUE;
		for (int i = 0; i < args.length; i++) {
			switch (args[i]) {
				case "--teacher":
					teachers.add(Path.of(args[++i]));
					break;
				case "--out":
					out = Path.of(args[++i]);
					break;
				case "--data":
					data = Path.of(args[++i]);
					break;
				case "--limit":
					limit = Integer.parseInt(args[++i]);
					break;
				default:
					System.err.println("Unknown argument " + args[i]);
					System.err.println("Usage: scripts/train-features.sh teacher-targets --teacher FILE.tflite --out DIR [--data DIR] [--limit N]");
					System.exit(2);
			}
		}
		if (teachers.isEmpty() || out == null || CHANNELS % teachers.size() != 0) {
			System.err.println("Usage: scripts/train-features.sh teacher-targets --teacher FILE.tflite --out DIR [--data DIR] [--limit N]");
			System.exit(2);
		}
		run(teachers, data, out, limit);
	}

	/** The training photos (paths relative to {@code data}), sorted, without the held-out ones. */
	public static List<String> photos(final Path data) throws IOException {
		final Set<String> heldOut = new HashSet<>();
		final SharedDataset val = SharedDataset.split(data, SharedDataset.VALIDATION_FRACTION)[1];
		for (int i = 0; i < val.size(); i++) heldOut.add(val.name(i));
		final List<String> photos = new ArrayList<>();
		for (final String set : new String[] { "unlabelled", "bsds500", "coco" }) {
			final Path dir = data.resolve(set).resolve("images");
			if (!Files.isDirectory(dir)) continue;
			try (Stream<Path> s = Files.list(dir)) {
				for (final Path p : s.sorted().collect(Collectors.toList())) {
					final String f = p.getFileName().toString();
					if (!f.endsWith(".jpg") && !f.endsWith(".png")) continue;
					final String id = f.substring(0, f.lastIndexOf('.'));
					if (heldOut.contains(set + "/" + id)) continue;
					photos.add(set + "/images/" + f);
				}
			}
		}
		return photos;
	}

	static void run(final List<Path> teacherFiles, final Path data, final Path out, final int limit) throws IOException {
		final List<String> photos = photos(data);
		Files.createDirectories(out);
		final List<FeatureNetwork> teachers = new ArrayList<>();
		try {
			final int k = CHANNELS / teacherFiles.size();
			final List<Projection> projections = new ArrayList<>();
			final JsonArray provenance = new JsonArray();
			for (int t = 0; t < teacherFiles.size(); t++) {
				teachers.add(FeatureNetwork.load(teacherFiles.get(t)));
				final Projection p = projection(teachers.get(t), data, photos, out.resolve("projection-" + t + ".f32"), k);
				projections.add(p);
				provenance.add(provenance(teacherFiles.get(t), teachers.get(t), p));
			}
			final JsonObject how = new JsonObject();
			how.addProperty("method", "per teacher: top " + k + " principal components of its feature tensor over " + PCA_PHOTOS
				+ " photos × " + PCA_PIXELS + " grid pixels, divided by the teacher's own scale (mean channel variance 1); "
				+ "teachers concatenated in the order given; projection-<t>.f32 holds mean, basis rows, eigenvalues (float32 LE)");
			try (TeacherTargets.Writer writer = TeacherTargets.Writer.open(out, provenance, CHANNELS, 1.0, how)) {
				final long t0 = System.nanoTime();
				int done = 0, skipped = 0;
				// a fixed shuffled order: the photos of a partial run are a sample of every source
				final List<String> order = new ArrayList<>(photos);
				java.util.Collections.shuffle(order, new java.util.Random(1));
				for (final String photo : order) {
					if (done + skipped >= limit) break;
					if (writer.has(photo)) {
						skipped++;
						continue;
					}
					final PlanarImage rgb = ImageFiles.read(data.resolve(photo));
					final int[] g = TeacherTargets.gridSize(rgb.width(), rgb.height());
					final float[] hwc = new float[g[0] * g[1] * CHANNELS];
					for (int t = 0; t < teachers.size(); t++) {
						final PlanarImage f = teachers.get(t).features(rgb, g[0], g[1], FeatureNetwork.DEFAULT_TILE_SIZE, Progress.NONE);
						final float[] part = projections.get(t).apply(f);
						for (int i = 0; i < g[0] * g[1]; i++) System.arraycopy(part, i * k, hwc, i * CHANNELS + t * k, k);
					}
					writer.write(photo, g[0], g[1], hwc);
					done++;
					if (done % 50 == 0) {
						final double s = (System.nanoTime() - t0) / 1e9;
						System.out.printf(Locale.ROOT, "%d written (%d already there) of %d, %.2f s per photo%n", done, skipped, photos.size(), s / done);
					}
				}
				System.out.printf(Locale.ROOT, "done: %d written, %d already there, %d photos in %s%n", done, skipped, photos.size(), out);
			}
		}
		finally {
			for (final FeatureNetwork t : teachers) t.close();
		}
	}

	/** Mean, top principal directions and scale of the teacher's features. */
	static final class Projection {

		final float[] mean;
		final float[][] basis;
		final double[] eigenvalues;
		final float scale;

		Projection(final float[] mean, final float[][] basis, final double[] eigenvalues) {
			this.mean = mean;
			this.basis = basis;
			// as stored (float32), so that a resumed run derives the same scale and provenance
			this.eigenvalues = new double[eigenvalues.length];
			for (int i = 0; i < eigenvalues.length; i++) this.eigenvalues[i] = (float) eigenvalues[i];
			double sum = 0;
			for (final double v : this.eigenvalues) sum += v;
			scale = (float) Math.sqrt(sum / eigenvalues.length);
		}

		/** HWC projected values, divided by the scale. */
		float[] apply(final PlanarImage f) {
			final int n = f.pixels(), d = f.channels(), k = basis.length;
			final float[] out = new float[n * k];
			final float[] x = new float[d];
			for (int i = 0; i < n; i++) {
				for (int c = 0; c < d; c++) x[c] = f.plane(c)[i] - mean[c];
				for (int j = 0; j < k; j++) {
					final float[] b = basis[j];
					double s = 0;
					for (int c = 0; c < d; c++) s += b[c] * x[c];
					out[i * k + j] = (float) (s / scale);
				}
			}
			return out;
		}
	}

	/** The projection, read from {@code out/projection.f32} or estimated and written there. */
	static Projection projection(final FeatureNetwork teacher, final Path data, final List<String> photos, final Path file,
		final int components) throws IOException
	{
		final int d = teacher.channels();
		if (Files.isRegularFile(file)) {
			final ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
			final float[] mean = new float[d];
			for (int c = 0; c < d; c++) mean[c] = b.getFloat();
			final float[][] basis = new float[components][d];
			for (final float[] row : basis) for (int c = 0; c < d; c++) row[c] = b.getFloat();
			final double[] ev = new double[components];
			for (int j = 0; j < components; j++) ev[j] = b.getFloat();
			return new Projection(mean, basis, ev);
		}
		final SplittableRandom rng = new SplittableRandom(7);
		final int photosUsed = Math.min(PCA_PHOTOS, photos.size());
		final double[] sum = new double[d];
		final double[] cov = new double[d * d];
		long count = 0;
		for (int p = 0; p < photosUsed; p++) {
			final String photo = photos.get((int) ((long) p * photos.size() / photosUsed));
			final PlanarImage rgb = ImageFiles.read(data.resolve(photo));
			final int[] g = TeacherTargets.gridSize(rgb.width(), rgb.height());
			final PlanarImage f = teacher.features(rgb, g[0], g[1], FeatureNetwork.DEFAULT_TILE_SIZE, Progress.NONE);
			final double[] x = new double[d];
			for (int s = 0; s < PCA_PIXELS; s++) {
				final int i = rng.nextInt(f.pixels());
				for (int c = 0; c < d; c++) x[c] = f.plane(c)[i];
				for (int a = 0; a < d; a++) {
					sum[a] += x[a];
					for (int b = 0; b <= a; b++) cov[a * d + b] += x[a] * x[b];
				}
				count++;
			}
			if ((p + 1) % 40 == 0) System.out.printf(Locale.ROOT, "projection: %d of %d photos%n", p + 1, photosUsed);
		}
		final DMatrixRMaj m = new DMatrixRMaj(d, d);
		for (int a = 0; a < d; a++) {
			for (int b = 0; b <= a; b++) {
				final double v = cov[a * d + b] / count - sum[a] / count * (sum[b] / count);
				m.set(a, b, v);
				m.set(b, a, v);
			}
		}
		final SymmetricQRAlgorithmDecomposition_DDRM eig = new SymmetricQRAlgorithmDecomposition_DDRM(true);
		if (!eig.decompose(m)) throw new IllegalStateException("eigen-decomposition of the teacher's feature covariance failed");
		final Integer[] order = new Integer[d];
		for (int i = 0; i < d; i++) order[i] = i;
		java.util.Arrays.sort(order, (i, j) -> Double.compare(eig.getEigenvalue(j).real, eig.getEigenvalue(i).real));
		final float[] mean = new float[d];
		for (int c = 0; c < d; c++) mean[c] = (float) (sum[c] / count);
		final float[][] basis = new float[components][d];
		final double[] ev = new double[components];
		for (int j = 0; j < components; j++) {
			final DMatrixRMaj v = eig.getEigenVector(order[j]);
			// sign fixed so that the largest-magnitude entry is positive (deterministic)
			int arg = 0;
			for (int c = 1; c < d; c++) if (Math.abs(v.get(c)) > Math.abs(v.get(arg))) arg = c;
			final double sign = v.get(arg) < 0 ? -1 : 1;
			for (int c = 0; c < d; c++) basis[j][c] = (float) (sign * v.get(c));
			ev[j] = eig.getEigenvalue(order[j]).real;
		}
		final ByteBuffer b = ByteBuffer.allocate(4 * (d + components * d + components)).order(ByteOrder.LITTLE_ENDIAN);
		for (final float v : mean) b.putFloat(v);
		for (final float[] row : basis) for (final float v : row) b.putFloat(v);
		for (final double v : ev) b.putFloat((float) v);
		final Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
		Files.write(tmp, b.array());
		Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		double total = 0;
		for (int a = 0; a < d; a++) total += m.get(a, a);
		double kept = 0;
		for (final double v : ev) kept += v;
		System.out.printf(Locale.ROOT, "projection of %s: %d components keep %.1f %% of the variance%n", teacher.card().name(), components,
			100 * kept / total);
		return new Projection(mean, basis, ev);
	}

	private static JsonObject provenance(final Path teacherFile, final FeatureNetwork teacher, final Projection proj) throws IOException {
		final JsonObject t = new JsonObject();
		t.addProperty("file", teacherFile.getFileName().toString());
		t.addProperty("sha256", sha256(teacherFile));
		t.addProperty("name", teacher.card().name());
		t.addProperty("tensor", teacher.card().outputName());
		t.addProperty("channels", teacher.channels());
		t.addProperty("feed", teacher.card().feed().key());
		t.addProperty("scale", proj.scale);
		final JsonArray ev = new JsonArray();
		for (final double v : proj.eigenvalues) ev.add(Math.round(v * 1e4) / 1e4);
		t.add("eigenvalues", ev);
		return t;
	}

	static String sha256(final Path file) throws IOException {
		try {
			final MessageDigest md = MessageDigest.getInstance("SHA-256");
			final StringBuilder sb = new StringBuilder();
			for (final byte x : md.digest(Files.readAllBytes(file))) sb.append(String.format(Locale.ROOT, "%02x", x));
			return sb.toString();
		}
		catch (final java.security.NoSuchAlgorithmException e) {
			throw new IllegalStateException(e);
		}
	}
}
