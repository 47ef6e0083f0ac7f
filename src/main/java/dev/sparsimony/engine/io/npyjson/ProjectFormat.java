package dev.sparsimony.engine.io.npyjson;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sparsimony.engine.io.npy.Npy;
import dev.sparsimony.engine.io.npy.NpyArray;
import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.model.Node;
import dev.sparsimony.engine.model.Op;
import dev.sparsimony.engine.model.Tensor;
import dev.sparsimony.engine.model.ValueInfo;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Sparsimony's own model format: a directory with a {@code model.json} manifest and one {@code .npy} file per
 * tensor. Schema and example: docs/file-formats.md.
 */
public final class ProjectFormat {
    /** Value of the manifest's "format" field; importers recognise the format by it. */
    public static final String FORMAT_NAME = "sparsimony-model";
    public static final int FORMAT_VERSION = 1;
    public static final String MANIFEST = "model.json";
    public static final String VALIDATION_DATA = "validation.npz";

    private static final Pattern MARKER = Pattern.compile("\"format\"\\s*:\\s*\"" + FORMAT_NAME + "\"");

    static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private ProjectFormat() {
    }

    // ------------------------------------------------------------------ writing

    /**
     * Writes the model into {@code dir} (created if needed): all tensors first, then the manifest through a
     * temporary file moved into place, so a failure never leaves a manifest naming missing tensors. When the
     * directory already holds a model, the new tensors get names its manifest does not use, so a failed save
     * leaves the old model whole; the old tensor files are deleted once the new manifest is in place.
     */
    public static void write(Model model, Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new ModelException("cannot create model directory " + dir + ": " + e.getMessage(), e);
        }
        Set<String> oldFiles = referencedFiles(dir.resolve(MANIFEST));

        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT_NAME);
        root.put("formatVersion", FORMAT_VERSION);
        root.put("name", model.name());
        ArrayNode inputs = root.putArray("inputs");
        for (ValueInfo v : model.inputs()) {
            ObjectNode i = inputs.addObject();
            i.put("name", v.name());
            ArrayNode s = i.putArray("shape");
            for (int d : v.shape()) {
                s.add(d);
            }
        }
        ArrayNode nodes = root.putArray("nodes");
        // names the old manifest uses are taken: the old model stays intact until the new manifest replaces it
        Set<String> usedFiles = new HashSet<>();
        oldFiles.forEach(f -> usedFiles.add(f.toLowerCase(Locale.ROOT)));
        Set<String> newFiles = new HashSet<>();
        for (Node n : model.nodes()) {
            ObjectNode o = nodes.addObject();
            o.put("name", n.name());
            o.put("op", OpCodec.typeName(n.op()));
            ArrayNode in = o.putArray("inputs");
            n.inputs().forEach(in::add);
            o.set("attributes", OpCodec.attributes(n.op()));
            ObjectNode w = o.putObject("weights");
            for (Map.Entry<String, Tensor> e : n.op().weights().entrySet()) {
                String file = uniqueFileName(n.name(), e.getKey(), usedFiles);
                Npy.write(dir.resolve(file), NpyArray.ofFloats(e.getValue()));
                w.put(e.getKey(), file);
                newFiles.add(file);
            }
        }
        ArrayNode outs = root.putArray("outputs");
        model.outputs().forEach(outs::add);
        ObjectNode md = root.putObject("metadata");
        model.metadata().forEach(md::put);

        Path manifest = dir.resolve(MANIFEST);
        Path tmp = dir.resolve(MANIFEST + ".tmp");
        try {
            JSON.writeValue(tmp.toFile(), root);
            try {
                Files.move(tmp, manifest, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, manifest, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new ModelException("cannot write " + manifest + ": " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // best effort
            }
        }
        for (String f : oldFiles) {
            if (!newFiles.contains(f)) {
                try {
                    Path p = dir.resolve(f).normalize();
                    if (p.startsWith(dir.normalize()) && f.endsWith(".npy")) {
                        Files.deleteIfExists(p);
                    }
                } catch (IOException ignored) {
                    // a stale tensor file left behind is harmless
                }
            }
        }
    }

    /** "<node>_<weight>.npy" with characters outside [A-Za-z0-9._-] replaced, unique ignoring case. */
    private static String uniqueFileName(String node, String weight, Set<String> used) {
        String base = (node + "_" + weight).replaceAll("[^A-Za-z0-9._-]", "_");
        if (base.startsWith(".")) {
            base = "_" + base.substring(1);
        }
        String f = base + ".npy";
        for (int k = 2; !used.add(f.toLowerCase(Locale.ROOT)); k++) {
            f = base + "_" + k + ".npy";
        }
        return f;
    }

    /** Tensor files named by an existing manifest (empty when there is none or it is unreadable). */
    private static Set<String> referencedFiles(Path manifest) {
        Set<String> files = new HashSet<>();
        if (!Files.isRegularFile(manifest)) {
            return files;
        }
        try {
            JsonNode root = JSON.readTree(manifest.toFile());
            for (JsonNode n : root.path("nodes")) {
                for (JsonNode f : n.path("weights")) {
                    if (f.isTextual()) {
                        files.add(f.textValue());
                    }
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // the old manifest is being replaced anyway
        }
        return files;
    }

    // ------------------------------------------------------------------ reading

    /** True when the file starts with a JSON object carrying the project's format marker. */
    public static boolean isManifest(Path file) {
        if (!Files.isRegularFile(file)) {
            return false;
        }
        try (InputStream in = Files.newInputStream(file)) {
            String head = new String(in.readNBytes(4096), StandardCharsets.UTF_8);
            return MARKER.matcher(head).find();
        } catch (IOException e) {
            return false;
        }
    }

    /** Reads a model from its directory or from its manifest file. */
    public static Model read(Path dirOrManifest) {
        Path manifest = Files.isDirectory(dirOrManifest) ? dirOrManifest.resolve(MANIFEST) : dirOrManifest;
        String mName = String.valueOf(manifest.getFileName());
        if (!Files.exists(manifest)) {
            throw new ModelException(Files.isDirectory(dirOrManifest)
                    ? "model directory " + dirOrManifest + " has no " + MANIFEST
                    : "model file not found: " + manifest);
        }
        if (!Files.isRegularFile(manifest)) {
            throw new ModelException(mName + " is not a regular file (a folder, a pipe or a device?)");
        }
        Path dir = manifest.toAbsolutePath().getParent();
        JsonNode root;
        try {
            root = JSON.readTree(manifest.toFile());
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            throw new ModelException(mName + " is not valid JSON"
                    + (loc == null ? "" : " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")")
                    + ": " + jsonProblem(e), e);
        } catch (NoSuchFileException e) {
            throw new ModelException("model file not found: " + manifest);
        } catch (IOException e) {
            throw new ModelException("cannot read " + manifest + ": " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new ModelException(mName + " is not a Sparsimony model manifest (expected a JSON object)");
        }
        JsonNode fmt = root.get("format");
        if (fmt == null || !FORMAT_NAME.equals(fmt.asText())) {
            throw new ModelException(mName + " is not a Sparsimony model manifest (\"format\" must be \""
                    + FORMAT_NAME + "\", got " + (fmt == null ? "nothing" : fmt) + ")");
        }
        JsonNode ver = root.get("formatVersion");
        if (ver == null || !ver.isIntegralNumber()) {
            throw new ModelException(mName + ": \"formatVersion\" must be an integer");
        }
        if (ver.intValue() < 1 || ver.intValue() > FORMAT_VERSION) {
            throw new ModelException(mName + " has format version " + ver.asText() + ", but this Sparsimony reads"
                    + " version " + FORMAT_VERSION + (ver.intValue() > FORMAT_VERSION ? " (the file was written by"
                    + " a newer Sparsimony)" : ""));
        }
        String name = root.hasNonNull("name") ? root.get("name").asText() : stem(dir);

        List<ValueInfo> inputs = new ArrayList<>();
        for (JsonNode i : array(root, "inputs", mName)) {
            String in = text(i, "name", mName + ": an input");
            JsonNode s = i.get("shape");
            if (s == null || !s.isArray()) {
                throw new ModelException(mName + ": input '" + in + "' needs a \"shape\" list (batch as -1)");
            }
            int[] shape = new int[s.size()];
            for (int k = 0; k < shape.length; k++) {
                if (!s.get(k).canConvertToInt() || !s.get(k).isIntegralNumber()) {
                    throw new ModelException(mName + ": input '" + in + "' has a non-integer dimension " + s);
                }
                shape[k] = s.get(k).intValue();
            }
            inputs.add(new ValueInfo(in, shape));
        }

        List<Node> nodes = new ArrayList<>();
        for (JsonNode n : array(root, "nodes", mName)) {
            nodes.add(readNode(n, dir, mName));
        }
        List<String> outputs = new ArrayList<>();
        for (JsonNode o : array(root, "outputs", mName)) {
            outputs.add(o.asText());
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        JsonNode md = root.get("metadata");
        if (md != null && md.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = md.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                metadata.put(e.getKey(), e.getValue().isTextual() ? e.getValue().textValue()
                        : e.getValue().toString());
            }
        }
        Model model;
        try {
            model = new Model(name, inputs, nodes, outputs, metadata);
        } catch (ModelException e) {
            throw new ModelException(mName + ": " + e.getMessage(), e);
        }
        try {
            model.inferShapes(1);
        } catch (ModelException e) {
            throw new ModelException(mName + ": " + e.getMessage(), e);
        }
        return model;
    }

    private static Node readNode(JsonNode n, Path dir, String mName) {
        if (!n.isObject()) {
            throw new ModelException(mName + ": every entry of \"nodes\" must be an object, got " + n);
        }
        String name = text(n, "name", mName + ": a node");
        String type = text(n, "op", mName + ": layer '" + name + "'");
        String ctx = mName + ": layer '" + name + "' (" + type + ")";
        List<String> weightSpec = OpCodec.WEIGHTS.get(type);
        if (weightSpec == null) {
            throw new ModelException(mName + ": layer '" + name + "' has unknown op type '" + type + "' (known: "
                    + String.join(", ", new java.util.TreeSet<>(OpCodec.WEIGHTS.keySet())) + ")");
        }
        List<String> inputs = new ArrayList<>();
        JsonNode in = n.get("inputs");
        if (in != null) {
            if (!in.isArray()) {
                throw new ModelException(ctx + ": \"inputs\" must be a list of names");
            }
            in.forEach(x -> inputs.add(x.asText()));
        }
        Map<String, Tensor> weights = new LinkedHashMap<>();
        JsonNode w = n.get("weights");
        if (w != null && !w.isNull()) {
            if (!w.isObject()) {
                throw new ModelException(ctx + ": \"weights\" must map weight names to .npy file names");
            }
            Set<String> known = new HashSet<>();
            weightSpec.forEach(s -> known.add(s.replace("?", "")));
            for (Iterator<Map.Entry<String, JsonNode>> it = w.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String wn = e.getKey();
                if (!known.contains(wn)) {
                    throw new ModelException(ctx + " has no weight named '" + wn + "' (it takes "
                            + (known.isEmpty() ? "none" : String.join(", ", weightSpec)) + ")");
                }
                if (!e.getValue().isTextual()) {
                    throw new ModelException(ctx + " weight '" + wn + "' must name a .npy file");
                }
                weights.put(wn, readTensor(dir, e.getValue().textValue(), name, wn, mName));
            }
        }
        for (String s : weightSpec) {
            if (!s.endsWith("?") && !weights.containsKey(s)) {
                throw new ModelException(ctx + " lacks its weight '" + s + "'");
            }
        }
        Op op;
        try {
            op = OpCodec.decode(type, n.get("attributes"), weights, ctx);
        } catch (ModelException e) {
            throw e.getMessage().startsWith(mName) ? e : new ModelException(ctx + ": " + e.getMessage(), e);
        }
        try {
            return new Node(name, op, inputs);
        } catch (ModelException e) {
            throw new ModelException(mName + ": " + e.getMessage(), e);
        }
    }

    private static Tensor readTensor(Path dir, String file, String layer, String weight, String mName) {
        Path p = dir.resolve(file).normalize();
        String ref = mName + ": layer '" + layer + "' weight '" + weight + "'";
        if (!p.startsWith(dir.normalize())) {
            throw new ModelException(ref + " refers to " + file + ", which is outside the model directory");
        }
        if (!Files.isRegularFile(p)) {
            throw new ModelException(ref + " refers to " + file + ", which does not exist");
        }
        Tensor t;
        try {
            t = Npy.read(p).toTensor();
        } catch (ModelException e) {
            throw new ModelException(ref + ": " + e.getMessage(), e);
        }
        // NaN/Inf weights are the business of the one policy in ModelFiles.load (engine.model.NonFinite)
        return t;
    }

    /** Jackson's message without its multi-line source excerpt. */
    private static String jsonProblem(JsonProcessingException e) {
        String m = String.valueOf(e.getOriginalMessage());
        if (m.startsWith("Trailing token")) {
            return "there is more text after the end of the JSON object";
        }
        m = m.replaceAll("\\s*\\(bound as [^)]*\\)", "").replaceAll(":? ?not allowed as per `[^`]*`", "");
        int src = m.indexOf(" at [Source:");
        if (src >= 0) {
            int open = m.lastIndexOf(" (", src);
            m = m.substring(0, open >= 0 ? open : src);
        }
        return m.replaceAll("\\s+", " ").strip();
    }

    private static JsonNode array(JsonNode root, String key, String mName) {
        JsonNode a = root.get(key);
        if (a == null || !a.isArray()) {
            throw new ModelException(mName + " needs a \"" + key + "\" list");
        }
        return a;
    }

    private static String text(JsonNode n, String key, String ctx) {
        JsonNode v = n.get(key);
        if (v == null || !v.isTextual() || v.textValue().isBlank()) {
            throw new ModelException(ctx + " needs a \"" + key + "\" string");
        }
        return v.textValue();
    }

    private static String stem(Path p) {
        String f = String.valueOf(p.getFileName());
        int dot = f.lastIndexOf('.');
        return dot > 0 ? f.substring(0, dot) : f;
    }

    // ------------------------------------------------------------------ conventions

    /**
     * The validation data that goes with a model, if present: {@code validation.npz} inside a model directory
     * (or beside its {@code model.json}); beside any other model file {@code <stem>_validation.npz}, else
     * {@code validation.npz}.
     */
    public static Optional<Path> defaultValidationData(Path modelPath) {
        if (modelPath == null) {
            return Optional.empty();
        }
        List<Path> candidates = new ArrayList<>();
        if (Files.isDirectory(modelPath)) {
            candidates.add(modelPath.resolve(VALIDATION_DATA));
        } else {
            Path dir = modelPath.toAbsolutePath().getParent();
            if (dir == null) {
                return Optional.empty();
            }
            candidates.add(dir.resolve(stem(modelPath) + "_" + VALIDATION_DATA));
            candidates.add(dir.resolve(VALIDATION_DATA));
        }
        return candidates.stream().filter(Files::isRegularFile).findFirst();
    }

    /** Writes {@code validation.npz} (x float32, y int64 when labels are given) into a model directory. */
    public static Path writeValidationData(Path dir, Tensor x, int[] labels) {
        Map<String, NpyArray> m = new LinkedHashMap<>();
        m.put("x", NpyArray.ofFloats(x));
        if (labels != null) {
            m.put("y", NpyArray.ofInts(labels));
        }
        Path p = dir.resolve(VALIDATION_DATA);
        dev.sparsimony.engine.io.npy.Npz.write(p, m);
        return p;
    }
}
