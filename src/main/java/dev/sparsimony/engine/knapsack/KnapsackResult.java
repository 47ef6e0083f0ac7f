package dev.sparsimony.engine.knapsack;

/**
 * A knapsack answer with how it was reached, so that a result can say when it is not proven optimal.
 *
 * @param chosen the items kept (always within every budget)
 * @param status "optimal" (proven), "time limit: best found" (the MIP's incumbent at its time limit), "greedy
 *               fallback" (the MIP found nothing better in time), "interrupted: best found" or "greedy" (heuristic
 *               by choice)
 */
public record KnapsackResult(boolean[] chosen, String status) {
    public static final String OPTIMAL = "optimal";
    public static final String TIME_LIMIT = "time limit: best found";
    public static final String GREEDY_FALLBACK = "greedy fallback";
    public static final String GREEDY = "greedy";
}
