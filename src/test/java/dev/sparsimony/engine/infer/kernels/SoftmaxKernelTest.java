package dev.sparsimony.engine.infer.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SoftmaxKernelTest {
    @Test
    void fastExpWithinTwoUlpOfMathExp() {
        for (float x = -87f; x <= 88f; x += 0.001953125f) {
            float want = (float) Math.exp(x);
            float got = SoftmaxKernel.exp(x);
            assertTrue(Math.abs(got - want) <= 2 * Math.ulp(want), () -> "exp(" + got + ") vs " + want);
        }
        assertEquals(1f, SoftmaxKernel.exp(0f));
        assertEquals(0f, SoftmaxKernel.exp(Float.NEGATIVE_INFINITY));
        assertEquals(0f, SoftmaxKernel.exp(-100f));
        assertTrue(Float.isNaN(SoftmaxKernel.exp(Float.NaN)));
        assertEquals(Float.POSITIVE_INFINITY, SoftmaxKernel.exp(Float.POSITIVE_INFINITY));
    }

    @Test
    void rowsMatchDoublePrecisionReference() {
        java.util.Random r = new java.util.Random(3);
        int rows = 200;
        int len = 5;
        float[] v = new float[rows * len];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (r.nextGaussian() * 8);
        }
        float[] ref = v.clone();
        SoftmaxKernel.softmax(v, rows, len, 1);
        for (int b = 0; b < v.length; b += len) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < len; j++) {
                max = Math.max(max, ref[b + j]);
            }
            double sum = 0;
            for (int j = 0; j < len; j++) {
                sum += Math.exp(ref[b + j] - max);
            }
            for (int j = 0; j < len; j++) {
                assertEquals(Math.exp(ref[b + j] - max) / sum, v[b + j], 1e-6);
            }
        }
    }

    @Test
    void nanAndAllMinusInfinityRowsGiveNan() {
        float ninf = Float.NEGATIVE_INFINITY;
        float[] v = {1f, Float.NaN, 2f, ninf, ninf, ninf, ninf, 0f, ninf};
        SoftmaxKernel.softmax(v, 3, 3, 1);
        for (int j = 0; j < 6; j++) {
            assertTrue(Float.isNaN(v[j]), "element " + j);
        }
        assertEquals(0f, v[6]);
        assertEquals(1f, v[7]);
        assertEquals(0f, v[8]);
    }
}
