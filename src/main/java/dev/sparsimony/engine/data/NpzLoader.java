package dev.sparsimony.engine.data;

import dev.sparsimony.engine.io.npy.NpyArray;
import dev.sparsimony.engine.io.npy.Npz;
import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.model.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A NumPy {@code .npz} archive. x and labels are picked by key: the first pair present among
 * (x, y), (X, Y), (inputs, labels), (x_test, y_test), (x_val, y_val), (features, labels), (data, labels);
 * when an x key is present without its partner, there are no labels. Otherwise the first array is x and the
 * second (if any) the labels. {@code options.labelColumn} names the labels key explicitly.
 */
final class NpzLoader implements DataLoader {
    static final String[][] PAIRS = {{"x", "y"}, {"X", "Y"}, {"inputs", "labels"}, {"x_test", "y_test"},
            {"x_val", "y_val"}, {"features", "labels"}, {"data", "labels"}};

    @Override
    public String formatName() {
        return "NumPy archive";
    }

    @Override
    public List<String> extensions() {
        return List.of("*.npz");
    }

    @Override
    public boolean accepts(Path path, byte[] head) {
        return Npz.hasMagic(head) || DataFiles.hasExtension(path, "npz");
    }

    @Override
    public Dataset load(Path path, DataOptions options) {
        String name = String.valueOf(path.getFileName());
        Map<String, NpyArray> arrays = Npz.read(path);
        if (arrays.isEmpty()) {
            throw new ModelException("data '" + name + "' holds no arrays");
        }
        List<String> keys = new ArrayList<>(arrays.keySet());
        String xKey = null;
        String yKey = null;
        for (String[] p : PAIRS) {
            if (arrays.containsKey(p[0])) {
                xKey = p[0];
                yKey = arrays.containsKey(p[1]) ? p[1] : null;
                break;
            }
        }
        if (xKey == null) {
            xKey = keys.get(0);
            yKey = keys.size() > 1 ? keys.get(1) : null;
        }
        if (options.labelColumn() != null) {
            yKey = options.labelColumn();
            if (!arrays.containsKey(yKey)) {
                throw new ModelException("data '" + name + "' has no array '" + yKey + "' (it holds "
                        + String.join(", ", keys) + ")");
            }
        }
        Tensor x = arrays.get(xKey).toTensor();
        if (x.rank() == 0) {
            throw new ModelException("data '" + name + "' array '" + xKey + "' is a single number, not samples");
        }
        int[] labels = DataFiles.externalLabels(options, () -> null, x.dim(0), name);
        if (labels == null && yKey != null && !options.ignoreLabels()) {
            labels = Labels.fromTensor(arrays.get(yKey).toTensor(), "'" + name + "' array '" + yKey + "'");
        }
        if (labels != null && labels.length != x.dim(0)) {
            throw new ModelException("data '" + name + "' has " + x.dim(0) + " samples in '" + xKey + "' but "
                    + labels.length + " labels in '" + yKey + "'");
        }
        return new Dataset(name, x, labels);
    }
}
