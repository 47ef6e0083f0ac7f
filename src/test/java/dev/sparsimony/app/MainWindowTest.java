package dev.sparsimony.app;

import static dev.sparsimony.app.FxTestSupport.onFx;
import static dev.sparsimony.app.FxTestSupport.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparsimony.app.model.EngineGateway;
import dev.sparsimony.app.model.RecentFiles;
import io.fair_acc.dataset.DataSet;
import java.nio.file.Path;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.framework.junit5.Stop;

/** The main window on the built-in demo model, driven like a user would (headless Monocle). */
@ExtendWith(ApplicationExtension.class)
class MainWindowTest {
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

    private void waitForModel() throws Exception {
        waitUntil(() -> vm.sessionProperty().get() != null && vm.detailProperty().get() != null);
    }

    private static double[] zValues(DataSet ds) {
        return ds.getValues(DataSet.DIM_Z).clone();
    }

    @Test
    void selectLayerMoveSliderUpdatesHeatMapAndAccuracy(FxRobot robot) throws Exception {
        waitForModel();
        // the hardware panel fills in after its first estimate; click once the layout has settled
        waitUntil(() -> vm.hardware().estimateProperty().get() != null);
        org.testfx.util.WaitForAsyncUtils.waitForFxEvents();
        robot.clickOn(robot.from(window.layerTable()).lookup("fc2").<javafx.scene.Node>query()); // not the hardware table
        waitUntil(() -> "fc2".equals(vm.selectedLayerProperty().get()));
        Label title = robot.lookup("#layer-title").queryAs(Label.class);
        assertTrue(title.getText().startsWith("fc2"), title.getText());
        DataSet before = window.detailView().weightsChart().dataSet();
        double[] zBefore = zValues(before);
        assertEquals(64 * 32, zBefore.length, "fc2 is 64x32");
        Label accuracy = robot.lookup("#accuracy-value").queryAs(Label.class);
        String accBefore = accuracy.getText();
        assertEquals("100.00 %", accBefore);
        Label dsp = robot.lookup("#hw-dsp").queryAs(Label.class);
        waitUntil(() -> !"–".equals(dsp.getText()));
        String dspBefore = dsp.getText();

        // click on the slider track at about 90 %: magnitude pruning of 90 % changes most predictions
        Slider slider = robot.lookup("#sparsity-slider").queryAs(Slider.class);
        var b = slider.localToScreen(slider.getBoundsInLocal());
        robot.clickOn(b.getMinX() + 0.92 * b.getWidth(), b.getMinY() + 8);
        waitUntil(() -> slider.getValue() > 50 && !vm.prune().computingProperty().get()
                && vm.prune().computedSparsityProperty().get() * 100 == slider.getValue());

        double[] zAfter = zValues(window.detailView().weightsChart().dataSet());
        assertNotEquals(accBefore, accuracy.getText());
        // the hardware panel follows the design point: fewer multipliers after pruning
        waitUntil(() -> !vm.hardware().computingProperty().get() && !dsp.getText().equals(dspBefore));
        int zerosBefore = zeros(zBefore);
        int zerosAfter = zeros(zAfter);
        assertTrue(zerosAfter > zerosBefore + 64 * 32 / 3, zerosBefore + " -> " + zerosAfter);
        double[] mask = window.detailView().maskChart().dataSet().getValues(DataSet.DIM_Z);
        assertEquals(zerosAfter, zeros(mask), "mask marks exactly the zero weights");

        // Ctrl+Z restores the unpruned model
        robot.press(KeyCode.CONTROL).press(KeyCode.Z).release(KeyCode.Z).release(KeyCode.CONTROL);
        waitUntil(() -> slider.getValue() == 0 && !vm.prune().computingProperty().get()
                && vm.prune().computedSparsityProperty().get() == 0);
        assertEquals("100.00 %", accuracy.getText());
        assertEquals(zerosBefore, zeros(zValues(window.detailView().weightsChart().dataSet())));
    }

