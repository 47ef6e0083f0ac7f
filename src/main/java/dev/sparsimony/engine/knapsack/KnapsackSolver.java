package dev.sparsimony.engine.knapsack;

/** Solves a {@link KnapsackProblem}; returns the chosen items (always feasible). */
public interface KnapsackSolver {
    String id();

    boolean[] solve(KnapsackProblem problem);
}
