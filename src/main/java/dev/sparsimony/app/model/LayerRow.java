package dev.sparsimony.app.model;

/**
 * One line of the layer table: plain values computed once per model change, so the table never touches tensors.
 *
 * @param sparsity fraction of exactly-zero kernel weights (NaN for layers without a kernel)
 * @param bits     weight bit width (32 for float models), or 0 when the layer has no weights
 */
public record LayerRow(String name, String type, String outputShape, long parameters, double sparsity, int bits,
                       boolean prunable) {
}
