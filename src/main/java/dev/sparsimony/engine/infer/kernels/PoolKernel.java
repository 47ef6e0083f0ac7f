package dev.sparsimony.engine.infer.kernels;

import dev.sparsimony.engine.infer.OpKernel;
import dev.sparsimony.engine.model.Layout;
import dev.sparsimony.engine.model.Ops;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Max/average pooling (1-D maps as 2-D maps of height 1) as direct Java loops over a heap copy of the input:
 * windows are small, so this beats ND4J's im2col plus reduction several times. Max pooling skips padded
 * positions (padding never wins). Average pooling divides by the count of PyTorch's avg_pool, which ONNX
 * AveragePool matches: with countIncludePad the window clipped to the explicitly padded input, else clipped to
 * the input itself; ceil-mode overhang never counts.
 */
public final class PoolKernel implements OpKernel<Ops.Pool> {
    @Override
    public Class<Ops.Pool> opType() {
        return Ops.Pool.class;
    }

    @Override
    public Step prepare(Ops.Pool op, Context ctx) {
        INDArray in = ctx.input(0);
        INDArray out = ctx.output();
        if (in.length() == 0 || out.length() == 0) {
            return () -> { };
        }
        Layout layout = op.layout();
        boolean oneD = op.kernel().length == 1;
        long[] s = in.shape();
        long[] os = out.shape();
        int n = (int) s[0];
        int c = (int) s[layout.channelAxis(s.length)];
        int h = oneD ? 1 : (int) s[layout.spatialAxis(s.length, 0)];
        int w = (int) s[layout.spatialAxis(s.length, oneD ? 0 : 1)];
        int oh = oneD ? 1 : (int) os[layout.spatialAxis(os.length, 0)];
        int ow = (int) os[layout.spatialAxis(os.length, oneD ? 0 : 1)];
        int last = op.kernel().length - 1;
        int kh = oneD ? 1 : op.kernel()[0];
        int kw = op.kernel()[last];
        int sh = oneD ? 1 : op.strides()[0];
        int sw = op.strides()[last];
        int pt = oneD ? 0 : op.padsBegin()[0];
        int pl = op.padsBegin()[last];
        boolean max = op.pool() == Ops.PoolKind.MAX;
        boolean cl = layout == Layout.CHANNELS_LAST;
        float[] inv = max ? null : inverseCounts(op, oneD ? new int[] {w} : new int[] {h, w},
                oneD ? new int[] {ow} : new int[] {oh, ow});
        float[] x = new float[Math.toIntExact(in.length())];
        float[] y = new float[Math.toIntExact(out.length())];
        float[] acc = new float[c];
        return () -> {
            NdUtil.copyOut(in, x, 0);
            for (int b = 0; b < n; b++) {
                for (int i = 0; i < oh; i++) {
                    int ih0 = i * sh - pt;
                    int r0 = Math.max(ih0, 0);
                    int r1 = Math.min(ih0 + kh, h);
                    for (int q = 0; q < ow; q++) {
                        int iw0 = q * sw - pl;
                        int c0 = Math.max(iw0, 0);
                        int c1 = Math.min(iw0 + kw, w);
                        float scale = max ? 1f : inv[i * ow + q];
                        if (cl && max && r1 > r0 && c1 > c0) {
                            // written straight into y: the first window position, then the running maximum
                            int o = ((b * oh + i) * ow + q) * c;
                            System.arraycopy(x, ((b * h + r0) * w + c0) * c, y, o, c);
                            for (int r = r0; r < r1; r++) {
                                for (int col = r == r0 ? c0 + 1 : c0; col < c1; col++) {
                                    int base = ((b * h + r) * w + col) * c;
                                    for (int ch = 0; ch < c; ch++) {
                                        y[o + ch] = Math.max(y[o + ch], x[base + ch]);
                                    }
                                }
                            }
                        } else if (cl) {
                            // one loop per case, without a branch inside, so that C2 vectorises over channels
                            Arrays.fill(acc, max ? Float.NEGATIVE_INFINITY : 0f);
                            for (int r = r0; r < r1; r++) {
                                for (int col = c0; col < c1; col++) {
                                    int base = ((b * h + r) * w + col) * c;
                                    if (max) {
                                        for (int ch = 0; ch < c; ch++) {
                                            acc[ch] = Math.max(acc[ch], x[base + ch]);
                                        }
                                    } else {
                                        for (int ch = 0; ch < c; ch++) {
                                            acc[ch] += x[base + ch];
                                        }
                                    }
                                }
                            }
                            int o = ((b * oh + i) * ow + q) * c;
                            if (max) {
                                System.arraycopy(acc, 0, y, o, c);
                            } else {
                                for (int ch = 0; ch < c; ch++) {
                                    y[o + ch] = acc[ch] * scale;
                                }
                            }
                        } else if (max) {
                            for (int ch = 0; ch < c; ch++) {
                                int plane = (b * c + ch) * h * w;
                                float a = Float.NEGATIVE_INFINITY;
                                for (int r = r0; r < r1; r++) {
                                    int row = plane + r * w;
                                    for (int col = c0; col < c1; col++) {
                                        a = Math.max(a, x[row + col]);
                                    }
                                }
                                y[((b * c + ch) * oh + i) * ow + q] = a;
                            }
                        } else {
                            for (int ch = 0; ch < c; ch++) {
                                int plane = (b * c + ch) * h * w;
                                float a = 0f;
                                for (int r = r0; r < r1; r++) {
                                    int row = plane + r * w;
                                    for (int col = c0; col < c1; col++) {
                                        a += x[row + col];
                                    }
                                }
                                y[((b * c + ch) * oh + i) * ow + q] = a * scale;
                            }
                        }
                    }
                }
            }
            NdUtil.copyIn(y, 0, y.length, out);
        };
    }

    /** 1 / (number of counted window positions) per output position, row-major [oH, oW] (oH = 1 for 1-D). */
    static float[] inverseCounts(Ops.Pool op, int[] in, int[] o) {
        int r = in.length;
        int[][] counts = new int[r][];
        for (int a = 0; a < r; a++) {
            counts[a] = new int[o[a]];
            int pb = op.padsBegin()[a];
            int pe = op.padsEnd()[a];
            for (int i = 0; i < o[a]; i++) {
                int start = i * op.strides()[a] - pb;
                int end = start + op.kernel()[a];
                int lo = op.countIncludePad() ? start : Math.max(start, 0);
                int hi = op.countIncludePad() ? Math.min(end, in[a] + pe) : Math.min(end, in[a]);
                counts[a][i] = Math.max(hi - lo, 0);
            }
        }
        int oh = r == 1 ? 1 : o[0];
        int ow = o[r - 1];
        float[] v = new float[oh * ow];
        for (int i = 0; i < oh; i++) {
            for (int j = 0; j < ow; j++) {
                int cnt = (r == 1 ? 1 : counts[0][i]) * counts[r - 1][j];
                v[i * ow + j] = cnt == 0 ? Float.NaN : 1f / cnt;
            }
        }
        return v;
    }
}
