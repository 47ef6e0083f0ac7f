package dev.sparsimony.engine.knapsack;

import dev.sparsimony.engine.model.ModelException;

/**
 * Exact dynamic programming for one constraint (Bellman; Kellerer, Pferschy, Pisinger, "Knapsack Problems",
 * 2004, ch. 2): best[c] over capacities 0..C, O(n C) time, decisions kept as one bit per (item, capacity).
 * Integer costs with C within {@code maxCells / n} are solved exactly; otherwise costs are scaled to
 * {@code resolution} units of the budget and rounded UP (budget rounded down), so the result stays feasible and is
 * optimal for the scaled problem.
 */
public final class DynamicProgrammingSolver implements KnapsackSolver {
    private final int resolution;
    private final long maxCells;

    public DynamicProgrammingSolver() {
        this(20_000, 400_000_000L);
    }

    public DynamicProgrammingSolver(int resolution, long maxCells) {
        this.resolution = resolution;
        this.maxCells = maxCells;
    }

    @Override
    public String id() {
        return "dp";
    }

    @Override
    public boolean[] solve(KnapsackProblem p) {
        if (p.resources() != 1) {
            throw new ModelException("the dynamic-programming knapsack solver handles exactly one budget, got "
                    + p.resources() + " (use greedy or mip)");
        }
        int n = p.items();
        double[] cost = p.costs()[0];
        double budget = p.budgets()[0];
        boolean integral = budget == Math.floor(budget);
        for (double c : cost) {
            integral &= c == Math.floor(c);
        }
        long cap;
        int[] w = new int[n];
        double total = 0;
        for (double c : cost) {
            total += c;
        }
        double effBudget = Math.min(budget, total);
        if (integral && (long) effBudget * Math.max(1, n) <= maxCells) {
            cap = (long) effBudget;
            for (int i = 0; i < n; i++) {
                w[i] = (int) Math.min(cost[i], cap + 1);
            }
        } else {
            cap = Math.max(1, Math.min(resolution, maxCells / Math.max(1, n)));
            double scale = effBudget == 0 ? 0 : cap / effBudget;
            for (int i = 0; i < n; i++) {
                double s = cost[i] * scale;
                // round up so the scaled solution never exceeds the true budget; zero costs stay free
                w[i] = cost[i] == 0 ? 0 : (int) Math.min(cap + 1, Math.ceil(s - 1e-9 * Math.max(1, s)));
                if (cost[i] > 0 && w[i] == 0) {
                    w[i] = effBudget == 0 ? (int) cap + 1 : 1;
                }
            }
        }
        int capacity = (int) cap;
        double[] best = new double[capacity + 1];
        long[][] take = new long[n][];
        for (int i = 0; i < n; i++) {
            take[i] = new long[(capacity >> 6) + 1];
            double v = p.values()[i];
            int wi = w[i];
            if (v <= 0 || wi > capacity) {
                continue;
            }
            long[] t = take[i];
            for (int c = capacity; c >= wi; c--) {
                double cand = best[c - wi] + v;
                if (cand > best[c]) {
                    best[c] = cand;
                    t[c >> 6] |= 1L << (c & 63);
                }
            }
        }
        boolean[] chosen = new boolean[n];
        int c = capacity;
        for (int i = n - 1; i >= 0; i--) {
            if ((take[i][c >> 6] >>> (c & 63) & 1L) != 0) {
                chosen[i] = true;
                c -= w[i];
            }
        }
        return chosen;
    }
}