    @Test
    void failingLoadShowsErrorDialogAndKeepsModel(FxRobot robot) throws Exception {
        waitForModel();
        String name = vm.modelNameProperty().get();
        // as if the file had been dropped on the window
        onFx(() -> window.openDropped(Path.of("does-not-exist", "model.onnx")));
        waitUntil(() -> robot.lookup("#error-message").tryQuery().isPresent());
        Label message = robot.lookup("#error-message").queryAs(Label.class);
        assertTrue(message.getText().contains("not found"), message.getText());
        assertEquals(name, vm.modelNameProperty().get());
        assertFalse(vm.layers().isEmpty());
        // close the dialog with Enter; the main window stays on the same model
        Window dialog = message.getScene().getWindow();
        robot.type(KeyCode.ENTER);
        waitUntil(() -> !dialog.isShowing());
        assertEquals(name, onFx(() -> vm.sessionProperty().get().model().name()));
    }

    private static int zeros(double[] z) {
        int n = 0;
        for (double v : z) {
            if (v == 0) {
                n++;
            }
        }
        return n;
    }


    @Test
    void heatMapStaysWholeAfterResize(FxRobot robot) throws Exception {
        waitForModel();
        var chart = window.detailView().weightsChart();
        waitUntil(() -> chart.dataSet() != null);
        double[] before = onFx(chart::ranges);
        Stage stage = (Stage) window.getScene().getWindow();
        for (double w : new double[] {1100, 1500, 1000}) {
            onFx(() -> stage.setWidth(w));
            org.testfx.util.WaitForAsyncUtils.waitForFxEvents();
            double[] after = onFx(chart::ranges);
            for (int i = 0; i < 4; i++) {
                assertEquals(before[i], after[i], 1e-9, "axis range after resizing to " + w + " px");
            }
        }
        // every row and column of the kernel lies inside the ranges
        var ds = chart.dataSet();
        double[] x = ds.getValues(DataSet.DIM_X);
        double[] y = ds.getValues(DataSet.DIM_Y);
        assertTrue(before[0] < x[0] && before[1] > x[x.length - 1]);
        assertTrue(before[2] < y[0] && before[3] > y[y.length - 1]);
    }

    @Test
    void typedWidthsAreAppliedAndTheBarFollowsTheGranularity(FxRobot robot) throws Exception {
        waitForModel();
        var settings = vm.prune().settings();
        // type a width into the weights box and leave it: it is applied
        robot.doubleClickOn("#weight-bits").eraseText(8).write("6").press(KeyCode.TAB).release(KeyCode.TAB);
        waitUntil(() -> settings.weightBitsProperty().get() == 6);
        // a width that is not one goes back to the applied width
        robot.doubleClickOn("#weight-bits").eraseText(8).write("99").press(KeyCode.TAB).release(KeyCode.TAB);
        waitUntil(() -> settings.weightBitsProperty().get() == 6);
        // integer bits typed too
        robot.doubleClickOn("#weight-integer-bits").eraseText(4).write("3").press(KeyCode.TAB).release(KeyCode.TAB);
        waitUntil(() -> settings.weightIntegerBitsProperty().get() == 3);
        // another granularity starts from its own parameters; N:M fixes the sparsity, so the slider is off
        onFx(() -> settings.granularityProperty().set("block"));
        assertEquals("cols=4, rows=4", onFx(() -> settings.paramsProperty().get()));
        onFx(() -> settings.granularityProperty().set("n-of-m"));
        assertEquals("m=4, n=2", onFx(() -> settings.paramsProperty().get()));
        assertTrue(onFx(() -> window.prunePanel().slider().isDisabled()));
        // 2:4 prunes half of every group; 6-bit weights round some kept ones to zero as well
        waitUntil(() -> !vm.prune().computingProperty().get() && vm.prune().designProperty().get() != null
                && "n-of-m".equals(vm.prune().designProperty().get().point().prune().granularity())
                && vm.prune().appliedSparsityProperty().get() >= 0.5);
        Label readout = robot.lookup("#sparsity-value").queryAs(Label.class);
        double applied = onFx(() -> vm.prune().appliedSparsityProperty().get());
        waitUntil(() -> readout.getText().trim().equals(String.format(java.util.Locale.ROOT, "%.1f %%",
                100 * applied)));
        onFx(() -> settings.granularityProperty().set("rows"));
        assertEquals("", onFx(() -> settings.paramsProperty().get()));
        assertFalse(onFx(() -> window.prunePanel().slider().isDisabled()));
    }

