package dev.sparsimony.engine.io.keras;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.model.Op;
import dev.sparsimony.engine.model.QuantOps;
import dev.sparsimony.engine.model.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A QKeras quantizer as a saved model describes it ({@code {"class_name": "quantized_bits", "config": {...}}} or the
 * string form {@code "quantized_relu(6,0)"}), applied at import exactly as QKeras computes it at inference
 * (qkeras/quantizers.py, github.com/google/qkeras): weights are folded onto the quantizer's grid; activation
 * quantizers become QONNX-style quantizer ops. Rounding is TensorFlow's {@code tf.round} (half to even); the
 * arithmetic is float32 as in TensorFlow. Stochastic rounding only acts while training, so inference is
 * deterministic.
 */
final class QKerasQuantizer {
    /** Positional parameters of each quantizer's constructor (qkeras/quantizers.py), for the string form. */
    private static final Map<String, List<String>> PARAMS = Map.of(
            "quantized_bits", List.of("bits", "integer", "symmetric", "keep_negative", "alpha",
                    "use_stochastic_rounding"),
            "quantized_relu", List.of("bits", "integer", "use_sigmoid", "negative_slope", "use_stochastic_rounding",
                    "relu_upper_bound"),
            "quantized_po2", List.of("bits", "max_value", "use_stochastic_rounding", "quadratic_approximation",
                    "log2_rounding"),
            "quantized_relu_po2", List.of("bits", "max_value", "negative_slope", "use_stochastic_rounding",
                    "quadratic_approximation", "log2_rounding"),
            "binary", List.of("use_01", "alpha", "use_stochastic_rounding"),
            "stochastic_binary", List.of("alpha", "temperature", "use_real_sigmoid"),
            "ternary", List.of("alpha", "threshold", "use_stochastic_rounding", "number_of_unrolls"),
            "stochastic_ternary", List.of("alpha", "threshold", "temperature", "use_real_sigmoid",
                    "number_of_unrolls"));
    static final List<String> SUPPORTED = List.of("quantized_bits", "quantized_relu", "quantized_po2",
            "quantized_relu_po2", "binary", "stochastic_binary", "ternary", "stochastic_ternary");
    /** K.epsilon() */
    private static final float EPS = 1e-7f;

    final String name;
    private final Map<String, Object> cfg;

    private QKerasQuantizer(String name, Map<String, Object> cfg) {
        this.name = name;
        this.cfg = cfg;
    }

    /** The quantizer a layer's config names, or null for none / "linear". */
    static QKerasQuantizer parse(JsonNode n, String where) {
        if (n == null || n.isMissingNode() || n.isNull()) {
            return null;
        }
        if (n.isTextual()) {
            return parseString(n.asText(), where);
        }
        if (!n.isObject()) {
            throw new ModelException(where + ": quantizer " + n + " is not understood");
        }
        String cls = n.path("class_name").asText("");
        Map<String, Object> c = new LinkedHashMap<>();
        n.path("config").fields().forEachRemaining(e -> c.put(e.getKey(), value(e.getValue())));
        return make(cls, c, where);
    }

    private static Object value(JsonNode v) {
        if (v.isNumber()) {
            return v.asDouble();
        }
        if (v.isBoolean()) {
            return v.asBoolean();
        }
        if (v.isNull()) {
            return null;
        }
        return v.asText();
    }

    private static QKerasQuantizer make(String cls, Map<String, Object> c, String where) {
        if (cls.isEmpty() || cls.equals("linear")) {
            return null;
        }
        if (!SUPPORTED.contains(cls)) {
            throw new ModelException(where + ": QKeras quantizer '" + cls + "' is not supported; supported: "
                    + String.join(", ", SUPPORTED));
        }
        return new QKerasQuantizer(cls, c);
    }

