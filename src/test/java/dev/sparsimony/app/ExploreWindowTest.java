package dev.sparsimony.app;

import static dev.sparsimony.app.FxTestSupport.onFx;
import static dev.sparsimony.app.FxTestSupport.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparsimony.app.explore.ExploreViewModel;
import dev.sparsimony.app.explore.ParetoChart;
import dev.sparsimony.app.model.EngineGateway;
import dev.sparsimony.app.model.RecentFiles;
import dev.sparsimony.engine.explore.DesignResult;
import dev.sparsimony.engine.explore.LayerResult;
import dev.sparsimony.engine.explore.PointResult;
import io.fair_acc.chartfx.axes.spi.DefaultNumericAxis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javafx.geometry.Point2D;
import javafx.stage.Stage;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.framework.junit5.Stop;

/** The Explore tab driven like a user would (headless Monocle), on the jet-mlp sample. */
@ExtendWith(ApplicationExtension.class)
class ExploreWindowTest {
    private static final Path JET = Path.of("sample-models", "jet-mlp");
    private MainViewModel vm;
    private MainWindow window;
    private Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        SparsimonyApp app = new SparsimonyApp();
        window = app.createWindow(stage, EngineGateway.defaultGateway(), new RecentFiles(null), false);
        vm = app.viewModel();
        stage.show();
        if (Files.isDirectory(JET)) {
            vm.openModel(JET);
        }
    }

    @Stop
    void stop() {
        if (vm != null) {
            vm.shutdown();
        }
    }

    @Test
    void sweepPointsAppearAndAClickedPointReachesTheModelView(FxRobot robot) throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(JET), "sample-models/jet-mlp is not in this checkout");
        waitUntil(() -> vm.sessionProperty().get() != null && vm.hardware().estimateProperty().get() != null);
        robot.clickOn("Explore");
        ExploreViewModel ex = vm.explore();
        onFx(() -> ex.axes().setAll(new ExploreViewModel.AxisEntry("prune.sparsity", "0, 0.5, 0.8"),
                new ExploreViewModel.AxisEntry("weights", "6, 10"),
                new ExploreViewModel.AxisEntry("hardware.reuseFactor", "1, 2")));
        robot.clickOn("#start-sweep");
        waitUntil(() -> !ex.runningProperty().get() && ex.results().size() == 12);
        assertTrue(onFx(() -> ex.errorProperty().get()).isEmpty(), onFx(() -> ex.errorProperty().get()));
        ParetoChart dsp = onFx(() -> window.exploreView().charts().get(0));
        assertEquals("dsp", dsp.xMetric());
        assertEquals(12, onFx(dsp::points).intValue());
        assertTrue(onFx(dsp::drawnPoints) > 0);
        assertNotNull(onFx(() -> ex.referenceProperty().get()), "the unpruned design is the reference marker");
        // a capacity far beyond the data (jet-mlp's LUTs against the xcvu9p's 1,182,240) stays out of the axis and
        // is said in the title instead; one inside the axis is the dashed line only
        ParetoChart lut = onFx(() -> window.exploreView().charts().get(2));
        assertEquals("lut", lut.xMetric());
        waitUntil(() -> lut.chart().getTitle().equals("accuracy vs. LUT   (xcvu9p: 1,182,240, off scale)"));
        assertTrue(onFx(() -> ((DefaultNumericAxis) lut.chart().getXAxis()).getMax()) < 1_182_240);
        for (ParetoChart c : onFx(() -> window.exploreView().charts())) {
            double max = onFx(() -> ((DefaultNumericAxis) c.chart().getXAxis()).getMax());
            String title = onFx(() -> c.chart().getTitle());
            if (max >= 1_182_240 || c.xMetric().equals("latency")) {
                assertTrue(!title.contains("off scale"), c.xMetric() + ": " + title);
            }
        }

        // click the point of the highest accuracy on the accuracy-DSP plot
        PointResult target = onFx(() -> ex.results().stream().filter(PointResult::ok)
                .max((a, b) -> Double.compare(a.accuracy(), b.accuracy())).orElseThrow());
        // the last batch, the reference marker or the capacity may still rescale the axis: settle the layout first
        org.testfx.util.WaitForAsyncUtils.waitForFxEvents();
        Point2D screen = onFx(() -> {
            dsp.chart().requestLayout();
            dsp.chart().layout();
            var canvas = dsp.chart().getCanvas();
            DefaultNumericAxis x = (DefaultNumericAxis) dsp.chart().getXAxis();
            DefaultNumericAxis y = (DefaultNumericAxis) dsp.chart().getYAxis();
            return canvas.localToScreen(x.getDisplayPosition(target.dsp()),
                    y.getDisplayPosition(100 * target.accuracy()));
        });
        robot.clickOn(screen);
        waitUntil(() -> ex.selectedProperty().get() != null);
        PointResult picked = onFx(() -> ex.selectedProperty().get());
        assertEquals(target.dsp(), picked.dsp());
        assertEquals(target.accuracy(), picked.accuracy(), 1e-12);
        assertTrue(onFx(() -> robot.lookup("#selected-point").queryTextInputControl().getText())
                .contains("DSP " + String.format(java.util.Locale.ROOT, "%,d", picked.dsp())));

        robot.clickOn("#apply-point");
        waitUntil(() -> window.views().getSelectionModel().getSelectedItem().getId().equals("tab-model"));
        waitUntil(() -> !vm.prune().computingProperty().get() && vm.prune().designProperty().get() != null
                && vm.prune().designProperty().get().point().key().equals(picked.point().key()));
        DesignResult shown = onFx(() -> vm.prune().designProperty().get());
        assertEquals(picked.accuracy(), shown.quality().value(), 1e-12, "the model view shows the clicked point");
        assertEquals((int) picked.point().hardware().reuseFactor(), (int) onFx(() -> vm.hardware()
                .reuseFactorProperty().get()), "the hardware panel shows the point's reuse factor");
        waitUntil(() -> vm.hardware().estimateProperty().get() != null
                && vm.hardware().estimateProperty().get().dsp() == picked.dsp());

        // compare two points
        onFx(() -> {
            ex.compare(picked);
            ex.compare(ex.results().get(0));
        });
        assertEquals(2, onFx(() -> ex.compared().size()).intValue());
    }

    @Test
    void aSpaceFromAFileColoursItsPointsByItsOwnConstraints(FxRobot robot) throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(JET), "sample-models/jet-mlp is not in this checkout");
        waitUntil(() -> vm.sessionProperty().get() != null);
        robot.clickOn("Explore");
        // jet-mlp reaches about 75 %: a minimum accuracy of 74 % leaves only the best points feasible, while every
        // design fits the xcvu9p, so the device alone would call all of them feasible
        var root = new com.fasterxml.jackson.databind.ObjectMapper().readTree("{\"name\": \"strict\","
                + " \"base\": {\"version\": 2, \"hardware\": {\"device\": \"xcvu9p\"}},"
                + " \"axes\": [{\"field\": \"prune.sparsity\", \"values\": [0, 0.5, 0.9]},"
                + " {\"field\": \"weights\", \"bits\": [4, 8]}],"
                + " \"constraints\": {\"fitsDevice\": true, \"minAccuracy\": 0.74}}");
        var space = dev.sparsimony.engine.explore.SearchSpace.read(root, "strict.json");
        ExploreViewModel ex = vm.explore();
        onFx(() -> ex.startSpace(space, null, "grid", null));
        waitUntil(() -> !ex.runningProperty().get() && ex.results().size() == 6);
        List<PointResult> rs = onFx(() -> List.copyOf(ex.results()));
        assertTrue(rs.stream().anyMatch(r -> r.accuracy() < 0.74), "some points miss the minimum");
        assertTrue(rs.stream().anyMatch(r -> r.accuracy() >= 0.74), "some points meet it");
        for (PointResult r : rs) {
            assertEquals(r.accuracy() >= 0.74, r.feasible(), "point " + r.id() + " at " + r.accuracy());
        }
    }

    @Test
    void aPerLayerOverrideChangesTheEvaluatedPoint(FxRobot robot) throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(JET), "sample-models/jet-mlp is not in this checkout");
        waitUntil(() -> vm.sessionProperty().get() != null && window.layerSettings() != null
                && !window.layerSettings().rows().isEmpty());
        onFx(() -> {
            vm.prune().settings().selectionProperty().set("layer");
            vm.prune().sparsityPercentProperty().set(50);
        });
        waitUntil(() -> layerSparsity("fc1") > 0.4);
        onFx(() -> window.layerSettings().edit("fc1", "exempt", "true"));
        waitUntil(() -> layerSparsity("fc1") == 0.0);
        assertEquals(0.5, layerSparsity("fc2"), 0.01, "the other layers keep the slider's sparsity");
        onFx(() -> window.layerSettings().edit("fc2", "sparsity", "80"));
        waitUntil(() -> Math.abs(layerSparsity("fc2") - 0.8) < 0.01);
        // a value the engine refuses is shown under the table, and the last good settings stay
        onFx(() -> window.layerSettings().edit("fc3", "RF", "zero"));
        assertTrue(onFx(() -> robot.lookup("#layer-settings-error").queryLabeled().getText()).contains("RF"));
        assertEquals(0.0, layerSparsity("fc1"));
    }

    private double layerSparsity(String layer) throws Exception {
        return onFx(() -> {
            DesignResult r = vm.prune().designProperty().get();
            if (r == null || vm.prune().computingProperty().get()) {
                return -1.0;
            }
            List<LayerResult> ls = r.layers();
            return ls.stream().filter(l -> l.layer().equals(layer)).mapToDouble(LayerResult::sparsity).findFirst()
                    .orElse(-1);
        });
    }
}
