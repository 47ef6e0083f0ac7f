package dev.sparsimony.engine.infer.kernels;

import dev.sparsimony.engine.infer.OpKernel;
import dev.sparsimony.engine.model.Ops;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.DivOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.SubOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Add/Sub/Mul/Div with NumPy broadcasting (ND4J's broadcastable pairwise ops). Both operands are first viewed
 * with the output's rank (leading 1s) so that only same-rank broadcasting is asked of ND4J.
 */
public final class BinaryKernel implements OpKernel<Ops.Binary> {
    @Override
    public Class<Ops.Binary> opType() {
        return Ops.Binary.class;
    }

    @Override
    public boolean supportsInPlace() {
        return true;
    }

    @Override
    public Step prepare(Ops.Binary op, Context ctx) {
        INDArray out = ctx.output();
        INDArray a = padRank(ctx.input(0), out.rank());
        INDArray b = padRank(ctx.input(1), out.rank());
        if (out.length() == 0) {
            return () -> { };
        }
        return switch (op.op()) {
            case ADD -> () -> Nd4j.exec(new AddOp(a, b, out));
            case SUB -> () -> Nd4j.exec(new SubOp(a, b, out));
            case MUL -> () -> Nd4j.exec(new MulOp(a, b, out));
            case DIV -> () -> Nd4j.exec(new DivOp(a, b, out));
        };
    }

    /** A view with leading unit axes up to {@code rank} (NumPy right-aligned broadcasting). */
    static INDArray padRank(INDArray x, int rank) {
        if (x.rank() == rank) {
            return x;
        }
        long[] s = new long[rank];
        long[] xs = x.shape();
        int lead = rank - xs.length;
        for (int i = 0; i < rank; i++) {
            s[i] = i < lead ? 1 : xs[i - lead];
        }
        return NdUtil.view(x, s);
    }
}
