package dev.sparsimony.engine.export;

import dev.sparsimony.engine.hardware.Strategy;
import dev.sparsimony.engine.quantize.FixedPoint;

/** hls4ml's spellings of types and strategies, as its configuration files write them. */
final class HlsTypes {
    private HlsTypes() {
    }

    /**
     * {@code fixed<16,6>} or {@code ufixed<6,0,RND_CONV,SAT>}: hls4ml's own spelling (model/types.py,
     * FixedPrecisionType.__str__, without the saturation bits); backends/fpga/fpga_backend.py
     * {@code _convert_ap_type} reads it back, the modes as the third and fourth parameters.
     */
    static String precision(FixedPoint t) {
        String base = (t.signed() ? "fixed<" : "ufixed<") + t.width() + "," + t.integer();
        if (t.rounding() == FixedPoint.Rounding.TRUNCATE && t.overflow() == FixedPoint.Overflow.WRAP) {
            return base + ">";
        }
        return base + "," + t.rounding().hls.substring(3) + "," + t.overflow().hls.substring(3) + ">";
    }

    /** Latency, Resource or Resource_Unrolled (hls4ml compares them in snake case: resource_unrolled). */
    static String strategy(Strategy s) {
        return switch (s) {
            case LATENCY -> "Latency";
            case RESOURCE -> "Resource";
            case UNROLLED -> "Resource_Unrolled";
        };
    }

    /** A C identifier for a name (hls4ml turns layer names into C++ names): other characters become '_'. */
    static String identifier(String name) {
        String s = name.replaceAll("[^A-Za-z0-9_]", "_");
        return s.isEmpty() || Character.isDigit(s.charAt(0)) ? "l_" + s : s;
    }
}
