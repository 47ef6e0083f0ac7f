package dev.sparsimony.engine.explore;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.sparsimony.engine.io.AtomicFiles;
import dev.sparsimony.engine.model.ModelException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The one JSON codec of {@link DesignPoint}s: the CLI, the window, sweep results and every file use it. Reading
 * refuses unknown or misspelt fields by their path, reads older schema versions (migrating them), and refuses
 * points of a newer schema. Writing omits unset fields and spells fixed-point types as hls4ml does
 * ({@code "hls": "ap_fixed<8,3>"}); keys are sorted so equal points give equal bytes.
 */
public final class DesignPointCodec {
    /** Design points are small: a bigger file is not one (and would be read into memory). */
    private static final long MAX_BYTES = 16L << 20;

    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            // records are read and written by their components only, never by helper methods such as isEmpty()
            .disable(MapperFeature.AUTO_DETECT_IS_GETTERS)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    private DesignPointCodec() {
    }

    // ------------------------------------------------------------------ reading

    /** Reads a design-point file; messages name the file. */
    public static DesignPoint read(Path file) {
        return fromTree(readTree(file, "design point"), String.valueOf(file.getFileName()));
    }

    /** Reads a design point from JSON text; {@code label} names it in messages. */
    public static DesignPoint read(String json, String label) {
        try {
            return fromTree(JSON.readTree(json), label);
        } catch (JsonProcessingException e) {
            throw new ModelException("design point " + label + " is not valid JSON: " + firstLine(e), e);
        }
    }

    /** A JSON file read as a tree, with a size limit and one-line errors. */
    public static JsonNode readTree(Path file, String what) {
        try {
            if (!Files.isRegularFile(file)) {
                throw new ModelException(what + " file not found: " + file);
            }
            if (Files.size(file) > MAX_BYTES) {
                throw new ModelException(what + " " + file.getFileName() + " is " + Files.size(file)
                        + " bytes, more than a " + what + " can be (" + MAX_BYTES + ")");
            }
            return JSON.readTree(Files.readAllBytes(file));
        } catch (JsonProcessingException e) {
            throw new ModelException(what + " " + file.getFileName() + " is not valid JSON: " + firstLine(e), e);
        } catch (IOException e) {
            throw new ModelException("cannot read " + what + " " + file + ": " + AtomicFiles.describe(e), e);
        }
    }

    /** A design point from a parsed JSON object, migrating older schema versions. */
    public static DesignPoint fromTree(JsonNode root, String label) {
        if (root == null || !root.isObject()) {
            throw new ModelException("design point " + label + " must be a JSON object");
        }
        ObjectNode o = root.deepCopy();
        int version = o.has("version") ? o.get("version").asInt(-1) : 1;
        if (version < 1 || (o.has("version") && !o.get("version").canConvertToInt())) {
            throw new ModelException("design point " + label + ": version must be a positive whole number, got "
                    + o.get("version"));
        }
        if (version > DesignPoint.VERSION) {
            throw new ModelException("design point " + label + " has schema version " + version + ", newer than this"
                    + " Sparsimony reads (up to " + DesignPoint.VERSION + "); update Sparsimony");
        }
        if (version == 1) {
            migrateV1(o);
        }
        o.put("version", DesignPoint.VERSION);
        try {
            return JSON.treeToValue(o, DesignPoint.class);
        } catch (JsonProcessingException e) {
            throw new ModelException("design point " + label + ": " + describe(e), e);
        } catch (IllegalArgumentException e) {
            throw new ModelException("design point " + label + ": " + firstLine(e), e);
        }
    }

    /**
     * Version 1 kept the reuse factor and the weight width of the dsp-pattern / bram-block structures in their
     * parameters ("rf", "bits") and had {@code relativeBudgets}. The reuse factor moves to the hardware settings
     * (the single source since version 2); the width now follows the weight quantizer or the precision.
     */
    private static void migrateV1(ObjectNode o) {
        if (o.get("prune") instanceof ObjectNode p) {
            Integer rf = takeHardwareParams(p);
            if (rf != null) {
                ObjectNode hw = o.get("hardware") instanceof ObjectNode h ? h : o.putObject("hardware");
                if (!hw.has("reuseFactor")) {
                    hw.put("reuseFactor", rf);
                }
            }
            if (p.has("relativeBudgets")) {
                JsonNode rel = p.remove("relativeBudgets");
                if (!p.has("budgetBasis")) {
                    p.put("budgetBasis", rel.asBoolean(false) ? "unpruned" : "absolute");
                }
            } else if ("knapsack".equals(p.path("selection").asText()) && !p.has("budgetBasis")) {
                p.put("budgetBasis", "absolute"); // version 1 read budgets as counts unless told otherwise
            }
        }
        if (o.get("layers") instanceof ObjectNode layers) {
            for (Iterator<Map.Entry<String, JsonNode>> it = layers.fields(); it.hasNext(); ) {
                if (it.next().getValue() instanceof ObjectNode l) {
                    Integer rf = takeHardwareParams(l);
                    if (rf != null && !l.has("reuseFactor")) {
                        l.put("reuseFactor", rf);
                    }
                }
            }
        }
    }

