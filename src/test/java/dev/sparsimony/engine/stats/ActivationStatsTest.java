package dev.sparsimony.engine.stats;

import dev.sparsimony.engine.CompressFixtures;
import dev.sparsimony.engine.data.Dataset;
import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.model.Ops;
import dev.sparsimony.engine.model.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ActivationStatsTest {
    @Test
    void countsZerosAfterRelu() {
        Model m = CompressFixtures.mlp(2, 4, 6, 3);
        Random r = new Random(3);
        int n = 50;
        float[] x = new float[n * 4];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        Dataset d = new Dataset("d", Tensor.of(x, n, 4), null);
        // hand count: relu(x W1 + b1) == 0  <=>  pre-activation <= 0
        Ops.Dense d1 = (Ops.Dense) m.node("dense1").op();
        long zeros = 0;
        for (int s = 0; s < n; s++) {
            for (int j = 0; j < 6; j++) {
                double v = d1.bias().data()[j];
                for (int i = 0; i < 4; i++) {
                    v += x[s * 4 + i] * d1.kernel().data()[i * 6 + j];
                }
                if (v <= 0) {
                    zeros++;
                }
            }
        }
        Map<String, Double> z = ActivationStats.zeroFractions(m, d, 16); // several batches incl. a partial one
        assertEquals(zeros / (double) (n * 6), z.get("relu1"), 1e-9);
    }
}
