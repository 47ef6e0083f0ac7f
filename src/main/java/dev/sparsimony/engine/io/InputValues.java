package dev.sparsimony.engine.io;

import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.model.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Values for a model's graph inputs as the user gave them: each by name ({@code --input NAME=FILE}) or by position
 * ({@code --input FILE}, the next graph input not named by another value).
 *
 * @param names  one per value: the graph input's name, or null for "the next one in order"
 * @param values the tensors, full shapes (batch included)
 */
public record InputValues(List<String> names, List<Tensor> values) {
    public static final InputValues NONE = new InputValues(List.of(), List.of());

    public InputValues {
        if (names.size() != values.size()) {
            throw new IllegalArgumentException("one name (or null) per value");
        }
        names = Collections.unmodifiableList(new ArrayList<>(names));
        values = List.copyOf(values);
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    /**
     * The values keyed by the graph input each binds to, in {@code declared} order; inputs without a value are
     * absent. An unknown name, a name given twice, or more values than inputs is an error naming {@code model}.
     */
    public Map<String, Tensor> bind(List<String> declared, String model) {
        Map<String, Tensor> byName = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            String n = names.get(i);
            if (n == null) {
                continue;
            }
            if (!declared.contains(n)) {
                throw new ModelException(model + " has no input named '" + n + "' (its inputs: "
                        + String.join(", ", declared) + ")");
            }
            if (byName.put(n, values.get(i)) != null) {
                throw new ModelException("input '" + n + "' of " + model + " is given twice");
            }
        }
        List<String> free = new ArrayList<>(declared);
        free.removeAll(byName.keySet());
        int next = 0;
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i) != null) {
                continue;
            }
            if (next >= free.size()) {
                throw new ModelException(model + " has " + declared.size() + " input" + (declared.size() == 1 ? "" : "s")
                        + " (" + String.join(", ", declared) + "), but " + values.size() + " were given");
            }
            byName.put(free.get(next++), values.get(i));
        }
        Map<String, Tensor> ordered = new LinkedHashMap<>();
        for (String d : declared) {
            if (byName.containsKey(d)) {
                ordered.put(d, byName.get(d));
            }
        }
        return ordered;
    }
}
