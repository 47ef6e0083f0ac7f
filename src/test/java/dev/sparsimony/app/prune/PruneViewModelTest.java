package dev.sparsimony.app.prune;

import static dev.sparsimony.app.FxTestSupport.onFx;
import static dev.sparsimony.app.FxTestSupport.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparsimony.app.FxTestSupport;
import dev.sparsimony.app.model.EngineGateway;
import dev.sparsimony.app.model.ModelSession;
import dev.sparsimony.app.model.SampleModels;
import dev.sparsimony.engine.data.Dataset;
import dev.sparsimony.engine.explore.DesignPoint;
import dev.sparsimony.engine.explore.DesignPointEvaluator;
import dev.sparsimony.engine.metric.Quality;
import dev.sparsimony.engine.prune.StructureMap;
import java.util.Map;
import dev.sparsimony.engine.model.Model;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javafx.beans.property.SimpleObjectProperty;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The pruning view-model without a window: coalescing, results, undo. */
class PruneViewModelTest {
    /** Delegates to the real gateway but can hold the first pruning call, and records every call. */
    static final class GatedEngine implements EngineGateway {
        final EngineGateway real = EngineGateway.defaultGateway();
        /** Held open until a test closes it; every design-point computation passes it once. */
        volatile CountDownLatch gate = new CountDownLatch(0);
        /** Sparsity of every design-point computation that reached the end. */
        final List<Double> calls = new CopyOnWriteArrayList<>();

        @Override
        public Model loadModel(Path path) {
            return real.loadModel(path);
        }

        @Override
        public Optional<Path> defaultValidationData(Path modelPath) {
            return Optional.empty();
        }

        @Override
        public Dataset loadData(Path path) {
            return real.loadData(path);
        }

        @Override
        public Model pruneGlobalMagnitude(Model model, double sparsity) {
            return real.pruneGlobalMagnitude(model, sparsity);
        }

        @Override
        public Quality evaluate(Model model, Model reference, Dataset data) {
            return real.evaluate(model, reference, data);
        }

        @Override
        public DesignPointEvaluator designEvaluator(Model model, Dataset data) {
            return real.designEvaluator(model, data);
        }

        @Override
        public Map<String, StructureMap> structures(Model model, DesignPoint point) {
            calls.add(point.prune().sparsityOrZero());
            try {
                gate.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return real.structures(model, point);
        }

        @Override
        public List<dev.sparsimony.engine.hardware.Device> devices() {
            return real.devices();
        }

        @Override
        public dev.sparsimony.engine.hardware.FpgaEstimate estimateFpga(Model compressed, DesignPoint point,
                dev.sparsimony.engine.hardware.Device device) {
            return real.estimateFpga(compressed, point, device);
        }

        @Override
        public void warmUpAsync() {
        }
    }

    @BeforeAll
    static void toolkit() throws Exception {
        FxTestSupport.startToolkit();
    }

    private static ModelSession demoSession(EngineGateway engine) {
        Model m = SampleModels.demoMlp(1);
        Dataset d = SampleModels.demoData(2, 200);
        return new ModelSession(null, m, d, null, engine.evaluate(m, m, d), null);
    }

    @Test
    void rapidSliderMovesComputeOnlyTheFirstAndTheLatestValue() throws Exception {
        GatedEngine engine = new GatedEngine();
        SimpleObjectProperty<ModelSession> session = new SimpleObjectProperty<>();
        List<String> errors = new CopyOnWriteArrayList<>();
        PruneViewModel vm = onFx(() -> new PruneViewModel(engine, session, errors::add));
        onFx(() -> session.set(demoSession(engine)));
        waitUntil(() -> !vm.computingProperty().get()); // the new model's own evaluation at 0 %
        int startedBefore = vm.computationsStarted();
        engine.calls.clear();
        engine.gate = new CountDownLatch(1);
        onFx(() -> vm.sparsityPercentProperty().set(10));
        waitUntil(() -> engine.calls.size() == 1); // the worker is busy with 10 %
        onFx(() -> {
            for (int p = 20; p <= 90; p += 10) {
                vm.sparsityPercentProperty().set(p);
            }
        });
        assertTrue(onFx(() -> vm.computingProperty().get()));
        engine.gate.countDown();
        waitUntil(() -> !vm.computingProperty().get());
        assertEquals(List.of(0.1, 0.9), engine.calls, "only the running and the latest request are computed");
        assertEquals(2, vm.computationsStarted() - startedBefore);
        assertEquals(0.9, onFx(() -> vm.computedSparsityProperty().get()));
        Model pruned = onFx(() -> vm.prunedProperty().get());
        assertEquals(0.9, pruned.kernelSparsity(), 0.001);
        assertTrue(onFx(() -> vm.accuracyProperty().get()) < 1.0);
        assertTrue(errors.isEmpty(), errors.toString());
        vm.shutdown();
    }

