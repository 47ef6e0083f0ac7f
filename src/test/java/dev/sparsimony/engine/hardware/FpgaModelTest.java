package dev.sparsimony.engine.hardware;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.quantize.FixedPoint;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Hand-computed cases for every DSP/BRAM rule on a 64x32 Dense (n = 2048 weights). */
class FpgaModelTest {
    static final Device KU115 = DeviceCatalogue.builtIn().get("xcku115");
    static final int N_IN = 64;
    static final int N_OUT = 32;

    static FpgaEstimate estimate(float[] kernel, FixedPoint p, int rf, Strategy s) {
        Model m = TestModels.singleDense(kernel, N_IN, N_OUT);
        return FpgaModel.estimate(m, HardwareConfig.of(p, rf, s, IoType.PARALLEL, 0), KU115);
    }

    static FixedPoint width(int w) {
        // integer bits chosen so that the LSB is 2^-10 where possible (w - i = 10)
        return switch (w) {
            case 6 -> FixedPoint.of(6, 1);
            case 8 -> FixedPoint.of(8, 3);
            case 12 -> FixedPoint.of(12, 2);
            case 16 -> FixedPoint.of(16, 6);
            case 18 -> FixedPoint.of(18, 8);
            default -> throw new IllegalArgumentException();
        };
    }

    @ParameterizedTest(name = "W{0} RF{1} {2}: {3} DSP")
    @CsvSource({
        // Latency RF 1: one DSP per constant that needs a multiplier; under 9 bits: LUT multipliers, no DSP
        "16, 1, LATENCY, 2048", "18, 1, LATENCY, 2048", "8, 1, LATENCY, 0", "6, 1, LATENCY, 0",
        // Latency RF>1: multiplier_limit = ceil(2048/RF)
        "16, 4, LATENCY, 512", "16, 8, LATENCY, 256", "18, 4, LATENCY, 512", "8, 8, LATENCY, 0",
        // Resource: block_factor = 2048/RF multipliers
        "16, 1, RESOURCE, 2048", "16, 4, RESOURCE, 512", "16, 8, RESOURCE, 256", "18, 8, RESOURCE, 256",
        "6, 4, RESOURCE, 0", "8, 4, UNROLLED, 0", "16, 8, UNROLLED, 256"})
    void denseDsp(int w, int rf, Strategy s, long dsp) {
        assertEquals(dsp, estimate(TestModels.filled(N_IN * N_OUT, TestModels.HARD), width(w), rf, s).dsp());
    }

    /** Input rows 0..15 pruned: 512 zero weights. */
    static float[] zeroRows() {
        float[] k = TestModels.filled(N_IN * N_OUT, TestModels.HARD);
        for (int i = 0; i < 16; i++) {
            for (int o = 0; o < N_OUT; o++) {
                k[i * N_OUT + o] = 0;
            }
        }
        return k;
    }

    @ParameterizedTest(name = "zero rows, RF{0} {1}: {2} DSP")
    @CsvSource({
        "1, LATENCY, 1536",   // 2048 - 512 zero constants
        "4, LATENCY, 384",    // 512 - 512/4
        "8, LATENCY, 192",    // 256 - 512/8
        "4, RESOURCE, 384",   // each output: patterns i in [4q,4q+4), q = 0..3 zero -> 512 - 4*32
        "8, RESOURCE, 192",   // q = 0,1 zero -> 256 - 2*32
        "8, UNROLLED, 192"})
    void zeroRowsDsp(int rf, Strategy s, long dsp) {
        assertEquals(dsp, estimate(zeroRows(), width(16), rf, s).dsp());
    }

