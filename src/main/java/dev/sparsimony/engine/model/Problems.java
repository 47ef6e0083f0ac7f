package dev.sparsimony.engine.model;

import java.util.regex.Pattern;

/**
 * Turns what a library threw on damaged input into words for the user: one printable line, no Java exception
 * names. Importers use it where a third-party reader (jHDF, Jackson, protobuf, java.util.zip) fails in ways they
 * cannot foresee; everything they can foresee gets its own sentence.
 */
public final class Problems {
    /** Longest excerpt of file content or library text put into a message. */
    public static final int MAX_EXCERPT = 160;

    /** "java.lang.ArithmeticException: ", "HdfException: ", "io.jhdf.exceptions.HdfException" and the like. */
    private static final Pattern CLASS_NAMES = Pattern.compile(
            "\\b(?:[a-z_$][\\w$]*\\.)*[A-Z][\\w$]*(?:Exception|Error)\\b:?\\s*");

    private Problems() {
    }

    /** What went wrong, in the user's words (never a class name); {@code e} came from reading damaged content. */
    public static String inUserWords(Throwable e) {
        if (e instanceof ModelException) {
            return excerpt(e.getMessage());
        }
        if (e instanceof StackOverflowError) {
            return "its structure is nested too deeply";
        }
        if (e instanceof OutOfMemoryError) {
            return "it is too large for the memory given to Sparsimony (raise -Xmx)";
        }
        if (e instanceof ArithmeticException) {
            String m = String.valueOf(e.getMessage());
            return m.contains("zero") ? "a size in it is zero where it cannot be"
                    : "a size or count in it is too large";
        }
        if (e instanceof IndexOutOfBoundsException || e instanceof java.nio.BufferUnderflowException
                || e instanceof java.nio.BufferOverflowException) {
            return "it refers to data beyond its own end";
        }
        if (e instanceof NegativeArraySizeException) {
            return "it declares a negative size";
        }
        if (e instanceof ClassCastException || e instanceof NullPointerException) {
            return "a part of it has an unexpected type or is missing";
        }
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            Throwable c = e.getCause();
            return c != null && c != e ? inUserWords(c) : "its content is damaged";
        }
        String words = excerpt(CLASS_NAMES.matcher(m).replaceAll(""));
        return words.isBlank() ? "its content is damaged" : words;
    }

    /**
     * Text from a file or a library, safe to show on one line: control and other non-printable characters
     * replaced by '?', runs of white space collapsed, at most {@link #MAX_EXCERPT} characters.
     */
    public static String excerpt(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(Math.min(s.length(), MAX_EXCERPT + 3));
        boolean space = false;
        for (int i = 0; i < s.length() && b.length() < MAX_EXCERPT; i++) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                space = b.length() > 0;
                continue;
            }
            if (space) {
                b.append(' ');
                space = false;
            }
            boolean printable = !Character.isISOControl(c) && c != '\uFFFD' && Character.isDefined(c)
                    && !Character.isSurrogate(c) && Character.getType(c) != Character.PRIVATE_USE;
            b.append(printable ? c : '?');
        }
        if (b.length() >= MAX_EXCERPT) {
            b.append("...");
        }
        return b.toString();
    }
}
