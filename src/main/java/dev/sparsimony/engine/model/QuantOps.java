package dev.sparsimony.engine.model;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Quantizer operations: QONNX's {@code Quant} (IntQuant), {@code BipolarQuant} and {@code Trunc} as written by
 * Brevitas and FINN (docs: github.com/fastmachinelearning/qonnx, docs/qonnx-custom-ops), and the requantization
 * step of ONNX QLinearConv/QLinearMatMul. Each op carries its quantizer (bit width, signedness, scale), so the
 * engine reads a model's own precision from it; {@link Quantization} lists them for a model. The element
 * functions here are used both by the inference kernels and by importers folding quantized weights.
 */
public final class QuantOps {
    private QuantOps() {
    }

    /** QONNX rounding modes (qonnx docs, intquant_v1.md "Rounding modes"); ROUND is half to even. */
    public enum Rounding {
        ROUND, CEIL, FLOOR, UP, DOWN, HALF_UP, HALF_DOWN;

        public double apply(double v) {
            return switch (this) {
                case ROUND -> Math.rint(v);
                case CEIL -> Math.ceil(v);
                case FLOOR -> Math.floor(v);
                case UP -> Math.signum(v) * Math.ceil(Math.abs(v));
                case DOWN -> Math.signum(v) * Math.floor(Math.abs(v));
                case HALF_UP -> Math.signum(v) * Math.floor(Math.abs(v) + 0.5);
                case HALF_DOWN -> Math.signum(v) * Math.ceil(Math.abs(v) - 0.5);
            };
        }

        /** The mode named in a file (any case; ROUND_TO_ZERO is DOWN); null when unknown. */
        public static Rounding of(String name) {
            String n = name.strip().toUpperCase(java.util.Locale.ROOT);
            if (n.equals("ROUND_TO_ZERO")) {
                return DOWN;
            }
            for (Rounding r : values()) {
                if (r.name().equals(n)) {
                    return r;
                }
            }
            return null;
        }
    }

    /** Smallest integer of the format (QONNX min_int). */
    public static double minInt(int bits, boolean signed, boolean narrow) {
        if (!signed) {
            return 0;
        }
        return -Math.pow(2, bits - 1) + (narrow ? 1 : 0);
    }

    /** Largest integer of the format (QONNX max_int). */
    public static double maxInt(int bits, boolean signed, boolean narrow) {
        if (!signed) {
            return Math.pow(2, bits) - (narrow ? 2 : 1);
        }
        return Math.pow(2, bits - 1) - 1;
    }

    static void checkBits(int bits, String what) {
        if (bits < 1 || bits > 32) {
            throw new ModelException(what + " bit width must be 1 to 32, got " + bits);
        }
    }

    /** Scale-like weights must broadcast to the input (scalars, or per-channel tensors of the input's rank). */
    static void checkBroadcast(int[] in, Tensor t, String what) {
        if (t != null && !Arrays.equals(Shapes.broadcast(in, t.shape(), what), in)) {
            throw new ModelException(what + " " + t.shapeString() + " does not broadcast to the input "
                    + Arrays.toString(in));
        }
    }

    private static boolean besideBatch(List<int[]> in, boolean[] batched, Tensor... params) {
        if (!BatchAxis.perSample(in, batched)) {
            return false;
        }
        for (Tensor t : params) {
            if (t != null && !BatchAxis.constantBesideBatch(t.shape(), in.get(0).length)) {
                return false;
            }
        }
        return true;
    }

    /**
     * QONNX IntQuant ("Quant"): y = (round(clamp(x / scale + zeroPoint, min, max)) - zeroPoint) * scale, in float32
     * as Brevitas computes it, with min/max from the bit width, signedness and narrow range.
     */
    public record Quant(Tensor scale, Tensor zeroPoint, int bits, boolean signed, boolean narrow, Rounding rounding)
            implements Op {
        public Quant {
            checkBits(bits, "Quant");
        }

        public float apply(float x, float s, float z) {
            float y = x / s + z;
            float lo = (float) minInt(bits, signed, narrow);
            float hi = (float) maxInt(bits, signed, narrow);
            y = y > hi ? hi : y < lo ? lo : y; // NaN passes through, as numpy.where does
            return ((float) rounding.apply(y) - z) * s;
        }

        @Override
        public String kind() {
            return "Quant";
        }

        @Override
        public Map<String, Tensor> weights() {
            Map<String, Tensor> m = new LinkedHashMap<>();
            m.put("scale", scale);
            m.put("zeroPoint", zeroPoint);
            return m;
        }

        @Override
        public Op withWeight(String name, Tensor v) {
            return switch (name) {
                case "scale" -> new Quant(Shapes.sameShape(scale, v, name), zeroPoint, bits, signed, narrow, rounding);
                case "zeroPoint" -> new Quant(scale, Shapes.sameShape(zeroPoint, v, name), bits, signed, narrow,
                        rounding);
                default -> Op.super.withWeight(name, v);
            };
        }

        @Override
        public boolean keepsBatch(List<int[]> in, boolean[] batched) {
            return besideBatch(in, batched, scale, zeroPoint);
        }

        @Override
        public int[] outputShape(List<int[]> in) {
            checkBroadcast(in.get(0), scale, "Quant scale");
            checkBroadcast(in.get(0), zeroPoint, "Quant zero point");
            return in.get(0).clone();
        }
    }

    /** QONNX BipolarQuant: y = (x &gt;= 0 ? 1 : -1) * scale (binary weights or activations, 1 bit). */
    public record BipolarQuant(Tensor scale) implements Op {
        public static float apply(float x, float s) {
            return (x >= 0 ? 1f : -1f) * s;
        }

