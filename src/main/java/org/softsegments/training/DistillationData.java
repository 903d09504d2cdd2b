package org.softsegments.training;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;

import org.softsegments.image.PlanarImage;
import org.softsegments.io.ImageFiles;

/**
 * The photos of a distillation run and their {@link TeacherTargets}: every photo with a target,
 * minus the excluded ones (the held-out benchmark images: the validation split of
 * {@link SharedDataset}, see {@link #heldOutImages}), split into training photos and a fixed
 * validation set. Also the crop geometry: {@link #window} samples the same region of a photo and
 * of its target grid, in normalised photo coordinates, so that the two stay aligned whatever
 * their resolutions.
 */
public final class DistillationData {

	/** A photo (RGB in [0, 1]) and its target (C channels on the target grid). */
	public static final class Sample {

		public final PlanarImage rgb;
		public final PlanarImage target;

		public Sample(final PlanarImage rgb, final PlanarImage target) {
			if (rgb.channels() != 3) throw new IllegalArgumentException("Photos must be RGB, got " + rgb.channels() + " channels");
			this.rgb = rgb;
			this.target = target;
		}
	}

	/** A training crop: the image and its target on the network's output grid. */
	public static final class Crop {

		public final PlanarImage rgb;
		public final PlanarImage target;

		Crop(final PlanarImage rgb, final PlanarImage target) {
			this.rgb = rgb;
			this.target = target;
		}
	}

	private final Path dataRoot;
	private final TeacherTargets targets;
	private final List<Integer> train = new ArrayList<>();
	private final List<Integer> validation = new ArrayList<>();
	private final int excludedCount;

	/**
	 * @param excluded image paths (relative to the data root) never to use
	 * @param validationImages image paths held out for validation (each must have a target)
	 * @throws IllegalArgumentException when a validation image has no target or a photo is missing
	 */
	public DistillationData(final Path dataRoot, final TeacherTargets targets, final Set<String> excluded,
		final List<String> validationImages)
	{
		this.dataRoot = dataRoot;
		this.targets = targets;
		final Set<String> val = new HashSet<>(validationImages);
		int ex = 0;
		for (final String image : validationImages) {
			final int i = targets.indexOf(image);
			if (i < 0) throw new IllegalArgumentException("Validation photo " + image + " has no target in " + targets.folder());
			if (excluded.contains(image)) throw new IllegalArgumentException("Validation photo " + image + " is excluded");
			validation.add(i);
		}
		final List<String> missing = new ArrayList<>();
		for (int i = 0; i < targets.size(); i++) {
			final String image = targets.image(i);
			if (excluded.contains(image)) {
				ex++;
				continue;
			}
			if (!Files.isRegularFile(dataRoot.resolve(image))) missing.add(image);
			if (!val.contains(image)) train.add(i);
		}
		if (!missing.isEmpty()) {
			throw new IllegalArgumentException(missing.size() + " photos of " + targets.folder() + " are missing under " + dataRoot + ", e.g. "
				+ missing.subList(0, Math.min(3, missing.size())) + " (is --data the data root the targets were made from?)");
		}
		if (train.isEmpty()) throw new IllegalArgumentException("No training photos left in " + targets.folder());
		this.excludedCount = ex;
	}

	/**
	 * The photos of the validation split of {@link SharedDataset} under {@code dataRoot}, as paths
	 * relative to it: the held-out COCO and BSDS500 benchmark images, which must never be trained
	 * on. Empty when the folder has neither {@code coco/} nor {@code bsds500/}.
	 */
	public static Set<String> heldOutImages(final Path dataRoot) throws IOException {
		final Set<String> out = new HashSet<>();
		if (!Files.isDirectory(dataRoot.resolve("coco")) && !Files.isDirectory(dataRoot.resolve("bsds500"))) return out;
		final SharedDataset val = SharedDataset.split(dataRoot, SharedDataset.VALIDATION_FRACTION)[1];
		for (int i = 0; i < val.size(); i++) out.add(relative(dataRoot, val.imagePath(i)));
		return out;
	}

	static String relative(final Path root, final Path file) {
		return root.relativize(file).toString().replace('\\', '/');
	}

	/**
	 * A fixed validation set: {@code count} photos under {@code unlabelled/} (not excluded), the
	 * ones whose path has the smallest hash (so the choice of a photo does not depend on the order
	 * of the index).
	 */
	public static List<String> chooseValidation(final TeacherTargets targets, final int count, final Set<String> excluded) {
		final List<String> candidates = new ArrayList<>();
		for (final String image : targets.images()) {
			if (image.startsWith("unlabelled/") && !excluded.contains(image)) candidates.add(image);
		}
		candidates.sort(Comparator.comparingLong((String s) -> TrainingRun.mix64(s.hashCode() * 0x9E3779B97F4A7C15L + s.length()))
			.thenComparing(Comparator.naturalOrder()));
		return new ArrayList<>(candidates.subList(0, Math.min(count, candidates.size())));
	}

