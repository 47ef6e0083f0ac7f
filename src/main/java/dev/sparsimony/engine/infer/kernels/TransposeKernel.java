package dev.sparsimony.engine.infer.kernels;

import dev.sparsimony.engine.infer.OpKernel;
import dev.sparsimony.engine.model.Ops;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Axis permutation: a strided copy of the permuted view into the (c-order) output. */
public final class TransposeKernel implements OpKernel<Ops.Transpose> {
    @Override
    public Class<Ops.Transpose> opType() {
        return Ops.Transpose.class;
    }

    @Override
    public Step prepare(Ops.Transpose op, Context ctx) {
        INDArray src = ctx.input(0).permute(op.perm());
        INDArray out = ctx.output();
        return () -> out.assign(src);
    }
}
