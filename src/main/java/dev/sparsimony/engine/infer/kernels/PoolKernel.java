package dev.sparsimony.engine.infer.kernels;

import dev.sparsimony.engine.infer.OpKernel;
import dev.sparsimony.engine.model.Layout;
import dev.sparsimony.engine.model.Ops;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.api.ops.impl.reduce.same.Max;
import org.nd4j.linalg.api.ops.impl.reduce.same.Sum;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Max/average pooling as im2col + a reduction over the window axes. Max pooling pads with -inf, so padding
 * never wins. Average pooling sums and multiplies by 1/count per output position, where count follows
 * PyTorch's avg_pool (which ONNX AveragePool matches): with countIncludePad the window clipped to the
 * explicitly padded input, else clipped to the input itself; ceil-mode overhang never counts.
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
        int r = op.kernel().length;
        int[] oSpatial = new int[r];
        int[] inSpatial = new int[r];
        for (int i = 0; i < r; i++) {
            oSpatial[i] = (int) out.size(layout.spatialAxis(out.rank(), i));
            inSpatial[i] = (int) in.size(layout.spatialAxis(in.rank(), i));
        }
        boolean max = op.pool() == Ops.PoolKind.MAX;
        int[] ones = new int[r];
        java.util.Arrays.fill(ones, 1);
        Im2Col im = new Im2Col(in, layout, op.kernel(), op.strides(), ones, op.padsBegin(), op.padsEnd(),
                max ? Float.NEGATIVE_INFINITY : 0f, oSpatial, ctx.scratch());
        boolean cf = layout == Layout.CHANNELS_FIRST;
        INDArray red = cf ? NdUtil.view(out, im.n, im.c, im.oh, im.ow) : NdUtil.zeros(im.n, im.c, im.oh, im.ow);
        INDArray outDst = cf ? null : NdUtil.view(out, im.n, im.oh, im.ow, im.c);
        INDArray outSrc = cf ? null : red.permute(0, 2, 3, 1);
        INDArray inv = max ? null : inverseCounts(op, inSpatial, oSpatial);
        return () -> {
            im.run();
            if (max) {
                Nd4j.exec(new Max(im.cols, red, 2, 3));
            } else {
                Nd4j.exec(new Sum(im.cols, red, 2, 3));
                Nd4j.exec(new BroadcastMulOp(red, inv, red, 2, 3));
            }
            if (outDst != null) {
                outDst.assign(outSrc);
            }
        };
    }

    /** 1 / (number of counted window positions) per output position, as [oH, oW] (oH = 1 for 1-D). */
    static INDArray inverseCounts(Ops.Pool op, int[] in, int[] o) {
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
        INDArray a = NdUtil.zeros(oh, ow);
        NdUtil.copyIn(v, 0, v.length, a);
        return a;
    }
}
