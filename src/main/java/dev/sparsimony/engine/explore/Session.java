package dev.sparsimony.engine.explore;

import java.util.List;
import java.util.Map;

/**
 * A saved session of the window: the model and data (paths and SHA-256), the chosen design point (with its
 * per-layer and hardware settings), the search space as set up (axes, strategy, budget), every evaluated result, and
 * the view state (selected layer, tab, selected and compared results). {@link SessionCodec} reads and writes it.
 *
 * @param version  schema version ({@link #VERSION})
 * @param model    model file or folder (null: the built-in demo)
 * @param data     validation data file (null: beside the model, or the demo's)
 * @param point    the design point shown in the model view (the slider's sparsity included)
 * @param space    the Explore tab's set-up
 * @param results  every result of the session's sweeps
 * @param view     view state by key (e.g. "layer", "tab", "selected", "compared")
 */
public record Session(int version, String model, String modelSha256, String data, String dataSha256,
                      DesignPoint point, SpaceSetup space, List<PointResult> results, Map<String, String> view) {
    public static final int VERSION = 1;

    /** The Explore tab's set-up: axes as the user wrote them, strategy, budget, threads, results folder. */
    public record SpaceSetup(List<AxisText> axes, String strategy, Integer evaluations, Integer threads,
                             String outDir) {
        public SpaceSetup {
            axes = axes == null ? List.of() : List.copyOf(axes);
        }
    }

    /** One axis row: a field path and its values as text. */
    public record AxisText(String field, String values) {
    }

    public Session {
        results = results == null ? List.of() : List.copyOf(results);
        view = view == null ? Map.of() : Map.copyOf(view);
    }
}
