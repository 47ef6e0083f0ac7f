package dev.sparsimony.engine.train;

import dev.sparsimony.engine.model.ModelException;

/**
 * Settings of one training run (mini-batch Adam on softmax cross-entropy).
 *
 * <p>Adam defaults follow Keras ({@code tf.keras.optimizers.Adam}: learning rate 1e-3, beta1 0.9, beta2 0.999,
 * epsilon 1e-7); the update rule is Algorithm 1 of Kingma and Ba, "Adam: A Method for Stochastic Optimization"
 * (ICLR 2015). {@code l2} is Keras' {@code kernel_regularizer=l2(l2)}: {@code l2 * sum(w^2)} added to the loss for
 * every Dense/Conv kernel (biases are not decayed), as in hls4ml's jet-tagging training recipe.
 *
 * @param epochs       passes over the training data
 * @param batchSize    samples per gradient step (the last batch of an epoch may be smaller)
 * @param learningRate Adam step size alpha
 * @param beta1        Adam first-moment decay
 * @param beta2        Adam second-moment decay
 * @param epsilon      Adam denominator guard
 * @param l2           L2 factor on kernels, 0 for none
 * @param seed         seeds the per-epoch shuffling; the same seed, data and model give bit-identical weights
 * @param trainBatchNorm batch norms learn from batch statistics (gamma, beta, moving mean and variance, as Keras
 *                     trains them) instead of staying frozen (the default, right for fine-tuning a pruned model)
 */
public record TrainConfig(int epochs, int batchSize, double learningRate, double beta1, double beta2,
                          double epsilon, double l2, long seed, boolean trainBatchNorm) {
    public TrainConfig {
        if (epochs < 0) {
            throw new ModelException("training epochs must be 0 or more, got " + epochs);
        }
        if (batchSize < 1) {
            throw new ModelException("training batch size must be at least 1, got " + batchSize);
        }
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new ModelException("training learning rate must be a positive number, got " + learningRate);
        }
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new ModelException("Adam betas must lie in [0, 1), got " + beta1 + " and " + beta2);
        }
        if (!(epsilon > 0)) {
            throw new ModelException("Adam epsilon must be positive, got " + epsilon);
        }
        if (!(l2 >= 0) || !Double.isFinite(l2)) {
            throw new ModelException("L2 factor must be 0 or a positive number, got " + l2);
        }
    }

    /** Frozen batch norms (the form before batch-norm training existed). */
    public TrainConfig(int epochs, int batchSize, double learningRate, double beta1, double beta2, double epsilon,
                       double l2, long seed) {
        this(epochs, batchSize, learningRate, beta1, beta2, epsilon, l2, seed, false);
    }

    /** Keras-like defaults: 10 epochs, batch 32, Adam(1e-3, 0.9, 0.999, 1e-7), no L2, seed 0. */
    public static TrainConfig defaults() {
        return new TrainConfig(10, 32, 1e-3, 0.9, 0.999, 1e-7, 0, 0, false);
    }

    public TrainConfig withEpochs(int e) {
        return new TrainConfig(e, batchSize, learningRate, beta1, beta2, epsilon, l2, seed, trainBatchNorm);
    }

    public TrainConfig withBatchSize(int b) {
        return new TrainConfig(epochs, b, learningRate, beta1, beta2, epsilon, l2, seed, trainBatchNorm);
    }

    public TrainConfig withLearningRate(double lr) {
        return new TrainConfig(epochs, batchSize, lr, beta1, beta2, epsilon, l2, seed, trainBatchNorm);
    }

    public TrainConfig withL2(double factor) {
        return new TrainConfig(epochs, batchSize, learningRate, beta1, beta2, epsilon, factor, seed, trainBatchNorm);
    }

    public TrainConfig withTrainBatchNorm(boolean on) {
        return new TrainConfig(epochs, batchSize, learningRate, beta1, beta2, epsilon, l2, seed, on);
    }

    public TrainConfig withSeed(long s) {
        return new TrainConfig(epochs, batchSize, learningRate, beta1, beta2, epsilon, l2, s, trainBatchNorm);
    }
}
