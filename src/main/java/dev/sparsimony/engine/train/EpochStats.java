package dev.sparsimony.engine.train;

/**
 * Figures of one finished epoch.
 *
 * @param epoch              1-based epoch number
 * @param trainLoss          mean cross-entropy over the epoch's batches, as seen during training (L2 term excluded)
 * @param trainAccuracy      top-1 accuracy over the epoch's batches, as seen during training
 * @param validationLoss     mean cross-entropy on the validation data after the epoch, NaN without validation data
 * @param validationAccuracy top-1 accuracy on the validation data after the epoch, NaN without validation data
 */
public record EpochStats(int epoch, double trainLoss, double trainAccuracy, double validationLoss,
                         double validationAccuracy) {
}
