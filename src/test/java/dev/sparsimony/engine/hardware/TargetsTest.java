package dev.sparsimony.engine.hardware;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparsimony.engine.hardware.target.EieTarget;
import dev.sparsimony.engine.hardware.target.FpgaTarget;
import dev.sparsimony.engine.hardware.target.HardwareReport;
import dev.sparsimony.engine.hardware.target.SparseGpuTarget;
import dev.sparsimony.engine.hardware.target.Targets;
import dev.sparsimony.engine.model.Layout;
import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.model.Node;
import dev.sparsimony.engine.model.Ops;
import dev.sparsimony.engine.model.Tensor;
import dev.sparsimony.engine.model.ValueInfo;
import dev.sparsimony.engine.prune.LayerContext;
import dev.sparsimony.engine.quantize.FixedPoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TargetsTest {
    static final DeviceCatalogue CAT = DeviceCatalogue.builtIn();

    @Test
    void catalogueHasTheRequiredParts() {
        for (String n : List.of("xcvu9p", "xcvu13p", "xcu250", "xcku115", "xczu9eg", "xc7z020")) {
            Device d = CAT.get(n);
            assertTrue(d.dsp() > 0 && d.bram18() > 0 && d.lut() > 0 && d.ff() > 0 && !d.source().isEmpty(), n);
        }
        assertEquals("xczu9eg", CAT.get("ZCU102").name());
        assertEquals("xc7z020", CAT.get("pynq-z2").name());
        assertEquals("xcku115", CAT.get("xcku115-flvb2104-2-i").name());
        assertEquals(6840, CAT.get("xcvu9p").dsp());
        ModelException e = assertThrows(ModelException.class, () -> CAT.get("xc9000"));
        assertTrue(e.getMessage().startsWith("unknown device 'xc9000'; known: xcvu9p, "), e.getMessage());
    }

    @Test
    void userFileExtendsAndOverrides(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("devices.json");
        Files.writeString(f, "{\"devices\": [{\"name\": \"tiny\", \"dsp\": 10, \"bram18\": 4, \"lut\": 1000,"
                + " \"ff\": 2000, \"clockMhz\": 150, \"lutMultThreshold\": 12, \"source\": \"test\"},"
                + " {\"name\": \"xcku115\", \"dsp\": 1, \"bram18\": 1, \"lut\": 1, \"ff\": 1, \"source\": \"x\"}]}");
        DeviceCatalogue c = CAT.withFile(f);
        assertEquals(12, c.get("tiny").lutMultThreshold());
        assertEquals(1, c.get("xcku115").dsp());
        assertEquals(7, c.names().size());
        Files.writeString(f, "{\"devices\": [{\"name\": \"bad\"}]}");
        ModelException e = assertThrows(ModelException.class, () -> CAT.withFile(f));
        assertTrue(e.getMessage().contains("needs an integer 'dsp'"), e.getMessage());
        assertThrows(ModelException.class, () -> CAT.withFile(dir.resolve("none.json")));
    }

    @Test
    void lutMultiplierThresholdIsADeviceProperty() {
        Device wide = new Device("wide", null, null, 100, 10, 1000, 1000, 0, 200, 17, 27, 18, List.of(), "t");
        Model m = TestModels.singleDense(TestModels.filled(64 * 32, TestModels.HARD), 64, 32);
        HardwareConfig c = HardwareConfig.of(FixedPoint.of(16, 6), 8, Strategy.RESOURCE, IoType.PARALLEL, 0);
        assertEquals(0, FpgaModel.estimate(m, c, wide).dsp()); // 16 < 17: LUT multipliers
        assertEquals(256, FpgaModel.estimate(m, c, CAT.get("xcvu9p")).dsp());
    }

    @Test
    void resolvesEveryKindOfTarget() {
        assertInstanceOf(FpgaTarget.class, Targets.resolve("u250", CAT, 1));
        assertInstanceOf(EieTarget.class, Targets.resolve("EIE", CAT, 1));
        assertInstanceOf(SparseGpuTarget.class, Targets.resolve("a100", CAT, 1));
        ModelException e = assertThrows(ModelException.class, () -> Targets.resolve("tpu", CAT, 1));
        assertTrue(e.getMessage().endsWith("xc7z020, eie, a100"), e.getMessage());
    }

    @Test
    void eieCountsNonZerosPaddingAndEnergy() {
        // 2 inputs x 64 outputs, 64 PEs -> 1 row per PE: no gaps longer than 15 possible, no padding
        float[] k = new float[2 * 64];
        k[0] = 1; // input 0, output 0
        k[64 + 5] = 2; // input 1, output 5
        HardwareReport r = new EieTarget(EieTarget.Params.eie())
                .estimate(TestModels.singleDense(k, 2, 64), HardwareConfig.hls4mlDefaults());
        assertEquals(2L, r.total().values().get("nnz"));
        assertEquals(1L + 4, r.total().values().get("cycles")); // busiest PE holds 1 entry, + 4 pipeline
        // 4 PEs and 40 outputs -> 10 local rows per PE; a column whose only non-zero sits at local row 9 of PE 0
        EieTarget.Params four = new EieTarget.Params(4, 800, 4, 4, 16, 1 << 20, 1.0, true,
                dev.sparsimony.engine.hardware.target.EnergyTable.horowitz45nm());
        float[] k2 = new float[1 * 80];
        k2[76] = 1; // output 76 -> PE 0, local row 19: 19 zeros before it -> one padding entry
        HardwareReport r2 = new EieTarget(four).estimate(TestModels.singleDense(k2, 1, 80),
                HardwareConfig.hls4mlDefaults());
        assertEquals(1L, r2.rows().get(0).values().get("padding"));
        assertEquals(2L + 4, r2.total().values().get("cycles"));
        // energy per entry: float MAC 3.7 + 0.9, 8-bit SRAM read 5 * 8/32, codebook 1 * 16/32, accumulate 1 * 16/32
        double perEntry = 3.7 + 0.9 + 1.25 + 0.5 + 0.5;
        double act = 5 * 16 / 32.0;
        double pointers = 1 * (act + 2 * (5 * 16 / 32.0) * 4);
        double expected = 2 * perEntry + pointers + 80 * act;
        assertEquals(expected / 1000, (double) r2.total().values().get("energy_nJ"), 1e-9);
    }

    @Test
    void eieRejectsConvolutions() {
        Ops.Conv c = new Ops.Conv(Tensor.zeros(3, 3, 2, 4), null, new int[] {1, 1}, new int[] {1, 1},
                new int[] {0, 0}, new int[] {0, 0}, 1, Layout.CHANNELS_LAST);
        Model m = new Model("c", List.of(new ValueInfo("x", new int[] {-1, 8, 8, 2})),
                List.of(new Node("conv", c, List.of("x"))), List.of("conv"));
        ModelException e = assertThrows(ModelException.class,
                () -> new EieTarget(EieTarget.Params.eie()).estimate(m, HardwareConfig.hls4mlDefaults()));
        assertEquals("layer 'conv' (Conv2D) cannot be mapped to EIE: it accelerates fully connected layers only",
                e.getMessage());
        // the FPGA model maps it: 18x4 kernel per output pixel, 36 pixels
        FpgaEstimate fe = FpgaModel.estimate(m, HardwareConfig.of(FixedPoint.of(16, 6), 1, Strategy.RESOURCE,
                IoType.PARALLEL, 0), CAT.get("xcvu9p"));
        assertEquals(0, fe.dsp()); // all-zero kernel
        assertEquals(36, fe.intervalCycles());
    }

    @Test
    void gpuAcceleratesOnlyExactTwoFour() {
        float[] dense = TestModels.filled(64 * 32, 1f);
        float[] twoFour = dense.clone();
        for (int i = 0; i < 64; i++) {
            for (int o = 0; o < 32; o++) {
                if (i % 4 >= 2) {
                    twoFour[i * 32 + o] = 0;
                }
            }
        }
        assertTrue(SparseGpuTarget.isTwoFour(twoFour, 64, 32));
        assertFalse(SparseGpuTarget.isTwoFour(dense, 64, 32));
        float[] almost = twoFour.clone();
        almost[2 * 32] = 1; // a group with 3 non-zeros
        assertFalse(SparseGpuTarget.isTwoFour(almost, 64, 32));
        assertFalse(SparseGpuTarget.isTwoFour(new float[6 * 2], 6, 2)); // rows not a multiple of 4
        // large batch: compute bound, the 2:4 layer's matrix product runs twice as fast
        SparseGpuTarget gpu = new SparseGpuTarget(new SparseGpuTarget.Params("g", 1e-3, 2.0, 1e9, 2, 0, 1000));
        HardwareReport a = gpu.estimate(TestModels.singleDense(dense, 64, 32), HardwareConfig.hls4mlDefaults());
        HardwareReport b = gpu.estimate(TestModels.singleDense(twoFour, 64, 32), HardwareConfig.hls4mlDefaults());
        double ta = (double) a.total().values().get("time_us");
        double tb = (double) b.total().values().get("time_us");
        assertEquals(2.0, ta / tb, 1e-9);
        assertEquals("yes", b.rows().get(0).values().get("2:4"));
    }

    @Test
    void costsPerBramBlock() {
        Model m = TestModels.singleDense(TestModels.filled(64 * 32, TestModels.HARD), 64, 32);
        Node fc = m.node("fc");
        LayerContext ctx = LayerContext.of(m, fc).withHardware(18, 8);
        var map = new dev.sparsimony.engine.prune.BramBlock().structures(fc, ctx);
        LayerHwConfig lc = LayerHwConfig.of(FixedPoint.of(18, 6), 8, Strategy.RESOURCE);
        double[] dsp = new DspCost(CAT.get("xcvu9p"), lc, FixedPoint.of(16, 6), FpgaParams.defaults())
                .costs(fc, new int[] {1, 32}, map);
        double[] bram = new BramCost(CAT.get("xcvu9p"), lc, FixedPoint.of(16, 6), FpgaParams.defaults())
                .costs(fc, new int[] {1, 32}, map);
        assertEquals(2.0, dsp[0]);
        assertEquals(1.0, bram[0]);
    }

    @Test
    void streamActivationsArePerPixelAndRuntimeProductsAreRejected() {
        Ops.Conv c = new Ops.Conv(Tensor.zeros(3, 3, 2, 4), null, new int[] {1, 1}, new int[] {1, 1},
                new int[] {0, 0}, new int[] {0, 0}, 1, Layout.CHANNELS_LAST);
        Model m = new Model("c", List.of(new ValueInfo("x", new int[] {-1, 8, 8, 2})),
                List.of(new Node("conv", c, List.of("x")),
                        new Node("relu", Ops.Activation.of(dev.sparsimony.engine.model.ActivationKind.RELU),
                                List.of("conv"))), List.of("relu"));
        HardwareConfig stream = HardwareConfig.of(FixedPoint.of(16, 6), 1, Strategy.LATENCY, IoType.STREAM, 0);
        LayerEstimate relu = FpgaModel.estimate(m, stream, CAT.get("xcvu9p")).layers().get(1);
        // 6x6 output pixels of 4 channels: ReLU built for 4 values (4*16/2 LUTs + control), one pixel per cycle
        assertEquals(4 * 16 / 2 + 40, relu.lut());
        assertEquals(36, relu.intervalCycles());
        LayerEstimate whole = FpgaModel.estimate(m, HardwareConfig.hls4mlDefaults(), CAT.get("xcvu9p")).layers()
                .get(1);
        assertEquals(144 * 16 / 2 + 40, whole.lut());
        Model mm = new Model("mm", List.of(new ValueInfo("a", new int[] {-1, 4}), new ValueInfo("b", new int[] {4, 3})),
                List.of(new Node("prod", new Ops.MatMul(), List.of("a", "b"))), List.of("prod"));
        ModelException e = assertThrows(ModelException.class,
                () -> FpgaModel.estimate(mm, HardwareConfig.hls4mlDefaults(), CAT.get("xcvu9p")));
        assertEquals("layer 'prod' (MatMul) cannot be mapped to the FPGA: a product of two run-time tensors is not a"
                + " layer hls4ml maps", e.getMessage());
    }
}
