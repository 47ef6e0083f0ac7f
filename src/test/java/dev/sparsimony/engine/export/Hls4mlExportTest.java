package dev.sparsimony.engine.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.sparsimony.engine.explore.DesignPoint;
import dev.sparsimony.engine.explore.DesignPointCodec;
import dev.sparsimony.engine.explore.PointHardware;
import dev.sparsimony.engine.hardware.HardwareConfig;
import dev.sparsimony.engine.hardware.LayerHwConfig;
import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.model.Node;
import dev.sparsimony.engine.model.ValueInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hls4ml export read back by its consumers: python3-yaml (hls4ml's own YAML loader is yaml.safe_load) and
 * python3-onnx for the file it names; every layer's precision, reuse factor and strategy under hls4ml's keys,
 * resolved as hls4ml resolves them (LayerName over Model, model/graph.py HLSConfig.get_precision).
 */
class Hls4mlExportTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @TempDir
    Path dir;

    /** The settings hls4ml gives a layer: its LayerName entry, else the Model entry. */
    private static String resolved(JsonNode hls, String layer, String var) {
        JsonNode e = hls.path("LayerName").path(layer);
        JsonNode p = e.path("Precision");
        if (var.equals("ReuseFactor") || var.equals("Strategy")) {
            return (e.has(var) ? e.get(var) : hls.get("Model").get(var)).asText();
        }
        return (p.has(var) ? p.get(var) : hls.get("Model").get("Precision")).asText();
    }

    private static void assertLayers(JsonNode root, Model compressed, HardwareConfig hw) {
        JsonNode hls = root.get("HLSConfig");
        for (Node n : compressed.prunableNodes()) {
            LayerHwConfig l = hw.layer(n.name());
            assertEquals(HlsTypes.precision(l.weight()), resolved(hls, n.name(), "weight"), n.name() + " weight");
            assertEquals(HlsTypes.precision(l.bias()), resolved(hls, n.name(), "bias"), n.name() + " bias");
            assertEquals(HlsTypes.precision(l.result()), resolved(hls, n.name(), "result"), n.name() + " result");
            assertEquals(String.valueOf(l.reuseFactor()), resolved(hls, n.name(), "ReuseFactor"), n.name());
            assertEquals(HlsTypes.strategy(l.strategy()), resolved(hls, n.name(), "Strategy"), n.name());
        }
    }

    @Test
    void everyLayerHasItsChosenSettingsUnderHls4mlsKeys() throws Exception {
        ExportJob job = ExportFixtures.job(ExportFixtures.JET, ExportFixtures.jetPoint(), 100);
        Export.write(job, List.of("hls4ml"), dir);
        JsonNode root = YAML.readTree(dir.resolve(Hls4mlExporter.YAML_FILE).toFile());
        assertEquals(List.of("OutputDir", "ProjectName", "Backend", "Part", "ClockPeriod", "IOType", "OnnxModel",
                "HLSConfig"), fieldNames(root));
        assertEquals("xcvu9p-flga2104-2L-e", root.get("Part").asText());
        assertEquals(5, root.get("ClockPeriod").asInt());
        assertEquals("io_parallel", root.get("IOType").asText());
        assertEquals("Vivado", root.get("Backend").asText());
        assertEquals("jet_mlp", root.get("ProjectName").asText());
        assertTrue(Files.isRegularFile(dir.resolve(root.get("OnnxModel").asText())));
        JsonNode model = root.get("HLSConfig").get("Model");
        assertEquals("fixed<16,6>", model.get("Precision").asText());
        assertEquals(1, model.get("ReuseFactor").asInt());
        assertEquals("Latency", model.get("Strategy").asText());
        assertLayers(root, job.compressed(), PointHardware.config(job.point()));
        JsonNode names = root.get("HLSConfig").get("LayerName");
        assertEquals("fixed<12,5,RND_CONV,SAT>", names.get("fc1").get("Precision").get("result").asText());
        assertEquals("fixed<10,4,RND,SAT>", names.get("fc3").get("Precision").get("result").asText());
        assertEquals("Resource", names.get("fc2").get("Strategy").asText());
        assertEquals(4, names.get("fc2").get("ReuseFactor").asInt());
        // the bias Adds hls4ml turns into their own layers carry the layer's bias and result types
        assertEquals("fixed<12,5,RND_CONV,SAT>", names.get("fc1_bias_add").get("Precision").get("result").asText());
        // the JSON holds the same content
        assertEquals(root, new ObjectMapper().readTree(dir.resolve(Hls4mlExporter.JSON_FILE).toFile()));
    }

    /** The exported configuration read by our own hls4ml reader (estimate --hls4ml-config) costs the same design. */
    @Test
    void theExportReadBackAsAnHls4mlConfigurationGivesThePointsEstimate() throws Exception {
        for (ExportJob job : List.of(ExportFixtures.job(ExportFixtures.JET, ExportFixtures.jetPoint(), 100),
                ExportFixtures.job(ExportFixtures.DIGITS, ExportFixtures.digitsPoint(), 50))) {
            Path out = Files.createDirectories(dir.resolve(job.compressed().name()));
            Export.write(job, List.of("hls4ml"), out);
            var read = dev.sparsimony.engine.hardware.hls4ml.Hls4mlConfig.read(out.resolve(Hls4mlExporter.YAML_FILE),
                    job.compressed(), dev.sparsimony.engine.hardware.DeviceCatalogue.builtIn(),
                    dev.sparsimony.engine.hardware.Hls4mlVersion.LATEST,
                    dev.sparsimony.engine.hardware.FpgaParams.defaults());
            var again = dev.sparsimony.engine.hardware.FpgaModel.estimate(job.compressed(), read.config(),
                    read.device());
            var e = job.estimate();
            String what = job.compressed().name();
            assertEquals(e.device().name(), again.device().name(), what);
            assertEquals(e.dsp(), again.dsp(), what + " DSP");
            assertEquals(e.bram18(), again.bram18(), what + " BRAM");
            assertEquals(e.lut(), again.lut(), what + " LUT");
            assertEquals(e.ff(), again.ff(), what + " FF");
            assertEquals(e.latencyCycles(), again.latencyCycles(), what + " latency");
            assertEquals(e.intervalCycles(), again.intervalCycles(), what + " interval");
        }
    }

    @Test
    void streamIoResourceStrategyAndConvolutions() throws Exception {
        DesignPoint p = ExportFixtures.digitsPoint();
        ExportJob job = ExportFixtures.job(ExportFixtures.DIGITS, p, 50);
        Export.write(job, List.of("hls4ml"), dir);
        JsonNode root = YAML.readTree(dir.resolve(Hls4mlExporter.YAML_FILE).toFile());
        assertEquals("io_stream", root.get("IOType").asText());
        assertEquals("xcku115-flvb2104-2-i", root.get("Part").asText());
        assertEquals("Resource", root.get("HLSConfig").get("Model").get("Strategy").asText());
        assertEquals(8, root.get("HLSConfig").get("Model").get("ReuseFactor").asInt());
        assertLayers(root, job.compressed(), PointHardware.config(p));
        // the input's type is the outputs' type (PointHardware: input_t follows the output quantizer)
        assertEquals("fixed<12,6,TRN,SAT>", root.get("HLSConfig").get("LayerName").get("input_1").get("Precision")
                .get("result").asText());
        String script = Files.readString(dir.resolve(Hls4mlExporter.SCRIPT_FILE));
        assertTrue(script.contains("ConvertToChannelsLastAndClean"), script);
    }

    @Test
    void pythonYamlAndOnnxReadTheExportAsHls4mlWould() throws Exception {
        ExportFixtures.assumePython("yaml", "onnx", "json");
        ExportJob job = ExportFixtures.job(ExportFixtures.JET, ExportFixtures.jetPoint(), 100);
        Export.write(job, List.of("hls4ml"), dir);
        String out = ExportFixtures.runPython("""
                import json, os, sys, py_compile
                import yaml, onnx
                d = sys.argv[1]
                cfg = yaml.safe_load(open(os.path.join(d, 'hls4ml_config.yml')))
                assert cfg == json.load(open(os.path.join(d, 'hls4ml_config.json'))), 'YAML and JSON differ'
                # the model keys hls4ml 1.3 converts (converters/__init__.py convert_from_config)
                assert [k for k in ('OnnxModel', 'PytorchModel', 'KerasModel') if k in cfg] == ['OnnxModel']
                for k in ('OutputDir', 'ProjectName', 'Backend', 'Part', 'ClockPeriod', 'IOType', 'HLSConfig'):
                    assert k in cfg, k
                m = onnx.load(os.path.join(d, cfg['OnnxModel']))
                onnx.checker.check_model(m, full_check=True)
                nodes = {n.name: n.op_type for n in m.graph.node}
                hls = cfg['HLSConfig']
                model = hls['Model']
                for k in ('Precision', 'ReuseFactor', 'Strategy'):
                    assert k in model, k
                inputs = {i.name for i in m.graph.input}
                out = {}
                for name, entry in hls.get('LayerName', {}).items():
                    # every key names a layer hls4ml makes when it parses the file (onnx_to_hls.parse_onnx_model)
                    assert name in nodes or name in inputs, name
                    assert set(entry) <= {'Precision', 'ReuseFactor', 'Strategy'}, entry
                    assert set(entry.get('Precision', {})) <= {'weight', 'bias', 'result', 'accum'}, entry
                for name, op in nodes.items():
                    if op == 'MatMul':
                        e = hls.get('LayerName', {}).get(name, {})
                        prec = e.get('Precision', {})
                        out[name] = {v: prec.get(v, model['Precision']) for v in ('weight', 'bias', 'result')}
                        out[name]['ReuseFactor'] = e.get('ReuseFactor', model['ReuseFactor'])
                        out[name]['Strategy'] = e.get('Strategy', model['Strategy'])
                py_compile.compile(os.path.join(d, 'convert.py'), doraise=True)
                print(json.dumps(out, sort_keys=True))
                """, dir);
        JsonNode layers = new ObjectMapper().readTree(out.lines().reduce((a, b) -> b).orElseThrow());
        HardwareConfig hw = PointHardware.config(job.point());
        assertEquals(4, layers.size());
        for (Node n : job.compressed().prunableNodes()) {
            LayerHwConfig l = hw.layer(n.name());
            JsonNode got = layers.get(n.name());
            assertEquals(HlsTypes.precision(l.weight()), got.get("weight").asText(), n.name());
            assertEquals(HlsTypes.precision(l.bias()), got.get("bias").asText(), n.name());
            assertEquals(HlsTypes.precision(l.result()), got.get("result").asText(), n.name());
            assertEquals(l.reuseFactor(), got.get("ReuseFactor").asInt(), n.name());
            assertEquals(HlsTypes.strategy(l.strategy()), got.get("Strategy").asText(), n.name());
        }
    }

    @Test
    void namesThatAreNotCIdentifiersAreChangedTheSameWayInBothFiles() throws Exception {
        Model m = ExportFixtures.load(ExportFixtures.JET);
        List<Node> nodes = new ArrayList<>();
        Map<String, String> rename = Map.of("fc1", "block.1/fc", "relu1", "block.1/relu");
        for (Node n : m.nodes()) {
            nodes.add(new Node(rename.getOrDefault(n.name(), n.name()), n.op(),
                    n.inputs().stream().map(i -> rename.getOrDefault(i, i)).toList()));
        }
        Model renamed = new Model("jet mlp", List.of(new ValueInfo("0", m.inputs().get(0).shape())), nodes.stream()
                .map(n -> n.inputs().contains("input_1") ? new Node(n.name(), n.op(), List.of("0")) : n).toList(),
                m.outputs());
        DesignPoint p = DesignPointCodec.read("""
                {"version": 2, "layers": {"block.1/fc": {"reuseFactor": 2}},
                 "outputs": {"type": "fixed", "hls": "ap_fixed<14,6>"}}""", "point");
        ExportJob job = Export.prepare(renamed, null, p, Export.provenance(null, null), ExportOptions.DEFAULTS);
        Export.write(job, List.of("hls4ml", "onnx"), dir);
        JsonNode root = YAML.readTree(dir.resolve(Hls4mlExporter.YAML_FILE).toFile());
        assertEquals("jet_mlp_hls4ml.onnx", root.get("OnnxModel").asText());
        assertEquals("jet_mlp", root.get("ProjectName").asText());
        JsonNode names = root.get("HLSConfig").get("LayerName");
        assertEquals(2, names.get("block_1_fc").get("ReuseFactor").asInt());
        assertTrue(names.has("l_0"), names.toString()); // the input "0"
        var hlsOnnx = dev.sparsimony.engine.io.onnx.proto.OnnxProto.ModelProto.parseFrom(
                Files.readAllBytes(dir.resolve("jet_mlp_hls4ml.onnx")));
        assertTrue(hlsOnnx.getGraph().getNodeList().stream().anyMatch(n -> n.getName().equals("block_1_fc")));
        // the ONNX export keeps the names as they are
        var plain = dev.sparsimony.engine.io.onnx.proto.OnnxProto.ModelProto.parseFrom(
                Files.readAllBytes(dir.resolve("jet_mlp.onnx")));
        assertTrue(plain.getGraph().getNodeList().stream().anyMatch(n -> n.getName().equals("block.1/fc")));
        assertFalse(Files.exists(dir.resolve("jet mlp.onnx")));
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
