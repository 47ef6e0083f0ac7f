package dev.sparsimony.engine.infer.kernels;

import dev.sparsimony.engine.infer.OpKernel;
import dev.sparsimony.engine.model.Ops;

/** Reshape: row-major data unchanged, so the output is a reshaped view of the input. */
public final class ReshapeKernel implements OpKernel<Ops.Reshape> {
    @Override
    public Class<Ops.Reshape> opType() {
        return Ops.Reshape.class;
    }

    @Override
    public boolean isView() {
        return true;
    }

    @Override
    public Step prepare(Ops.Reshape op, Context ctx) {
        return ViewStep.of(ctx);
    }
}
