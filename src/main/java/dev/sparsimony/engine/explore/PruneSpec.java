package dev.sparsimony.engine.explore;

import java.util.Map;

/**
 * How to prune: granularity (registry id of {@code engine.prune.Granularities}) and its declared parameters,
 * importance ("l1", "l2", "bn-gamma"), and the selection: "layer" (every layer at {@code sparsity}), "global" (one
 * ranking across layers, {@code sparsity} of all prunable weights) or "knapsack" (keep the most important
 * structures within {@code budgets}: resource name -&gt; the most kept, read per {@code budgetBasis}: "unpruned"
 * (a fraction of the unpruned design's total, the default), "device" (a fraction of the device's capacity, for DSP,
 * BRAM, LUT and FF) or "absolute" (counts); solver "dp", "greedy", "mip" or "auto").
 */
public record PruneSpec(String granularity, Map<String, Double> params, String importance, String selection,
                        Double sparsity, Map<String, Double> budgets, String budgetBasis, String solver) {
    public PruneSpec {
        params = params == null ? Map.of() : Map.copyOf(params);
        budgets = budgets == null ? Map.of() : Map.copyOf(budgets);
    }

    public static PruneSpec none() {
        return new PruneSpec("unstructured", null, "l1", "layer", 0.0, null, null, null);
    }

    public static PruneSpec magnitude(double sparsity, boolean global) {
        return new PruneSpec("unstructured", null, "l1", global ? "global" : "layer", sparsity, null, null, null);
    }

    public static PruneSpec structured(String granularity, Map<String, Double> params, String importance,
                                      String selection, double sparsity) {
        return new PruneSpec(granularity, params, importance, selection, sparsity, null, null, null);
    }

    /** Knapsack selection with budgets as fractions of the unpruned design ({@code relative}) or absolute counts. */
    public static PruneSpec knapsack(String granularity, Map<String, Double> params, String importance,
                                    Map<String, Double> budgets, boolean relative, String solver) {
        return new PruneSpec(granularity, params, importance, "knapsack", null, budgets,
                relative ? "unpruned" : "absolute", solver);
    }

    public PruneSpec withSparsity(Double s) {
        return new PruneSpec(granularity, params, importance, selection, s, budgets, budgetBasis, solver);
    }

    public PruneSpec withGranularity(String g, Map<String, Double> p) {
        return new PruneSpec(g, p, importance, selection, sparsity, budgets, budgetBasis, solver);
    }

    public PruneSpec withBudgets(Map<String, Double> b, String basis) {
        return new PruneSpec(granularity, params, importance, selection, sparsity, b, basis, solver);
    }

    public String selectionOrDefault() {
        return selection == null ? "layer" : selection;
    }

    public double sparsityOrZero() {
        return sparsity == null ? 0 : sparsity;
    }
}
