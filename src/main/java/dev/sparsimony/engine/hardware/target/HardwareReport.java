package dev.sparsimony.engine.hardware.target;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A target-neutral estimate for printing and JSON: per-layer rows with named values (in {@code columns} order), a
 * total row, summary facts (latency, utilisation, energy...), notes and, for targets with hard limits, what does
 * not fit. Values are Long, Double or String.
 */
public record HardwareReport(String target, String description, List<String> columns, List<Row> rows, Row total,
                             Map<String, Object> summary, List<String> notes, List<String> fitProblems) {
    public HardwareReport {
        columns = List.copyOf(columns);
        rows = List.copyOf(rows);
        summary = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(summary));
        notes = List.copyOf(notes);
        fitProblems = List.copyOf(fitProblems);
    }

    /** One layer (or the total): its values by column name; missing columns print as blank. */
    public record Row(String name, String kind, Map<String, Object> values, String note) {
        public Row {
            values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
            note = note == null ? "" : note;
        }
    }

    public boolean fits() {
        return fitProblems.isEmpty();
    }
}
