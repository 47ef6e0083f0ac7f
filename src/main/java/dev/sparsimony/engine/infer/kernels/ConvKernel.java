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
 * layouts uniformly. Columns are reordered to rows (n, oh, ow) x (kh, kw, cIn/g) so that each group's product
 * uses the HWIO kernel seen as the matrix [kh*kw*cIn/g, cOut/g] (the IR's Dense-like view). For one group in
 * channels-last layout the sgemm writes straight into the output.
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
        int r = op.spatialRank();
        int[] oSpatial = new int[r];
        for (int i = 0; i < r; i++) {
            oSpatial[i] = (int) out.size(layout.spatialAxis(out.rank(), i));
        }
        Im2Col im = new Im2Col(in, layout, op.kernelSize(), op.strides(), op.dilations(), op.padsBegin(),
                op.padsEnd(), 0f, oSpatial);
        int g = op.groups();
        long cg = op.inChannelsPerGroup();
        long cOut = op.outChannels();
        long cOutG = cOut / g;
        long m = im.n * im.oh * im.ow;
        long k = (long) im.kh * im.kw * cg;
        // columns as [G, N, oh, ow, kh, kw, cg]
        INDArray colT = NdUtil.zeros(g, im.n, im.oh, im.ow, im.kh, im.kw, cg);
        INDArray colSrc = im.cols.reshape('c', true, im.n, g, cg, im.kh, im.kw, im.oh, im.ow)
                .permute(1, 0, 5, 6, 3, 4, 2);
        INDArray colMat = NdUtil.view(colT, g, m, k);
        INDArray kernel = ctx.requireWeight("kernel");
        INDArray wG = NdUtil.zeros(g, k, cOutG);
        INDArray wSrc = NdUtil.view(kernel, k, g, cOutG).permute(1, 0, 2);
        INDArray bias = ctx.weight("bias");
        int channelAxis = layout.channelAxis(out.rank());
        boolean direct = g == 1 && layout == Layout.CHANNELS_LAST;
        INDArray res = direct ? NdUtil.view(out, 1, m, cOut) : NdUtil.zeros(g, m, cOutG);
        INDArray[] a = new INDArray[g];
        INDArray[] b = new INDArray[g];
        INDArray[] c = new INDArray[g];
        for (int i = 0; i < g; i++) {
            a[i] = colMat.get(NDArrayIndex.point(i), NDArrayIndex.all(), NDArrayIndex.all());
            b[i] = wG.get(NDArrayIndex.point(i), NDArrayIndex.all(), NDArrayIndex.all());
            c[i] = res.get(NDArrayIndex.point(i), NDArrayIndex.all(), NDArrayIndex.all());
        }
        INDArray outDst;
        INDArray outSrc;
        if (direct) {
            outDst = null;
            outSrc = null;
        } else if (layout == Layout.CHANNELS_LAST) {
            outDst = NdUtil.view(out, im.n, im.oh, im.ow, g, cOutG);
            outSrc = res.reshape('c', true, g, im.n, im.oh, im.ow, cOutG).permute(1, 2, 3, 0, 4);
        } else {
            outDst = NdUtil.view(out, im.n, g, cOutG, im.oh, im.ow);
            outSrc = res.reshape('c', true, g, im.n, im.oh, im.ow, cOutG).permute(1, 0, 4, 2, 3);
        }
        return new Step() {
            {
                weightsChanged();
            }

            @Override
            public void run() {
                im.run();
                colT.assign(colSrc);
                for (int i = 0; i < g; i++) {
                    Nd4j.gemm(a[i], b[i], c[i], false, false, 1.0, 0.0);
                }
                if (outDst != null) {
                    outDst.assign(outSrc);
                }
                if (bias != null) {
                    Nd4j.exec(new BroadcastAddOp(out, bias, out, channelAxis));
                }
            }

            @Override
            public void weightsChanged() {
                wG.assign(wSrc);
            }
        };
    }
}
