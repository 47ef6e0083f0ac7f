package dev.sparsimony.app;

import static dev.sparsimony.app.FxTestSupport.onFx;
import static dev.sparsimony.app.FxTestSupport.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparsimony.app.model.EngineGateway;
import dev.sparsimony.app.model.RecentFiles;
import dev.sparsimony.engine.explore.DesignPointCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** File &gt; Export on the window's current point: the engine's export of that point into the chosen folder. */
class ExportFromWindowTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void toolkit() throws Exception {
        FxTestSupport.startToolkit();
    }

    @Test
    void exportsTheCurrentPointInEveryFormat() throws Exception {
        Path out = dir.resolve("export");
        RecordingDialogs dialogs = exportingTo(out);
        java.util.List<String> errors = dialogs.errors;
        MainViewModel vm = onFx(() -> new MainViewModel(EngineGateway.defaultGateway(), dialogs,
                new RecentFiles(null)));
        onFx(vm::openDemo);
        waitUntil(() -> vm.sessionProperty().get() != null);
        onFx(() -> vm.prune().sparsityPercentProperty().set(40));
        waitUntil(() -> !vm.prune().computingProperty().get()
                && vm.prune().computedSparsityProperty().get() == 0.4);
        String key = onFx(() -> vm.prune().currentDesignPoint().key());
        onFx(() -> vm.chooseAndExport());
        waitUntil(() -> onFx(() -> vm.statusProperty().get()).startsWith("Exported ") || !errors.isEmpty());
        assertTrue(errors.isEmpty(), errors.toString());
        assertEquals(key, DesignPointCodec.read(out.resolve("point.json")).key());
        for (String f : new String[] {"hls4ml_config.yml", "convert.py", "model.json", "masks.npz",
            "report.html"}) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f);
        }
        vm.shutdown();
    }

    /** Export on a point of the exploration (the plot's selection): that point, with the sweep in the report. */
    @Test
    void exportsAPointOfTheSweepWithTheSweepInTheReport() throws Exception {
        Path out = dir.resolve("from-plot");
        RecordingDialogs dialogs = exportingTo(out);
        java.util.List<String> errors = dialogs.errors;
        MainViewModel vm = onFx(() -> new MainViewModel(EngineGateway.defaultGateway(), dialogs,
                new RecentFiles(null)));
        onFx(vm::openDemo);
        waitUntil(() -> vm.sessionProperty().get() != null);
        var ex = vm.explore();
        onFx(() -> {
            ex.axes().setAll(new dev.sparsimony.app.explore.ExploreViewModel.AxisEntry("prune.sparsity", "0.2, 0.6"),
                    new dev.sparsimony.app.explore.ExploreViewModel.AxisEntry("hardware.reuseFactor", "1, 2"));
            ex.start();
        });
        waitUntil(() -> onFx(() -> !ex.runningProperty().get() && ex.results().size() == 4));
        var picked = onFx(() -> ex.results().get(3));
        onFx(() -> ex.export(picked));
        waitUntil(() -> onFx(() -> vm.statusProperty().get()).startsWith("Exported ") || !errors.isEmpty());
        assertTrue(errors.isEmpty(), errors.toString());
        assertEquals(picked.point().key(), DesignPointCodec.read(out.resolve("point.json")).key());
        var provenance = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.resolve("provenance.json")
                .toFile());
        assertEquals(4, provenance.path("sweep_points").asInt(), provenance.toString());
        vm.shutdown();
    }

    /** Dialogs that answer every export with {@code out} and record errors. */
    private static RecordingDialogs exportingTo(Path out) {
        RecordingDialogs d = new RecordingDialogs();
        d.exportFolder = out;
        return d;
    }
}
