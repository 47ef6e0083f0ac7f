package dev.sparsimony.engine.hardware;

import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.quantize.FixedPoint;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parsing HLS type strings and quantizing weights to the integers the HLS tool sees as constants. */
public final class Precisions {
    private static final Pattern TYPE = Pattern.compile(
            "\\s*(ap_fixed|ap_ufixed|ap_int|ap_uint|fixed|ufixed|int|uint)\\s*<\\s*([^>]*)>\\s*",
            Pattern.CASE_INSENSITIVE);

    private Precisions() {
    }

    /**
     * Parses every spelling hls4ml's {@code _convert_ap_type} accepts (backends/fpga/fpga_backend.py):
     * {@code ap_fixed<W,I>}, {@code fixed<W,I>}, {@code ap_ufixed<W,I>}, {@code ufixed<W,I>}, {@code ap_int<W>},
     * {@code int<W>}, {@code ap_uint<W>}, {@code uint<W>}, each optionally followed by a rounding mode, an overflow
     * mode and a saturation-bit count, the modes with or without their {@code AP_} prefix
     * ({@code ufixed<6,0,RND_CONV,SAT>}, as hls4ml's RoundingMode.from_string reads them).
     */
    public static FixedPoint parse(String s) {
        Matcher m = TYPE.matcher(s == null ? "" : s);
        if (!m.matches()) {
            throw new ModelException("cannot read precision '" + s + "'; expected e.g. ap_fixed<16,6>, fixed<16,6>,"
                    + " ufixed<6,0,RND_CONV,SAT> or ap_int<8>");
        }
        String kind = m.group(1).toLowerCase(Locale.ROOT);
        String[] parts = m.group(2).split(",", -1);
        boolean signed = !kind.contains("u");
        boolean fixed = kind.contains("fixed");
        int next = fixed ? 2 : 1;
        try {
            if (parts.length < next || parts.length > next + 3) {
                throw new NumberFormatException();
            }
            int w = Integer.parseInt(parts[0].trim());
            int i = fixed ? Integer.parseInt(parts[1].trim()) : w;
            FixedPoint.Rounding q = FixedPoint.Rounding.TRUNCATE;
            FixedPoint.Overflow o = FixedPoint.Overflow.WRAP;
            if (parts.length > next) {
                q = FixedPoint.Rounding.of(parts[next]);
                if (q == null) {
                    throw new ModelException("unknown rounding mode '" + parts[next].trim() + "' in '" + s.trim()
                            + "' (" + FixedPoint.ROUNDING_NAMES + ", with or without AP_)");
                }
            }
            if (parts.length > next + 1) {
                o = FixedPoint.Overflow.of(parts[next + 1]);
                if (o == null) {
                    throw new ModelException("unknown overflow mode '" + parts[next + 1].trim() + "' in '" + s.trim()
                            + "' (" + FixedPoint.OVERFLOW_NAMES + ", with or without AP_)");
                }
            }
            if (parts.length > next + 2 && Integer.parseInt(parts[next + 2].trim()) != 0) {
                throw new ModelException("precision '" + s.trim() + "' sets " + parts[next + 2].trim()
                        + " saturation bits; only 0 is modelled");
            }
            return new FixedPoint(w, i, signed, q, o);
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            throw new ModelException("cannot read precision '" + s + "'; expected e.g. ap_fixed<16,6>");
        } catch (ModelException e) {
            if (e.getMessage().startsWith("unknown") || e.getMessage().startsWith("precision")) {
                throw e;
            }
            throw new ModelException("precision '" + s + "' is out of range: " + e.getMessage());
        }
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
        private final FixedPoint.Overflow overflow;

        public Quantizer(FixedPoint t) {
            scale = 1.0 / t.lsb();
            width = Math.min(t.width(), 62); // codes of wider types never overflow a weight value anyway
            signed = t.signed();
            lo = signed ? -(1L << (width - 1)) : 0;
            hi = signed ? (1L << (width - 1)) - 1 : (1L << width) - 1;
            rounding = t.rounding();
            overflow = t.overflow();
        }

        public long code(double v) {
            double x = v * scale; // exact: scale is a power of two
            long k = switch (rounding) {
                case TRUNCATE -> (long) Math.floor(x);
                case ROUND_HALF_UP -> (long) Math.floor(x + 0.5);
                case CONVERGENT -> (long) Math.rint(x);
                default -> (long) rounding.round(x);
            };
            if (k >= lo && k <= hi && !(overflow == FixedPoint.Overflow.SATURATE_SYM && signed && k == lo)) {
                return k;
            }
            switch (overflow) {
                case SATURATE:
                    return Math.max(lo, Math.min(hi, k));
                case SATURATE_SYM:
                    return Math.max(signed ? -hi : lo, Math.min(hi, k));
                case SATURATE_ZERO:
                    return 0;
                default:
                    long mod = 1L << width;
                    long r = Math.floorMod(k, mod);
                    return signed && r > hi ? r - mod : r;
            }
        }
    }
}
