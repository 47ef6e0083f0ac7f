package dev.sparsimony.engine.knapsack;

/** Solves a {@link KnapsackProblem}; returns the chosen items (always feasible). */
public interface KnapsackSolver {
    String id();

    boolean[] solve(KnapsackProblem problem);

    /** The answer with its status; exact solvers report "optimal", heuristics "greedy". */
    default KnapsackResult solveReported(KnapsackProblem problem) {
        return new KnapsackResult(solve(problem), id().equals("greedy") ? KnapsackResult.GREEDY
                : KnapsackResult.OPTIMAL);
    }
}
