package dev.sparsimony.engine.quantize;

import dev.sparsimony.engine.model.ModelException;

/**
 * An HLS fixed-point type {@code ap_fixed<W,I,Q,O>} (or {@code ap_ufixed} when unsigned): W total bits, I integer
 * bits including the sign bit, Q the rounding mode, O the overflow mode (Vivado HLS user guide UG902, "Arbitrary
 * Precision Fixed-Point Data Types"). The default modes of ap_fixed are AP_TRN and AP_WRAP.
 */
public record FixedPoint(int width, int integer, boolean signed, Rounding rounding, Overflow overflow) {
    /**
     * Rounding (quantization) modes of ap_fixed (UG1399 "Arbitrary Precision Fixed-Point Data Types"; hls4ml's
     * {@code RoundingMode} in model/types.py lists the same seven). The first three keep their historical order.
     */
    public enum Rounding {
        /** AP_TRN: truncate towards minus infinity (the default). */
        TRUNCATE("AP_TRN"),
        /** AP_RND: round to nearest, ties towards plus infinity. */
        ROUND_HALF_UP("AP_RND"),
        /** AP_RND_CONV: round to nearest, ties to even. */
        CONVERGENT("AP_RND_CONV"),
        /** AP_TRN_ZERO: truncate towards zero. */
        TRUNCATE_ZERO("AP_TRN_ZERO"),
        /** AP_RND_ZERO: round to nearest, ties towards zero. */
        ROUND_ZERO("AP_RND_ZERO"),
        /** AP_RND_INF: round to nearest, ties away from zero. */
        ROUND_INF("AP_RND_INF"),
        /** AP_RND_MIN_INF: round to nearest, ties towards minus infinity. */
        ROUND_MIN_INF("AP_RND_MIN_INF");

        public final String hls;

        Rounding(String hls) {
            this.hls = hls;
        }

        /** The integer this mode gives for a value already scaled by 2^F. */
        public double round(double s) {
            return switch (this) {
                case TRUNCATE -> Math.floor(s);
                case ROUND_HALF_UP -> Math.floor(s + 0.5);
                case CONVERGENT -> Math.rint(s);
                case TRUNCATE_ZERO -> s < 0 ? Math.ceil(s) : Math.floor(s);
                case ROUND_ZERO -> s < 0 ? Math.floor(s + 0.5) : Math.ceil(s - 0.5);
                case ROUND_INF -> s < 0 ? Math.ceil(s - 0.5) : Math.floor(s + 0.5);
                case ROUND_MIN_INF -> Math.ceil(s - 0.5);
            };
        }

        /** The mode named {@code AP_RND_CONV}, {@code RND_CONV} (hls4ml accepts both) or {@code AC_...}; null if none. */
        public static Rounding of(String name) {
            String n = normalise(name);
            for (Rounding r : values()) {
                if (r.hls.substring(3).equals(n)) {
                    return r;
                }
            }
            return null;
        }
    }

    /** Overflow (saturation) modes of ap_fixed; hls4ml's {@code SaturationMode} lists the same four. */
    public enum Overflow {
        /** AP_WRAP: drop the high bits (the default). */
        WRAP("AP_WRAP"),
        /** AP_SAT: clamp to the largest/smallest representable value. */
        SATURATE("AP_SAT"),
        /** AP_SAT_ZERO: an overflowing value becomes zero. */
        SATURATE_ZERO("AP_SAT_ZERO"),
        /** AP_SAT_SYM: clamp symmetrically, to -max for signed types (the most negative code is not used). */
        SATURATE_SYM("AP_SAT_SYM");

        public final String hls;

        Overflow(String hls) {
            this.hls = hls;
        }

        /** The mode named {@code AP_SAT}, {@code SAT} or {@code AC_SAT}; null if none. */
        public static Overflow of(String name) {
            String n = normalise(name);
            for (Overflow o : values()) {
                if (o.hls.substring(3).equals(n)) {
                    return o;
                }
            }
            return null;
        }
    }

    /** hls4ml's RoundingMode.from_string: strip AP_/AC_, upper case. */
    private static String normalise(String name) {
        String n = name == null ? "" : name.strip().toUpperCase(java.util.Locale.ROOT);
        if (n.startsWith("AP_") || n.startsWith("AC_")) {
            n = n.substring(3);
        }
        return n;
    }

