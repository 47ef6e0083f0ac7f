package dev.sparsimony.engine.quantize;

/**
 * Fast, in-place quantization of floats to an {@link FixedPoint} type with the exact semantics of Vivado/Vitis HLS
 * ap_fixed (UG902 "Arbitrary Precision Fixed-Point Data Types"): the value is scaled by 2^F (F = W - I fractional
 * bits, exact in double), rounded to an integer q (AP_TRN: floor; AP_RND: floor(x + 1/2), ties to +inf;
 * AP_RND_CONV: ties to even), then brought into [qmin, qmax] = [-2^(W-1), 2^(W-1)-1] (signed) or [0, 2^W-1]
 * (unsigned) by AP_SAT (clamp) or AP_WRAP (two's-complement wrap: keep the low W bits), and stored back as q * 2^-F.
 * NaN becomes 0. The stored float is exact for W &lt;= 24 (a float has a 24-bit significand).
 * Loops are branch-light and allocation-free so the JIT can keep them tight.
 */
public final class Quantizer {
    private final FixedPoint type;
    private final double scale;
    private final double lsb;
    private final double qmin;
    private final double qmax;
    private final double modulus;

    public Quantizer(FixedPoint type) {
        this.type = type;
        this.scale = Math.scalb(1.0, type.fractionalBits());
        this.lsb = Math.scalb(1.0, -type.fractionalBits());
        this.modulus = Math.scalb(1.0, type.width());
        this.qmin = type.signed() ? -modulus / 2 : 0;
        this.qmax = type.signed() ? modulus / 2 - 1 : modulus - 1;
    }

    public FixedPoint type() {
        return type;
    }

    /** The quantized value of one number (same rules as the array methods). */
    public double quantize(double x) {
        if (Double.isNaN(x)) {
            return 0;
        }
        double s = x * scale;
        double q = switch (type.rounding()) {
            case TRUNCATE -> Math.floor(s);
            case ROUND_HALF_UP -> Math.floor(s + 0.5);
            case CONVERGENT -> Math.rint(s);
        };
        q = type.overflow() == FixedPoint.Overflow.SATURATE ? Math.min(Math.max(q, qmin), qmax) : wrap(q);
        return q * lsb + 0.0; // no negative zero in ap_fixed
    }

    private double wrap(double q) {
        if (q >= qmin && q <= qmax) {
            return q;
        }
        if (Double.isInfinite(q)) {
            return 0;
        }
        double r = q % modulus; // exact (fmod), in (-modulus, modulus)
        if (r < qmin) {
            r += modulus;
        }
        if (r > qmax) {
            r -= modulus;
        }
        return r;
    }

    /** Quantizes {@code a} in place. */
    public void quantize(float[] a) {
        quantize(a, 0, a.length);
    }

    /** Quantizes {@code a[from, to)} in place. */
    public void quantize(float[] a, int from, int to) {
        if (type.width() <= 23) {
            quantizeFloat(a, from, to);
        } else {
            quantizeDouble(a, from, to);
        }
    }

    /** The exact double path (any W). */
    private void quantizeDouble(float[] a, int from, int to) {
        final double sc = scale;
        final double ls = lsb;
        final double lo = qmin;
        final double hi = qmax;
        boolean sat = type.overflow() == FixedPoint.Overflow.SATURATE;
        switch (type.rounding()) {
            case TRUNCATE -> {
                if (sat) {
                    for (int i = from; i < to; i++) {
                        double q = Math.floor(a[i] * sc);
                        a[i] = (float) (Math.min(Math.max(q, lo), hi) * ls + 0.0);
                    }
                } else {
                    for (int i = from; i < to; i++) {
                        double q = Math.floor(a[i] * sc);
                        a[i] = (float) ((q >= lo && q <= hi ? q : wrap(q)) * ls + 0.0);
                    }
                }
            }
            case ROUND_HALF_UP -> {
                if (sat) {
                    for (int i = from; i < to; i++) {
                        double q = Math.floor(a[i] * sc + 0.5);
                        a[i] = (float) (Math.min(Math.max(q, lo), hi) * ls + 0.0);
                    }
                } else {
                    for (int i = from; i < to; i++) {
                        double q = Math.floor(a[i] * sc + 0.5);
                        a[i] = (float) ((q >= lo && q <= hi ? q : wrap(q)) * ls + 0.0);
                    }
                }
            }
            case CONVERGENT -> {
                if (sat) {
                    for (int i = from; i < to; i++) {
                        double q = Math.rint(a[i] * sc);
                        a[i] = (float) (Math.min(Math.max(q, lo), hi) * ls + 0.0);
                    }
                } else {
                    for (int i = from; i < to; i++) {
                        double q = Math.rint(a[i] * sc);
                        a[i] = (float) ((q >= lo && q <= hi ? q : wrap(q)) * ls + 0.0);
                    }
                }
            }
        }
        // NaN compares false everywhere: it survives Math.min/max and the range check; map it to 0
        for (int i = from; i < to; i++) {
            if (a[i] != a[i]) {
                a[i] = 0f;
            }
        }
    }

