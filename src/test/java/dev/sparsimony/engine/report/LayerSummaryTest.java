package dev.sparsimony.engine.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.sparsimony.engine.model.ActivationKind;
import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.model.Node;
import dev.sparsimony.engine.model.Ops;
import dev.sparsimony.engine.model.Tensor;
import dev.sparsimony.engine.model.ValueInfo;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The layer table's output shapes say "?" for the batch exactly where the model's inputs do. */
class LayerSummaryTest {
    private static Model mlp(int batch) {
        Tensor w = Tensor.of(new float[] {1, 0, -1, 0, 2, 0}, 2, 3);
        return new Model("m", List.of(new ValueInfo("x", new int[] {batch, 2})), List.of(
                new Node("fc", new Ops.Dense(w, null), List.of("x")),
                new Node("relu", Ops.Activation.of(ActivationKind.RELU), List.of("fc")),
                new Node("flat0", new Ops.Flatten(0), List.of("relu"))), List.of("flat0"));
    }

    @Test
    void aDynamicBatchIsShownAsUnknownWhereItStaysTheFirstAxis() {
        List<LayerSummary> rows = LayerSummary.of(mlp(-1));
        assertArrayEquals(new int[] {-1, 3}, rows.get(0).outputShape());
        assertArrayEquals(new int[] {-1, 3}, rows.get(1).outputShape());
        // Flatten(axis 0) folds the batch into the second axis: [1, 3] for one sample, [1, 6] for two
        assertArrayEquals(new int[] {1, 3}, rows.get(2).outputShape());
    }

    @Test
    void aFixedBatchKeepsItsNumbers() {
        List<LayerSummary> rows = LayerSummary.of(mlp(1));
        assertArrayEquals(new int[] {1, 3}, rows.get(0).outputShape());
        assertArrayEquals(new int[] {1, 3}, rows.get(2).outputShape());
    }
}
