package dev.sparsimony.engine.io.keras;

import dev.sparsimony.engine.model.Tensor;
import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import java.lang.reflect.Array;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes small Keras-layout H5 files with jHDF's writer (Keras' own layout: one group per layer holding a
 * subgroup of the same name with "kernel:0", "bias:0"...; a weight_names attribute per layer group).
 */
public final class H5Fixture {
    /** layer -> (role -> tensor), in layer order. */
    private final Map<String, Map<String, Tensor>> layers = new LinkedHashMap<>();

    H5Fixture put(String layer, String role, Tensor t) {
        layers.computeIfAbsent(layer, k -> new LinkedHashMap<>()).put(role, t);
        return this;
    }

    /** Weights-only file (model.save_weights): layer groups at the root. */
    void writeWeights(Path path) {
        try (WritableHdfFile f = HdfFile.write(path)) {
            f.putAttribute("keras_version", "2.13.1");
            f.putAttribute("backend", "tensorflow");
            writeLayers(f);
        }
    }

    /** Full-model file (model.save("x.h5")): model_config attribute, weights under model_weights. */
    void writeFullModel(Path path, String modelConfigJson) {
        try (WritableHdfFile f = HdfFile.write(path)) {
            f.putAttribute("model_config", modelConfigJson);
            f.putAttribute("keras_version", "2.13.1");
            f.putAttribute("backend", "tensorflow");
            writeLayers(f.putGroup("model_weights"));
        }
    }

    private void writeLayers(WritableGroup root) {
        if (!layers.isEmpty()) { // jHDF cannot write an empty string array
            root.putAttribute("layer_names", layers.keySet().toArray(String[]::new));
        }
        for (Map.Entry<String, Map<String, Tensor>> e : layers.entrySet()) {
            String layer = e.getKey();
            WritableGroup g = root.putGroup(layer);
            List<String> names = new ArrayList<>();
            WritableGroup inner = g.putGroup(layer);
            for (Map.Entry<String, Tensor> w : e.getValue().entrySet()) {
                names.add(layer + "/" + w.getKey() + ":0");
                inner.putDataset(w.getKey() + ":0", nested(w.getValue()));
            }
            g.putAttribute("weight_names", names.toArray(String[]::new));
        }
    }

    /** The tensor as a nested Java float array (what jHDF's writer takes). */
    public static Object nested(Tensor t) {
        int[] shape = t.shape();
        Object arr = Array.newInstance(float.class, shape);
        float[] d = t.data();
        fill(arr, shape, 0, d, new int[] {0});
        return arr;
    }

    private static void fill(Object arr, int[] shape, int dim, float[] d, int[] pos) {
        if (dim == shape.length - 1) {
            float[] row = (float[]) arr;
            System.arraycopy(d, pos[0], row, 0, row.length);
            pos[0] += row.length;
            return;
        }
        for (int i = 0; i < shape[dim]; i++) {
            fill(Array.get(arr, i), shape, dim + 1, d, pos);
        }
    }
}
