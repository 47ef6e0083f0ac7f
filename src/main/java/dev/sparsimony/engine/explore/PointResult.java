package dev.sparsimony.engine.explore;

import dev.sparsimony.engine.hardware.FpgaEstimate;
import dev.sparsimony.engine.hardware.LayerEstimate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The outcome of one design point in a sweep: its figures (quality, hardware, storage) or, for a point that could
 * not be evaluated, the reason. Immutable; {@link ResultCodec} writes it as one line of points.jsonl.
 *
 * @param id        order in which the sweep finished it (0, 1, ...)
 * @param key       the point's {@link DesignPoint#key()}
 * @param status    "ok" or "failed"
 * @param error     why the point failed (one line), null when ok
 * @param point     the point as the strategy made it
 * @param choices   the values of the search space's axes for this point (for tables and plots)
 * @param feasible  true when the design fits the device (and meets the space's constraints)
 * @param metric    "accuracy" or "fidelity"
 * @param accuracy  top-1 accuracy (or agreement) in [0, 1]
 * @param latencyCycles latency in clock cycles; {@code iiCycles} the initiation interval
 * @param storageBytes best sparse storage of weights and biases
 * @param cached    true when the accuracy came from a point with the same accuracy key
 * @param layers    per prunable layer: sparsity, bits, reuse factor and its hardware figures
 */
public record PointResult(long id, String key, String status, String error, DesignPoint point,
                          Map<String, Object> choices, boolean feasible, String metric, double accuracy, long dsp,
                          long bram18, long lut, long ff, long latencyCycles, long iiCycles, double latencyNs,
                          long storageBytes, double sparsity, long macs, boolean cached, List<String> fitProblems,
                          List<Layer> layers, Provenance provenance) {
    /** One layer's share of a result. */
    public record Layer(String name, double sparsity, int bits, int reuseFactor, String strategy, long dsp,
                        long bram18, long lut, long ff, long latencyCycles) {
    }

    public static final String OK = "ok";
    public static final String FAILED = "failed";

    /** Objectives a front can be built on, with their direction. */
    public static final List<String> OBJECTIVES = List.of("accuracy", "dsp", "bram18", "lut", "ff", "latency",
            "storage");

    public PointResult {
        choices = choices == null ? Map.of() : java.util.Collections.unmodifiableMap(
                new java.util.LinkedHashMap<>(choices));
        fitProblems = fitProblems == null ? List.of() : List.copyOf(fitProblems);
        layers = layers == null ? List.of() : List.copyOf(layers);
    }

    public boolean ok() {
        return OK.equals(status);
    }

    /** An objective's value (accuracy is maximised, the others minimised). */
    public double objective(String name) {
        return switch (name) {
            case "accuracy" -> accuracy;
            case "dsp" -> dsp;
            case "bram18", "bram" -> bram18;
            case "lut" -> lut;
            case "ff" -> ff;
            case "latency" -> latencyCycles;
            case "latency_ns" -> latencyNs;
            case "ii" -> iiCycles;
            case "storage" -> storageBytes;
            case "sparsity" -> sparsity;
            case "macs" -> macs;
            default -> throw new dev.sparsimony.engine.model.ModelException("unknown objective '" + name
                    + "'; known: " + String.join(", ", OBJECTIVES));
        };
    }

    public static boolean maximised(String objective) {
        return objective.equals("accuracy") || objective.equals("sparsity");
    }

    /** A failed point: the reason is kept, the figures are NaN / zero. */
    public static PointResult failed(long id, DesignPoint point, String key, Map<String, Object> choices, String error,
                                     Provenance provenance) {
        return new PointResult(id, key, FAILED, error, point, choices, false, null, Double.NaN, 0, 0, 0, 0, 0, 0,
                Double.NaN, 0, Double.NaN, 0, false, List.of(), List.of(), provenance);
    }

    /** The figures of an evaluation. */
    public static PointResult of(long id, String key, DesignPoint point, Map<String, Object> choices, DesignResult r,
                                 boolean cached, Provenance provenance) {
        FpgaEstimate e = r.hardware();
        List<Layer> layers = new ArrayList<>();
        for (LayerResult l : r.layers()) {
            LayerEstimate le = e == null ? null : e.layers().stream().filter(x -> x.name().equals(l.layer()))
                    .findFirst().orElse(null);
            layers.add(new Layer(l.layer(), l.sparsity(), l.bitsPerWeight(), le == null ? 0 : le.reuseFactor(),
                    le == null ? "" : le.strategy(), le == null ? 0 : le.dsp(), le == null ? 0 : le.bram18(),
                    le == null ? 0 : le.lut(), le == null ? 0 : le.ff(), le == null ? 0 : le.latencyCycles()));
        }
        return new PointResult(id, key, OK, null, point, choices, e == null || e.fits(),
                r.quality().metric() == dev.sparsimony.engine.metric.Quality.Metric.ACCURACY ? "accuracy" : "fidelity",
                r.quality().value(), e == null ? 0 : e.dsp(), e == null ? 0 : e.bram18(), e == null ? 0 : e.lut(),
                e == null ? 0 : e.ff(), e == null ? 0 : e.latencyCycles(), e == null ? 0 : e.intervalCycles(),
                e == null ? Double.NaN : e.latencyNs(), (r.storage().bestBits() + 7) / 8, r.sparsity(), r.macs(),
                cached, e == null ? List.of() : e.fitProblems(), layers, provenance);
    }

    public PointResult withId(long newId) {
        return new PointResult(newId, key, status, error, point, choices, feasible, metric, accuracy, dsp, bram18,
                lut, ff, latencyCycles, iiCycles, latencyNs, storageBytes, sparsity, macs, cached, fitProblems, layers,
                provenance);
    }

    public PointResult withChoices(Map<String, Object> c) {
        return new PointResult(id, key, status, error, point, c, feasible, metric, accuracy, dsp, bram18,
                lut, ff, latencyCycles, iiCycles, latencyNs, storageBytes, sparsity, macs, cached, fitProblems, layers,
                provenance);
    }

    public PointResult withFeasible(boolean f, List<String> problems) {
        return new PointResult(id, key, status, error, point, choices, f, metric, accuracy, dsp, bram18,
                lut, ff, latencyCycles, iiCycles, latencyNs, storageBytes, sparsity, macs, cached, problems, layers,
                provenance);
    }
}
