package dev.sparsimony.app.prune;

import static dev.sparsimony.app.FxTestSupport.onFx;
import static dev.sparsimony.app.FxTestSupport.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparsimony.app.FxTestSupport;
import dev.sparsimony.app.model.EngineGateway;
import dev.sparsimony.app.model.ModelSession;
import dev.sparsimony.app.model.SampleModels;
import dev.sparsimony.engine.data.Dataset;
import dev.sparsimony.engine.model.Model;
import javafx.beans.property.SimpleObjectProperty;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SweepViewModelTest {
    @BeforeAll
    static void toolkit() throws Exception {
        FxTestSupport.startToolkit();
    }

    @Test
    void curveFollowsTheModelAndTheDesignSettings() throws Exception {
        EngineGateway engine = EngineGateway.defaultGateway();
        Model m = SampleModels.demoMlp(3);
        Dataset d = SampleModels.demoData(4, 200);
        ModelSession s = new ModelSession(null, m, d, null, engine.evaluate(m, m, d), null);
        SimpleObjectProperty<ModelSession> session = new SimpleObjectProperty<>();
        DesignSettings settings = new DesignSettings();
        SweepViewModel sweep = onFx(() -> new SweepViewModel(engine, session, settings));
        java.util.List<SweepViewModel.Curve> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        onFx(() -> sweep.curveProperty().addListener((o, a, c) -> {
            if (c != null) {
                seen.add(c);
            }
        }));
        onFx(() -> session.set(s));
        waitUntil(() -> sweep.curveProperty().get() != null && sweep.curveProperty().get().complete());
        // the curve grew point by point before it was complete (results stream from the runner)
        assertTrue(seen.size() > 1 && !seen.get(0).complete(), "partial curves: " + seen.size());
        SweepViewModel.Curve plain = onFx(() -> sweep.curveProperty().get());
        assertEquals(SweepViewModel.SPARSITIES.length, plain.quality().length);
        assertEquals(100.0, plain.quality()[0], 1e-9, "agreement of the unpruned model with itself");
        assertTrue(plain.quality()[plain.quality().length - 1] < 100, "95 % sparsity changes predictions");

        onFx(() -> {
            settings.granularityProperty().set("rows");
            settings.weightBitsProperty().set(6);
        });
        waitUntil(() -> sweep.curveProperty().get() != null && sweep.curveProperty().get() != plain
                && sweep.curveProperty().get().complete());
        SweepViewModel.Curve rows = onFx(() -> sweep.curveProperty().get());
        assertTrue(rows.quality()[SweepViewModel.SPARSITIES.length - 1] <= 100);

        onFx(() -> settings.selectionProperty().set("knapsack"));
        assertNull(onFx(() -> sweep.curveProperty().get()));
        assertTrue(onFx(() -> sweep.noteProperty().get()).contains("knapsack"));
        sweep.shutdown();
    }
}
