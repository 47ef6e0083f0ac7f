package dev.sparsimony.app.model;

import dev.sparsimony.engine.data.Dataset;
import dev.sparsimony.engine.metric.Quality;
import dev.sparsimony.engine.model.Model;
import java.nio.file.Path;

/**
 * The opened model and its validation data, replaced as a whole when either changes.
 *
 * @param source     model file or folder, null for the built-in demo
 * @param data       validation data, or null when none was found or it could not be read
 * @param dataSource where {@code data} came from, null when built in or absent
 * @param baseline   quality of the unpruned model on {@code data}, or null when it could not be measured
 * @param dataNote   why there is no data or its quality could not be measured, or null
 */
public record ModelSession(Path source, Model model, Dataset data, Path dataSource, Quality baseline,
                           String dataNote) {
    public boolean hasData() {
        return data != null && baseline != null;
    }

    /** "accuracy" against labels, "agreement" with the unpruned model when the data has no labels. */
    public String qualityName() {
        return baseline != null && baseline.metric() == Quality.Metric.FIDELITY ? "agreement" : "accuracy";
    }

    public ModelSession withData(Dataset newData, Path newSource, Quality newBaseline, String note) {
        return new ModelSession(source, model, newData, newSource, newBaseline, note);
    }
}
