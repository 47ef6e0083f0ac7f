package dev.sparsimony.engine.infer.kernels;

import dev.sparsimony.engine.infer.Scratch;
import dev.sparsimony.engine.model.Layout;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.convolution.Convolution;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Shared window extraction of Conv and Pool. 1-D maps are handled as 2-D maps of height 1. The input is
 * copied into a pre-padded NCHW buffer (explicit asymmetric padding with a chosen pad value, so ND4J's own
 * symmetric padding is never used), then ND4J's im2col writes columns [N, C, kh, kw, oH, oW].
 */
final class Im2Col {
    final long n;
    final long c;
    final int kh;
    final int kw;
    final long oh;
    final long ow;
    final INDArray cols;
    private final int sh;
    private final int sw;
    private final int dh;
    private final int dw;
    private final INDArray padded;
    private final INDArray interior; // null when the input is used directly
    private final INDArray source;

    /**
     * @param in      rank 3 (1-D map) or rank 4 (2-D map) input in the given layout
     * @param k       window size per spatial axis; s strides; d dilations; pb/pe pads at begin/end
     * @param padValue value of the padding (0 for conv/avg, -inf for max)
     * @param oSpatial output spatial sizes
     */
    Im2Col(INDArray in, Layout layout, int[] k, int[] s, int[] d, int[] pb, int[] pe, float padValue,
           int[] oSpatial, Scratch scratch) {
        boolean oneD = k.length == 1;
        INDArray x4 = toNchw(in, layout);
        n = x4.size(0);
        c = x4.size(1);
        long h = x4.size(2);
        long w = x4.size(3);
        kh = oneD ? 1 : k[0];
        kw = k[k.length - 1];
        sh = oneD ? 1 : s[0];
        sw = s[s.length - 1];
        dh = oneD ? 1 : d[0];
        dw = d[d.length - 1];
        int pt = oneD ? 0 : pb[0];
        int pl = pb[pb.length - 1];
        oh = oneD ? 1 : oSpatial[0];
        ow = oSpatial[oSpatial.length - 1];
        // the padded extent must cover the last window (ceil-mode pooling may reach past the end pads)
        long hp = Math.max(h + pt + (oneD ? 0 : pe[0]), (oh - 1) * sh + (long) (kh - 1) * dh + 1);
        long wp = Math.max(w + pl + pe[pe.length - 1], (ow - 1) * sw + (long) (kw - 1) * dw + 1);
        boolean direct = layout == Layout.CHANNELS_FIRST && hp == h && wp == w && pt == 0 && pl == 0;
        if (direct) {
            padded = x4;
            interior = null;
        } else {
            padded = NdUtil.zeros(n, c, hp, wp);
            if (padValue != 0f) {
                padded.assign(padValue);
            }
            interior = padded.get(NDArrayIndex.all(), NdUtil.all(), NDArrayIndex.interval(pt, pt + h),
                    NDArrayIndex.interval(pl, pl + w));
        }
        source = x4;
        cols = scratch.get(0, n, c, kh, kw, oh, ow);
    }

    /** The input as a [N, C, H, W] view (permuted for channels-last, height 1 for 1-D maps). */
    static INDArray toNchw(INDArray in, Layout layout) {
        if (in.rank() == 3) {
            long n = in.size(0);
            if (layout == Layout.CHANNELS_FIRST) {
                return NdUtil.view(in, n, in.size(1), 1, in.size(2));
            }
            return NdUtil.view(in, n, 1, in.size(1), in.size(2)).permute(0, 3, 1, 2);
        }
        return layout == Layout.CHANNELS_FIRST ? in : in.permute(0, 3, 1, 2);
    }

    /** Refreshes {@link #cols} (a shared scratch view: valid until the next step) from the current input. */
    void run() {
        if (interior != null) {
            interior.assign(source);
        }
        Convolution.im2col(padded, kh, kw, sh, sw, 0, 0, dh, dw, false, cols);
    }

    static boolean empty(INDArray a) {
        return a.length() == 0;
    }

    static INDArray scalar(float v) {
        return Nd4j.scalar(v);
    }
}