        @Override
        public String kind() {
            return "BipolarQuant";
        }

        @Override
        public Map<String, Tensor> weights() {
            return Map.of("scale", scale);
        }

        @Override
        public Op withWeight(String name, Tensor v) {
            return name.equals("scale") ? new BipolarQuant(Shapes.sameShape(scale, v, name))
                    : Op.super.withWeight(name, v);
        }

        @Override
        public boolean keepsBatch(List<int[]> in, boolean[] batched) {
            return besideBatch(in, batched, scale);
        }

        @Override
        public int[] outputShape(List<int[]> in) {
            checkBroadcast(in.get(0), scale, "BipolarQuant scale");
            return in.get(0).clone();
        }
    }

    /**
     * QONNX Trunc (qonnx docs trunc_v1.md / trunc_v2.md): y = round(x / scale + zeroPoint) is cut to
     * {@code outBits}. Version 1 ({@code outScale} null) divides by 2^(inBits - outBits), applies
     * {@code rounding} and rescales: (y - zeroPoint) * scale. Version 2 divides by t = 2^round(log2(outScale /
     * scale)), clamps to the output format, applies {@code rounding} and rescales: (y - zeroPoint / t) * outScale.
     */
    public record Trunc(Tensor scale, Tensor zeroPoint, Tensor outScale, int inBits, int outBits, boolean signed,
                        boolean narrow, Rounding rounding) implements Op {
        public Trunc {
            checkBits(inBits, "Trunc input");
            checkBits(outBits, "Trunc output");
        }

        public float apply(float x, float s, float z, float os) {
            float y = (float) Math.rint(x / s + z);
            if (outScale == null) {
                y = (float) rounding.apply(y / (float) Math.pow(2, inBits - outBits));
                return (y - z) * s;
            }
            float t = (float) Math.pow(2, Math.rint(Math.log(os / s) / Math.log(2)));
            y = y / t;
            float lo = (float) minInt(outBits, signed, narrow);
            float hi = (float) maxInt(outBits, signed, narrow);
            y = y > hi ? hi : y < lo ? lo : y;
            y = (float) rounding.apply(y);
            return (y - z / t) * os;
        }

        @Override
        public String kind() {
            return "Trunc";
        }

        @Override
        public Map<String, Tensor> weights() {
            Map<String, Tensor> m = new LinkedHashMap<>();
            m.put("scale", scale);
            m.put("zeroPoint", zeroPoint);
            if (outScale != null) {
                m.put("outScale", outScale);
            }
            return m;
        }

        @Override
        public Op withWeight(String name, Tensor v) {
            return switch (name) {
                case "scale" -> new Trunc(Shapes.sameShape(scale, v, name), zeroPoint, outScale, inBits, outBits,
                        signed, narrow, rounding);
                case "zeroPoint" -> new Trunc(scale, Shapes.sameShape(zeroPoint, v, name), outScale, inBits, outBits,
                        signed, narrow, rounding);
                case "outScale" -> new Trunc(scale, zeroPoint, Shapes.sameShape(outScale, v, name), inBits, outBits,
                        signed, narrow, rounding);
                default -> Op.super.withWeight(name, v);
            };
        }

        @Override
        public boolean keepsBatch(List<int[]> in, boolean[] batched) {
            return besideBatch(in, batched, scale, zeroPoint, outScale);
        }

        @Override
        public int[] outputShape(List<int[]> in) {
            checkBroadcast(in.get(0), scale, "Trunc scale");
            checkBroadcast(in.get(0), zeroPoint, "Trunc zero point");
            checkBroadcast(in.get(0), outScale, "Trunc output scale");
            return in.get(0).clone();
        }
    }

    /**
     * The last step of ONNX QLinearConv / QLinearMatMul: the exact integer accumulator times
     * multiplier = x_scale * w_scale / y_scale (float32, per output channel along {@code axis} or one value), plus
     * the output zero point, rounded half to even in double precision and saturated to the output type, as the ONNX
     * reference (onnx/reference/ops/op_qlinear_conv.py) computes it.
     */
    public record Requantize(Tensor multiplier, int axis, float zeroPoint, Ops.QuantType type) implements Op {
        public float apply(float acc, float m) {
            double r = Math.rint((double) acc * m + zeroPoint);
            return (float) Math.max(type.min, Math.min(type.max, r));
        }

        @Override
        public String kind() {
            return "Requantize";
        }

        @Override
        public Map<String, Tensor> weights() {
            return Map.of("multiplier", multiplier);
        }

        @Override
        public Op withWeight(String name, Tensor v) {
            return name.equals("multiplier") ? new Requantize(Shapes.sameShape(multiplier, v, name), axis, zeroPoint,
                    type) : Op.super.withWeight(name, v);
        }

        @Override
        public boolean keepsBatch(List<int[]> in, boolean[] batched) {
            return BatchAxis.perSample(in, batched)
                    && (multiplier.size() == 1 || Shapes.axis(axis, in.get(0).length, "Requantize") != 0);
        }

        @Override
        public int[] outputShape(List<int[]> in) {
            int[] s = in.get(0);
            if (multiplier.size() != 1) {
                int a = Shapes.axis(axis, s.length, "Requantize");
                if (multiplier.size() != s[a]) {
                    throw new ModelException("Requantize has " + multiplier.size() + " multipliers for " + s[a]
                            + " channels");
                }
            }
            return s.clone();
        }
    }
}
