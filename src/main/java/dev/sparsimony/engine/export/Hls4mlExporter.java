package dev.sparsimony.engine.export;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.sparsimony.engine.explore.DesignPoint;
import dev.sparsimony.engine.explore.PointHardware;
import dev.sparsimony.engine.hardware.Device;
import dev.sparsimony.engine.hardware.DeviceCatalogue;
import dev.sparsimony.engine.hardware.HardwareConfig;
import dev.sparsimony.engine.hardware.LayerHwConfig;
import dev.sparsimony.engine.io.AtomicFiles;
import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.model.Node;
import dev.sparsimony.engine.model.Ops;
import dev.sparsimony.engine.model.ValueInfo;
import dev.sparsimony.engine.quantize.FixedPoint;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * hls4ml's conversion configuration (hls4ml_config.yml and the same content as hls4ml_config.json), the ONNX
 * file it names and a convert.py that builds the hls4ml model from them. Conventions of hls4ml 1.x, read at the
 * v1.3.0 tag: the top-level keys of {@code utils/config.py create_config} and the Vivado/Vitis backends'
 * {@code create_initial_config} (OutputDir, ProjectName, Backend, Part, ClockPeriod, IOType); the model key
 * {@code OnnxModel}, one of the three that {@code converters/__init__.py convert_from_config} recognises;
 * HLSConfig Model / LayerName as {@code model/graph.py HLSConfig._parse_hls_config} reads them.
 *
 * <p>LayerName keys are the names hls4ml gives the layers when it parses the exported ONNX: the node names
 * ({@code onnx_to_hls.py parse_onnx_model}, {@code converters/onnx/core.py}). Its QONNX optimizer passes then
 * replace MatMul {@code L} by Dense {@code Dense_L} and Conv {@code L} by {@code Conv2D_L}, copying the entry of
 * {@code L} to the new name ({@code matmul_const_to_dense.py}, {@code conv_to_convxd.py}), and the bias Add
 * {@code L_bias_add} by ApplyAlpha {@code bn_L_bias_add} with that entry's settings ({@code merge_const.py}).
 * Names that are not C identifiers (hls4ml makes C++ names of them) are changed in both files the same way.
 */
