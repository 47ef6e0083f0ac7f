package dev.sparsimony.engine.train;

import dev.sparsimony.engine.model.Ops;

/** Global average or max pooling over the spatial axes of a 1-D or 2-D feature map; C values per sample. */
final class GlobalPoolLayer extends Layer {
    private final Geometry in;
    private final boolean max;
    private int[] argmax = new int[0];

    GlobalPoolLayer(String node, Ops.GlobalPool op, int[] inShape) {
        super(node, Geometry.of(inShape, op.layout()).size(), Geometry.of(inShape, op.layout()).c());
        in = Geometry.of(inShape, op.layout());
        max = op.pool() == Ops.PoolKind.MAX;
    }

    @Override
    void forward(float[] x, float[] y, int n) {
        if (max && argmax.length < n * outSize) {
            argmax = new int[n * outSize];
        }
        int spatial = in.h() * in.w();
        for (int b = 0; b < n; b++) {
            for (int c = 0; c < in.c(); c++) {
                float best = Float.NEGATIVE_INFINITY;
                int at = -1;
                float sum = 0f;
                for (int h = 0; h < in.h(); h++) {
                    for (int w = 0; w < in.w(); w++) {
                        int xi = b * inSize + h * in.hs() + w * in.ws() + c * in.cs();
                        if (x[xi] > best || at < 0) {
                            best = x[xi];
                            at = xi;
                        }
                        sum += x[xi];
                    }
                }
                int yi = b * outSize + c;
                if (max) {
                    y[yi] = best;
                    argmax[yi] = at;
                } else {
                    y[yi] = sum / spatial;
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
        int spatial = in.h() * in.w();
        for (int b = 0; b < n; b++) {
            for (int c = 0; c < in.c(); c++) {
                int yi = b * outSize + c;
                if (max) {
                    dx[argmax[yi]] += dy[yi];
                    continue;
                }
                float g = dy[yi] / spatial;
                for (int h = 0; h < in.h(); h++) {
                    for (int w = 0; w < in.w(); w++) {
                        dx[b * inSize + h * in.hs() + w * in.ws() + c * in.cs()] += g;
                    }
                }
            }
        }
    }
}
