package dev.sparsimony.engine.explore;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/** Points drawn uniformly from the axis values with a seeded generator; each distinct point once. */
final class RandomStrategy implements SearchStrategy {
    static final int DEFAULT_EVALUATIONS = 200;

    @Override
    public String id() {
        return "random";
    }

    @Override
    public void run(Context ctx) {
        SearchSpace s = ctx.space();
        if (s.axes().isEmpty()) {
            throw new dev.sparsimony.engine.model.ModelException("the search space has no axes to sample");
        }
        long want = Math.min(ctx.evaluations() == null ? DEFAULT_EVALUATIONS : ctx.evaluations(), s.gridSize());
        ctx.plan(want);
        Random rnd = new Random(ctx.seed());
        Set<String> seen = new HashSet<>();
        List<Candidate> batch = new ArrayList<>();
        long misses = 0;
        while (seen.size() < want && !ctx.cancelled() && misses < 100 * want + 1000) {
            int[] index = new int[s.axes().size()];
            for (int a = 0; a < index.length; a++) {
                index[a] = rnd.nextInt(s.axes().get(a).values().size());
            }
            if (!seen.add(java.util.Arrays.toString(index))) {
                misses++;
                continue;
            }
            batch.add(new Candidate(s.point(index), s.choices(index)));
            if (batch.size() == GridStrategy.BATCH) {
                ctx.evaluate(batch);
                batch = new ArrayList<>();
            }
        }
        if (!batch.isEmpty() && !ctx.cancelled()) {
            ctx.evaluate(batch);
        }
    }
}
