package dev.sparsimony.engine.hardware;

import dev.sparsimony.engine.model.ModelException;
import java.util.Locale;

/** hls4ml's matrix-multiply implementations on the Vivado/Vitis backends. */
public enum Strategy {
    /** Fully unrolled, weights are constants in logic (hls4ml "Latency", nnet_dense_latency.h). */
    LATENCY,
    /** Weights in a BRAM ROM, block_factor multipliers reused RF times (hls4ml "Resource", nnet_dense_resource.h). */
    RESOURCE,
    /**
     * Resource-style schedule whose generated code only contains the non-zero products (hls4ml "resource_unrolled",
     * backends/vivado/passes/unrolled_codegen.py).
     */
    UNROLLED;

    public static Strategy parse(String s) {
        return switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "latency" -> LATENCY;
            case "resource" -> RESOURCE;
            case "unrolled", "resource_unrolled" -> UNROLLED;
            default -> throw new ModelException("unknown strategy '" + s + "'; use latency, resource or unrolled");
        };
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
