package dev.sparsimony.engine.explore;

import dev.sparsimony.engine.model.ModelException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Registry of search strategies by id. */
public final class Strategies {
    private static final Map<String, Supplier<SearchStrategy>> REGISTRY = new LinkedHashMap<>();
    private static final Map<String, String> DESCRIPTIONS = new LinkedHashMap<>();

    static {
        register("grid", "every combination of the axis values", GridStrategy::new);
        register("random", "points drawn uniformly from the axis values (seeded)", RandomStrategy::new);
        register("nsga2", "multi-objective evolutionary search (NSGA-II, MOEA Framework)", Nsga2Strategy::new);
        register("sensitivity", "each prunable layer alone across sparsities and weight widths",
                SensitivityStrategy::new);
        register("budget-walk", "a resource budget from 100 % down, pruning with the resource-aware structures",
                BudgetWalkStrategy::new);
    }

    private Strategies() {
    }

    public static synchronized void register(String id, String description, Supplier<SearchStrategy> factory) {
        REGISTRY.put(id, factory);
        DESCRIPTIONS.put(id, description);
    }

    public static synchronized List<String> ids() {
        return List.copyOf(REGISTRY.keySet());
    }

    public static synchronized String description(String id) {
        return DESCRIPTIONS.get(id);
    }

    public static synchronized SearchStrategy create(String id) {
        Supplier<SearchStrategy> f = REGISTRY.get(id);
        if (f == null) {
            throw new ModelException("strategy '" + id + "' is unknown; known: " + String.join(", ", REGISTRY.keySet()));
        }
        return f.get();
    }
}
