package dev.sparsimony.engine.prune;

import dev.sparsimony.engine.model.ModelException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Registry of pruning granularities by id, each with its declared parameters ({@link GranularityParam}). The
 * structures that follow the hardware (dsp-pattern, bram-block) have no parameters of their own: they take the reuse
 * factor and the weight width of the design point (the single source of both) through {@link LayerContext}.
 */
public final class Granularities {
    /** A registered granularity: its declared parameters and a factory over checked, complete parameters. */
    public record Registration(String id, String description, List<GranularityParam> params,
                               boolean usesHardware, Function<Map<String, Double>, Granularity> factory) {
        public Registration {
            params = List.copyOf(params);
        }
    }

    /** Copy-on-write: sweep workers read it on every point without taking a lock. */
    private static volatile Map<String, Registration> registry = Map.of();

    static {
        register(new Registration("unstructured", "individual weights (magnitude pruning)", List.of(), false,
                p -> new Unstructured()));
        register(new Registration("n-of-m", "N of every M consecutive weights along the inputs are kept (2:4 on"
                + " sparse tensor cores)", List.of(
                GranularityParam.integer("n", 0, 63, 2, "weights kept in each group"),
                GranularityParam.integer("m", 2, 64, 4, "group size")), false,
                p -> new NofM(p.get("n").intValue(), p.get("m").intValue())));
        register(new Registration("block", "rectangular blocks of the weight matrix", List.of(
                GranularityParam.integer("rows", 1, 4096, 4, "block height (inputs)"),
                GranularityParam.integer("cols", 1, 4096, 4, "block width (outputs)")), false,
                p -> new Blocks(p.get("rows").intValue(), p.get("cols").intValue())));
        register(new Registration("darb", "density-adaptive regular blocks (one weight kept per block)", List.of(),
                false, p -> new Darb()));
        register(new Registration("rows", "whole rows: every weight of one input", List.of(), false,
                p -> new Rows()));
        register(new Registration("columns", "whole columns: every weight of one output", List.of(), false,
                p -> new Columns("columns")));
        register(new Registration("filters", "whole convolution filters (output channels)", List.of(), false,
                p -> new Columns("filters")));
        register(new Registration("channels", "whole input channels", List.of(), false, p -> new Channels()));
        register(new Registration("dsp-pattern", "the weights that share one multiplier (DSP) at the point's reuse"
                + " factor", List.of(), true, p -> new DspPattern()));
        register(new Registration("bram-block", "the weights packed into one block-RAM word group at the point's"
                + " reuse factor and weight width", List.of(), true, p -> new BramBlock()));
    }

    private Granularities() {
    }

    public static synchronized void register(Registration r) {
        Map<String, Registration> m = new LinkedHashMap<>(registry);
        m.put(r.id(), r);
        registry = java.util.Collections.unmodifiableMap(m);
    }

    public static Set<String> ids() {
        return Set.copyOf(registry.keySet());
    }

    public static Registration registration(String id) {
        Registration r = registry.get(id == null ? "unstructured" : id);
        if (r == null) {
            throw new ModelException("granularity '" + id + "' is unknown; known: "
                    + String.join(", ", registry.keySet()));
        }
        return r;
    }

    /** The declared parameters of a granularity. */
    public static List<GranularityParam> params(String id) {
        return registration(id).params();
    }

    /**
     * Every declared parameter of {@code id} with its value (given or default), sorted by name; an unknown name, a
     * non-integer where an integer is declared or a value out of range is refused by name.
     */
    public static Map<String, Double> complete(String id, Map<String, Double> given) {
        Registration r = registration(id);
        Map<String, Double> g = given == null ? Map.of() : given;
        for (String k : g.keySet()) {
            if (r.params().stream().noneMatch(p -> p.name().equals(k))) {
                throw new ModelException("granularity '" + r.id() + "' has no parameter '" + k + "'"
                        + (r.params().isEmpty() ? " (it takes none)" : "; its parameters: "
                        + r.params().stream().map(GranularityParam::name).collect(Collectors.joining(", "))));
            }
        }
        Map<String, Double> out = new TreeMap<>();
        for (GranularityParam p : r.params()) {
            Double v = g.get(p.name());
            out.put(p.name(), v == null ? p.defaultValue() : p.check(v, "granularity '" + r.id() + "'"));
        }
        return out;
    }

    public static Granularity create(String id, Map<String, Double> params) {
        Registration r = registration(id);
        return r.factory().apply(complete(r.id(), params));
    }
}
