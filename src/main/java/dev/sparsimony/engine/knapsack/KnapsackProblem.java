package dev.sparsimony.engine.knapsack;

import dev.sparsimony.engine.model.ModelException;

/**
 * A 0-1 (multi-dimensional) knapsack: choose items maximising the total value such that for every resource r,
 * the sum of {@code costs[r][i]} over chosen items i is at most {@code budgets[r]}. Costs must be non-negative.
 * Pure numbers: the solver never knows what the items or resources are.
 */
public record KnapsackProblem(double[] values, double[][] costs, double[] budgets) {
    public KnapsackProblem {
        if (costs.length != budgets.length) {
            throw new ModelException("knapsack: " + costs.length + " cost rows but " + budgets.length + " budgets");
        }
        for (int r = 0; r < costs.length; r++) {
            if (costs[r].length != values.length) {
                throw new ModelException("knapsack: cost row " + r + " has " + costs[r].length + " entries for "
                        + values.length + " items");
            }
            if (!(budgets[r] >= 0)) {
                throw new ModelException("knapsack: budget " + r + " must be non-negative, got " + budgets[r]);
            }
            for (double c : costs[r]) {
                if (!(c >= 0) || Double.isInfinite(c)) {
                    throw new ModelException("knapsack: costs must be finite and non-negative, got " + c);
                }
            }
        }
        for (double v : values) {
            if (!Double.isFinite(v)) {
                throw new ModelException("knapsack: values must be finite, got " + v);
            }
        }
    }

    public int items() {
        return values.length;
    }

    public int resources() {
        return budgets.length;
    }

    public double value(boolean[] chosen) {
        double v = 0;
        for (int i = 0; i < chosen.length; i++) {
            if (chosen[i]) {
                v += values[i];
            }
        }
        return v;
    }

    /** Total cost of the chosen items for every resource. */
    public double[] cost(boolean[] chosen) {
        double[] c = new double[budgets.length];
        for (int r = 0; r < budgets.length; r++) {
            for (int i = 0; i < chosen.length; i++) {
                if (chosen[i]) {
                    c[r] += costs[r][i];
                }
            }
        }
        return c;
    }

    /** True when the chosen set respects every budget (with a relative tolerance of 1e-9). */
    public boolean feasible(boolean[] chosen) {
        double[] c = cost(chosen);
        for (int r = 0; r < c.length; r++) {
            if (c[r] > budgets[r] + 1e-9 * Math.max(1, Math.abs(budgets[r]))) {
                return false;
            }
        }
        return true;
    }
}
