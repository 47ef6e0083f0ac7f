package dev.sparsimony.engine.prune;

import dev.sparsimony.engine.CompressFixtures;
import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.model.Node;
import org.junit.jupiter.api.Test;

import java.util.BitSet;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PruningTest {
    private final Model mlp = CompressFixtures.mlp(1, 16, 64, 32, 32, 5);

    @Test
    void globalMagnitudeZeroesTheSmallestFraction() {
        Model p = Pruning.globalMagnitude(mlp, 0.7);
        int total = 0;
        for (Node n : mlp.prunableNodes()) {
            total += KernelView.kernel(n).size();
        }
        assertEquals(Math.round(0.7 * total) / (double) total, p.kernelSparsity(), 1e-12);
        // every kept |w| >= every pruned |w|
        float maxPruned = 0;
        float minKept = Float.MAX_VALUE;
        for (Node n : mlp.prunableNodes()) {
            float[] o = KernelView.kernel(n).data();
            float[] q = KernelView.kernel(p.node(n.name())).data();
            for (int i = 0; i < o.length; i++) {
                if (q[i] == 0) {
                    maxPruned = Math.max(maxPruned, Math.abs(o[i]));
                } else {
                    assertEquals(o[i], q[i]);
                    minKept = Math.min(minKept, Math.abs(o[i]));
                }
            }
            assertArrayEquals(n.op().weights().get("bias").data(), p.node(n.name()).op().weights().get("bias").data());
        }
        assertTrue(maxPruned <= minKept);
    }

    @Test
    void masksMatchTheModelAndBitMasks() {
        Map<String, boolean[]> m = Pruning.mask(mlp, 0.5);
        Map<String, BitSet> b = Pruning.bitMask(mlp, 0.5);
        assertEquals(mlp.prunableNodes().size(), m.size());
        Model p = Pruning.globalMagnitude(mlp, 0.5);
        for (Node n : mlp.prunableNodes()) {
            boolean[] keep = m.get(n.name());
            float[] q = KernelView.kernel(p.node(n.name())).data();
            for (int i = 0; i < keep.length; i++) {
                assertEquals(keep[i], q[i] != 0f);
                assertEquals(keep[i], b.get(n.name()).get(i));
            }
        }
    }

    @Test
    void extremesAndLayerMask() {
        assertEquals(0.0, Pruning.globalMagnitude(mlp, 0).kernelSparsity());
        assertEquals(1.0, Pruning.globalMagnitude(mlp, 1).kernelSparsity());
        boolean[] k = Pruning.mask(new float[] {0.5f, -0.1f, 0.3f, -0.9f}, 0.5);
        assertArrayEquals(new boolean[] {true, false, false, true}, k);
        for (boolean[] l : Pruning.layerMask(mlp, 0.25).values()) {
            assertEquals(Math.round(0.25 * l.length) / (double) l.length, Pruning.sparsity(l), 1e-12);
        }
    }

    @Test
    void rejectsBadSparsity() {
        ModelException e = assertThrows(ModelException.class, () -> Pruning.globalMagnitude(mlp, 1.5));
        assertTrue(e.getMessage().contains("sparsity"));
        assertThrows(ModelException.class, () -> Pruning.mask(mlp, Double.NaN));
    }
}
