package dev.sparsimony.app;

import static dev.sparsimony.app.FxTestSupport.onFx;
import static dev.sparsimony.app.FxTestSupport.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparsimony.app.model.EngineGateway;
import dev.sparsimony.app.model.LayerRow;
import dev.sparsimony.app.model.ModelSession;
import dev.sparsimony.app.model.RecentFiles;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sparsimony.engine.explore.DesignPoint;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The main view-model without a window. */
class MainViewModelTest {
    @BeforeAll
    static void toolkit() throws Exception {
        FxTestSupport.startToolkit();
    }

    @Test
    void demoModelFillsTableSummaryAndSelectsFirstPrunableLayer() throws Exception {
        RecordingDialogs dialogs = new RecordingDialogs();
        MainViewModel vm = onFx(() -> new MainViewModel(EngineGateway.defaultGateway(), dialogs,
                new RecentFiles(null)));
        onFx(vm::openDemo);
        waitUntil(() -> vm.sessionProperty().get() != null);
        assertEquals(6, onFx(() -> vm.layers().size()));
        LayerRow fc1 = onFx(() -> vm.layers().get(0));
        assertEquals(new LayerRow("fc1", "Dense", "64", 16 * 64 + 64, 0.0, 32, true), fc1);
        assertTrue(Double.isNaN(onFx(() -> vm.layers().get(1)).sparsity()), "ReLU has no kernel");
        assertEquals("fc1", onFx(() -> vm.selectedLayerProperty().get()));
        assertNotNull(onFx(() -> vm.detailProperty().get()));
        assertEquals("3,333", onFx(() -> vm.parameterTextProperty().get()));
        assertEquals("0.0 %", onFx(() -> vm.sparsityTextProperty().get()));

        onFx(() -> vm.prune().sparsityPercentProperty().set(50));
        waitUntil(() -> !vm.prune().computingProperty().get()
                && vm.prune().computedSparsityProperty().get() == 0.5);
        assertEquals("50.0 %", onFx(() -> vm.sparsityTextProperty().get()));
        assertEquals("fc1", onFx(() -> vm.selectedLayerProperty().get()), "selection survives a pruning update");
        assertTrue(onFx(() -> vm.detailProperty().get()).sparsity() > 0);
        vm.shutdown();
    }

    @Test
    void failingLoadReportsTheEngineMessageAndKeepsTheModel() throws Exception {
        RecordingDialogs dialogs = new RecordingDialogs();
        MainViewModel vm = onFx(() -> new MainViewModel(EngineGateway.defaultGateway(), dialogs,
                new RecentFiles(null)));
        onFx(vm::openDemo);
        waitUntil(() -> vm.sessionProperty().get() != null);
        ModelSession before = onFx(() -> vm.sessionProperty().get());
        onFx(() -> vm.openModel(Path.of("no-such-dir", "missing.onnx")));
        waitUntil(() -> !dialogs.errors.isEmpty());
        waitUntil(() -> !vm.loadingProperty().get());
        assertTrue(dialogs.errors.get(0).contains("model file not found"), dialogs.errors.toString());
        assertSame(before, onFx(() -> vm.sessionProperty().get()));
        assertFalse(onFx(() -> vm.layers().isEmpty()));
        assertTrue(onFx(() -> vm.statusProperty().get()).startsWith("Cannot open missing.onnx"));
        assertTrue(onFx(() -> vm.recentFiles().items().isEmpty()), "failed opens are not recent files");
        vm.shutdown();
    }

    @Test
    void opensTheSampleModelWithItsValidationData() throws Exception {
        Path jet = Path.of("sample-models", "jet-mlp");
        Assumptions.assumeTrue(Files.isDirectory(jet), "sample-models/jet-mlp is not in this checkout");
        RecordingDialogs dialogs = new RecordingDialogs();
        MainViewModel vm = onFx(() -> new MainViewModel(EngineGateway.defaultGateway(), dialogs,
                new RecentFiles(null)));
        onFx(() -> vm.openModel(jet));
        waitUntil(() -> vm.sessionProperty().get() != null || !dialogs.errors.isEmpty());
        assertTrue(dialogs.errors.isEmpty(), dialogs.errors.toString());
        ModelSession s = onFx(() -> vm.sessionProperty().get());
        assertTrue(s.hasData(), "validation.npz beside the model is used");
        assertEquals("accuracy", s.qualityName());
        assertEquals(String.format("%.2f %%", 100 * s.baseline().value()),
                onFx(() -> vm.prune().accuracyTextProperty().get()));
        assertEquals(1, onFx(() -> vm.recentFiles().items().size()));
        vm.shutdown();
    }

    @Test
    void savedDesignPointReadsBackAsTheSameRecord(@TempDir Path dir) throws Exception {
        RecordingDialogs dialogs = new RecordingDialogs();
        MainViewModel vm = onFx(() -> new MainViewModel(EngineGateway.defaultGateway(), dialogs,
                new RecentFiles(null)));
        onFx(vm::openDemo);
        waitUntil(() -> vm.sessionProperty().get() != null);
        onFx(() -> {
            vm.prune().settings().granularityProperty().set("n-of-m");
            vm.prune().settings().paramsProperty().set("n=2, m=4");
            vm.prune().settings().weightBitsProperty().set(6);
            vm.prune().sparsityPercentProperty().set(50);
        });
        Path file = dir.resolve("point.json");
        DesignPoint expected = onFx(() -> vm.prune().currentDesignPoint());
        onFx(() -> vm.saveDesignPoint(file));
        waitUntil(() -> onFx(() -> vm.statusProperty().get()).startsWith("Saved design point"));
        // read as the CLI does (estimate --config POINT.json)
        DesignPoint read = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
                .readValue(file.toFile(), DesignPoint.class);
        assertEquals(expected, read);
        assertEquals("ap_fixed<6,1>", read.weights().fixed().hlsType());
        assertTrue(dialogs.errors.isEmpty(), dialogs.errors.toString());
        vm.shutdown();
    }

