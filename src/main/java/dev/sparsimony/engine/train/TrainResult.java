package dev.sparsimony.engine.train;

import dev.sparsimony.engine.model.Model;
import java.util.List;

/**
 * Outcome of a training run.
 *
 * @param model     the model with the trained weights (same graph, names and metadata as the initial model)
 * @param history   one entry per completed epoch
 * @param cancelled true when the listener stopped the run early; {@code model} then holds the weights reached
 */
public record TrainResult(Model model, List<EpochStats> history, boolean cancelled) {
    public TrainResult {
        history = List.copyOf(history);
    }

    /** The last completed epoch, or null when none completed. */
    public EpochStats last() {
        return history.isEmpty() ? null : history.get(history.size() - 1);
    }
}
