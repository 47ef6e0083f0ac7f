package dev.sparsimony.engine.io.npy;

import dev.sparsimony.engine.model.ModelException;
import java.nio.ByteOrder;

/**
 * A NumPy dtype descriptor restricted to what Sparsimony reads: byte order ({@code <} little, {@code >} big,
 * {@code |} not applicable, {@code =} native) + kind (f, i, u, b) + item size in bytes.
 * See numpy/lib/format.py and the "Data type objects" page of the NumPy reference.
 */
record DType(char kind, int size, boolean bigEndian) {

    static DType parse(String descr, String where) {
        if (descr == null || descr.length() < 2) {
            throw new ModelException(where + ": bad dtype descriptor '" + dev.sparsimony.engine.model.Problems.excerpt(descr) + "'");
        }
        String d = descr;
        boolean big = false;
        char o = d.charAt(0);
        if (o == '<' || o == '>' || o == '|' || o == '=') {
            big = o == '>';
            d = d.substring(1);
        }
        if (d.equals("?")) {
            d = "b1";
        }
        if (d.length() < 2) {
            throw new ModelException(where + ": bad dtype descriptor '" + dev.sparsimony.engine.model.Problems.excerpt(descr) + "'");
        }
        char kind = d.charAt(0);
        int size;
        try {
            size = Integer.parseInt(d.substring(1));
        } catch (NumberFormatException e) {
            throw new ModelException(where + ": unsupported dtype '" + dev.sparsimony.engine.model.Problems.excerpt(descr) + "'" + hint(d));
        }
        boolean ok = switch (kind) {
            case 'f' -> size == 2 || size == 4 || size == 8;
            case 'i', 'u' -> size == 1 || size == 2 || size == 4 || size == 8;
            case 'b' -> size == 1;
            default -> false;
        };
        if (!ok) {
            throw new ModelException(where + ": unsupported dtype '" + dev.sparsimony.engine.model.Problems.excerpt(descr) + "'" + hint(d)
                    + " (supported: float16/32/64, int8..64, uint8..64, bool)");
        }
        return new DType(kind, size, size > 1 && big);
    }

    private static String hint(String d) {
        if (d.startsWith("O")) {
            return " (an array of Python objects, stored as a pickle)";
        }
        if (d.startsWith("c")) {
            return " (complex numbers)";
        }
        if (d.startsWith("U") || d.startsWith("S")) {
            return " (strings)";
        }
        return "";
    }

    boolean isFloat() {
        return kind == 'f';
    }

    ByteOrder order() {
        return bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    }

    String descr() {
        return (size == 1 ? "|" : bigEndian ? ">" : "<") + kind + size;
    }

    /** NumPy's name of the type, e.g. float32. */
    String name() {
        return switch (kind) {
            case 'f' -> "float" + size * 8;
            case 'i' -> "int" + size * 8;
            case 'u' -> "uint" + size * 8;
            default -> "bool";
        };
    }
}
