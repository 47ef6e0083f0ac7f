package dev.sparsimony.engine.io.keras;

import dev.sparsimony.engine.model.Tensor;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** In-memory weights for building models from hand-written Keras JSON in tests. */
final class MapWeights implements KerasWeights {
    private final Map<String, Map<String, Tensor>> layers = new HashMap<>();

    MapWeights put(String layer, String role, Tensor t) {
        layers.computeIfAbsent(layer, k -> new LinkedHashMap<>()).put(role, t);
        return this;
    }

    /** A tensor 1, 2, 3, ... of the given shape. */
    static Tensor ramp(int... shape) {
        float[] v = new float[Math.toIntExact(Tensor.numel(shape))];
        for (int i = 0; i < v.length; i++) {
            v[i] = i + 1;
        }
        return Tensor.of(v, shape);
    }

    @Override
    public Map<String, Tensor> layer(String layerName) {
        return layers.get(layerName);
    }

    @Override
    public String fileName() {
        return "test_weights.h5";
    }
}
