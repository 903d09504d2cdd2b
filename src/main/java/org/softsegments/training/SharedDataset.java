package org.softsegments.training;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import org.softsegments.io.ImageFiles;

/**
 * The project's training data (see {@code ../shared/data/README.md}): BSDS500 photographs with
 * 5–7 human segmentations each (one chosen at random per use: regions are class-agnostic ids
 * 1..n) and COCO 2017 photographs with instance maps (0 = not annotated and 255 = crowd are
 * {@link LabelledImage#IGNORE ignored}). The images of each data set are shuffled with a fixed
 * seed and split into a training and a validation part; the validation part uses, for BSDS, one
 * segmentation chosen with the given random generator (callers pass a fixed seed).
 * <p>
 * Data fix: 63 of the 300 BSDS500 photographs in {@code ../shared/data} have label maps stored
 * rotated by 90° (width and height swapped); they are rotated back on reading (the orientation was
 * chosen by aligning label boundaries with image edges: 348 of the 350 affected files agree).
 * <p>
 * Licences: BSDS500 is for research and non-commercial use; COCO annotations are CC BY 4.0, the
 * images carry their Flickr licences. A model trained on them must say so in its model card.
 */
public final class SharedDataset implements TrainingSource {

	/** Seed of the train/validation split (fixed so that every run holds out the same images). */
	public static final long SPLIT_SEED = 20180812L;
	/** Fraction of each data set held out for validation by the training and the evaluation. */
	public static final double VALIDATION_FRACTION = 0.1;

	private final List<Entry> entries;

	private SharedDataset(final List<Entry> entries) {
		this.entries = entries;
	}

	/** One photograph and its annotation files. */
	private static final class Entry {

		final String name;
		final Path image;
		final List<Path> annotations;
		final boolean coco;

		Entry(final String name, final Path image, final List<Path> annotations, final boolean coco) {
			this.name = name;
			this.image = image;
			this.annotations = annotations;
			this.coco = coco;
		}
	}

	/**
	 * The training and validation parts of {@code trainDir} (the folder holding {@code bsds500/}
	 * and {@code coco/}); {@code validationFraction} of each data set (rounded) is held out.
	 *
	 * @return {training, validation}
	 */
	public static SharedDataset[] split(final Path trainDir, final double validationFraction) throws IOException {
		if (!(validationFraction >= 0 && validationFraction < 1)) {
			throw new IllegalArgumentException("Validation fraction must be in [0, 1), got " + validationFraction);
		}
		if (!Files.isDirectory(trainDir)) {
			throw new IllegalArgumentException("Training data folder not found: " + trainDir
				+ " (expected a folder with bsds500/ and coco/, see ../shared/data/README.md)");
		}
		final List<Entry> train = new ArrayList<>();
		final List<Entry> val = new ArrayList<>();
		splitInto(bsds(trainDir.resolve("bsds500")), validationFraction, train, val);
		splitInto(coco(trainDir.resolve("coco")), validationFraction, train, val);
		if (train.isEmpty()) throw new IllegalArgumentException("No training images found under " + trainDir);
		return new SharedDataset[] { new SharedDataset(train), new SharedDataset(val) };
	}

	private static void splitInto(final List<Entry> all, final double fraction, final List<Entry> train, final List<Entry> val) {
		final List<Entry> shuffled = new ArrayList<>(all);
		Collections.shuffle(shuffled, new Random(SPLIT_SEED));
		final int nVal = (int) Math.round(fraction * shuffled.size());
		val.addAll(shuffled.subList(0, nVal));
		train.addAll(shuffled.subList(nVal, shuffled.size()));
	}

