package dev.sparsimony.engine.io.keras;

import dev.sparsimony.engine.model.Tensor;
import java.util.Map;

/** Where the builder gets each layer's weights from (the H5 file, or a map in tests). */
interface KerasWeights {
    /**
     * The weights stored for one layer, keyed by role ({@code kernel}, {@code bias}, {@code gamma}, {@code beta},
     * {@code moving_mean}, {@code moving_variance}, ...) in the file's order; {@code null} when the file has no
     * entry at all for the layer.
     */
    Map<String, Tensor> layer(String layerName);

    /** File name for messages. */
    String fileName();

    /** Role of a Keras weight name: its last path segment without the ":0" suffix ("dense_1/kernel:0" -> "kernel"). */
    static String role(String weightName) {
        String s = weightName;
        int slash = s.lastIndexOf('/');
        if (slash >= 0) {
            s = s.substring(slash + 1);
        }
        int colon = s.lastIndexOf(':');
        if (colon > 0) {
            s = s.substring(0, colon);
        }
        return s;
    }
}
