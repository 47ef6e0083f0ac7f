package dev.sparsimony.engine.infer.kernels;

import dev.sparsimony.engine.infer.OpKernel;
import dev.sparsimony.engine.model.Layout;
import dev.sparsimony.engine.model.Ops;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Local response normalisation across channels, as the ONNX LRN operator defines it
 * (https://onnx.ai/onnx/operators/onnx__LRN.html; Krizhevsky et al. 2012, sec. 3.3):
 * y = x / (bias + alpha / size * sum of x^2 over channels c - floor((size-1)/2) .. c + ceil((size-1)/2))^beta.
 * Plain Java loops: the op only appears in a few early CNNs (AlexNet, GoogLeNet, ZFNet).
 */
public final class LrnKernel implements OpKernel<Ops.Lrn> {
    @Override
    public Class<Ops.Lrn> opType() {
        return Ops.Lrn.class;
    }

    @Override
    public Step prepare(Ops.Lrn op, Context ctx) {
        INDArray in = ctx.input(0);
        INDArray out = ctx.output();
        long[] shape = in.shape();
        int rank = shape.length;
        int ca = op.layout() == Layout.CHANNELS_FIRST || rank == 2 ? 1 : rank - 1;
        int c = (int) shape[ca];
        long outer = 1;
        for (int i = 0; i < ca; i++) {
            outer *= shape[i];
        }
        long inner = 1;
        for (int i = ca + 1; i < rank; i++) {
            inner *= shape[i];
        }
        int total = Math.toIntExact(in.length());
        int before = (op.size() - 1) / 2;
        int after = op.size() - 1 - before; // ceil((size-1)/2)
        double k = op.alpha() / op.size();
        float[] x = new float[total];
        float[] y = new float[total];
        int ch = c;
        int in1 = (int) inner;
        int out1 = (int) outer;
        return () -> {
            if (total == 0) {
                return;
            }
            NdUtil.copyOut(in, x, 0);
            for (int o = 0; o < out1; o++) {
                int base = o * ch * in1;
                for (int j = 0; j < in1; j++) {
                    for (int cc = 0; cc < ch; cc++) {
                        int lo = Math.max(0, cc - before);
                        int hi = Math.min(ch - 1, cc + after);
                        double sq = 0;
                        for (int i = lo; i <= hi; i++) {
                            double v = x[base + i * in1 + j];
                            sq += v * v;
                        }
                        int idx = base + cc * in1 + j;
                        y[idx] = (float) (x[idx] / Math.pow(op.bias() + k * sq, op.beta()));
                    }
                }
            }
            NdUtil.copyIn(y, 0, total, out);
        };
    }
}
