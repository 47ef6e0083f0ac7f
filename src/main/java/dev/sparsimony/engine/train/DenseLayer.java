package dev.sparsimony.engine.train;

import dev.sparsimony.engine.model.Op;
import dev.sparsimony.engine.model.Ops;

/** y = x · W + b on the last axis; inputs of rank &gt; 1 per sample are treated as rows of nIn values. */
final class DenseLayer extends KernelLayer {
    private final int nIn;
    private final int nOut;
    private final int rowsPerSample;

    DenseLayer(String node, Ops.Dense op, int inSize, float[] mask) {
        super(node, inSize, inSize / op.nIn() * op.nOut(), op.kernel(), op.bias(), mask);
        nIn = op.nIn();
        nOut = op.nOut();
        rowsPerSample = inSize / nIn;
    }

    @Override
    void forward(float[] x, float[] y, int n) {
        float[] w = kernel.w;
        int rows = n * rowsPerSample;
        for (int r = 0; r < rows; r++) {
            int yo = r * nOut;
            int xo = r * nIn;
            if (bias != null) {
                System.arraycopy(bias.w, 0, y, yo, nOut);
            } else {
                java.util.Arrays.fill(y, yo, yo + nOut, 0f);
            }
            for (int i = 0; i < nIn; i++) {
                float xv = x[xo + i];
                if (xv == 0f) {
                    continue; // common after ReLU
                }
                int wo = i * nOut;
                for (int o = 0; o < nOut; o++) {
                    y[yo + o] += xv * w[wo + o];
                }
            }
        }
    }

    @Override
    void backward(float[] x, float[] y, float[] dy, float[] dx, int n) {
        float[] w = kernel.w;
        float[] gw = kernel.g;
        int rows = n * rowsPerSample;
        for (int r = 0; r < rows; r++) {
            int yo = r * nOut;
            int xo = r * nIn;
            if (bias != null) {
                float[] gb = bias.g;
                for (int o = 0; o < nOut; o++) {
                    gb[o] += dy[yo + o];
                }
            }
            for (int i = 0; i < nIn; i++) {
                float xv = x[xo + i];
                int wo = i * nOut;
                if (xv != 0f) {
                    for (int o = 0; o < nOut; o++) {
                        gw[wo + o] += xv * dy[yo + o];
                    }
                }
                if (dx != null) {
                    float s = 0f;
                    for (int o = 0; o < nOut; o++) {
                        s += w[wo + o] * dy[yo + o];
                    }
                    dx[xo + i] = s;
                }
            }
        }
    }

    @Override
    Op toOp(Op original) {
        Ops.Dense d = (Ops.Dense) original;
        return new Ops.Dense(trainedKernel(d.kernel()), trainedBias(d.bias()));
    }
}
