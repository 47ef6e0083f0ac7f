package dev.sparsimony.engine.explore;

import dev.sparsimony.engine.hardware.Device;
import dev.sparsimony.engine.hardware.DeviceCatalogue;
import dev.sparsimony.engine.hardware.FpgaParams;
import dev.sparsimony.engine.hardware.HardwareConfig;
import dev.sparsimony.engine.hardware.IoType;
import dev.sparsimony.engine.hardware.LayerHwConfig;
import dev.sparsimony.engine.hardware.Precisions;
import dev.sparsimony.engine.hardware.Strategy;
import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.quantize.FixedPoint;
import dev.sparsimony.engine.quantize.QuantizerSpec;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The hardware settings a design point means, for the hardware model: the point's device, and an hls4ml
 * configuration whose types come from the point's quantizers (weights -&gt; weight_t, biases -&gt; bias_t,
 * outputs -&gt; result_t and input_t) where they are fixed-point, else from the point's precision, with the point's
 * strategy and reuse factor, globally and per layer. The one place that turns a point into hardware settings: the
 * knapsack's costs, the estimate of a point and the window's hardware panel all use it.
 */
public final class PointHardware {
    private PointHardware() {
    }

    /** The point's device from a catalogue (by name, part string or alias). */
    public static Device device(DesignPoint point, DeviceCatalogue catalogue) {
        String d = DesignPoint.canonicalHardware(point.hardware()).device();
        try {
            return catalogue.get(d);
        } catch (ModelException e) {
            throw new ModelException("hardware.device: " + e.getMessage(), e);
        }
    }

    /** The hls4ml configuration of a point (any form; it is made canonical first). */
    public static HardwareConfig config(DesignPoint point) {
        DesignPoint c = point.canonical();
        HardwareSpec h = c.hardware();
        FixedPoint precision = Precisions.parse(h.precision());
        Strategy strategy = Strategy.parse(h.strategy());
        LayerHwConfig d = new LayerHwConfig(typeOf(c.weights(), precision), typeOf(c.biases(), precision),
                typeOf(c.outputs(), precision), h.reuseFactor(), strategy);
        Map<String, LayerHwConfig> layers = new LinkedHashMap<>();
        c.layers().forEach((name, s) -> {
            if (s.weights() != null || s.biases() != null || s.outputs() != null || s.reuseFactor() != null
                    || s.strategy() != null) {
                layers.put(name, new LayerHwConfig(
                        s.weights() == null ? d.weight() : typeOf(s.weights(), precision),
                        s.biases() == null ? d.bias() : typeOf(s.biases(), precision),
                        s.outputs() == null ? d.result() : typeOf(s.outputs(), precision),
                        s.reuseFactor() == null ? d.reuseFactor() : s.reuseFactor(),
                        s.strategy() == null ? d.strategy() : Strategy.parse(s.strategy())));
            }
        });
        return new HardwareConfig(d, layers, d.result(), IoType.parse(h.io()), h.clockMhz() == null ? 0 : h.clockMhz(),
                FpgaParams.defaults(), Boolean.TRUE.equals(h.strictReuse()));
    }

    /** The fixed-point type a quantizer gives, or the precision for float (none) and non-fixed quantizers. */
    static FixedPoint typeOf(QuantizerSpec q, FixedPoint precision) {
        return q != null && "fixed".equals(q.type()) && q.fixed() != null ? q.fixed() : precision;
    }

    /** A note for estimates of points whose weights are not fixed-point: what the hardware model assumed. */
    public static String typeNote(DesignPoint point) {
        DesignPoint c = point.canonical();
        if ("fixed".equals(c.weights().type())) {
            return null;
        }
        return "weights without a fixed-point type (" + c.weights().type() + ") are costed as "
                + c.hardware().precision() + ", the point's precision";
    }
}
