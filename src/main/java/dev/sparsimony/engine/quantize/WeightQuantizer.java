package dev.sparsimony.engine.quantize;

/**
 * Quantizes one layer's weights in place. Zero (pruned) weights stay zero for every quantizer. Implementations are
 * stateless between calls except for their configuration, so one instance can serve every layer.
 */
public interface WeightQuantizer {
    String id();

    void quantize(float[] weights);

    /** Bits stored per weight (value or codebook index). */
    int bitsPerWeight();

    /** Bits stored once per layer besides the weights (codebook, scale). */
    default long overheadBits() {
        return 0;
    }
}
