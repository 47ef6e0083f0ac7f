package dev.sparsimony.engine.io.npyjson;

import dev.sparsimony.engine.io.ModelImporter;
import dev.sparsimony.engine.model.Model;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Imports the project format ({@link ProjectFormat}): a directory holding model.json, or a .json file whose
 * content carries the project's format marker. Other JSON (e.g. Keras architecture files) is left to other
 * importers.
 */
public final class NpyJsonImporter implements ModelImporter {
    @Override
    public String formatName() {
        return "Sparsimony model";
    }

    @Override
    public List<String> extensions() {
        return List.of("model.json", "<directory with model.json>");
    }

    @Override
    public boolean accepts(Path path) {
        if (Files.isDirectory(path)) {
            return Files.isRegularFile(path.resolve(ProjectFormat.MANIFEST));
        }
        String f = String.valueOf(path.getFileName()).toLowerCase(java.util.Locale.ROOT);
        return f.endsWith(".json") && ProjectFormat.isManifest(path);
    }

    @Override
    public Model load(Path path) {
        return ProjectFormat.read(path);
    }
}
