package dev.sparsimony.engine.model;

/**
 * An error the user can act on: a bad model, file, configuration or input.
 * The message is a complete one-line sentence shown as-is by the CLI and in GUI dialogs.
 */
public class ModelException extends RuntimeException {
    /** Longest message kept: longer ones (a damaged file quoted at length) are cut with "...". */
    static final int MAX_LENGTH = 1200;

    public ModelException(String message) {
        super(oneLine(message));
    }

    public ModelException(String message, Throwable cause) {
        super(oneLine(message), cause);
    }

    /**
     * The message as one printable line: whatever a damaged file put into it (line breaks, control bytes, undecodable
     * characters, a value repeated thousands of times) cannot break the CLI's one-line contract or a dialog.
     */
    static String oneLine(String m) {
        if (m == null) {
            return null;
        }
        if (m.indexOf('`') >= 0) {
            m = jsonWords(m);
        }
        StringBuilder b = new StringBuilder(Math.min(m.length(), MAX_LENGTH + 3));
        for (int i = 0; i < m.length() && b.length() < MAX_LENGTH; i++) {
            char c = m.charAt(i);
            if (c == '\n' || c == '\r' || c == '\t') {
                b.append(' ');
            } else if (Character.isISOControl(c) || c == '\uFFFD' || Character.isSurrogate(c)) {
                b.append('?');
            } else {
                b.append(c);
            }
        }
        if (b.length() >= MAX_LENGTH && m.length() > MAX_LENGTH) {
            b.append("...");
        }
        return b.toString();
    }

    /**
     * Jackson's data-binding messages (passed on by readers of JSON settings) name Java types, e.g. "Cannot
     * deserialize value of type `java.lang.Double` from Array value (token `JsonToken.START_ARRAY`)": say the JSON
     * kind instead.
     */
    private static String jsonWords(String m) {
        return m.replaceAll(" \\(token `JsonToken\\.[A-Z_]+`\\)", "")
                .replaceAll("`(java\\.lang\\.)?String`", "text")
                .replaceAll("`(java\\.lang\\.)?(Double|Float|double|float)`", "number")
                .replaceAll("`(java\\.lang\\.)?(Integer|Long|Short|int|long|short)`", "integer")
                .replaceAll("`(java\\.lang\\.)?(Boolean|boolean)`", "true/false")
                .replaceAll("`[a-z_$][\\w$]*(\\.[\\w$]+)+`", "value");
    }
}
