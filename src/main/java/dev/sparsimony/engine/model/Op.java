package dev.sparsimony.engine.model;

import java.util.List;
import java.util.Map;

/**
 * One operation of the model graph. Implementations are immutable records; weights are named tensors.
 *
 * <p>Runtime tensors always carry the batch as axis 0; shapes passed to {@link #outputShape} include it.
 */
public sealed interface Op permits Ops.Dense, Ops.Conv, Ops.BatchNorm, Ops.Activation, Ops.Softmax,
        Ops.Pool, Ops.GlobalPool, Ops.Flatten, Ops.Reshape, Ops.Transpose, Ops.Binary, Ops.Constant,
        Ops.Concat, Ops.Identity, Ops.MatMul, Ops.Gemm, Ops.QuantizeLinear, Ops.DequantizeLinear,
        Ops.Lrn, Ops.PRelu, Ops.ThresholdedRelu, Ops.LogSoftmax, Ops.Pad, Ops.Cast, Ops.MaxPoolIndices,
        Ops.Upsample, QuantOps.Quant, QuantOps.BipolarQuant, QuantOps.Trunc, QuantOps.Requantize {

    /** Human-readable layer type, e.g. "Dense", "Conv2D", "ReLU". */
    String kind();

    /** Named weight tensors (empty for weightless ops); iteration order is stable. */
    default Map<String, Tensor> weights() {
        return Map.of();
    }

    /** A copy of this op with one weight replaced (same shape required). */
    default Op withWeight(String name, Tensor value) {
        throw new ModelException(kind() + " has no weight named '" + name + "'");
    }

    /** How many inputs this op takes (checked when a {@link Node} is built). */
    default Arity arity() {
        return Arity.ONE;
    }

    /** An inclusive range of input counts. */
    record Arity(int min, int max) {
        public static final Arity NONE = new Arity(0, 0);
        public static final Arity ONE = new Arity(1, 1);
        public static final Arity TWO = new Arity(2, 2);
        public static final Arity TWO_OR_THREE = new Arity(2, 3);
        public static final Arity ONE_OR_MORE = new Arity(1, Integer.MAX_VALUE);

        public boolean accepts(int n) {
            return n >= min && n <= max;
        }

        @Override
        public String toString() {
            return min == max ? String.valueOf(min) : min + ".." + (max == Integer.MAX_VALUE ? "n" : max);
        }
    }

    /** Output shape (batch included) given the input shapes; throws {@link ModelException} when they do not chain. */
    int[] outputShape(List<int[]> inputShapes);

    /**
     * True when the output keeps axis 0 as the sample axis: the output for a batch is the axis-0 concatenation of
     * the outputs for its samples. {@code batched[k]} says input k does (the others are constant). Shapes are at
     * batch 1. The default, false, is always safe: a model whose outputs are not proven to keep the batch runs on
     * the batch it is given, or sample by sample (see {@link BatchAxis}).
     */
    default boolean keepsBatch(List<int[]> inputShapes, boolean[] batched) {
        return false;
    }

    /** True for ops whose weights the compression engine prunes and quantizes (Dense, Conv). */
    default boolean isPrunable() {
        return false;
    }
}
