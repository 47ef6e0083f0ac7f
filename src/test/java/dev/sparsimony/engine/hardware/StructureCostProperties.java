package dev.sparsimony.engine.hardware;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.model.Node;
import dev.sparsimony.engine.prune.BramBlock;
import dev.sparsimony.engine.prune.LayerContext;
import dev.sparsimony.engine.prune.StructureMap;
import dev.sparsimony.engine.quantize.FixedPoint;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * For any layer shape, valid reuse factor and weight width, pruning any set of BRAM-block structures saves exactly
 * what DspCost and BramCost promised.
 */
class StructureCostProperties {
    record Case(int nIn, int nOut, int rf, int width, long seed) {
    }

    @Provide
    Arbitrary<Case> cases() {
        return Combinators.combine(Arbitraries.integers().between(2, 40), Arbitraries.integers().between(1, 24),
                Arbitraries.integers().between(0, 1000), Arbitraries.integers().between(4, 20),
                Arbitraries.longs()).as((nIn, nOut, pick, w, seed) -> {
                    List<Integer> valid = ReuseFactors.valid(nIn, nOut);
                    int rf = valid.get(pick % valid.size());
                    return new Case(nIn, nOut, rf, w, seed);
                });
    }

    @Property(tries = 150)
    void knapsackSavingsEqualEstimateDifference(@ForAll("cases") Case c) {
        Random r = new Random(c.seed());
        float[] k = new float[c.nIn() * c.nOut()];
        for (int i = 0; i < k.length; i++) {
            k[i] = (float) (r.nextGaussian() * 0.5);
        }
        Model m = TestModels.singleDense(k, c.nIn(), c.nOut());
        Node layer = m.node("fc");
        LayerContext ctx = LayerContext.of(m, layer).withHardware(c.width(), c.rf());
        StructureMap map = new BramBlock().structures(layer, ctx);
        LayerHwConfig lc = LayerHwConfig.of(FixedPoint.of(c.width(), Math.min(c.width(), 4)), c.rf(),
                Strategy.RESOURCE);
        Device dev = DeviceCatalogue.builtIn().get("xcvu9p");
        FpgaParams p = FpgaParams.defaults();
        FixedPoint data = FixedPoint.of(16, 6);
        double[] dsp = new DspCost(dev, lc, data, p).costs(layer, new int[] {1, c.nOut()}, map);
        double[] bram = new BramCost(dev, lc, data, p).costs(layer, new int[] {1, c.nOut()}, map);
        boolean[] pruned = new boolean[map.count()];
        double dspSaved = 0;
        double bramSaved = 0;
        for (int s = 0; s < pruned.length; s++) {
            pruned[s] = r.nextBoolean();
            if (pruned[s]) {
                dspSaved += dsp[s];
                bramSaved += bram[s];
            }
        }
        HardwareConfig hc = new HardwareConfig(lc, null, data, IoType.PARALLEL, 0, p, true);
        FpgaEstimate before = FpgaModel.estimate(m, hc, dev);
        FpgaEstimate after = FpgaModel.estimate(TestModels.singleDense(TestModels.prune(k, map, pruned), c.nIn(),
                c.nOut()), hc, dev);
        assertEquals(before.dsp() - after.dsp(), dspSaved, 1e-9, c.toString());
        assertEquals(before.bram18() - after.bram18(), bramSaved, 1e-9, c.toString());
    }
}
