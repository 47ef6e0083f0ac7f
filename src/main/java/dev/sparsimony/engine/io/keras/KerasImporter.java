package dev.sparsimony.engine.io.keras;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sparsimony.engine.io.ModelImporter;
import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.model.ModelException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Keras models: an architecture JSON ({@code model.to_json()}) with its weights H5 beside it
 * ({@code X.json} + {@code X_weights.h5} or {@code X.h5}), or a full-model H5 ({@code model.save("x.h5")}:
 * the architecture in the {@code model_config} attribute, the weights under {@code model_weights}).
 * Keras 2.x, tf.keras and the legacy H5 format of Keras 3 are read; feature maps stay channels-last.
 */
public final class KerasImporter implements ModelImporter {
    static {
        // jHDF logs every file open at INFO through slf4j-simple; keep the CLI quiet unless the user asks for it.
        if (System.getProperty("org.slf4j.simpleLogger.log.io.jhdf") == null) {
            System.setProperty("org.slf4j.simpleLogger.log.io.jhdf", "warn");
        }
    }

    /** Larger JSON files are not Keras architectures (hls4ml's biggest are a few hundred KB). */
    private static final long MAX_JSON_BYTES = 64L << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String formatName() {
        return "Keras";
    }

    @Override
    public List<String> extensions() {
        return List.of("*.h5", "*.hdf5", "*.json");
    }

    @Override
    public boolean accepts(Path path) {
        String n = lower(path);
        if (n.endsWith(".h5") || n.endsWith(".hdf5")) {
            return true;
        }
        return n.endsWith(".json") && looksLikeKerasJson(path);
    }

    @Override
    public Model load(Path path) throws IOException {
        String n = lower(path);
        try {
            if (n.endsWith(".json")) {
                return loadJson(path);
            }
            return loadH5(path);
        } catch (ModelException e) {
            throw e;
        } catch (IOException e) {
            throw new ModelException("Keras: cannot read " + path.getFileName() + ": " + e.getMessage(), e);
        } catch (StackOverflowError e) {
            throw new ModelException(path.getFileName() + ": the Keras architecture is nested too deeply to read", e);
        } catch (RuntimeException e) {
            // jHDF and Jackson throw their own unchecked exceptions on damaged input.
            throw new ModelException(path.getFileName() + " is corrupt or not a Keras model ("
                    + dev.sparsimony.engine.model.Problems.inUserWords(e) + ")", e);
        }
    }

    // ------------------------------------------------------------------ JSON architecture + weights H5

    private Model loadJson(Path json) throws IOException {
        JsonNode arch = readArchitecture(json);
        String fileName = json.getFileName().toString();
        String stem = fileName.substring(0, fileName.length() - ".json".length());
        List<Path> candidates = List.of(json.resolveSibling(stem + "_weights.h5"), json.resolveSibling(stem + ".h5"),
                json.resolveSibling(stem + "_weights.hdf5"), json.resolveSibling(stem + ".hdf5"));
        Path weights = null;
        for (Path c : candidates) {
            if (Files.isRegularFile(c)) {
                weights = c;
                break;
            }
        }
        if (weights == null) {
            throw new ModelException(fileName + ": weights file not found (looked for " + stem + "_weights.h5, "
                    + stem + ".h5)");
        }
        try (KerasH5 h5 = KerasH5.open(weights)) {
            return KerasModelBuilder.build(arch, h5, stem, json.getFileName() + " + " + weights.getFileName());
        }
    }

    private static JsonNode readArchitecture(Path json) throws IOException {
        long size = Files.size(json);
        if (size == 0) {
            throw new ModelException(json.getFileName() + " is empty");
        }
        if (size > MAX_JSON_BYTES) {
            throw new ModelException(json.getFileName() + " is too large (" + size + " bytes) to be a Keras"
                    + " architecture JSON");
        }
        JsonNode node;
        try {
            node = JSON.readTree(json.toFile());
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new ModelException(json.getFileName() + " is not valid JSON ("
                    + oneLine(e.getOriginalMessage()) + ")", e);
        }
        return checkArchitecture(node, json.getFileName().toString());
    }

