package dev.sparsimony.engine.hardware;

import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.model.Node;
import dev.sparsimony.engine.model.Op;
import dev.sparsimony.engine.model.QuantOps;
import dev.sparsimony.engine.model.Quantization;
import dev.sparsimony.engine.model.Tensor;
import dev.sparsimony.engine.quantize.FixedPoint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The hardware types a model's own quantization implies (the records of {@link Quantization}: QKeras and QONNX
 * quantizers), as hls4ml types them when the configuration asks for them ({@code 'auto'}, or
 * {@code config_from_keras_model(granularity='name')}: utils/config.py {@code _get_precision_from_quantizer},
 * model/quantizers.py): quantized_bits(b, i) weights are {@code ap_fixed<b, i+1>}, quantized_relu(b, i) results
 * {@code ap_ufixed<b, i, AP_RND_CONV, AP_SAT>}, power-of-two weights multiply by a shift, binary and ternary weights
 * select the sign. Layers the configuration sets explicitly keep their settings.
 */
public final class ModelPrecisions {
    private ModelPrecisions() {
    }

    /** The settings with the model's quantization applied to every layer not set explicitly, and what was applied. */
    public record Result(HardwareConfig config, List<String> notes) {
    }

    /** Applies the model's quantization to every layer {@code cfg} has no explicit settings for. */
    public static Result apply(Model model, HardwareConfig cfg) {
        Map<String, LayerHwConfig> layers = new LinkedHashMap<>(cfg.layers());
        List<String> notes = new ArrayList<>();
        Map<String, Map<String, Quantization>> byLayer = new LinkedHashMap<>();
        for (Quantization q : Quantization.of(model)) {
            byLayer.computeIfAbsent(q.layer(), k -> new LinkedHashMap<>()).put(q.tensor(), q);
        }
        List<String> applied = new ArrayList<>();
        for (Node n : model.nodes()) {
            if (cfg.layers().containsKey(n.name())) {
                continue;
            }
            LayerHwConfig lc = forLayer(n, byLayer.get(n.name()), cfg.defaults(), notes);
            if (lc != null) {
                layers.put(n.name(), lc);
                applied.add(n.name());
            }
        }
        if (!applied.isEmpty()) {
            notes.add(0, "the model's own quantizers set the types of " + String.join(", ", applied)
                    + " (as hls4ml's config_from_keras_model(granularity='name') would)");
        }
        return new Result(cfg.withLayers(layers), notes);
    }

    /** The layer's settings from its quantization records and quantizer op, or null when it has neither. */
    public static LayerHwConfig forLayer(Node n, Map<String, Quantization> records, LayerHwConfig base, List<String> notes) {
        LayerHwConfig lc = base;
        boolean changed = false;
        if (records != null) {
            Quantization k = records.get("kernel");
            Tensor kernel = n.op().weights().get("kernel");
            if (k != null && kernel != null) {
                lc = withWeight(lc, k, kernel.data(), n.name(), notes);
                changed = true;
            }
            Quantization b = records.get("bias");
            Tensor bias = n.op().weights().get("bias");
            if (b != null && bias != null) {
                lc = lc.withTypes(lc.weight(), typeOf(b, bias.data()), lc.result()).withProduct(lc.product());
                changed = true;
            }
        }
        FixedPoint out = outputType(n.op());
        if (out != null) {
            lc = lc.withTypes(lc.weight(), lc.bias(), out).withProduct(lc.product());
            changed = true;
        }
        return changed ? lc : null;
    }

    private static LayerHwConfig withWeight(LayerHwConfig lc, Quantization k, float[] w, String layer,
                                            List<String> notes) {
        return switch (k.kind()) {
            case "po2" -> lc.withWeight(FixedPoint.of(k.bits(), k.bits())).withProduct(LayerHwConfig.Product.EXPONENT);
            case "binary" -> lc.withWeight(new FixedPoint(1, 1, false, FixedPoint.Rounding.TRUNCATE,
                    FixedPoint.Overflow.WRAP)).withProduct(LayerHwConfig.Product.BINARY);
            case "ternary" -> lc.withWeight(FixedPoint.of(2, 2)).withProduct(LayerHwConfig.Product.TERNARY);
            default -> {
                FixedPoint t = typeOf(k, w);
                if (!"fixed".equals(k.kind()) || !"per-tensor".equals(k.scale())) {
                    notes.add("layer '" + layer + "': " + k.bits() + "-bit weights with a " + k.scale()
                            + " scale are costed as " + t.hlsType() + " (the grid of their largest value)");
                }
                yield lc.withWeight(t);
            }
        };
    }

    /**
     * The fixed-point type of a quantized tensor: the recorded grid {@code ap_fixed<bits, integer>} for a QKeras
     * quantizer without scale; otherwise the bits with the integer part of the tensor's largest magnitude.
     */
    public static FixedPoint typeOf(Quantization q, float[] values) {
        if ("fixed".equals(q.kind()) && q.integer() != null && "per-tensor".equals(q.scale())) {
            return new FixedPoint(q.bits(), Math.min(q.bits(), q.integer()), q.signed(), FixedPoint.Rounding.TRUNCATE,
                    FixedPoint.Overflow.WRAP);
        }
        double max = 0;
        for (float v : values) {
            max = Math.max(max, Math.abs(v));
        }
        int integer = max == 0 ? 1 : Math.getExponent(max) + 1 + (q.signed() ? 1 : 0);
        return new FixedPoint(q.bits(), Math.min(q.bits(), integer), q.signed(), FixedPoint.Rounding.CONVERGENT,
                FixedPoint.Overflow.SATURATE);
    }

    /**
     * The result type of a quantizer op: a QONNX Quant with a power-of-two scale 2^-f and zero point 0 is
     * {@code ap_(u)fixed<b, b-f, AP_RND_CONV, AP_SAT>} (round half to even, clamp); a BipolarQuant an
     * {@code ap_int<2>}; null for other ops or scales.
     */
    public static FixedPoint outputType(Op op) {
        if (op instanceof QuantOps.Quant q && q.scale().size() == 1 && q.zeroPoint().size() <= 1
                && (q.zeroPoint().size() == 0 || q.zeroPoint().data()[0] == 0f)) {
            float s = q.scale().data()[0];
            if (s > 0 && Math.scalb(1f, Math.getExponent(s)) == s) {
                int integer = q.bits() + Math.getExponent(s);
                if (integer <= q.bits() && integer >= -32) {
                    return new FixedPoint(q.bits(), integer, q.signed(),
                            q.rounding() == QuantOps.Rounding.ROUND ? FixedPoint.Rounding.CONVERGENT
                                    : FixedPoint.Rounding.TRUNCATE, FixedPoint.Overflow.SATURATE);
                }
            }
        }
        if (op instanceof QuantOps.BipolarQuant) {
            return FixedPoint.of(2, 2);
        }
        return null;
    }
}
