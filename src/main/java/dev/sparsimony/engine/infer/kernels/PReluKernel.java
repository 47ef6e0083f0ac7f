package dev.sparsimony.engine.infer.kernels;

import dev.sparsimony.engine.infer.OpKernel;
import dev.sparsimony.engine.model.Ops;

/** PReLU: x for x &gt;= 0, slope * x below, the slope laid out over the input once (and after setWeight). */
public final class PReluKernel implements OpKernel<Ops.PRelu> {
    @Override
    public Class<Ops.PRelu> opType() {
        return Ops.PRelu.class;
    }

    @Override
    public boolean supportsInPlace() {
        return true;
    }

    @Override
    public Step prepare(Ops.PRelu op, Context ctx) {
        float[][] slope = {Broadcasts.expand(ctx.requireWeight("slope"), ctx.input(0), 0f)};
        Step run = Broadcasts.map(ctx.input(0), ctx.output(), (x, i) -> x >= 0 ? x : slope[0][i] * x);
        return new Step() {
            @Override
            public void run() {
                run.run();
            }

            @Override
            public void weightsChanged() {
                slope[0] = Broadcasts.expand(ctx.requireWeight("slope"), ctx.input(0), 0f);
            }
        };
    }
}