    /** "quantized_bits(6, 0, alpha=1)": positional arguments in constructor order, then keywords. */
    static QKerasQuantizer parseString(String s, String where) {
        String t = s.strip();
        int open = t.indexOf('(');
        if (open < 0) {
            return make(t, new LinkedHashMap<>(), where);
        }
        if (!t.endsWith(")")) {
            throw new ModelException(where + ": cannot read quantizer '" + s + "'");
        }
        String cls = t.substring(0, open).strip();
        List<String> order = PARAMS.get(cls);
        if (order == null) {
            return make(cls, new LinkedHashMap<>(), where); // unsupported: make() says so
        }
        Map<String, Object> c = new LinkedHashMap<>();
        String body = t.substring(open + 1, t.length() - 1).strip();
        int pos = 0;
        for (String part : body.isEmpty() ? new String[0] : body.split(",")) {
            String a = part.strip();
            int eq = a.indexOf('=');
            String key;
            String val;
            if (eq > 0) {
                key = a.substring(0, eq).strip();
                val = a.substring(eq + 1).strip();
            } else {
                if (pos >= order.size()) {
                    throw new ModelException(where + ": quantizer '" + s + "' has too many arguments");
                }
                key = order.get(pos++);
                val = a;
            }
            c.put(key, literal(val, s, where));
        }
        return new QKerasQuantizer(cls, c);
    }

    private static Object literal(String v, String s, String where) {
        String x = v.strip();
        if (x.equals("None")) {
            return null;
        }
        if (x.equals("True")) {
            return true;
        }
        if (x.equals("False")) {
            return false;
        }
        if ((x.startsWith("'") && x.endsWith("'")) || (x.startsWith("\"") && x.endsWith("\""))) {
            return x.substring(1, x.length() - 1);
        }
        try {
            return Double.parseDouble(x);
        } catch (NumberFormatException e) {
            throw new ModelException(where + ": cannot read argument '" + x + "' of quantizer '" + s + "'");
        }
    }

    private double num(String key, double dflt) {
        Object v = cfg.get(key);
        if (v instanceof Double d) {
            return d;
        }
        if (v instanceof Boolean b) {
            return b ? 1 : 0;
        }
        return dflt;
    }

