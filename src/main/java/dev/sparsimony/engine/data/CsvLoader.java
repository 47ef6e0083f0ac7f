package dev.sparsimony.engine.data;

import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.model.Problems;
import dev.sparsimony.engine.model.Tensor;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Comma-, semicolon- or tab-separated numbers, one sample per row (plain or gzip). The first row is a header when
 * any of its cells is not a number. The label column is {@code options.labelColumn} (header name, 0-based index,
 * "first" or "last"), else a header column named label, labels, y, class or target (any case); without one the
 * file has no labels and every column is an input value.
 */
final class CsvLoader implements DataLoader {
    static final Set<String> LABEL_NAMES = Set.of("label", "labels", "y", "class", "target");

    @Override
    public String formatName() {
        return "CSV";
    }

    @Override
    public List<String> extensions() {
        return List.of("*.csv", "*.tsv");
    }

    @Override
    public boolean accepts(Path path, byte[] head) {
        if (DataFiles.hasExtension(path, "csv", "tsv")) {
            return true;
        }
        if (DataFiles.hasExtension(path, "dat", "npy", "npz", "json", "yaml", "yml", "xml", "onnx", "h5")
                || !DataFiles.isText(head)) {
            return false;
        }
        String first = new String(head, StandardCharsets.ISO_8859_1).split("[\r\n]", 2)[0];
        return first.indexOf(',') >= 0 || first.indexOf(';') >= 0 || first.indexOf('\t') >= 0;
    }

    @Override
    public Dataset load(Path path, DataOptions options) throws IOException {
        String name = String.valueOf(path.getFileName());
        List<float[]> rows = new ArrayList<>();
        String[] header = null;
        int labelCol = -1;
        char sep = 0;
        int width = -1;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(DataFiles.open(path),
                StandardCharsets.UTF_8))) {
            String line;
            int lineNo = 0;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (lineNo == 1 && line.startsWith("\uFEFF")) {
                    line = line.substring(1);
                }
                if (line.isBlank()) {
                    continue;
                }
                if (sep == 0) {
                    sep = separator(line);
                    String[] cells = split(line, sep);
                    width = cells.length;
                    boolean isHeader = false;
                    for (String c : cells) {
                        if (parse(c) == null) {
                            isHeader = true;
                            break;
                        }
                    }
                    if (isHeader) {
                        header = cells;
                    }
                    labelCol = options.ignoreLabels() ? -1 : labelColumn(header, width, options.labelColumn(), name);
                    if (isHeader) {
                        continue;
                    }
                }
                String[] cells = split(line, sep);
                if (cells.length != width) {
                    throw new ModelException("data '" + name + "' line " + lineNo + " has " + cells.length
                            + " columns, but the first row has " + width);
                }
                float[] v = new float[width];
                for (int c = 0; c < width; c++) {
                    Float f = parse(cells[c]);
                    if (f == null) {
                        throw new ModelException("data '" + name + "' line " + lineNo + ", column " + (c + 1)
                                + (header != null ? " (" + Problems.excerpt(header[c]) + ")" : "") + ": '"
                                + Problems.excerpt(cells[c].strip()) + "' is not a number");
                    }
                    v[c] = f;
                }
                rows.add(v);
            }
        }
        if (rows.isEmpty()) {
            throw new ModelException("data '" + name + "' has no data rows");
        }
        int nx = labelCol >= 0 ? width - 1 : width;
        if (nx == 0) {
            throw new ModelException("data '" + name + "' has only a label column and no input values");
        }
        float[] x = new float[rows.size() * nx];
        float[] y = labelCol >= 0 ? new float[rows.size()] : null;
        for (int i = 0; i < rows.size(); i++) {
            float[] v = rows.get(i);
            int k = i * nx;
            for (int c = 0; c < width; c++) {
                if (c == labelCol) {
                    y[i] = v[c];
                } else {
                    x[k++] = v[c];
                }
            }
        }
        int[] labels = DataFiles.externalLabels(options, () -> null, rows.size(), name);
        if (labels == null && y != null) {
            String col = header != null ? "'" + header[labelCol] + "'" : String.valueOf(labelCol + 1);
            labels = Labels.fromTensor(Tensor.of(y, y.length), "'" + name + "' column " + col);
        }
        return new Dataset(name, Tensor.of(x, rows.size(), nx), labels);
    }

    private static int labelColumn(String[] header, int width, String option, String name) {
        if (option != null) {
            String o = option.strip();
            if (o.equalsIgnoreCase("first")) {
                return 0;
            }
            if (o.equalsIgnoreCase("last")) {
                return width - 1;
            }
            if (header != null) {
                for (int c = 0; c < width; c++) {
                    if (header[c].strip().equalsIgnoreCase(o)) {
                        return c;
                    }
                }
            }
            try {
                int c = Integer.parseInt(o);
                if (c >= 0 && c < width) {
                    return c;
                }
            } catch (NumberFormatException ignored) {
                // fall through to the error
            }
            throw new ModelException("data '" + name + "' has no column '" + option + "'"
                    + (header != null ? " (columns: " + String.join(", ", header) + ")"
                    : " (it has no header; give a 0-based column index, 'first' or 'last')"));
        }
        if (header != null) {
            for (int c = 0; c < width; c++) {
                if (LABEL_NAMES.contains(header[c].strip().toLowerCase(Locale.ROOT))) {
                    return c;
                }
            }
        }
        return -1;
    }

    private static char separator(String line) {
        int commas = count(line, ',');
        int semis = count(line, ';');
        int tabs = count(line, '\t');
        if (tabs > commas && tabs >= semis) {
            return '\t';
        }
        return semis > commas ? ';' : ',';
    }

    private static int count(String s, char c) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == c) {
                n++;
            }
        }
        return n;
    }

    private static String[] split(String line, char sep) {
        String[] cells = line.split(java.util.regex.Pattern.quote(String.valueOf(sep)), -1);
        for (int i = 0; i < cells.length; i++) {
            String c = cells[i].strip();
            if (c.length() >= 2 && (c.startsWith("\"") && c.endsWith("\"") || c.startsWith("'") && c.endsWith("'"))) {
                c = c.substring(1, c.length() - 1);
            }
            cells[i] = c;
        }
        return cells;
    }

    /**
     * The cell as a float, or null when it is not a number. NaN and infinities are numbers here ("nan", "inf",
     * "-Infinity" as NumPy's savetxt writes them): whether data may hold them is the one policy of
     * {@link DataFiles#load}, not the text reader's.
     */
    static Float parse(String cell) {
        String c = cell.strip();
        if (c.isEmpty()) {
            return null;
        }
        switch (c.toLowerCase(Locale.ROOT)) {
            case "nan", "+nan", "-nan":
                return Float.NaN;
            case "inf", "+inf", "infinity", "+infinity":
                return Float.POSITIVE_INFINITY;
            case "-inf", "-infinity":
                return Float.NEGATIVE_INFINITY;
            default:
                break;
        }
        char ch = c.charAt(0);
        // Float.parseFloat also takes "NaN", "Infinity" and hex or "1f"/"1d" suffixes: only plain decimals here
        if (!(Character.isDigit(ch) || ch == '-' || ch == '+' || ch == '.')) {
            return null;
        }
        char last = c.charAt(c.length() - 1);
        if (!(Character.isDigit(last) || last == '.')) {
            return null;
        }
        try {
            return Float.parseFloat(c); // an overflowing literal such as 1e99 becomes an infinity, as in NumPy
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
