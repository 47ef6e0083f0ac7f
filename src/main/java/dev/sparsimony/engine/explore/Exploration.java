package dev.sparsimony.engine.explore;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sparsimony.engine.io.AtomicFiles;
import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.model.Node;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One sweep: a strategy over a search space, evaluated by a {@link SweepRunner}, with its result files in an output
 * folder (points.jsonl as results arrive; points.csv, front.csv, front/ID.json and summary.json at the end). The
 * CLI's {@code explore} and the window's exploration both run this class.
 */
public final class Exploration {
    /** What to run. {@code evaluations} null: the strategy's default. */
    public record Options(String strategy, Integer evaluations, int threads, long seed, boolean resume) {
    }

    /** summary.json. */
    public record Summary(long points, long evaluations, long cacheHits, long failures, double wallSeconds,
                          double evaluationsPerSecond, int threads, double hypervolume, long front,
                          boolean cancelled) {
    }

    private final LocalBackend backend;
    private final SearchSpace space;
    private final Options options;
    private final Path out;
    private final SweepRunner runner;
    private final PointStore store;

    /**
     * Prepares a sweep; with {@code resume}, the results already in {@code out/points.jsonl} are read (they must be
     * of the same model and data) and their points are not evaluated again.
     */
    public Exploration(LocalBackend backend, SearchSpace space, Options options, Path out) {
        this.backend = backend;
        this.space = space;
        this.options = options;
        this.out = out;
        Strategies.create(options.strategy()); // unknown strategy: refused before anything is written
        if (options.evaluations() != null && options.evaluations() < 1) {
            throw new ModelException("--evaluations must be positive, got " + options.evaluations());
        }
        List<PointResult> earlier = List.of();
        if (out != null) {
            Path jsonl = out.resolve(PointStore.FILE);
            if (Files.exists(out) && !Files.isDirectory(out)) {
                throw new ModelException("output " + out + " is a file, not a folder");
            }
            if (options.resume()) {
                PointStore.repairTail(out);
                earlier = PointStore.read(out);
                checkSameInputs(earlier, jsonl);
            } else if (Files.exists(jsonl)) {
                throw new ModelException(out + " already holds a sweep (points.jsonl); continue it with --resume or"
                        + " choose another folder");
            }
            store = PointStore.append(out);
        } else {
            store = null;
        }
        this.runner = new SweepRunner(backend, options.threads(), store, earlier);
    }

    public SweepRunner runner() {
        return runner;
    }

    private void checkSameInputs(List<PointResult> earlier, Path jsonl) {
        Provenance now = backend.provenance();
        for (PointResult r : earlier) {
            Provenance p = r.provenance();
            if (p == null) {
                throw new ModelException(jsonl + " line " + (r.id() + 1) + " has no provenance; it cannot be resumed");
            }
            if (!p.modelSha256().equals(now.modelSha256())) {
                throw new ModelException(jsonl + " was made with another model (" + p.model() + ", SHA-256 "
                        + abbreviate(p.modelSha256()) + "); resume it with that model or choose another folder");
            }
            if (!p.dataSha256().equals(now.dataSha256())) {
                throw new ModelException(jsonl + " was made with other data (" + p.data() + "); resume it with that"
                        + " data or choose another folder");
            }
        }
    }

    private static String abbreviate(String sha) {
        return sha.length() > 12 ? sha.substring(0, 12) + "..." : sha;
    }

    /** Runs the strategy to its end (or until cancelled), then writes the result files and returns the summary. */
    public Summary run() {
        long t0 = System.nanoTime();
        long before = runner.results().size();
        SearchStrategy strategy = Strategies.create(options.strategy());
        List<String> layers = backend.model().prunableNodes().stream().map(Node::name).toList();
        SearchStrategy.Context ctx = new SearchStrategy.Context() {
            @Override
            public SearchSpace space() {
                return space;
            }

            @Override
            public long seed() {
                return options.seed();
            }

            @Override
            public Integer evaluations() {
                return options.evaluations();
            }

            @Override
            public List<String> prunableLayers() {
                return layers;
            }

            @Override
            public void plan(long points) {
                runner.plan(points);
            }

            @Override
            public List<PointResult> evaluate(List<SearchStrategy.Candidate> batch) {
                List<DesignPoint> pts = new ArrayList<>();
                List<Map<String, Object>> ch = new ArrayList<>();
                for (SearchStrategy.Candidate c : batch) {
                    pts.add(c.point().withSeed(c.point().seed() == 0 ? options.seed() : c.point().seed()));
                    ch.add(c.choices());
                }
                List<PointResult> rs = runner.evaluate(pts, ch);
                List<PointResult> marked = new ArrayList<>();
                for (PointResult r : rs) {
                    marked.add(r == null ? null : mark(r));
                }
                return marked;
            }

            @Override
            public boolean feasible(PointResult r) {
                return Exploration.this.feasible(r);
            }

            @Override
            public boolean cancelled() {
                return runner.cancelled();
            }
        };
        try {
            strategy.run(ctx);
        } finally {
            double wall = (System.nanoTime() - t0) / 1e9;
            summary = writeResults(wall, runner.results().size() - before);
        }
        return summary;
    }