final class Hls4mlExporter implements Exporter {
    static final String YAML_FILE = "hls4ml_config.yml";
    static final String JSON_FILE = "hls4ml_config.json";
    static final String SCRIPT_FILE = "convert.py";

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .disable(YAMLGenerator.Feature.SPLIT_LINES));
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Override
    public String id() {
        return "hls4ml";
    }

    @Override
    public String description() {
        return "hls4ml configuration (" + YAML_FILE + ", " + JSON_FILE + "), the ONNX model it names and "
                + SCRIPT_FILE;
    }

    @Override
    public void write(ExportJob job, Path dir, AtomicFiles.Batch files) {
        Model m = job.compressed();
        UnaryOperator<String> rename = identifiers(m);
        boolean renamed = m.nodes().stream().anyMatch(n -> !rename.apply(n.name()).equals(n.name()))
                || m.inputs().stream().anyMatch(v -> !rename.apply(v.name()).equals(v.name()));
        // with changed names the file differs from the ONNX export's: give it its own name
        String onnxFile = job.fileStem() + (renamed ? "_hls4ml" : "") + ".onnx";
        OnnxWriter.Result onnx = OnnxWriter.write(m, OnnxWriter.outputTypes(m), rename, OnnxExporter.metadata(job));
        ObjectNode config = config(job, onnx, onnxFile);
        files.add(dir.resolve(onnxFile), onnx.bytes());
        try {
            files.add(dir.resolve(YAML_FILE), header(job, renamed) + YAML.writeValueAsString(config));
            files.add(dir.resolve(JSON_FILE), JSON.writeValueAsString(config) + "\n");
        } catch (JsonProcessingException e) {
            throw new ModelException("cannot write the hls4ml configuration: " + e.getOriginalMessage(), e);
        }
        files.add(dir.resolve(SCRIPT_FILE), script(job));
    }

    /** The configuration as hls4ml's YAML/JSON tree. */
    static ObjectNode config(ExportJob job, OnnxWriter.Result onnx, String onnxFile) {
        DesignPoint c = job.point().canonical();
        HardwareConfig hw = job.hardware();
        Device device = PointHardware.device(c, DeviceCatalogue.builtIn());
        FixedPoint precision = c.precision();
        LayerHwConfig d = hw.defaults();
        ExportOptions o = job.options();
        ObjectNode root = JSON.createObjectNode();
        root.put("OutputDir", o.hlsOutputDir() == null ? "hls4ml_prj" : o.hlsOutputDir());
        root.put("ProjectName", o.projectName() == null ? HlsTypes.identifier(job.original().name())
                : o.projectName());
        root.put("Backend", o.backend() == null ? "Vivado" : o.backend());
        root.put("Part", device.part());
        double period = 1000.0 / hw.clockFor(device);
        if (period == Math.rint(period)) {
            root.put("ClockPeriod", (long) period);
        } else {
            root.put("ClockPeriod", Double.parseDouble(String.format(Locale.ROOT, "%.6g", period)));
        }
        root.put("IOType", hw.io().label());
        root.put("OnnxModel", onnxFile);
        ObjectNode hls = root.putObject("HLSConfig");
        ObjectNode model = hls.putObject("Model");
        model.put("Precision", HlsTypes.precision(precision));
        model.put("ReuseFactor", d.reuseFactor());
        model.put("Strategy", HlsTypes.strategy(d.strategy()));
        ObjectNode names = JSON.createObjectNode();
        Map<String, FixedPoint> outputTypes = OnnxWriter.outputTypes(job.compressed());
        for (ValueInfo v : job.compressed().inputs()) {
            if (!hw.input().equals(precision)) {
                names.putObject(onnx.inputNames().get(v.name())).putObject("Precision")
                        .put("result", HlsTypes.precision(hw.input()));
            }
        }
        for (Node n : job.compressed().nodes()) {
            String name = onnx.nodeNames().get(n.name());
            if (name == null) {
                continue;
            }
            if (n.op().isPrunable()) {
                LayerHwConfig l = hw.layer(n.name());
                boolean differs = !l.weight().equals(precision) || !l.bias().equals(precision)
                        || !l.result().equals(precision) || !l.accumulator().equals(precision)
                        || l.reuseFactor() != d.reuseFactor()
                        || l.strategy() != d.strategy();
                if (differs) {
                    ObjectNode e = names.putObject(name);
                    ObjectNode p = e.putObject("Precision");
                    p.put("weight", HlsTypes.precision(l.weight()));
                    p.put("bias", HlsTypes.precision(l.bias()));
                    p.put("result", HlsTypes.precision(l.result()));
                    // the estimate sums in the accumulator type (the result type unless set); hls4ml would
                    // otherwise take the model precision for accum_t, a different adder tree
                    p.put("accum", HlsTypes.precision(l.accumulator()));
                    e.put("ReuseFactor", l.reuseFactor());
                    e.put("Strategy", HlsTypes.strategy(l.strategy()));
                }
                String add = onnx.biasNodes().get(n.name());
                if (add != null && (!l.bias().equals(precision) || !l.result().equals(precision))) {
                    // the bias becomes its own ApplyAlpha layer in hls4ml's QONNX flow: same bias and result types
                    ObjectNode p = names.putObject(add).putObject("Precision");
                    p.put("bias", HlsTypes.precision(l.bias()));
                    p.put("result", HlsTypes.precision(l.result()));
                }
            } else {
                // the result type the estimate costs this layer with (its output Quant's type where it has one);
                // hls4ml would otherwise give the layer the model precision
                FixedPoint t = outputTypes.getOrDefault(n.name(), hw.layer(n.name()).result());
                // softmax sums its exponentials in accum_t (nnet_activation.h), costed in the accumulator type
                FixedPoint acc = n.op() instanceof Ops.Softmax
                        ? hw.layer(n.name()).accumulator() : precision;
                if (!t.equals(precision) || !acc.equals(precision)) {
                    ObjectNode p = names.putObject(name).putObject("Precision");
                    p.put("result", HlsTypes.precision(t));
                    if (!acc.equals(precision)) {
                        p.put("accum", HlsTypes.precision(acc));
                    }
                }
            }
        }
        if (!names.isEmpty()) {
            hls.set("LayerName", names);
        }
        return root;
    }

    /** Names as C identifiers, made unique (hls4ml writes layer names into C++). */
    static UnaryOperator<String> identifiers(Model m) {
        Map<String, String> map = new HashMap<>();
        Set<String> used = new HashSet<>();
        java.util.List<String> all = new java.util.ArrayList<>();
        m.inputs().forEach(v -> all.add(v.name()));
        m.nodes().forEach(n -> all.add(n.name()));
        // names that are identifiers already keep them; the others take what is left
        for (String s : all) {
            if (HlsTypes.identifier(s).equals(s)) {
                map.put(s, s);
                used.add(s);
            }
        }
        for (String s : all) {
            if (!map.containsKey(s)) {
                String base = HlsTypes.identifier(s);
                String t = base;
                for (int k = 2; used.contains(t); k++) {
                    t = base + "_" + k;
                }
                used.add(t);
                map.put(s, t);
            }
        }
        return s -> map.getOrDefault(s, s);
    }

    private static String header(ExportJob job, boolean renamed) {
        DesignPoint p = job.point();
        StringBuilder sb = new StringBuilder();
        sb.append("# hls4ml configuration of design point '").append(p.name() == null ? "" : p.name())
                .append("' (key ").append(p.key()).append(") of model ").append(job.original().name())
                .append(",\n# written by Sparsimony ").append(job.provenance().engine()).append(" from ")
                .append(job.provenance().model()).append(".\n");
        sb.append("# hls4ml 1.x reads it unchanged: python ").append(SCRIPT_FILE)
                .append(" (from any folder), or from this folder\n")
                .append("# hls4ml.converters.convert_from_config('").append(YAML_FILE).append("').\n");
        sb.append("# LayerName keys are the ONNX node names, which hls4ml takes as layer names; it renames MatMul L"
                + " to Dense_L\n# and Conv L to Conv2D_L (or Conv1D_L) and carries the entry of L over.\n");
        sb.append("# Reuse factors are as chosen; hls4ml replaces an invalid one by the closest valid one, as the"
                + " estimate did.\n");
        String note = PointHardware.typeNote(p);
        if (note != null) {
            sb.append("# Note: ").append(note).append(".\n");
        }
        if (renamed) {
            sb.append("# Layer names that are not C identifiers were changed the same way in this file and the"
                    + " ONNX file.\n");
        }
        return sb.toString();
    }

    private static String script(ExportJob job) {
        boolean conv = job.compressed().nodes().stream().anyMatch(n -> n.op() instanceof Ops.Conv
                || n.op() instanceof Ops.Pool || (n.op() instanceof Ops.BatchNorm
                && job.compressed().inferShapes(1).get(n.name()).length > 2));
        StringBuilder sb = new StringBuilder();
        sb.append("#!/usr/bin/env python3\n")
                .append("\"\"\"Builds the hls4ml model of ").append(job.original().name().replace("\"", "'"))
                .append(" from ").append(YAML_FILE).append(" (written by Sparsimony).\n\n")
                .append("Usage: python ").append(SCRIPT_FILE).append(" [--build]\n")
                .append("Needs hls4ml 1.x with its ONNX extras (pip install 'hls4ml[onnx]').\n\"\"\"\n")
                .append("import os\nimport sys\n\nimport hls4ml\n\n")
                .append("here = os.path.dirname(os.path.abspath(__file__))\n")
                .append("config = hls4ml.converters.parse_yaml_config(os.path.join(here, '").append(YAML_FILE)
                .append("'))\n")
                .append("# the paths in the configuration are relative to this folder\n")
                .append("config['OnnxModel'] = os.path.join(here, config['OnnxModel'])\n")
                .append("config['OutputDir'] = os.path.join(here, config['OutputDir'])\n");
        if (conv) {
            sb.append("\n# hls4ml reads convolutions, pooling and batch normalisation in QONNX's channels-last form;\n")
                    .append("# this conversion keeps the node names that LayerName uses\n")
                    .append("from qonnx.core.modelwrapper import ModelWrapper\n")
                    .append("from qonnx.transformation.channels_last import ConvertToChannelsLastAndClean\n\n")
                    .append("model = ModelWrapper(config['OnnxModel'])\n")
                    .append("config['OnnxModel'] = model.transform(ConvertToChannelsLastAndClean()).model\n");
        }
        sb.append("\nhls_model = hls4ml.converters.convert_from_config(config)\n")
                .append("hls_model.compile()\n")
                .append("if '--build' in sys.argv:\n")
                .append("    hls_model.build(csim=False, synth=True)\n");
        return sb.toString();
    }
}
