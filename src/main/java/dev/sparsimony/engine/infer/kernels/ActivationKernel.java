package dev.sparsimony.engine.infer.kernels;

import dev.sparsimony.engine.infer.OpKernel;
import dev.sparsimony.engine.model.Ops;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.LeakyReLU;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Sigmoid;
import org.nd4j.linalg.api.ops.impl.transforms.strict.SoftSign;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Tanh;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Element-wise activations. The frequent ones (ReLU, sigmoid, tanh, leaky ReLU, softsign) run as ND4J native
 * ops; the parametrised or rarely used ones run as a Java loop so that their exact definition is the one in
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

    @Override
    public Step prepare(Ops.Activation op, Context ctx) {
        INDArray in = ctx.input(0);
        INDArray out = ctx.output();
        float a = op.alpha();
        float b = op.beta();
        return switch (op.activation()) {
            case LINEAR -> in == out ? () -> { } : () -> out.assign(in);
            // one op object per step, reused every pass: a fresh op per call cost ~5-10 us of set-up
            case RELU -> native1(new RectifiedLinear(in, out, 0.0));
            case LEAKY_RELU -> native1(new LeakyReLU(in, out, a));
            case SIGMOID -> native1(new Sigmoid(in, out));
            case TANH -> native1(new Tanh(in, out));
            case SOFTSIGN -> native1(new SoftSign(in, out));
            case ELU -> () -> NdUtil.map(in, out, x -> x > 0 ? x : (float) (a * Math.expm1(x)));
            case SELU -> () -> NdUtil.map(in, out,
                    x -> x > 0 ? SELU_SCALE * x : (float) (SELU_SCALE * SELU_ALPHA * Math.expm1(x)));
            // softplus = log(1 + e^x), computed stably for large |x|
            case SOFTPLUS -> () -> NdUtil.map(in, out,
                    x -> (float) (Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs((double) x)))));
            case HARD_SIGMOID -> () -> NdUtil.map(in, out, x -> Math.max(0f, Math.min(1f, a * x + b)));
            case CLIP -> () -> NdUtil.map(in, out, x -> Float.isNaN(x) ? x : Math.min(b, Math.max(a, x)));
        };
    }
}