    @Test
    void undoAndRedoCoverEverySettingKind(FxRobot robot) throws Exception {
        waitForModel();
        waitUntil(() -> vm.hardware().estimateProperty().get() != null && window.layerSettings() != null
                && !window.layerSettings().rows().isEmpty());
        var settings = vm.prune().settings();
        org.testfx.util.WaitForAsyncUtils.waitForFxEvents();
        onFx(() -> settings.granularityProperty().set("rows"));
        org.testfx.util.WaitForAsyncUtils.waitForFxEvents();
        onFx(() -> {
            vm.prune().sparsityPercentProperty().set(40);
            vm.prune().settle();
        });
        onFx(() -> settings.weightBitsProperty().set(8));
        org.testfx.util.WaitForAsyncUtils.waitForFxEvents();
        onFx(() -> vm.hardware().reuseFactorProperty().set(4));
        org.testfx.util.WaitForAsyncUtils.waitForFxEvents();
        onFx(() -> window.layerSettings().edit("fc1", "exempt", "true"));
        org.testfx.util.WaitForAsyncUtils.waitForFxEvents();
        assertTrue(onFx(() -> settings.layersProperty().get().containsKey("fc1")));

        robot.press(KeyCode.CONTROL).type(KeyCode.Z).release(KeyCode.CONTROL);
        waitUntil(() -> settings.layersProperty().get().isEmpty());
        assertEquals(4, onFx(() -> vm.hardware().reuseFactorProperty().get()).intValue());
        robot.press(KeyCode.CONTROL).type(KeyCode.Z).release(KeyCode.CONTROL);
        waitUntil(() -> vm.hardware().reuseFactorProperty().get() == 1);
        assertEquals(8, onFx(() -> settings.weightBitsProperty().get()).intValue());
        robot.press(KeyCode.CONTROL).type(KeyCode.Z).release(KeyCode.CONTROL);
        waitUntil(() -> settings.weightBitsProperty().get() == 0);
        assertEquals(40.0, onFx(() -> vm.prune().sparsityPercentProperty().get()), 1e-9);
        robot.press(KeyCode.CONTROL).type(KeyCode.Z).release(KeyCode.CONTROL);
        waitUntil(() -> vm.prune().sparsityPercentProperty().get() == 0);
        assertEquals("rows", onFx(() -> settings.granularityProperty().get()));
        robot.press(KeyCode.CONTROL).type(KeyCode.Z).release(KeyCode.CONTROL);
        waitUntil(() -> "unstructured".equals(settings.granularityProperty().get()));
        // redo walks forward again, and a redone change is evaluated
        robot.press(KeyCode.CONTROL, KeyCode.SHIFT).type(KeyCode.Z).release(KeyCode.SHIFT, KeyCode.CONTROL);
        waitUntil(() -> "rows".equals(settings.granularityProperty().get()));
        robot.press(KeyCode.CONTROL, KeyCode.SHIFT).type(KeyCode.Z).release(KeyCode.SHIFT, KeyCode.CONTROL);
        waitUntil(() -> vm.prune().sparsityPercentProperty().get() == 40 && !vm.prune().computingProperty().get()
                && vm.prune().designProperty().get() != null
                && "rows".equals(vm.prune().designProperty().get().point().prune().granularity()));
    }
}
