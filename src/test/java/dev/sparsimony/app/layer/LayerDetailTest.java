package dev.sparsimony.app.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparsimony.engine.model.Node;
import dev.sparsimony.engine.model.Ops;
import dev.sparsimony.engine.model.Tensor;
import dev.sparsimony.engine.prune.StructureMap;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class LayerDetailTest {
    private static Node dense(float[] w, int nIn, int nOut) {
        return new Node("d", new Ops.Dense(Tensor.of(w, nIn, nOut), null), List.of("x"));
    }

    @Test
    void smallKernelIsDrawnCellByCellWithMaskAndHistogram() {
        float[] w0 = {0.5f, -1f, 0.1f, 2f, -0.2f, 0.05f};
        float[] w1 = {0.5f, -1f, 0f, 2f, 0f, 0f};
        LayerDetail d = LayerDetail.of(dense(w0, 2, 3), dense(w1, 2, 3));
        assertEquals(2, d.gridRows());
        assertEquals(3, d.gridCols());
        assertArrayEquals(new double[] {0, 1, 2}, d.x());
        assertArrayEquals(new double[] {0, 1}, d.y());
        assertArrayEquals(new double[] {0.5, -1, 0, 2, 0, 0}, d.weights());
        assertArrayEquals(new double[] {1, 1, 0, 1, 0, 0}, d.kept());
        assertEquals(2.0, d.zLimit());
        assertEquals(6, d.total());
        assertEquals(3, d.keptTotal());
        assertEquals(0.5, d.sparsity());
        assertEquals(3, Arrays.stream(d.keptCounts()).sum());
        assertEquals(3, Arrays.stream(d.prunedCounts()).sum());
        // pruned weights are binned at their original values: all three lie within 0.2 of zero
        for (int b = 0; b < LayerDetail.BINS; b++) {
            if (d.prunedCounts()[b] > 0) {
                assertEquals(0, d.binCentres()[b], 0.2 + 2.0 / LayerDetail.BINS);
            }
        }
    }

    @Test
    void largeKernelIsReducedBlockWiseKeepingTheStrongestValue() {
        int rows = 600;
        int cols = 3;
        float[] w0 = new float[rows * cols];
        Arrays.fill(w0, 0.1f);
        w0[4 * cols + 1] = -5f; // row 4 lies in grid row 1 (3 rows per grid row)
        float[] w1 = w0.clone();
        w1[0] = 0f;
        LayerDetail d = LayerDetail.of(dense(w0, rows, cols), dense(w1, rows, cols));
        assertEquals(3, d.rowStep());
        assertEquals(1, d.colStep());
        assertEquals(200, d.gridRows());
        assertEquals(-5.0, d.weights()[1 * cols + 1]);
        assertEquals(2.0 / 3, d.kept()[0], 1e-12);
        assertEquals(1.0, d.y()[0]); // centre of rows 0..2
    }

    @Test
    void convKernelIsSeenAsRowsByOutputChannels() {
        // [k1=2, k2=2, cIn=3, cOut=4] -> matrix [12, 4]
        float[] w = new float[2 * 2 * 3 * 4];
        Arrays.fill(w, 1f);
        Node conv = new Node("c", new Ops.Conv(Tensor.of(w, 2, 2, 3, 4), null, new int[] {1, 1},
                new int[] {1, 1}, new int[] {0, 0}, new int[] {0, 0}, 1,
                dev.sparsimony.engine.model.Layout.CHANNELS_LAST), List.of("x"));
        LayerDetail d = LayerDetail.of(conv, conv);
        assertEquals(12, d.rows());
        assertEquals(4, d.cols());
        assertEquals(0.0, d.sparsity());
    }

    @Test
    void touchingStructuresGetDifferentColours() {
        // 4x6 grid of 2x2 blocks: ids 0..5, three blocks per row of blocks
        int gr = 4;
        int gc = 6;
        int[] ids = new int[gr * gc];
        for (int r = 0; r < gr; r++) {
            for (int c = 0; c < gc; c++) {
                ids[r * gc + c] = (r / 2) * 3 + c / 2;
            }
        }
        int[] colour = LayerDetail.colours(ids, gr, gc, 6);
        for (int r = 0; r < gr; r++) {
            for (int c = 0; c < gc; c++) {
                int a = ids[r * gc + c];
                if (c + 1 < gc && ids[r * gc + c + 1] != a) {
                    assertNotEquals(colour[a], colour[ids[r * gc + c + 1]]);
                }
                if (r + 1 < gr && ids[(r + 1) * gc + c] != a) {
                    assertNotEquals(colour[a], colour[ids[(r + 1) * gc + c]]);
                }
            }
        }
    }

    @Test
    void structureCellsEncodeColourAndKeptState() {
        float[] w0 = {1, 2, 3, 4};
        float[] w1 = {0, 0, 3, 4};
        StructureMap rows = new StructureMap("rows", 2, 2, new int[] {0, 0, 1, 1}, 2);
        LayerDetail d = LayerDetail.of(dense(w0, 2, 2), dense(w1, 2, 2), rows);
        assertEquals("rows", d.granularity());
        int k = LayerDetail.STRUCTURE_COLOURS;
        assertTrue(d.structures()[0] < k, "row 0 pruned: light half of the scale");
        assertTrue(d.structures()[2] >= k, "row 1 kept: dark half");
        assertNotEquals(d.structures()[0] % k, d.structures()[2] % k);
    }
}
