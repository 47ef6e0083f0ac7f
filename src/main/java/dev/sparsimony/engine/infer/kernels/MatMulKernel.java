package dev.sparsimony.engine.infer.kernels;

import dev.sparsimony.engine.infer.OpKernel;
import dev.sparsimony.engine.model.Ops;
import dev.sparsimony.engine.model.Shapes;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * NumPy matmul: 1-D operands are promoted ([k] to [1,k] on the left, [k,1] on the right) and batch axes
 * broadcast. Each broadcast batch element is one sgemm on prepared 2-D views.
 */
public final class MatMulKernel implements OpKernel<Ops.MatMul> {
    @Override
    public Class<Ops.MatMul> opType() {
        return Ops.MatMul.class;
    }

    @Override
    public Step prepare(Ops.MatMul op, Context ctx) {
        INDArray a = ctx.input(0);
        INDArray b = ctx.input(1);
        long[] as = a.rank() == 1 ? new long[] {1, a.size(0)} : a.shape();
        long[] bs = b.rank() == 1 ? new long[] {b.size(0), 1} : b.shape();
        long m = as[as.length - 2];
        long k = as[as.length - 1];
        long n = bs[bs.length - 1];
        int[] aBatch = ints(as, as.length - 2);
        int[] bBatch = ints(bs, bs.length - 2);
        int[] batch = Shapes.broadcast(aBatch, bBatch, "MatMul");
        int count = 1;
        for (int d : batch) {
            count *= d;
        }
        INDArray a3 = NdUtil.view(a, prod(aBatch), m, k);
        INDArray b3 = NdUtil.view(b, prod(bBatch), k, n);
        INDArray o3 = NdUtil.view(ctx.output(), count, m, n);
        INDArray[] av = new INDArray[count];
        INDArray[] bv = new INDArray[count];
        INDArray[] ov = new INDArray[count];
        int[] idx = new int[batch.length];
        for (int i = 0; i < count; i++) {
            av[i] = slice(a3, flatIndex(idx, batch, aBatch));
            bv[i] = slice(b3, flatIndex(idx, batch, bBatch));
            ov[i] = slice(o3, i);
            for (int d = batch.length - 1; d >= 0; d--) {
                if (++idx[d] < batch[d]) {
                    break;
                }
                idx[d] = 0;
            }
        }
        if (m == 0 || n == 0 || count == 0) {
            return () -> { };
        }
        if (k == 0) {
            return () -> ctx.output().assign(0);
        }
        return () -> {
            for (int i = 0; i < av.length; i++) {
                Nd4j.gemm(av[i], bv[i], ov[i], false, false, 1.0, 0.0);
            }
        };
    }

    private static INDArray slice(INDArray a3, long i) {
        return a3.get(NDArrayIndex.point(i), NDArrayIndex.all(), NDArrayIndex.all());
    }

    /** Flat index into an operand's own batch shape (right-aligned, size-1 axes broadcast). */
    private static long flatIndex(int[] idx, int[] batch, int[] own) {
        long f = 0;
        int lead = batch.length - own.length;
        for (int d = 0; d < own.length; d++) {
            int i = own[d] == 1 ? 0 : idx[d + lead];
            f = f * own[d] + i;
        }
        return f;
    }

    private static int[] ints(long[] s, int len) {
        int[] o = new int[len];
        for (int i = 0; i < len; i++) {
            o[i] = Math.toIntExact(s[i]);
        }
        return o;
    }

    private static long prod(int[] s) {
        long p = 1;
        for (int d : s) {
            p *= d;
        }
        return p;
    }
}