    private static final float MAGIC = 0x1.8p23f; // (s + MAGIC) - MAGIC = round-half-even(s) for |s| < 2^22
    private static final float BIG = 0x1p126f;

    /**
     * Fast path for W &lt;= 23, written with float add/sub/mul/min/max only so that C2 vectorises it (no int
     * conversion, no data-dependent branch): s = x·2^F (exact); rne(s) by the 1.5·2^23 magic addition;
     * floor(s) = rne(s) - [rne(s) &gt; s], the indicator computed as min(max((rne(s) - s)·2^252, 0), 1) (any
     * positive difference is at least 2^-149, so it saturates to 1); SAT by min/max; WRAP by
     * q - 2^W·floor((q - qmin)/2^W). Every step is exact while |s| &lt; 2^21, which a pre-pass (max |x|) checks; NaN,
     * infinities and larger values send the array to the exact double path. Results equal {@link #quantize(double)}.
     */
    private void quantizeFloat(float[] a, int from, int to) {
        final float sc = (float) scale;
        final float ls = (float) lsb;
        final float lo = (float) qmin;
        final float hi = (float) qmax;
        final FixedPoint.Rounding rounding = type.rounding();
        final boolean conv = rounding == FixedPoint.Rounding.CONVERGENT;
        final float off = rounding == FixedPoint.Rounding.ROUND_HALF_UP ? 0.5f : 0f;
        // One pre-pass in the common case: every |s| + 1 within qmax (so no overflow; qmax < |qmin| for signed
        // types) also satisfies the exactness guard |s| < 2^21. Otherwise check the guard alone.
        final float rangeLimit = (hi - 1f) / sc;
        final float guardLimit = (float) (0x1p21 / scale);
        boolean inRange = rangeLimit <= guardLimit && allBelow(a, from, to, rangeLimit);
        if (!inRange && !allBelow(a, from, to, guardLimit)) {
            quantizeDouble(a, from, to);
            return;
        }
        inRange = inRange && (type.signed() || isNonNegative(a, from, to));
        // one fused pass per case (the array is read and written once)
        final boolean wrap = !inRange && type.overflow() == FixedPoint.Overflow.WRAP;
        final float cl = inRange ? -Float.MAX_VALUE : lo; // SAT clamp bounds (no-op when in range or wrapping)
        final float ch = inRange ? Float.MAX_VALUE : hi;
        if (wrap) {
            final float mod = (float) modulus;
            final float inv = (float) (1.0 / modulus);
            for (int i = from; i < to; i++) {
                float s = a[i] * sc + off;
                float r = (s + MAGIC) - MAGIC;
                float q = conv ? r : r - Math.min(Math.max((r - s) * BIG * BIG, 0f), 1f);
                float x = (q - lo) * inv;
                float rx = (x + MAGIC) - MAGIC;
                float fx = rx - Math.min(Math.max((rx - x) * BIG * BIG, 0f), 1f);
                a[i] = (q - fx * mod) * ls + 0f;
            }
        } else if (conv) {
            for (int i = from; i < to; i++) {
                float r = (a[i] * sc + MAGIC) - MAGIC;
                a[i] = Math.min(Math.max(r, cl), ch) * ls + 0f;
            }
        } else {
            for (int i = from; i < to; i++) {
                float s = a[i] * sc + off;
                float r = (s + MAGIC) - MAGIC;
                float q = r - Math.min(Math.max((r - s) * BIG * BIG, 0f), 1f);
                a[i] = Math.min(Math.max(q, cl), ch) * ls + 0f;
            }
        }
    }

    /** True when every |a[i]| is below {@code limit} (false for NaN): a predictable, branch-only pass. */
    static boolean allBelow(float[] a, int from, int to, float limit) {
        for (int i = from; i < to; i++) {
            if (!(Math.abs(a[i]) < limit)) {
                return false;
            }
        }
        return true;
    }

    /** max |a[i]| over values known to be finite. */
    static float maxAbs(float[] a, int from, int to) {
        float m = 0f;
        for (int i = from; i < to; i++) {
            float v = Math.abs(a[i]);
            m = v > m ? v : m;
        }
        return m;
    }

    private static boolean isNonNegative(float[] a, int from, int to) {
        float mn = 0f;
        for (int i = from; i < to; i++) {
            mn = Math.min(mn, a[i]);
        }
        return mn >= 0f;
    }
}
