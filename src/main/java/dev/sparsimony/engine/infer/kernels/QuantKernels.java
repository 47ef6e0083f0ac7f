package dev.sparsimony.engine.infer.kernels;

import dev.sparsimony.engine.infer.OpKernel;
import dev.sparsimony.engine.model.QuantOps;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The quantizer ops of {@link QuantOps}: each element through the op's own function (shared with the importers that
 * fold quantized weights), its scale and zero point laid out over the input once (and again after setWeight).
 */
public final class QuantKernels {
    private QuantKernels() {
    }

    /** Parameters of one step, re-expanded when a weight changes. */
    private abstract static class ParamStep implements OpKernel.Step {
        final OpKernel.Context ctx;
        float[][] p;
        private final OpKernel.Step body;

        ParamStep(OpKernel.Context ctx, Broadcasts.IndexedOp f) {
            this.ctx = ctx;
            this.p = params();
            this.body = Broadcasts.map(ctx.input(0), ctx.output(), f);
        }

        abstract float[][] params();

        float[] param(String name, float dflt) {
            return Broadcasts.expand(ctx.weight(name), ctx.input(0), dflt);
        }

        @Override
        public void run() {
            body.run();
        }

        @Override
        public void weightsChanged() {
            p = params();
        }
    }

    public static final class Quant implements OpKernel<QuantOps.Quant> {
        @Override
        public Class<QuantOps.Quant> opType() {
            return QuantOps.Quant.class;
        }

        @Override
        public boolean supportsInPlace() {
            return true;
        }

        @Override
        public Step prepare(QuantOps.Quant op, Context ctx) {
            ParamStep[] self = new ParamStep[1];
            self[0] = new ParamStep(ctx, (x, i) -> op.apply(x, self[0].p[0][i], self[0].p[1][i])) {
                @Override
                float[][] params() {
                    return new float[][] {param("scale", 1f), param("zeroPoint", 0f)};
                }
            };
            return self[0];
        }
    }

    public static final class BipolarQuant implements OpKernel<QuantOps.BipolarQuant> {
        @Override
        public Class<QuantOps.BipolarQuant> opType() {
            return QuantOps.BipolarQuant.class;
        }

        @Override
        public boolean supportsInPlace() {
            return true;
        }

        @Override
        public Step prepare(QuantOps.BipolarQuant op, Context ctx) {
            ParamStep[] self = new ParamStep[1];
            self[0] = new ParamStep(ctx, (x, i) -> QuantOps.BipolarQuant.apply(x, self[0].p[0][i])) {
                @Override
                float[][] params() {
                    return new float[][] {param("scale", 1f)};
                }
            };
            return self[0];
        }
    }

    public static final class Trunc implements OpKernel<QuantOps.Trunc> {
        @Override
        public Class<QuantOps.Trunc> opType() {
            return QuantOps.Trunc.class;
        }

        @Override
        public boolean supportsInPlace() {
            return true;
        }

        @Override
        public Step prepare(QuantOps.Trunc op, Context ctx) {
            ParamStep[] self = new ParamStep[1];
            self[0] = new ParamStep(ctx, (x, i) -> op.apply(x, self[0].p[0][i], self[0].p[1][i], self[0].p[2][i])) {
                @Override
                float[][] params() {
                    return new float[][] {param("scale", 1f), param("zeroPoint", 0f), param("outScale", 1f)};
                }
            };
            return self[0];
        }
    }

    public static final class Requantize implements OpKernel<QuantOps.Requantize> {
        @Override
        public Class<QuantOps.Requantize> opType() {
            return QuantOps.Requantize.class;
        }

        @Override
        public boolean supportsInPlace() {
            return true;
        }

        @Override
        public Step prepare(QuantOps.Requantize op, Context ctx) {
            INDArray in = ctx.input(0);
            ParamStep[] self = new ParamStep[1];
            self[0] = new ParamStep(ctx, (x, i) -> op.apply(x, self[0].p[0][i])) {
                @Override
                float[][] params() {
                    INDArray m = ctx.requireWeight("multiplier");
                    if (m.length() == 1) {
                        return new float[][] {param("multiplier", 1f)};
                    }
                    // one multiplier per channel of the axis: viewed as [C, 1, ..., 1] for broadcasting
                    int axis = dev.sparsimony.engine.model.Shapes.axis(op.axis(), in.rank(), "Requantize");
                    long[] ms = new long[in.rank() - axis];
                    java.util.Arrays.fill(ms, 1);
                    ms[0] = m.length();
                    return new float[][] {Broadcasts.expand(NdUtil.toFloats(m), ms, in.shape())};
                }
            };
            return self[0];
        }
    }
}