    @Test
    void dataTheModelCannotRunIsRefusedAndTheOldDataKept(@TempDir Path dir) throws Exception {
        // 3 features per sample, the demo model takes 16
        Path csv = dir.resolve("wrong.csv");
        Files.writeString(csv, "1,2,3\n4,5,6\n");
        RecordingDialogs dialogs = new RecordingDialogs();
        MainViewModel vm = onFx(() -> new MainViewModel(EngineGateway.defaultGateway(), dialogs,
                new RecentFiles(null)));
        onFx(vm::openDemo);
        waitUntil(() -> vm.sessionProperty().get() != null);
        ModelSession before = onFx(() -> vm.sessionProperty().get());
        onFx(() -> vm.openData(csv));
        waitUntil(() -> !dialogs.errors.isEmpty());
        assertTrue(dialogs.errors.get(0).startsWith("Cannot use data wrong.csv"), dialogs.errors.toString());
        assertSame(before, onFx(() -> vm.sessionProperty().get()));
        vm.shutdown();
    }

    @Test
    void shapesAreShownWithoutTheBatchAxis() {
        assertEquals("8×8×3", MainViewModel.shapeWithoutBatch(new int[] {1, 8, 8, 3}));
    }

    /** A model with NaN weights: the window asks; "no" keeps the current model, "yes" opens it. */
    @Test
    void nonFiniteWeightsAreOpenedOnlyWhenTheUserSaysSo(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("nan-model");
        dev.sparsimony.engine.io.npyjson.ProjectFormat.write(new dev.sparsimony.engine.model.Model("nan",
                java.util.List.of(new dev.sparsimony.engine.model.ValueInfo("x", new int[] {-1, 2})),
                java.util.List.of(new dev.sparsimony.engine.model.Node("fc", new dev.sparsimony.engine.model.Ops.Dense(
                        dev.sparsimony.engine.model.Tensor.of(new float[] {1, Float.NaN, 0, 1}, 2, 2), null),
                        java.util.List.of("x"))), java.util.List.of("fc")), model);
        RecordingDialogs dialogs = new RecordingDialogs();
        MainViewModel vm = demo(dialogs);
        ModelSession before = onFx(() -> vm.sessionProperty().get());
        onFx(() -> vm.openModel(model));
        waitUntil(() -> !dialogs.questions.isEmpty() && !vm.loadingProperty().get());
        assertTrue(dialogs.questions.get(0).contains("layer 'fc' kernel (1 NaN of 4 values)"), dialogs.questions.toString());
        assertTrue(dialogs.errors.isEmpty(), dialogs.errors.toString());
        assertSame(before, onFx(() -> vm.sessionProperty().get()));

        dialogs.answer = true;
        onFx(() -> vm.openModel(model));
        waitUntil(() -> onFx(() -> vm.sessionProperty().get()) != before && !vm.loadingProperty().get());
        assertEquals("nan", onFx(() -> vm.sessionProperty().get()).model().name());
        assertEquals(2, dialogs.questions.size());
        vm.shutdown();
    }

    /** Validation data with NaN: the window asks before using it; "no" keeps the current data. */
    @Test
    void nonFiniteDataIsUsedOnlyWhenTheUserSaysSo(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("nan.npy");
        float[] v = new float[16 * 3];
        v[5] = Float.NaN;
        dev.sparsimony.engine.io.npy.Npy.write(data, dev.sparsimony.engine.io.npy.NpyArray.ofFloats(
                dev.sparsimony.engine.model.Tensor.of(v, 3, 16)));
        RecordingDialogs dialogs = new RecordingDialogs();
        MainViewModel vm = demo(dialogs);
        ModelSession before = onFx(() -> vm.sessionProperty().get());
        onFx(() -> vm.openData(data));
        waitUntil(() -> !dialogs.questions.isEmpty() && !vm.loadingProperty().get());
        assertTrue(dialogs.questions.get(0).contains("data 'nan.npy' (1 NaN of 48 values)"), dialogs.questions.toString());
        assertSame(before, onFx(() -> vm.sessionProperty().get()));
        dialogs.answer = true;
        onFx(() -> vm.openData(data));
        waitUntil(() -> onFx(() -> vm.sessionProperty().get()) != before && !vm.loadingProperty().get());
        assertEquals(3, onFx(() -> vm.sessionProperty().get()).data().size());
        vm.shutdown();
    }

    /** A view-model showing the demo model, its dialogs recorded. */
    private static MainViewModel demo(RecordingDialogs dialogs) throws Exception {
        MainViewModel vm = onFx(() -> new MainViewModel(EngineGateway.defaultGateway(), dialogs,
                new RecentFiles(null)));
        onFx(vm::openDemo);
        waitUntil(() -> vm.sessionProperty().get() != null);
        return vm;
    }
}
