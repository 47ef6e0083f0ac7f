package dev.sparsimony.engine.infer.kernels;

import dev.sparsimony.engine.infer.OpKernel;
import dev.sparsimony.engine.model.Ops;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;
import org.nd4j.linalg.factory.Nd4j;

/** ONNX Gemm: Y = alpha * op(A) · op(B) + beta * C, C broadcast (NumPy, unidirectional) and optional. */
public final class GemmKernel implements OpKernel<Ops.Gemm> {
    @Override
    public Class<Ops.Gemm> opType() {
        return Ops.Gemm.class;
    }

    @Override
    public Step prepare(Ops.Gemm op, Context ctx) {
        INDArray a = ctx.input(0);
        INDArray b = ctx.input(1);
        INDArray out = ctx.output();
        INDArray c = ctx.inputCount() > 2 ? BinaryKernel.padRank(ctx.input(2), 2) : null;
        INDArray cScaled = c == null || op.beta() == 1f ? c : NdUtil.zeros(c.shape());
        float alpha = op.alpha();
        float beta = op.beta();
        boolean empty = out.length() == 0;
        boolean zeroK = (op.transA() ? a.size(0) : a.size(1)) == 0;
        return () -> {
            if (empty) {
                return;
            }
            if (zeroK) {
                out.assign(0);
            } else {
                Nd4j.gemm(a, b, out, op.transA(), op.transB(), alpha, 0.0);
            }
            if (c != null && beta != 0f) {
                if (cScaled != c) {
                    cScaled.assign(c).muli(beta);
                }
                Nd4j.exec(new AddOp(out, cScaled, out));
            }
        };
    }
}
