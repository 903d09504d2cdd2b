package org.softsegments.training;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;

/**
 * Settings shared by the trainers ({@link FeatureTrainer.Config}, {@link DistillationTrainer.Config}):
 * batch and crops, augmentation, optimiser and learning-rate schedule, seed, evaluation period.
 * Public fields with the shipped U-Net's values; subclasses add their network and loss settings.
 * Everything but the transient fields is written to the work folder's {@code config.json}, and a
 * resume must use the same values.
 */
public abstract class TrainingConfig {

	public int batch = 8;
	public int crop = 192;
	public double jitter = 0.2;
	public int steps = 1500;
	public double learningRate = 1e-3;
	public int warmupSteps = 50;
	public double finalLearningRateFraction = 0.05;
	public long seed = 1;
	public float clipNorm = 5;
	public int evalEvery = 100;
	/** TensorFlow threads, 0 = its default. Not part of the result's identity. */
	public transient int threads = 0;
	/** Seconds between checkpoints. */
	public transient int checkpointSeconds = 300;

	/** Learning rate at 0-based step {@code t}: linear warm-up over {@code warmupSteps}, then cosine decay to {@code finalLearningRateFraction}. */
	public double learningRateAt(final long t) {
		if (t < warmupSteps) return learningRate * (t + 1) / warmupSteps;
		final double progress = Math.min(1, (double) (t - warmupSteps) / Math.max(1, steps - warmupSteps));
		final double min = learningRate * finalLearningRateFraction;
		return min + (learningRate - min) * 0.5 * (1 + Math.cos(Math.PI * progress));
	}

	/**
	 * Sets the field of a command-line option that every trainer has ({@code --steps}, {@code --batch},
	 * {@code --crop}, {@code --lr}, {@code --warmup}, {@code --seed}, {@code --threads},
	 * {@code --eval-every}); returns false for any other option.
	 */
	public boolean parseOption(final String option, final String value) {
		switch (option) {
			case "--steps": steps = Integer.parseInt(value); return true;
			case "--batch": batch = Integer.parseInt(value); return true;
			case "--crop": crop = Integer.parseInt(value); return true;
			case "--lr": learningRate = Double.parseDouble(value); return true;
			case "--warmup": warmupSteps = Integer.parseInt(value); return true;
			case "--seed": seed = Long.parseLong(value); return true;
			case "--threads": threads = Integer.parseInt(value); return true;
			case "--eval-every": evalEvery = Integer.parseInt(value); return true;
			default: return false;
		}
	}

	/** All non-transient fields. */
	public JsonObject toJson() {
		return new GsonBuilder().create().toJsonTree(this).getAsJsonObject();
	}
}
