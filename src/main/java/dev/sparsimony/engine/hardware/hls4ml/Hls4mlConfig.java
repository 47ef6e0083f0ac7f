package dev.sparsimony.engine.hardware.hls4ml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.sparsimony.engine.hardware.BatchNormFusion;
import dev.sparsimony.engine.hardware.Device;
import dev.sparsimony.engine.hardware.DeviceCatalogue;
import dev.sparsimony.engine.hardware.FpgaParams;
import dev.sparsimony.engine.hardware.HardwareConfig;
import dev.sparsimony.engine.hardware.Hls4mlVersion;
import dev.sparsimony.engine.hardware.IoType;
import dev.sparsimony.engine.hardware.LayerHwConfig;
import dev.sparsimony.engine.hardware.Precisions;
import dev.sparsimony.engine.hardware.Strategy;
import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.model.Node;
import dev.sparsimony.engine.model.Op;
import dev.sparsimony.engine.model.Ops;
import dev.sparsimony.engine.model.QuantOps;
import dev.sparsimony.engine.model.Quantization;
import dev.sparsimony.engine.model.ValueInfo;
import dev.sparsimony.engine.quantize.FixedPoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * An hls4ml project configuration ({@code hls4ml_config.yml} as hls4ml's writer dumps it, or the {@code HLSConfig}
 * dictionary alone) turned into the hardware model's settings for one model, following hls4ml's reading of it
 * (model/graph.py {@code HLSConfig}: a {@code LayerName} entry overrides a {@code LayerType} entry, which overrides
 * {@code Model}, per precision variable; backends/fpga/fpga_backend.py {@code convert_precision_string} for types;
 * model/optimizer/passes/infer_precision.py for {@code 'auto'}). Every key is either used or listed with the reason
 * it is not ({@link Result#ignored()}); a layer name the model does not have, an unknown part or an unreadable
 * precision is a one-line error naming it.
 */
public final class Hls4mlConfig {
    /** hls4ml's default part when a configuration gives none (Vivado/Vitis create_initial_config, v1.x). */
    public static final String DEFAULT_PART = "xcvu13p-flga2577-2-e";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** Top-level keys that describe the project, not the hardware (reported as not used). */
    private static final Map<String, String> PROJECT_KEYS = Map.ofEntries(
            Map.entry("OutputDir", "project folder"), Map.entry("ProjectName", "name of the top function"),
            Map.entry("ProjectDir", "project folder"), Map.entry("Version", "version of the generated IP"),
            Map.entry("Stamp", "build stamp"), Map.entry("WriterConfig", "how files are written"),
            Map.entry("InputData", "test bench data"), Map.entry("OutputPredictions", "test bench data"),
            Map.entry("InputShape", "PyTorch input shape (the model's own shape is used)"),
            Map.entry("Board", "accelerator board wrapper (not costed)"),
            Map.entry("Interface", "accelerator interface wrapper (not costed)"),
            Map.entry("Driver", "accelerator driver"), Map.entry("AcceleratorConfig", "accelerator wrapper (not costed)"),
            Map.entry("MultiGraph", "multi-graph stitching"), Map.entry("Namespace", "C++ namespace"));
    private static final List<String> MODEL_KEYS = List.of("KerasModel", "OnnxModel", "PytorchModel", "KerasJson",
            "KerasH5");
    private static final List<String> BACKENDS = List.of("vivado", "vitis", "vivadoaccelerator", "vitisaccelerator");

    private Hls4mlConfig() {
    }

    /**
     * The settings a configuration gives a model.
     *
     * @param config    hardware settings for every layer of the model
     * @param device    the catalogue device of {@code Part}
     * @param part      the part string
     * @param modelPath the model file the configuration names (relative to the configuration's folder when it
     *                  exists there), null when none
     * @param used      keys used, with what they set
     * @param ignored   keys not used, with the reason
     * @param notes     what the reading decided (defaults taken, hls4ml fallbacks)
     */
    public record Result(HardwareConfig config, Device device, String part, Path modelPath, List<String> used,
                         List<String> ignored, List<String> notes) {
        public Result {
            used = List.copyOf(used);
            ignored = List.copyOf(ignored);
            notes = List.copyOf(notes);
        }
    }

    /** Reads a YAML (or JSON) configuration file for a model. */
    public static Result read(Path file, Model model, DeviceCatalogue catalogue, Hls4mlVersion version,
                              FpgaParams params) {
        String fn = String.valueOf(file.getFileName());
        if (!Files.isRegularFile(file)) {
            throw new ModelException("hls4ml configuration not found: " + file);
        }
        JsonNode root;
        try {
            root = YAML.readTree(file.toFile());
        } catch (IOException | RuntimeException e) {
            throw notYaml(fn, e);
        }
        try {
            return parse(root, file.toAbsolutePath().getParent(), model, catalogue, version, params);
        } catch (ModelException e) {
            throw new ModelException("hls4ml configuration " + fn + ": " + e.getMessage(), e);
        }
    }

    /** The configuration as a tree (YAML tags such as {@code !keras_model} are read as their plain values). */
    public static JsonNode tree(Path file) {
        try {
            return YAML.readTree(file.toFile());
        } catch (IOException | RuntimeException e) {
            throw notYaml(String.valueOf(file.getFileName()), e);
        }
    }

    private static ModelException notYaml(String fn, Exception e) {
        if (e instanceof java.io.CharConversionException) {
            return new ModelException("hls4ml configuration " + fn + " is not valid YAML: it is not UTF-8 text", e);
        }
        return new ModelException("hls4ml configuration " + fn + " is not valid YAML: "
                + dev.sparsimony.engine.model.Problems.inUserWords(e).lines().findFirst().orElse(""), e);
    }

    static Result parse(JsonNode root, Path dir, Model model, DeviceCatalogue catalogue, Hls4mlVersion version,
                        FpgaParams params) {
        if (root == null || !root.isObject()) {
            throw new ModelException("not an hls4ml configuration (expected a YAML mapping of keys such as Part,"
                    + " IOType and HLSConfig)");
        }
        Reading r = new Reading(model, version == null ? Hls4mlVersion.LATEST : version);
        JsonNode hls = root.get("HLSConfig");
        boolean flat = hls == null && (root.has("Model") || root.has("LayerName") || root.has("LayerType"));
        if (hls == null && !flat) {
            throw new ModelException("no HLSConfig (nor the Model/LayerType/LayerName of a flat HLSConfig)");
        }
        if (flat) {
            hls = root;
            r.notes.add("flat HLSConfig (the dictionary config_from_keras_model returns): project settings take"
                    + " hls4ml's defaults");
        }
        // project keys
        String backend = "Vivado";
        String part = null;
        double periodNs = 5;
        double uncertaintyNs = -1;
        IoType io = IoType.PARALLEL;
        Path modelPath = null;
        Iterator<Map.Entry<String, JsonNode>> it = flat ? emptyIterator() : root.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String k = e.getKey();
            JsonNode v = e.getValue();
            switch (k) {
                case "HLSConfig" -> {
                }
                case "Backend" -> {
                    backend = v.asText();
                    if (!BACKENDS.contains(backend.toLowerCase(Locale.ROOT))) {
                        throw new ModelException("Backend '" + backend + "' is not modelled (Vivado, Vitis and their"
                                + " Accelerator variants are)");
                    }
                    r.used.add("Backend " + backend + ": Vivado/Vitis templates");
                }
                case "Part", "XilinxPart" -> {
                    part = v.asText();
                    r.used.add(k + " " + part);
                }
                case "ClockPeriod" -> {
                    periodNs = number(v, "ClockPeriod");
                    if (!(periodNs > 0)) {
                        throw new ModelException("ClockPeriod must be a positive number of ns, got " + v);
                    }
                    r.used.add("ClockPeriod " + v.asText() + " ns");
                }
                case "ClockUncertainty" -> {
                    uncertaintyNs = uncertainty(v, periodNs);
                    r.used.add("ClockUncertainty " + v.asText());
                }
                case "IOType" -> {
                    String t = v.asText();
                    if (t.equalsIgnoreCase("io_serial")) {
                        throw new ModelException("IOType io_serial was removed in hls4ml 0.5.0 and is not modelled");
                    }
                    io = IoType.parse(t);
                    r.used.add("IOType " + t);
                }
                default -> {
                    if (MODEL_KEYS.contains(k)) {
                        if (modelPath == null && v.isTextual() && !v.asText().isBlank()) {
                            modelPath = resolve(dir, v.asText());
                        }
                        r.ignored.add(k + ": the model file (estimate uses the MODEL argument)");
                    } else if (PROJECT_KEYS.containsKey(k)) {
                        r.ignored.add(k + ": " + PROJECT_KEYS.get(k));
                    } else {
                        r.ignored.add(k + ": not an hls4ml configuration key");
                    }
                }
            }
        }
        // ClockUncertainty percentages are of the period, which may come after it in the file
        if (!flat && root.has("ClockUncertainty")) {
            uncertaintyNs = uncertainty(root.get("ClockUncertainty"), periodNs);
        } else if (uncertaintyNs < 0) {
            double share = backend.toLowerCase(Locale.ROOT).startsWith("vitis") ? 0.27 : 0.125;
            uncertaintyNs = share * periodNs;
            r.notes.add(String.format(Locale.ROOT, "no ClockUncertainty: hls4ml's %s default %.1f%% of the period",
                    backend, share * 100));
        }
        if (part == null) {
            part = DEFAULT_PART;
            r.notes.add("no Part: hls4ml's default part " + DEFAULT_PART);
        }
        String p = part;
        DeviceCatalogue.PartMatch match = catalogue.findPart(part).orElseThrow(() -> new ModelException("unknown part '"
                + p + "' (Part); add it to a device file (--devices FILE); known: "
                + String.join(", ", catalogue.devices().stream().map(Device::part).toList())));
        if (!match.exact()) {
            r.notes.add("part " + part + " is not in the catalogue: costed on " + match.device().part()
                    + " (same die: package and speed grade do not change the resources)");
        }
        HardwareConfig cfg = r.hlsConfig(hls, io, 1000.0 / periodNs, uncertaintyNs, params);
        return new Result(cfg, match.device(), part, modelPath, r.used, r.ignored, r.notes);
    }

    private static Iterator<Map.Entry<String, JsonNode>> emptyIterator() {
        return new LinkedHashMap<String, JsonNode>().entrySet().iterator();
    }

    private static Path resolve(Path dir, String path) {
        Path p = Path.of(path);
        if (p.isAbsolute() || dir == null) {
            return p;
        }
        Path local = dir.resolve(p);
        if (Files.exists(local)) {
            return local;
        }
        // hls4ml writes paths relative to where it ran; the file itself is usually in the project folder
        Path byName = dir.resolve(p.getFileName());
        return Files.exists(byName) ? byName : local;
    }

    static double number(JsonNode v, String key) {
        if (v.isNumber()) {
            return v.asDouble();
        }
        try {
            return Double.parseDouble(v.asText().trim());
        } catch (NumberFormatException e) {
            throw new ModelException(key + " must be a number, got '" + v.asText() + "'");
        }
    }

    /** "12.5%" of the period, or a number of ns (hls4ml passes the value to set_clock_uncertainty). */
    static double uncertainty(JsonNode v, double periodNs) {
        String t = v.asText().trim();
        try {
            if (t.endsWith("%")) {
                return Double.parseDouble(t.substring(0, t.length() - 1).trim()) / 100 * periodNs;
            }
            return Double.parseDouble(t);
        } catch (NumberFormatException e) {
            throw new ModelException("ClockUncertainty must be a percentage (12.5%) or ns, got '" + t + "'");
        }
    }

    /** hls4ml's layer class of a node (model/layers.py layer_map), which LayerType entries are keyed by. */
    static String hlsClass(Op op) {
        if (op instanceof Ops.Dense) {
            return "Dense";
        }
        if (op instanceof Ops.Conv c) {
            boolean depthwise = c.groups() > 1 && c.inChannelsPerGroup() == 1;
            return (depthwise ? "DepthwiseConv" : "Conv") + c.kernelSize().length + "D";
        }
        if (op instanceof Ops.Activation a) {
            return switch (a.activation()) {
                case LEAKY_RELU, ELU -> "ParametrizedActivation";
                case HARD_SIGMOID -> "HardActivation";
                default -> "Activation";
            };
        }
        if (op instanceof Ops.PRelu) {
            return "PReLU";
        }
        if (op instanceof Ops.ThresholdedRelu) {
            return "ParametrizedActivation";
        }
        if (op instanceof Ops.Softmax) {
            return "Softmax";
        }
        if (op instanceof Ops.BatchNorm) {
            return "BatchNormalization";
        }
        if (op instanceof Ops.Pool pl) {
            return "Pooling" + pl.kernel().length + "D";
        }
        if (op instanceof Ops.GlobalPool) {
            return "GlobalPooling2D";
        }
        if (op instanceof Ops.Flatten || op instanceof Ops.Reshape) {
            return "Reshape";
        }
        if (op instanceof Ops.Transpose) {
            return "Transpose";
        }
        if (op instanceof Ops.Concat) {
            return "Concatenate";
        }
        if (op instanceof Ops.Binary) {
            return "Merge";
        }
        if (op instanceof Ops.Pad) {
            return "ZeroPadding2D";
        }
        if (op instanceof Ops.Upsample) {
            return "Resize";
        }
        if (op instanceof QuantOps.Quant || op instanceof QuantOps.BipolarQuant || op instanceof QuantOps.Trunc) {
            return "Activation"; // QKeras QActivation -> hls4ml Activation (layer_map 'QActivation')
        }
        return op.kind();
    }

    /** hls4ml's class names (layer_map values) a LayerType entry may name; others are reported. */
    private static final Set<String> HLS_CLASSES = Set.of("Input", "InputLayer", "Dense", "Conv1D", "Conv2D",
            "DepthwiseConv1D", "DepthwiseConv2D", "SeparableConv1D", "SeparableConv2D", "PointwiseConv1D",
            "PointwiseConv2D", "Activation", "ParametrizedActivation", "HardActivation", "PReLU", "Softmax",
            "TernaryTanh", "BatchNormalization", "Pooling1D", "Pooling2D", "GlobalPooling1D", "GlobalPooling2D",
            "Reshape", "Transpose", "Concatenate", "Merge", "ZeroPadding1D", "ZeroPadding2D", "Resize", "Embedding",
            "SimpleRNN", "LSTM", "GRU", "Conv2DBatchnorm", "Dot", "MatMul", "Quant", "ApplyAlpha", "LayerGroup",
            "Cropping1D", "Cropping2D", "BiasAdd", "LayerNormalization", "EinsumDense", "Einsum", "Constant",
            "GarNet", "GarNetStack", "SymbolicExpression", "TimeDistributed", "Bidirectional", "BipolarQuant",
            "BatchNormOnnx", "Conv");

    /** One reading of an HLSConfig against a model: the used/ignored report and the resolved layers. */
    private static final class Reading {
        final Model model;
        final Hls4mlVersion version;
        final List<String> used = new ArrayList<>();
        final List<String> ignored = new ArrayList<>();
        final List<String> notes = new ArrayList<>();
        /** Precision strings by variable: model, layer type (lower case) and layer name (lower case). */
        final Map<String, String> modelPrecision = new LinkedHashMap<>();
        final Map<String, Map<String, String>> typePrecision = new HashMap<>();
        final Map<String, Map<String, String>> namePrecision = new HashMap<>();
        final Map<String, JsonNode> typeCfg = new HashMap<>();
        final Map<String, JsonNode> nameCfg = new HashMap<>();
        final Map<String, Map<String, Quantization>> records = new HashMap<>();
        JsonNode modelCfg;

        Reading(Model model, Hls4mlVersion version) {
            this.model = model;
            this.version = version;
            for (Quantization q : Quantization.of(model)) {
                records.computeIfAbsent(q.layer(), k -> new LinkedHashMap<>()).put(q.tensor(), q);
            }
        }

        HardwareConfig hlsConfig(JsonNode hls, IoType io, double clockMhz, double uncertaintyNs, FpgaParams params) {
            if (!hls.isObject()) {
                throw new ModelException("HLSConfig must be a mapping");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = hls.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String k = e.getKey();
                switch (k) {
                    case "Model" -> readModel(e.getValue());
                    case "LayerType" -> readEntries(e.getValue(), "LayerType", typeCfg, typePrecision);
                    case "LayerName" -> readEntries(e.getValue(), "LayerName", nameCfg, namePrecision);
                    case "Flows", "Optimizers", "SkipOptimizers" -> ignored.add("HLSConfig." + k
                            + ": optimizer passes are not modelled (the default flow is assumed)");
                    default -> ignored.add("HLSConfig." + k + (k.equals("IOType") || k.equals("ClockPeriod")
                            || k.equals("Part") ? ": a project key, not read inside HLSConfig by hls4ml"
                            : ": not an HLSConfig key"));
                }
            }
            if (modelCfg == null) {
                throw new ModelException("HLSConfig has no Model entry (hls4ml requires Model.Precision and"
                        + " Model.ReuseFactor)");
            }
            checkNames();
            return resolve(io, clockMhz, uncertaintyNs, params);
        }

        private void readModel(JsonNode m) {
            if (!m.isObject()) {
                throw new ModelException("HLSConfig.Model must be a mapping");
            }
            modelCfg = m;
            for (Iterator<Map.Entry<String, JsonNode>> it = m.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String k = e.getKey();
                JsonNode v = e.getValue();
                String at = "Model." + k;
                // the Model level takes hls4ml's CamelCase keys only
                if (List.of("Precision", "ReuseFactor", "Strategy").contains(k)
                        && readShared(snake(k), v, at, modelPrecision)) {
                    continue;
                }
                switch (k) {
                    case "BramFactor" -> ignored.add(at + ": weights of a layer above " + v.asText()
                            + " values become ports of the top function; not modelled (on-chip weights assumed)");
                    case "TraceOutput" -> ignored.add(at + ": tracing does not change the synthesised design");
                    case "ConvImplementation" -> conv(v.asText(), at);
                    case "Compression" -> ignored.add(at + ": the compressed dense variant is not modelled"
                            + " (costed as its strategy)");
                    case "PipelineStyle", "PipelineInterval" -> ignored.add(at + ": the pipeline style is not"
                            + " modelled (hls4ml's default, pipelined layers, assumed)");
                    case "TargetCycles" -> ignored.add(at + ": hls4ml derives a reuse factor from it; give"
                            + " ReuseFactor instead");
                    case "ChannelsLastConversion", "TransposeOutputs" -> ignored.add(at
                            + ": PyTorch layout conversion (the model's own layout is used)");
                    case "AllowDAFallback", "AllowV2Fallback" -> ignored.add(at + ": Keras 3 converter option");
                    default -> ignored.add(at + ": not an hls4ml Model setting");
                }
            }
        }

        /**
         * Precision, ReuseFactor and Strategy, read alike at the Model and the layer levels (precisions into
         * {@code precisionsInto}); false for any other (snake_case) key.
         */
        private boolean readShared(String key, JsonNode v, String at, Map<String, String> precisionsInto) {
            switch (key) {
                case "precision" -> {
                    precisions(v, at, precisionsInto);
                    used.add(at + " " + text(v));
                }
                case "reuse_factor" -> {
                    reuse(v, at);
                    used.add(at + " " + v.asText());
                }
                case "strategy" -> {
                    strategy(v.asText(), at);
                    used.add(at + " " + v.asText());
                }
                default -> {
                    return false;
                }
            }
            return true;
        }

        private void conv(String impl, String at) {
            if (impl.equalsIgnoreCase("LineBuffer")) {
                used.add(at + " " + impl);
            } else {
                ignored.add(at + " " + impl + ": only the LineBuffer implementation is modelled");
            }
        }

        private void readEntries(JsonNode entries, String section, Map<String, JsonNode> cfg,
                                 Map<String, Map<String, String>> prec) {
            if (!entries.isObject()) {
                throw new ModelException("HLSConfig." + section + " must be a mapping");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = entries.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String key = e.getKey().toLowerCase(Locale.ROOT);
                JsonNode v = e.getValue();
                String at = section + "." + e.getKey();
                if (v == null || v.isNull()) {
                    continue;
                }
                if (!v.isObject()) {
                    throw new ModelException(at + " must be a mapping of settings");
                }
                if (section.equals("LayerType") && !HLS_CLASSES.contains(e.getKey())) {
                    ignored.add(at + ": not an hls4ml layer class");
                    continue;
                }
                cfg.put(key, v);
                Map<String, String> p = new LinkedHashMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> s = v.fields(); s.hasNext(); ) {
                    Map.Entry<String, JsonNode> kv = s.next();
                    String k = kv.getKey();
                    JsonNode x = kv.getValue();
                    String where = at + "." + k;
                    if (readShared(snake(k), x, where, p)) {
                        continue;
                    }
                    switch (snake(k)) {
                        case "table_size" -> {
                            tableSize(x, where);
                            used.add(where + " " + x.asText());
                        }
                        case "table_t", "exp_table_t", "inv_table_t", "accum_t", "weight_t", "bias_t", "result_t" -> {
                            String var = snake(k).substring(0, snake(k).length() - 2);
                            checkPrecision(x.asText(), where);
                            p.put(var, x.asText());
                            used.add(where + " " + x.asText());
                        }
                        case "implementation" -> {
                            String impl = x.asText().toLowerCase(Locale.ROOT);
                            if (!List.of("latency", "stable", "argmax", "legacy").contains(impl)) {
                                throw new ModelException(where + ": unknown softmax implementation '" + x.asText()
                                        + "' (latency, stable, argmax, legacy)");
                            }
                            used.add(where + " " + impl);
                        }
                        case "skip" -> used.add(where + " " + x.asText());
                        case "trace" -> ignored.add(where + ": tracing does not change the synthesised design");
                        case "parallelization_factor" -> {
                            if (x.asInt(1) == 1) {
                                used.add(where + " 1");
                            } else {
                                ignored.add(where + " " + x.asText() + ": convolutions are modelled with"
                                        + " ParallelizationFactor 1");
                            }
                        }
                        case "conv_implementation" -> conv(x.asText(), where);
                        case "compression" -> ignored.add(where + ": the compressed dense variant is not modelled");
                        case "target_cycles" -> ignored.add(where + ": give ReuseFactor instead");
                        case "bram_factor" -> ignored.add(where + ": not modelled (on-chip weights assumed)");
                        default -> ignored.add(where + ": not an hls4ml layer setting the model uses");
                    }
                }
                prec.put(key, p);
            }
        }

        private void tableSize(JsonNode x, String where) {
            if (!(x.canConvertToInt() || x.asText().matches("\\d+")) || Integer.parseInt(x.asText().trim()) < 1) {
                throw new ModelException(where + " must be a positive integer, got '" + x.asText() + "'");
            }
        }

        private void precisions(JsonNode v, String where, Map<String, String> into) {
            if (v.isTextual()) {
                checkPrecision(v.asText(), where);
                into.put("default", v.asText());
                return;
            }
            if (!v.isObject()) {
                throw new ModelException(where + " must be a type string or a mapping of types, got " + v);
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String var = e.getKey();
                String t = e.getValue().asText();
                checkPrecision(t, where + "." + var);
                into.put(var, t);
                if (!List.of("default", "maximum", "weight", "bias", "result", "accum", "table", "exp_table",
                        "inv_table", "scale").contains(var)) {
                    ignored.add(where + "." + var + ": a precision the model does not cost");
                }
            }
        }

        private static void checkPrecision(String t, String where) {
            if (t.trim().equalsIgnoreCase("auto")) {
                return;
            }
            try {
                Precisions.parse(t);
            } catch (ModelException e) {
                throw new ModelException(where + ": " + e.getMessage(), e);
            }
        }

        private static int reuse(JsonNode v, String where) {
            if (!(v.canConvertToInt() || v.asText().trim().matches("\\d+")) || Integer.parseInt(v.asText().trim()) < 1) {
                throw new ModelException(where + " must be a positive integer, got '" + v.asText() + "'");
            }
            return Integer.parseInt(v.asText().trim());
        }

        /** hls4ml's strategy string as its Vivado backend acts on it (convert_to_snake_case, init_dense). */
        private Strategy strategy(String s, String where) {
            String k = snake(s);
            return switch (k) {
                case "latency" -> Strategy.LATENCY;
                case "resource" -> Strategy.RESOURCE;
                case "resource_unrolled" -> Strategy.UNROLLED;
                case "unrolled" -> {
                    note(where + " 'Unrolled': hls4ml's Vivado backend only recognises 'resource_unrolled'"
                            + " (vivado_backend.py init_dense compares the snake-case strategy), so it builds"
                            + " Latency; write ResourceUnrolled for the unrolled strategy");
                    yield Strategy.LATENCY;
                }
                case "distributed_arithmetic", "da" -> {
                    note(where + " distributed_arithmetic is not modelled: costed as Latency");
                    yield Strategy.LATENCY;
                }
                default -> {
                    note(where + " '" + s + "' is not a strategy hls4ml knows: it builds Latency");
                    yield Strategy.LATENCY;
                }
            };
        }

        private void note(String n) {
            if (!notes.contains(n)) {
                notes.add(n);
            }
        }

        /** Every LayerName entry must be a layer of the model (or a name hls4ml inserts for one). */
        private void checkNames() {
            Map<String, String> known = new HashMap<>();
            model.inputs().forEach(v -> known.put(v.name().toLowerCase(Locale.ROOT), v.name()));
            model.nodes().forEach(n -> known.put(n.name().toLowerCase(Locale.ROOT), n.name()));
            for (String name : nameCfg.keySet()) {
                if (known.containsKey(name)) {
                    continue;
                }
                String host = inserted(name, known);
                if (host != null) {
                    continue;
                }
                List<String> all = new ArrayList<>();
                model.inputs().forEach(v -> all.add(v.name()));
                model.nodes().forEach(n -> all.add(n.name()));
                throw new ModelException("LayerName '" + name + "' is not a layer of the model (its layers: "
                        + String.join(", ", all) + ")");
            }
        }

        /**
         * The model layer an hls4ml-inserted name belongs to: {@code <dense>_linear}, {@code <layer>_input}, and
         * {@code <layer>_bias_add}, the bias Add of a MatMul/Conv read from ONNX (hls4ml keeps it a layer of its
         * own; the fused layer here takes its output type from the host entry, which Sparsimony writes the same).
         */
        private String inserted(String name, Map<String, String> known) {
            for (String suffix : List.of("_linear", "_input", "_bias_add")) {
                if (name.endsWith(suffix)) {
                    String host = name.substring(0, name.length() - suffix.length());
                    if (known.containsKey(host)) {
                        return known.get(host);
                    }
                }
            }
            return null;
        }

        /** hls4ml's get_precision: name[var], name[default], type[var], type[default], model[var], model[default]. */
        String precision(String name, String cls, String var) {
            String n = name.toLowerCase(Locale.ROOT);
            String c = cls.toLowerCase(Locale.ROOT);
            for (Map<String, String> m : List.of(namePrecision.getOrDefault(n, Map.of()),
                    typePrecision.getOrDefault(c, Map.of()))) {
                if (m.containsKey(var)) {
                    return m.get(var);
                }
                if (m.containsKey("default")) {
                    return m.get("default");
                }
            }
            return modelPrecision.getOrDefault(var, modelPrecision.get("default"));
        }

        /** hls4ml's get_layer_config_value: the name entry, else the type entry, else Model. */
        JsonNode setting(String name, String cls, String key) {
            JsonNode n = nameCfg.get(name.toLowerCase(Locale.ROOT));
            if (n != null) {
                return find(n, key);
            }
            JsonNode t = typeCfg.get(cls.toLowerCase(Locale.ROOT));
            if (t != null) {
                return find(t, key);
            }
            return find(modelCfg, key);
        }

        /** Reuse factor and strategy: name, else type, else Model (graph.py get_reuse_factor / get_strategy). */
        JsonNode ranked(String name, String cls, String key) {
            JsonNode n = nameCfg.get(name.toLowerCase(Locale.ROOT));
            JsonNode v = n == null ? null : find(n, key);
            if (v == null) {
                JsonNode t = typeCfg.get(cls.toLowerCase(Locale.ROOT));
                v = t == null ? null : find(t, key);
            }
            return v == null ? find(modelCfg, key) : v;
        }

        private static JsonNode find(JsonNode n, String key) {
            if (n == null) {
                return null;
            }
            for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (snake(k).equals(snake(key))) {
                    return n.get(k);
                }
            }
            return null;
        }

        private FixedPoint type(String s, FixedPoint dflt) {
            if (s == null || s.trim().equalsIgnoreCase("auto")) {
                return dflt;
            }
            return Precisions.parse(s);
        }

        HardwareConfig resolve(IoType io, double clockMhz, double uncertaintyNs, FpgaParams params) {
            String dflt = modelPrecision.get("default");
            if (dflt == null || dflt.equalsIgnoreCase("auto")) {
                throw new ModelException("HLSConfig.Model.Precision needs a default type (hls4ml: 'auto' is not"
                        + " allowed as the default)");
            }
            FixedPoint modelType = Precisions.parse(dflt);
            FixedPoint maximum = modelPrecision.containsKey("maximum") ? Precisions.parse(modelPrecision.get("maximum"))
                    : null;
            JsonNode rfNode = find(modelCfg, "ReuseFactor");
            int modelRf = rfNode == null ? 1 : reuse(rfNode, "Model.ReuseFactor");
            if (rfNode == null) {
                note("no Model.ReuseFactor: 1");
            }
            JsonNode sNode = find(modelCfg, "Strategy");
            Strategy modelStrategy = sNode == null ? Strategy.LATENCY : strategy(sNode.asText(), "Model.Strategy");
            LayerHwConfig defaults = new LayerHwConfig(modelType, modelType, modelType, null, modelRf, modelStrategy,
                    null, null);
            // data types flow through the graph as hls4ml infers them: the input layer's result, then each layer's
            Map<String, FixedPoint> typeOf = new HashMap<>();
            FixedPoint input = null;
            for (ValueInfo v : model.inputs()) {
                FixedPoint t = type(precision(v.name(), "Input", "result"), null);
                if (t == null) {
                    t = type(precision(v.name(), "InputLayer", "result"), modelType);
                }
                typeOf.put(v.name(), t);
                if (input == null) {
                    input = t;
                } else if (!t.equals(input)) {
                    note("input '" + v.name() + "' is " + t.hlsType() + "; the model is costed with the first input's"
                            + " type " + input.hlsType());
                }
            }
            Map<String, LayerHwConfig> layers = new LinkedHashMap<>();
            Map<String, String> hostOfLinear = new HashMap<>();
            for (String n : nameCfg.keySet()) {
                if (n.endsWith("_linear")) {
                    hostOfLinear.put(n.substring(0, n.length() - "_linear".length()), n);
                }
            }
            // hls4ml v1 folds a BatchNorm only into a Dense/Conv whose result type is left 'auto' (bn_fuse.py)
            Set<String> unspecified = new HashSet<>();
            for (Node node : model.nodes()) {
                if ((node.op() instanceof Ops.Dense || node.op() instanceof Ops.Conv)
                        && auto(precision(node.name(), hlsClass(node.op()), "result"))) {
                    unspecified.add(node.name());
                }
            }
            Map<String, String> fusedInto = BatchNormFusion.fused(model, version, unspecified);
            for (Node node : model.nodes()) {
                String name = node.name();
                String cls = hlsClass(node.op());
                FixedPoint in = node.inputs().isEmpty() ? modelType : typeOf.getOrDefault(node.inputs().get(0),
                        modelType);
                Map<String, Quantization> rec = records.getOrDefault(name, Map.of());
                LayerHwConfig.Product product = null;
                String wv = precision(name, cls, node.op() instanceof Ops.BatchNorm ? "scale" : "weight");
                FixedPoint w;
                if (wv != null && wv.trim().equalsIgnoreCase("auto") && rec.containsKey("kernel")) {
                    LayerHwConfig fromRecord = fromRecords(node, defaults);
                    w = fromRecord.weight();
                    product = fromRecord.product();
                } else {
                    w = type(wv, modelType);
                }
                String bv = precision(name, cls, "bias");
                FixedPoint b = bv != null && bv.trim().equalsIgnoreCase("auto") && rec.containsKey("bias")
                        ? fromRecords(node, defaults).bias() : type(bv, modelType);
                String rv = precision(name, cls, "result");
                String av = precision(name, cls, "accum");
                boolean kernel = node.op() instanceof Ops.Dense || node.op() instanceof Ops.Conv;
                FixedPoint inferred = kernel ? infer(node, in, w, b, maximum) : null;
                FixedPoint r = auto(rv) ? (kernel ? inferred : passThrough(node.op()) ? in : quantizerType(node,
                        modelType)) : type(rv, modelType);
                FixedPoint a = auto(av) ? (kernel ? inferred : null) : av == null ? null : type(av, modelType);
                JsonNode rfn = ranked(name, cls, "ReuseFactor");
                int rf = rfn == null ? modelRf : reuse(rfn, name + ".ReuseFactor");
                JsonNode sn = ranked(name, cls, "Strategy");
                Strategy s = sn == null ? modelStrategy : strategy(sn.asText(), name + ".Strategy");
                LayerHwConfig.TableSettings tables = tables(name, cls);
                String linear = hostOfLinear.get(name.toLowerCase(Locale.ROOT));
                if (linear != null && namePrecision.getOrDefault(linear, Map.of()).containsKey("result")) {
                    // hls4ml's '<layer>_linear' activation only casts the layer's result: the same hardware
                    FixedPoint cast = type(namePrecision.get(linear).get("result"), r);
                    note("LayerName " + linear + ": the cast after '" + name + "' (hls4ml's inserted linear"
                            + " activation) sets its result type " + cast.hlsType());
                    r = cast;
                }
                LayerHwConfig lc = new LayerHwConfig(w, b, r, a, rf, s, product, tables);
                layers.put(name, lc);
                // a folded BatchNorm is gone: the next layer reads the layer it was folded into
                typeOf.put(name, fusedInto.containsKey(name) ? in
                        : passThrough(node.op()) && !explicitResult(name, cls, rv) ? in : r);
            }
            fusedInto.forEach((bn, into) -> note("'" + bn + "' is folded into '" + into + "' (hls4ml's"
                    + " fuse_batch_normalization" + (version.atLeast(1, 0, 0) ? ": '" + into + "' has result 'auto')"
                    : ")")));
            return new HardwareConfig(defaults, layers, input, io, clockMhz, params, false, version, uncertaintyNs,
                    unspecified);
        }

        private static boolean auto(String v) {
            return v != null && v.trim().equalsIgnoreCase("auto");
        }

        private boolean explicitResult(String name, String cls, String rv) {
            return namePrecision.getOrDefault(name.toLowerCase(Locale.ROOT), Map.of()).containsKey("result")
                    && !auto(rv);
        }

        private static boolean passThrough(Op op) {
            return op instanceof Ops.Flatten || op instanceof Ops.Reshape || op instanceof Ops.Identity
                    || op instanceof Ops.Transpose || op instanceof Ops.Pool || op instanceof Ops.GlobalPool
                    || op instanceof Ops.Pad || op instanceof Ops.Upsample;
        }

        private LayerHwConfig fromRecords(Node node, LayerHwConfig defaults) {
            Map<String, Quantization> rec = records.getOrDefault(node.name(), Map.of());
            List<String> n = new ArrayList<>();
            LayerHwConfig lc = dev.sparsimony.engine.hardware.ModelPrecisions.forLayer(node, rec, defaults, n);
            n.forEach(this::note);
            return lc == null ? defaults : lc;
        }

        /** The result type of a quantizer op ('auto' on a QKeras activation), else the model default. */
        private static FixedPoint quantizerType(Node node, FixedPoint dflt) {
            FixedPoint q = dev.sparsimony.engine.hardware.ModelPrecisions.outputType(node.op());
            return q == null ? dflt : q;
        }

        /**
         * infer_precision.py {@code _infer_common_precision}: input x weight products summed over n_ops, plus the
         * bias, capped by Model.Precision.maximum.
         */
        private static FixedPoint infer(Node node, FixedPoint in, FixedPoint w, FixedPoint b, FixedPoint max) {
            long nOps;
            if (node.op() instanceof Ops.Dense d) {
                nOps = d.nIn();
            } else {
                Ops.Conv c = (Ops.Conv) node.op();
                nOps = c.matrixRows();
            }
            int log = nOps <= 1 ? 0 : (int) Math.ceil(Math.log(nOps) / Math.log(2) - 1e-12);
            int width = w.width() + in.width() + log;
            int integer = w.integer() + in.integer() + log;
            boolean signed = w.signed() || in.signed();
            int frac = width - integer;
            integer = Math.max(integer + (b.signed() && !signed ? 1 : 0), b.integer() + (signed && !b.signed() ? 1 : 0))
                    + 1;
            width = integer + Math.max(frac, b.width() - b.integer());
            signed = signed || b.signed();
            if (max != null) {
                width = Math.min(width, max.width());
                integer = Math.min(integer, max.integer());
            }
            width = Math.min(width, FixedPoint.MAX_WIDTH);
            return new FixedPoint(width, Math.min(integer, width), signed, FixedPoint.Rounding.TRUNCATE,
                    FixedPoint.Overflow.WRAP);
        }

        private LayerHwConfig.TableSettings tables(String name, String cls) {
            JsonNode ts = setting(name, cls, "table_size");
            Integer size = ts == null ? null : Integer.parseInt(ts.asText().trim());
            String table = precision(name, cls, "table");
            String exp = precision(name, cls, "exp_table");
            String inv = precision(name, cls, "inv_table");
            // the model default is not a table type: only an explicit table precision counts
            FixedPoint t = explicitVar(name, cls, "table") ? type(table, null) : null;
            FixedPoint e = explicitVar(name, cls, "exp_table") ? type(exp, null) : null;
            FixedPoint i = explicitVar(name, cls, "inv_table") ? type(inv, null) : null;
            JsonNode impl = setting(name, cls, "implementation");
            JsonNode skip = setting(name, cls, "skip");
            String implementation = skip != null && skip.asBoolean(false) ? "skip"
                    : impl == null ? null : impl.asText().toLowerCase(Locale.ROOT);
            if (size == null && t == null && e == null && i == null && implementation == null) {
                return null;
            }
            return new LayerHwConfig.TableSettings(size, t, e, i, implementation);
        }

        private boolean explicitVar(String name, String cls, String var) {
            return namePrecision.getOrDefault(name.toLowerCase(Locale.ROOT), Map.of()).containsKey(var)
                    || typePrecision.getOrDefault(cls.toLowerCase(Locale.ROOT), Map.of()).containsKey(var)
                    || modelPrecision.containsKey(var);
        }
    }

    /** hls4ml's convert_to_snake_case (utils/string_utils.py), lower-cased. */
    static String snake(String s) {
        String t = s.trim().replaceAll("(?<!^)(?=[A-Z])", "_").toLowerCase(Locale.ROOT);
        return t.replaceAll("_{2,}", "_");
    }

    private static String text(JsonNode v) {
        return v.isTextual() ? v.asText() : v.toString();
    }
}
