package dev.sparsimony.engine.data;

import dev.sparsimony.engine.io.npy.Npy;
import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.model.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A single {@code .npy} array as x (samples on axis 0). Labels: {@code options.labelsFile}, else the first
 * existing companion beside it: {@code <stem>_labels.npy}, then, for a stem {@code x} / {@code X} /
 * {@code x_<suffix>} / {@code X_<suffix>}, the same name with {@code y} / {@code Y} (e.g. x_test.npy ->
 * y_test.npy).
 */
final class NpyLoader implements DataLoader {
    @Override
    public String formatName() {
        return "NumPy";
    }

    @Override
    public List<String> extensions() {
        return List.of("*.npy");
    }

    @Override
    public boolean accepts(Path path, byte[] head) {
        return Npy.hasMagic(head) || (DataFiles.hasExtension(path, "npy") && !DataFiles.isText(head));
    }

    @Override
    public Dataset load(Path path, DataOptions options) throws IOException {
        String name = String.valueOf(path.getFileName());
        Tensor x;
        try (InputStream in = DataFiles.open(path)) {
            x = Npy.read(in, name).toTensor();
        }
        if (x.rank() == 0) {
            throw new ModelException("data '" + name + "' is a single number, not an array of samples");
        }
        return new Dataset(name, x, DataFiles.externalLabels(options, () -> companion(path), x.dim(0), name));
    }

    /** The companion labels file by the documented naming rule, or null. */
    static Path companion(Path path) {
        String f = String.valueOf(path.getFileName());
        if (!f.endsWith(".npy")) {
            return null;
        }
        String stem = f.substring(0, f.length() - 4);
        List<String> names = new ArrayList<>();
        names.add(stem + "_labels.npy");
        if (stem.equals("x") || stem.startsWith("x_")) {
            names.add("y" + stem.substring(1) + ".npy");
        } else if (stem.equals("X") || stem.startsWith("X_")) {
            names.add("Y" + stem.substring(1) + ".npy");
            names.add("y" + stem.substring(1) + ".npy");
        }
        for (String n : names) {
            Path p = path.resolveSibling(n);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }
}
