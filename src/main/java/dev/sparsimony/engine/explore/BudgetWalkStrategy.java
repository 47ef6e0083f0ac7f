package dev.sparsimony.engine.explore;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The budget walk of resource-aware pruning (Ramhorst et al. 2023; hls4ml dsp_aware_pruning): a budget on one
 * resource from 100 % of the unpruned design down, each step a knapsack over the structures that map onto that
 * resource (DSP patterns for DSP, BRAM word groups for BRAM, blocks otherwise), costed with the point's own
 * hardware settings. With axes, the walk runs at every grid point of them (for example per reuse factor).
 */
final class BudgetWalkStrategy implements SearchStrategy {
    @Override
    public String id() {
        return "budget-walk";
    }

    @Override
    public void run(Context ctx) {
        SearchSpace s = ctx.space();
        SearchSpace.BudgetWalk walk = s.budgetWalk();
        List<Double> budgets = walk.budgets();
        long grid = s.axes().isEmpty() ? 1 : s.gridSize();
        long total = grid * budgets.size();
        long limit = ctx.evaluations() == null ? GridStrategy.DEFAULT_LIMIT : ctx.evaluations();
        if (grid == Long.MAX_VALUE || total > limit) {
            throw new dev.sparsimony.engine.model.ModelException("the budget walk has " + budgets.size()
                    + " steps at each of " + String.format("%,d", grid) + " grid points, more than "
                    + String.format("%,d", limit) + " evaluations; use fewer axes or raise --evaluations");
        }
        ctx.plan(total);
        int[] index = new int[s.axes().size()];
        for (long g = 0; g < grid && !ctx.cancelled(); g++) {
            DesignPoint p = s.axes().isEmpty() ? s.base() : s.point(index);
            Map<String, Object> c = s.axes().isEmpty() ? new LinkedHashMap<>() : s.choices(index);
            List<Candidate> batch = new ArrayList<>();
            PruneSpec bp = p.prune();
            String gran = walk.granularityFor();
            Map<String, Double> params = gran.equals(bp.granularity()) ? bp.params() : null;
            for (double b : budgets) {
                PruneSpec ps = new PruneSpec(gran, params, bp.importance() == null ? "l1" : bp.importance(),
                        "knapsack", null, Map.of(walk.resource(), b), "unpruned", bp.solver());
                Map<String, Object> cc = new LinkedHashMap<>(c);
                cc.put("budget_" + walk.resource(), b);
                batch.add(new Candidate(p.withPrune(ps), cc));
            }
            ctx.evaluate(batch);
            for (int a = index.length - 1; a >= 0; a--) {
                if (++index[a] < s.axes().get(a).values().size()) {
                    break;
                }
                index[a] = 0;
            }
        }
    }
}
