package dev.sparsimony.engine.quantize;

import dev.sparsimony.engine.model.ModelException;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/** Registry of weight quantizers by type id; {@link #create} returns null for "none". */
public final class WeightQuantizers {
    /** Copy-on-write: sweep workers read it without taking a lock. */
    private static volatile Map<String, BiFunction<QuantizerSpec, Long, WeightQuantizer>> registry = Map.of();

    static {
        register("fixed", (s, seed) -> {
            if (s.fixed() == null) {
                throw new ModelException("weight quantizer \"fixed\" needs \"fixed\": {width, integer, ...}");
            }
            return new FixedPointWeights(s.fixed());
        });
        register("po2", (s, seed) -> new PowerOfTwo(s.bits() == null ? 4 : s.bits(), s.maxExponent()));
        register("kmeans", (s, seed) -> new KMeansSharing(s.clusters() == null ? 16 : s.clusters(), seed));
        register("binary", (s, seed) -> new BinaryWeights());
        register("ternary", (s, seed) -> new TernaryWeights());
    }

    private WeightQuantizers() {
    }

    public static synchronized void register(String id, BiFunction<QuantizerSpec, Long, WeightQuantizer> f) {
        Map<String, BiFunction<QuantizerSpec, Long, WeightQuantizer>> m = new LinkedHashMap<>(registry);
        m.put(id, f);
        registry = java.util.Collections.unmodifiableMap(m);
    }

    public static Set<String> ids() {
        return Set.copyOf(registry.keySet());
    }

    public static WeightQuantizer create(QuantizerSpec spec, long seed) {
        if (spec == null || spec.absent()) {
            return null;
        }
        BiFunction<QuantizerSpec, Long, WeightQuantizer> f = registry.get(spec.type());
        if (f == null) {
            throw new ModelException("weight quantizer '" + spec.type() + "' is unknown; known: none, "
                    + registry.keySet());
        }
        return f.apply(spec, seed);
    }
}