    @Test
    void patternPruningSavesOneDspPerPattern() {
        float[] k = TestModels.filled(N_IN * N_OUT, TestModels.HARD);
        // zero patterns 0..9 at RF 8: transposed positions 0..79 = output 0 (all 64 inputs) and output 1, inputs 0..15
        for (int t = 0; t < 80; t++) {
            int o = t / N_IN;
            int i = t % N_IN;
            k[i * N_OUT + o] = 0;
        }
        assertEquals(246, estimate(k, width(16), 8, Strategy.RESOURCE).dsp());
        assertEquals(246, estimate(k, width(16), 8, Strategy.UNROLLED).dsp());
        // a pattern with one weight left keeps its multiplier
        k[5 * N_OUT] = TestModels.HARD; // input 5, output 0 -> pattern 0
        assertEquals(247, estimate(k, width(16), 8, Strategy.RESOURCE).dsp());
    }

    @Test
    void cheapConstantsUseNoDspOnlyWhenTheToolSeesThem() {
        // 0.5 = code 512 (power of two), 17/1024 = code 17 (CSD 10001: two digits -> one adder)
        float[] k = TestModels.filled(N_IN * N_OUT, 0.5f);
        for (int i = 0; i < 100; i++) {
            k[i] = 17f / 1024f;
        }
        for (int i = 100; i < 150; i++) {
            k[i] = TestModels.HARD;
        }
        assertEquals(50, estimate(k, width(16), 1, Strategy.LATENCY).dsp());
        // Resource strategy reads weights from a ROM: no constant folding
        assertEquals(2048, estimate(k, width(16), 1, Strategy.RESOURCE).dsp());
        // digit threshold is adjustable: 1 digit -> only powers of two are free
        Model m = TestModels.singleDense(k, N_IN, N_OUT);
        HardwareConfig c = HardwareConfig.of(width(16), 1, Strategy.LATENCY, IoType.PARALLEL, 0)
                .withParams(FpgaParams.defaults().withMaxCsdDigitsInFabric(1));
        assertEquals(150, FpgaModel.estimate(m, c, KU115).dsp());
        // ... but a constant narrower than the device's DSP threshold (5 bits) stays in LUTs whatever its digits:
        // code 3 is 2 bits wide (Vitis HLS logs no mul core below 5-bit constants)
        for (int i = 0; i < 100; i++) {
            k[i] = 3f / 1024f;
        }
        assertEquals(50, FpgaModel.estimate(TestModels.singleDense(k, N_IN, N_OUT), c, KU115).dsp());
        // weights quantizing to zero (below one LSB with truncation toward zero for positives) are removed
        float[] tiny = TestModels.filled(N_IN * N_OUT, 0.0005f);
        assertEquals(0, estimate(tiny, width(16), 1, Strategy.LATENCY).dsp());
    }

    @ParameterizedTest(name = "W{0}: {1} BRAM18, pruning group 0 -> {2}")
    @CsvSource({
        // RF 8: block_factor 256 patterns, ROM depth 8 (one BRAM18 per 36-bit column)
        "18, 128, 127",   // ceil(256*18/36) = 128; 2 patterns fill 36 bits exactly
        "12, 86, 85",     // ceil(256*12/36) = 86; 3 patterns fill 36 bits
        "8, 57, 55",      // ceil(256*8/36) = 57; 9 patterns fill 72 bits = 2 columns
        "16, 114, 114"})  // ceil(256*16/36) = 114; 5 patterns = 80 bits: no exact fill, hls4ml saves nothing
    void bramGrouping(int w, long before, long after) {
        float[] k = TestModels.filled(N_IN * N_OUT, TestModels.HARD);
        assertEquals(before, estimate(k, width(w), 8, Strategy.RESOURCE).bram18());
        KernelModel km = new KernelModel(k, N_IN, N_OUT, LayerHwConfig.of(width(w), 8, Strategy.RESOURCE), 16,
                KU115, FpgaParams.defaults());
        int cp = Math.max(1, km.patternsPerGroup());
        float[] pruned = TestModels.prune(k, TestModels.groupMap(N_IN, N_OUT, 8, cp), only(0, 2048));
        assertEquals(after, estimate(pruned, width(w), 8, Strategy.RESOURCE).bram18());
    }

