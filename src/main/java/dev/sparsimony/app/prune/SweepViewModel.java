package dev.sparsimony.app.prune;

import dev.sparsimony.app.model.EngineGateway;
import dev.sparsimony.app.model.LatestOnlyRunner;
import dev.sparsimony.app.model.ModelSession;
import dev.sparsimony.engine.explore.DesignPoint;
import dev.sparsimony.engine.explore.EvaluationBackend;
import dev.sparsimony.engine.explore.PointResult;
import dev.sparsimony.engine.explore.PruneSpec;
import dev.sparsimony.engine.explore.SweepRunner;
import dev.sparsimony.engine.model.ModelException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javafx.application.Platform;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/**
 * Quality against sparsity for the current design settings: the curve engineers read the "knee" from. A small sweep
 * of the engine's exploration runner (the same evaluator and runner as {@code sparsimony explore}), started in the
 * background whenever the model, the data or a design setting changes (not when the slider moves); the curve grows
 * as each point finishes. A new sweep cancels the one before.
 */
public final class SweepViewModel {
    /** Sparsities of the sweep, in %. */
    public static final double[] SPARSITIES = {0, 10, 20, 30, 40, 50, 60, 70, 75, 80, 85, 90, 95};

    /**
     * The curve: sparsity % and quality % per point (NaN where a point is not computed yet or could not be);
     * {@code complete} once every point is in.
     */
    public record Curve(ModelSession session, double[] sparsity, double[] quality, boolean complete) {
    }

    private final EngineGateway engine;
    private final ReadOnlyObjectProperty<ModelSession> session;
    private final DesignSettings settings;
    private final LatestOnlyRunner<Curve> runner = new LatestOnlyRunner<>("sparsimony-sweep");
    private final ReadOnlyObjectWrapper<Curve> curve = new ReadOnlyObjectWrapper<>(this, "curve");
    private final ReadOnlyStringWrapper note = new ReadOnlyStringWrapper(this, "note", "");
    /** The sweep in flight (worker thread sets it; any thread may cancel it). */
    private volatile SweepRunner current;
    /** Incremented per sweep on the JavaFX thread: partial results of an older sweep are dropped. */
    private long generation;

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
        long gen = ++generation;
        curve.set(null);
        stopCurrent();
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
        List<DesignPoint> points = new ArrayList<>();
        try {
            for (double sp : SPARSITIES) {
                points.add(settings.isPlain() ? DesignPoint.of(PruneSpec.magnitude(sp / 100, true))
                        : settings.toDesignPoint(sp / 100));
            }
        } catch (ModelException e) {
            runner.cancel();
            note.set("");
            return;
        }
        note.set("computing…");
        double[] q = new double[SPARSITIES.length];
        Arrays.fill(q, Double.NaN);
        runner.submit(job -> {
            EvaluationBackend backend = engine.evaluationBackend(s.model(), s.data());
            SweepRunner sweep = new SweepRunner(backend, threads(), null, null);
            Map<String, Integer> index = new LinkedHashMap<>();
            for (int i = 0; i < points.size(); i++) {
                index.putIfAbsent(points.get(i).key(), i);
            }
            sweep.addListener(r -> {
                Integer i = index.get(r.key());
                if (i != null) {
                    double v = r.ok() ? 100 * r.accuracy() : Double.NaN;
                    Platform.runLater(() -> partial(gen, s, i, v, q));
                }
            });
            current = sweep;
            try {
                if (job.cancelled()) {
                    return null;
                }
                List<PointResult> rs = sweep.evaluate(points, null);
                double[] all = new double[SPARSITIES.length];
                Arrays.fill(all, Double.NaN);
                for (int i = 0; i < rs.size(); i++) {
                    PointResult r = rs.get(i);
                    all[i] = r != null && r.ok() ? 100 * r.accuracy() : Double.NaN; // a point the granularity cannot reach stays a gap
                }
                return sweep.cancelled() ? null : new Curve(s, SPARSITIES.clone(), all, true);
            } finally {
                current = null;
                sweep.close();
                backend.close();
            }
        }, c -> {
            if (c != null && c.session() == session.get() && gen == generation) {
                curve.set(c);
                note.set("");
            }
        }, e -> note.set(e instanceof ModelException ? e.getMessage() : "sweep failed: " + e));
    }

    /** A point of the running sweep arrived (JavaFX thread): the curve grows. */
    private void partial(long gen, ModelSession s, int i, double value, double[] q) {
        if (gen != generation || s != session.get()) {
            return;
        }
        q[i] = value;
        Curve c = curve.get();
        if (c == null || !c.complete()) {
            curve.set(new Curve(s, SPARSITIES.clone(), q.clone(), false));
        }
    }

    private void stopCurrent() {
        SweepRunner r = current;
        if (r != null) {
            r.cancel();
        }
    }

    /** One core is left to the slider's own evaluation and the window. */
    private static int threads() {
        return Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
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
        stopCurrent();
        runner.shutdown();
    }
}