    static JsonNode checkArchitecture(JsonNode node, String where) {
        if (node == null || !node.isObject() || !node.path("class_name").isTextual() || !node.has("config")) {
            throw new ModelException(where + " is not a Keras model architecture (no top-level \"class_name\" and"
                    + " \"config\")");
        }
        return node;
    }

    // ------------------------------------------------------------------ H5: full model, or weights with a JSON

    private Model loadH5(Path h5Path) throws IOException {
        String fileName = h5Path.getFileName().toString();
        if (Files.size(h5Path) == 0) {
            throw new ModelException(fileName + " is empty");
        }
        try (KerasH5 h5 = KerasH5.open(h5Path)) {
            String stem = fileName.substring(0, fileName.lastIndexOf('.'));
            String config = h5.modelConfig();
            if (config != null) {
                JsonNode arch;
                try {
                    arch = JSON.readTree(config);
                } catch (com.fasterxml.jackson.core.JacksonException e) {
                    throw new ModelException(fileName + ": its model_config attribute is not valid JSON ("
                            + oneLine(e.getOriginalMessage()) + ")", e);
                }
                checkArchitecture(arch, fileName + " (model_config)");
                return KerasModelBuilder.build(arch, h5, stem, fileName);
            }
            // weights only: the architecture is the JSON beside it
            List<Path> candidates = new ArrayList<>();
            if (stem.endsWith("_weights")) {
                candidates.add(h5Path.resolveSibling(stem.substring(0, stem.length() - "_weights".length()) + ".json"));
            }
            candidates.add(h5Path.resolveSibling(stem + ".json"));
            for (Path c : candidates) {
                if (Files.isRegularFile(c)) {
                    JsonNode arch = readArchitecture(c);
                    return KerasModelBuilder.build(arch, h5, c.getFileName().toString().replaceFirst("\\.json$", ""),
                            c.getFileName() + " + " + fileName);
                }
            }
            if (h5.isKeras3WeightsLayout()) {
                throw new ModelException(fileName + " is in the Keras 3 weights format, which is not supported;"
                        + " save the model with model.save(\"x.h5\") or export it to ONNX");
            }
            if (!h5.hasLayerNames()) {
                throw new ModelException(fileName + " is an HDF5 file but not a Keras model (no model_config"
                        + " attribute and no layer_names)");
            }
            StringBuilder looked = new StringBuilder();
            for (Path c : candidates) {
                looked.append(looked.length() == 0 ? "" : ", ").append(c.getFileName());
            }
            throw new ModelException(fileName + " holds Keras weights but no architecture (no model_config attribute)"
                    + " and its architecture JSON was not found (looked for " + looked + ")");
        }
    }

    // ------------------------------------------------------------------ helpers

    /** Cheap content check: a JSON object whose top level has "class_name" (a string) and "config". */
    static boolean looksLikeKerasJson(Path path) {
        try {
            if (!Files.isRegularFile(path) || Files.size(path) == 0 || Files.size(path) > MAX_JSON_BYTES) {
                return false;
            }
            try (InputStream in = Files.newInputStream(path);
                 JsonParser p = new JsonFactory().createParser(in)) {
                if (p.nextToken() != JsonToken.START_OBJECT) {
                    return false;
                }
                boolean className = false;
                boolean config = false;
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String f = p.currentName();
                    JsonToken v = p.nextToken();
                    if (f.equals("class_name") && v == JsonToken.VALUE_STRING) {
                        className = true;
                    } else if (f.equals("config") && (v == JsonToken.START_OBJECT || v == JsonToken.START_ARRAY)) {
                        config = true;
                    }
                    if (className && config) {
                        return true; // decided before reading further, so a damaged tail still gets a clear error
                    }
                    p.skipChildren();
                }
                return false;
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static String lower(Path p) {
        Path f = p.getFileName();
        return f == null ? "" : f.toString().toLowerCase(Locale.ROOT);
    }

    static String oneLine(String s) {
        return dev.sparsimony.engine.model.Problems.excerpt(s);
    }
}
