package dev.sparsimony.engine.knapsack;

import dev.sparsimony.engine.model.ModelException;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Registry of knapsack solvers: "dp" (exact, one budget), "greedy", "mip" (exact MIP with OR-Tools/SCIP, any
 * budgets). "ojalgo" is kept as an alias of "mip" so saved design points keep working.
 */
public final class KnapsackSolvers {
    private static final Map<String, Supplier<KnapsackSolver>> REGISTRY = new LinkedHashMap<>();

    static {
        register("dp", DynamicProgrammingSolver::new);
        register("greedy", GreedySolver::new);
        register("mip", MipSolver::new);
        register("ojalgo", MipSolver::new); // former id (ojAlgo was replaced: docs/decisions/0004)
    }

    private KnapsackSolvers() {
    }

    public static synchronized void register(String id, Supplier<KnapsackSolver> f) {
        REGISTRY.put(id, f);
    }

    public static synchronized Set<String> ids() {
        return Set.copyOf(REGISTRY.keySet());
    }

    /** The named solver; null picks dp for one budget and mip for several. */
    public static synchronized KnapsackSolver create(String id, int budgets) {
        String k = id != null ? id : budgets == 1 ? "dp" : "mip";
        Supplier<KnapsackSolver> f = REGISTRY.get(k);
        if (f == null) {
            throw new ModelException("knapsack solver '" + id + "' is unknown; known: " + REGISTRY.keySet());
        }
        return f.get();
    }
}
