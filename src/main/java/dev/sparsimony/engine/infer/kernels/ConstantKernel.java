package dev.sparsimony.engine.infer.kernels;

import dev.sparsimony.engine.infer.OpKernel;
import dev.sparsimony.engine.model.Ops;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Constant: copies its value into the output each pass (cheap; a later in-place op may reuse the buffer). */
public final class ConstantKernel implements OpKernel<Ops.Constant> {
    @Override
    public Class<Ops.Constant> opType() {
        return Ops.Constant.class;
    }

    @Override
    public Step prepare(Ops.Constant op, Context ctx) {
        INDArray v = ctx.requireWeight("value");
        INDArray out = ctx.output();
        return () -> out.assign(v);
    }
}
