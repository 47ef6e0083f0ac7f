package dev.sparsimony.engine.transform;

import dev.sparsimony.engine.CompressFixtures;
import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.model.Ops;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DepthShrinkerTest {
    static float[] dense(float[] x, Ops.Dense d) {
        int a = d.nIn();
        int c = d.nOut();
        float[] y = new float[c];
        for (int j = 0; j < c; j++) {
            double s = d.bias() == null ? 0 : d.bias().data()[j];
            for (int i = 0; i < a; i++) {
                s += (double) x[i] * d.kernel().data()[i * c + j];
            }
            y[j] = (float) s;
        }
        return y;
    }

    @Test
    void mergeEqualsTheUnmergedLinearPair() {
        Model m = CompressFixtures.mlp(5, 16, 64, 32, 5);
        assertEquals(List.of(new DepthShrinker.Pair("dense1", "relu1", "dense2"),
                new DepthShrinker.Pair("dense2", "relu2", "dense3")), DepthShrinker.pairs(m));
        Model merged = DepthShrinker.merge(m, "dense1");
        assertFalse(merged.hasNode("dense1"));
        assertFalse(merged.hasNode("relu1"));
        assertEquals(List.of("x"), merged.node("dense2").inputs());
        Ops.Dense d1 = (Ops.Dense) m.node("dense1").op();
        Ops.Dense d2 = (Ops.Dense) m.node("dense2").op();
        Ops.Dense d = (Ops.Dense) merged.node("dense2").op();
        Random r = new Random(1);
        for (int t = 0; t < 20; t++) {
            float[] x = new float[16];
            for (int i = 0; i < 16; i++) {
                x[i] = (float) r.nextGaussian();
            }
            float[] expected = dense(dense(x, d1), d2); // the pair without its activation
            float[] got = dense(x, d);
            for (int j = 0; j < expected.length; j++) {
                assertEquals(expected[j], got[j], 1e-4 * (1 + Math.abs(expected[j])));
            }
        }
        Model both = DepthShrinker.merge(m, List.of("dense1", "dense2"));
        assertEquals(1, both.prunableNodes().size());
        assertEquals(List.of("dense3"), both.outputs());
    }

    @Test
    void rejectsLayersWithoutAPair() {
        Model m = CompressFixtures.mlp(5, 16, 8, 5);
        assertThrows(ModelException.class, () -> DepthShrinker.merge(m, "dense2"));
        assertThrows(ModelException.class, () -> DepthShrinker.merge(m, "relu1"));
        assertThrows(ModelException.class, () -> DepthShrinker.merge(m, "nope"));
    }
}
