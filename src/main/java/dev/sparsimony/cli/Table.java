package dev.sparsimony.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** A plain-text table with aligned columns, for terminal output. */
public final class Table {
    private final String[] header;
    private final List<String[]> rows = new ArrayList<>();
    private final Set<Integer> right = new HashSet<>();

    public Table(String... header) {
        this.header = header;
    }

    /** Columns to right-align (numbers). */
    public Table rightAlign(int... columns) {
        for (int c : columns) {
            right.add(c);
        }
        return this;
    }

    public Table row(Object... cells) {
        String[] r = new String[header.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = i < cells.length && cells[i] != null ? cells[i].toString() : "";
        }
        rows.add(r);
        return this;
    }

    public void print(PrintWriter out) {
        int[] w = new int[header.length];
        for (int i = 0; i < w.length; i++) {
            w[i] = header[i].length();
            for (String[] r : rows) {
                w[i] = Math.max(w[i], r[i].length());
            }
        }
        line(out, header, w);
        StringBuilder sep = new StringBuilder();
        for (int i = 0; i < w.length; i++) {
            sep.append(i == 0 ? "" : "  ").append("-".repeat(w[i]));
        }
        out.println(sep);
        for (String[] r : rows) {
            line(out, r, w);
        }
        out.flush();
    }

    private void line(PrintWriter out, String[] cells, int[] w) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < w.length; i++) {
            if (i > 0) {
                sb.append("  ");
            }
            String c = cells[i];
            String pad = " ".repeat(w[i] - c.length());
            sb.append(right.contains(i) ? pad + c : c + (i == w.length - 1 ? "" : pad));
        }
        out.println(sb.toString().stripTrailing());
    }
}
