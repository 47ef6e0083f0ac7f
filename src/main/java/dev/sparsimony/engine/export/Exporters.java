package dev.sparsimony.engine.export;

import dev.sparsimony.engine.model.ModelException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The export formats by id; adding one is one class behind {@link Exporter} and one line here. */
public final class Exporters {
    private static final Map<String, Exporter> ALL = new LinkedHashMap<>();

    static {
        register(new Hls4mlExporter());
        register(new OnnxExporter());
        register(new NativeExporter());
        register(new ReportExporter());
    }

    private Exporters() {
    }

    private static void register(Exporter e) {
        ALL.put(e.id(), e);
    }

    public static List<String> ids() {
        return List.copyOf(ALL.keySet());
    }

    public static Exporter get(String id) {
        Exporter e = ALL.get(id == null ? "" : id.trim().toLowerCase(java.util.Locale.ROOT));
        if (e == null) {
            throw new ModelException("unknown export format '" + id + "'; use " + String.join(", ", ALL.keySet())
                    + " or all");
        }
        return e;
    }

    /** "id: description" lines for help texts. */
    public static List<String> descriptions() {
        return ALL.values().stream().map(e -> e.id() + ": " + e.description()).toList();
    }
}
