package dev.sparsimony.engine.hardware;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparsimony.engine.model.ActivationKind;
import dev.sparsimony.engine.model.Layout;
import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.model.Node;
import dev.sparsimony.engine.model.Ops;
import dev.sparsimony.engine.model.Tensor;
import dev.sparsimony.engine.model.ValueInfo;
import dev.sparsimony.engine.quantize.FixedPoint;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The version-dependent and width-dependent rules of issue 12, each on a case worked out by hand. */
class Hls4mlRulesTest {
    static final Device VU9P = DeviceCatalogue.builtIn().get("xcvu9p");
    static final Hls4mlVersion V04 = Hls4mlVersion.parse("0.4.0");
    static final Hls4mlVersion V05 = Hls4mlVersion.parse("0.5.0");

    static FpgaEstimate dense(float[] k, int nIn, int nOut, HardwareConfig c) {
        return FpgaModel.estimate(TestModels.singleDense(k, nIn, nOut), c, VU9P);
    }

    static HardwareConfig cfg(FixedPoint p, int rf, Strategy s, Hls4mlVersion v) {
        return HardwareConfig.of(p, rf, s, IoType.PARALLEL, 0).withVersion(v);
    }

    /** 2048 cheap constants (0.5 = a power of two) with 100 that need a multiplier (341/1024: 5 CSD digits). */
    static float[] mostlyCheap() {
        float[] k = TestModels.filled(64 * 32, 0.5f);
        for (int i = 0; i < 100; i++) {
            k[i] = TestModels.HARD;
        }
        return k;
    }

    @Test
    void latencyStrategyAtReuseFactorFourFoldsConstantsSinceV05() {
        FixedPoint p = FixedPoint.of(16, 6);
        // v0.5+: product is inlined, the constants are folded; multiplier_limit = 2048/4 = 512 only caps: 100 DSPs
        assertEquals(100, dense(mostlyCheap(), 64, 32, cfg(p, 4, Strategy.LATENCY, V05)).dsp());
        assertEquals(100, dense(mostlyCheap(), 64, 32, cfg(p, 4, Strategy.LATENCY, Hls4mlVersion.LATEST)).dsp());
        // v0.4: product is 'inline off', every product a multiplier: the limit, 512 16x16 DSPs
        assertEquals(512, dense(mostlyCheap(), 64, 32, cfg(p, 4, Strategy.LATENCY, V04)).dsp());
        // ... and at RF 1 as well (v0.4: n - zeros = 2048)
        assertEquals(2048, dense(mostlyCheap(), 64, 32, cfg(p, 1, Strategy.LATENCY, V04)).dsp());
        // all 2048 constants need a multiplier: the limit binds at 512 (the tutorial's output layer: 106 -> 80
        // DSPs from RF 1 to RF 2, its limit 160 / 2)
        assertEquals(512, dense(TestModels.filled(2048, TestModels.HARD), 64, 32,
                cfg(p, 4, Strategy.LATENCY, V05)).dsp());
    }

    @Test
    void multiplierLimitCountsZerosOnTheFloatWeights() {
        FixedPoint p = FixedPoint.of(16, 6);
        // 512 weights of 1e-4: below one LSB (2^-10), so their code is 0, but hls4ml's n_zeros counts the float
        // array (model/types.py: np.count_nonzero): v0.4 limit = 2048/4 - 0/4 = 512
        float[] tiny = TestModels.filled(2048, TestModels.HARD);
        for (int i = 0; i < 512; i++) {
            tiny[i] = 1e-4f;
        }
        assertEquals(512, dense(tiny, 64, 32, cfg(p, 4, Strategy.LATENCY, V04)).dsp());
        // the same positions exactly zero: 512 - 512/4 = 384
        float[] zero = tiny.clone();
        for (int i = 0; i < 512; i++) {
            zero[i] = 0f;
        }
        assertEquals(384, dense(zero, 64, 32, cfg(p, 4, Strategy.LATENCY, V04)).dsp());
    }

    @Test
    void dspOrLutByBothOperandWidths() {
        // weight 21/32 in ap_fixed<6,1>: code 21 = 10101, three CSD digits, five bits wide
        FixedPoint w6 = FixedPoint.of(6, 1);
        float[] k = TestModels.filled(64 * 32, 21f / 32f);
        LayerHwConfig lc = new LayerHwConfig(w6, w6, FixedPoint.of(16, 6), 1, Strategy.LATENCY);
        // 16-bit data: a 16 x 5-bit constant product takes a DSP (QKeras first layers: 16-bit inputs)
        HardwareConfig wide = new HardwareConfig(lc, null, FixedPoint.of(16, 6), IoType.PARALLEL, 0,
                FpgaParams.defaults(), false);
        assertEquals(2048, dense(k, 64, 32, wide).dsp());
        // 6-bit data (a quantized_relu(6) before it): 6 x 5 bits stays in LUTs
        HardwareConfig narrow = wide.withInput(new FixedPoint(6, 0, false, FixedPoint.Rounding.CONVERGENT,
                FixedPoint.Overflow.SATURATE));
        FpgaEstimate n = dense(k, 64, 32, narrow);
        assertEquals(0, n.dsp());
        // ... as shift-and-add: (3 - 1) adders of 6 + 5 bits per constant
        assertEquals(2048 * 2 * (6 + 5), n.layers().get(0).terms().get(CostTerms.Lut.CONST_ADDERS), 1e-9);
        // generic (Resource) multipliers: 16 x 6 -> DSP, 6 x 6 -> LUT
        assertEquals(2048 / 4, dense(k, 64, 32, wide.withDefaults(lc.withStrategy(Strategy.RESOURCE)
                .withReuseFactor(4))).dsp());
        assertEquals(0, dense(k, 64, 32, narrow.withDefaults(lc.withStrategy(Strategy.RESOURCE)
                .withReuseFactor(4))).dsp());
    }

