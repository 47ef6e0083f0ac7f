package dev.sparsimony.engine.explore;

import dev.sparsimony.engine.hardware.FpgaEstimate;
import dev.sparsimony.engine.metric.Quality;
import dev.sparsimony.engine.storage.StorageReport;

import java.util.List;

/**
 * The evaluation of one design point.
 *
 * @param quality  accuracy (labelled data) or fidelity to the original model
 * @param sparsity kernel sparsity over all prunable layers
 * @param macs     kept multiply-accumulates per sample
 * @param storage  model storage (weights and biases) in the formats of engine.storage
 * @param hardware the hardware estimate with the point's own settings (null when not requested)
 * @param solver   how the knapsack was solved ("optimal", "time limit: best found", "greedy fallback", ...), null
 *                 without knapsack selection
 */
public record DesignResult(DesignPoint point, Quality quality, List<LayerResult> layers, double sparsity,
                           long params, long macs, StorageReport storage, FpgaEstimate hardware, String solver) {
    public DesignResult {
        layers = List.copyOf(layers);
    }

    public DesignResult withQuality(Quality q) {
        return new DesignResult(point, q, layers, sparsity, params, macs, storage, hardware, solver);
    }
}
