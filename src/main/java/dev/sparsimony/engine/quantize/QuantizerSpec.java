package dev.sparsimony.engine.quantize;

import dev.sparsimony.engine.model.ModelException;

/**
 * A weight quantizer choice as stored in a design point (JSON-friendly). {@code type}: "none", "fixed" (uses
 * {@code fixed}, given either as an object with all five fields or as its HLS spelling in {@code hls}, e.g.
 * "ap_fixed&lt;16,6&gt;"), "po2" (uses {@code bits}, optional {@code maxExponent}), "kmeans" (uses {@code clusters};
 * the seed comes from the design point), "binary", "ternary".
 */
public record QuantizerSpec(String type, FixedPoint fixed, String hls, Integer bits, Integer maxExponent,
                            Integer clusters) {
    public QuantizerSpec {
        if (fixed == null && hls != null) {
            fixed = FixedPoint.parse(hls);
        }
        hls = null; // only a spelling of the input: two specs of the same type are equal however they were written
        if (type == null && fixed != null) {
            type = "fixed";
        }
    }

    public QuantizerSpec(String type, FixedPoint fixed, Integer bits, Integer maxExponent, Integer clusters) {
        this(type, fixed, null, bits, maxExponent, clusters);
    }

    public static QuantizerSpec none() {
        return new QuantizerSpec("none", null, null, null, null);
    }

    public static QuantizerSpec fixed(FixedPoint t) {
        return new QuantizerSpec("fixed", t, null, null, null);
    }

    public static QuantizerSpec fixed(int width, int integer) {
        return fixed(FixedPoint.of(width, integer));
    }

    public static QuantizerSpec po2(int bits) {
        return new QuantizerSpec("po2", null, bits, null, null);
    }

    public static QuantizerSpec kmeans(int k) {
        return new QuantizerSpec("kmeans", null, null, null, k);
    }

    public static QuantizerSpec of(String type) {
        return new QuantizerSpec(type, null, null, null, null);
    }

    public boolean absent() {
        return type == null || type.equals("none");
    }

    /** The fixed-point type for biases and layer outputs (only "fixed" or "none" apply there). */
    public FixedPoint fixedOnly(String field) {
        if (absent()) {
            return null;
        }
        if (!type.equals("fixed") || fixed == null) {
            throw new ModelException(field + " must be a fixed-point type (type \"fixed\" with \"fixed\": {...}), got "
                    + type);
        }
        return fixed;
    }
}
