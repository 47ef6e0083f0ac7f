package dev.sparsimony.engine.quantize;

/** Weights as ap_fixed&lt;W,I&gt; (hls4ml's default weight precision is ap_fixed&lt;16,6&gt;). */
public record FixedPointWeights(FixedPoint type) implements WeightQuantizer {
    @Override
    public String id() {
        return "fixed";
    }

    @Override
    public void quantize(float[] w) {
        new Quantizer(type).quantize(w);
    }

    @Override
    public int bitsPerWeight() {
        return type.width();
    }
}
