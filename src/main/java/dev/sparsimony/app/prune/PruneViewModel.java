package dev.sparsimony.app.prune;

import dev.sparsimony.app.model.EngineGateway;
import dev.sparsimony.app.model.LatestOnlyRunner;
import dev.sparsimony.app.model.ModelSession;
import dev.sparsimony.engine.explore.DesignPoint;
import dev.sparsimony.engine.explore.DesignPointEvaluator;
import dev.sparsimony.engine.explore.DesignResult;
import dev.sparsimony.engine.metric.Quality;
import dev.sparsimony.engine.prune.StructureMap;
import java.util.Map;
import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.model.ModelException;
import java.util.function.Consumer;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleDoubleProperty;

/**
 * Global magnitude pruning driven by a slider: every change of {@link #sparsityPercentProperty()} re-masks the
 * weights through the engine and re-measures the quality on the validation data, in the background, coalescing
 * rapid changes (only the latest value is computed). JavaFX thread only, except the work handed to the runner.
 */
public final class PruneViewModel {
    /**
     * One computed point: the sparsity asked for, the compressed model, its quality (null without data), the
     * engine's full evaluation for design points (null for plain magnitude pruning) and the pruning structures of
     * every prunable layer (empty for unstructured pruning).
     */
    public record Result(ModelSession session, double sparsity, Model pruned, Quality quality, DesignResult design,
                         Map<String, StructureMap> structures) {
    }

    private final EngineGateway engine;
    private final ReadOnlyObjectProperty<ModelSession> session;
    private final LatestOnlyRunner<Result> runner = new LatestOnlyRunner<>("sparsimony-prune");
    private final DoubleProperty sparsityPercent = new SimpleDoubleProperty(this, "sparsityPercent", 0);
    private final ReadOnlyObjectWrapper<Model> pruned = new ReadOnlyObjectWrapper<>(this, "pruned");
    private final ReadOnlyDoubleWrapper accuracy = new ReadOnlyDoubleWrapper(this, "accuracy", Double.NaN);
    private final ReadOnlyDoubleWrapper computedSparsity = new ReadOnlyDoubleWrapper(this, "computedSparsity", 0);
    private final ReadOnlyStringWrapper accuracyText = new ReadOnlyStringWrapper(this, "accuracyText", "–");
    private final ReadOnlyStringWrapper deltaText = new ReadOnlyStringWrapper(this, "deltaText", "");
    private final SparsityHistory history = new SparsityHistory();
    private final ReadOnlyObjectWrapper<DesignResult> design = new ReadOnlyObjectWrapper<>(this, "design");
    private final ReadOnlyObjectWrapper<Map<String, StructureMap>> structures =
            new ReadOnlyObjectWrapper<>(this, "structures", Map.of());
    private final ReadOnlyStringWrapper designError = new ReadOnlyStringWrapper(this, "designError", "");
    private final DesignSettings settings = new DesignSettings();
    private final Consumer<String> errors;
    private boolean resetting;
    // worker thread only: one evaluator per opened model and data (it compiles the model once)
    private DesignPointEvaluator evaluator;
    private ModelSession evaluatorSession;

    /**
     * @param session the opened model (read only here)
     * @param errors  receives one-line messages of failed computations
     */
    public PruneViewModel(EngineGateway engine, ReadOnlyObjectProperty<ModelSession> session,
                          Consumer<String> errors) {
        this.engine = engine;
        this.session = session;
        this.errors = errors;
        sparsityPercent.addListener((obs, o, n) -> {
            if (!resetting) {
                schedule(n.doubleValue() / 100.0);
            }
        });
        session.addListener((obs, o, n) -> reset(n));
        for (javafx.beans.Observable ob : settings.all()) {
            ob.addListener(x -> schedule(sparsityPercent.get() / 100.0));
        }
    }

    private void reset(ModelSession s) {
        runner.cancel();
        resetting = true;
        try {
            sparsityPercent.set(0);
        } finally {
            resetting = false;
        }
        history.reset(0);
        pruned.set(s == null ? null : s.model());
        computedSparsity.set(0);
        design.set(null);
        structures.set(Map.of());
        designError.set("");
        setAccuracy(s, s == null ? null : s.baseline());
        if (s != null && (s.hasData() || !settings.isPlain())) {
            schedule(0); // storage and bits of the new model, and the chosen quantization, from the evaluator
        }
    }

    private void schedule(double sparsity) {
        ModelSession s = session.get();
        if (s == null) {
            return;
        }
        if (settings.isPlain() && !s.hasData()) {
            // without data only the masks can be shown; with data every point (plain ones too) goes through the
            // design-point evaluator, which also reports storage and bits
            runner.submit(job -> plain(job, s, sparsity), this::apply, this::failed);
            return;
        }
        DesignPoint point;
        try {
            point = settings.toDesignPoint(sparsity);
        } catch (ModelException e) {
            runner.cancel();
            designError.set(e.getMessage());
            return;
        }
        if (!s.hasData()) {
            runner.cancel();
            designError.set("structured pruning and quantization are measured on validation data: open some"
                    + " with File > Open Data…");
            return;
        }
        runner.submit(job -> designPoint(job, s, sparsity, point), this::apply, this::failed);
    }