    /** Widest type accepted: hardware accumulators inferred by hls4ml ('auto') routinely exceed 32 bits. */
    public static final int MAX_WIDTH = 64;

    public FixedPoint {
        if (width < 1 || width > MAX_WIDTH) {
            throw new ModelException("fixed-point width W must be in 1.." + MAX_WIDTH + ", got " + width);
        }
        if (integer > width) {
            throw new ModelException("fixed-point integer bits I must not exceed the width W (W=" + width + ", I="
                    + integer + ")");
        }
        if (integer < -32) {
            throw new ModelException("fixed-point integer bits I must be at least -32, got " + integer);
        }
        if (rounding == null || overflow == null) {
            throw new ModelException("fixed-point rounding and overflow modes are required");
        }
    }

    /** ap_fixed&lt;W,I&gt; with the HLS defaults (truncate, wrap). */
    public static FixedPoint of(int width, int integer) {
        return new FixedPoint(width, integer, true, Rounding.TRUNCATE, Overflow.WRAP);
    }

    /**
     * Parses the HLS spelling: {@code ap_fixed<W,I>}, {@code ap_ufixed<W,I>}, optionally with rounding and overflow
     * modes ({@code ap_fixed<8,3,AP_RND_CONV,AP_SAT>}); also a bare {@code <W,I>} or {@code W,I}.
     */
    public static FixedPoint parse(String text) {
        String t = text == null ? "" : text.replace(" ", "");
        boolean signed = !t.startsWith("ap_ufixed");
        int lt = t.indexOf('<');
        int gt = t.lastIndexOf('>');
        String body = lt >= 0 ? t.substring(lt + 1, gt > lt ? gt : t.length()) : t;
        String[] parts = body.split(",");
        try {
            if (parts.length < 2 || parts.length > 4 || (lt >= 0 && !(t.startsWith("ap_fixed<")
                    || t.startsWith("ap_ufixed<")) && lt != 0)) {
                throw new NumberFormatException();
            }
            int w = Integer.parseInt(parts[0]);
            int i = Integer.parseInt(parts[1]);
            Rounding r = Rounding.TRUNCATE;
            Overflow o = Overflow.WRAP;
            if (parts.length > 2) {
                r = Rounding.of(parts[2]);
                if (r == null) {
                    throw new ModelException("unknown rounding mode '" + parts[2] + "' in '" + text + "' ("
                            + ROUNDING_NAMES + ")");
                }
            }
            if (parts.length > 3) {
                o = Overflow.of(parts[3]);
                if (o == null) {
                    throw new ModelException("unknown overflow mode '" + parts[3] + "' in '" + text + "' ("
                            + OVERFLOW_NAMES + ")");
                }
            }
            return new FixedPoint(w, i, signed, r, o);
        } catch (NumberFormatException e) {
            throw new ModelException("cannot read the fixed-point type '" + text + "'; expected e.g. ap_fixed<16,6>");
        }
    }

    /** The rounding modes for messages. */
    public static final String ROUNDING_NAMES = "AP_TRN, AP_RND, AP_RND_CONV, AP_TRN_ZERO, AP_RND_ZERO, AP_RND_INF,"
            + " AP_RND_MIN_INF";
    /** The overflow modes for messages. */
    public static final String OVERFLOW_NAMES = "AP_WRAP, AP_SAT, AP_SAT_ZERO, AP_SAT_SYM";

    public int fractionalBits() {
        return width - integer;
    }

    /** The value of one least-significant bit, 2^-(W-I). */
    public double lsb() {
        return Math.scalb(1.0, -fractionalBits());
    }

    /** Smallest representable value. */
    public double min() {
        return signed ? -Math.scalb(1.0, integer - 1) : 0.0;
    }

    /** Largest representable value. */
    public double max() {
        return (signed ? Math.scalb(1.0, integer - 1) : Math.scalb(1.0, integer)) - lsb();
    }

    /** The HLS spelling, e.g. {@code ap_fixed<16,6>} or {@code ap_fixed<8,3,AP_RND_CONV,AP_SAT>}. */
    public String hlsType() {
        String base = (signed ? "ap_fixed<" : "ap_ufixed<") + width + "," + integer;
        if (rounding == Rounding.TRUNCATE && overflow == Overflow.WRAP) {
            return base + ">";
        }
        return base + "," + rounding.hls + "," + overflow.hls + ">";
    }

    @Override
    public String toString() {
        return hlsType();
    }
}
