package dev.sparsimony.engine.infer.kernels;

import dev.sparsimony.engine.infer.OpKernel;
import dev.sparsimony.engine.model.Ops;
import dev.sparsimony.engine.model.Shapes;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Concatenation: each input is copied into its slice (a view prepared once) of the output. */
public final class ConcatKernel implements OpKernel<Ops.Concat> {
    @Override
    public Class<Ops.Concat> opType() {
        return Ops.Concat.class;
    }

    @Override
    public Step prepare(Ops.Concat op, Context ctx) {
        INDArray out = ctx.output();
        int axis = Shapes.axis(op.axis(), out.rank(), "Concat");
        int k = ctx.inputCount();
        INDArray[] src = new INDArray[k];
        INDArray[] dst = new INDArray[k];
        long at = 0;
        int used = 0;
        for (int i = 0; i < k; i++) {
            INDArray in = ctx.input(i);
            long len = in.size(axis);
            if (len == 0 || in.length() == 0) {
                continue;
            }
            INDArrayIndex[] idx = new INDArrayIndex[out.rank()];
            for (int d = 0; d < idx.length; d++) {
                idx[d] = d == axis ? NDArrayIndex.interval(at, at + len) : NDArrayIndex.all();
            }
            src[used] = in;
            dst[used] = out.get(idx);
            used++;
            at += len;
        }
        int n = used;
        return () -> {
            for (int i = 0; i < n; i++) {
                dst[i].assign(src[i]);
            }
        };
    }
}
