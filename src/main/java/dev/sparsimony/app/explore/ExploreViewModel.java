package dev.sparsimony.app.explore;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sparsimony.app.model.EngineGateway;
import dev.sparsimony.app.model.ModelSession;
import dev.sparsimony.engine.explore.DesignPoint;
import dev.sparsimony.engine.explore.DesignPointCodec;
import dev.sparsimony.engine.explore.EvaluationBackend;
import dev.sparsimony.engine.explore.Exploration;
import dev.sparsimony.engine.explore.LocalBackend;
import dev.sparsimony.engine.explore.PointResult;
import dev.sparsimony.engine.explore.PruneSpec;
import dev.sparsimony.engine.explore.SearchSpace;
import dev.sparsimony.engine.explore.Strategies;
import dev.sparsimony.engine.explore.SweepRunner;
import dev.sparsimony.engine.infer.Nd4jRuntime;
import dev.sparsimony.engine.model.ModelException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.application.Platform;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.util.Duration;

/**
 * The exploration of the window: a search space set up from the current design point (the base) and axes edited
 * in a table, a strategy and an evaluation budget; start, pause, resume and cancel; results that arrive in batches
 * (every 100 ms at most) for the plots; the selected point and up to two points to compare. The sweep is the
 * engine's {@link Exploration} on {@link SweepRunner} workers (the same classes as {@code sparsimony explore}).
 * JavaFX thread only, except the sweep itself.
 */
public final class ExploreViewModel {
    /** One axis as the user edits it: a field path and its values as text ("0, 0.25, 0.5", "0:0.9:0.1", "4, 8"). */
    public static final class AxisEntry {
        private final StringProperty field = new SimpleStringProperty(this, "field", "");
        private final StringProperty values = new SimpleStringProperty(this, "values", "");

        public AxisEntry(String field, String values) {
            this.field.set(field);
            this.values.set(values);
        }

        public StringProperty fieldProperty() {
            return field;
        }

        public StringProperty valuesProperty() {
            return values;
        }
    }

    private final EngineGateway engine;
    private final ReadOnlyObjectProperty<ModelSession> session;
    private final Supplier<DesignPoint> basePoint;
    private final Consumer<DesignPoint> applyPoint;
    private final Consumer<DesignPoint> exportPoint;
    private final ObservableList<AxisEntry> axes = FXCollections.observableArrayList();
    private final StringProperty strategy = new SimpleStringProperty(this, "strategy", "grid");
    private final IntegerProperty evaluations = new SimpleIntegerProperty(this, "evaluations", 200);
    private final IntegerProperty threads = new SimpleIntegerProperty(this, "threads",
            Runtime.getRuntime().availableProcessors());
    private final ObjectProperty<Path> outDir = new SimpleObjectProperty<>(this, "outDir");
    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(this, "running");
    private final ReadOnlyBooleanWrapper paused = new ReadOnlyBooleanWrapper(this, "paused");
    private final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(this, "progress", 0);
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper(this, "status", "");
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper(this, "error", "");
    private final ReadOnlyObjectWrapper<PointResult> reference = new ReadOnlyObjectWrapper<>(this, "reference");
    private final ReadOnlyObjectWrapper<PointResult> selected = new ReadOnlyObjectWrapper<>(this, "selected");
    private final ObservableList<PointResult> compared = FXCollections.observableArrayList();
    private final List<PointResult> results = new ArrayList<>();
    private final List<Consumer<List<PointResult>>> batchListeners = new ArrayList<>();
    private final List<Runnable> clearListeners = new ArrayList<>();
    private final ConcurrentLinkedQueue<PointResult> arrived = new ConcurrentLinkedQueue<>();
    /** When each result left its worker, for the latency from a finished point to the plots (benchmarks). */
    private final java.util.Map<PointResult, Long> arrivedAt = new java.util.concurrent.ConcurrentHashMap<>();
    private final List<Double> plotLatencyMs = new ArrayList<>();
    private final Timeline drain = new Timeline(new KeyFrame(Duration.millis(100), e -> drain()));
    private volatile Exploration exploration;
    private volatile SweepRunner runner;
    private long generation;

