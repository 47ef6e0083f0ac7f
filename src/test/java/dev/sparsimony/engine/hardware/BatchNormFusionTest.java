package dev.sparsimony.engine.hardware;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparsimony.engine.hardware.hls4ml.Hls4mlConfig;
import dev.sparsimony.engine.infer.CompiledModel;
import dev.sparsimony.engine.model.ActivationKind;
import dev.sparsimony.engine.model.Layout;
import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.model.Node;
import dev.sparsimony.engine.model.Ops;
import dev.sparsimony.engine.model.Tensor;
import dev.sparsimony.engine.model.ValueInfo;
import dev.sparsimony.engine.quantize.FixedPoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** hls4ml's fuse_batch_normalization as the estimate models it, per version and configuration. */
class BatchNormFusionTest {
    static final Device VU9P = DeviceCatalogue.builtIn().get("xcvu9p");
    static final Hls4mlVersion V1 = Hls4mlVersion.LATEST;

    private static Tensor random(Random r, int... shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian() * 0.3f;
        }
        return Tensor.of(v, shape);
    }

    private static Ops.BatchNorm bn(Random r, int c) {
        float[] var = new float[c];
        for (int i = 0; i < c; i++) {
            var[i] = 0.5f + r.nextFloat();
        }
        return new Ops.BatchNorm(random(r, c), random(r, c), random(r, c), Tensor.of(var, c), 1e-3f, Layout.CHANNELS_LAST);
    }

    /** input [?, 8, 8, 2] -> conv 3x3 (4 channels) -> bn -> relu -> flatten -> dense 144x3 -> bn -> softmax. */
    static Model convBn(long seed) {
        Random r = new Random(seed);
        Ops.Conv conv = new Ops.Conv(random(r, 3, 3, 2, 4), random(r, 4), new int[] {1, 1}, new int[] {1, 1},
                new int[] {0, 0}, new int[] {0, 0}, 1, Layout.CHANNELS_LAST);
        return new Model("cbn", List.of(new ValueInfo("x", new int[] {-1, 8, 8, 2})), List.of(
                new Node("conv", conv, List.of("x")),
                new Node("bn1", bn(r, 4), List.of("conv")),
                new Node("relu", Ops.Activation.of(ActivationKind.RELU), List.of("bn1")),
                new Node("flat", new Ops.Flatten(1), List.of("relu")),
                new Node("fc", new Ops.Dense(random(r, 144, 3), random(r, 3)), List.of("flat")),
                new Node("bn2", bn(r, 3), List.of("fc")),
                new Node("softmax", new Ops.Softmax(-1, false), List.of("bn2"))), List.of("softmax"));
    }

    @Test
    void theRuleFollowsTheVersionAndTheResultType() {
        Model m = convBn(1);
        Set<String> auto = Set.of("conv", "fc");
        assertEquals(Map.of("bn1", "conv", "bn2", "fc"), BatchNormFusion.fused(m, V1, auto));
        assertEquals(Map.of("bn2", "fc"), BatchNormFusion.fused(m, V1, Set.of("fc")));
        assertEquals(Map.of(), BatchNormFusion.fused(m, V1, Set.of()), "v1 with typed results fuses nothing");
        assertEquals(Map.of("bn1", "conv", "bn2", "fc"), BatchNormFusion.fused(m, Hls4mlVersion.parse("0.8.1"),
                Set.of()), "before v1, every unquantized layer");
        assertEquals(Map.of("bn2", "fc"), BatchNormFusion.fused(m, Hls4mlVersion.parse("0.4.0"), Set.of()),
                "v0.4: Dense only");
    }

    @Test
    void aLayerThatFeedsMoreThanTheBatchNormKeepsIt() {
        Model m = convBn(2);
        List<Node> nodes = new java.util.ArrayList<>(m.nodes());
        nodes.add(new Node("tap", Ops.Activation.of(ActivationKind.RELU), List.of("conv")));
        Model branched = new Model("b", m.inputs(), nodes, List.of("softmax", "tap"));
        assertEquals(Map.of("bn2", "fc"), BatchNormFusion.fused(branched, V1, Set.of("conv", "fc")));
    }

    @Test
    void theFoldedLayerComputesWhatTheLayerAndItsBatchNormComputed() {
        Model m = convBn(3);
        Model folded = withoutBatchNorms(m);
        Random r = new Random(4);
        Tensor x = random(r, 5, 8, 8, 2);
        float[] a;
        float[] b;
        try (CompiledModel cm = CompiledModel.compile(m, 5); CompiledModel cf = CompiledModel.compile(folded, 5)) {
            a = cm.forward(x.data(), 5);
            b = cf.forward(x.data(), 5);
        }
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i], b[i], 1e-5, "output " + i);
        }
    }

    /** The model hls4ml builds after folding: every BatchNorm folded into its layer and removed. */
    static Model withoutBatchNorms(Model m) {
        Map<String, String> fused = Map.of("bn1", "conv", "bn2", "fc");
        List<Node> nodes = new java.util.ArrayList<>();
        for (Node n : m.nodes()) {
            if (fused.containsKey(n.name())) {
                continue;
            }
            String bn = fused.entrySet().stream().filter(e -> e.getValue().equals(n.name())).map(Map.Entry::getKey)
                    .findFirst().orElse(null);
            Node k = bn == null ? n : n.withOp(BatchNormFusion.fold(n.op(), (Ops.BatchNorm) m.node(bn).op()));
            List<String> ins = n.inputs().stream().map(i -> fused.getOrDefault(i, i)).toList();
            nodes.add(new Node(k.name(), k.op(), ins));
        }
        return new Model(m.name(), m.inputs(), nodes, m.outputs());
    }

    @Test
    void aFoldedBatchNormCostsNothingAndTheLayerCostsWhatItsFoldedWeightsCost() {
        Model m = convBn(5);
        for (IoType io : IoType.values()) {
            HardwareConfig base = HardwareConfig.of(FixedPoint.of(16, 6), 1, Strategy.LATENCY, io, 0);
            HardwareConfig auto = new HardwareConfig(base.defaults(), base.layers(), base.input(), io, 0,
                    base.params(), false, V1, -1, Set.of("conv", "fc"));
            FpgaEstimate fused = FpgaModel.estimate(m, auto, VU9P);
            FpgaEstimate removed = FpgaModel.estimate(withoutBatchNorms(m), base, VU9P);
            FpgaEstimate kept = FpgaModel.estimate(m, base, VU9P);
            String what = io + ": ";
            assertEquals(removed.dsp(), fused.dsp(), what + "DSP");
            assertEquals(removed.bram18(), fused.bram18(), what + "BRAM");
            assertEquals(removed.lut(), fused.lut(), what + "LUT");
            assertEquals(removed.ff(), fused.ff(), what + "FF");
            assertEquals(removed.latencyCycles(), fused.latencyCycles(), what + "latency");
            LayerEstimate bn1 = fused.layers().stream().filter(l -> l.name().equals("bn1")).findFirst().orElseThrow();
            assertEquals(0, bn1.dsp() + bn1.lut() + bn1.ff() + bn1.latencyCycles() + bn1.bram18());
            assertTrue(bn1.note().contains("folded into conv"), bn1.note());
            assertTrue(kept.dsp() > fused.dsp(), what + "a BatchNorm of its own multiplies: " + kept.dsp());
        }
    }

    @Test
    void anHls4mlConfigurationWithAutoResultsFoldsTheBatchNorms(@TempDir Path dir) throws Exception {
        Model m = convBn(6);
        Path typed = dir.resolve("typed.yml");
        Files.writeString(typed, """
                Part: xcvu9p-flga2104-2L-e
                ClockPeriod: 5
                IOType: io_parallel
                HLSConfig:
                  Model:
                    Precision: fixed<16,6>
                    ReuseFactor: 1
                    Strategy: Latency
                """);
        Path auto = dir.resolve("auto.yml");
        Files.writeString(auto, Files.readString(typed) + """
                  LayerName:
                    conv:
                      Precision:
                        result: auto
                """);
        var t = Hls4mlConfig.read(typed, m, DeviceCatalogue.builtIn(), V1, FpgaParams.defaults());
        var a = Hls4mlConfig.read(auto, m, DeviceCatalogue.builtIn(), V1, FpgaParams.defaults());
        assertEquals(Set.of(), t.config().unspecifiedResults());
        assertEquals(Set.of("conv"), a.config().unspecifiedResults());
        assertTrue(a.notes().stream().anyMatch(n -> n.contains("'bn1' is folded into 'conv'")), a.notes().toString());
        FpgaEstimate et = FpgaModel.estimate(m, t.config(), t.device());
        FpgaEstimate ea = FpgaModel.estimate(m, a.config(), a.device());
        long bnDsp = et.layers().stream().filter(l -> l.name().equals("bn1")).mapToLong(LayerEstimate::dsp).sum();
        assertTrue(bnDsp > 0, "a typed conv result keeps the BatchNorm (hls4ml v1)");
        assertEquals(0, ea.layers().stream().filter(l -> l.name().equals("bn1")).mapToLong(LayerEstimate::dsp).sum());
        // the relu after the folded BatchNorm reads the conv's inferred (wide) type, not the BatchNorm's
        assertEquals(a.config().layer("conv").result(), FpgaModel.inputPrecisions(m, a.config()).get("relu"));
    }
}
