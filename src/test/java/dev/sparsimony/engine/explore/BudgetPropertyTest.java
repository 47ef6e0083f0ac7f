package dev.sparsimony.engine.explore;

import dev.sparsimony.engine.CompressFixtures;
import dev.sparsimony.engine.data.Dataset;
import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.model.Tensor;
import dev.sparsimony.engine.quantize.QuantizerSpec;
import net.jqwik.api.ForAll;
import net.jqwik.api.statistics.Histogram;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A knapsack budget on DSP, BRAM or LUT, as a fraction of the unpruned design, gives a design whose hardware
 * estimate with the same settings shows at most that fraction, over budgets, devices, strategies, reuse factors,
 * weight widths and granularities.
 */
class BudgetPropertyTest {
    static Model mlp;
    static DesignPointEvaluator ev;

    @BeforeContainer
    static void setUp() {
        mlp = CompressFixtures.mlp(21, 16, 32, 24, 5);
        Random r = new Random(3);
        int n = 40;
        float[] x = new float[n * 16];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = r.nextInt(5);
        }
        ev = new DesignPointEvaluator(mlp, new Dataset("val", Tensor.of(x, n, 16), labels));
    }

    @AfterContainer
    static void tearDown() {
        ev.close();
    }

    @Property(tries = 120)
    @StatisticsReport(format = Histogram.class)
    void hardwareBudgetIsRespectedByTheEstimate(@ForAll @DoubleRange(min = 0.02, max = 1) double budget,
                                               @ForAll @IntRange(min = 0, max = 2) int res,
                                               @ForAll @IntRange(min = 0, max = 3) int dev,
                                               @ForAll @IntRange(min = 0, max = 2) int strat,
                                               @ForAll @IntRange(min = 0, max = 3) int rfi,
                                               @ForAll @IntRange(min = 0, max = 3) int bitsi,
                                               @ForAll @IntRange(min = 0, max = 3) int gi) {
        String resource = List.of("DSP", "BRAM", "LUT").get(res);
        String device = List.of("xcvu9p", "xcku115", "xc7z020", "xczu9eg").get(dev);
        String strategy = List.of("latency", "resource", "unrolled").get(strat);
        int rf = List.of(1, 2, 4, 8).get(rfi);
        int bits = List.of(6, 9, 12, 18).get(bitsi);
        String gran = List.of("dsp-pattern", "bram-block", "rows", "block").get(gi);
        HardwareSpec hw = new HardwareSpec(device, strategy, rf, "parallel", null, null, null);
        QuantizerSpec w = QuantizerSpec.fixed(bits, 2);
        DesignPoint unpruned = DesignPoint.of(PruneSpec.none()).withQuantizers(w, null, null).withHardware(hw);
        double total = total(ev.evaluate(unpruned), resource);
        DesignPoint p = DesignPoint.of(PruneSpec.knapsack(gran, null, "l2", Map.of(resource, budget), true, null))
                .withQuantizers(w, null, null).withHardware(hw);
        DesignResult r;
        try {
            r = ev.evaluate(p);
        } catch (ModelException e) {
            // a budget below what no pruning can remove is refused, and says so
            assertTrue(e.getMessage().contains("cannot be reached"), e.getMessage());
            Statistics.collect("unreachable");
            return;
        }
        Statistics.collect(total(r, resource) < total ? "pruned" : "nothing to prune");
        Statistics.coverage(c -> c.check("pruned").percentage(x -> x >= 30));
        double used = total(r, resource);
        assertTrue(used <= budget * total + 1e-6, resource + " " + used + " > " + budget + " x " + total + " for "
                + DesignPointCodec.writeCompact(p));
    }

    @Property(tries = 40)
    void absoluteAndDeviceBudgets(@ForAll @IntRange(min = 0, max = 3000) int dsp, @ForAll @IntRange(min = 0, max = 3) int dev) {
        String device = List.of("xcvu9p", "xcku115", "xc7z020", "xczu9eg").get(dev);
        HardwareSpec hw = new HardwareSpec(device, "resource", 2, null, null, null, null);
        QuantizerSpec w = QuantizerSpec.fixed(16, 6);
        DesignPoint abs = DesignPoint.of(new PruneSpec("dsp-pattern", null, "l1", "knapsack", null,
                Map.of("DSP", (double) dsp), "absolute", null)).withQuantizers(w, null, null).withHardware(hw);
        try {
            assertTrue(ev.evaluate(abs).hardware().dsp() <= dsp);
        } catch (ModelException e) {
            assertTrue(e.getMessage().contains("cannot be reached"), e.getMessage());
        }
        DesignPoint ofDevice = DesignPoint.of(new PruneSpec("dsp-pattern", null, "l1", "knapsack", null,
                Map.of("DSP", 0.01), "device", null)).withQuantizers(w, null, null).withHardware(hw);
        DesignResult r = ev.evaluate(ofDevice);
        assertTrue(r.hardware().dsp() <= 0.01 * r.hardware().device().dsp());
    }

    static double total(DesignResult r, String resource) {
        return switch (resource) {
            case "DSP" -> r.hardware().dsp();
            case "BRAM" -> r.hardware().bram18();
            default -> r.hardware().lut();
        };
    }
}
