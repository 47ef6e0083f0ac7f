package dev.sparsimony.engine.infer.kernels;

import dev.sparsimony.engine.infer.OpKernel;
import dev.sparsimony.engine.model.Ops;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastAddOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Inference batch norm folded to y = x * scale + shift per channel, with scale = gamma / sqrt(var + eps) and
 * shift = beta - mean * scale (recomputed when a parameter is overwritten).
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
        INDArray scale = NdUtil.zeros(c);
        INDArray shift = NdUtil.zeros(c);
        INDArray gamma = ctx.requireWeight("gamma");
        INDArray beta = ctx.requireWeight("beta");
        INDArray mean = ctx.requireWeight("mean");
        INDArray var = ctx.requireWeight("variance");
        float eps = op.epsilon();
        return new Step() {
            {
                weightsChanged();
            }

            @Override
            public void run() {
                if (in.length() == 0) {
                    return;
                }
                Nd4j.exec(new BroadcastMulOp(in, scale, out, axis));
                Nd4j.exec(new BroadcastAddOp(out, shift, out, axis));
            }

            @Override
            public void weightsChanged() {
                float[] g = NdUtil.toFloats(gamma);
                float[] b = NdUtil.toFloats(beta);
                float[] m = NdUtil.toFloats(mean);
                float[] v = NdUtil.toFloats(var);
                float[] sc = new float[c];
                float[] sh = new float[c];
                for (int i = 0; i < c; i++) {
                    sc[i] = (float) (g[i] / Math.sqrt((double) v[i] + eps));
                    sh[i] = b[i] - m[i] * sc[i];
                }
                NdUtil.copyIn(sc, 0, c, scale);
                NdUtil.copyIn(sh, 0, c, shift);
            }
        };
    }
}