    private boolean flag(String key, boolean dflt) {
        Object v = cfg.get(key);
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof Double d) {
            return d != 0;
        }
        return dflt;
    }

    /** alpha: null, a number, or "auto" / "auto_po2". */
    private Object alpha() {
        return cfg.get("alpha");
    }

    private int bits(int dflt) {
        return (int) num("bits", dflt);
    }

    /** The result of folding a quantizer into a weight tensor, with what the model records about it. */
    record Folded(Tensor values, int bits, boolean signed, boolean narrow, String scale, Integer integer,
                  String kind) {
    }

    /**
     * Quantizes weights of shape {@code shape} (channels last: the last axis is the output channel, the axis
     * QKeras's auto-scaling keeps) as QKeras's quantizer does at inference. {@code trainable} is QBatchNormalization's
     * rule: a quantized_bits or binary gamma/variance quantizer without alpha becomes alpha "auto_po2".
     */
    Folded fold(Tensor w, boolean trainable, String where) {
        float[] x = w.data().clone();
        int channels = w.rank() > 1 ? w.dim(-1) : x.length;
        Object alpha = alpha();
        if (trainable && alpha == null && (name.equals("quantized_bits") || name.equals("binary"))) {
            alpha = "auto_po2";
        }
        boolean auto = alpha instanceof String;
        if (auto && !alpha.equals("auto") && !alpha.equals("auto_po2")) {
            throw new ModelException(where + ": alpha '" + alpha + "' of " + name + " is not supported (auto,"
                    + " auto_po2 or a number)");
        }
        String scaleKind = auto ? "per-channel" : "per-tensor";
        switch (name) {
            case "quantized_bits" -> {
                int bits = bits(8);
                int integer = (int) num("integer", 0);
                boolean keepNeg = flag("keep_negative", true);
                boolean symmetric = flag("symmetric", false) || auto;
                quantizedBits(x, channels, bits, integer, keepNeg, symmetric, alpha);
                return new Folded(Tensor.of(x, w.shape()), bits, keepNeg, symmetric, scaleKind,
                        keepNeg ? integer + 1 : integer, "fixed");
            }
            case "quantized_relu" -> {
                int bits = bits(8);
                int integer = (int) num("integer", 0);
                quantizedRelu(x, bits, integer, num("negative_slope", 0), where);
                return new Folded(Tensor.of(x, w.shape()), bits, num("negative_slope", 0) != 0, false, "per-tensor",
                        integer, "fixed");
            }
            case "quantized_po2", "quantized_relu_po2" -> {
                boolean relu = name.equals("quantized_relu_po2");
                po2(x, relu, where);
                return new Folded(Tensor.of(x, w.shape()), bits(8), !relu, false, "per-tensor", null, "po2");
            }
            case "binary", "stochastic_binary" -> {
                boolean use01 = flag("use_01", false);
                float[] q = new float[x.length];
                for (int i = 0; i < x.length; i++) {
                    float s = Math.signum(x[i]);
                    s += 1f - Math.abs(s); // tf.sign(0) = 0 becomes +1
                    q[i] = use01 ? (s + 1f) / 2f : s;
                }
                float[] scale = scales(alpha, x, q, channels);
                for (int i = 0; i < x.length; i++) {
                    x[i] = scale[i % channels] * q[i];
                }
                return new Folded(Tensor.of(x, w.shape()), 1, !use01, false, scaleKind, null, "binary");
            }
            default -> { // ternary, stochastic_ternary
                ternary(x, channels, alpha);
                return new Folded(Tensor.of(x, w.shape()), 2, true, true, scaleKind, null, "ternary");
            }
        }
    }

    /** The per-channel (or single) scale of alpha: 1 for none, the number, or the least-squares fit of auto*. */
    private static float[] scales(Object alpha, float[] x, float[] q, int channels) {
        float[] s = new float[channels];
        if (alpha == null) {
            java.util.Arrays.fill(s, 1f);
        } else if (alpha instanceof Double d) {
            java.util.Arrays.fill(s, d.floatValue());
        } else {
            s = leastSquares((String) alpha, x, q, channels);
        }
        return s;
    }

    /** qkeras _get_least_squares_scale: mean(x q) / (mean(q q) + eps) per channel, rounded to 2^k for auto_po2. */
    private static float[] leastSquares(String alpha, float[] x, float[] q, int channels) {
        double[] qx = new double[channels];
        double[] qq = new double[channels];
        for (int i = 0; i < x.length; i++) {
            qx[i % channels] += x[i] * q[i];
            qq[i % channels] += q[i] * q[i];
        }
        int per = x.length / channels;
        float[] s = new float[channels];
        for (int c = 0; c < channels; c++) {
            float v = (float) (qx[c] / per) / ((float) (qq[c] / per) + EPS);
            s[c] = alpha.equals("auto_po2") ? po2Round(v) : v;
        }
        return s;
    }

    /** 2^round(log2(v + eps)) in float32, rounding half to even like tf.math.round. */
    private static float po2Round(float v) {
        float l = (float) Math.log(v + EPS) / (float) Math.log(2.0);
        return (float) Math.pow(2.0, Math.rint(l));
    }

    /** qkeras quantized_bits.__call__ at inference. */
    private static void quantizedBits(float[] x, int channels, int bits, int integer, boolean keepNeg,
                                      boolean symmetric, Object alpha) {
        int unsignedBits = bits - (keepNeg ? 1 : 0);
        float m = (float) Math.pow(2, unsignedBits);
        float mi = (float) Math.pow(2, integer);
        if (alpha instanceof String a) {
            // auto scaling: x / m_i, scale = 2 max|x| / levels per channel, refined 5 times for auto_po2
            int levels = ((1 << (bits - 1)) - 1) * 2;
            float[] xs = new float[x.length];
            float[] max = new float[channels];
            for (int i = 0; i < x.length; i++) {
                xs[i] = x[i] / mi;
                max[i % channels] = Math.max(max[i % channels], Math.abs(xs[i]));
            }
            float[] scale = new float[channels];
            for (int c = 0; c < channels; c++) {
                scale[c] = max[c] * 2f / levels;
                if (a.equals("auto_po2")) {
                    scale[c] = po2Round(scale[c]);
                }
            }
            float[] z = new float[x.length];
            if (a.equals("auto_po2")) {
                for (int it = 0; it < 5; it++) {
                    roundToLevels(xs, scale, levels, z, channels);
                    scale = leastSquares(a, xs, z, channels);
                }
            }
            roundToLevels(xs, scale, levels, z, channels);
            for (int i = 0; i < x.length; i++) {
                // scale * m * (m_i z / m) = scale * m_i * z
                x[i] = (scale[i % channels] * m) * (mi * z[i] / m);
            }
            return;
        }
        float scale = alpha instanceof Double d ? d.floatValue() : 1f;
        for (int i = 0; i < x.length; i++) {
            float xq;
            if (unsignedBits > 0) {
                float p = x[i] * m / mi;
                float r = (float) Math.rint(p);
                float lo = keepNeg ? -m + (symmetric ? 1 : 0) : 0;
                xq = mi * Math.min(Math.max(r, lo), m - 1) / m;
            } else {
                xq = Math.signum(x[i]);
                xq += 1f - Math.abs(xq);
                if (!keepNeg) {
                    xq = (xq + 1f) / 2f;
                }
            }
            x[i] = scale * xq;
        }
    }

    /** z = sign(x) * min(floor(|x| / scale + 0.5), levels / 2) */
    private static void roundToLevels(float[] xs, float[] scale, int levels, float[] z, int channels) {
        for (int i = 0; i < xs.length; i++) {
            float v = (float) Math.floor(Math.abs(xs[i]) / scale[i % channels] + 0.5f);
            z[i] = Math.signum(xs[i]) * (v < levels / 2f ? v : levels / 2f);
        }
    }

    /** qkeras quantized_relu.__call__ (use_sigmoid 0) at inference. */
    private static void quantizedRelu(float[] x, int bits, int integer, double negativeSlope, String where) {
        float ns = (float) negativeSlope;
        float m = (float) Math.pow(2, bits - (ns != 0 ? 1 : 0));
        float mi = (float) Math.pow(2, integer);
        for (int i = 0; i < x.length; i++) {
            float p = x[i] * m / mi;
            float xq = mi * Math.min(Math.max((float) Math.rint(p) / m, 0f), 1f - 1f / m);
            if (ns > 0) {
                float negFactor = 1f / (ns * m);
                xq += mi * ns * Math.min(Math.max((float) Math.rint(p * ns) * negFactor, -1f), 0f);
            }
            x[i] = xq;
        }
    }

    /** qkeras quantized_po2 / quantized_relu_po2 at inference (_clip_power_of_two). */
    private void po2(float[] x, boolean relu, String where) {
        int bits = bits(8);
        Object mv = cfg.get("max_value");
        Double maxValue = mv instanceof Double d ? d : null;
        boolean quadratic = flag("quadratic_approximation", false);
        String log2Rounding = cfg.get("log2_rounding") instanceof String s ? s : "rnd";
        if (!log2Rounding.equals("rnd") && !log2Rounding.equals("floor")) {
            throw new ModelException(where + ": log2_rounding '" + log2Rounding + "' is not supported (rnd, floor)");
        }
        double ns = num("negative_slope", 0);
        int needSign = maxValue == null || maxValue > 1 ? 1 : 0;
        int effective = relu ? bits - needSign : bits - 1 - needSign;
        int minExp = -(1 << effective);
        int maxExp = (1 << effective) - 1;
        if (quadratic) {
            maxExp = 2 * Math.floorDiv(maxExp, 2);
        }
        for (int i = 0; i < x.length; i++) {
            float v = x[i];
            if (relu) {
                float pos = Math.max(v, 0f);
                float neg = Math.max(-v, 0f) * (float) ns;
                if (v >= 0 || ns == 0) {
                    x[i] = (float) Math.pow(2, clipExp(pos, minExp, maxExp, maxValue, quadratic, log2Rounding));
                } else {
                    x[i] = -(float) Math.pow(2, clipExp(neg, minExp, maxExp, maxValue, quadratic, log2Rounding));
                }
            } else {
                float sign = Math.signum(v);
                sign += 1f - Math.abs(sign);
                x[i] = sign * (float) Math.pow(2, clipExp(Math.abs(v), minExp, maxExp, maxValue, quadratic,
                        log2Rounding));
            }
        }
    }

    private static float clipExp(float abs, int minExp, int maxExp, Double maxValue, boolean quadratic,
                                 String log2Rounding) {
        if (abs < EPS) {
            return minExp;
        }
        float f = abs;
        if (maxValue != null && f >= maxValue) {
            f = maxValue.floatValue();
        }
        float q = quadratic ? 2f : 1f;
        float in = quadratic ? (float) Math.sqrt(f) : f;
        float l = (float) Math.log(in) / (float) Math.log(2.0);
        float e = log2Rounding.equals("floor") ? (float) Math.floor(l) : (float) Math.rint(l);
        return q * Math.min(Math.max(e, minExp), maxExp);
    }

    /** qkeras ternary.__call__ at inference. */
    private void ternary(float[] x, int channels, Object alpha) {
        float[] q = new float[x.length];
        float[] scale;
        if (alpha instanceof String a) {
            float[] max = new float[channels];
            for (int i = 0; i < x.length; i++) {
                max[i % channels] = Math.max(max[i % channels], Math.abs(x[i]));
            }
            scale = new float[channels];
            for (int c = 0; c < channels; c++) {
                scale[c] = 2f * max[c] / 3f;
                if (a.equals("auto_po2")) {
                    scale[c] = po2Round(scale[c]);
                }
            }
            int unrolls = (int) num("number_of_unrolls", 5);
            for (int it = 0; it < unrolls; it++) {
                for (int i = 0; i < x.length; i++) {
                    float s = scale[i % channels];
                    float v = s * (float) Math.rint(x[i] / s);
                    q[i] = (Math.abs(v) >= s / 2f ? 1f : 0f) * Math.signum(x[i]);
                }
                scale = leastSquares(a, x, q, channels);
            }
        } else {
            float thr = cfg.get("threshold") instanceof Double d ? d.floatValue() : 0.33f;
            for (int i = 0; i < x.length; i++) {
                q[i] = (Math.abs(x[i]) >= thr ? 1f : 0f) * Math.signum(x[i]);
            }
            scale = new float[channels];
            java.util.Arrays.fill(scale, alpha instanceof Double d ? d.floatValue() : 1f);
        }
        for (int i = 0; i < x.length; i++) {
            x[i] = scale[i % channels] * q[i];
        }
    }

    /**
     * The op an activation quantizer becomes: quantized_bits and quantized_relu are QONNX Quant ops with a
     * power-of-two scale (the same grid, clamp and half-to-even rounding), binary is a BipolarQuant.
     */
    Op activationOp(String where) {
        Object alpha = alpha();
        if (alpha instanceof String || (alpha instanceof Double d && d != 1.0)) {
            throw new ModelException(where + ": an activation quantizer with alpha " + alpha + " is not supported");
        }
        switch (name) {
            case "quantized_relu" -> {
                if (num("negative_slope", 0) != 0 || flag("use_sigmoid", false)) {
                    throw new ModelException(where + ": quantized_relu with negative_slope or use_sigmoid is not"
                            + " supported as an activation");
                }
                int bits = bits(8);
                int integer = (int) num("integer", 0);
                return quant(Math.scalb(1f, integer - bits), bits, false, false);
            }
            case "quantized_bits" -> {
                int bits = bits(8);
                int integer = (int) num("integer", 0);
                boolean keepNeg = flag("keep_negative", true);
                if (bits - (keepNeg ? 1 : 0) <= 0) {
                    return new QuantOps.BipolarQuant(Tensor.scalar(1f)); // sign only: m_i does not apply

                }
                int fracBits = bits - (keepNeg ? 1 : 0) - integer;
                return quant(Math.scalb(1f, -fracBits), bits, keepNeg, flag("symmetric", false));
            }
            case "binary", "stochastic_binary" -> {
                if (flag("use_01", false)) {
                    throw new ModelException(where + ": binary(use_01=True) is not supported as an activation");
                }
                return new QuantOps.BipolarQuant(Tensor.scalar(1f));
            }
            default -> throw new ModelException(where + ": " + name + " is not supported as an activation"
                    + " quantizer (quantized_relu, quantized_bits, binary)");
        }
    }

    private static Op quant(float scale, int bits, boolean signed, boolean narrow) {
        return new QuantOps.Quant(Tensor.scalar(scale), Tensor.scalar(0f), bits, signed, narrow,
                QuantOps.Rounding.ROUND);
    }

    @Override
    public String toString() {
        List<String> a = new ArrayList<>();
        cfg.forEach((k, v) -> a.add(k + "=" + v));
        return name.toLowerCase(Locale.ROOT) + "(" + String.join(", ", a) + ")";
    }
}
