package dev.sparsimony.engine.hardware;

import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.quantize.FixedPoint;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parsing HLS type strings and quantizing weights to the integers the HLS tool sees as constants. */
public final class Precisions {
    private static final Pattern TYPE = Pattern.compile(
            "\\s*(ap_fixed|ap_ufixed|ap_int|ap_uint|fixed|ufixed|int|uint)\\s*<\\s*([^>]*)>\\s*");

    private Precisions() {
    }

    /**
     * Parses {@code ap_fixed<W,I>}, {@code ap_fixed<W,I,Q,O>}, {@code ap_ufixed<...>}, {@code ap_int<W>},
     * {@code ap_uint<W>} (hls4ml's spelling, backends/fpga/fpga_backend.py {@code _convert_ap_type}).
     */
    public static FixedPoint parse(String s) {
        Matcher m = TYPE.matcher(s == null ? "" : s);
        if (!m.matches()) {
            throw new ModelException("cannot read precision '" + s + "'; expected e.g. ap_fixed<16,6>");
        }
        String kind = m.group(1).toLowerCase(Locale.ROOT);
        String[] parts = m.group(2).split(",");
        boolean signed = !kind.contains("u");
        try {
            int w = Integer.parseInt(parts[0].trim());
            boolean fixed = kind.contains("fixed");
            int i = fixed ? Integer.parseInt(parts[1].trim()) : w;
            int next = fixed ? 2 : 1;
            FixedPoint.Rounding q = FixedPoint.Rounding.TRUNCATE;
            FixedPoint.Overflow o = FixedPoint.Overflow.WRAP;
            if (parts.length > next) {
                q = rounding(parts[next].trim());
            }
            if (parts.length > next + 1) {
                o = overflow(parts[next + 1].trim());
            }
            return new FixedPoint(w, i, signed, q, o);
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            throw new ModelException("cannot read precision '" + s + "'; expected e.g. ap_fixed<16,6>");
        } catch (ModelException e) {
            throw new ModelException("precision '" + s + "' is out of range: " + e.getMessage());
        }
    }

    private static FixedPoint.Rounding rounding(String s) {
        for (FixedPoint.Rounding r : FixedPoint.Rounding.values()) {
            if (r.hls.equalsIgnoreCase(s)) {
                return r;
            }
        }
        throw new ModelException("unsupported rounding mode '" + s + "' (use AP_TRN, AP_RND or AP_RND_CONV)");
    }

    private static FixedPoint.Overflow overflow(String s) {
        for (FixedPoint.Overflow o : FixedPoint.Overflow.values()) {
            if (o.hls.equalsIgnoreCase(s)) {
                return o;
            }
        }
        throw new ModelException("unsupported overflow mode '" + s + "' (use AP_WRAP or AP_SAT)");
    }

    /**
     * The integer code k of {@code v} in type {@code t} (the value is k * lsb), with the type's rounding and overflow
     * modes as ap_fixed applies them when a float literal initialises a weight array (UG902 / UG1399).
     */
    public static long quantize(FixedPoint t, double v) {
        return new Quantizer(t).code(v);
    }

    /** {@link #quantize} with the type's constants computed once (hot loop over a kernel). */
    public static final class Quantizer {
        private final double scale;
        private final long lo;
        private final long hi;
        private final int width;
        private final boolean signed;
        private final FixedPoint.Rounding rounding;
        private final boolean saturate;

        public Quantizer(FixedPoint t) {
            scale = 1.0 / t.lsb();
            width = t.width();
            signed = t.signed();
            lo = signed ? -(1L << (width - 1)) : 0;
            hi = signed ? (1L << (width - 1)) - 1 : (1L << width) - 1;
            rounding = t.rounding();
            saturate = t.overflow() == FixedPoint.Overflow.SATURATE;
        }

        public long code(double v) {
            double x = v * scale; // exact: scale is a power of two
            long k;
            if (rounding == FixedPoint.Rounding.TRUNCATE) {
                k = (long) Math.floor(x);
            } else if (rounding == FixedPoint.Rounding.ROUND_HALF_UP) {
                k = (long) Math.floor(x + 0.5);
            } else {
                k = (long) Math.rint(x);
            }
            if (k >= lo && k <= hi) {
                return k;
            }
            if (saturate) {
                return Math.max(lo, Math.min(hi, k));
            }
            long mod = 1L << width;
            long r = Math.floorMod(k, mod);
            return signed && r > hi ? r - mod : r;
        }
    }
}
