package dev.sparsimony.engine.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparsimony.engine.data.Dataset;
import dev.sparsimony.engine.explore.DesignPoint;
import dev.sparsimony.engine.explore.PointHardware;
import dev.sparsimony.engine.io.onnx.proto.OnnxProto;
import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.model.Node;
import dev.sparsimony.engine.model.Ops;
import dev.sparsimony.engine.model.Tensor;
import dev.sparsimony.engine.model.ValueInfo;
import dev.sparsimony.engine.quantize.FixedPoint;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ONNX export: the file passes the ONNX checker (Debian's python3-onnx, full check), re-imported it gives the
 * compressed model's outputs, weights are the compressed ones on their type's grid, node names are the layer names.
 */
class OnnxExportTest {
    @TempDir
    Path dir;

    private Path export(ExportJob job) {
        Export.write(job, List.of("onnx"), dir);
        return dir.resolve(job.fileStem() + ".onnx");
    }

    @Test
    void jetMlpReimportedGivesTheCompressedOutputs() throws Exception {
        ExportJob job = ExportFixtures.job(ExportFixtures.JET, ExportFixtures.jetPoint(), 2000);
        Path onnx = export(job);
        Dataset d = ExportFixtures.data(ExportFixtures.JET, 2000);
        float[] expected = ExportFixtures.compressedOutputs(job.compressed(), d);
        Model back = ExportFixtures.load(onnx);
        assertArrayEquals(expected, ExportFixtures.outputs(back, d), "re-imported export vs compressed model");
        // the output types are really applied: without them the outputs differ
        assertFalse(java.util.Arrays.equals(expected, ExportFixtures.outputs(job.compressed(), d)));
        // re-imported, the layers keep their names and the pruned, quantized weights
        for (Node n : job.compressed().prunableNodes()) {
            Ops.Dense want = (Ops.Dense) n.op();
            Ops.Dense got = (Ops.Dense) back.node(n.name()).op();
            assertEquals(want.kernel(), got.kernel(), n.name());
            assertEquals(want.bias(), got.bias(), n.name());
        }
    }

    @Test
    void channelsLastCnnReimportedGivesTheCompressedOutputs() throws Exception {
        ExportJob job = ExportFixtures.job(ExportFixtures.DIGITS, ExportFixtures.digitsPoint(), 300);
        Path onnx = export(job);
        Dataset d = ExportFixtures.data(ExportFixtures.DIGITS, 300);
        float[] expected = ExportFixtures.compressedOutputs(job.compressed(), d);
        float[] got = ExportFixtures.outputs(ExportFixtures.load(onnx), d);
        // the convolutions run channels-first in the re-imported model: float sums in another order can put a
        // value on the other side of a rounding step, so a logit may move by one LSB (2^-6) in rare places
        int differ = 0;
        int samplesDiffer = 0;
        double maxLogit = 0;
        int classes = expected.length / d.size();
        int argmaxDiffer = 0;
        for (int s = 0; s < d.size(); s++) {
            int a = 0;
            int b = 0;
            boolean any = false;
            for (int k = 0; k < classes; k++) {
                int i = s * classes + k;
                if (expected[i] != got[i]) {
                    differ++;
                    any = true;
                    maxLogit = Math.max(maxLogit, Math.abs(Math.log(expected[i]) - Math.log(got[i])));
                }
                a = expected[i] > expected[s * classes + a] ? k : a;
                b = got[i] > got[s * classes + b] ? k : b;
            }
            argmaxDiffer += a == b ? 0 : 1;
            samplesDiffer += any ? 1 : 0;
        }
        System.out.printf("digits-cnn export: %d of %d outputs (%d of %d samples) differ, largest log-probability"
                + " shift %.4g, %d argmax%n", differ, expected.length, samplesDiffer, d.size(), maxLogit, argmaxDiffer);
        assertTrue(samplesDiffer <= d.size() / 20, samplesDiffer + " samples differ");
        assertTrue(maxLogit <= 2 * Math.scalb(1.0, -6) + 1e-6, "largest logit shift " + maxLogit);
        assertEquals(0, argmaxDiffer);
        OnnxProto.ModelProto m = OnnxProto.ModelProto.parseFrom(Files.readAllBytes(onnx));
        // conv chain computed channels-first: one transpose in, one out before the flatten
        long transposes = m.getGraph().getNodeList().stream().filter(n -> n.getOpType().equals("Transpose")).count();
        assertEquals(2, transposes);
    }

    @Test
    void weightsAreTheCompressedOnesOnTheirTypesGrid() throws Exception {
        ExportJob job = ExportFixtures.job(ExportFixtures.JET, ExportFixtures.jetPoint(), 200);
        OnnxProto.ModelProto m = OnnxProto.ModelProto.parseFrom(Files.readAllBytes(export(job)));
        Map<String, OnnxProto.TensorProto> init = m.getGraph().getInitializerList().stream()
                .collect(Collectors.toMap(OnnxProto.TensorProto::getName, t -> t));
        var hw = PointHardware.config(job.point());
        int zeros = 0;
        for (Node n : job.compressed().prunableNodes()) {
            float[] w = floats(init.get(n.name() + "_kernel"));
            assertArrayEquals(((Ops.Dense) n.op()).kernel().data(), w, n.name());
            FixedPoint t = hw.layer(n.name()).weight();
            for (float v : w) {
                double q = v / t.lsb();
                assertEquals(Math.rint(q), q, 0, n.name() + " weight " + v + " is not on the grid of " + t);
                assertTrue(v >= t.min() && v <= t.max(), n.name() + " weight " + v + " outside " + t);
                zeros += v == 0 ? 1 : 0;
            }
            float[] b = floats(init.get(n.name() + "_bias"));
            FixedPoint bt = hw.layer(n.name()).bias();
            for (float v : b) {
                assertEquals(Math.rint(v / bt.lsb()), v / bt.lsb(), 0, n.name() + " bias " + v);
            }
        }
        assertTrue(zeros >= 4256 / 2, "half the weights are pruned: " + zeros + " zeros");
        // opset, IR version, node names equal to the layer names, a Quant after every quantized output
        assertEquals(13, m.getOpsetImportList().stream().filter(o -> o.getDomain().isEmpty()).findFirst()
                .orElseThrow().getVersion());
        Set<String> names = m.getGraph().getNodeList().stream().map(OnnxProto.NodeProto::getName)
                .collect(Collectors.toSet());
        for (Node n : job.compressed().nodes()) {
            assertTrue(names.contains(n.name()), n.name());
        }
        for (String layer : OnnxWriter.outputTypes(job.compressed()).keySet()) {
            OnnxProto.NodeProto q = m.getGraph().getNodeList().stream()
                    .filter(x -> x.getName().equals(layer + "_quant")).findFirst().orElseThrow();
            assertEquals("Quant", q.getOpType());
            assertEquals(OnnxWriter.QONNX_DOMAIN, q.getDomain());
        }
        assertEquals(job.point().key(), m.getMetadataPropsList().stream()
                .filter(p -> p.getKey().equals("sparsimony.key")).findFirst().orElseThrow().getValue());
    }

    @Test
    void theOnnxCheckerAcceptsBothExports() throws Exception {
        ExportFixtures.assumePython("onnx");
        ExportJob jet = ExportFixtures.job(ExportFixtures.JET, ExportFixtures.jetPoint(), 100);
        ExportJob digits = ExportFixtures.job(ExportFixtures.DIGITS, ExportFixtures.digitsPoint(), 50);
        Export.write(jet, List.of("onnx"), dir);
        Export.write(digits, List.of("onnx"), dir);
        String out = ExportFixtures.runPython("""
                import sys, onnx
                for f in sys.argv[1:]:
                    m = onnx.load(f)
                    onnx.checker.check_model(m, full_check=True)
                    opset = [o.version for o in m.opset_import if o.domain in ('', 'ai.onnx')][0]
                    assert opset >= 13, opset
                    names = {n.name for n in m.graph.node}
                    assert len(names) == len(m.graph.node), 'node names are unique'
                    # every tensor a node reads has a shape (hls4ml's ONNX front end needs them)
                    known = {v.name for v in list(m.graph.value_info) + list(m.graph.input) + list(m.graph.output)}
                    for n in m.graph.node:
                        for i in n.input:
                            assert i == '' or i in known, (n.name, i)
                    print(f, 'ok', len(m.graph.node), 'nodes')
                """, dir.resolve("jet-mlp.onnx"), dir.resolve("digits-cnn.onnx"));
        assertTrue(out.contains("jet-mlp.onnx ok") && out.contains("digits-cnn.onnx ok"), out);
    }

    @Test
    void everyRoundingModeMatchesTheEngineExactly() throws Exception {
        // a linear layer straight to the output, so every output value goes through the export's Quant
        java.util.Random r = new java.util.Random(3);
        Model m = new Model("lin", List.of(new ValueInfo("x", new int[] {-1, 8})), List.of(new Node("fc",
                new Ops.Dense(dev.sparsimony.engine.CompressFixtures.random(r, 8, 6), Tensor.zeros(6)),
                List.of("x"))), List.of("fc"));
        float[] x = new float[4000 * 8];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.scalb(Math.rint(r.nextGaussian() * 64), -5); // on a grid: ties happen
        }
        Dataset d = new Dataset("grid", new Tensor(new int[] {4000, 8}, x), null);
        for (String type : List.of("ap_fixed<8,3>", "ap_fixed<8,3,AP_RND>", "ap_fixed<8,3,AP_RND_CONV>",
                "ap_fixed<8,3,AP_TRN,AP_SAT>", "ap_fixed<6,2,AP_RND,AP_SAT>", "ap_ufixed<6,2,AP_RND_CONV,AP_SAT>")) {
            Model c = m.withMetadata(Map.of("sparsimony.outputType.fc", FixedPoint.parse(type).hlsType()));
            byte[] onnx = OnnxWriter.write(c, OnnxWriter.outputTypes(c), UnaryOperator.identity(), Map.of()).bytes();
            Path f = dir.resolve("lin.onnx");
            Files.write(f, onnx);
            float[] expected = ExportFixtures.compressedOutputs(c, d);
            float[] got = ExportFixtures.outputs(ExportFixtures.load(f), d);
            if (FixedPoint.parse(type).overflow() == FixedPoint.Overflow.WRAP) {
                // the Quant saturates where AP_WRAP wraps: equal wherever the value fits the type
                FixedPoint t = FixedPoint.parse(type);
                float[] raw = ExportFixtures.outputs(m, d);
                int compared = 0;
                for (int i = 0; i < raw.length; i++) {
                    if (raw[i] > t.min() + 1 && raw[i] < t.max() - 1) {
                        assertEquals(expected[i], got[i], 0, type + " at " + i);
                        compared++;
                    }
                }
                assertTrue(compared > raw.length / 2, type + ": " + compared);
            } else {
                assertArrayEquals(expected, got, type);
            }
        }
    }

    @Test
    void aLayerTheExportCannotWriteIsNamed() {
        Model m = new Model("up", List.of(new ValueInfo("x", new int[] {-1, 4, 4, 2})), List.of(
                new Node("up1", new Ops.Upsample(new int[] {2, 2}, false, dev.sparsimony.engine.model.Layout
                        .CHANNELS_LAST), List.of("x"))), List.of("up1"));
        ModelException e = assertThrows(ModelException.class, () -> OnnxWriter.write(m, Map.of(),
                UnaryOperator.identity(), Map.of()));
        assertEquals("layer 'up1' (UpSampling2D): the ONNX export does not write UpSampling2D layers", e.getMessage());
    }

    private static float[] floats(OnnxProto.TensorProto t) {
        ByteBuffer b = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        float[] f = new float[b.remaining() / 4];
        b.asFloatBuffer().get(f);
        return f;
    }

    static Map<String, Integer> counts(List<String> xs) {
        Map<String, Integer> m = new HashMap<>();
        xs.forEach(x -> m.merge(x, 1, Integer::sum));
        return m;
    }
}
