package dev.sparsimony.engine.infer.kernels;

import dev.sparsimony.engine.infer.OpKernel;
import dev.sparsimony.engine.model.Ops;

/** Identity: the output is a view of the input (no copy). */
public final class IdentityKernel implements OpKernel<Ops.Identity> {
    @Override
    public Class<Ops.Identity> opType() {
        return Ops.Identity.class;
    }

    @Override
    public boolean isView() {
        return true;
    }

    @Override
    public Step prepare(Ops.Identity op, Context ctx) {
        return ViewStep.of(ctx);
    }
}
