package dev.sparsimony.engine.io.npy;

import dev.sparsimony.engine.model.ModelException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reader and writer of NumPy {@code .npy} files, format versions 1.0, 2.0 and 3.0, as specified in
 * numpy/lib/format.py ("A Simple File Format for NumPy Arrays", NEP 1): the magic {@code \x93NUMPY}, a version,
 * a little-endian header length (2 bytes in 1.0, 4 bytes in 2.0/3.0), a Python-literal dict header
 * ({@code descr}, {@code fortran_order}, {@code shape}; latin-1 before 3.0, UTF-8 in 3.0), then the raw data.
 *
 * <p>Every problem is a {@link ModelException} naming the file and what is wrong.
 */
public final class Npy {
    static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** NumPy pads the header so the data starts on a 64-byte boundary (since NumPy 1.14; 16 before). */
    private static final int ALIGN = 64;

    private Npy() {
    }

    /** True when the bytes start with the .npy magic string. */
    public static boolean hasMagic(byte[] head) {
        if (head.length < MAGIC.length) {
            return false;
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (head[i] != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    public static NpyArray read(Path path) {
        String name = String.valueOf(path.getFileName());
        if (Files.exists(path) && !Files.isRegularFile(path)) {
            throw new ModelException(name + " is not a regular file (a folder, a pipe or a device?)");
        }
        try (InputStream in = new BufferedInputStream(Files.newInputStream(path), 1 << 16)) {
            return read(in, name);
        } catch (IOException e) {
            throw readError(name, path, e);
        }
    }

    /** The one-line error for {@code path} (file name {@code name}) that could not be read. */
    static ModelException readError(String name, Path path, IOException e) {
        if (e instanceof NoSuchFileException) {
            return notFound(name, path);
        }
        return new ModelException("cannot read " + name + ": " + e.getMessage(), e);
    }

    static ModelException notFound(String name, Path path) {
        return new ModelException(name + ": file not found (" + path + ")");
    }

    /** Reads one array from the stream (which is left just after the array's data). */
    public static NpyArray read(InputStream in, String nameForMessages) throws IOException {
        String name = nameForMessages;
        byte[] pre = in.readNBytes(8);
        if (pre.length < 8 || !hasMagic(pre)) {
            if (pre.length >= 2 && pre[0] == 'P' && pre[1] == 'K') {
                throw new ModelException(name + " is a zip archive (.npz?), not a .npy file");
            }
            throw new ModelException(name + " is not a NumPy .npy file (it does not start with \\x93NUMPY)");
        }
        int major = pre[6] & 0xff;
        int minor = pre[7] & 0xff;
        if (major < 1 || major > 3) {
            throw new ModelException(name + " uses .npy format version " + major + "." + minor
                    + "; supported are 1.0, 2.0 and 3.0");
        }
        int lenBytes = major == 1 ? 2 : 4;
        byte[] lb = in.readNBytes(lenBytes);
        if (lb.length < lenBytes) {
            throw new ModelException(name + " is truncated: it ends inside the header");
        }
        long hlen = major == 1 ? (lb[0] & 0xff) | (lb[1] & 0xff) << 8
                : ByteBuffer.wrap(lb).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xffffffffL;
        if (hlen > 1 << 24) {
            throw new ModelException(name + " is malformed: header length " + hlen + " bytes is implausible");
        }
        byte[] hb = in.readNBytes((int) hlen);
        if (hb.length < hlen) {
            throw new ModelException(name + " is truncated: it ends inside the header");
        }
        String header = new String(hb, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Header h = parseHeader(header, name);
        DType t = DType.parse(h.descr, name);
        long n = 1;
        for (int d : h.shape) {
            n *= d;
        }
        long bytes = n * t.size();
        if (bytes > Integer.MAX_VALUE - 16) {
            throw new ModelException(name + " is too large: " + shapeText(h.shape) + " " + t.name() + " ("
                    + bytes + " bytes); Sparsimony reads arrays up to 2 GB");
        }
        byte[] data = in.readNBytes((int) bytes);
        if (data.length < bytes) {
            throw new ModelException(name + " is truncated: header says " + shapeText(h.shape) + " " + t.name()
                    + " (" + bytes + " bytes) but only " + data.length + " bytes follow");
        }
        return decode(t, h.shape, h.fortran, data);
    }

    private record Header(String descr, boolean fortran, int[] shape) {
    }

    private static NpyArray decode(DType t, int[] shape, boolean fortran, byte[] data) {
        int n = data.length / t.size();
        ByteBuffer bb = ByteBuffer.wrap(data).order(t.order());
        float[] f = null;
        long[] l = null;
        if (t.isFloat()) {
            f = new float[n];
            switch (t.size()) {
                case 2 -> {
                    for (int i = 0; i < n; i++) {
                        f[i] = halfToFloat(bb.getShort(2 * i));
                    }
                }
                case 4 -> bb.asFloatBuffer().get(f);
                default -> {
                    for (int i = 0; i < n; i++) {
                        f[i] = (float) bb.getDouble(8 * i);
                    }
                }
            }
        } else {
            l = new long[n];
            boolean u = t.kind() == 'u';
            for (int i = 0; i < n; i++) {
                l[i] = switch (t.size()) {
                    case 1 -> t.kind() == 'b' ? (data[i] != 0 ? 1 : 0) : u ? data[i] & 0xff : data[i];
                    case 2 -> u ? bb.getShort(2 * i) & 0xffff : bb.getShort(2 * i);
                    case 4 -> u ? bb.getInt(4 * i) & 0xffffffffL : bb.getInt(4 * i);
                    default -> bb.getLong(8 * i);
                };
            }
        }
        if (fortran && shape.length > 1) {
            int[] perm = fortranToC(shape);
            if (f != null) {
                float[] c = new float[n];
                for (int i = 0; i < n; i++) {
                    c[perm[i]] = f[i];
                }
                f = c;
            } else {
                long[] c = new long[n];
                for (int i = 0; i < n; i++) {
                    c[perm[i]] = l[i];
                }
                l = c;
            }
        }
        return new NpyArray(t.descr(), shape, f, l);
    }

    /** For each Fortran-order position, the row-major (C) position of the same element. */
    static int[] fortranToC(int[] shape) {
        int r = shape.length;
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        int[] cStride = new int[r];
        int s = 1;
        for (int a = r - 1; a >= 0; a--) {
            cStride[a] = s;
            s *= shape[a];
        }
        int[] idx = new int[r];
        int[] out = new int[n];
        int off = 0;
        for (int i = 0; i < n; i++) {
            out[i] = off;
            // advance the multi-index with axis 0 fastest (Fortran order)
            for (int a = 0; a < r; a++) {
                idx[a]++;
                off += cStride[a];
                if (idx[a] < shape[a]) {
                    break;
                }
                off -= cStride[a] * shape[a];
                idx[a] = 0;
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ header parsing

    /** Parses the Python dict literal, e.g. {'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }. */
    private static Header parseHeader(String text, String name) {
        Map<String, Object> m;
        try {
            m = new LiteralParser(text).dict();
        } catch (IllegalArgumentException e) {
            throw new ModelException(name + " has a malformed header (" + e.getMessage() + "): " + excerpt(text));
        }
        Object descr = m.get("descr");
        Object fo = m.get("fortran_order");
        Object shape = m.get("shape");
        if (descr instanceof List<?>) {
            throw new ModelException(name + " holds a structured (record) array, which Sparsimony does not read");
        }
        if (!(descr instanceof String) || !(fo instanceof Boolean) || !(shape instanceof List<?> sl)) {
            throw new ModelException(name + " has a malformed header (needs 'descr', 'fortran_order' and 'shape'): "
                    + excerpt(text));
        }
        int[] s = new int[sl.size()];
        long n = 1;
        for (int i = 0; i < s.length; i++) {
            if (!(sl.get(i) instanceof Long v) || v < 0 || v > Integer.MAX_VALUE) {
                throw new ModelException(name + " has a malformed header (bad shape "
                        + dev.sparsimony.engine.model.Problems.excerpt(String.valueOf(shape)) + ")");
            }
            s[i] = (int) (long) v;
            n *= v;
            if (n > Integer.MAX_VALUE) {
                throw new ModelException(name + " is too large: shape " + shapeText(s) + " has over 2^31 elements");
            }
        }
        return new Header((String) descr, (Boolean) fo, s);
    }

    /** Header text for a message: printable, one line, short (a damaged header may hold any bytes). */
    private static String excerpt(String header) {
        return "'" + dev.sparsimony.engine.model.Problems.excerpt(header) + "'";
    }

    /**
     * A tiny parser for the Python literals NumPy writes: dict, tuple, list, str, int, True/False/None. NumPy's
     * headers nest two levels (a dict holding a shape tuple); deeper nesting is refused rather than recursed into,
     * so a hostile header cannot overflow the stack.
     */
    private static final class LiteralParser {
        private static final int MAX_DEPTH = 8;
        private final String s;
        private int p;
        private int depth;

        LiteralParser(String s) {
            this.s = s;
        }

        Map<String, Object> dict() {
            Object v = value();
            skip();
            if (p != s.length()) {
                throw new IllegalArgumentException("unexpected text after the dict at " + p);
            }
            if (!(v instanceof Map<?, ?>)) {
                throw new IllegalArgumentException("not a dict");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> m = (Map<String, Object>) v;
            return m;
        }

        private void skip() {
            while (p < s.length() && Character.isWhitespace(s.charAt(p))) {
                p++;
            }
        }

        private char peek() {
            skip();
            if (p >= s.length()) {
                throw new IllegalArgumentException("unexpected end");
            }
            return s.charAt(p);
        }

        private void expect(char c) {
            if (peek() != c) {
                throw new IllegalArgumentException("expected '" + c + "' at " + p);
            }
            p++;
        }

        private Object value() {
            if (++depth > MAX_DEPTH) {
                throw new IllegalArgumentException("nested more than " + MAX_DEPTH + " levels deep");
            }
            try {
                return literal();
            } finally {
                depth--;
            }
        }

        private Object literal() {
            char c = peek();
            if (c == '{') {
                p++;
                Map<String, Object> m = new LinkedHashMap<>();
                while (peek() != '}') {
                    Object k = value();
                    expect(':');
                    m.put(String.valueOf(k), value());
                    if (peek() == ',') {
                        p++;
                    } else if (peek() != '}') {
                        throw new IllegalArgumentException("expected ',' or '}' at " + p);
                    }
                }
                p++;
                return m;
            }
            if (c == '(' || c == '[') {
                char close = c == '(' ? ')' : ']';
                p++;
                List<Object> l = new ArrayList<>();
                while (peek() != close) {
                    l.add(value());
                    if (peek() == ',') {
                        p++;
                    } else if (peek() != close) {
                        throw new IllegalArgumentException("expected ',' or '" + close + "' at " + p);
                    }
                }
                p++;
                return l;
            }
            if (c == '\'' || c == '"') {
                int end = s.indexOf(c, p + 1);
                if (end < 0) {
                    throw new IllegalArgumentException("unterminated string");
                }
                String v = s.substring(p + 1, end);
                p = end + 1;
                return v;
            }
            int start = p;
            while (p < s.length() && (Character.isLetterOrDigit(s.charAt(p)) || s.charAt(p) == '-'
                    || s.charAt(p) == '_')) {
                p++;
            }
            String tok = s.substring(start, p);
            switch (tok) {
                case "True":
                    return Boolean.TRUE;
                case "False":
                    return Boolean.FALSE;
                case "None":
                    return null;
                default:
                    break;
            }
            if (tok.endsWith("L")) { // Python 2 long literal, e.g. (3L, 4L)
                tok = tok.substring(0, tok.length() - 1);
            }
            try {
                return Long.parseLong(tok);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("unexpected '" + (tok.isEmpty() ? String.valueOf(c) : tok)
                        + "' at " + start);
            }
        }
    }

    // ------------------------------------------------------------------ writing

    /** Writes the array in C order with the smallest format version that holds its header (1.0, else 2.0). */
    public static void write(Path path, NpyArray a) {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(path), 1 << 16)) {
            write(out, a, false);
        } catch (IOException e) {
            throw new ModelException("cannot write " + path + ": " + e.getMessage(), e);
        }
    }

    public static void write(OutputStream out, NpyArray a) throws IOException {
        write(out, a, false);
    }

    /** Writes the array; with {@code fortranOrder} the data is laid out column-major (as NumPy does for F arrays). */
    public static void write(OutputStream out, NpyArray a, boolean fortranOrder) throws IOException {
        int[] shape = a.shape();
        DType t = a.type();
        boolean fortran = fortranOrder && shape.length > 1;
        StringBuilder sh = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            sh.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        sh.append(shape.length == 1 ? ",)" : ")");
        String dict = "{'descr': '" + t.descr() + "', 'fortran_order': " + (fortran ? "True" : "False")
                + ", 'shape': " + sh + ", }";
        int major = dict.length() + 1 + ALIGN > 65535 ? 2 : 1;
        int pre = MAGIC.length + 2 + (major == 1 ? 2 : 4);
        int total = pre + dict.length() + 1;
        int padded = (total + ALIGN - 1) / ALIGN * ALIGN;
        StringBuilder hs = new StringBuilder(dict);
        hs.append(" ".repeat(padded - total)).append('\n');
        byte[] hb = hs.toString().getBytes(StandardCharsets.ISO_8859_1);
        ByteArrayOutputStream head = new ByteArrayOutputStream(padded);
        head.write(MAGIC);
        head.write(major);
        head.write(0);
        ByteBuffer len = ByteBuffer.allocate(major == 1 ? 2 : 4).order(ByteOrder.LITTLE_ENDIAN);
        if (major == 1) {
            len.putShort((short) hb.length);
        } else {
            len.putInt(hb.length);
        }
        head.write(len.array());
        head.write(hb);
        head.writeTo(out);

        int n = a.size();
        if (!fortran && t.isFloat() && t.size() == 4) {
            // bulk path for the common case (weights, validation data): float32 in C order
            writeFloat32(out, a.floats(), t);
            return;
        }
        int[] perm = fortran ? fortranToC(shape) : null;
        int chunk = 8192;
        ByteBuffer bb = ByteBuffer.allocate(chunk * t.size()).order(t.order());
        for (int start = 0; start < n; start += chunk) {
            int end = Math.min(n, start + chunk);
            bb.clear();
            for (int i = start; i < end; i++) {
                int src = perm == null ? i : perm[i];
                putValue(bb, t, a, src);
            }
            out.write(bb.array(), 0, bb.position());
        }
    }

    private static void writeFloat32(OutputStream out, float[] f, DType t) throws IOException {
        int chunk = 16384;
        ByteBuffer bb = ByteBuffer.allocate(chunk * 4).order(t.order());
        for (int start = 0; start < f.length; start += chunk) {
            int len = Math.min(chunk, f.length - start);
            bb.clear();
            bb.asFloatBuffer().put(f, start, len);
            out.write(bb.array(), 0, len * 4);
        }
    }

    private static void putValue(ByteBuffer bb, DType t, NpyArray a, int i) {
        if (t.isFloat()) {
            float v = a.floats()[i];
            switch (t.size()) {
                case 2 -> bb.putShort(floatToHalf(v));
                case 4 -> bb.putFloat(v);
                default -> bb.putDouble(v);
            }
        } else {
            long v = a.longs()[i];
            switch (t.size()) {
                case 1 -> bb.put((byte) (t.kind() == 'b' ? (v != 0 ? 1 : 0) : v));
                case 2 -> bb.putShort((short) v);
                case 4 -> bb.putInt((int) v);
                default -> bb.putLong(v);
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    static String shapeText(int[] shape) {
        if (shape.length == 0) {
            return "scalar";
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < shape.length; i++) {
            sb.append(i == 0 ? "" : "x").append(shape[i]);
        }
        return sb.toString();
    }

    /** IEEE 754 binary16 to float (Java 17 has no Float.float16ToFloat). */
    static float halfToFloat(short h) {
        int bits = h & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1f;
        int mant = bits & 0x3ff;
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        if (exp == 0) {
            if (mant == 0) {
                return Float.intBitsToFloat(sign);
            }
            float v = mant * 0x1p-24f; // subnormal: mant * 2^-24
            return sign != 0 ? -v : v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    /** Float to IEEE 754 binary16, rounding to nearest even. */
    static short floatToHalf(float f) {
        int bits = Float.floatToRawIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        int exp = (bits >>> 23) & 0xff;
        int mant = bits & 0x7fffff;
        if (exp == 0xff) {
            return (short) (sign | 0x7c00 | (mant != 0 ? 0x200 | (mant >>> 13) : 0));
        }
        int e = exp - 127 + 15;
        if (e >= 0x1f) {
            return (short) (sign | 0x7c00);
        }
        if (e <= 0) {
            if (e < -10) {
                return (short) sign;
            }
            mant |= 0x800000;
            int shift = 14 - e;
            int m = mant >>> shift;
            int rem = mant & ((1 << shift) - 1);
            int half = 1 << (shift - 1);
            if (rem > half || (rem == half && (m & 1) != 0)) {
                m++;
            }
            return (short) (sign | m);
        }
        int m = mant >>> 13;
        int rem = mant & 0x1fff;
        int r = (e << 10) | m;
        if (rem > 0x1000 || (rem == 0x1000 && (m & 1) != 0)) {
            r++; // may carry into the exponent, which is correct (up to infinity)
        }
        return (short) (sign | r);
    }
}
