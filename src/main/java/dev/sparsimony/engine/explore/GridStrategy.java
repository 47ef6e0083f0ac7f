package dev.sparsimony.engine.explore;

import dev.sparsimony.engine.model.ModelException;

import java.util.ArrayList;
import java.util.List;

/** Every combination of the axis values, the last axis varying fastest, in batches. */
final class GridStrategy implements SearchStrategy {
    /** Largest grid evaluated without an explicit --evaluations. */
    static final long DEFAULT_LIMIT = 100_000;

    @Override
    public String id() {
        return "grid";
    }

    @Override
    public void run(Context ctx) {
        SearchSpace s = ctx.space();
        if (s.axes().isEmpty()) {
            throw new ModelException("the search space has no axes: a grid needs at least one");
        }
        long size = s.gridSize();
        long limit = ctx.evaluations() == null ? DEFAULT_LIMIT : ctx.evaluations();
        if (size > limit) {
            throw new ModelException("the grid has " + (size == Long.MAX_VALUE ? "too many" : String.format("%,d", size))
                    + " points, more than " + (ctx.evaluations() == null ? "the default limit of " : "--evaluations ")
                    + String.format("%,d", limit) + "; sample it with --strategy random or nsga2, or raise"
                    + " --evaluations");
        }
        ctx.plan(size);
        int[] index = new int[s.axes().size()];
        List<Candidate> batch = new ArrayList<>();
        for (long i = 0; i < size && !ctx.cancelled(); i++) {
            batch.add(new Candidate(s.point(index), s.choices(index)));
            if (batch.size() == BATCH) {
                ctx.evaluate(batch);
                batch = new ArrayList<>();
            }
            for (int a = index.length - 1; a >= 0; a--) {
                if (++index[a] < s.axes().get(a).values().size()) {
                    break;
                }
                index[a] = 0;
            }
        }
        if (!batch.isEmpty() && !ctx.cancelled()) {
            ctx.evaluate(batch);
        }
    }

    /** Points handed to the runner at once: enough to keep every worker busy, few enough to stop quickly. */
    static final int BATCH = 256;
}
