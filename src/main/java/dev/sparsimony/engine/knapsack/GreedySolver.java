package dev.sparsimony.engine.knapsack;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Greedy by value density (Dantzig 1957): items sorted by value / sum_r(cost_r / budget_r), each taken if it still
 * fits every budget. Fast and feasible, not optimal; free items with positive value are always taken.
 */
public final class GreedySolver implements KnapsackSolver {
    @Override
    public String id() {
        return "greedy";
    }

    @Override
    public boolean[] solve(KnapsackProblem p) {
        int n = p.items();
        int m = p.resources();
        double[] density = new double[n];
        for (int i = 0; i < n; i++) {
            double w = 0;
            for (int r = 0; r < m; r++) {
                double b = p.budgets()[r];
                w += p.costs()[r][i] / (b > 0 ? b : 1e-12);
            }
            density[i] = w == 0 ? Double.POSITIVE_INFINITY : p.values()[i] / w;
        }
        Integer[] idx = new Integer[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, Comparator.<Integer>comparingDouble(i -> -density[i]).thenComparingInt(i -> i));
        double[] used = new double[m];
        boolean[] chosen = new boolean[n];
        for (int i : idx) {
            if (p.values()[i] <= 0) {
                continue;
            }
            boolean fits = true;
            for (int r = 0; r < m && fits; r++) {
                fits = used[r] + p.costs()[r][i] <= p.budgets()[r] + 1e-12 * Math.max(1, p.budgets()[r]);
            }
            if (fits) {
                chosen[i] = true;
                for (int r = 0; r < m; r++) {
                    used[r] += p.costs()[r][i];
                }
            }
        }
        return chosen;
    }
}
