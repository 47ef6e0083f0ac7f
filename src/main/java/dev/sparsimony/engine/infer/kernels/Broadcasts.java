package dev.sparsimony.engine.infer.kernels;

import dev.sparsimony.engine.infer.OpKernel;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Per-element parameters (scales, slopes) laid out over a whole input, and the heap loop of element-wise ops. */
final class Broadcasts {
    private Broadcasts() {
    }

    /** {@code v} of shape {@code vShape} broadcast (NumPy, right-aligned) to {@code out}, as a row-major array. */
    static float[] expand(float[] v, long[] vShape, long[] out) {
        int n = Math.toIntExact(numel(out));
        float[] o = new float[n];
        if (v.length == 1) {
            java.util.Arrays.fill(o, v[0]);
            return o;
        }
        int r = out.length;
        long[] src = new long[r];
        long acc = 1;
        for (int i = vShape.length - 1; i >= 0; i--) {
            int a = r - vShape.length + i;
            src[a] = vShape[i] == 1 ? 0 : acc;
            acc *= vShape[i];
        }
        int[] idx = new int[r];
        long at = 0;
        for (int k = 0; k < n; k++) {
            o[k] = v[(int) at];
            for (int i = r - 1; i >= 0; i--) {
                idx[i]++;
                at += src[i];
                if (idx[i] < out[i]) {
                    break;
                }
                at -= src[i] * idx[i];
                idx[i] = 0;
            }
        }
        return o;
    }

    /** A weight (null: the constant {@code dflt}) broadcast to the shape of {@code like}. */
    static float[] expand(INDArray w, INDArray like, float dflt) {
        if (w == null) {
            float[] o = new float[Math.toIntExact(like.length())];
            java.util.Arrays.fill(o, dflt);
            return o;
        }
        return expand(NdUtil.toFloats(w), w.shape(), like.shape());
    }

    static long numel(long[] s) {
        long n = 1;
        for (long d : s) {
            n *= d;
        }
        return n;
    }

    /** An element-wise function of the input value and its position (for per-element parameters). */
    @FunctionalInterface
    interface IndexedOp {
        float apply(float x, int i);
    }

    /**
     * A step applying {@code f} to every value: one bulk copy to the heap, the loop, one bulk copy back. It also
     * serves as an {@link OpKernel.ElementwiseStep} when the parameters do not depend on the position
     * ({@code positional} false), so it can fuse with an output transform before it.
     */
    static OpKernel.Step map(INDArray in, INDArray out, IndexedOp f) {
        int n = Math.toIntExact(in.length());
        float[] buf = new float[n];
        return () -> {
            if (n == 0) {
                return;
            }
            NdUtil.copyOut(in, buf, 0);
            for (int i = 0; i < n; i++) {
                buf[i] = f.apply(buf[i], i);
            }
            NdUtil.copyIn(buf, 0, n, out);
        };
    }
}
