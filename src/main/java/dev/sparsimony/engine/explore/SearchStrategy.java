package dev.sparsimony.engine.explore;

import java.util.List;
import java.util.Map;

/**
 * A way to walk a {@link SearchSpace}: one class behind this interface plus one line in {@link Strategies}. A
 * strategy proposes points and reads their results through the {@link Context}; it never evaluates anything
 * itself, so every strategy runs on every backend, in parallel, with caching, pause and cancel for free.
 */
public interface SearchStrategy {
    /** Registry id, e.g. "grid". */
    String id();

    /** Runs until the strategy is done, the evaluation budget is spent or {@link Context#cancelled()}. */
    void run(Context ctx);

    /** A point to evaluate with the axis values that made it (for tables and plots). */
    record Candidate(DesignPoint point, Map<String, Object> choices) {
    }

    /** What a strategy may use. */
    interface Context {
        SearchSpace space();

        long seed();

        /** The evaluation budget given by the user, or null for the strategy's default. */
        Integer evaluations();

        /** Names of the model's prunable layers, in model order. */
        List<String> prunableLayers();

        /** Announces how many points are coming (progress and time left). */
        void plan(long points);

        /** Evaluates a batch in parallel; results in the same order, null where the sweep was cancelled. */
        List<PointResult> evaluate(List<Candidate> batch);

        /** Whether a result meets the space's constraints (fits the device, minimum accuracy). */
        boolean feasible(PointResult r);

        boolean cancelled();
    }
}
