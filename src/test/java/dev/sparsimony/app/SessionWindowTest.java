package dev.sparsimony.app;

import static dev.sparsimony.app.FxTestSupport.onFx;
import static dev.sparsimony.app.FxTestSupport.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparsimony.app.explore.ExploreViewModel;
import dev.sparsimony.app.model.EngineGateway;
import dev.sparsimony.app.model.RecentFiles;
import dev.sparsimony.engine.explore.Session;
import dev.sparsimony.engine.explore.SessionCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sessions: saved and reopened with the same points, choice and per-layer settings; autosave and recovery. */
class SessionWindowTest {
    private static final Path JET = Path.of("sample-models", "jet-mlp");
    @TempDir
    Path dir;
    private MainViewModel first;
    private MainViewModel second;

    @BeforeAll
    static void toolkit() throws Exception {
        FxTestSupport.startToolkit();
    }

    @AfterEach
    void close() {
        for (MainViewModel vm : new MainViewModel[] {first, second}) {
            if (vm != null) {
                vm.shutdown();
            }
        }
    }

    @Test
    void aSavedSessionReopensWithItsPointsChoiceAndLayerSettings() throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(JET), "sample-models/jet-mlp is not in this checkout");
        System.setProperty("sparsimony.autosave.dir", dir.toString());
        RecordingDialogs dialogs = new RecordingDialogs();
        first = onFx(() -> new MainViewModel(EngineGateway.defaultGateway(), dialogs, new RecentFiles(null)));
        onFx(() -> first.openModel(JET));
        waitUntil(() -> first.sessionProperty().get() != null);
        ExploreViewModel ex = first.explore();
        onFx(() -> {
            first.prune().settings().selectionProperty().set("layer");
            first.prune().settings().layersProperty().set(java.util.Map.of("fc2",
                    dev.sparsimony.engine.explore.LayerSpec.exempted().withReuseFactor(4)));
            first.prune().sparsityPercentProperty().set(30);
            ex.axes().setAll(new ExploreViewModel.AxisEntry("weights", "6, 10"),
                    new ExploreViewModel.AxisEntry("hardware.reuseFactor", "1, 2"));
            ex.start();
        });
        waitUntil(() -> ex.runningProperty().get());
        waitUntil(() -> !ex.runningProperty().get() && ex.results().size() == 4);
        onFx(() -> {
            ex.select(ex.results().get(2));
            ex.compare(ex.results().get(0));
            ex.compare(ex.results().get(2));
        });
        String key = onFx(() -> first.prune().currentDesignPoint().key());

        // autosave: what a killed process would leave (written every minute; here at once)
        onFx(first::autosaveNow);
        waitUntil(() -> Files.isRegularFile(MainViewModel.autosaveFile()));
        waitUntil(() -> SessionCodec.read(MainViewModel.autosaveFile()).results().size() == 4);

        Path file = dir.resolve("jet.session.json");
        onFx(() -> first.saveSession(file));
        waitUntil(() -> Files.isRegularFile(file) && first.statusProperty().get().startsWith("Saved session"));
        Session saved = SessionCodec.read(file);
        assertEquals(64, saved.modelSha256().length(), "the model's hash is kept");

        RecordingDialogs dialogs2 = new RecordingDialogs();
        second = onFx(() -> new MainViewModel(EngineGateway.defaultGateway(), dialogs2, new RecentFiles(null)));
        onFx(() -> second.openSession(file));
        waitUntil(() -> second.sessionProperty().get() != null && second.explore().results().size() == 4
                && !second.prune().computingProperty().get() && second.prune().designProperty().get() != null);
        assertEquals(key, onFx(() -> second.prune().currentDesignPoint().key()), "the same choice");
        assertTrue(onFx(() -> second.prune().settings().layersProperty().get().get("fc2").exemptFromPruning()));
        assertEquals(30.0, onFx(() -> second.prune().sparsityPercentProperty().get()), 1e-9);
        assertEquals(onFx(() -> first.explore().results().stream().map(r -> r.key()).sorted().toList()),
                onFx(() -> second.explore().results().stream().map(r -> r.key()).sorted().toList()), "the same points");
        assertEquals(onFx(() -> first.explore().selectedProperty().get().id()),
                onFx(() -> second.explore().selectedProperty().get().id()));
        assertEquals(2, onFx(() -> second.explore().compared().size()).intValue());
        assertEquals(2, onFx(() -> second.explore().axes().size()).intValue(), "the axes set-up");
        assertTrue(dialogs2.errors.isEmpty(), dialogs2.errors.toString());

        // a damaged session file: one error, and the window keeps what it had
        Path bad = Files.write(dir.resolve("bad.session.json"), new byte[] {'{', '"', 'x'});
        onFx(() -> second.openSession(bad));
        waitUntil(() -> !dialogs2.errors.isEmpty());
        assertTrue(dialogs2.errors.get(0).contains("damaged"), dialogs2.errors.toString());
        assertEquals(4, onFx(() -> second.explore().results().size()).intValue());
    }

    @Test
    void anAutosaveIsOfferedForRecovery() throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(JET), "sample-models/jet-mlp is not in this checkout");
        System.setProperty("sparsimony.autosave.dir", dir.toString());
        SessionCodec.write(MainViewModel.autosaveFile(), new Session(Session.VERSION, JET.toString(), null, null, null,
                dev.sparsimony.engine.explore.DesignPoint.of(dev.sparsimony.engine.explore.PruneSpec.magnitude(0.6,
                        true)), null, java.util.List.of(), java.util.Map.of()));
        RecordingDialogs dialogs = new RecordingDialogs();
        dialogs.answer = true;
        first = onFx(() -> new MainViewModel(EngineGateway.defaultGateway(), dialogs, new RecentFiles(null)));
        assertTrue(MainViewModel.recoveryAvailable());
        assertTrue(onFx(() -> first.offerRecovery()));
        waitUntil(() -> first.sessionProperty().get() != null && first.prune().sparsityPercentProperty().get() == 60);
        assertTrue(dialogs.questions.get(0).startsWith("Recover the last session?"), dialogs.questions.toString());
    }
}
