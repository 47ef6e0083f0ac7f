package dev.sparsimony.fuzz;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Damages file content the ways hostile or broken files are damaged: truncation, bit flips, inflated lengths and
 * dimensions (32-bit and protobuf varint), NaN and infinite floats, repeated and deleted regions, and for text
 * files wrong types, huge or NaN numbers and deep nesting. Deterministic for a given {@link Random}.
 */
final class Mutator {
    private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?");
    private static final Pattern STRING = Pattern.compile("\"[^\"\\\\]{0,40}\"");
    private static final String[] HUGE = {"2147483647", "2147483648", "-1", "0", "99999999999", "1e308", "-1e308",
        "65536", "1.5", "NaN", "Infinity", "\"x\"", "null", "[]", "{}", "true", "[1, [2, [3]]]"};

    private Mutator() {
    }

    /** The name of the mutation applied, and the damaged bytes. */
    record Damaged(String how, byte[] bytes) {
    }

    static Damaged damage(byte[] in, boolean text, Random r) {
        int kinds = text ? 14 : 9;
        int k = r.nextInt(kinds);
        if (in.length == 0) {
            return new Damaged("empty", in);
        }
        return switch (k) {
            case 0 -> {
                int n = r.nextInt(in.length);
                yield new Damaged("truncate at " + n, Arrays.copyOf(in, n));
            }
            case 1 -> {
                byte[] b = in.clone();
                int flips = 1 + r.nextInt(8);
                for (int i = 0; i < flips; i++) {
                    b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
                }
                yield new Damaged(flips + " bit flips", b);
            }
            case 2 -> {
                byte[] b = in.clone();
                int at = r.nextInt(b.length);
                int[] patterns = {0x7FFFFFFF, 0xFFFFFFFF, 0x80000000, 0x00010000, 0x40000000, 65536 * 65536 - 1};
                int v = patterns[r.nextInt(patterns.length)];
                ByteBuffer.wrap(b, at, Math.min(4, b.length - at)).order(ByteOrder.LITTLE_ENDIAN)
                        .put(Arrays.copyOf(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array(),
                                Math.min(4, b.length - at)));
                yield new Damaged("inflated int32 at " + at, b);
            }
            case 3 -> {
                // a protobuf varint length or dimension blown up (ONNX dims, raw_data lengths)
                byte[] b = in.clone();
                int at = r.nextInt(b.length);
                byte[] big = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0x0F};
                for (int i = 0; i < big.length && at + i < b.length; i++) {
                    b[at + i] = big[i];
                }
                yield new Damaged("inflated varint at " + at, b);
            }
            case 4 -> {
                byte[] b = in.clone();
                int at = r.nextInt(Math.max(1, b.length / 4)) * 4;
                int[] bits = {0x7FC00000, 0x7F800000, 0xFF800000};
                int v = bits[r.nextInt(bits.length)];
                for (int i = 0; i < 4 && at + i < b.length; i++) {
                    b[at + i] = (byte) (v >>> (8 * i));
                }
                yield new Damaged("non-finite float at " + at, b);
            }
            case 5 -> {
                int at = r.nextInt(in.length);
                int len = 1 + r.nextInt(Math.min(64, in.length - at));
                byte[] b = new byte[in.length + len];
                System.arraycopy(in, 0, b, 0, at + len);
                System.arraycopy(in, at, b, at + len, in.length - at);
                yield new Damaged("repeat " + len + " bytes at " + at, b);
            }
            case 6 -> {
                int at = r.nextInt(in.length);
                int len = 1 + r.nextInt(Math.min(64, in.length - at));
                byte[] b = new byte[in.length - len];
                System.arraycopy(in, 0, b, 0, at);
                System.arraycopy(in, at + len, b, at, in.length - at - len);
                yield new Damaged("delete " + len + " bytes at " + at, b);
            }
            case 7 -> {
                byte[] b = in.clone();
                int at = r.nextInt(b.length);
                int len = Math.min(b.length - at, 1 + r.nextInt(32));
                for (int i = 0; i < len; i++) {
                    b[at + i] = (byte) r.nextInt(256);
                }
                yield new Damaged("random " + len + " bytes at " + at, b);
            }
            case 8 -> {
                // the file cut off after a random prefix and followed by garbage
                int n = r.nextInt(in.length);
                byte[] b = Arrays.copyOf(in, n + 16);
                for (int i = n; i < b.length; i++) {
                    b[i] = (byte) r.nextInt(256);
                }
                yield new Damaged("garbage tail at " + n, b);
            }
            default -> textDamage(new String(in, StandardCharsets.ISO_8859_1), k - 9, r);
        };
    }

    private static Damaged textDamage(String s, int k, Random r) {
        switch (k) {
            case 0 -> {
                Damaged d = replaceOne(s, NUMBER, "number", r);
                if (d != null) {
                    return d;
                }
            }
            case 1 -> {
                Damaged d = replaceOne(s, STRING, "string", r);
                if (d != null) {
                    return d;
                }
            }
            case 2 -> {
                int depth = 1000 + r.nextInt(20000);
                int at = r.nextInt(s.length() + 1);
                return text("nested " + depth + " deep at " + at, s.substring(0, at) + "[".repeat(depth) + "1"
                        + "]".repeat(depth) + s.substring(at));
            }
            case 3 -> {
                String[] lines = s.split("\n", -1);
                int i = r.nextInt(lines.length);
                StringBuilder b = new StringBuilder();
                for (int j = 0; j < lines.length; j++) {
                    b.append(lines[j]).append(j == lines.length - 1 ? "" : "\n");
                    if (j == i) {
                        b.append(lines[j].repeat(1 + r.nextInt(3))).append('\n');
                    }
                }
                return text("line " + i + " repeated", b.toString());
            }
            default -> {
                int at = r.nextInt(s.length() + 1);
                String junk = new String(new char[] {(char) r.nextInt(32), '\n', (char) (0x80 + r.nextInt(128)), '"'});
                return text("control characters at " + at, s.substring(0, at) + junk + s.substring(at));
            }
        }
        return text("unchanged (no number or string)", s);
    }

    /** One match of {@code p}, chosen at random, replaced by a hostile value; null when nothing matches. */
    private static Damaged replaceOne(String s, Pattern p, String what, Random r) {
        int count = (int) p.matcher(s).results().count();
        if (count == 0) {
            return null;
        }
        int pick = r.nextInt(count);
        Matcher m = p.matcher(s);
        for (int i = 0; i <= pick; i++) {
            m.find();
        }
        String v = HUGE[r.nextInt(HUGE.length)];
        return text(what + " " + m.group() + " -> " + v, s.substring(0, m.start()) + v + s.substring(m.end()));
    }

    private static Damaged text(String how, String s) {
        return new Damaged(how, s.getBytes(StandardCharsets.ISO_8859_1));
    }
}
