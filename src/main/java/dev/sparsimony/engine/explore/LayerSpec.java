package dev.sparsimony.engine.explore;

import dev.sparsimony.engine.quantize.QuantizerSpec;

import java.util.Map;

/**
 * Per-layer overrides of a design point; every null field falls back to the point's global choice.
 * {@code sparsity} applies with "layer" selection; {@code reuseFactor} feeds the DSP / BRAM structures and costs.
 */
public record LayerSpec(String granularity, Map<String, Double> params, Double sparsity, QuantizerSpec weights,
                        QuantizerSpec biases, QuantizerSpec outputs, Integer reuseFactor) {
    public static LayerSpec sparsity(double s) {
        return new LayerSpec(null, null, s, null, null, null, null);
    }
}
