package dev.sparsimony.engine.infer.kernels;

import dev.sparsimony.engine.infer.OpKernel;
import dev.sparsimony.engine.model.Ops;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Inference batch norm folded to y = x * scale + shift per channel, with scale = gamma / sqrt(var + eps) and
 * shift = beta - mean * scale (recomputed when a parameter is overwritten). One Java pass over a heap copy: the
 * channel of element i is (i / inner) % channels, inner being the size of the axes after the channel axis, so the
 * loop runs over runs of {@code inner} elements that share a channel (a row of channels when inner is 1). After a
 * convolution the conv kernel folds it instead ({@link ConvChain}).
 */
public final class BatchNormKernel implements OpKernel<Ops.BatchNorm> {
    @Override
    public Class<Ops.BatchNorm> opType() {
        return Ops.BatchNorm.class;
    }

    @Override
    public boolean supportsInPlace() {
        return true;
    }

    @Override
    public Step prepare(Ops.BatchNorm op, Context ctx) {
        INDArray in = ctx.input(0);
        INDArray out = ctx.output();
        int axis = op.channelAxis(in.rank());
        int c = op.channels();
        long[] shape = in.shape();
        int inner = 1;
        for (int a = axis + 1; a < shape.length; a++) {
            inner *= (int) shape[a];
        }
        int len = Math.toIntExact(in.length());
        float[] scale = new float[c];
        float[] shift = new float[c];
        float[] buf = new float[len];
        INDArray gamma = ctx.requireWeight("gamma");
        INDArray beta = ctx.requireWeight("beta");
        INDArray mean = ctx.requireWeight("mean");
        INDArray var = ctx.requireWeight("variance");
        float eps = op.epsilon();
        int runs = inner;
        return new Step() {
            {
                weightsChanged();
            }

            @Override
            public void run() {
                if (len == 0) {
                    return;
                }
                NdUtil.copyOut(in, buf, 0);
                if (runs == 1) {
                    for (int r = 0; r < len; r += c) {
                        for (int k = 0; k < c; k++) {
                            buf[r + k] = buf[r + k] * scale[k] + shift[k];
                        }
                    }
                } else {
                    for (int r = 0, k = 0; r < len; r += runs, k = k + 1 == c ? 0 : k + 1) {
                        float sc = scale[k];
                        float sh = shift[k];
                        for (int j = r; j < r + runs; j++) {
                            buf[j] = buf[j] * sc + sh;
                        }
                    }
                }
                NdUtil.copyIn(buf, 0, len, out);
            }

            @Override
            public void weightsChanged() {
                float[] g = NdUtil.toFloats(gamma);
                float[] b = NdUtil.toFloats(beta);
                float[] m = NdUtil.toFloats(mean);
                float[] v = NdUtil.toFloats(var);
                for (int i = 0; i < c; i++) {
                    scale[i] = (float) (g[i] / Math.sqrt((double) v[i] + eps));
                    shift[i] = b[i] - m[i] * scale[i];
                }
            }
        };
    }
}