    /**
     * @param basePoint  the current design point of the model view (the space's base)
     * @param applyPoint shows a point in the model view
     * @param exportPoint exports a point to the hardware flow (asks for the folder)
     */
    public ExploreViewModel(EngineGateway engine, ReadOnlyObjectProperty<ModelSession> session,
                            Supplier<DesignPoint> basePoint, Consumer<DesignPoint> applyPoint,
                            Consumer<DesignPoint> exportPoint) {
        this.engine = engine;
        this.session = session;
        this.basePoint = basePoint;
        this.applyPoint = applyPoint;
        this.exportPoint = exportPoint;
        drain.setCycleCount(Timeline.INDEFINITE);
        axes.addAll(new AxisEntry("prune.sparsity", "0:0.9:0.1"), new AxisEntry("weights", "4, 6, 8, 12, 16"),
                new AxisEntry("hardware.reuseFactor", "1, 2, 4"));
        session.addListener((o, a, b) -> {
            cancel();
            clear();
        });
    }

    /** The fields an axis can vary on the opened model (the engine's list, as {@code explore --list-axes}). */
    public List<SearchSpace.Field> fields() {
        ModelSession s = session.get();
        List<String> devices = dev.sparsimony.engine.hardware.DeviceCatalogue.standard().names();
        return s == null ? SearchSpace.fields(List.of(), devices) : SearchSpace.fields(s.model(), devices);
    }

    public static List<String> strategies() {
        return Strategies.ids();
    }

    /**
     * The space of the current base point and axes, read by the engine (which refuses a misspelt field or an
     * out-of-range value by name).
     */
    public SearchSpace space() {
        DesignPoint base = basePoint.get();
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("name", "window");
        root.set("base", DesignPointCodec.toTree(base));
        ArrayNode ax = root.putArray("axes");
        for (AxisEntry a : axes) {
            String field = a.fieldProperty().get().trim();
            if (field.isEmpty()) {
                continue;
            }
            ax.add(axisJson(field, a.valuesProperty().get(), fields()));
        }
        root.putObject("constraints").put("fitsDevice", true);
        return SearchSpace.read(root, "of the window");
    }

