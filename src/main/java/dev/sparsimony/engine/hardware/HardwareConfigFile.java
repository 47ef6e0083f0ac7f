package dev.sparsimony.engine.hardware;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.quantize.FixedPoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads per-layer hardware settings from JSON, in either of two shapes (documented in docs/hardware-models.md):
 * <pre>
 * {"precision": "ap_fixed&lt;16,6&gt;", "reuseFactor": 1, "strategy": "latency", "io": "parallel", "clockMhz": 200,
 *  "layers": {"fc1": {"precision": "ap_fixed&lt;8,3&gt;", "reuseFactor": 4, "strategy": "resource"}}}
 * </pre>
 * or hls4ml's HLSConfig dictionary: {@code {"Model": {"Precision": ..., "ReuseFactor": ..., "Strategy": ...},
 * "LayerName": {"fc1": {"Precision": {"weight": ..., "bias": ..., "result": ...}, "ReuseFactor": ...}}}}.
 * Per-layer precision may be a string (all three types) or an object with weight/bias/result.
 */
public final class HardwareConfigFile {
    private static final ObjectMapper JSON = new ObjectMapper();

    private HardwareConfigFile() {
    }

    public static HardwareConfig read(Path file, HardwareConfig base) {
        if (!Files.isRegularFile(file)) {
            throw new ModelException("configuration file not found: " + file);
        }
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new ModelException("configuration " + file.getFileName() + " is not valid JSON: "
                    + e.getMessage().lines().findFirst().orElse(""), e);
        }
        try {
            return apply(root, base);
        } catch (ModelException e) {
            throw new ModelException("configuration " + file.getFileName() + ": " + e.getMessage(), e);
        }
    }

    /** Keys of the override file and of hls4ml's HLSConfig dictionary that this reader uses. */
    private static final java.util.Set<String> ROOT_KEYS = java.util.Set.of("precision", "reuseFactor", "strategy",
            "io", "clockMhz", "layers", "Model", "LayerName", "IOType", "ClockPeriod");
    private static final java.util.Set<String> LAYER_KEYS = java.util.Set.of("precision", "Precision",
            "weightPrecision", "biasPrecision", "resultPrecision", "reuseFactor", "ReuseFactor", "strategy",
            "Strategy");

    public static HardwareConfig apply(JsonNode root, HardwareConfig base) {
        if (root == null || !root.isObject()) {
            throw new ModelException("expected a JSON object");
        }
        // nothing is dropped silently: an hls4ml project file or a design point's fields say where they belong
        if (root.has("HLSConfig") || root.has("Part") || root.has("LayerType")) {
            throw new ModelException("this is an hls4ml project configuration: give it with --hls4ml-config");
        }
        for (java.util.Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!ROOT_KEYS.contains(k)) {
                throw new ModelException("unknown setting '" + k + "' (known: " + String.join(", ",
                        new java.util.TreeSet<>(ROOT_KEYS)) + "; for a design point add \"version\": 2)");
            }
        }
        JsonNode ls = first(root, "layers", "LayerName");
        if (ls != null && ls.isObject()) {
            for (java.util.Iterator<Map.Entry<String, JsonNode>> it = ls.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                for (java.util.Iterator<String> f = e.getValue().fieldNames(); f.hasNext(); ) {
                    String k = f.next();
                    if (!LAYER_KEYS.contains(k)) {
                        throw new ModelException("layer '" + e.getKey() + "': unknown setting '" + k + "' (known: "
                                + String.join(", ", new java.util.TreeSet<>(LAYER_KEYS)) + "; hls4ml keys such as"
                                + " Trace belong in --hls4ml-config, design-point fields need \"version\": 2)");
                    }
                }
            }
        }
        JsonNode model = root.has("Model") ? root.get("Model") : root;
        LayerHwConfig defaults = layer(model, base.defaults());
        IoType io = base.io();
        JsonNode ioNode = first(root, "io", "IOType");
        if (ioNode != null) {
            io = IoType.parse(ioNode.asText());
        }
        double clock = base.clockMhz();
        JsonNode clockNode = first(root, "clockMhz");
        if (clockNode != null) {
            clock = clockNode.asDouble();
        }
        JsonNode period = first(root, "ClockPeriod");
        if (period != null && period.asDouble() > 0) {
            clock = 1000.0 / period.asDouble();
        }
        Map<String, LayerHwConfig> layers = new LinkedHashMap<>(base.layers());
        JsonNode ln = first(root, "layers", "LayerName");
        if (ln != null) {
            Iterator<Map.Entry<String, JsonNode>> it = ln.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                try {
                    layers.put(e.getKey(), layer(e.getValue(), layers.getOrDefault(e.getKey(), defaults)));
                } catch (ModelException ex) {
                    throw new ModelException("layer '" + e.getKey() + "': " + ex.getMessage(), ex);
                }
            }
        }
        FixedPoint input = base.input() == base.defaults().result() ? defaults.result() : base.input();
        return new HardwareConfig(defaults, layers, input, io, clock, base.params(), base.strictReuse());
    }

    /** The precision under {@code key}, or {@code otherwise} when {@code n} has none. */
    private static FixedPoint precision(JsonNode n, String key, FixedPoint otherwise) {
        JsonNode x = first(n, key);
        return x == null ? otherwise : Precisions.parse(x.asText());
    }

    private static JsonNode first(JsonNode n, String... names) {
        for (String s : names) {
            if (n.has(s)) {
                return n.get(s);
            }
        }
        return null;
    }

    private static LayerHwConfig layer(JsonNode n, LayerHwConfig base) {
        FixedPoint w = base.weight();
        FixedPoint b = base.bias();
        FixedPoint r = base.result();
        JsonNode prec = first(n, "precision", "Precision");
        if (prec != null) {
            if (prec.isTextual()) {
                w = Precisions.parse(prec.asText());
                b = w;
                r = w;
            } else {
                w = precision(prec, "weight", w);
                b = precision(prec, "bias", b);
                r = precision(prec, "result", r);
            }
        }
        w = precision(n, "weightPrecision", w);
        b = precision(n, "biasPrecision", b);
        r = precision(n, "resultPrecision", r);
        int rf = base.reuseFactor();
        JsonNode x = first(n, "reuseFactor", "ReuseFactor");
        if (x != null) {
            if (!x.canConvertToInt()) {
                throw new ModelException("reuse factor must be an integer, got " + x);
            }
            rf = x.asInt();
        }
        Strategy s = base.strategy();
        x = first(n, "strategy", "Strategy");
        if (x != null) {
            s = Strategy.parse(x.asText());
        }
        return new LayerHwConfig(w, b, r, rf, s);
    }
}
