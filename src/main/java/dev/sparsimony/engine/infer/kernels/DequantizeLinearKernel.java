package dev.sparsimony.engine.infer.kernels;

import dev.sparsimony.engine.infer.OpKernel;
import dev.sparsimony.engine.model.Ops;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.SubOp;
import org.nd4j.linalg.factory.Nd4j;

/** ONNX DequantizeLinear: y = (x - zero_point) * scale, per tensor or per axis. */
public final class DequantizeLinearKernel implements OpKernel<Ops.DequantizeLinear> {
    @Override
    public Class<Ops.DequantizeLinear> opType() {
        return Ops.DequantizeLinear.class;
    }

    @Override
    public boolean supportsInPlace() {
        return true;
    }

    @Override
    public Step prepare(Ops.DequantizeLinear op, Context ctx) {
        INDArray x = ctx.input(0);
        INDArray out = ctx.output();
        INDArray scale = QuantizeLinearKernel.alongAxis(ctx.input(1), x, op.axis());
        INDArray zp = ctx.inputCount() > 2 ? QuantizeLinearKernel.alongAxis(ctx.input(2), x, op.axis()) : null;
        if (x.length() == 0) {
            return () -> { };
        }
        return () -> {
            if (zp != null) {
                Nd4j.exec(new SubOp(x, zp, out));
                Nd4j.exec(new MulOp(out, scale, out));
            } else {
                Nd4j.exec(new MulOp(x, scale, out));
            }
        };
    }
}
