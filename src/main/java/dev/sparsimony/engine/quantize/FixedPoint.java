package dev.sparsimony.engine.quantize;

import dev.sparsimony.engine.model.ModelException;

/**
 * An HLS fixed-point type {@code ap_fixed<W,I,Q,O>} (or {@code ap_ufixed} when unsigned): W total bits, I integer
 * bits including the sign bit, Q the rounding mode, O the overflow mode (Vivado HLS user guide UG902, "Arbitrary
 * Precision Fixed-Point Data Types"). The default modes of ap_fixed are AP_TRN and AP_WRAP.
 */
public record FixedPoint(int width, int integer, boolean signed, Rounding rounding, Overflow overflow) {
    /** Rounding (quantization) modes of ap_fixed. */
    public enum Rounding {
        /** AP_TRN: truncate towards minus infinity (the default). */
        TRUNCATE("AP_TRN"),
        /** AP_RND: round to nearest, ties towards plus infinity. */
        ROUND_HALF_UP("AP_RND"),
        /** AP_RND_CONV: round to nearest, ties to even. */
        CONVERGENT("AP_RND_CONV");

        public final String hls;

        Rounding(String hls) {
            this.hls = hls;
        }
    }

    /** Overflow modes of ap_fixed. */
    public enum Overflow {
        /** AP_WRAP: drop the high bits (the default). */
        WRAP("AP_WRAP"),
        /** AP_SAT: clamp to the largest/smallest representable value. */
        SATURATE("AP_SAT");

        public final String hls;

        Overflow(String hls) {
            this.hls = hls;
        }
    }

    public FixedPoint {
        if (width < 1 || width > 32) {
            throw new ModelException("fixed-point width W must be in 1..32, got " + width);
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
                r = java.util.Arrays.stream(Rounding.values()).filter(x -> x.hls.equals(parts[2])).findFirst()
                        .orElseThrow(() -> new ModelException("unknown rounding mode '" + parts[2] + "' in '" + text
                                + "' (AP_TRN, AP_RND, AP_RND_CONV)"));
            }
            if (parts.length > 3) {
                o = java.util.Arrays.stream(Overflow.values()).filter(x -> x.hls.equals(parts[3])).findFirst()
                        .orElseThrow(() -> new ModelException("unknown overflow mode '" + parts[3] + "' in '" + text
                                + "' (AP_WRAP, AP_SAT)"));
            }
            return new FixedPoint(w, i, signed, r, o);
        } catch (NumberFormatException e) {
            throw new ModelException("cannot read the fixed-point type '" + text + "'; expected e.g. ap_fixed<16,6>");
        }
    }

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
