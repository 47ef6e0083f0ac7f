package dev.sparsimony.engine.io.npyjson;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sparsimony.engine.model.ActivationKind;
import dev.sparsimony.engine.model.Layout;
import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.model.Op;
import dev.sparsimony.engine.model.Ops;
import dev.sparsimony.engine.model.QuantOps;
import dev.sparsimony.engine.model.Tensor;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The JSON form of every {@link Op} record: its type name (the record's simple name, e.g. "Dense", "Conv") and
 * its non-tensor attributes. Tensors (weights, Constant values) are not here: they are .npy files named in the
 * node's "weights" object. The schema is documented in docs/file-formats.md; keep both in step.
 */
final class OpCodec {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    /** Weight names each op type takes: required ones first, then optional ones (marked by a trailing '?'). */
    static final Map<String, List<String>> WEIGHTS = Map.ofEntries(
            Map.entry("Dense", List.of("kernel", "bias?")),
            Map.entry("Conv", List.of("kernel", "bias?")),
            Map.entry("BatchNorm", List.of("gamma", "beta", "mean", "variance")),
            Map.entry("Constant", List.of("value")),
            Map.entry("Activation", List.of()), Map.entry("Softmax", List.of()), Map.entry("Pool", List.of()),
            Map.entry("GlobalPool", List.of()), Map.entry("Flatten", List.of()), Map.entry("Reshape", List.of()),
            Map.entry("Transpose", List.of()), Map.entry("Binary", List.of()), Map.entry("Concat", List.of()),
            Map.entry("Identity", List.of()), Map.entry("MatMul", List.of()), Map.entry("Gemm", List.of()),
            Map.entry("QuantizeLinear", List.of()), Map.entry("DequantizeLinear", List.of()),
            Map.entry("Lrn", List.of()), Map.entry("PRelu", List.of("slope")),
            Map.entry("ThresholdedRelu", List.of()), Map.entry("LogSoftmax", List.of()), Map.entry("Pad", List.of()),
            Map.entry("Cast", List.of()), Map.entry("MaxPoolIndices", List.of()), Map.entry("Upsample", List.of()),
            Map.entry("Quant", List.of("scale", "zeroPoint")), Map.entry("BipolarQuant", List.of("scale")),
            Map.entry("Trunc", List.of("scale", "zeroPoint", "outScale?")), Map.entry("Requantize",
                    List.of("multiplier")));

    private OpCodec() {
    }

    /** The op type name written to the manifest. */
    static String typeName(Op op) {
        return op.getClass().getSimpleName();
    }

    static ObjectNode attributes(Op op) {
        ObjectNode a = F.objectNode();
        if (op instanceof Ops.Dense || op instanceof Ops.Identity || op instanceof Ops.MatMul
                || op instanceof Ops.Constant || op instanceof Ops.PRelu || op instanceof QuantOps.BipolarQuant) {
            return a;
        } else if (op instanceof Ops.Conv c) {
            a.set("strides", ints(c.strides()));
            a.set("dilations", ints(c.dilations()));
            a.set("padsBegin", ints(c.padsBegin()));
            a.set("padsEnd", ints(c.padsEnd()));
            a.put("groups", c.groups());
            a.put("layout", c.layout().name());
        } else if (op instanceof Ops.BatchNorm b) {
            a.set("epsilon", number(b.epsilon()));
            a.put("layout", b.layout().name());
        } else if (op instanceof Ops.Activation act) {
            a.put("activation", act.activation().name());
            a.set("alpha", number(act.alpha()));
            a.set("beta", number(act.beta()));
        } else if (op instanceof Ops.Softmax s) {
            a.put("axis", s.axis());
            a.put("coerce2d", s.coerce2d());
        } else if (op instanceof Ops.Pool p) {
            a.put("pool", p.pool().name());
            a.set("kernel", ints(p.kernel()));
            a.set("strides", ints(p.strides()));
            a.set("padsBegin", ints(p.padsBegin()));
            a.set("padsEnd", ints(p.padsEnd()));
            a.put("countIncludePad", p.countIncludePad());
            a.put("ceilMode", p.ceilMode());
            a.put("layout", p.layout().name());
        } else if (op instanceof Ops.GlobalPool g) {
            a.put("pool", g.pool().name());
            a.put("layout", g.layout().name());
            a.put("keepDims", g.keepDims());
        } else if (op instanceof Ops.Flatten f) {
            a.put("axis", f.axis());
        } else if (op instanceof Ops.Reshape r) {
            a.set("shape", ints(r.shape()));
            a.put("allowZero", r.allowZero());
        } else if (op instanceof Ops.Transpose t) {
            a.set("perm", ints(t.perm()));
        } else if (op instanceof Ops.Binary b) {
            a.put("op", b.op().name());
        } else if (op instanceof Ops.Concat c) {
            a.put("axis", c.axis());
        } else if (op instanceof Ops.Gemm g) {
            a.set("alpha", number(g.alpha()));
            a.set("beta", number(g.beta()));
            a.put("transA", g.transA());
            a.put("transB", g.transB());
        } else if (op instanceof Ops.QuantizeLinear q) {
            a.put("axis", q.axis());
            a.put("type", q.type().name());
        } else if (op instanceof Ops.DequantizeLinear d) {
            a.put("axis", d.axis());
        } else if (op instanceof Ops.Lrn l) {
            a.put("size", l.size());
            a.set("alpha", number(l.alpha()));
            a.set("beta", number(l.beta()));
            a.set("bias", number(l.bias()));
            a.put("layout", l.layout().name());
        } else if (op instanceof Ops.ThresholdedRelu t) {
            a.set("theta", number(t.theta()));
        } else if (op instanceof Ops.LogSoftmax l) {
            a.put("axis", l.axis());
            a.put("coerce2d", l.coerce2d());
        } else if (op instanceof Ops.Pad p) {
            a.set("padsBegin", ints(p.padsBegin()));
            a.set("padsEnd", ints(p.padsEnd()));
            a.put("mode", p.mode().name());
            a.set("value", number(p.value()));
        } else if (op instanceof Ops.Cast c) {
            a.put("to", c.to().name());
        } else if (op instanceof Ops.MaxPoolIndices m) {
            a.set("kernel", ints(m.kernel()));
            a.set("strides", ints(m.strides()));
            a.set("padsBegin", ints(m.padsBegin()));
            a.set("padsEnd", ints(m.padsEnd()));
            a.put("ceilMode", m.ceilMode());
            a.put("columnMajor", m.columnMajor());
        } else if (op instanceof Ops.Upsample u) {
            a.set("scales", ints(u.scales()));
            a.put("bilinear", u.bilinear());
            a.put("layout", u.layout().name());
        } else if (op instanceof QuantOps.Quant q) {
            a.put("bits", q.bits());
            a.put("signed", q.signed());
            a.put("narrow", q.narrow());
            a.put("rounding", q.rounding().name());
        } else if (op instanceof QuantOps.Trunc t) {
            a.put("inBits", t.inBits());
            a.put("outBits", t.outBits());
            a.put("signed", t.signed());
            a.put("narrow", t.narrow());
            a.put("rounding", t.rounding().name());
        } else if (op instanceof QuantOps.Requantize r) {
            a.put("axis", r.axis());
            a.set("zeroPoint", number(r.zeroPoint()));
            a.put("type", r.type().name());
        } else {
            throw new ModelException("the project format cannot yet store " + op.kind() + " ("
                    + typeName(op) + ")");
        }
        return a;
    }

    /** Builds the op from its type name, attributes and tensors; {@code ctx} prefixes error messages. */
    static Op decode(String type, JsonNode attrs, Map<String, Tensor> w, String ctx) {
        Attrs a = new Attrs(attrs, ctx);
        Op op = switch (type) {
            case "Dense" -> new Ops.Dense(w.get("kernel"), w.get("bias"));
            case "Conv" -> {
                int r = w.get("kernel").rank() - 2;
                int[] ones = new int[Math.max(r, 0)];
                Arrays.fill(ones, 1);
                int[] zeros = new int[Math.max(r, 0)];
                yield new Ops.Conv(w.get("kernel"), w.get("bias"), a.ints("strides", ones),
                        a.ints("dilations", ones), a.ints("padsBegin", zeros), a.ints("padsEnd", zeros),
                        a.integer("groups", 1), a.enumValue("layout", Layout.class, Layout.CHANNELS_LAST));
            }
            case "BatchNorm" -> new Ops.BatchNorm(w.get("gamma"), w.get("beta"), w.get("mean"), w.get("variance"),
                    a.number("epsilon", 1e-3f), a.enumValue("layout", Layout.class, Layout.CHANNELS_LAST));
            case "Activation" -> {
                ActivationKind k = a.enumValue("activation", ActivationKind.class, null);
                Ops.Activation d = Ops.Activation.of(k);
                yield new Ops.Activation(k, a.number("alpha", d.alpha()), a.number("beta", d.beta()));
            }
            case "Softmax" -> new Ops.Softmax(a.integer("axis", -1), a.bool("coerce2d", false));
            case "Pool" -> {
                int[] k = a.ints("kernel", null);
                int[] zeros = new int[k.length];
                yield new Ops.Pool(a.enumValue("pool", Ops.PoolKind.class, null), k, a.ints("strides", k),
                        a.ints("padsBegin", zeros), a.ints("padsEnd", zeros), a.bool("countIncludePad", false),
                        a.bool("ceilMode", false), a.enumValue("layout", Layout.class, Layout.CHANNELS_LAST));
            }
            case "GlobalPool" -> new Ops.GlobalPool(a.enumValue("pool", Ops.PoolKind.class, null),
                    a.enumValue("layout", Layout.class, Layout.CHANNELS_LAST), a.bool("keepDims", false));
            case "Flatten" -> new Ops.Flatten(a.integer("axis", 1));
            case "Reshape" -> new Ops.Reshape(a.ints("shape", null), a.bool("allowZero", false));
            case "Transpose" -> new Ops.Transpose(a.ints("perm", null));
            case "Binary" -> new Ops.Binary(a.enumValue("op", Ops.BinaryKind.class, null));
            case "Constant" -> new Ops.Constant(w.get("value"));
            case "Concat" -> new Ops.Concat(a.integer("axis", -1));
            case "Identity" -> new Ops.Identity();
            case "MatMul" -> new Ops.MatMul();
            case "Gemm" -> new Ops.Gemm(a.number("alpha", 1f), a.number("beta", 1f), a.bool("transA", false),
                    a.bool("transB", false));
            case "QuantizeLinear" -> new Ops.QuantizeLinear(a.integer("axis", 1),
                    a.enumValue("type", Ops.QuantType.class, Ops.QuantType.UINT8));
            case "DequantizeLinear" -> new Ops.DequantizeLinear(a.integer("axis", 1));
            case "Lrn" -> new Ops.Lrn(a.integer("size", 1), a.number("alpha", 1e-4f), a.number("beta", 0.75f),
                    a.number("bias", 1f), a.enumValue("layout", Layout.class, Layout.CHANNELS_FIRST));
            case "PRelu" -> new Ops.PRelu(w.get("slope"));
            case "ThresholdedRelu" -> new Ops.ThresholdedRelu(a.number("theta", 1f));
            case "LogSoftmax" -> new Ops.LogSoftmax(a.integer("axis", -1), a.bool("coerce2d", false));
            case "Pad" -> new Ops.Pad(a.ints("padsBegin", null), a.ints("padsEnd", null),
                    a.enumValue("mode", Ops.PadMode.class, Ops.PadMode.CONSTANT), a.number("value", 0f));
            case "Cast" -> new Ops.Cast(a.enumValue("to", Ops.CastType.class, null));
            case "MaxPoolIndices" -> {
                int[] k = a.ints("kernel", null);
                int[] zeros = new int[k.length];
                yield new Ops.MaxPoolIndices(k, a.ints("strides", k), a.ints("padsBegin", zeros),
                        a.ints("padsEnd", zeros), a.bool("ceilMode", false), a.bool("columnMajor", false));
            }
            case "Upsample" -> new Ops.Upsample(a.ints("scales", null), a.bool("bilinear", false),
                    a.enumValue("layout", Layout.class, Layout.CHANNELS_LAST));
            case "Quant" -> new QuantOps.Quant(w.get("scale"), w.get("zeroPoint"), a.integer("bits", 8),
                    a.bool("signed", true), a.bool("narrow", false),
                    a.enumValue("rounding", QuantOps.Rounding.class, QuantOps.Rounding.ROUND));
            case "BipolarQuant" -> new QuantOps.BipolarQuant(w.get("scale"));
            case "Trunc" -> new QuantOps.Trunc(w.get("scale"), w.get("zeroPoint"), w.get("outScale"),
                    a.integer("inBits", 8), a.integer("outBits", 8), a.bool("signed", true), a.bool("narrow", false),
                    a.enumValue("rounding", QuantOps.Rounding.class, QuantOps.Rounding.FLOOR));
            case "Requantize" -> new QuantOps.Requantize(w.get("multiplier"), a.integer("axis", 1),
                    a.number("zeroPoint", 0f), a.enumValue("type", Ops.QuantType.class, Ops.QuantType.UINT8));
            default -> throw new ModelException(ctx + " has unknown op type '" + type + "' (known: "
                    + String.join(", ", new java.util.TreeSet<>(WEIGHTS.keySet())) + ")");
        };
        a.checkNoExtra();
        return op;
    }

    // ------------------------------------------------------------------ JSON helpers

    private static ArrayNode ints(int[] v) {
        ArrayNode n = F.arrayNode(v.length);
        for (int x : v) {
            n.add(x);
        }
        return n;
    }

    /** Finite floats as JSON numbers; infinities and NaN as the strings "Infinity", "-Infinity", "NaN". */
    static JsonNode number(float v) {
        if (Float.isNaN(v)) {
            return F.textNode("NaN");
        }
        if (Float.isInfinite(v)) {
            return F.textNode(v > 0 ? "Infinity" : "-Infinity");
        }
        return F.numberNode(v);
    }

    /** Reads attributes with defaults and remembers which were used, to reject misspelt extras. */
    private static final class Attrs {
        private final JsonNode node;
        private final String ctx;
        private final Set<String> used = new java.util.HashSet<>();

        Attrs(JsonNode node, String ctx) {
            this.node = node;
            this.ctx = ctx;
            if (node != null && !node.isNull() && !node.isObject()) {
                throw new ModelException(ctx + ": \"attributes\" must be a JSON object");
            }
        }

        private JsonNode get(String key, boolean required) {
            used.add(key);
            JsonNode v = node == null ? null : node.get(key);
            if ((v == null || v.isNull()) && required) {
                throw new ModelException(ctx + " lacks attribute '" + key + "'");
            }
            return v == null || v.isNull() ? null : v;
        }

        int integer(String key, int dflt) {
            JsonNode v = get(key, false);
            if (v == null) {
                return dflt;
            }
            if (!v.isIntegralNumber() || !v.canConvertToInt()) {
                throw new ModelException(ctx + " attribute '" + key + "' must be an integer, got " + v);
            }
            return v.intValue();
        }

        int[] ints(String key, int[] dflt) {
            JsonNode v = get(key, dflt == null);
            if (v == null) {
                return dflt.clone();
            }
            if (!v.isArray()) {
                throw new ModelException(ctx + " attribute '" + key + "' must be a list of integers, got " + v);
            }
            int[] r = new int[v.size()];
            for (int i = 0; i < r.length; i++) {
                JsonNode e = v.get(i);
                if (!e.isIntegralNumber() || !e.canConvertToInt()) {
                    throw new ModelException(ctx + " attribute '" + key + "' must be a list of integers, got " + v);
                }
                r[i] = e.intValue();
            }
            return r;
        }

        float number(String key, float dflt) {
            JsonNode v = get(key, false);
            if (v == null) {
                return dflt;
            }
            if (v.isNumber()) {
                // through the decimal text, so that the float written by Float.toString comes back exactly
                return v.isBigDecimal() ? Float.parseFloat(v.decimalValue().toString()) : v.floatValue();
            }
            if (v.isTextual()) {
                switch (v.textValue()) {
                    case "Infinity", "inf", "+Infinity":
                        return Float.POSITIVE_INFINITY;
                    case "-Infinity", "-inf":
                        return Float.NEGATIVE_INFINITY;
                    case "NaN", "nan":
                        return Float.NaN;
                    default:
                        break;
                }
            }
            throw new ModelException(ctx + " attribute '" + key + "' must be a number, got " + v);
        }

        boolean bool(String key, boolean dflt) {
            JsonNode v = get(key, false);
            if (v == null) {
                return dflt;
            }
            if (!v.isBoolean()) {
                throw new ModelException(ctx + " attribute '" + key + "' must be true or false, got " + v);
            }
            return v.booleanValue();
        }

        <E extends Enum<E>> E enumValue(String key, Class<E> type, E dflt) {
            JsonNode v = get(key, dflt == null);
            if (v == null) {
                return dflt;
            }
            if (v.isTextual()) {
                for (E e : type.getEnumConstants()) {
                    if (e.name().equalsIgnoreCase(v.textValue())) {
                        return e;
                    }
                }
            }
            throw new ModelException(ctx + " attribute '" + key + "' must be one of "
                    + Arrays.toString(type.getEnumConstants()) + ", got " + v);
        }

        void checkNoExtra() {
            if (node == null || node.isNull()) {
                return;
            }
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (!used.contains(k)) {
                    throw new ModelException(ctx + " has unknown attribute '" + k + "'");
                }
            }
        }
    }
}
