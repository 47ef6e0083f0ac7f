package dev.sparsimony.engine.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The precision a model was trained with (QONNX/Brevitas quantizers), one record per quantized tensor: a layer's
 * weight whose quantizer the importer folded into it ({@code tensor} "kernel", "bias"), or the output of a quantizer
 * op that stays in the graph ({@code tensor} "output", the op being {@link QuantOps.Quant},
 * {@link QuantOps.BipolarQuant} or {@link QuantOps.Trunc}). Folded records live in the model's metadata under
 * {@code quant.<tensor>.<layer>} = {@code bits=4,signed=true,narrow=false,scale=per-channel} (so they survive the
 * project format); {@link #of(Model)} reads both kinds.
 *
 * @param scale "per-tensor" or "per-channel"
 */
public record Quantization(String layer, String tensor, int bits, boolean signed, boolean narrow, String scale) {
    public static final String PREFIX = "quant.";

    /** The metadata key of this record. */
    public String key() {
        return PREFIX + tensor + "." + layer;
    }

    /** The metadata value of this record. */
    public String value() {
        return "bits=" + bits + ",signed=" + signed + ",narrow=" + narrow + ",scale=" + scale;
    }

    /** Every quantized tensor of the model: folded weights from the metadata, then quantizer ops in graph order. */
    public static List<Quantization> of(Model model) {
        List<Quantization> out = new ArrayList<>();
        for (Map.Entry<String, String> e : model.metadata().entrySet()) {
            Quantization q = parse(e.getKey(), e.getValue());
            if (q != null) {
                out.add(q);
            }
        }
        for (Node n : model.nodes()) {
            Quantization q = ofOp(n.name(), n.op());
            if (q != null) {
                out.add(q);
            }
        }
        return out;
    }

    /** The record of a quantizer op's output, or null for other ops. */
    public static Quantization ofOp(String layer, Op op) {
        if (op instanceof QuantOps.Quant q) {
            return new Quantization(layer, "output", q.bits(), q.signed(), q.narrow(), scaleKind(q.scale()));
        }
        if (op instanceof QuantOps.BipolarQuant b) {
            return new Quantization(layer, "output", 1, true, false, scaleKind(b.scale()));
        }
        if (op instanceof QuantOps.Trunc t) {
            return new Quantization(layer, "output", t.outBits(), t.signed(), t.narrow(),
                    scaleKind(t.outScale() != null ? t.outScale() : t.scale()));
        }
        return null;
    }

    public static String scaleKind(Tensor scale) {
        return scale == null || scale.size() <= 1 ? "per-tensor" : "per-channel";
    }

    /** A record from one metadata entry, or null when the entry is something else. */
    static Quantization parse(String key, String value) {
        if (!key.startsWith(PREFIX)) {
            return null;
        }
        String rest = key.substring(PREFIX.length());
        int dot = rest.indexOf('.');
        if (dot <= 0 || dot == rest.length() - 1) {
            return null;
        }
        Map<String, String> kv = new LinkedHashMap<>();
        for (String part : value.split(",")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                kv.put(part.substring(0, eq).strip(), part.substring(eq + 1).strip());
            }
        }
        try {
            return new Quantization(rest.substring(dot + 1), rest.substring(0, dot), Integer.parseInt(kv.get("bits")),
                    Boolean.parseBoolean(kv.getOrDefault("signed", "true")),
                    Boolean.parseBoolean(kv.getOrDefault("narrow", "false")), kv.getOrDefault("scale", "per-tensor"));
        } catch (NumberFormatException | NullPointerException e) {
            return null; // not one of ours, or hand-edited beyond use: the model itself is still fine
        }
    }
}
