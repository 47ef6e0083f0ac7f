package dev.sparsimony.app;

import static dev.sparsimony.app.FxTestSupport.onFx;
import static dev.sparsimony.app.FxTestSupport.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparsimony.app.model.EngineGateway;
import dev.sparsimony.app.model.RecentFiles;
import dev.sparsimony.engine.explore.Teaching;
import dev.sparsimony.engine.prune.Granularities;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.framework.junit5.Stop;

/** The teaching view on the built-in demo model (no file needed), driven like a user would. */
@ExtendWith(ApplicationExtension.class)
class TeachWindowTest {
    private MainViewModel vm;
    private MainWindow window;

    @Start
    void start(Stage stage) {
        SparsimonyApp app = new SparsimonyApp();
        window = app.createWindow(stage, EngineGateway.defaultGateway(), new RecentFiles(null), false);
        vm = app.viewModel();
        stage.show();
        vm.openDemo();
    }

    @Stop
    void stop() {
        if (vm != null) {
            vm.shutdown();
        }
    }

    @Test
    void everyGranularitySideBySideWithItsHardwareAndAccuracy(FxRobot robot) throws Exception {
        waitUntil(() -> vm.sessionProperty().get() != null);
        robot.clickOn("Teach");
        waitUntil(() -> vm.teach().comparisonProperty().get() != null);
        Teaching.Comparison c = onFx(() -> vm.teach().comparisonProperty().get());
        assertEquals(Granularities.ids().size(), c.rows().size());
        waitUntil(() -> window.teachView().cardCount() == Granularities.ids().size());
        for (Teaching.Row r : c.rows()) {
            if (r.error() == null) {
                assertTrue(r.explanation().length() > 40, r.granularity());
                if (!r.granularity().equals("n-of-m")) {
                    assertEquals(0.5, r.sparsity(), 0.1, r.granularity() + " at the same sparsity");
                }
            }
        }
        // the DSP patterns at the chosen reuse factor: pruning whole patterns frees DSPs (Resource strategy)
        Teaching.Row dsp = c.rows().stream().filter(r -> r.granularity().equals("dsp-pattern")).findFirst()
                .orElseThrow();
        assertTrue(dsp.dsp() < dsp.baseDsp(), dsp.dsp() + " vs " + dsp.baseDsp());
        assertEquals(c.rows().get(0).rows() * c.rows().get(0).cols() / 4, dsp.structures().count(),
                "one structure per multiplier at RF 4");
        int n = dsp.rows() * dsp.cols();
        assertEquals(String.format(java.util.Locale.ROOT, "%,d structures of 4 weights (one is %.1f %% of the layer)",
                n / 4, 400.0 / n), dsp.structureSummary());
        Teaching.Row unstructured = c.rows().get(0);
        assertEquals("unstructured", unstructured.granularity());
        assertTrue(unstructured.structureSummary().startsWith(String.format(java.util.Locale.ROOT,
                "%,d structures of 1 weight (", n)), unstructured.structureSummary());
        // another reuse factor: other structures
        onFx(() -> vm.teach().reuseFactorProperty().set(8));
        waitUntil(() -> vm.teach().comparisonProperty().get() != c && vm.teach().comparisonProperty().get()
                .rows().stream().anyMatch(r -> r.granularity().equals("dsp-pattern") && r.structures() != null
                        && r.structures().count() == r.rows() * r.cols() / 8));
    }
}
