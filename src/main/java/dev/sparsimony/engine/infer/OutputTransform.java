package dev.sparsimony.engine.infer;

import dev.sparsimony.engine.infer.kernels.NdUtil;
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

    /**
     * An element-wise transform that can run on a heap copy of any run of the output ({@code buf[from, to)}, in
     * place). {@link CompiledModel} then streams the output through one small heap buffer once for this transform
     * and the element-wise nodes after it (e.g. quantize, ReLU), instead of one pass each.
     */
    interface Elementwise extends OutputTransform {
        /**
         * Called once with the whole (native) output before its runs are streamed through {@link #apply(float[],
         * int, int)}: the place for checks that are cheaper on the native buffer than per run.
         */
        default void begin(INDArray output) {
        }

        void apply(float[] buf, int from, int to);

        @Override
        default void apply(INDArray output) {
            begin(output);
            NdUtil.streamInPlace(output, this::apply);
        }
    }
}
