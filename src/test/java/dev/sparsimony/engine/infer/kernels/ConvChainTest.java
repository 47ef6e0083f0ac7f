package dev.sparsimony.engine.infer.kernels;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparsimony.engine.model.Layout;
import dev.sparsimony.engine.model.Ops;
import dev.sparsimony.engine.model.Tensor;
import org.junit.jupiter.api.Test;

class ConvChainTest {
    private static Ops.Conv conv(int k, int cin, int cout) {
        return new Ops.Conv(Tensor.zeros(k, k, cin, cout), null, new int[] {1, 1}, new int[] {1, 1},
                new int[] {0, 0}, new int[] {0, 0}, 1, Layout.CHANNELS_LAST);
    }

    @Test
    void theSampleLayersRunPlanarAndWideOnesStayIm2col() {
        assertTrue(ConvChain.planarPays(conv(3, 1, 8), true), "digits conv1");
        assertTrue(ConvChain.planarPays(conv(3, 8, 16), true), "digits conv2");
        assertTrue(ConvChain.planarPays(conv(3, 3, 16), true), "svhn conv_0");
        assertTrue(ConvChain.planarPays(conv(3, 16, 24), true), "svhn conv_2");
        assertTrue(ConvChain.planarPays(conv(1, 16, 64), false), "mobile expand");
        assertTrue(ConvChain.planarPays(conv(1, 64, 16), false), "mobile project");
        assertFalse(ConvChain.planarPays(conv(1, 256, 256), false), "a wide 1x1 conv: sgemm near its peak");
        assertFalse(ConvChain.planarPays(conv(3, 64, 128), false), "a wide 3x3 conv without pooling");
    }

    @Test
    void sgemmRateFitsTheMeasuredPoints() {
        // measured on the development machine (inference.md): within 40 % of each
        double[][] measured = {{9, 8, 9.8}, {72, 16, 25.4}, {144, 32, 35.1}, {288, 64, 43.5}, {256, 256, 50.4}};
        for (double[] m : measured) {
            double r = ConvChain.sgemmRate((int) m[0], (int) m[1]);
            assertTrue(Math.abs(r - m[2]) < 0.4 * m[2], m[0] + "x" + m[1] + ": " + r + " vs " + m[2]);
        }
    }
}