    private volatile Summary summary;

    /** Whether a result meets the space's constraints. */
    public boolean feasible(PointResult r) {
        if (r == null || !r.ok()) {
            return false;
        }
        SearchSpace.Constraints c = space.constraints();
        if (c.fitsDevice() && !r.fitProblems().isEmpty()) {
            return false;
        }
        return c.minAccuracy() == null || r.accuracy() >= c.minAccuracy();
    }

    /**
     * The result with its feasibility under this space's constraints (the runner's own results know only whether
     * the design fits the device): what the result files and the strategies see, and what a live view must show.
     */
    public PointResult mark(PointResult r) {
        return r.ok() ? r.withFeasible(feasible(r), r.fitProblems()) : r;
    }

    public void pause() {
        runner.pause();
    }

    public void resume() {
        runner.resume();
    }

    /** Stops the sweep (see {@link SweepRunner#cancel()}); {@link #run()} then returns with what was finished. */
    public void cancel() {
        runner.cancel();
    }

    // ------------------------------------------------------------------ result files

    /** The front of two objectives among feasible results, in order of the second (ties by id). */
    public static List<PointResult> front(List<PointResult> results, boolean[] feasible, String x, String y) {
        List<PointResult> ok = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            if (feasible[i]) {
                ok.add(results.get(i));
            }
        }
        double[][] v = new double[ok.size()][];
        for (int i = 0; i < v.length; i++) {
            v[i] = new double[] {ok.get(i).objective(x), ok.get(i).objective(y)};
        }
        List<PointResult> f = new ArrayList<>();
        for (int i : Pareto.front(v, new boolean[] {PointResult.maximised(x), PointResult.maximised(y)})) {
            f.add(ok.get(i));
        }
        f.sort((a, b) -> {
            int c = Double.compare(a.objective(y), b.objective(y));
            return c != 0 ? c : Long.compare(a.id(), b.id());
        });
        return f;
    }

    /**
     * Hypervolume of the accuracy-DSP front: accuracy from 0 to 1 against DSP from 0 to the largest device
     * capacity among the results, a unit square (1 = perfect accuracy at no DSP).
     */
    public static double hypervolume(List<PointResult> front, double dspCapacity) {
        if (front.isEmpty() || !(dspCapacity > 0)) {
            return 0;
        }
        double[][] v = new double[front.size()][];
        for (int i = 0; i < v.length; i++) {
            v[i] = new double[] {front.get(i).accuracy(), front.get(i).dsp()};
        }
        return Pareto.hypervolume(v, new boolean[] {true, false}, new double[] {0, dspCapacity},
                new double[] {1, dspCapacity});
    }

    private Summary writeResults(double wall, long delivered) {
        List<PointResult> all = runner.results();
        boolean[] feasible = new boolean[all.size()];
        for (int i = 0; i < all.size(); i++) {
            feasible[i] = feasible(all.get(i));
        }
        List<PointResult> front = front(all, feasible, "accuracy", "dsp");
        double capacity = 0;
        for (PointResult r : all) {
            if (r.ok()) {
                try {
                    capacity = Math.max(capacity, PointHardware.device(r.point(),
                            dev.sparsimony.engine.hardware.DeviceCatalogue.standard()).dsp());
                } catch (ModelException e) {
                    // a device only the sweep's catalogue knew: its capacity stays out of the reference
                }
            }
        }
        if (!space.constraints().fitsDevice()) {
            // designs may exceed the device: the reference is the largest DSP of the sweep, so that every front
            // point counts (against the capacity, a front beyond the device would have no volume at all)
            for (PointResult r : all) {
                if (r.ok()) {
                    capacity = Math.max(capacity, r.dsp());
                }
            }
        }
        double hv = hypervolume(front, capacity);
        long evals = runner.evaluations();
        Summary s = new Summary(all.size(), evals, runner.cacheHits(), runner.failures(), wall,
                wall > 0 ? evals / wall : 0, runner.threads(), hv, front.size(), runner.cancelled());
        if (store != null) {
            store.close();
        }
        if (out != null) {
            List<String> axes = space.axes().stream().map(SearchSpace.Axis::name).toList();
            AtomicFiles.write(out.resolve("points.csv"), csv(all, feasible, axes));
            AtomicFiles.write(out.resolve("front.csv"), csv(front, fill(front.size()), axes));
            for (PointResult r : front) {
                DesignPointCodec.write(out.resolve("front").resolve(r.id() + ".json"),
                        r.point().withName("front-" + r.id()));
            }
            ObjectNode sj = DesignPointCodec.JSON.createObjectNode();
            sj.put("points", s.points());
            sj.put("evaluations", s.evaluations());
            sj.put("cache_hits", s.cacheHits());
            sj.put("failures", s.failures());
            sj.put("wall_seconds", s.wallSeconds());
            sj.put("evaluations_per_second", s.evaluationsPerSecond());
            sj.put("threads", s.threads());
            sj.put("hypervolume", s.hypervolume());
            sj.put("front", s.front());
            sj.put("strategy", options.strategy());
            sj.put("seed", options.seed());
            sj.put("cancelled", s.cancelled());
            sj.put("model_sha256", backend.provenance().modelSha256());
            sj.put("data_sha256", backend.provenance().dataSha256());
            sj.put("engine", backend.provenance().engine());
            try {
                AtomicFiles.write(out.resolve("summary.json"),
                        DesignPointCodec.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(sj) + "\n");
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        return s;
    }

    private static boolean[] fill(int n) {
        boolean[] b = new boolean[n];
        java.util.Arrays.fill(b, true);
        return b;
    }

    static final List<String> COLUMNS = List.of("id", "key", "status", "error", "feasible", "accuracy", "dsp",
            "bram18", "lut", "ff", "latency_cycles", "ii_cycles", "storage_bytes");

    /** points.csv: the fixed columns, then one column per choice: the space's axes in order, then any other. */
    static String csv(List<PointResult> rows, boolean[] feasible, List<String> axes) {
        Set<String> choiceCols = new LinkedHashSet<>(axes);
        for (PointResult r : rows) {
            choiceCols.addAll(r.choices().keySet());
        }
        StringBuilder sb = new StringBuilder();
        List<String> head = new ArrayList<>(COLUMNS);
        head.addAll(choiceCols);
        line(sb, head);
        for (int i = 0; i < rows.size(); i++) {
            PointResult r = rows.get(i);
            List<String> c = new ArrayList<>();
            c.add(String.valueOf(r.id()));
            c.add(r.key());
            c.add(r.status());
            c.add(r.error() == null ? "" : r.error());
            c.add(String.valueOf(r.ok() && feasible[i]));
            c.add(r.ok() ? num(r.accuracy()) : "");
            c.add(r.ok() ? String.valueOf(r.dsp()) : "");
            c.add(r.ok() ? String.valueOf(r.bram18()) : "");
            c.add(r.ok() ? String.valueOf(r.lut()) : "");
            c.add(r.ok() ? String.valueOf(r.ff()) : "");
            c.add(r.ok() ? String.valueOf(r.latencyCycles()) : "");
            c.add(r.ok() ? String.valueOf(r.iiCycles()) : "");
            c.add(r.ok() ? String.valueOf(r.storageBytes()) : "");
            for (String k : choiceCols) {
                Object v = r.choices().get(k);
                c.add(v == null ? "" : v instanceof Double d ? num(d) : String.valueOf(v));
            }
            line(sb, c);
        }
        return sb.toString();
    }

    private static String num(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf((long) d)
                : String.format(Locale.ROOT, "%.6g", d).replaceAll("(\\.\\d*?)0+$", "$1").replaceAll("\\.$", "");
    }

    /** One RFC 4180 line: fields with commas, quotes or line breaks are quoted. */
    private static void line(StringBuilder sb, List<String> cells) {
        for (int i = 0; i < cells.size(); i++) {
            String v = cells.get(i);
            if (i > 0) {
                sb.append(',');
            }
            if (v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r")) {
                sb.append('"').append(v.replace("\"", "\"\"")).append('"');
            } else {
                sb.append(v);
            }
        }
        sb.append('\n');
    }

    /** Releases the workers (the backend stays open: its owner closes it). */
    public void close() {
        runner.close();
        if (store != null) {
            store.close();
        }
    }
}
