package dev.sparsimony.engine.train;

import dev.sparsimony.engine.model.Op;
import dev.sparsimony.engine.model.Ops;

/**
 * Direct (loop) 1-D/2-D convolution with an HWIO kernel [kh, kw, cIn/groups, cOut] (1-D: [k, cIn/groups, cOut]),
 * any stride, dilation, zero padding and groups (depthwise: one input channel per group). The innermost loop runs
 * over the output channels of the input channel's group, which are contiguous in the kernel and, for channels-last
 * maps, in the output.
 */
final class ConvLayer extends KernelLayer {
    private final Geometry in;
    private final Geometry out;
    private final Window win;
    private final int cg;
    private final int coutG;

    ConvLayer(String node, Ops.Conv op, int[] inShape, int[] outShape, float[] mask) {
        super(node, Geometry.of(inShape, op.layout()).size(), Geometry.of(outShape, op.layout()).size(), op.kernel(),
                op.bias(), mask);
        in = Geometry.of(inShape, op.layout());
        out = Geometry.of(outShape, op.layout());
        win = Window.of(op.kernelSize(), op.strides(), op.dilations(), op.padsBegin());
        cg = op.inChannelsPerGroup();
        coutG = op.outChannels() / op.groups();
    }

    @Override
    void forward(float[] x, float[] y, int n) {
        final float[] k = kernel.w;
        final int cin = in.c();
        final int cout = out.c();
        final int ycs = out.cs();
        final int kh = win.kh();
        final int kw = win.kw();
        for (int b = 0; b < n; b++) {
            int xb = b * inSize;
            int yb = b * outSize;
            for (int oh = 0; oh < out.h(); oh++) {
                for (int ow = 0; ow < out.w(); ow++) {
                    int yo = yb + oh * out.hs() + ow * out.ws();
                    for (int co = 0; co < cout; co++) {
                        y[yo + co * ycs] = bias == null ? 0f : bias.w[co];
                    }
                    for (int i = 0; i < kh; i++) {
                        int ih = win.row(oh, i);
                        if (ih < 0 || ih >= in.h()) {
                            continue;
                        }
                        for (int j = 0; j < kw; j++) {
                            int iw = win.col(ow, j);
                            if (iw < 0 || iw >= in.w()) {
                                continue;
                            }
                            int xo = xb + ih * in.hs() + iw * in.ws();
                            int ko = (i * kw + j) * cg * cout;
                            for (int ci = 0; ci < cin; ci++) {
                                float xv = x[xo + ci * in.cs()];
                                if (xv == 0f) {
                                    continue;
                                }
                                int c0 = ci / cg * coutG;
                                int c1 = c0 + coutG;
                                int kk = ko + ci % cg * cout;
                                if (ycs == 1) {
                                    for (int co = c0; co < c1; co++) {
                                        y[yo + co] += xv * k[kk + co];
                                    }
                                } else {
                                    for (int co = c0; co < c1; co++) {
                                        y[yo + co * ycs] += xv * k[kk + co];
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    @Override
    void backward(float[] x, float[] y, float[] dy, float[] dx, int n) {
        final float[] k = kernel.w;
        final float[] gk = kernel.g;
        final int cin = in.c();
        final int cout = out.c();
        final int ycs = out.cs();
        final int kh = win.kh();
        final int kw = win.kw();
        if (dx != null) {
            java.util.Arrays.fill(dx, 0, n * inSize, 0f);
        }
        float[] d = new float[cout];
        for (int b = 0; b < n; b++) {
            int xb = b * inSize;
            int yb = b * outSize;
            for (int oh = 0; oh < out.h(); oh++) {
                for (int ow = 0; ow < out.w(); ow++) {
                    int yo = yb + oh * out.hs() + ow * out.ws();
                    boolean any = false;
                    for (int co = 0; co < cout; co++) {
                        d[co] = dy[yo + co * ycs];
                        any |= d[co] != 0f;
                    }
                    if (!any) {
                        continue; // e.g. behind a ReLU that was off, or a max-pool position that lost
                    }
                    if (bias != null) {
                        for (int co = 0; co < cout; co++) {
                            bias.g[co] += d[co];
                        }
                    }
                    for (int i = 0; i < kh; i++) {
                        int ih = win.row(oh, i);
                        if (ih < 0 || ih >= in.h()) {
                            continue;
                        }
                        for (int j = 0; j < kw; j++) {
                            int iw = win.col(ow, j);
                            if (iw < 0 || iw >= in.w()) {
                                continue;
                            }
                            int xo = xb + ih * in.hs() + iw * in.ws();
                            int ko = (i * kw + j) * cg * cout;
                            for (int ci = 0; ci < cin; ci++) {
                                int xi = xo + ci * in.cs();
                                float xv = x[xi];
                                int c0 = ci / cg * coutG;
                                int c1 = c0 + coutG;
                                int kk = ko + ci % cg * cout;
                                if (xv != 0f) {
                                    for (int co = c0; co < c1; co++) {
                                        gk[kk + co] += xv * d[co];
                                    }
                                }
                                if (dx != null) {
                                    float s = 0f;
                                    for (int co = c0; co < c1; co++) {
                                        s += k[kk + co] * d[co];
                                    }
                                    dx[xi] += s;
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    @Override
    Op toOp(Op original) {
        Ops.Conv c = (Ops.Conv) original;
        return new Ops.Conv(trainedKernel(c.kernel()), trainedBias(c.bias()), c.strides(), c.dilations(),
                c.padsBegin(), c.padsEnd(), c.groups(), c.layout());
    }
}