	/**
	 * Source of an image path, for the model card: the first folder, and for {@code unlabelled/}
	 * the photo's source prefix ({@code unlabelled/ade20k}, {@code unlabelled/imagenetsample}).
	 */
	public static String source(final String image) {
		final int slash = image.indexOf('/');
		final String top = slash < 0 ? "" : image.substring(0, slash);
		if (!top.equals("unlabelled")) return top;
		final String name = image.substring(image.lastIndexOf('/') + 1);
		final int u = name.indexOf('_');
		return u < 0 ? top : top + "/" + name.substring(0, u);
	}

	/** Number of photos per {@link #source}. */
	public static Map<String, Integer> countBySource(final Collection<String> images) {
		final Map<String, Integer> out = new TreeMap<>();
		for (final String image : images) out.merge(source(image), 1, Integer::sum);
		return out;
	}

	public TeacherTargets targets() {
		return targets;
	}

	public int trainSize() {
		return train.size();
	}

	public int validationSize() {
		return validation.size();
	}

	/** Number of photos with a target that were left out because they are excluded. */
	public int excludedCount() {
		return excludedCount;
	}

	/** The training photos' paths. */
	public List<String> trainImages() {
		final List<String> out = new ArrayList<>(train.size());
		for (final int i : train) out.add(targets.image(i));
		return out;
	}

	/** The validation photos' paths. */
	public List<String> validationImages() {
		final List<String> out = new ArrayList<>(validation.size());
		for (final int i : validation) out.add(targets.image(i));
		return out;
	}

	/** Training photo {@code k} and its target. */
	public Sample train(final int k) throws IOException {
		return load(train.get(k));
	}

	/** Validation photo {@code k} and its target. */
	public Sample validation(final int k) throws IOException {
		return load(validation.get(k));
	}

	private Sample load(final int i) throws IOException {
		PlanarImage rgb = ImageFiles.read(dataRoot.resolve(targets.image(i)));
		if (rgb.channels() == 1) rgb = new PlanarImage(rgb.width(), rgb.height(), new float[][] { rgb.plane(0), rgb.plane(0).clone(), rgb.plane(0).clone() });
		return new Sample(rgb, targets.load(i));
	}

	/**
	 * The region {@code [u0, u1] × [v0, v1]} of an image in normalised coordinates (0 and 1 are
	 * the image's outer edges, whatever its resolution) resampled to {@code ow × oh} pixels,
	 * mirrored horizontally when {@code flip}. Output pixel (i, j) is centred on normalised
	 * position {@code (u0 + (i + ½)/ow·(u1 − u0), v0 + (j + ½)/oh·(v1 − v0))}, so a photo and its
	 * target grid cut with the same window are aligned.
	 */
	public static PlanarImage window(final PlanarImage img, final double u0, final double v0, final double u1, final double v1,
		final int ow, final int oh, final boolean flip)
	{
		final int w = img.width(), h = img.height();
		return Augmentation.resample(img, u0 * w, v0 * h, ow / ((u1 - u0) * w), oh / ((v1 - v0) * h), ow, oh, flip);
	}

	/**
	 * A random training crop: a square region of the photo whose side is a fraction of its
	 * shorter side (log-uniform in [{@code minFraction}, {@code maxFraction}]) at a uniform
	 * position, flipped horizontally with probability ½; the image resampled to
	 * {@code crop × crop} and colour-jittered by {@code aug}, the target to
	 * {@code (crop/stride)²} cells. Everything random comes from {@code rng}.
	 */
	public static Crop sampleCrop(final Sample s, final int crop, final int stride, final double minFraction, final double maxFraction,
		final Augmentation aug, final SplittableRandom rng)
	{
		final int w = s.rgb.width(), h = s.rgb.height();
		final double f = Math.exp(Math.log(minFraction) + rng.nextDouble() * (Math.log(maxFraction) - Math.log(minFraction)));
		final double side = f * Math.min(w, h);
		final double x0 = rng.nextDouble() * (w - side);
		final double y0 = rng.nextDouble() * (h - side);
		final boolean flip = rng.nextBoolean();
		final double u0 = x0 / w, u1 = (x0 + side) / w, v0 = y0 / h, v1 = (y0 + side) / h;
		final PlanarImage rgb = window(s.rgb, u0, v0, u1, v1, crop, crop, flip);
		aug.jitterColours(rgb, rng);
		final PlanarImage target = window(s.target, u0, v0, u1, v1, crop / stride, crop / stride, flip);
		return new Crop(rgb, target);
	}

	/**
	 * The network input size for a whole {@code w × h} photo: long side {@code maxSide}, each side
	 * rounded to a multiple of {@code multiple} (at least one multiple; the aspect ratio changes a
	 * little).
	 */
	public static int[] inputSize(final int w, final int h, final int maxSide, final int multiple) {
		final double f = (double) maxSide / Math.max(w, h);
		return new int[] { Math.max(multiple, (int) Math.round(w * f / multiple) * multiple),
			Math.max(multiple, (int) Math.round(h * f / multiple) * multiple) };
	}
}
