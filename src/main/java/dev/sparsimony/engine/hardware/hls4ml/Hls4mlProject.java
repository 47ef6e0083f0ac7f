package dev.sparsimony.engine.hardware.hls4ml;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sparsimony.engine.model.ModelException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * An hls4ml project folder as hls4ml's writer leaves it: {@code hls4ml_config.yml}, the model it was made from
 * (named by the configuration, usually saved beside it) and, once synthesised, the HLS reports under
 * {@code <project>_prj/solution1/syn/report}.
 *
 * @param config the configuration file, null when the folder has none (hls4ml's defaults are then assumed)
 * @param model  the model file the configuration names or the folder holds, null when none is found
 */
public record Hls4mlProject(Path dir, Path config, CsynthReport report, Path model) {
    /** The project in a folder; a folder without a synthesis report is a one-line error naming it. */
    public static Hls4mlProject open(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new ModelException("hls4ml project folder not found: " + dir);
        }
        CsynthReport report = CsynthReport.find(dir);
        Path config = dir.resolve("hls4ml_config.yml");
        if (!Files.isRegularFile(config)) {
            config = null;
        }
        Path model = config == null ? null : modelOf(config);
        if (model == null || !Files.exists(model)) {
            Path found = modelIn(dir);
            model = found != null ? found : model;
        }
        return new Hls4mlProject(dir, config, report, model);
    }

    /** The model file the configuration names (KerasModel, OnnxModel, KerasJson), resolved in its folder. */
    static Path modelOf(Path config) {
        JsonNode root = Hls4mlConfig.tree(config);
        for (String k : List.of("KerasModel", "OnnxModel", "KerasJson", "PytorchModel")) {
            JsonNode v = root.path(k);
            if (v.isTextual() && !v.asText().isBlank()) {
                Path p = Path.of(v.asText());
                Path dir = config.toAbsolutePath().getParent();
                if (p.isAbsolute() && Files.exists(p)) {
                    return p;
                }
                Path local = dir.resolve(p);
                if (Files.exists(local)) {
                    return local;
                }
                return dir.resolve(p.getFileName());
            }
        }
        return null;
    }

    /** A model file saved in the project folder (keras_model.h5, an ONNX file, a Keras JSON with its weights). */
    static Path modelIn(Path dir) {
        for (String n : List.of("keras_model.h5", "model.onnx", "model.json")) {
            if (Files.isRegularFile(dir.resolve(n))) {
                return dir.resolve(n);
            }
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".onnx")).sorted().findFirst().orElse(null);
        } catch (IOException e) {
            return null;
        }
    }
}
