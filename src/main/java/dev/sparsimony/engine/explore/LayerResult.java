package dev.sparsimony.engine.explore;

/**
 * Outcome for one prunable layer: weights, kept non-zeros, sparsity, bits per stored weight, kept MACs per sample,
 * and storage bits (dense at the quantized width and best sparse format).
 */
public record LayerResult(String layer, int weights, int nonZeros, double sparsity, int bitsPerWeight,
                          long macs, long denseBits, long storedBits) {
}
