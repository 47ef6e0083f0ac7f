package dev.sparsimony.engine.metric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparsimony.engine.data.Dataset;
import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.model.Node;
import dev.sparsimony.engine.model.Ops;
import dev.sparsimony.engine.model.Tensor;
import dev.sparsimony.engine.model.ValueInfo;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetricTest {
    @Test
    void top1CountsArgmaxHits() {
        float[] out = {
            0.1f, 0.7f, 0.2f, // 1
            0.5f, 0.2f, 0.3f, // 0
            0.2f, 0.2f, 0.6f, // 2
            0.4f, 0.4f, 0.2f, // tie -> first (0)
        };
        assertEquals(0.75, Accuracy.top1(out, 3, new int[] {1, 0, 1, 0}), 1e-12);
        assertEquals(1.0, Accuracy.top1(out, 3, new int[] {1, 0, 2, 0}), 1e-12);
    }

    @Test
    void top1WithNaNRowsCountsThemWrong() {
        float[] out = {Float.NaN, Float.NaN, 0.1f, 0.9f};
        assertEquals(0.5, Accuracy.top1(out, 2, new int[] {0, 1}), 1e-12);
    }

    @Test
    void predictedIsTheFirstComparableMaximum() {
        float nan = Float.NaN;
        float inf = Float.POSITIVE_INFINITY;
        float[][] rows = {
            {nan, 0.2f, 0.5f, 0.5f}, // NaN first: skipped -> 2
            {0.1f, nan, 0.3f, nan}, // NaN inside -> 2
            {-inf, -inf, -inf, -inf}, // all -inf -> 0
            {nan, nan, nan, nan}, // nothing comparable -> -1
            {nan, -inf, -inf, 0f}, // -> 3
            {inf, inf, 1f, 2f}, // tie at +inf -> 0
            {-0f, 0f, 0f, -1f}, // -0 == 0 -> first (0)
        };
        int[] expected = {2, 2, 0, -1, 3, 0, 0};
        for (int r = 0; r < rows.length; r++) {
            assertEquals(expected[r], Accuracy.predicted(rows[r], 0, 4), "row " + r);
        }
    }

    @Test
    void singleOutputColumnIsABinaryClassifier() {
        assertEquals(1.0, Accuracy.top1(new float[] {0.9f, 0.1f}, 1, new int[] {1, 0}), 1e-12);
    }

    @Test
    void top1RejectsMismatchedSizes() {
        assertThrows(IllegalArgumentException.class, () -> Accuracy.top1(new float[5], 2, new int[] {0, 1}));
    }

    @Test
    void fidelityAgreementAndMse() {
        float[] ref = {1, 0, 0, 1, 0.6f, 0.4f};
        float[] cand = {0.5f, 0, 1, 0, 0.6f, 0.4f};
        Fidelity f = Fidelity.of(ref, cand, 2);
        // argmax: ref 0,1,0 ; cand 0,0,0 -> 2/3 agree; squared diffs 0.25,0,1,1,0,0 -> 2.25/6
        assertEquals(2.0 / 3, f.agreement(), 1e-12);
        assertEquals(2.25 / 6, f.mse(), 1e-7);
        assertEquals(new Fidelity(1, 0), Fidelity.of(ref, ref, 2));
    }

    static Model identity2() {
        return new Model("id", List.of(new ValueInfo("x", new int[] {-1, 2})),
                List.of(new Node("d", new Ops.Dense(Tensor.of(new float[] {1, 0, 0, 1}, 2, 2), null), List.of("x"))),
                List.of("d"));
    }

    static Model swap2() {
        return new Model("swap", List.of(new ValueInfo("x", new int[] {-1, 2})),
                List.of(new Node("d", new Ops.Dense(Tensor.of(new float[] {0, 1, 1, 0}, 2, 2), null), List.of("x"))),
                List.of("d"));
    }

    @Test
    void evaluatorUsesAccuracyWithLabels() {
        Dataset d = new Dataset("d", Tensor.of(new float[] {1, 0, 0, 1, 2, 1}, 3, 2), new int[] {0, 1, 1});
        Quality q = Evaluator.evaluate(identity2(), d);
        assertEquals(Quality.Metric.ACCURACY, q.metric());
        assertEquals(2.0 / 3, q.value(), 1e-12);
        assertEquals(3, q.samples());
    }

    @Test
    void evaluatorUsesFidelityWithoutLabels() {
        Dataset d = new Dataset("d", Tensor.of(new float[] {1, 0, 0, 1, 2, 2}, 3, 2), null);
        Quality q = Evaluator.evaluate(swap2(), identity2(), d);
        assertEquals(Quality.Metric.FIDELITY, q.metric());
        // argmax identity: 0,1,0 (tie -> 0); swapped: 1,0,0 -> 1/3 agree
        assertEquals(1.0 / 3, q.value(), 1e-12);
        assertEquals((1 + 1 + 1 + 1) / 6.0, q.mse(), 1e-7);
        ModelException e = assertThrows(ModelException.class, () -> Evaluator.evaluate(identity2(), d));
        assertTrue(e.getMessage().contains("no labels"));
    }

    @Test
    void evaluatorReportsWidthMismatch() {
        Dataset d = new Dataset("d", Tensor.zeros(4, 3), new int[4]);
        ModelException e = assertThrows(ModelException.class, () -> Evaluator.evaluate(identity2(), d));
        assertEquals("data has 3 values per sample but model input 'x' expects shape [2] (2 values)", e.getMessage());
    }
}
