package dev.sparsimony.engine.infer.kernels;

import dev.sparsimony.engine.infer.OpKernel;
import dev.sparsimony.engine.model.Ops;

/** Flatten: row-major data unchanged, so the output is a reshaped view of the input. */
public final class FlattenKernel implements OpKernel<Ops.Flatten> {
    @Override
    public Class<Ops.Flatten> opType() {
        return Ops.Flatten.class;
    }

    @Override
    public boolean isView() {
        return true;
    }

    @Override
    public Step prepare(Ops.Flatten op, Context ctx) {
        return ViewStep.of(ctx);
    }
}
