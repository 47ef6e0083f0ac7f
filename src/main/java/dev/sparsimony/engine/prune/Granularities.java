package dev.sparsimony.engine.prune;

import dev.sparsimony.engine.model.ModelException;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Registry of pruning granularities by id. Parameters (all numbers) by granularity:
 * n-of-m: n, m; block: rows, cols; dsp-pattern: rf (0 = layer's); bram-block: rf, bits (0 = layer's).
 */
public final class Granularities {
    private static final Map<String, Function<Map<String, Double>, Granularity>> REGISTRY = new LinkedHashMap<>();

    static {
        register("unstructured", p -> new Unstructured());
        register("n-of-m", p -> new NofM(intParam(p, "n", 2), intParam(p, "m", 4)));
        register("block", p -> new Blocks(intParam(p, "rows", 4), intParam(p, "cols", 4)));
        register("darb", p -> new Darb());
        register("rows", p -> new Rows());
        register("columns", p -> new Columns("columns"));
        register("filters", p -> new Columns("filters"));
        register("channels", p -> new Channels());
        register("dsp-pattern", p -> new DspPattern(intParam(p, "rf", 0)));
        register("bram-block", p -> new BramBlock(intParam(p, "rf", 0), intParam(p, "bits", 0)));
    }

    private Granularities() {
    }

    public static synchronized void register(String id, Function<Map<String, Double>, Granularity> factory) {
        REGISTRY.put(id, factory);
    }

    public static synchronized Set<String> ids() {
        return Set.copyOf(REGISTRY.keySet());
    }

    public static synchronized Granularity create(String id, Map<String, Double> params) {
        Function<Map<String, Double>, Granularity> f = REGISTRY.get(id == null ? "unstructured" : id);
        if (f == null) {
            throw new ModelException("granularity '" + id + "' is unknown; known: " + REGISTRY.keySet());
        }
        return f.apply(params == null ? Map.of() : params);
    }

    static int intParam(Map<String, Double> p, String name, int dflt) {
        Double v = p.get(name);
        if (v == null) {
            return dflt;
        }
        if (v != Math.rint(v) || Math.abs(v) > Integer.MAX_VALUE) {
            throw new ModelException("granularity parameter '" + name + "' must be an integer, got " + v);
        }
        return v.intValue();
    }
}
