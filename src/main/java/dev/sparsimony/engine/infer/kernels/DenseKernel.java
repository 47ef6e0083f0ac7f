package dev.sparsimony.engine.infer.kernels;

import dev.sparsimony.engine.infer.OpKernel;
import dev.sparsimony.engine.model.Ops;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** y = x · W + b on the last axis: one sgemm on the input viewed as [rows, nIn], then a row-vector add. */
public final class DenseKernel implements OpKernel<Ops.Dense> {
    @Override
    public Class<Ops.Dense> opType() {
        return Ops.Dense.class;
    }

    @Override
    public Step prepare(Ops.Dense op, Context ctx) {
        INDArray in = ctx.input(0);
        long rows = in.length() / op.nIn();
        INDArray x = NdUtil.view(in, rows, op.nIn());
        INDArray y = NdUtil.view(ctx.output(), rows, op.nOut());
        INDArray w = ctx.requireWeight("kernel");
        INDArray b = ctx.weight("bias");
        INDArray bRow = b == null ? null : NdUtil.view(b, 1, op.nOut());
        return () -> {
            if (rows == 0) {
                return;
            }
            Nd4j.gemm(x, w, y, false, false, 1.0, 0.0);
            if (bRow != null) {
                y.addiRowVector(bRow);
            }
        };
    }
}
