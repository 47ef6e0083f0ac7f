package dev.sparsimony.engine.infer.kernels;

import dev.sparsimony.engine.infer.OpKernel;
import dev.sparsimony.engine.model.Ops;

/** x where x &gt; theta, else 0 (NaN gives 0, as numpy.where(x &gt; theta, x, 0) in the ONNX reference). */
public final class ThresholdedReluKernel implements OpKernel<Ops.ThresholdedRelu> {
    @Override
    public Class<Ops.ThresholdedRelu> opType() {
        return Ops.ThresholdedRelu.class;
    }

    @Override
    public boolean supportsInPlace() {
        return true;
    }

    @Override
    public Step prepare(Ops.ThresholdedRelu op, Context ctx) {
        float t = op.theta();
        return Broadcasts.map(ctx.input(0), ctx.output(), (x, i) -> x > t ? x : 0f);
    }
}
