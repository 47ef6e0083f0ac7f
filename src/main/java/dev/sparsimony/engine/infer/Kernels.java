package dev.sparsimony.engine.infer;

import dev.sparsimony.engine.infer.kernels.ActivationKernel;
import dev.sparsimony.engine.infer.kernels.BatchNormKernel;
import dev.sparsimony.engine.infer.kernels.BinaryKernel;
import dev.sparsimony.engine.infer.kernels.ConcatKernel;
import dev.sparsimony.engine.infer.kernels.ConstantKernel;
import dev.sparsimony.engine.infer.kernels.ConvKernel;
import dev.sparsimony.engine.infer.kernels.DenseKernel;
import dev.sparsimony.engine.infer.kernels.DequantizeLinearKernel;
import dev.sparsimony.engine.infer.kernels.FlattenKernel;
import dev.sparsimony.engine.infer.kernels.GemmKernel;
import dev.sparsimony.engine.infer.kernels.GlobalPoolKernel;
import dev.sparsimony.engine.infer.kernels.IdentityKernel;
import dev.sparsimony.engine.infer.kernels.LrnKernel;
import dev.sparsimony.engine.infer.kernels.MatMulKernel;
import dev.sparsimony.engine.infer.kernels.PoolKernel;
import dev.sparsimony.engine.infer.kernels.QuantizeLinearKernel;
import dev.sparsimony.engine.infer.kernels.ReshapeKernel;
import dev.sparsimony.engine.infer.kernels.SoftmaxKernel;
import dev.sparsimony.engine.infer.kernels.TransposeKernel;
import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.model.Op;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Registry of {@link OpKernel}s keyed by the op record class. A new op is one IR record, one kernel class
 * and one line below (or a {@link #register} call from the code that introduces the op).
 */
public final class Kernels {
    private static final Map<Class<?>, OpKernel<?>> KERNELS = new ConcurrentHashMap<>();

    static {
        register(new DenseKernel());
        register(new ConvKernel());
        register(new BatchNormKernel());
        register(new ActivationKernel());
        register(new SoftmaxKernel());
        register(new PoolKernel());
        register(new GlobalPoolKernel());
        register(new FlattenKernel());
        register(new ReshapeKernel());
        register(new TransposeKernel());
        register(new BinaryKernel());
        register(new ConstantKernel());
        register(new ConcatKernel());
        register(new IdentityKernel());
        register(new MatMulKernel());
        register(new GemmKernel());
        register(new QuantizeLinearKernel());
        register(new DequantizeLinearKernel());
        register(new LrnKernel());
        register(new dev.sparsimony.engine.infer.kernels.PReluKernel());
        register(new dev.sparsimony.engine.infer.kernels.ThresholdedReluKernel());
        register(new dev.sparsimony.engine.infer.kernels.LogSoftmaxKernel());
        register(new dev.sparsimony.engine.infer.kernels.PadKernel());
        register(new dev.sparsimony.engine.infer.kernels.CastKernel());
        register(new dev.sparsimony.engine.infer.kernels.MaxPoolIndicesKernel());
        register(new dev.sparsimony.engine.infer.kernels.UpsampleKernel());
        register(new dev.sparsimony.engine.infer.kernels.QuantKernels.Quant());
        register(new dev.sparsimony.engine.infer.kernels.QuantKernels.BipolarQuant());
        register(new dev.sparsimony.engine.infer.kernels.QuantKernels.Trunc());
        register(new dev.sparsimony.engine.infer.kernels.QuantKernels.Requantize());
    }

    private Kernels() {
    }

    /** Adds or replaces the kernel for its op type. */
    public static void register(OpKernel<?> kernel) {
        KERNELS.put(kernel.opType(), kernel);
    }

    /** The kernel for an op; ModelException when none is registered. */
    @SuppressWarnings("unchecked")
    public static <O extends Op> OpKernel<O> forOp(O op) {
        OpKernel<?> k = KERNELS.get(op.getClass());
        if (k == null) {
            throw new ModelException("inference does not support layer type " + op.kind() + " yet");
        }
        return (OpKernel<O>) k;
    }

    public static boolean supports(Op op) {
        return KERNELS.containsKey(op.getClass());
    }
}
