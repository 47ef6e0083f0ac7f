package dev.sparsimony.engine.train;

import dev.sparsimony.engine.model.Ops;

/**
 * 1-D/2-D max or average pooling. Max pooling routes the gradient to the first maximum of each window (Keras and
 * PyTorch do the same); padded positions never win. Average pooling divides by the window positions inside the
 * input, or inside the padded input with {@code countIncludePad} (ONNX AveragePool semantics).
 */
final class PoolLayer extends Layer {
    private final Geometry in;
    private final Geometry out;
    private final boolean max;
    private final boolean includePad;
    private final Window win;
    /** End of the input plus its end padding: window positions below count for countIncludePad. */
    private final int endH;
    private final int endW;
    private int[] argmax = new int[0];

    PoolLayer(String node, Ops.Pool op, int[] inShape, int[] outShape) {
        super(node, Geometry.of(inShape, op.layout()).size(), Geometry.of(outShape, op.layout()).size());
        in = Geometry.of(inShape, op.layout());
        out = Geometry.of(outShape, op.layout());
        max = op.pool() == Ops.PoolKind.MAX;
        includePad = op.countIncludePad();
        win = Window.of(op.kernel(), op.strides(), null, op.padsBegin());
        boolean two = op.kernel().length == 2;
        endH = in.h() + (two ? op.padsEnd()[0] : 0);
        endW = in.w() + op.padsEnd()[op.kernel().length - 1];
    }

    @Override
    void forward(float[] x, float[] y, int n) {
        if (max && argmax.length < n * outSize) {
            argmax = new int[n * outSize];
        }
        int c = in.c();
        for (int b = 0; b < n; b++) {
            int xb = b * inSize;
            int yb = b * outSize;
            for (int oh = 0; oh < out.h(); oh++) {
                int h0 = win.row(oh, 0);
                for (int ow = 0; ow < out.w(); ow++) {
                    int w0 = win.col(ow, 0);
                    for (int ch = 0; ch < c; ch++) {
                        int yi = yb + oh * out.hs() + ow * out.ws() + ch * out.cs();
                        float best = Float.NEGATIVE_INFINITY;
                        int bestAt = -1;
                        float sum = 0f;
                        int count = 0;
                        for (int i = 0; i < win.kh(); i++) {
                            int ih = h0 + i;
                            for (int j = 0; j < win.kw(); j++) {
                                int iw = w0 + j;
                                if (ih < 0 || ih >= in.h() || iw < 0 || iw >= in.w()) {
                                    if (includePad && ih < endH && iw < endW) {
                                        count++;
                                    }
                                    continue;
                                }
                                int xi = xb + ih * in.hs() + iw * in.ws() + ch * in.cs();
                                float v = x[xi];
                                if (v > best || bestAt < 0) {
                                    best = v;
                                    bestAt = xi;
                                }
                                sum += v;
                                count++;
                            }
                        }
                        if (max) {
                            y[yi] = bestAt < 0 ? 0f : best;
                            argmax[yi] = bestAt;
                        } else {
                            y[yi] = count == 0 ? 0f : sum / count;
                        }
                    }
                }
            }
        }
    }

    @Override
    void backward(float[] x, float[] y, float[] dy, float[] dx, int n) {
        if (dx == null) {
            return;
        }
        java.util.Arrays.fill(dx, 0, n * inSize, 0f);
        if (max) {
            for (int yi = 0; yi < n * outSize; yi++) {
                if (argmax[yi] >= 0) {
                    dx[argmax[yi]] += dy[yi];
                }
            }
            return;
        }
        int c = in.c();
        for (int b = 0; b < n; b++) {
            int xb = b * inSize;
            int yb = b * outSize;
            for (int oh = 0; oh < out.h(); oh++) {
                int h0 = win.row(oh, 0);
                for (int ow = 0; ow < out.w(); ow++) {
                    int w0 = win.col(ow, 0);
                    for (int ch = 0; ch < c; ch++) {
                        int count = 0;
                        for (int i = 0; i < win.kh(); i++) {
                            for (int j = 0; j < win.kw(); j++) {
                                int ih = h0 + i;
                                int iw = w0 + j;
                                boolean inside = ih >= 0 && ih < in.h() && iw >= 0 && iw < in.w();
                                if (inside || (includePad && ih < endH && iw < endW)) {
                                    count++;
                                }
                            }
                        }
                        if (count == 0) {
                            continue;
                        }
                        float g = dy[yb + oh * out.hs() + ow * out.ws() + ch * out.cs()] / count;
                        for (int i = 0; i < win.kh(); i++) {
                            int ih = h0 + i;
                            for (int j = 0; j < win.kw(); j++) {
                                int iw = w0 + j;
                                if (ih >= 0 && ih < in.h() && iw >= 0 && iw < in.w()) {
                                    dx[xb + ih * in.hs() + iw * in.ws() + ch * in.cs()] += g;
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