    @Test
    void undoRedoRecomputeAndANewModelResetsTheSlider() throws Exception {
        GatedEngine engine = new GatedEngine();
        SimpleObjectProperty<ModelSession> session = new SimpleObjectProperty<>();
        PruneViewModel vm = onFx(() -> new PruneViewModel(engine, session, e -> { }));
        onFx(() -> session.set(demoSession(engine)));
        onFx(() -> {
            vm.sparsityPercentProperty().set(40);
            vm.settle();
            vm.sparsityPercentProperty().set(80);
            vm.settle();
            vm.undo();
        });
        waitUntil(() -> !vm.computingProperty().get() && vm.computedSparsityProperty().get() == 0.4);
        assertEquals(0.4, onFx(() -> vm.prunedProperty().get()).kernelSparsity(), 0.001);
        onFx(vm::redo);
        waitUntil(() -> !vm.computingProperty().get() && vm.computedSparsityProperty().get() == 0.8);

        ModelSession fresh = demoSession(engine);
        onFx(() -> session.set(fresh));
        assertEquals(0.0, onFx(() -> vm.sparsityPercentProperty().get()));
        waitUntil(() -> !vm.computingProperty().get());
        assertEquals(0.0, onFx(() -> vm.prunedProperty().get()).kernelSparsity());
        assertEquals("100.00 %", onFx(() -> vm.accuracyTextProperty().get()));
        assertEquals(false, onFx(() -> vm.canUndoProperty().get()));
        vm.shutdown();
    }

    @Test
    void designPointsGoThroughTheEngineAndCarryStructures() throws Exception {
        GatedEngine engine = new GatedEngine();
        SimpleObjectProperty<ModelSession> session = new SimpleObjectProperty<>();
        List<String> dialogs = new CopyOnWriteArrayList<>();
        PruneViewModel vm = onFx(() -> new PruneViewModel(engine, session, dialogs::add));
        ModelSession s = demoSession(engine);
        onFx(() -> session.set(s));
        onFx(() -> {
            vm.settings().granularityProperty().set("block");
            vm.settings().paramsProperty().set("rows=2, cols=2");
            vm.settings().weightBitsProperty().set(8);
            vm.settings().weightIntegerBitsProperty().set(2);
            vm.sparsityPercentProperty().set(50);
        });
        waitUntil(() -> !vm.computingProperty().get() && vm.designProperty().get() != null
                && vm.computedSparsityProperty().get() == 0.5);
        var design = onFx(() -> vm.designProperty().get());
        assertEquals(8, design.layers().get(0).bitsPerWeight());
        Map<String, StructureMap> maps = onFx(() -> vm.structuresProperty().get());
        assertEquals(List.of("fc1", "fc2", "output"), List.copyOf(maps.keySet()));
        assertEquals(16 * 64 / 4, maps.get("fc1").count(), "2x2 blocks");
        assertEquals("", onFx(() -> vm.designErrorProperty().get()));

        // a bad parameter is reported beside the controls, never as a dialog
        onFx(() -> vm.settings().paramsProperty().set("rows=0, cols=2"));
        waitUntil(() -> !vm.computingProperty().get() && !vm.designErrorProperty().get().isEmpty());
        assertTrue(dialogs.isEmpty(), dialogs.toString());
        onFx(() -> vm.settings().paramsProperty().set("rows=oops"));
        assertTrue(onFx(() -> vm.designErrorProperty().get()).contains("must be a number"));
        vm.shutdown();
    }
}
