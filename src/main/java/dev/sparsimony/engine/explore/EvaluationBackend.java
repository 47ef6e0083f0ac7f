package dev.sparsimony.engine.explore;

/**
 * Evaluates design points of one model on one data set. The sweep runner and the strategies see only this
 * interface, so a backend that sends (model folder, data, point JSON) to other machines can replace the local one.
 * {@link #evaluate} may be called from several threads at once.
 */
public interface EvaluationBackend extends AutoCloseable {
    /**
     * The figures of a point, or a failed result with its reason (a point that cannot be evaluated is not an
     * exception). Throws {@link DesignPointEvaluator.Cancelled} when {@link #cancel()} stopped it.
     */
    PointResult evaluate(DesignPoint point);

    /** Where results come from (model and data hashes, engine version); per-point fields are filled in. */
    Provenance provenance();

    /** Stops running evaluations as soon as possible (between tiles; the knapsack MIP is interrupted). */
    void cancel();

    @Override
    void close();
}
