package dev.sparsimony.engine.explore;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sparsimony.engine.data.Dataset;
import dev.sparsimony.engine.hardware.HardwareConfig;
import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.model.Tensor;
import dev.sparsimony.engine.model.ValueInfo;

/**
 * A {@link DesignPoint} for the hardware model ({@code estimate --config POINT.json}, the window's hardware panel):
 * the model compressed as the point says (pruning, quantization) and the hardware settings the point holds
 * ({@link PointHardware}).
 */
public final class DesignPointHardware {
    /** The compressed model and the hardware settings the point implies. */
    public record Result(Model model, HardwareConfig config, DesignPoint point) {
    }

    private DesignPointHardware() {
    }

    /** True when the JSON has design-point fields (otherwise it is the hardware override file). */
    public static boolean isDesignPoint(JsonNode root) {
        return root != null && root.isObject() && (root.has("prune") || root.has("weights") || root.has("outputs")
                || root.has("biases") || root.has("depthShrink") || root.has("version") || root.has("hardware"));
    }

    /** The model compressed as the point says and the hardware settings the point holds. */
    public static Result apply(DesignPoint point, Model model) {
        return new Result(compress(model, point), PointHardware.config(point), point);
    }

    /**
     * The point with hardware settings given on the command line or in a panel on top (null = keep the point's).
     */
    public static DesignPoint withOverrides(DesignPoint p, String device, String precision, Integer reuseFactor,
                                            String strategy, String io, Double clockMhz, Boolean strict) {
        HardwareSpec h = p.hardware();
        if (device != null) {
            h = h.withDevice(device);
        }
        if (precision != null) {
            h = h.withPrecision(precision);
        }
        if (reuseFactor != null) {
            h = h.withReuseFactor(reuseFactor);
        }
        if (strategy != null) {
            h = h.withStrategy(strategy);
        }
        if (io != null) {
            h = h.withIo(io);
        }
        if (clockMhz != null) {
            h = h.withClockMhz(clockMhz);
        }
        if (strict != null && strict) {
            h = h.withStrictReuse(true);
        }
        return p.withHardware(h);
    }

    /** Pruning and quantization need no labels: one all-zero sample stands in for the validation data. */
    private static Model compress(Model model, DesignPoint point) {
        ValueInfo in = model.inputs().get(0);
        int[] shape = in.shapeWithBatch(1);
        Dataset probe = new Dataset("probe", Tensor.zeros(shape), null);
        try (DesignPointEvaluator ev = new DesignPointEvaluator(model, probe).computeStorage(false)
                .computeHardware(false)) {
            return ev.compress(point);
        }
    }
}
