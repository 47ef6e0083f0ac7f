package dev.sparsimony.engine.infer.kernels;

import dev.sparsimony.engine.infer.OpKernel;
import dev.sparsimony.engine.model.Ops;

/** Cast of a runtime tensor: values rounded to the target type and held as floats (see {@link Ops.Cast}). */
public final class CastKernel implements OpKernel<Ops.Cast> {
    @Override
    public Class<Ops.Cast> opType() {
        return Ops.Cast.class;
    }

    @Override
    public boolean supportsInPlace() {
        return true;
    }

    @Override
    public Step prepare(Ops.Cast op, Context ctx) {
        Ops.CastType t = op.to();
        return Broadcasts.map(ctx.input(0), ctx.output(), (x, i) -> cast(x, t));
    }

    static float cast(float x, Ops.CastType t) {
        return switch (t) {
            case FLOAT, DOUBLE -> x;
            case FLOAT16 -> toHalf(x);
            case BFLOAT16 -> toBfloat16(x);
            case BOOL -> x != 0 || x != x ? 1f : 0f;
            case INT8 -> integer(x, -128, 127);
            case UINT8 -> integer(x, 0, 255);
            case INT16 -> integer(x, -32768, 32767);
            case UINT16 -> integer(x, 0, 65535);
            case INT32 -> integer(x, Integer.MIN_VALUE, Integer.MAX_VALUE);
            case UINT32 -> integer(x, 0, 4294967295.0);
            case INT64 -> integer(x, -0x1p63, 0x1p63);
            case UINT64 -> integer(x, 0, 0x1p64);
        };
    }

    /** Truncation toward zero, saturated to [lo, hi]; NaN gives 0. */
    private static float integer(float x, double lo, double hi) {
        if (x != x) {
            return 0f;
        }
        double v = x < 0 ? Math.ceil(x) : Math.floor(x);
        return (float) Math.max(lo, Math.min(hi, v));
    }

    /** Nearest IEEE binary16 value (ties to even), as a float. */
    static float toHalf(float f) {
        if (!Float.isFinite(f)) {
            return f;
        }
        float a = Math.abs(f);
        if (a >= 65520f) { // halfway between 65504 (largest half) and 65536 rounds to infinity
            return Math.copySign(Float.POSITIVE_INFINITY, f);
        }
        // the quantum is 2^-24 below 2^-14 (subnormal halves), else 2^(exponent - 10): scaling by it is exact
        double q = a < 0x1p-14f ? 0x1p-24 : Math.scalb(1.0, Math.getExponent(a) - 10);
        return Math.copySign((float) (Math.rint(a / q) * q), f);
    }

    /** Nearest bfloat16 value (the top 16 bits of a float, ties to even), as a float. */
    static float toBfloat16(float f) {
        if (f != f) {
            return f;
        }
        int b = Float.floatToRawIntBits(f);
        b += 0x7FFF + ((b >>> 16) & 1);
        return Float.intBitsToFloat(b & 0xFFFF0000);
    }
}
