package dev.sparsimony.engine.explore;

import dev.sparsimony.engine.quantize.QuantizerSpec;

import java.util.Map;

/**
 * Per-layer overrides of a design point; every null field falls back to the point's global choice.
 * {@code sparsity} applies with "layer" selection; {@code exempt} keeps every weight of the layer (no pruning, in
 * every selection); {@code reuseFactor} and {@code strategy} are the layer's hardware settings (hls4ml's
 * LayerName ReuseFactor and Strategy), which the dsp-pattern and bram-block structures follow too.
 */
public record LayerSpec(String granularity, Map<String, Double> params, Double sparsity, Boolean exempt,
                        QuantizerSpec weights, QuantizerSpec biases, QuantizerSpec outputs, Integer reuseFactor,
                        String strategy) {
    public LayerSpec {
        params = params == null ? null : Map.copyOf(params);
    }

    public static LayerSpec sparsity(double s) {
        return new LayerSpec(null, null, s, null, null, null, null, null, null);
    }

    public static LayerSpec exempted() {
        return new LayerSpec(null, null, null, true, null, null, null, null, null);
    }

    public static LayerSpec empty() {
        return new LayerSpec(null, null, null, null, null, null, null, null, null);
    }

    public LayerSpec withGranularity(String g, Map<String, Double> p) {
        return new LayerSpec(g, p, sparsity, exempt, weights, biases, outputs, reuseFactor, strategy);
    }

    public LayerSpec withSparsity(Double s) {
        return new LayerSpec(granularity, params, s, exempt, weights, biases, outputs, reuseFactor, strategy);
    }

    public LayerSpec withExempt(Boolean e) {
        return new LayerSpec(granularity, params, sparsity, e, weights, biases, outputs, reuseFactor, strategy);
    }

    public LayerSpec withQuantizers(QuantizerSpec w, QuantizerSpec b, QuantizerSpec o) {
        return new LayerSpec(granularity, params, sparsity, exempt, w, b, o, reuseFactor, strategy);
    }

    public LayerSpec withReuseFactor(Integer rf) {
        return new LayerSpec(granularity, params, sparsity, exempt, weights, biases, outputs, rf, strategy);
    }

    public LayerSpec withStrategy(String s) {
        return new LayerSpec(granularity, params, sparsity, exempt, weights, biases, outputs, reuseFactor, s);
    }

    public boolean exemptFromPruning() {
        return Boolean.TRUE.equals(exempt);
    }

    /** True when the spec overrides nothing. */
    public boolean overridesNothing() {
        return granularity == null && params == null && sparsity == null && !exemptFromPruning() && weights == null
                && biases == null && outputs == null && reuseFactor == null && strategy == null;
    }
}
