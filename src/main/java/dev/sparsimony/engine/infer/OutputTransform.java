package dev.sparsimony.engine.infer;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A transform applied to a node's output right after the node is computed, e.g. rounding to an
 * {@code ap_fixed<W,I>} grid to emulate hls4ml's layer result precision.
 *
 * <p>It MUST work in place: modify {@code output} and keep it (the array is a pre-allocated buffer that later
 * nodes read; replacing it is not possible). The array is c-ordered and contiguous, batch axis first. For
 * nodes that merely reinterpret their input (Reshape, Flatten, Identity) the buffer is shared with the input,
 * so the transform also changes that value for any other reader.
 */
@FunctionalInterface
public interface OutputTransform {
    void apply(INDArray output);
}
