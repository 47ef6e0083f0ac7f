package dev.sparsimony.engine.train;

import dev.sparsimony.engine.model.Op;
import dev.sparsimony.engine.model.Ops;
import dev.sparsimony.engine.model.Tensor;
import java.util.List;

/**
 * Batch normalisation over the channel axis. Frozen (the default): y = scale[c] * x + shift[c] from the stored
 * statistics and affine parameters, gradients passed through (dx = scale * dy); freezing BN while fine-tuning a
 * pruned network keeps the statistics that hls4ml folds into the preceding layer valid.
 *
 * <p>Trainable (Ioffe and Szegedy, ICML 2015, Algorithm 1 and its gradients): while training, each batch is
 * normalised by its own per-channel mean and (biased) variance over samples and positions, gamma and beta learn,
 * and the moving mean and variance follow the batch's with momentum 0.99 (Keras' default), the variance with
 * Bessel's correction (as Keras' fused batch norm); inference uses the moving statistics. Sums in double.
 */
final class BatchNormLayer extends Layer {
    /** Keras BatchNormalization(momentum=0.99). */
    static final double MOMENTUM = 0.99;

    private final int[] channelOf;
    private final float[] scale;
    private final float[] shift;
    private final int channels;
    private final float eps;
    private final Param gamma;
    private final Param beta;
    private final float[] movingMean;
    private final float[] movingVar;
    private boolean training;
    private float[] xhat = new float[0];
    private final double[] invStd;

    BatchNormLayer(String node, Ops.BatchNorm op, int[] inShape, int size, boolean trainable) {
        super(node, size, size);
        int c = op.channels();
        channels = c;
        eps = op.epsilon();
        scale = new float[c];
        shift = new float[c];
        invStd = new double[c];
        gamma = trainable ? new Param(node, "gamma", op.gamma().data().clone(), false, null) : null;
        beta = trainable ? new Param(node, "beta", op.beta().data().clone(), false, null) : null;
        movingMean = op.mean().data().clone();
        movingVar = op.variance().data().clone();
        refresh(op.gamma().data(), op.beta().data());
        // channel of every element of one sample, from the row-major strides of the shape (batch axis excluded)
        int axis = op.channelAxis(inShape.length);
        int inner = 1;
        for (int a = axis + 1; a < inShape.length; a++) {
            inner *= inShape[a];
        }
        channelOf = new int[size];
        for (int e = 0; e < size; e++) {
            channelOf[e] = (e / inner) % c;
        }
    }

    /** scale/shift of the inference form from gamma, beta and the moving statistics. */
    private void refresh(float[] g, float[] b) {
        for (int i = 0; i < channels; i++) {
            scale[i] = (float) (g[i] / Math.sqrt(movingVar[i] + (double) eps));
            shift[i] = b[i] - scale[i] * movingMean[i];
        }
    }

    @Override
    void training(boolean on) {
        training = on && gamma != null;
    }

    @Override
    List<Param> params() {
        return gamma == null ? List.of() : List.of(gamma, beta);
    }

    @Override
    void forward(float[] x, float[] y, int n) {
        if (training) {
            forwardTraining(x, y, n);
            return;
        }
        if (gamma != null) {
            refresh(gamma.w, beta.w);
        }
        for (int s = 0; s < n; s++) {
            int o = s * inSize;
            for (int e = 0; e < inSize; e++) {
                int c = channelOf[e];
                y[o + e] = scale[c] * x[o + e] + shift[c];
            }
        }
    }

    private void forwardTraining(float[] x, float[] y, int n) {
        double[] sum = new double[channels];
        double[] sq = new double[channels];
        long count = (long) n * inSize / channels;
        for (int s = 0; s < n; s++) {
            int o = s * inSize;
            for (int e = 0; e < inSize; e++) {
                sum[channelOf[e]] += x[o + e];
            }
        }
        double[] mean = new double[channels];
        for (int c = 0; c < channels; c++) {
            mean[c] = sum[c] / count;
        }
        for (int s = 0; s < n; s++) {
            int o = s * inSize;
            for (int e = 0; e < inSize; e++) {
                double d = x[o + e] - mean[channelOf[e]];
                sq[channelOf[e]] += d * d;
            }
        }
        for (int c = 0; c < channels; c++) {
            double var = sq[c] / count;
            invStd[c] = 1.0 / Math.sqrt(var + eps);
            double unbiased = count > 1 ? var * count / (count - 1) : var;
            movingMean[c] = (float) (MOMENTUM * movingMean[c] + (1 - MOMENTUM) * mean[c]);
            movingVar[c] = (float) (MOMENTUM * movingVar[c] + (1 - MOMENTUM) * unbiased);
        }
        if (xhat.length < n * inSize) {
            xhat = new float[n * inSize];
        }
        for (int s = 0; s < n; s++) {
            int o = s * inSize;
            for (int e = 0; e < inSize; e++) {
                int c = channelOf[e];
                float h = (float) ((x[o + e] - mean[c]) * invStd[c]);
                xhat[o + e] = h;
                y[o + e] = gamma.w[c] * h + beta.w[c];
            }
        }
    }

    @Override
    void backward(float[] x, float[] y, float[] dy, float[] dx, int n) {
        if (!training) {
            if (dx != null) {
                for (int s = 0; s < n; s++) {
                    int o = s * inSize;
                    for (int e = 0; e < inSize; e++) {
                        dx[o + e] = scale[channelOf[e]] * dy[o + e];
                    }
                }
            }
            return;
        }
        double[] sumDy = new double[channels];
        double[] sumDyH = new double[channels];
        for (int s = 0; s < n; s++) {
            int o = s * inSize;
            for (int e = 0; e < inSize; e++) {
                int c = channelOf[e];
                sumDy[c] += dy[o + e];
                sumDyH[c] += (double) dy[o + e] * xhat[o + e];
            }
        }
        for (int c = 0; c < channels; c++) {
            beta.g[c] += (float) sumDy[c];
            gamma.g[c] += (float) sumDyH[c];
        }
        if (dx == null) {
            return;
        }
        long count = (long) n * inSize / channels;
        // dx = gamma / (N sigma) * (N dy - Σ dy - x̂ Σ dy x̂)
        for (int s = 0; s < n; s++) {
            int o = s * inSize;
            for (int e = 0; e < inSize; e++) {
                int c = channelOf[e];
                dx[o + e] = (float) (gamma.w[c] * invStd[c] / count
                        * (count * (double) dy[o + e] - sumDy[c] - xhat[o + e] * sumDyH[c]));
            }
        }
    }

    @Override
    Op toOp(Op original) {
        if (gamma == null) {
            return original;
        }
        Ops.BatchNorm b = (Ops.BatchNorm) original;
        return new Ops.BatchNorm(Tensor.of(gamma.w.clone(), b.gamma().shape()), Tensor.of(beta.w.clone(),
                b.beta().shape()), Tensor.of(movingMean.clone(), b.mean().shape()), Tensor.of(movingVar.clone(),
                b.variance().shape()), b.epsilon(), b.layout());
    }
}