    @Test
    void straddlingPatternsFreeNoBram() {
        float[] k = TestModels.filled(N_IN * N_OUT, TestModels.HARD);
        // W18: group 0 = patterns 0,1; zero patterns 1,2 instead
        float[] pruned = TestModels.prune(k, TestModels.patternMap(N_IN, N_OUT, 8), pick(256, 1, 2));
        assertEquals(128, estimate(pruned, width(18), 8, Strategy.RESOURCE).bram18());
        assertEquals(254, estimate(pruned, width(18), 8, Strategy.RESOURCE).dsp());
    }

    @Test
    void latencyAndRfOneUseNoBram() {
        float[] k = TestModels.filled(N_IN * N_OUT, TestModels.HARD);
        assertEquals(0, estimate(k, width(18), 8, Strategy.LATENCY).bram18());
        assertEquals(0, estimate(k, width(18), 1, Strategy.RESOURCE).bram18());
    }

    @Test
    void deepRomsStackBram18() {
        // 64x32 at RF 1024 (>= n_in, multiple of 64): block_factor 2, ROM depth 1024 = 2 BRAM18 per 36-bit column
        float[] k = TestModels.filled(N_IN * N_OUT, TestModels.HARD);
        FpgaEstimate e = estimate(k, width(18), 1024, Strategy.RESOURCE);
        assertEquals(2, e.dsp());
        assertEquals(2, e.bram18()); // ceil(2*18/36) = 1 column x 2
    }

    @Test
    void reuseFactorValidityAsHls4ml() {
        assertTrue(ReuseFactors.isValid(64, 32, 8));
        assertTrue(ReuseFactors.isValid(64, 32, 128));
        assertFalse(ReuseFactors.isValid(64, 32, 3));
        assertFalse(ReuseFactors.isValid(64, 32, 96));
        assertEquals(List.of(2, 4), ReuseFactors.neighbours(ReuseFactors.valid(64, 32), 3));
        // 16x64 (jet fc1): RF 3 is invalid, 4 valid; hls4ml picks the smaller of equally close values
        assertEquals(2, ReuseFactors.closest(ReuseFactors.valid(64, 32), 3));
        // hls4ml replaces an invalid RF and says so; strict mode rejects it
        float[] k = TestModels.filled(N_IN * N_OUT, TestModels.HARD);
        FpgaEstimate e = estimate(k, width(16), 3, Strategy.RESOURCE);
        assertEquals(1024, e.dsp());
        assertTrue(e.notes().get(0).contains("nearest valid 2 or 4"), e.notes().toString());
        Model m = TestModels.singleDense(k, N_IN, N_OUT);
        HardwareConfig strict = HardwareConfig.of(width(16), 3, Strategy.RESOURCE, IoType.PARALLEL, 0)
                .withStrictReuse(true);
        ModelException ex = assertThrows(ModelException.class, () -> FpgaModel.estimate(m, strict, KU115));
        assertEquals("reuse factor 3 is not valid for layer 'fc' (64x32); nearest valid: 2 or 4", ex.getMessage());
    }

    @Test
    void latencyAndInterval() {
        float[] k = TestModels.filled(N_IN * N_OUT, TestModels.HARD);
        // 200 MHz, 12.5 % uncertainty: 4.375 ns usable. DSP product 2 ns + (64 products + bias = 65 -> 7 adder
        // levels) x 0.5 ns = 5.5 ns -> one register cut: the layer takes 1 cycle (the tutorial's 16-bit dense
        // layers report 1), the top level registers its output: 1 more
        FpgaEstimate e = estimate(k, width(16), 1, Strategy.LATENCY);
        assertEquals(1, e.layers().get(0).latencyCycles());
        assertEquals(1, e.topLatency());
        assertEquals(2, e.latencyCycles());
        assertEquals(1, e.intervalCycles());
        assertEquals(10.0, e.latencyNs(), 1e-9);
        // RF 4 (Latency, v0.5+): the folded constants keep the same logic, a new input every 4 cycles (the
        // tutorial's RF 2 build: every dense layer still 1 cycle, interval 2); v0.4 shares multipliers: 3 more
        FpgaEstimate e4 = estimate(k, width(16), 4, Strategy.LATENCY);
        assertEquals(2, e4.latencyCycles());
        assertEquals(4, e4.intervalCycles());
        Model m = TestModels.singleDense(k, N_IN, N_OUT);
        assertEquals(5, FpgaModel.estimate(m, HardwareConfig.of(width(16), 4, Strategy.LATENCY, IoType.PARALLEL, 0)
                .withVersion(Hls4mlVersion.parse("0.4.0")), KU115).latencyCycles());
        FpgaEstimate r = estimate(k, width(16), 8, Strategy.RESOURCE);
        assertEquals(8, r.intervalCycles());
        // RF 8 + BRAM read + mult + sum of 8 partial sums per output (4 levels -> 1 cycle), + 1 boundary
        assertEquals(11, r.layers().get(0).latencyCycles());
        assertEquals(12, r.latencyCycles());
    }