    @Test
    void unrolledExcludesTheLargestReuseFactor() {
        HardwareConfig c = cfg(FixedPoint.of(16, 6), 2048, Strategy.UNROLLED, Hls4mlVersion.LATEST);
        FpgaEstimate e = dense(TestModels.filled(2048, TestModels.HARD), 64, 32, c);
        // RF = n_in * n_out is valid for Resource but not for unrolled (include_max_rf=False): the next is 1024
        assertEquals(1024, e.layers().get(0).reuseFactor());
        assertTrue(e.notes().get(0).contains("the unrolled strategy excludes RF = n_in*n_out"), e.notes().toString());
        assertEquals(2048, dense(TestModels.filled(2048, TestModels.HARD), 64, 32, cfg(FixedPoint.of(16, 6), 2048,
                Strategy.RESOURCE, Hls4mlVersion.LATEST)).layers().get(0).reuseFactor());
        ModelException ex = assertThrows(ModelException.class, () -> dense(TestModels.filled(2048, 1f), 64, 32,
                c.withStrictReuse(true)));
        assertTrue(ex.getMessage().contains("excludes RF = n_in*n_out"), ex.getMessage());
        // before v1.0.0 there is no unrolled strategy: Latency
        FpgaEstimate old = dense(TestModels.filled(2048, TestModels.HARD), 64, 32, cfg(FixedPoint.of(16, 6), 4,
                Strategy.UNROLLED, V05));
        assertEquals("latency", old.layers().get(0).strategy());
    }

    @Test
    void latencyAndRegistersPerLayer() {
        Model m = TestModels.jetMlp(2);
        FpgaEstimate e = FpgaModel.estimate(m, HardwareConfig.hls4mlDefaults(), VU9P);
        LayerEstimate relu = e.layers().get(1);
        // ReLU is combinational: no cycle, no register inside it (the tutorial's Vitis report: 0 cycles, 0 FF)
        assertEquals(0, relu.latencyCycles());
        assertEquals(0, relu.ff());
        // fc2: DSP (2 ns) + 7 adder levels (64 products + bias) x 0.5 ns = 5.5 ns > 4.375 usable: one cut
        assertEquals(1, e.layers().get(2).latencyCycles());
        // stable softmax of 5: two ROM reads + max and sum trees (3 levels each, 3 ns) + a 2 ns product: 4 cycles
        assertEquals(4, e.layers().get(7).latencyCycles());
        // one register stage after each of the 4 dense layers
        assertEquals(4, e.topLatency());
        assertEquals(e.layers().stream().mapToLong(LayerEstimate::latencyCycles).sum() + 4, e.latencyCycles());
        // v0.5: softmax follows the Latency strategy (softmax_latency): one read, the sum tree and product (3.5 ns
        // fit one period), the inverse read: 2 cycles
        FpgaEstimate v05 = FpgaModel.estimate(m, HardwareConfig.hls4mlDefaults().withVersion(V05), VU9P);
        assertEquals(2, v05.layers().get(7).latencyCycles());
        assertTrue(v05.layers().get(7).note().startsWith("latency softmax"), v05.layers().get(7).note());
    }

    @Test
    void softmaxTableLimitedToTheInputWidthSinceV081() {
        Model m = new Model("s", List.of(new ValueInfo("x", new int[] {-1, 5})),
                List.of(new Node("sm", new Ops.Softmax(-1, false), List.of("x"))), List.of("sm"));
        HardwareConfig c8 = HardwareConfig.of(FixedPoint.of(8, 3), 1, Strategy.LATENCY, IoType.PARALLEL, 0);
        // 8-bit input: 2^min(8, 18) = 256 entries (fix_softmax_table_size.py)
        assertTrue(FpgaModel.estimate(m, c8, VU9P).layers().get(0).note().contains("table limited to 256 entries"));
        // v0.8.0 keeps 1024
        assertTrue(FpgaModel.estimate(m, c8.withVersion(Hls4mlVersion.parse("0.8.0")), VU9P).layers().get(0).note()
                .contains("1024x18"));
    }

    @Test
    void streamFifosGoToBlockRamBeyondTheirSize() {
        // conv 3x3, 4 -> 8 channels on 32x32: its output stream holds 30x30 = 900 pixels per channel FIFO
        Ops.Conv conv = new Ops.Conv(Tensor.of(TestModels.filled(3 * 3 * 4 * 8, 0.25f), 3, 3, 4, 8), null,
                new int[] {1, 1}, new int[] {1, 1}, new int[] {0, 0}, new int[] {0, 0}, 1, Layout.CHANNELS_LAST);
        Model m = new Model("c", List.of(new ValueInfo("x", new int[] {-1, 32, 32, 4})),
                List.of(new Node("conv", conv, List.of("x")),
                        new Node("relu", Ops.Activation.of(ActivationKind.RELU), List.of("conv"))), List.of("relu"));
        HardwareConfig s = HardwareConfig.of(FixedPoint.of(16, 6), 1, Strategy.LATENCY, IoType.STREAM, 0);
        LayerEstimate c = FpgaModel.estimate(m, s, VU9P).layers().get(0);
        // 8 FIFOs of 900 x 16 bits = 14,400 bits each: one BRAM18 apiece
        assertEquals(8, c.bram18());
        assertEquals(8, c.terms().fifoBram());
        assertTrue(c.note().contains("8 FIFOs 900x16 in BRAM"), c.note());
        // the last layer's output is a port, not a FIFO
        assertEquals(0, FpgaModel.estimate(m, s, VU9P).layers().get(1).bram18());
    }
}
