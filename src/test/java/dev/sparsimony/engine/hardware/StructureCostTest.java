package dev.sparsimony.engine.hardware;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.model.Node;
import dev.sparsimony.engine.prune.StructureCost;
import dev.sparsimony.engine.prune.StructureMap;
import dev.sparsimony.engine.quantize.FixedPoint;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The knapsack's view must agree with the estimator: the savings of the pruned structures (their cost vectors
 * summed) equal the difference of two estimates, before and after pruning.
 */
class StructureCostTest {
    static final Device KU115 = FpgaModelTest.KU115;
    static final int N_IN = 64;
    static final int N_OUT = 32;
    static final FpgaParams P = FpgaParams.defaults();

    static float[] randomKernel(long seed) {
        Random r = new Random(seed);
        float[] k = new float[N_IN * N_OUT];
        for (int i = 0; i < k.length; i++) {
            k[i] = (float) (r.nextGaussian() * 0.5);
        }
        return k;
    }

    static double sum(double[] c, boolean[] pruned) {
        double s = 0;
        for (int i = 0; i < c.length; i++) {
            if (pruned[i]) {
                s += c[i];
            }
        }
        return s;
    }

    static boolean[] randomSubset(int count, long seed, double fraction) {
        Random r = new Random(seed);
        boolean[] b = new boolean[count];
        for (int i = 0; i < count; i++) {
            b[i] = r.nextDouble() < fraction;
        }
        return b;
    }

    static FpgaEstimate est(float[] k, LayerHwConfig lc) {
        HardwareConfig c = new HardwareConfig(lc, null, FixedPoint.of(16, 6), IoType.PARALLEL, 0, P, true);
        return FpgaModel.estimate(TestModels.singleDense(k, N_IN, N_OUT), c, KU115);
    }

    static void check(LayerHwConfig lc, StructureMap map, long seed) {
        check(lc, map, seed, true);
    }

    /**
     * @param bramExact false when the map is finer than a BRAM word group: several pruned structures can then free
     *                  a word together, which no per-structure vector can express; the vectors are a lower bound
     */
    static void check(LayerHwConfig lc, StructureMap map, long seed, boolean bramExact) {
        float[] k = randomKernel(seed);
        Node layer = TestModels.singleDense(k, N_IN, N_OUT).node("fc");
        int[] out = {1, N_OUT};
        StructureCost dsp = new DspCost(KU115, lc, FixedPoint.of(16, 6), P);
        StructureCost bram = new BramCost(KU115, lc, FixedPoint.of(16, 6), P);
        boolean[] pruned = randomSubset(map.count(), seed + 1, 0.4);
        FpgaEstimate before = est(k, lc);
        FpgaEstimate after = est(TestModels.prune(k, map, pruned), lc);
        double[] dc = dsp.costs(layer, out, map);
        double[] bc = bram.costs(layer, out, map);
        assertEquals(before.dsp() - after.dsp(), sum(dc, pruned), 1e-9, "DSP savings");
        if (bramExact) {
            assertEquals(before.bram18() - after.bram18(), sum(bc, pruned), 1e-9, "BRAM savings");
        } else {
            assertTrue(before.bram18() - after.bram18() >= sum(bc, pruned), "BRAM savings lower bound");
        }
        // and the vectors plus the fixed part reproduce the estimate itself
        assertEquals(before.dsp(), sum(dc, all(map.count())) + dsp.fixedCost(layer, out, map), 1e-9);
        assertEquals(before.bram18(), sum(bc, all(map.count())) + bram.fixedCost(layer, out, map), 1e-9);
    }

    static boolean[] all(int n) {
        boolean[] b = new boolean[n];
        java.util.Arrays.fill(b, true);
        return b;
    }

    @ParameterizedTest(name = "W{0} RF{1} {2}, pattern map")
    @CsvSource({"16, 8, RESOURCE", "18, 8, RESOURCE", "12, 4, UNROLLED", "8, 8, RESOURCE", "16, 1, RESOURCE"})
    void patternGranularity(int w, int rf, Strategy s) {
        LayerHwConfig lc = LayerHwConfig.of(FpgaModelTest.width(w), rf, s);
        check(lc, TestModels.patternMap(N_IN, N_OUT, rf), 11L * w + rf, false);
    }

