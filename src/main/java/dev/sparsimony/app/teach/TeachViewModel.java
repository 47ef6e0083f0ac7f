package dev.sparsimony.app.teach;

import dev.sparsimony.app.model.EngineGateway;
import dev.sparsimony.app.model.LatestOnlyRunner;
import dev.sparsimony.app.model.ModelSession;
import dev.sparsimony.engine.explore.DesignPoint;
import dev.sparsimony.engine.explore.HardwareSpec;
import dev.sparsimony.engine.explore.Teaching;
import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.model.Node;
import java.util.List;
import java.util.function.Supplier;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.ObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The teaching view's state: a layer, a sparsity and a reuse factor; the engine's comparison of every granularity
 * on that layer ({@link Teaching#compare}), recomputed in the background whenever one of them changes. The base
 * point (quantizers, strategy, device) is the model view's. JavaFX thread only, except the engine work.
 */
public final class TeachViewModel {
    private final ReadOnlyObjectProperty<ModelSession> session;
    private final Supplier<DesignPoint> base;
    private final ObservableList<String> layers = FXCollections.observableArrayList();
    private final ObjectProperty<String> layer = new SimpleObjectProperty<>(this, "layer");
    private final DoubleProperty sparsityPercent = new SimpleDoubleProperty(this, "sparsityPercent", 50);
    private final IntegerProperty reuseFactor = new SimpleIntegerProperty(this, "reuseFactor", 4);
    private final ReadOnlyObjectWrapper<Teaching.Comparison> comparison = new ReadOnlyObjectWrapper<>(this, "comparison");
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper(this, "error", "");
    private final LatestOnlyRunner<Teaching.Comparison> runner = new LatestOnlyRunner<>("sparsimony-teach");
    // worker thread only: the evaluator of the opened model, with the hardware estimate the cards show
    private final dev.sparsimony.app.model.SessionEvaluator evaluator;

    public TeachViewModel(EngineGateway engine, ReadOnlyObjectProperty<ModelSession> session,
                          Supplier<DesignPoint> base) {
        this.session = session;
        this.base = base;
        this.evaluator = new dev.sparsimony.app.model.SessionEvaluator(
                ms -> engine.designEvaluator(ms.model(), ms.data()).computeStorage(false).computeHardware(true));
        session.addListener((o, a, s) -> {
            layers.setAll(s == null ? List.of() : s.model().prunableNodes().stream().map(Node::name).toList());
            layer.set(layers.isEmpty() ? null : layers.get(0));
        });
        layer.addListener(x -> recompute());
        sparsityPercent.addListener(x -> recompute());
        reuseFactor.addListener(x -> recompute());
    }

    private boolean active;

    /** Only a shown view computes (ten evaluations per change); showing it computes what changed meanwhile. */
    public void setActive(boolean on) {
        active = on;
        if (on) {
            recompute();
        }
    }

    /** Recomputes the comparison (when shown; the window also calls it after model-view changes). */
    public void recompute() {
        if (!active) {
            return;
        }
        ModelSession s = session.get();
        String l = layer.get();
        if (s == null || l == null || !s.hasData()) {
            runner.cancel();
            comparison.set(null);
            error.set(s == null ? "" : !s.hasData() ? "the teaching view measures accuracy on validation data" : "");
            return;
        }
        DesignPoint b;
        try {
            b = base.get();
        } catch (ModelException e) {
            b = DesignPoint.of(dev.sparsimony.engine.explore.PruneSpec.none());
        }
        HardwareSpec hw = b.hardware().withReuseFactor(reuseFactor.get()).withStrategy("resource");
        DesignPoint point = b.withHardware(hw);
        double sp = sparsityPercent.get() / 100;
        runner.submit(job -> {
            return Teaching.compare(evaluator.of(s), point, l, sp);
        }, c -> {
            error.set("");
            comparison.set(c);
        }, e -> error.set(e instanceof ModelException ? e.getMessage() : "teaching view failed: " + e));
    }

    public ObservableList<String> layers() {
        return layers;
    }

    public ObjectProperty<String> layerProperty() {
        return layer;
    }

    public DoubleProperty sparsityPercentProperty() {
        return sparsityPercent;
    }

    public IntegerProperty reuseFactorProperty() {
        return reuseFactor;
    }

    public ReadOnlyObjectProperty<Teaching.Comparison> comparisonProperty() {
        return comparison.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    public ModelSession session() {
        return session.get();
    }

    public void shutdown() {
        runner.shutdown();
    }
}
