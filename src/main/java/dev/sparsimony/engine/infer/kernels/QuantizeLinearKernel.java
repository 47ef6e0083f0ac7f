package dev.sparsimony.engine.infer.kernels;

import dev.sparsimony.engine.infer.OpKernel;
import dev.sparsimony.engine.model.Ops;
import dev.sparsimony.engine.model.Shapes;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarMax;
import org.nd4j.linalg.api.ops.impl.scalar.ScalarMin;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.DivOp;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Rint;
import org.nd4j.linalg.factory.Nd4j;

/**
 * ONNX QuantizeLinear: y = clamp(rint(x / scale) + zero_point, type range); rint rounds half to even
 * (ONNX spec: "rounding to nearest ties to even"). Scale and zero point are per tensor (one value) or per
 * axis (1-D of the axis's length); values are integers held as floats.
 */
public final class QuantizeLinearKernel implements OpKernel<Ops.QuantizeLinear> {
    @Override
    public Class<Ops.QuantizeLinear> opType() {
        return Ops.QuantizeLinear.class;
    }

    @Override
    public boolean supportsInPlace() {
        return true;
    }

    @Override
    public Step prepare(Ops.QuantizeLinear op, Context ctx) {
        INDArray x = ctx.input(0);
        INDArray out = ctx.output();
        INDArray scale = alongAxis(ctx.input(1), x, op.axis());
        INDArray zp = ctx.inputCount() > 2 ? alongAxis(ctx.input(2), x, op.axis()) : null;
        double lo = op.type().min;
        double hi = op.type().max;
        if (x.length() == 0) {
            return () -> { };
        }
        return () -> {
            Nd4j.exec(new DivOp(x, scale, out));
            Nd4j.exec(new Rint(out, out));
            if (zp != null) {
                Nd4j.exec(new AddOp(out, zp, out));
            }
            Nd4j.exec(new ScalarMax(out, null, out, lo));
            Nd4j.exec(new ScalarMin(out, null, out, hi));
        };
    }

    /**
     * A per-tensor parameter as a [1,...,1] view, or a per-axis 1-D parameter as [1,..,C,..,1] with C at
     * {@code axis}, so that ordinary same-rank broadcasting applies it.
     */
    static INDArray alongAxis(INDArray p, INDArray x, int axis) {
        int r = x.rank();
        long[] s = new long[r];
        java.util.Arrays.fill(s, 1);
        if (p.length() > 1) {
            s[Shapes.axis(axis, r, "quantization")] = p.length();
        }
        return r == 0 ? p : NdUtil.view(p, s);
    }
}
