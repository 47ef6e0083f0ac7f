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

        /**
         * As {@link #begin(INDArray)} for a part of an output that a fused step holds on the heap: the values
         * {@code parts[k][0, len)} of every k (read only). The default copies them into a native array for
         * {@link #begin(INDArray)}; transforms whose begin is a cheap scan override it.
         */
        default void begin(float[][] parts, int len) {
            float[] all = new float[parts.length * len];
            for (int k = 0; k < parts.length; k++) {
                System.arraycopy(parts[k], 0, all, k * len, len);
            }
            begin(org.nd4j.linalg.factory.Nd4j.createFromArray(all));
        }

        void apply(float[] buf, int from, int to);

        /**
         * True when {@link #begin} uses nothing but the range of the values (a range check): a fused step may then call
         * {@link #beginRange} with bounds of a part instead of the part's values.
         */
        default boolean rangeOnly() {
            return false;
        }

        /**
         * As {@link #begin} for a part whose values all lie in [min, max] (a bound is NaN when a value may be NaN);
         * called only when {@link #rangeOnly} holds.
         */
        default void beginRange(float min, float max) {
            throw new UnsupportedOperationException("beginRange needs a range-only transform");
        }

        /**
         * True when {@link #apply} is non-decreasing (x &lt;= y implies f(x) &lt;= f(y)) on the values seen by the last
         * {@link #begin}: then a fused producer may apply it after a max pooling instead of before (max and f
         * commute), to a quarter of the values for 2x2 windows. False unless a transform knows better.
         */
        default boolean nonDecreasing() {
            return false;
        }

        @Override
        default void apply(INDArray output) {
            begin(output);
            NdUtil.streamInPlace(output, this::apply);
        }
    }
}
