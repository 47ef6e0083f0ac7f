package dev.sparsimony.engine.infer.kernels;

import dev.sparsimony.engine.infer.OpKernel;
import dev.sparsimony.engine.model.Layout;
import dev.sparsimony.engine.model.Ops;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastAddOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * 1-D/2-D convolution as im2col + sgemm, which handles strides, dilations, asymmetric pads, groups and both
 * layouts uniformly. ND4J's im2col gives, per sample and group, a contiguous column matrix
 * [K = cIn/g*kh*kw, P = oH*oW] (rows ordered c, kh, kw); the HWIO kernel is reordered once to that row order.
 * <ul>
 *   <li>channels-first: out[n, group] [cOut/g, P] = W_g [cOut/g, K] · cols [K, P];</li>
 *   <li>channels-last: out[n] [P, cOut] = cols^T [P, K] · W [K, cOut] (transposed operand, no copy), so the
 *       result lands in NHWC order directly (grouped: via a small scratch).</li>
 * </ul>
 * One sgemm per sample and group keeps memory at the column buffer and needs no permuting copies.
 */
public final class ConvKernel implements OpKernel<Ops.Conv> {
    @Override
    public Class<Ops.Conv> opType() {
        return Ops.Conv.class;
    }

    @Override
    public Step prepare(Ops.Conv op, Context ctx) {
        INDArray in = ctx.input(0);
        INDArray out = ctx.output();
        if (in.length() == 0 || out.length() == 0) {
            return () -> { };
        }
        Layout layout = op.layout();
        boolean cf = layout == Layout.CHANNELS_FIRST;
        int r = op.spatialRank();
        int[] oSpatial = new int[r];
        for (int i = 0; i < r; i++) {
            oSpatial[i] = (int) out.size(layout.spatialAxis(out.rank(), i));
        }
        Im2Col im = new Im2Col(in, layout, op.kernelSize(), op.strides(), op.dilations(), op.padsBegin(),
                op.padsEnd(), 0f, oSpatial, ctx.scratch());
        int g = op.groups();
        long cg = op.inChannelsPerGroup();
        long cOut = op.outChannels();
        long cOutG = cOut / g;
        long kk = (long) im.kh * im.kw;
        long k = kk * cg;
        long p = im.oh * im.ow;
        int n = Math.toIntExact(im.n);
        INDArray cols = NdUtil.view(im.cols, im.n, g, k, p);
        INDArray kernel = ctx.requireWeight("kernel");
        // kernel [kh*kw, cg, G, cOutG] -> per group [G, K=(cg, kh*kw) , cOutG]
        INDArray wSrc = NdUtil.view(kernel, kk, cg, g, cOutG).permute(2, 1, 0, 3);
        INDArray w = NdUtil.zeros(g, cg, kk, cOutG);
        INDArray wK = NdUtil.view(w, g, k, cOutG);
        // channels-first wants W_g^T [cOutG, K]: a transposed view of the same prepared buffer
        INDArray[] wg = new INDArray[g];
        for (int j = 0; j < g; j++) {
            INDArray m = wK.get(NDArrayIndex.point(j), NDArrayIndex.all(), NDArrayIndex.all());
            wg[j] = m;
        }
        INDArray[] a = new INDArray[n * g];
        INDArray[] c = new INDArray[n * g];
        INDArray scratch = !cf && g > 1 ? NdUtil.zeros(p, cOutG) : null;
        INDArray[] strided = scratch == null ? null : new INDArray[n * g];
        INDArray outCf = cf ? NdUtil.view(out, im.n, g, cOutG, p) : null;
        INDArray outCl = cf ? null : NdUtil.view(out, im.n, p, g, cOutG);
        for (int s = 0; s < n; s++) {
            for (int j = 0; j < g; j++) {
                int i = s * g + j;
                a[i] = cols.get(NDArrayIndex.point(s), NDArrayIndex.point(j), NDArrayIndex.all(), NDArrayIndex.all());
                if (cf) {
                    c[i] = outCf.get(NDArrayIndex.point(s), NDArrayIndex.point(j), NDArrayIndex.all(),
                            NDArrayIndex.all());
                } else if (scratch == null) {
                    c[i] = NdUtil.view(outCl.get(NDArrayIndex.point(s), NDArrayIndex.all(), NDArrayIndex.all(),
                            NDArrayIndex.all()), p, cOut);
                } else {
                    c[i] = scratch;
                    strided[i] = outCl.get(NDArrayIndex.point(s), NDArrayIndex.all(), NDArrayIndex.point(j),
                            NDArrayIndex.all());
                }
            }
        }
        INDArray bias = ctx.weight("bias");
        int channelAxis = layout.channelAxis(out.rank());
        return new Step() {
            {
                weightsChanged();
            }

            @Override
            public void run() {
                im.run();
                for (int s = 0; s < n; s++) {
                    for (int j = 0; j < g; j++) {
                        int i = s * g + j;
                        if (cf) {
                            // [cOutG, P] = W_g^T [cOutG, K] · cols [K, P]
                            Nd4j.gemm(wg[j], a[i], c[i], true, false, 1.0, 0.0);
                        } else {
                            // [P, cOutG] = cols^T [P, K] · W_g [K, cOutG]
                            Nd4j.gemm(a[i], wg[j], c[i], true, false, 1.0, 0.0);
                            if (strided != null) {
                                strided[i].assign(c[i]);
                            }
                        }
                    }
                }
                if (bias != null) {
                    Nd4j.exec(new BroadcastAddOp(out, bias, out, channelAxis));
                }
            }

            @Override
            public void weightsChanged() {
                w.assign(wSrc);
            }
        };
    }
}
