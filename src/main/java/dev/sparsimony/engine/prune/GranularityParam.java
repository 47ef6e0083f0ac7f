package dev.sparsimony.engine.prune;

import dev.sparsimony.engine.model.ModelException;

/**
 * One declared parameter of a granularity: the CLI and the window list sweep axes from these and refuse a
 * misspelt or out-of-range value by name.
 *
 * @param name        as written in a design point ({@code params.name})
 * @param integer     true when only whole numbers are allowed
 * @param min         smallest allowed value
 * @param max         largest allowed value
 * @param defaultValue used when the point leaves the parameter out
 * @param description what it means, in the user's words
 */
public record GranularityParam(String name, boolean integer, double min, double max, double defaultValue,
                               String description) {
    public static GranularityParam integer(String name, int min, int max, int dflt, String description) {
        return new GranularityParam(name, true, min, max, dflt, description);
    }

    /** The value checked against this declaration; {@code where} names the granularity in the message. */
    public double check(double v, String where) {
        if (Double.isNaN(v) || v < min || v > max) {
            throw new ModelException(where + " parameter '" + name + "' must be in " + range() + ", got " + fmt(v));
        }
        if (integer && v != Math.rint(v)) {
            throw new ModelException(where + " parameter '" + name + "' must be a whole number, got " + fmt(v));
        }
        return v;
    }

    public String range() {
        return "[" + fmt(min) + ", " + fmt(max) + "]";
    }

    static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.valueOf(v);
    }
}
