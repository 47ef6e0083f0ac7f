package dev.sparsimony.engine.explore;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sparsimony.engine.data.Dataset;
import dev.sparsimony.engine.hardware.HardwareConfig;
import dev.sparsimony.engine.hardware.LayerHwConfig;
import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.model.Tensor;
import dev.sparsimony.engine.model.ValueInfo;
import dev.sparsimony.engine.quantize.FixedPoint;
import dev.sparsimony.engine.quantize.QuantizerSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@link DesignPoint} as hardware settings (used by {@code estimate --config POINT.json} and the GUI): the model is compressed
 * as the point says (pruning, quantization) and the point's fixed-point types and reuse factors become the
 * hardware settings (weights -&gt; weight_t, biases -&gt; bias_t, outputs -&gt; result_t, per layer where given).
 */
public final class DesignPointHardware {
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true); // a misspelt field must not pass silently

    /** The compressed model and the hardware settings the point implies. */
    public record Result(Model model, HardwareConfig config) {
    }

    private DesignPointHardware() {
    }

    /** True when the JSON has design-point fields (otherwise it is the hardware override file). */
    public static boolean isDesignPoint(JsonNode root) {
        return root != null && root.isObject() && (root.has("prune") || root.has("weights") || root.has("outputs")
                || root.has("biases") || root.has("depthShrink"));
    }

    /** A design point read from a JSON file (messages name the file). */
    public static Result apply(Path file, JsonNode root, Model model, HardwareConfig base) {
        DesignPoint point;
        try {
            point = JSON.treeToValue(root, DesignPoint.class);
        } catch (IOException e) {
            throw new ModelException("design point " + file.getFileName() + " is not valid: "
                    + e.getMessage().lines().findFirst().orElse(""), e);
        }
        Model compressed = compress(model, point);
        return new Result(compressed, config(String.valueOf(file.getFileName()), point, compressed, base));
    }

    /** The model compressed as the point says and the hardware settings the point implies. */
    public static Result apply(DesignPoint point, Model model, HardwareConfig base) {
        Model compressed = compress(model, point);
        return new Result(compressed, config(point, compressed, base));
    }

    /**
     * The hardware settings a point implies for a model already compressed by it (e.g. by
     * {@link DesignPointEvaluator#evaluateWithModel}), without compressing again. A null point means float weights
     * and no per-layer settings: {@code base} as it is.
     */
    public static HardwareConfig config(DesignPoint point, Model compressed, HardwareConfig base) {
        return point == null ? base : config("'" + point.name() + "'", point, compressed, base);
    }

    private static HardwareConfig config(String label, DesignPoint point, Model compressed, HardwareConfig base) {
        LayerHwConfig d = base.defaults();
        d = with(d, point.weights(), point.biases(), point.outputs(), null, "point");
        Map<String, LayerHwConfig> layers = new LinkedHashMap<>(base.layers());
        for (Map.Entry<String, LayerSpec> e : point.layers().entrySet()) {
            if (!compressed.hasNode(e.getKey())) {
                throw new ModelException("design point " + label + " names layer '" + e.getKey()
                        + "', which the model does not have");
            }
            LayerSpec s = e.getValue();
            layers.put(e.getKey(), with(layers.getOrDefault(e.getKey(), d), s.weights(), s.biases(), s.outputs(),
                    s.reuseFactor(), "layer '" + e.getKey() + "'"));
        }
        FixedPoint input = base.input() == base.defaults().result() ? d.result() : base.input();
        return new HardwareConfig(d, layers, input, base.io(), base.clockMhz(), base.params(), base.strictReuse());
    }

    private static LayerHwConfig with(LayerHwConfig c, QuantizerSpec w, QuantizerSpec b, QuantizerSpec o,
                                      Integer rf, String where) {
        FixedPoint wt = c.weight();
        if (w != null && "fixed".equals(w.type()) && w.fixed() != null) {
            wt = w.fixed();
        }
        FixedPoint bt = b == null ? null : b.fixedOnly(where + " biases");
        FixedPoint ot = o == null ? null : o.fixedOnly(where + " outputs");
        return new LayerHwConfig(wt, bt == null ? c.bias() : bt, ot == null ? c.result() : ot,
                rf == null ? c.reuseFactor() : rf, c.strategy());
    }

    /** Pruning and quantization need no labels: one all-zero sample stands in for the validation data. */
    private static Model compress(Model model, DesignPoint point) {
        ValueInfo in = model.inputs().get(0);
        int[] shape = in.shapeWithBatch(1);
        Dataset probe = new Dataset("probe", Tensor.zeros(shape), null);
        try (DesignPointEvaluator ev = new DesignPointEvaluator(model, probe).computeStorage(false)) {
            return ev.compress(point);
        }
    }
}
