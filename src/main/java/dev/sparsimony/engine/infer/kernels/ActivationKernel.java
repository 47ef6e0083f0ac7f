package dev.sparsimony.engine.infer.kernels;

import dev.sparsimony.engine.infer.OpKernel;
import dev.sparsimony.engine.model.Ops;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Sigmoid;
import org.nd4j.linalg.api.ops.impl.transforms.strict.SoftSign;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Tanh;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Element-wise activations. Sigmoid, tanh and softsign run as ND4J native ops; the others run as Java loops on
 * heap chunks: ReLU-like ones because that beats a native call on small tiles and fuses with an output transform,
 * the parametrised ones so that their exact definition is the one in
 * {@link dev.sparsimony.engine.model.ActivationKind} (not ND4J's fixed constants).
 */
public final class ActivationKernel implements OpKernel<Ops.Activation> {
    /** SELU constants, Klambauer et al. 2017, "Self-Normalizing Neural Networks", eq. 14 (also Keras/ONNX). */
    static final float SELU_ALPHA = 1.6732632423543772f;
    static final float SELU_SCALE = 1.0507009873554805f;

    @Override
    public Class<Ops.Activation> opType() {
        return Ops.Activation.class;
    }

    @Override
    public boolean supportsInPlace() {
        return true;
    }

    private static Step native1(org.nd4j.linalg.api.ops.Op op) {
        return () -> Nd4j.exec(op);
    }

    /**
     * A Java element-wise step: heap chunks of the buffer (see {@link NdUtil#streamInPlace}). Faster than a native
     * op on the cache-sized tiles the compression engine evaluates (no per-call op set-up), and it fuses with an
     * output transform of the node before it.
     */
    private static Step java(INDArray in, INDArray out, NdUtil.RunOp f) {
        return new OpKernel.ElementwiseStep() {
            @Override
            public void apply(float[] buf, int from, int to) {
                f.apply(buf, from, to);
            }

            @Override
            public void run() {
                if (in != out) {
                    out.assign(in);
                }
                NdUtil.streamInPlace(out, f);
            }
        };
    }

    @Override
    public Step prepare(Ops.Activation op, Context ctx) {
        INDArray in = ctx.input(0);
        INDArray out = ctx.output();
        float a = op.alpha();
        float b = op.beta();
        return switch (op.activation()) {
            case LINEAR -> new OpKernel.ElementwiseStep() {
                @Override
                public void apply(float[] buf, int from, int to) {
                }

                @Override
                public void run() {
                    if (in != out) {
                        out.assign(in);
                    }
                }
            };
            // max(x, 0): NaN stays NaN, as numpy.maximum and ONNX Relu
            case RELU -> java(in, out, (v, from, to) -> {
                for (int i = from; i < to; i++) {
                    v[i] = Math.max(v[i], 0f);
                }
            });
            // x >= 0 ? x : a*x written without a branch, so that it vectorises
            case LEAKY_RELU -> java(in, out, (v, from, to) -> {
                for (int i = from; i < to; i++) {
                    v[i] = Math.max(v[i], 0f) + a * Math.min(v[i], 0f);
                }
            });
            // one op object per step, reused every pass: a fresh op per call cost ~5-10 us of set-up
            case SIGMOID -> native1(new Sigmoid(in, out));
            case TANH -> native1(new Tanh(in, out));
            case SOFTSIGN -> native1(new SoftSign(in, out));
            case ELU -> java(in, out, map(x -> x > 0 ? x : (float) (a * Math.expm1(x))));
            case SELU -> java(in, out,
                    map(x -> x > 0 ? SELU_SCALE * x : (float) (SELU_SCALE * SELU_ALPHA * Math.expm1(x))));
            // softplus = log(1 + e^x), computed stably for large |x|
            case SOFTPLUS -> java(in, out,
                    map(x -> (float) (Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs((double) x))))));
            case HARD_SIGMOID -> java(in, out, (v, from, to) -> {
                for (int i = from; i < to; i++) {
                    v[i] = Math.max(0f, Math.min(1f, a * v[i] + b));
                }
            });
            // NaN stays NaN (Math.max/min propagate it)
            case CLIP -> java(in, out, (v, from, to) -> {
                for (int i = from; i < to; i++) {
                    v[i] = Math.min(b, Math.max(a, v[i]));
                }
            });
        };
    }

    private static NdUtil.RunOp map(NdUtil.FloatOp f) {
        return (v, from, to) -> {
            for (int i = from; i < to; i++) {
                v[i] = f.apply(v[i]);
            }
        };
    }
}
