package dev.sparsimony.engine.explore;

import dev.sparsimony.engine.quantize.QuantizerSpec;

import java.util.List;
import java.util.Map;

/**
 * One point of the design space: every compression choice, immutable and JSON-friendly (Jackson reads and writes
 * it as is; the CLI takes {@code --config POINT.json}). Null fields mean "none" / defaults.
 *
 * @param prune       granularity, importance and selection (global choice)
 * @param layers      per-layer overrides by layer name
 * @param weights     weight quantizer (fixed, po2, kmeans, binary, ternary, none)
 * @param biases      bias quantizer (fixed or none)
 * @param outputs     layer-output quantizer (fixed or none), applied to every Dense / Conv / BatchNorm / non-ReLU
 *                    activation output, as hls4ml types every layer result
 * @param depthShrink first Dense layer of every pair to merge (DepthShrinker), applied before pruning
 * @param seed        seed for every random choice (k-means re-seeding)
 */
public record DesignPoint(String name, PruneSpec prune, Map<String, LayerSpec> layers, QuantizerSpec weights,
                          QuantizerSpec biases, QuantizerSpec outputs, List<String> depthShrink, long seed) {
    public DesignPoint {
        prune = prune == null ? PruneSpec.none() : prune;
        layers = layers == null ? Map.of() : Map.copyOf(layers);
        weights = weights == null ? QuantizerSpec.none() : weights;
        biases = biases == null ? QuantizerSpec.none() : biases;
        outputs = outputs == null ? QuantizerSpec.none() : outputs;
        depthShrink = depthShrink == null ? List.of() : List.copyOf(depthShrink);
    }

    public static DesignPoint of(PruneSpec prune) {
        return new DesignPoint("point", prune, null, null, null, null, null, 0);
    }

    public DesignPoint withPrune(PruneSpec p) {
        return new DesignPoint(name, p, layers, weights, biases, outputs, depthShrink, seed);
    }

    public DesignPoint withQuantizers(QuantizerSpec w, QuantizerSpec b, QuantizerSpec o) {
        return new DesignPoint(name, prune, layers, w, b, o, depthShrink, seed);
    }

    public DesignPoint withLayers(Map<String, LayerSpec> l) {
        return new DesignPoint(name, prune, l, weights, biases, outputs, depthShrink, seed);
    }

    public DesignPoint withDepthShrink(List<String> pairs) {
        return new DesignPoint(name, prune, layers, weights, biases, outputs, pairs, seed);
    }

    public DesignPoint withName(String n) {
        return new DesignPoint(n, prune, layers, weights, biases, outputs, depthShrink, seed);
    }
}
