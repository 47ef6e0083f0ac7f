package dev.sparsimony.app.prune;

import dev.sparsimony.app.model.EngineGateway;
import dev.sparsimony.app.model.LatestOnlyRunner;
import dev.sparsimony.app.model.ModelSession;
import dev.sparsimony.engine.explore.DesignPoint;
import dev.sparsimony.engine.explore.DesignPointEvaluator;
import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.model.ModelException;
import java.util.Arrays;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/**
 * Quality against sparsity for the current design settings: the curve engineers read the "knee" from. Recomputed in
 * the background (own worker and own evaluator, so it never delays the slider) whenever the model, the data or a
 * design setting changes; not when the slider moves.
 */
public final class SweepViewModel {
    /** Sparsities of the sweep, in %. */
    public static final double[] SPARSITIES = {0, 10, 20, 30, 40, 50, 60, 70, 75, 80, 85, 90, 95};

    /** The curve: sparsity % and quality % per point (NaN where a point could not be computed). */
    public record Curve(ModelSession session, double[] sparsity, double[] quality) {
    }

    private final EngineGateway engine;
    private final ReadOnlyObjectProperty<ModelSession> session;
    private final DesignSettings settings;
    private final LatestOnlyRunner<Curve> runner = new LatestOnlyRunner<>("sparsimony-sweep");
    private final ReadOnlyObjectWrapper<Curve> curve = new ReadOnlyObjectWrapper<>(this, "curve");
    private final ReadOnlyStringWrapper note = new ReadOnlyStringWrapper(this, "note", "");
    // worker thread only
    private DesignPointEvaluator evaluator;
    private ModelSession evaluatorSession;

    public SweepViewModel(EngineGateway engine, ReadOnlyObjectProperty<ModelSession> session,
                          DesignSettings settings) {
        this.engine = engine;
        this.session = session;
        this.settings = settings;
        session.addListener((o, a, b) -> recompute());
        for (javafx.beans.Observable ob : settings.all()) {
            ob.addListener(x -> recompute());
        }
    }

    public void recompute() {
        ModelSession s = session.get();
        curve.set(null);
        if (s == null || !s.hasData()) {
            runner.cancel();
            note.set(s == null ? "" : "needs validation data");
            return;
        }
        if (settings.isKnapsack()) {
            runner.cancel();
            note.set("not for knapsack selection (the budget sets the sparsity)");
            return;
        }
        boolean plain = settings.isPlain();
        DesignPoint[] points = new DesignPoint[SPARSITIES.length];
        if (!plain) {
            try {
                for (int i = 0; i < points.length; i++) {
                    points[i] = settings.toDesignPoint(SPARSITIES[i] / 100);
                }
            } catch (ModelException e) {
                runner.cancel();
                note.set("");
                return;
            }
        }
        note.set("computing…");
        runner.submit(job -> {
            double[] q = new double[SPARSITIES.length];
            Arrays.fill(q, Double.NaN);
            for (int i = 0; i < SPARSITIES.length && !job.cancelled(); i++) {
                try {
                    q[i] = 100 * (plain ? plainQuality(s, SPARSITIES[i] / 100) : designQuality(s, points[i]));
                } catch (ModelException e) {
                    // a point the granularity cannot reach stays NaN (a gap in the curve)
                }
            }
            return new Curve(s, SPARSITIES.clone(), q);
        }, c -> {
            if (c.session() == session.get()) {
                curve.set(c);
                note.set("");
            }
        }, e -> note.set(e instanceof ModelException ? e.getMessage() : "sweep failed: " + e));
    }

    private double plainQuality(ModelSession s, double sparsity) {
        if (sparsity <= 0) {
            return s.baseline().value();
        }
        Model p = engine.pruneGlobalMagnitude(s.model(), sparsity);
        return engine.evaluate(p, s.model(), s.data()).value();
    }

    private double designQuality(ModelSession s, DesignPoint point) {
        if (evaluatorSession != s) {
            if (evaluator != null) {
                evaluator.close();
            }
            evaluator = engine.designEvaluator(s.model(), s.data()).computeStorage(false);
            evaluatorSession = s;
        }
        return evaluator.evaluate(point).quality().value();
    }

    public ReadOnlyObjectProperty<Curve> curveProperty() {
        return curve.getReadOnlyProperty();
    }

    /** Why there is no curve, or "computing…", or "". */
    public ReadOnlyStringProperty noteProperty() {
        return note.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty runningProperty() {
        return runner.runningProperty();
    }

    public void shutdown() {
        runner.shutdown();
    }
}
