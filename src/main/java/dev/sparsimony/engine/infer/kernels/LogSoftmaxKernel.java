package dev.sparsimony.engine.infer.kernels;

import dev.sparsimony.engine.infer.OpKernel;
import dev.sparsimony.engine.model.Ops;
import dev.sparsimony.engine.model.Shapes;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * log(softmax(x)) = x - max - log(sum exp(x - max)) along the axis, the sum in double precision (a log of a sum of
 * float exps loses digits where softmax values are tiny, which is what LogSoftmax is used for).
 */
public final class LogSoftmaxKernel implements OpKernel<Ops.LogSoftmax> {
    @Override
    public Class<Ops.LogSoftmax> opType() {
        return Ops.LogSoftmax.class;
    }

    @Override
    public boolean supportsInPlace() {
        return true;
    }

    @Override
    public Step prepare(Ops.LogSoftmax op, Context ctx) {
        INDArray in = ctx.input(0);
        INDArray out = ctx.output();
        int[] g = SoftmaxKernel.rows(in, Shapes.axis(op.axis(), in.rank(), "LogSoftmax"), op.coerce2d());
        int n = Math.toIntExact(in.length());
        int o = g[0];
        int a = g[1];
        int k = g[2];
        float[] v = new float[n];
        return () -> {
            if (n == 0) {
                return;
            }
            NdUtil.copyOut(in, v, 0);
            for (int p = 0; p < o; p++) {
                for (int q = 0; q < k; q++) {
                    int b = p * a * k + q;
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < a; j++) {
                        max = Math.max(max, v[b + j * k]);
                    }
                    double shift = max == Double.NEGATIVE_INFINITY ? 0 : max;
                    double sum = 0;
                    for (int j = 0; j < a; j++) {
                        sum += Math.exp(v[b + j * k] - shift);
                    }
                    double log = shift + Math.log(sum);
                    for (int j = 0; j < a; j++) {
                        v[b + j * k] = (float) (v[b + j * k] - log);
                    }
                }
            }
            NdUtil.copyIn(v, 0, n, out);
        };
    }
}