    @Test
    void fitVerdictNamesTheResource() {
        Device small = DeviceCatalogue.builtIn().get("pynq-z2");
        Model m = TestModels.singleDense(TestModels.filled(N_IN * N_OUT, TestModels.HARD), N_IN, N_OUT);
        FpgaEstimate e = FpgaModel.estimate(m, HardwareConfig.hls4mlDefaults(), small);
        assertFalse(e.fits());
        assertEquals("DSP: 2048 needed, 220 available (over by 1828, 931%)", e.fitProblems().get(0));
        assertEquals(100.0, e.clockMhz());
    }

    static boolean[] only(int s, int count) {
        boolean[] b = new boolean[count];
        b[s] = true;
        return b;
    }

    static boolean[] pick(int count, int... ids) {
        boolean[] b = new boolean[count];
        for (int i : ids) {
            b[i] = true;
        }
        return b;
    }

    @Test
    void csdDigitCount() {
        assertEquals(0, ConstantMultipliers.csdDigits(0));
        assertEquals(1, ConstantMultipliers.csdDigits(512));
        assertEquals(2, ConstantMultipliers.csdDigits(3)); // 4 - 1
        assertEquals(2, ConstantMultipliers.csdDigits(-7)); // 8 - 1
        assertEquals(5, ConstantMultipliers.csdDigits(341)); // 101010101
        assertEquals(3, ConstantMultipliers.csdDigits(11)); // 16 - 4 - 1
        for (long k = -70000; k <= 70000; k++) {
            assertEquals(ConstantMultipliers.csdDigitsSlow(k), ConstantMultipliers.csdDigits(k), "k=" + k);
        }
    }

    @Test
    void streamLatencyOverlapsStages() {
        float[] k = TestModels.filled(N_IN * N_OUT, TestModels.HARD);
        Model m = TestModels.singleDense(k, N_IN, N_OUT);
        // Resource RF 8: latency 11 + read and write of the stream packets (nnet_dense_stream.h) = 13; one item
        // per inference, not pipelined across calls: interval = latency, and the dataflow region restarts it one
        // cycle later (hls4ml's test report: dense stage 7/7, top interval 8)
        FpgaEstimate e = FpgaModel.estimate(m, HardwareConfig.of(width(16), 8, Strategy.RESOURCE, IoType.STREAM, 0),
                KU115);
        assertEquals(13, e.latencyCycles());
        assertEquals(14, e.intervalCycles());
    }

    @Test
    void aClockNoFabricReachesIsSaid() {
        Model m = TestModels.singleDense(TestModels.filled(N_IN * N_OUT, TestModels.HARD), N_IN, N_OUT);
        Device z7 = DeviceCatalogue.builtIn().get("xc7z020");
        FpgaEstimate fast = FpgaModel.estimate(m, HardwareConfig.of(FixedPoint.of(16, 6), 1, Strategy.LATENCY,
                IoType.PARALLEL, 2500), z7);
        assertTrue(fast.notes().stream().anyMatch(n -> n.startsWith("2500 MHz is too fast for xc7z020")),
                fast.notes().toString());
        FpgaEstimate fine = FpgaModel.estimate(m, HardwareConfig.of(FixedPoint.of(16, 6), 1, Strategy.LATENCY,
                IoType.PARALLEL, 200), z7);
        assertFalse(fine.notes().stream().anyMatch(n -> n.contains("too fast")), fine.notes().toString());
    }

