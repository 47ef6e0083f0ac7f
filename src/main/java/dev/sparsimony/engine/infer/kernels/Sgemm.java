package dev.sparsimony.engine.infer.kernels;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One prepared row-major product C[m,n] = A[m,k] · B[k,n] + beta · C on three dense FLOAT arrays, called straight
 * into OpenBLAS's {@code cblas_sgemm}: the same library (and thread setting) ND4J itself links, without ND4J's
 * per-call op set-up. That set-up costs about 16 µs per {@code Nd4j.gemm} call, which is more than the product
 * itself for the cache-sized tiles the compression engine evaluates (jet-mlp's four layers on 250 samples:
 * 0.56 ms per 10,000 samples direct, 2.5 ms through {@code Nd4j.gemm}; DesignPointBench.sgemmOnly is the direct one).
 * Arrays that are not dense c-order FLOAT fall back to {@code Nd4j.gemm}.
 */
public final class Sgemm {
    private final INDArray a;
    private final INDArray b;
    private final INDArray c;
    private final int m;
    private final int n;
    private final int k;
    private final FloatPointer pa;
    private final FloatPointer pb;
    private final FloatPointer pc;

    /** @param a [m,k], b [k,n], c [m,n] (any views of those sizes) */
    public Sgemm(INDArray a, INDArray b, INDArray c) {
        this.a = a;
        this.b = b;
        this.c = c;
        this.m = Math.toIntExact(a.size(0));
        this.k = Math.toIntExact(a.size(1));
        this.n = Math.toIntExact(b.size(1));
        if (b.size(0) != k || c.size(0) != m || c.size(1) != n) {
            throw new IllegalArgumentException("sgemm shapes do not chain: " + java.util.Arrays.toString(a.shape())
                    + " x " + java.util.Arrays.toString(b.shape()) + " -> " + java.util.Arrays.toString(c.shape()));
        }
        boolean direct = direct(a) && direct(b) && direct(c);
        this.pa = direct ? pointer(a) : null;
        this.pb = direct ? pointer(b) : null;
        this.pc = direct ? pointer(c) : null;
    }

    static boolean direct(INDArray x) {
        return x.dataType() == DataType.FLOAT && x.ordering() == 'c' && NdUtil.isDense(x) && x.length() > 0;
    }

    /**
     * A pointer to the array's first element (no copy, no native allocation). {@code data().addressPointer()}
     * already points at the data buffer's own offset (non-zero for a view's buffer), and the array's
     * {@code offset()} counts from the underlying allocation, so only the difference is added.
     */
    static FloatPointer pointer(INDArray x) {
        return new FloatPointer(x.data().addressPointer()).position(x.offset() - x.data().offset());
    }

    /** C = A·B + beta·C (beta 0 ignores C's old content, as in BLAS). */
    public void run(float beta) {
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            if (beta == 0f) {
                c.assign(0);
            } else if (beta != 1f) {
                c.muli(beta);
            }
            return;
        }
        if (pa == null) {
            Nd4j.gemm(a, b, c, false, false, 1.0, beta);
            return;
        }
        openblas.cblas_sgemm(openblas.CblasRowMajor, openblas.CblasNoTrans, openblas.CblasNoTrans, m, n, k,
                1f, pa, k, pb, n, beta, pc, n);
    }
}
