package dev.sparsimony.engine.prune;

import dev.sparsimony.engine.model.ModelException;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Registry of the compression engine's {@link StructureCost}s by resource name, each built for a layer's context:
 * "params", "MACs" and "bytes". Hardware resources (DSP, BRAM, LUT) are costed by the hardware model with the
 * design point's own settings; {@code engine.explore} joins both (this package never sees a device).
 */
public final class StructureCosts {
    private static final Map<String, Function<LayerContext, StructureCost>> REGISTRY = new LinkedHashMap<>();

    static {
        register("params", ctx -> Costs.PARAMS);
        register("MACs", ctx -> Costs.MACS);
        register("bytes", ctx -> Costs.bytes(ctx.weightBits()));
    }

    private StructureCosts() {
    }

    public static synchronized void register(String resource, Function<LayerContext, StructureCost> factory) {
        REGISTRY.put(resource, factory);
    }

    public static synchronized Set<String> resources() {
        return Set.copyOf(REGISTRY.keySet());
    }

    public static synchronized StructureCost create(String resource, LayerContext ctx) {
        Function<LayerContext, StructureCost> f = REGISTRY.get(resource);
        if (f == null) {
            throw new ModelException("budget resource '" + resource + "' is unknown; known: " + REGISTRY.keySet());
        }
        return f.apply(ctx);
    }
}