    /** Global magnitude pruning of float weights without data: the masks only. Worker thread. */
    private Result plain(LatestOnlyRunner.Job job, ModelSession s, double sparsity) {
        job.progress(-1, "pruning");
        Model p = sparsity <= 0 ? s.model() : engine.pruneGlobalMagnitude(s.model(), sparsity);
        return new Result(s, sparsity, p, null, null, Map.of());
    }

    /** Any design point through the engine's evaluator. Worker thread. */
    private Result designPoint(LatestOnlyRunner.Job job, ModelSession s, double sparsity, DesignPoint point) {
        if (evaluatorSession != s) {
            if (evaluator != null) {
                evaluator.close();
            }
            evaluator = engine.designEvaluator(s.model(), s.data());
            evaluatorSession = s;
        }
        job.progress(-1, "evaluating design point");
        DesignPointEvaluator.Compressed c = evaluator.evaluateWithModel(point);
        Map<String, StructureMap> maps = job.cancelled() ? Map.of() : engine.structures(s.model(), point);
        return new Result(s, sparsity, c.model(), c.result().quality(), c.result(), maps);
    }

    private void failed(Throwable e) {
        if (e instanceof ModelException && !settings.isPlain()) {
            designError.set(e.getMessage()); // a bad parameter: shown beside the controls, not in a dialog
        } else {
            errors.accept(e instanceof ModelException ? e.getMessage() : "pruning failed: " + e);
        }
    }

    private void apply(Result r) {
        if (r.session() != session.get()) {
            return; // a model opened meanwhile
        }
        designError.set("");
        design.set(r.design());
        structures.set(r.structures());
        pruned.set(r.pruned());
        computedSparsity.set(r.sparsity());
        setAccuracy(r.session(), r.quality());
    }

    private void setAccuracy(ModelSession s, Quality q) {
        double acc = q == null ? Double.NaN : q.value();
        accuracy.set(acc);
        if (s == null || !s.hasData() || q == null) {
            accuracyText.set("–");
            deltaText.set(s == null ? "" : s.dataNote() == null ? "no validation data" : s.dataNote());
            return;
        }
        accuracyText.set(String.format("%.2f %%", 100 * acc));
        double d = 100 * (acc - s.baseline().value());
        deltaText.set(String.format("%+.2f pp vs. unpruned (%s)", d, s.qualityName()));
    }

    /** The user finished a change (slider released, key press): one undo step. */
    public void settle() {
        history.settle(sparsityPercent.get());
    }

    public void undo() {
        double v = history.undo();
        if (!Double.isNaN(v)) {
            sparsityPercent.set(v);
        }
    }

    public void redo() {
        double v = history.redo();
        if (!Double.isNaN(v)) {
            sparsityPercent.set(v);
        }
    }

    /**
     * Shows a point (clicked on a plot, opened from a file): every control, the per-layer settings, the hardware
     * settings and the slider take the point's values, and the model view shows it.
     */
    public void applyPoint(DesignPoint p) {
        double sp = settings.apply(p);
        if (!Double.isNaN(sp)) {
            sparsityPercent.set(100 * sp);
            settle();
        }
        schedule(sparsityPercent.get() / 100.0);
    }

    /** The design point of the current controls and slider (for saving); throws ModelException for bad input. */
    public DesignPoint currentDesignPoint() {
        return settings.toDesignPoint(sparsityPercent.get() / 100.0);
    }

    public DesignSettings settings() {
        return settings;
    }

    /** The engine's evaluation of the last design point (null for plain magnitude pruning). */
    public ReadOnlyObjectProperty<DesignResult> designProperty() {
        return design.getReadOnlyProperty();
    }

    /** Pruning structures per prunable layer for the last result (empty for unstructured). */
    public ReadOnlyObjectProperty<Map<String, StructureMap>> structuresProperty() {
        return structures.getReadOnlyProperty();
    }

    /** Why the current design point cannot be computed (bad parameter, no data), or "". */
    public ReadOnlyStringProperty designErrorProperty() {
        return designError.getReadOnlyProperty();
    }

    public DoubleProperty sparsityPercentProperty() {
        return sparsityPercent;
    }

    /** The pruned model matching the last finished computation (the opened model at 0 %). */
    public ReadOnlyObjectProperty<Model> prunedProperty() {
        return pruned.getReadOnlyProperty();
    }

    public ReadOnlyDoubleProperty accuracyProperty() {
        return accuracy.getReadOnlyProperty();
    }

    /** Sparsity (0..1) of the last finished computation. */
    public ReadOnlyDoubleProperty computedSparsityProperty() {
        return computedSparsity.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty accuracyTextProperty() {
        return accuracyText.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty deltaTextProperty() {
        return deltaText.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty computingProperty() {
        return runner.runningProperty();
    }

    public ReadOnlyDoubleProperty progressProperty() {
        return runner.progressProperty();
    }

    public ReadOnlyBooleanProperty canUndoProperty() {
        return history.canUndoProperty();
    }

    public ReadOnlyBooleanProperty canRedoProperty() {
        return history.canRedoProperty();
    }

    /** Computations actually started (coalesced requests are not counted). */
    public int computationsStarted() {
        return runner.startedCount();
    }

    public void shutdown() {
        runner.shutdown();
    }
}
