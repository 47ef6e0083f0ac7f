package dev.sparsimony.engine.infer.kernels;

import dev.sparsimony.engine.infer.OpKernel;
import dev.sparsimony.engine.model.Ops;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * ONNX MaxPool's Indices output (channels-first): per window the first maximum in row-major scan order, as a
 * position in the whole flattened input ((n * C + c) * H * W + spatial), the spatial part h * W + w, or h + w * H
 * with storage_order 1; padded positions never count (ONNX reference, onnx/reference/ops/op_max_pool.py).
 */
public final class MaxPoolIndicesKernel implements OpKernel<Ops.MaxPoolIndices> {
    @Override
    public Class<Ops.MaxPoolIndices> opType() {
        return Ops.MaxPoolIndices.class;
    }

    @Override
    public Step prepare(Ops.MaxPoolIndices op, Context ctx) {
        INDArray in = ctx.input(0);
        INDArray out = ctx.output();
        long[] s = in.shape();
        long[] os = out.shape();
        boolean oneD = op.kernel().length == 1;
        int n = (int) s[0];
        int c = (int) s[1];
        int h = oneD ? 1 : (int) s[2];
        int w = (int) s[s.length - 1];
        int oh = oneD ? 1 : (int) os[2];
        int ow = (int) os[os.length - 1];
        int last = op.kernel().length - 1;
        int kh = oneD ? 1 : op.kernel()[0];
        int kw = op.kernel()[last];
        int sh = oneD ? 1 : op.strides()[0];
        int sw = op.strides()[last];
        int pt = oneD ? 0 : op.padsBegin()[0];
        int pl = op.padsBegin()[last];
        boolean colMajor = op.columnMajor();
        float[] x = new float[Math.toIntExact(in.length())];
        float[] y = new float[Math.toIntExact(out.length())];
        return () -> {
            if (y.length == 0) {
                return;
            }
            NdUtil.copyOut(in, x, 0);
            int o = 0;
            for (int img = 0; img < n * c; img++) {
                int base = img * h * w;
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        float best = Float.NEGATIVE_INFINITY;
                        int bi = -1;
                        int bj = -1;
                        for (int r = Math.max(0, i * sh - pt); r < Math.min(h, i * sh - pt + kh); r++) {
                            for (int q = Math.max(0, j * sw - pl); q < Math.min(w, j * sw - pl + kw); q++) {
                                float v = x[base + r * w + q];
                                if (bi < 0 || v > best) {
                                    best = v;
                                    bi = r;
                                    bj = q;
                                }
                            }
                        }
                        y[o++] = bi < 0 ? -1 : base + (colMajor ? bi + bj * h : bi * w + bj);
                    }
                }
            }
            NdUtil.copyIn(y, 0, y.length, out);
        };
    }
}
