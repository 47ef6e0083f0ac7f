package dev.sparsimony.engine.train;

/**
 * Receives training progress and can stop the run. Called on the training thread; a GUI listener must hand
 * values over to its own thread. {@link #isCancelled()} is polled before every batch.
 */
public interface ProgressListener {
    /** A listener that ignores everything and never cancels. */
    ProgressListener NONE = new ProgressListener() {
    };

    /** After each gradient step; {@code batch} is 1-based within the epoch. */
    default void onBatch(int epoch, int batch, int batchesPerEpoch) {
    }

    default void onEpoch(EpochStats stats) {
    }

    /** True to stop as soon as possible; the result then holds the weights reached so far. */
    default boolean isCancelled() {
        return false;
    }
}