	private static List<Entry> bsds(final Path dir) throws IOException {
		final List<Entry> out = new ArrayList<>();
		if (!Files.isDirectory(dir)) return out;
		for (final Path img : sortedFiles(dir.resolve("images"), ".jpg")) {
			final String id = stem(img);
			final List<Path> segs = new ArrayList<>();
			for (int k = 1; k <= 20; k++) {
				final Path s = dir.resolve("segments").resolve(id + "_" + k + ".png");
				if (Files.isRegularFile(s)) segs.add(s);
			}
			if (!segs.isEmpty()) out.add(new Entry("bsds500/" + id, img, segs, false));
		}
		return out;
	}

	private static List<Entry> coco(final Path dir) throws IOException {
		final List<Entry> out = new ArrayList<>();
		if (!Files.isDirectory(dir)) return out;
		for (final Path img : sortedFiles(dir.resolve("images"), ".jpg")) {
			final String id = stem(img);
			final Path inst = dir.resolve("instances").resolve(id + ".png");
			if (Files.isRegularFile(inst)) out.add(new Entry("coco/" + id, img, List.of(inst), true));
		}
		return out;
	}

	private static List<Path> sortedFiles(final Path dir, final String suffix) throws IOException {
		if (!Files.isDirectory(dir)) return List.of();
		try (Stream<Path> s = Files.list(dir)) {
			return s.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
		}
	}

	private static String stem(final Path p) {
		final String n = p.getFileName().toString();
		return n.substring(0, n.lastIndexOf('.'));
	}

	@Override
	public int size() {
		return entries.size();
	}

	@Override
	public String name(final int index) {
		return entries.get(index).name;
	}

	/** The photograph file of image {@code index}. */
	public Path imagePath(final int index) {
		return entries.get(index).image;
	}

	/** Number of images from COCO (the rest are BSDS500). */
	public int cocoCount() {
		int n = 0;
		for (final Entry e : entries) if (e.coco) n++;
		return n;
	}

	@Override
	public LabelledImage load(final int index, final SplittableRandom rng) throws IOException {
		final Entry e = entries.get(index);
		final Path ann = e.annotations.get(e.annotations.size() == 1 ? 0 : rng.nextInt(e.annotations.size()));
		final var rgb = ImageFiles.read(e.image);
		if (rgb.channels() != 3) {
			// grey photographs: replicate
			final float[] g = rgb.plane(0);
			return new LabelledImage(new org.softsegments.image.PlanarImage(rgb.width(), rgb.height(),
				new float[][] { g, g.clone(), g.clone() }), readLabels(ann, rgb.width(), rgb.height(), e.coco));
		}
		return new LabelledImage(rgb, readLabels(ann, rgb.width(), rgb.height(), e.coco));
	}

	/** Reads an 8-bit label PNG; for COCO, 0 and 255 become {@link LabelledImage#IGNORE}. */
	static int[] readLabels(final Path file, final int w, final int h, final boolean coco) throws IOException {
		final BufferedImage img = ImageIO.read(file.toFile());
		if (img == null) throw new IOException("Not a readable label image: " + file);
		final Raster r = img.getRaster();
		final int[] labels;
		if (img.getWidth() == w && img.getHeight() == h) labels = r.getSamples(0, 0, w, h, 0, new int[w * h]);
		else if (!coco && img.getWidth() == h && img.getHeight() == w && w != h) {
			// Some BSDS500 label maps of this copy are stored rotated by 90° relative to the photograph
			// (measured: boundaries align with image edges only after this rotation, 348 of 350 files).
			final int[] raw = r.getSamples(0, 0, h, w, 0, new int[w * h]);
			labels = new int[w * h];
			for (int y = 0; y < h; y++) {
				for (int x = 0; x < w; x++) labels[x + y * w] = raw[y + (w - 1 - x) * h];
			}
		}
		else {
			throw new IOException("Label map " + file + " is " + img.getWidth() + "×" + img.getHeight() + ", image is " + w + "×" + h);
		}
		if (coco) {
			for (int i = 0; i < labels.length; i++) {
				if (labels[i] == 0 || labels[i] == 255) labels[i] = LabelledImage.IGNORE;
			}
		}
		return labels;
	}
}