    @ParameterizedTest(name = "W{0} RF{1}, BRAM group map of {2} patterns")
    @CsvSource({"18, 8, 2", "12, 8, 3", "8, 8, 9", "18, 16, 2", "12, 4, 3"})
    void bramGroupGranularity(int w, int rf, int cp) {
        LayerHwConfig lc = LayerHwConfig.of(FpgaModelTest.width(w), rf, Strategy.RESOURCE);
        check(lc, TestModels.groupMap(N_IN, N_OUT, rf, cp), 7L * w + rf);
    }

    @Test
    void latencyUnstructured() {
        check(LayerHwConfig.of(FixedPoint.of(16, 6), 1, Strategy.LATENCY), TestModels.unstructured(N_IN, N_OUT), 5);
        check(LayerHwConfig.of(FixedPoint.of(12, 4), 1, Strategy.LATENCY), TestModels.unstructured(N_IN, N_OUT), 6);
    }

    @Test
    void hls4mlSavingsPerStructure() {
        // hls4ml VivadoMultiObjectiveEstimator at W18, RF 8 with a group of 2 patterns: savings [2 DSP, 1 BRAM]
        LayerHwConfig lc = LayerHwConfig.of(FixedPoint.of(18, 8), 8, Strategy.RESOURCE);
        StructureMap map = TestModels.groupMap(N_IN, N_OUT, 8, 2);
        float[] k = TestModels.filled(N_IN * N_OUT, TestModels.HARD);
        Node layer = TestModels.singleDense(k, N_IN, N_OUT).node("fc");
        double[] d = new DspCost(KU115, lc, FixedPoint.of(16, 6), P).costs(layer, new int[] {1, N_OUT}, map);
        double[] b = new BramCost(KU115, lc, FixedPoint.of(16, 6), P).costs(layer, new int[] {1, N_OUT}, map);
        assertEquals(2.0, d[0]);
        assertEquals(1.0, b[0]);
        assertEquals(128, b.length);
        // at W16 no group fills a word: every column is fixed cost
        LayerHwConfig w16 = LayerHwConfig.of(FixedPoint.of(16, 6), 8, Strategy.RESOURCE);
        BramCost b16 = new BramCost(KU115, w16, FixedPoint.of(16, 6), P);
        StructureMap m5 = TestModels.groupMap(N_IN, N_OUT, 8, 5);
        assertArrayEquals(new double[m5.count()], b16.costs(layer, new int[] {1, N_OUT}, m5));
        assertEquals(114.0, b16.fixedCost(layer, new int[] {1, N_OUT}, m5));
    }

    @Test
    void jetModelLayerCostsSumToEstimate() {
        Model jet = TestModels.jetMlp(42);
        HardwareConfig c = HardwareConfig.hls4mlDefaults();
        FpgaEstimate e = FpgaModel.estimate(jet, c, KU115);
        double total = 0;
        for (Node n : jet.prunableNodes()) {
            int[] mn = FpgaModel.multSize(n.op());
            StructureMap map = TestModels.unstructured(mn[0], mn[1]);
            DspCost dc = new DspCost(KU115, c.defaults(), FixedPoint.of(16, 6), P);
            total += sum(dc.costs(n, new int[] {1, mn[1]}, map), all(map.count()))
                    + dc.fixedCost(n, new int[] {1, mn[1]}, map);
        }
        long kernelDsp = e.layers().stream().filter(l -> !l.strategy().isEmpty()).mapToLong(LayerEstimate::dsp).sum();
        assertEquals(kernelDsp, total, 1e-9);
    }

    @org.junit.jupiter.api.Test
    void compressionEngineGranularities() {
        // the granularity classes of engine.prune give the same structures as hls4ml's DSP pattern and BRAM block
        float[] k = randomKernel(3);
        Model m = TestModels.singleDense(k, N_IN, N_OUT);
        Node layer = m.node("fc");
        dev.sparsimony.engine.prune.LayerContext ctx = dev.sparsimony.engine.prune.LayerContext.of(m, layer)
                .withHardware(18, 8);
        StructureMap dspMap = new dev.sparsimony.engine.prune.DspPattern().structures(layer, ctx);
        StructureMap bramMap = new dev.sparsimony.engine.prune.BramBlock().structures(layer, ctx);
        assertArrayEquals(TestModels.patternMap(N_IN, N_OUT, 8).structureOf(), dspMap.structureOf());
        assertArrayEquals(TestModels.groupMap(N_IN, N_OUT, 8, 2).structureOf(), bramMap.structureOf());
        LayerHwConfig lc = LayerHwConfig.of(FixedPoint.of(18, 8), 8, Strategy.RESOURCE);
        check(lc, bramMap, 9);
        check(lc, dspMap, 10, false);
    }
}
