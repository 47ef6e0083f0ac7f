package dev.sparsimony.engine.train;

import dev.sparsimony.engine.model.ActivationKind;
import dev.sparsimony.engine.model.Ops;
import java.util.EnumSet;
import java.util.Set;

/** Element-wise activation with its derivative. ReLU's derivative at 0 is taken as 0 (as TensorFlow does). */
final class ActivationLayer extends Layer {
    static final Set<ActivationKind> SUPPORTED = EnumSet.of(ActivationKind.LINEAR, ActivationKind.RELU,
            ActivationKind.LEAKY_RELU, ActivationKind.TANH, ActivationKind.SIGMOID, ActivationKind.CLIP);

    private final ActivationKind kind;
    private final float alpha;
    private final float beta;

    ActivationLayer(String node, Ops.Activation op, int size) {
        super(node, size, size);
        this.kind = op.activation();
        this.alpha = op.alpha();
        this.beta = op.beta();
    }

    @Override
    void forward(float[] x, float[] y, int n) {
        int len = n * inSize;
        switch (kind) {
            case RELU -> {
                for (int i = 0; i < len; i++) {
                    y[i] = x[i] > 0f ? x[i] : 0f;
                }
            }
            case LEAKY_RELU -> {
                for (int i = 0; i < len; i++) {
                    y[i] = x[i] >= 0f ? x[i] : alpha * x[i];
                }
            }
            case TANH -> {
                for (int i = 0; i < len; i++) {
                    y[i] = (float) StrictMath.tanh(x[i]);
                }
            }
            case SIGMOID -> {
                for (int i = 0; i < len; i++) {
                    y[i] = (float) (1.0 / (1.0 + StrictMath.exp(-x[i])));
                }
            }
            // ReLU6 = Clip(0, 6); the IR's definition min(beta, max(alpha, x))
            case CLIP -> {
                for (int i = 0; i < len; i++) {
                    y[i] = Math.min(beta, Math.max(alpha, x[i]));
                }
            }
            default -> System.arraycopy(x, 0, y, 0, len);
        }
    }

    @Override
    void backward(float[] x, float[] y, float[] dy, float[] dx, int n) {
        if (dx == null) {
            return;
        }
        int len = n * inSize;
        switch (kind) {
            case RELU -> {
                for (int i = 0; i < len; i++) {
                    dx[i] = x[i] > 0f ? dy[i] : 0f;
                }
            }
            case LEAKY_RELU -> {
                for (int i = 0; i < len; i++) {
                    dx[i] = x[i] >= 0f ? dy[i] : alpha * dy[i];
                }
            }
            case TANH -> {
                for (int i = 0; i < len; i++) {
                    dx[i] = dy[i] * (1f - y[i] * y[i]);
                }
            }
            case SIGMOID -> {
                for (int i = 0; i < len; i++) {
                    dx[i] = dy[i] * y[i] * (1f - y[i]);
                }
            }
            // flat outside (alpha, beta), as TensorFlow's relu6 gradient
            case CLIP -> {
                for (int i = 0; i < len; i++) {
                    dx[i] = x[i] > alpha && x[i] < beta ? dy[i] : 0f;
                }
            }
            default -> System.arraycopy(dy, 0, dx, 0, len);
        }
    }
}
