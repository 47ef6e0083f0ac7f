package dev.sparsimony.engine.infer.kernels;

import dev.sparsimony.engine.infer.OpKernel;
import dev.sparsimony.engine.model.Ops;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Pad/crop of every axis: per axis a map from output index to input index (or -1 for the constant), made once;
 * the run walks the output with an odometer. Modes as ONNX Pad defines them (numpy.pad for reflect, edge, wrap).
 */
public final class PadKernel implements OpKernel<Ops.Pad> {
    @Override
    public Class<Ops.Pad> opType() {
        return Ops.Pad.class;
    }

    @Override
    public Step prepare(Ops.Pad op, Context ctx) {
        INDArray in = ctx.input(0);
        INDArray out = ctx.output();
        long[] is = in.shape();
        long[] os = out.shape();
        int r = is.length;
        int[][] map = new int[r][];
        long[] stride = new long[r];
        long acc = 1;
        for (int a = r - 1; a >= 0; a--) {
            stride[a] = acc;
            acc *= is[a];
            map[a] = axisMap((int) is[a], (int) os[a], op.padsBegin()[a], op.mode());
        }
        int n = Math.toIntExact(out.length());
        float[] x = new float[Math.toIntExact(in.length())];
        float[] y = new float[n];
        float value = op.value();
        return () -> {
            if (n == 0) {
                return;
            }
            NdUtil.copyOut(in, x, 0);
            int[] idx = new int[r];
            for (int k = 0; k < n; k++) {
                long src = 0;
                for (int a = 0; a < r && src >= 0; a++) {
                    int m = map[a][idx[a]];
                    src = m < 0 ? -1 : src + m * stride[a];
                }
                y[k] = src < 0 ? value : x[(int) src];
                for (int a = r - 1; a >= 0; a--) {
                    if (++idx[a] < os[a]) {
                        break;
                    }
                    idx[a] = 0;
                }
            }
            NdUtil.copyIn(y, 0, n, out);
        };
    }

    /** Input index for each output index along one axis of length {@code len} padded by {@code begin} in front. */
    static int[] axisMap(int len, int outLen, int begin, Ops.PadMode mode) {
        int[] m = new int[outLen];
        for (int o = 0; o < outLen; o++) {
            int i = o - begin;
            if (i >= 0 && i < len) {
                m[o] = i;
                continue;
            }
            m[o] = switch (mode) {
                case CONSTANT -> -1;
                case EDGE -> i < 0 ? 0 : len - 1;
                case WRAP -> Math.floorMod(i, len);
                case REFLECT -> {
                    if (len == 1) {
                        yield 0;
                    }
                    int period = 2 * (len - 1);
                    int q = Math.floorMod(i, period);
                    yield q < len ? q : period - q;
                }
            };
        }
        return m;
    }
}