    /** An axis row as the space format: numbers, true/false or words; "a:b:step" ranges; bit widths for quantizers. */
    static ObjectNode axisJson(String field, String text, List<SearchSpace.Field> known) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("field", field);
        String t = text == null ? "" : text.trim();
        boolean bits = known.stream().anyMatch(f -> f.path().equals(field) && f.bits());
        if (t.matches("[-+0-9.eE]+:[-+0-9.eE]+:[-+0-9.eE]+") && !bits) {
            String[] p = t.split(":");
            ObjectNode r = o.putObject("range");
            try {
                r.put("from", Double.parseDouble(p[0]));
                r.put("to", Double.parseDouble(p[1]));
                r.put("step", Double.parseDouble(p[2]));
            } catch (NumberFormatException e) {
                throw new ModelException("axis '" + field + "': range '" + t + "' is not from:to:step");
            }
            return o;
        }
        List<String> tokens = tokens(t);
        if (field.equals(SearchSpace.SHRINK_FIELD)) {
            // each value a set of blocks, written as the engine labels them
            ArrayNode v = o.putArray("values");
            for (String tok : tokens) {
                ArrayNode set = v.addArray();
                SearchSpace.nameSet(tok).forEach(set::add);
            }
            return o;
        }
        boolean hls = bits && tokens.stream().anyMatch(x -> x.contains("<"));
        ArrayNode v = o.putArray(bits && !hls ? "bits" : "values");
        for (String tok : tokens) {
            if (hls) {
                ObjectNode q = v.addObject();
                q.put("type", "fixed");
                q.put("hls", tok.matches("\\d+") ? "ap_fixed<" + tok + ",1>" : tok);
            } else if (bits) {
                try {
                    v.add(Integer.parseInt(tok.replaceAll("(?i)\\s*bits?$", "")));
                } catch (NumberFormatException e) {
                    throw new ModelException("axis '" + field + "': '" + tok + "' is not a bit width");
                }
            } else if (tok.equals("true") || tok.equals("false")) {
                v.add(Boolean.parseBoolean(tok));
            } else {
                try {
                    double d = Double.parseDouble(tok);
                    if (d == Math.rint(d) && !tok.contains(".") && Math.abs(d) < 1e15) {
                        v.add((long) d);
                    } else {
                        v.add(d);
                    }
                } catch (NumberFormatException e) {
                    v.add(tok);
                }
            }
        }
        return o;
    }

    /** Values separated by commas, semicolons or spaces, except inside &lt;...&gt; (hls types). */
    static List<String> tokens(String t) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        int depth = 0;
        for (char c : t.toCharArray()) {
            if (c == '<') {
                depth++;
            } else if (c == '>') {
                depth = Math.max(0, depth - 1);
            }
            if (depth == 0 && (c == ',' || c == ';' || Character.isWhitespace(c))) {
                if (cur.length() > 0) {
                    out.add(cur.toString());
                    cur.setLength(0);
                }
            } else if (!(depth > 0 && Character.isWhitespace(c))) {
                cur.append(c);
            }
        }
        if (cur.length() > 0) {
            out.add(cur.toString());
        }
        return out;
    }

    /** Starts a sweep of the current space (any running one is cancelled); a bad space is an inline error. */
    public void start() {
        SearchSpace space;
        try {
            space = space();
        } catch (ModelException e) {
            error.set(e.getMessage());
            return;
        }
        run(space);
    }

    /**
     * Starts the sweep of a space read from a file: its axes are shown in the table (base and constraints as the
     * file says), and results go to {@code out} when given. Strategy and budget override the current ones.
     */
    public void startSpace(SearchSpace space, Path out, String strat, Integer budget) {
        axes.clear();
        for (SearchSpace.Axis a : space.axes()) {
            List<String> labels = new ArrayList<>();
            for (int i = 0; i < a.values().size(); i++) {
                labels.add(String.valueOf(a.label(i)));
            }
            axes.add(new AxisEntry(a.field(), String.join(", ", labels)));
        }
        if (out != null) {
            outDir.set(out);
        }
        if (strat != null) {
            strategy.set(strat);
        }
        if (budget != null) {
            evaluations.set(budget);
        }
        run(space);
    }

    private void run(SearchSpace space) {
        ModelSession s = session.get();
        if (s == null || !s.hasData()) {
            error.set("a sweep needs a model with validation data");
            return;
        }
        try {
            Strategies.create(strategy.get());
        } catch (ModelException e) {
            error.set(e.getMessage());
            return;
        }
        if (threads.get() < 1) {
            error.set("threads must be at least 1");
            return;
        }
        cancel();
        clear();
        error.set("");
        long gen = ++generation;
        String strat = strategy.get();
        Integer budget = evaluations.get();
        int n = threads.get();
        Path out = outDir.get();
        running.set(true);
        paused.set(false);
        status.set("starting…");
        drain.play();
        Thread t = new Thread(() -> runSweep(gen, s, space, strat, budget, n, out), "sparsimony-explore");
        t.setDaemon(true);
        t.start();
    }

    private void runSweep(long gen, ModelSession s, SearchSpace space, String strat, Integer budget, int n,
                          Path out) {
        Nd4jRuntime.useSingleThread();
        String message;
        try (EvaluationBackend backend = engine.evaluationBackend(s.model(), s.data(), s.source(), s.dataSource(),
                n)) {
            // the unpruned design of the same settings: the reference marker of the plots
            PointResult ref = backend.evaluate(space.base().withPrune(PruneSpec.none())
                    .withLayers(java.util.Map.of()));
            Platform.runLater(() -> {
                if (gen == generation) {
                    reference.set(ref.ok() ? ref : null);
                }
            });
            if (!(backend instanceof LocalBackend local)) {
                throw new ModelException("the window sweeps on this computer only");
            }
            Exploration ex = new Exploration(local, space, new Exploration.Options(strat,
                    "grid".equals(strat) || "budget-walk".equals(strat) ? null : budget, n, 1, false), out);
            exploration = ex;
            runner = ex.runner();
            ex.runner().addListener(raw -> {
                // feasible as the space's constraints say (minimum accuracy, fits the device or not)
                PointResult r = ex.mark(raw);
                arrivedAt.put(r, System.nanoTime());
                arrived.add(r);
            });
            Exploration.Summary sum;
            try {
                sum = ex.run();
            } finally {
                ex.close();
            }
            message = String.format(Locale.ROOT, "%s: %,d points (%,d evaluated, %,d from cache, %,d failed) in %.1f s,"
                            + " front %d, hypervolume %.3f%s", sum.cancelled() ? "cancelled" : "done", sum.points(),
                    sum.evaluations(), sum.cacheHits(), sum.failures(), sum.wallSeconds(), sum.front(),
                    sum.hypervolume(), out == null ? "" : "; saved in " + out);
        } catch (ModelException e) {
            message = null;
            String m = e.getMessage();
            Platform.runLater(() -> {
                if (gen == generation) {
                    error.set(m);
                }
            });
        } catch (RuntimeException e) {
            message = null;
            String m = "sweep failed: " + e;
            Platform.runLater(() -> {
                if (gen == generation) {
                    error.set(m);
                }
            });
        }
        String done = message;
        Platform.runLater(() -> {
            if (gen != generation) {
                return;
            }
            drain();
            drain.stop();
            running.set(false);
            paused.set(false);
            exploration = null;
            runner = null;
            if (done != null) {
                status.set(done);
                progress.set(1);
            }
        });
    }

    /** Hands the results that arrived since the last pulse to the plots, as one batch. */
    private void drain() {
        List<PointResult> batch = new ArrayList<>();
        for (PointResult r; (r = arrived.poll()) != null; ) {
            batch.add(r);
        }
        SweepRunner rn = runner;
        if (rn != null) {
            SweepRunner.Progress p = rn.progress(System.nanoTime());
            progress.set(p.planned() == 0 ? -1 : (double) p.done() / p.planned());
            status.set(String.format(Locale.ROOT, "%,d / %,d points · %.0f points/s · ETA %s · %,d failed%s",
                    p.done(), p.planned(), p.pointsPerSecond(), Double.isNaN(p.etaSeconds()) ? "–"
                            : String.format(Locale.ROOT, "%.0f s", p.etaSeconds()), p.failures(),
                    paused.get() ? " · paused" : ""));
        }
        if (batch.isEmpty()) {
            return;
        }
        results.addAll(batch);
        for (Consumer<List<PointResult>> l : batchListeners) {
            l.accept(batch);
        }
        long now = System.nanoTime();
        for (PointResult r : batch) {
            Long t = arrivedAt.remove(r);
            if (t != null && plotLatencyMs.size() < 1_000_000) {
                plotLatencyMs.add((now - t) / 1e6);
            }
        }
    }

    /** Milliseconds from each finished point to the end of the batch that put it on the plots (benchmarks). */
    public List<Double> plotLatencies() {
        return List.copyOf(plotLatencyMs);
    }

    public void pause() {
        Exploration ex = exploration;
        if (ex != null && running.get()) {
            ex.pause();
            paused.set(true);
        }
    }

    public void resume() {
        Exploration ex = exploration;
        if (ex != null) {
            ex.resume();
            paused.set(false);
        }
    }

    /** Stops the sweep; results already shown stay. */
    public void cancel() {
        Exploration ex = exploration;
        if (ex != null) {
            ex.cancel();
        }
    }

    private void clear() {
        arrived.clear();
        arrivedAt.clear();
        plotLatencyMs.clear();
        results.clear();
        selected.set(null);
        compared.clear();
        reference.set(null);
        progress.set(0);
        status.set("");
        clearListeners.forEach(Runnable::run);
    }

    /**
     * Puts back a saved session's Explore tab: its set-up, its results (on the plots at once) and its selected and
     * compared results.
     */
    public void restore(dev.sparsimony.engine.explore.Session.SpaceSetup setup, List<PointResult> saved,
                        java.util.Map<String, String> view) {
        cancel();
        clear();
        if (setup != null) {
            axes.setAll(setup.axes().stream().map(a -> new AxisEntry(a.field(), a.values())).toList());
            if (setup.strategy() != null) {
                strategy.set(setup.strategy());
            }
            if (setup.evaluations() != null) {
                evaluations.set(setup.evaluations());
            }
            if (setup.threads() != null) {
                threads.set(setup.threads());
            }
            outDir.set(setup.outDir() == null ? null : Path.of(setup.outDir()));
        }
        if (!saved.isEmpty()) {
            List<PointResult> batch = new ArrayList<>(saved);
            results.addAll(batch);
            for (Consumer<List<PointResult>> l : batchListeners) {
                l.accept(batch);
            }
            status.set(String.format(Locale.ROOT, "%,d results of a saved session", saved.size()));
        }
        String sel = view.get("selected");
        String cmp = view.get("compared");
        for (PointResult r : saved) {
            if (String.valueOf(r.id()).equals(sel)) {
                selected.set(r);
            }
        }
        if (cmp != null && !cmp.isBlank()) {
            for (String id : cmp.split(",")) {
                saved.stream().filter(r -> String.valueOf(r.id()).equals(id.trim())).findFirst()
                        .ifPresent(this::compare);
            }
        }
    }

    /** Selects a point (hover and click on a plot); null clears. */
    public void select(PointResult r) {
        selected.set(r);
    }

    /** Adds a point to the comparison (the two most recent stay). */
    public void compare(PointResult r) {
        if (r == null || compared.contains(r)) {
            return;
        }
        if (compared.size() == 2) {
            compared.remove(0);
        }
        compared.add(r);
    }

    /** Shows a result's point in the model view (heat maps, masks, layer table, hardware panel). */
    public void apply(PointResult r) {
        if (r != null && r.point() != null) {
            applyPoint.accept(r.point());
        }
    }

    /** Exports a result's point (hls4ml configuration, ONNX, project, report) into a folder the user chooses. */
    public void export(PointResult r) {
        if (r != null && r.point() != null) {
            exportPoint.accept(r.point());
        }
    }

    /** Receives each batch of new results on the JavaFX thread. */
    public void onBatch(Consumer<List<PointResult>> l) {
        batchListeners.add(l);
    }

    /** Called when the results are cleared (a new sweep, another model). */
    public void onClear(Runnable r) {
        clearListeners.add(r);
    }

    /** Every result so far, in arrival order (JavaFX thread). */
    public List<PointResult> results() {
        return results;
    }

    public ObservableList<AxisEntry> axes() {
        return axes;
    }

    public StringProperty strategyProperty() {
        return strategy;
    }

    public IntegerProperty evaluationsProperty() {
        return evaluations;
    }

    public IntegerProperty threadsProperty() {
        return threads;
    }

    public ObjectProperty<Path> outDirProperty() {
        return outDir;
    }

    public ReadOnlyBooleanProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty pausedProperty() {
        return paused.getReadOnlyProperty();
    }

    /** Fraction done, -1 while unknown. */
    public ReadOnlyDoubleProperty progressProperty() {
        return progress.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<PointResult> referenceProperty() {
        return reference.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<PointResult> selectedProperty() {
        return selected.getReadOnlyProperty();
    }

    public ObservableList<PointResult> compared() {
        return compared;
    }

    public void shutdown() {
        cancel();
        drain.stop();
    }
}
