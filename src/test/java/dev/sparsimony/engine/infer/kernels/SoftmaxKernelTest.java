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
        rowsMatchReference(8, 1e-6);
    }

    /** Spreads beyond 88 between a row's first value and its max take the max-shift fallback. */
    @Test
    void rowsWithHugeSpreadsMatchDoublePrecisionReference() {
        rowsMatchReference(150, 1e-6);
        float[] v = {-100f, 100f, 0f, 100f, -100f, 99f};
        SoftmaxKernel.softmax(v, 2, 3, 1);
        assertEquals(0f, v[0]);
        assertEquals(1f, v[1]);
        assertEquals(0f, v[2]);
        assertEquals(1 / (1 + Math.exp(-1)), v[3], 1e-7);
        assertEquals(0f, v[4]);
        assertEquals(1 - 1 / (1 + Math.exp(-1)), v[5], 1e-7);
    }

    static void rowsMatchReference(double scale, double tol) {
        java.util.Random r = new java.util.Random(3);
        int rows = 2000;
        int len = 5;
        float[] v = new float[rows * len];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (r.nextGaussian() * scale);
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
                assertEquals(Math.exp(ref[b + j] - max) / sum, v[b + j], tol);
            }
        }
    }

    @Test
    void nanAndAllMinusInfinityRowsGiveNan() {
        float ninf = Float.NEGATIVE_INFINITY;
        float pinf = Float.POSITIVE_INFINITY;
        float[] v = {1f, Float.NaN, 2f, ninf, ninf, ninf, 0f, 1f, pinf, ninf, 0f, ninf, Float.NaN, 1f, 2f};
        SoftmaxKernel.softmax(v, 5, 3, 1);
        for (int j : new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 12, 13, 14}) {
            assertTrue(Float.isNaN(v[j]), "element " + j);
        }
        assertEquals(0f, v[9]);
        assertEquals(1f, v[10]);
        assertEquals(0f, v[11]);
    }
}
