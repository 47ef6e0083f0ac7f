package dev.sparsimony.engine.infer.kernels;

import dev.sparsimony.engine.infer.OpKernel;
import dev.sparsimony.engine.model.Ops;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.reduce.floating.Mean;
import org.nd4j.linalg.api.ops.impl.reduce.same.Max;
import org.nd4j.linalg.factory.Nd4j;

/** Max/average over all spatial axes, reduced straight into the output viewed as [N, C]. */
public final class GlobalPoolKernel implements OpKernel<Ops.GlobalPool> {
    @Override
    public Class<Ops.GlobalPool> opType() {
        return Ops.GlobalPool.class;
    }

    @Override
    public Step prepare(Ops.GlobalPool op, Context ctx) {
        INDArray in = ctx.input(0);
        int r = in.rank();
        int[] dims = new int[r - 2];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = op.layout().spatialAxis(r, i);
        }
        long n = in.size(0);
        long c = in.size(op.layout().channelAxis(r));
        INDArray out = NdUtil.view(ctx.output(), n, c);
        if (in.length() == 0) {
            return () -> { };
        }
        return switch (op.pool()) {
            case MAX -> () -> Nd4j.exec(new Max(in, out, dims));
            case AVG -> () -> Nd4j.exec(new Mean(in, out, dims));
        };
    }
}
