package dev.sparsimony.engine.explore;

import dev.sparsimony.engine.hardware.Device;
import dev.sparsimony.engine.hardware.DeviceCatalogue;
import dev.sparsimony.engine.hardware.IoType;
import dev.sparsimony.engine.hardware.Precisions;
import dev.sparsimony.engine.hardware.Strategy;
import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.prune.Granularities;
import dev.sparsimony.engine.prune.Pruning;
import dev.sparsimony.engine.quantize.FixedPoint;
import dev.sparsimony.engine.quantize.QuantizerSpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One point of the design space: every compression and hardware choice, immutable. {@link DesignPointCodec} reads
 * and writes it (CLI, window, every file). {@link #canonical()} fills every default and drops what does not change
 * the outcome (the name, settings of a pruning that prunes nothing, per-layer values equal to the global ones), so
 * that {@link #key()} is equal for points that mean the same thing and different otherwise.
 *
 * @param version     schema version ({@link #VERSION}; older versions are migrated by the codec)
 * @param name        display name only (not part of the key)
 * @param prune       granularity, importance and selection (global choice)
 * @param layers      per-layer overrides by layer name
 * @param weights     weight quantizer (fixed, po2, kmeans, binary, ternary, none)
 * @param biases      bias quantizer (fixed or none)
 * @param outputs     layer-output quantizer (fixed or none), applied to every Dense / Conv / BatchNorm / non-ReLU
 *                    activation output, as hls4ml types every layer result
 * @param hardware    device, strategy, reuse factor, io type, clock and precision
 * @param depthShrink first layer of every pair or block to merge (DepthShrinker), applied before pruning
 * @param seed        seed for every random choice (k-means initialisation)
 */
public record DesignPoint(int version, String name, PruneSpec prune, Map<String, LayerSpec> layers,
                          QuantizerSpec weights, QuantizerSpec biases, QuantizerSpec outputs, HardwareSpec hardware,
                          List<String> depthShrink, long seed) {
    /** Current schema version. Version 1 (no "version" field) kept reuse factor and bit width in granularity params. */
    public static final int VERSION = 2;

    public DesignPoint {
        prune = prune == null ? PruneSpec.none() : prune;
        layers = layers == null ? Map.of() : Map.copyOf(layers);
        weights = weights == null ? QuantizerSpec.none() : weights;
        biases = biases == null ? QuantizerSpec.none() : biases;
        outputs = outputs == null ? QuantizerSpec.none() : outputs;
        hardware = hardware == null ? HardwareSpec.DEFAULTS : hardware;
        depthShrink = depthShrink == null ? List.of() : List.copyOf(depthShrink);
    }

    /** A point with the given pruning and every other choice at its default. */
    public static DesignPoint of(PruneSpec prune) {
        return new DesignPoint(VERSION, "point", prune, null, null, null, null, null, null, 0);
    }

    public DesignPoint withPrune(PruneSpec p) {
        return new DesignPoint(version, name, p, layers, weights, biases, outputs, hardware, depthShrink, seed);
    }

    public DesignPoint withQuantizers(QuantizerSpec w, QuantizerSpec b, QuantizerSpec o) {
        return new DesignPoint(version, name, prune, layers, w, b, o, hardware, depthShrink, seed);
    }

    public DesignPoint withLayers(Map<String, LayerSpec> l) {
        return new DesignPoint(version, name, prune, l, weights, biases, outputs, hardware, depthShrink, seed);
    }

    /** This point with one layer's overrides replaced (an empty spec removes the entry). */
    public DesignPoint withLayer(String layer, LayerSpec spec) {
        Map<String, LayerSpec> m = new LinkedHashMap<>(layers);
        if (spec == null || spec.overridesNothing()) {
            m.remove(layer);
        } else {
            m.put(layer, spec);
        }
        return withLayers(m);
    }

    public DesignPoint withHardware(HardwareSpec h) {
        return new DesignPoint(version, name, prune, layers, weights, biases, outputs, h, depthShrink, seed);
    }

    public DesignPoint withDepthShrink(List<String> pairs) {
        return new DesignPoint(version, name, prune, layers, weights, biases, outputs, hardware, pairs, seed);
    }

    public DesignPoint withName(String n) {
        return new DesignPoint(version, n, prune, layers, weights, biases, outputs, hardware, depthShrink, seed);
    }

    public DesignPoint withSeed(long s) {
        return new DesignPoint(version, name, prune, layers, weights, biases, outputs, hardware, depthShrink, s);
    }

    // ------------------------------------------------------------------ canonical form and keys

    /**
     * The same choices with every default filled and everything that cannot change the outcome removed. Throws
     * {@link ModelException} naming the field for a value that means nothing (unknown granularity or parameter,
     * out-of-range sparsity, unreadable precision, unknown strategy or io type).
     */
    public DesignPoint canonical() {
        HardwareSpec hw = canonicalHardware(hardware);
        String sel = prune.selection() == null ? "layer" : prune.selection();
        if (!List.of("layer", "global", "knapsack").contains(sel)) {
            throw new ModelException("prune.selection must be layer, global or knapsack, got '" + sel + "'");
        }
        boolean knapsack = sel.equals("knapsack");
        String gran = prune.granularity() == null ? "unstructured" : prune.granularity();
        Map<String, Double> params = completeParams(gran, prune.params(), "prune");
        String importance = prune.importance() == null ? "l1" : prune.importance();
        Double sparsity = null;
        Map<String, Double> budgets = Map.of();
        String basis = null;
        String solver = null;
        if (knapsack) {
            budgets = new TreeMap<>(prune.budgets());
            basis = prune.budgetBasis() == null ? "unpruned" : prune.budgetBasis();
            if (!List.of("unpruned", "device", "absolute").contains(basis)) {
                throw new ModelException("prune.budgetBasis must be unpruned, device or absolute, got '" + basis + "'");
            }
            solver = prune.solver() == null ? "auto" : prune.solver().equals("ojalgo") ? "mip" : prune.solver();
        } else {
            sparsity = prune.sparsity() == null ? 0.0 : Pruning.checkSparsity(prune.sparsity(), "prune.sparsity");
        }
        QuantizerSpec w = canonicalQuantizer(weights, "weights");
        QuantizerSpec b = canonicalQuantizer(biases, "biases");
        QuantizerSpec o = canonicalQuantizer(outputs, "outputs");

        Map<String, LayerSpec> ls = new TreeMap<>();
        boolean anyPruning = knapsack ? true : sparsity > 0 || gran.equals("n-of-m");
        for (Map.Entry<String, LayerSpec> e : layers.entrySet()) {
            String f = "layers." + e.getKey();
            LayerSpec s = e.getValue() == null ? LayerSpec.empty() : e.getValue();
            boolean exempt = s.exemptFromPruning();
            String lg = null;
            Map<String, Double> lp = null;
            Double lsp = null;
            if (!exempt) {
                if (s.granularity() != null || s.params() != null) {
                    String g = s.granularity() == null ? gran : s.granularity();
                    Map<String, Double> p = completeParams(g, s.params() == null && g.equals(gran) ? params
                            : s.params(), f);
                    if (!(g.equals(gran) && p.equals(params))) {
                        lg = g;
                        lp = p;
                    }
                }
                if (s.sparsity() != null && sel.equals("layer")) {
                    double v = Pruning.checkSparsity(s.sparsity(), f + ".sparsity");
                    lsp = Objects.equals(v, sparsity) ? null : v;
                }
                anyPruning |= lsp != null && lsp > 0 || "n-of-m".equals(lg);
            }
            QuantizerSpec lw = differing(canonicalQuantizer(s.weights(), f + ".weights"), w);
            QuantizerSpec lb = differing(canonicalQuantizer(s.biases(), f + ".biases"), b);
            QuantizerSpec lo = differing(canonicalQuantizer(s.outputs(), f + ".outputs"), o);
            Integer rf = s.reuseFactor() == null || s.reuseFactor().equals(hw.reuseFactor()) ? null
                    : checkReuse(s.reuseFactor(), f + ".reuseFactor");
            String st = s.strategy() == null ? null : canonicalStrategy(s.strategy(), f + ".strategy");
            st = hw.strategy().equals(st) ? null : st;
            LayerSpec c = new LayerSpec(lg, lp, lsp, exempt ? Boolean.TRUE : null, lw, lb, lo, rf, st);
            if (!c.overridesNothing()) {
                ls.put(e.getKey(), c);
            }
        }
        if (!anyPruning) {
            // nothing is pruned: which structures would have been ranked does not matter
            gran = "unstructured";
            params = Map.of();
            importance = "l1";
            Map<String, LayerSpec> kept = new TreeMap<>();
            ls.forEach((k, v) -> {
                LayerSpec c = v.withGranularity(null, null).withExempt(null);
                if (!c.overridesNothing()) {
                    kept.put(k, c);
                }
            });
            ls = kept;
        }
        PruneSpec ps = new PruneSpec(gran, params, importance, sel, sparsity, budgets, basis, solver);
        boolean random = "kmeans".equals(w.type()) || ls.values().stream().anyMatch(l -> l.weights() != null
                && "kmeans".equals(l.weights().type()));
        List<String> shrink = new ArrayList<>(new TreeSet<>(depthShrink));
        return new DesignPoint(VERSION, null, ps, ls, w, b, o, hw, shrink, random ? seed : 0);
    }

    /** Stable hash of the canonical form: equal for points that mean the same thing. */
    public String key() {
        return DesignPointCodec.hash(canonical());
    }

    /**
     * Key of what decides the point's accuracy: the canonical point without its hardware settings, unless the
     * pruning follows the hardware (dsp-pattern / bram-block structures, or a knapsack budget on a hardware
     * resource). Points that differ only in hardware settings share it, so their accuracy is computed once.
     */
    public String accuracyKey() {
        DesignPoint c = canonical();
        if (c.pruningFollowsHardware()) {
            return DesignPointCodec.hash(c);
        }
        Map<String, LayerSpec> ls = new TreeMap<>();
        c.layers().forEach((k, v) -> {
            LayerSpec s = v.withReuseFactor(null).withStrategy(null);
            if (!s.overridesNothing()) {
                ls.put(k, s);
            }
        });
        return DesignPointCodec.hash(new DesignPoint(VERSION, null, c.prune(), ls, c.weights(), c.biases(),
                c.outputs(), new HardwareSpec(null, null, null, null, null, null, null), c.depthShrink(), c.seed()));
    }

    /** True when the mask depends on hardware settings (of a canonical point). */
    boolean pruningFollowsHardware() {
        if (Granularities.registration(prune.granularity()).usesHardware()) {
            return true;
        }
        for (LayerSpec l : layers.values()) {
            if (l.granularity() != null && Granularities.registration(l.granularity()).usesHardware()) {
                return true;
            }
        }
        return "knapsack".equals(prune.selection()) && prune.budgets().keySet().stream()
                .anyMatch(r -> !List.of("params", "MACs", "bytes").contains(r));
    }

    private static Map<String, Double> completeParams(String granularity, Map<String, Double> given, String field) {
        try {
            return Granularities.complete(granularity, given);
        } catch (ModelException e) {
            throw new ModelException(field + ".granularity: " + e.getMessage(), e);
        }
    }

    private static QuantizerSpec differing(QuantizerSpec layer, QuantizerSpec global) {
        return layer == null || layer.equals(global) ? null : layer;
    }

    private static Integer checkReuse(int rf, String field) {
        if (rf < 1) {
            throw new ModelException(field + " must be at least 1, got " + rf);
        }
        return rf;
    }

    private static String canonicalStrategy(String s, String field) {
        try {
            return Strategy.parse(s).label();
        } catch (ModelException e) {
            throw new ModelException(field + ": " + e.getMessage(), e);
        }
    }

    static HardwareSpec canonicalHardware(HardwareSpec h) {
        HardwareSpec d = HardwareSpec.DEFAULTS;
        String device = h.device() == null || h.device().isBlank() ? d.device() : h.device().trim();
        Device known = DeviceCatalogue.builtIn().find(device).orElse(null);
        if (known != null) {
            device = known.name();
        }
        String strategy = canonicalStrategy(h.strategy() == null ? d.strategy() : h.strategy(), "hardware.strategy");
        int rf = checkReuse(h.reuseFactor() == null ? d.reuseFactor() : h.reuseFactor(), "hardware.reuseFactor");
        String io;
        try {
            io = IoType.parse(h.io() == null ? d.io() : h.io()) == IoType.STREAM ? "stream" : "parallel";
        } catch (ModelException e) {
            throw new ModelException("hardware.io: " + e.getMessage(), e);
        }
        Double clock = h.clockMhz();
        if (clock != null && !(clock > 0 && clock <= 5000)) {
            throw new ModelException("hardware.clockMhz must be in (0, 5000] MHz, got " + clock);
        }
        if (clock == null && known != null) {
            clock = known.clockMhz();
        }
        String precision;
        try {
            precision = Precisions.parse(h.precision() == null ? d.precision() : h.precision()).hlsType();
        } catch (ModelException e) {
            throw new ModelException("hardware.precision: " + e.getMessage(), e);
        }
        return new HardwareSpec(device, strategy, rf, io, clock, precision, Boolean.TRUE.equals(h.strictReuse()));
    }

    /** One spelling per quantizer: fixed types as their five fields, unused fields dropped, defaults filled. */
    static QuantizerSpec canonicalQuantizer(QuantizerSpec q, String field) {
        if (q == null) {
            return null;
        }
        String type = q.type() == null ? "none" : q.type();
        return switch (type) {
            case "none" -> QuantizerSpec.none();
            case "fixed" -> {
                if (q.fixed() == null) {
                    throw new ModelException(field + ": a fixed quantizer needs its type, e.g. \"hls\":"
                            + " \"ap_fixed<8,3>\"");
                }
                yield QuantizerSpec.fixed(q.fixed());
            }
            // the defaults of engine.quantize.WeightQuantizers
            case "po2" -> new QuantizerSpec("po2", null, q.bits() == null ? 4 : q.bits(), q.maxExponent(), null);
            case "kmeans" -> new QuantizerSpec("kmeans", null, null, null, q.clusters() == null ? 16 : q.clusters());
            case "binary", "ternary" -> QuantizerSpec.of(type);
            default -> throw new ModelException(field + ": unknown quantizer type '" + type
                    + "'; use none, fixed, po2, kmeans, binary or ternary");
        };
    }

    /** The fixed-point type of the point's precision (hls4ml's Model precision). */
    public FixedPoint precision() {
        return Precisions.parse(canonicalHardware(hardware).precision());
    }
}
