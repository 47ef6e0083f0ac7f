package dev.sparsimony.engine.infer.kernels;

import dev.sparsimony.engine.infer.OpKernel;
import dev.sparsimony.engine.model.Layout;
import dev.sparsimony.engine.model.Ops;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Nearest (each value repeated) or bilinear upsampling of 1-D/2-D maps (1-D as height 1). Bilinear uses
 * tf.image.resize's half-pixel centres: source = (o + 0.5) / f - 0.5, clamped at 0 and at the last row/column.
 */
public final class UpsampleKernel implements OpKernel<Ops.Upsample> {
    @Override
    public Class<Ops.Upsample> opType() {
        return Ops.Upsample.class;
    }

    @Override
    public Step prepare(Ops.Upsample op, Context ctx) {
        INDArray in = ctx.input(0);
        INDArray out = ctx.output();
        long[] s = in.shape();
        Layout l = op.layout();
        boolean oneD = op.scales().length == 1;
        int n = (int) s[0];
        int c = (int) s[l.channelAxis(s.length)];
        int h = oneD ? 1 : (int) s[l.spatialAxis(s.length, 0)];
        int w = (int) s[l.spatialAxis(s.length, oneD ? 0 : 1)];
        int fh = oneD ? 1 : op.scales()[0];
        int fw = op.scales()[op.scales().length - 1];
        int oh = h * fh;
        int ow = w * fw;
        boolean cl = l == Layout.CHANNELS_LAST;
        float[] x = new float[Math.toIntExact(in.length())];
        float[] y = new float[Math.toIntExact(out.length())];
        int[] h0 = new int[oh];
        int[] h1 = new int[oh];
        float[] hf = new float[oh];
        int[] w0 = new int[ow];
        int[] w1 = new int[ow];
        float[] wf = new float[ow];
        taps(h, fh, op.bilinear(), h0, h1, hf);
        taps(w, fw, op.bilinear(), w0, w1, wf);
        return () -> {
            if (y.length == 0) {
                return;
            }
            NdUtil.copyOut(in, x, 0);
            for (int b = 0; b < n; b++) {
                for (int ch = 0; ch < c; ch++) {
                    for (int i = 0; i < oh; i++) {
                        for (int j = 0; j < ow; j++) {
                            float top = lerp(x[at(cl, b, ch, h0[i], w0[j], c, h, w)],
                                    x[at(cl, b, ch, h0[i], w1[j], c, h, w)], wf[j]);
                            float bottom = lerp(x[at(cl, b, ch, h1[i], w0[j], c, h, w)],
                                    x[at(cl, b, ch, h1[i], w1[j], c, h, w)], wf[j]);
                            y[at(cl, b, ch, i, j, c, oh, ow)] = lerp(top, bottom, hf[i]);
                        }
                    }
                }
            }
            NdUtil.copyIn(y, 0, y.length, out);
        };
    }

    private static float lerp(float a, float b, float t) {
        return t == 0f ? a : a + (b - a) * t;
    }

    private static int at(boolean cl, int b, int ch, int i, int j, int c, int h, int w) {
        return cl ? ((b * h + i) * w + j) * c + ch : ((b * c + ch) * h + i) * w + j;
    }

    /** The two source rows and the weight of the second for each output row. */
    private static void taps(int len, int f, boolean bilinear, int[] lo, int[] hi, float[] frac) {
        for (int o = 0; o < lo.length; o++) {
            if (!bilinear) {
                lo[o] = o / f;
                hi[o] = lo[o];
                continue;
            }
            double src = Math.max(0, (o + 0.5) / f - 0.5);
            int i0 = Math.min((int) Math.floor(src), len - 1);
            lo[o] = i0;
            hi[o] = Math.min(i0 + 1, len - 1);
            frac[o] = (float) (src - i0);
        }
    }
}