    private static Integer takeHardwareParams(ObjectNode spec) {
        if (!(spec.get("params") instanceof ObjectNode params)) {
            return null;
        }
        String g = spec.path("granularity").asText("");
        if (!g.equals("dsp-pattern") && !g.equals("bram-block")) {
            return null;
        }
        JsonNode rf = params.remove("rf");
        params.remove("bits");
        return rf != null && rf.asInt(0) > 0 ? rf.asInt() : null;
    }

    /** A Jackson failure as one line naming the field path, e.g. "unknown field 'prune.foo'". */
    static String describe(JsonProcessingException e) {
        String path = path(e);
        if (e instanceof UnrecognizedPropertyException u) {
            List<String> known = new ArrayList<>();
            if (u.getKnownPropertyIds() != null) {
                u.getKnownPropertyIds().forEach(k -> known.add(String.valueOf(k)));
            }
            known.sort(null);
            return "unknown field '" + path + "'" + (known.isEmpty() ? "" : "; known here: "
                    + String.join(", ", known));
        }
        if (e instanceof InvalidFormatException f) {
            return "field '" + path + "' cannot be " + f.getValue() + " (expected "
                    + f.getTargetType().getSimpleName().toLowerCase(java.util.Locale.ROOT) + ")";
        }
        if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
            return "field '" + path + "' has the wrong type (expected " + typeName(m.getTargetType()) + ")";
        }
        if (e.getCause() instanceof ModelException me) {
            return (path.isEmpty() ? "" : path + ": ") + me.getMessage();
        }
        return (path.isEmpty() ? "" : "field '" + path + "': ") + firstLine(e);
    }

    private static String typeName(Class<?> t) {
        if (Number.class.isAssignableFrom(t) || t.isPrimitive() && t != boolean.class) {
            return "a number";
        }
        if (t == Boolean.class || t == boolean.class) {
            return "true or false";
        }
        if (t == String.class) {
            return "text";
        }
        if (Map.class.isAssignableFrom(t) || t.isRecord()) {
            return "an object";
        }
        if (List.class.isAssignableFrom(t)) {
            return "a list";
        }
        return t.getSimpleName();
    }

    private static String path(JsonProcessingException e) {
        if (!(e instanceof JsonMappingException m)) {
            return "";
        }
        return m.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    static String firstLine(Throwable e) {
        String m = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
        if (m == null) {
            return "unreadable";
        }
        String line = m.lines().findFirst().orElse("");
        return line.replaceAll(" \\(class [^)]*\\)", "").replaceAll("`[a-z]+(\\.[a-zA-Z$]+)+`", "value");
    }

    // ------------------------------------------------------------------ writing

    /** The point as a JSON tree: unset fields omitted, fixed-point types in hls4ml's spelling, keys sorted. */
    public static ObjectNode toTree(DesignPoint p) {
        ObjectNode o = JSON.valueToTree(p);
        spellFixedTypes(o);
        return o;
    }

    private static void spellFixedTypes(JsonNode n) {
        if (n instanceof ObjectNode o) {
            if (o.get("fixed") instanceof ObjectNode f && o.has("type") && f.has("width")) {
                o.remove("fixed");
                o.put("hls", fixedOf(f).hlsType());
            }
            o.elements().forEachRemaining(DesignPointCodec::spellFixedTypes);
        } else if (n != null && n.isArray()) {
            n.elements().forEachRemaining(DesignPointCodec::spellFixedTypes);
        }
    }

    private static dev.sparsimony.engine.quantize.FixedPoint fixedOf(ObjectNode f) {
        try {
            return JSON.treeToValue(f, dev.sparsimony.engine.quantize.FixedPoint.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String write(DesignPoint p) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(toTree(p)) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One line of JSON (for points.jsonl). */
    public static String writeCompact(DesignPoint p) {
        try {
            return JSON.writeValueAsString(toTree(p));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes a design-point file atomically. */
    public static void write(Path file, DesignPoint p) {
        AtomicFiles.write(file, write(p));
    }

    /** First 16 hex digits of the SHA-256 of a point's compact JSON (call on a canonical point). */
    static String hash(DesignPoint canonical) {
        return sha256(writeCompact(canonical).getBytes(StandardCharsets.UTF_8)).substring(0, 16);
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