    @Test
    void aCnnThatDoesNotFitInIoParallelIsPointedToIoStream() {
        Model m = BatchNormFusionTest.convBn(7);
        Device small = DeviceCatalogue.builtIn().get("pynq-z2");
        FpgaEstimate parallel = FpgaModel.estimate(m, HardwareConfig.hls4mlDefaults(), small);
        assertFalse(parallel.fits());
        assertTrue(parallel.notes().stream().anyMatch(n -> n.contains("try io_stream")), parallel.notes().toString());
        FpgaEstimate fits = FpgaModel.estimate(m, HardwareConfig.hls4mlDefaults(), KU115);
        assertTrue(fits.fits());
        assertTrue(fits.notes().stream().noneMatch(n -> n.contains("io_stream")), "no advice when it fits");
        FpgaEstimate jet = FpgaModel.estimate(TestModels.jetMlp(1), HardwareConfig.hls4mlDefaults(), small);
        assertTrue(jet.notes().stream().noneMatch(n -> n.contains("io_stream")), "an MLP has no feature maps");
    }

    /** [?, 4, 4, 2] -> BatchNorm with scales {0.5, HARD} (variance 1, epsilon 0: the scale is gamma). */
    private static Model batchNormOnly() {
        var t = (java.util.function.Function<float[], dev.sparsimony.engine.model.Tensor>) v ->
                dev.sparsimony.engine.model.Tensor.of(v, v.length);
        var bn = new dev.sparsimony.engine.model.Ops.BatchNorm(t.apply(new float[] {0.5f, TestModels.HARD}),
                t.apply(new float[] {0.25f, -0.125f}), t.apply(new float[] {0, 0}), t.apply(new float[] {1, 1}), 0f,
                dev.sparsimony.engine.model.Layout.CHANNELS_LAST);
        return new Model("bn", List.of(new dev.sparsimony.engine.model.ValueInfo("x", new int[] {-1, 4, 4, 2})),
                List.of(new dev.sparsimony.engine.model.Node("bn", bn, List.of("x"))), List.of("bn"));
    }

    @Test
    void batchNormScalesAreFoldedConstantsAtReuseFactorOne() {
        Model m = batchNormOnly();
        // one Dense product by the same constant: what HLS makes of HARD times a 16-bit datum
        long perHard = FpgaModel.estimate(TestModels.singleDense(new float[] {TestModels.HARD}, 1, 1),
                HardwareConfig.hls4mlDefaults(), KU115).dsp();
        assertTrue(perHard > 0, "HARD needs a multiplier");
        FpgaEstimate rf1 = FpgaModel.estimate(m, HardwareConfig.hls4mlDefaults(), KU115);
        assertEquals(16 * perHard, rf1.dsp(), "16 pixels x (0.5: wiring, HARD: a DSP)");
        assertTrue(rf1.layers().get(0).note().contains("constant scales"), rf1.layers().get(0).note());
        // RF 4: ALLOCATION limit ceil(32 / 4) generic multipliers, the constants no longer folded
        FpgaEstimate rf4 = FpgaModel.estimate(m, HardwareConfig.of(width(16), 4, Strategy.LATENCY, IoType.PARALLEL, 0),
                KU115);
        assertEquals(8, rf4.dsp());
        // io_stream: one pixel's worth, the two channel constants
        FpgaEstimate stream = FpgaModel.estimate(m, HardwareConfig.of(width(16), 1, Strategy.LATENCY, IoType.STREAM,
                0), KU115);
        assertEquals(perHard, stream.dsp());
    }
}
