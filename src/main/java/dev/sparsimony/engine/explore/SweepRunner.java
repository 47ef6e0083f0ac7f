package dev.sparsimony.engine.explore;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Evaluates batches of design points on N worker threads through an {@link EvaluationBackend} and streams each
 * result to the listeners as it finishes. A point already known by its key (earlier in the sweep, or in the
 * points.jsonl of a resumed sweep) costs nothing. Pause holds workers before their next point; cancel stops
 * running evaluations within a tile and, once {@link #cancel()} returns, no listener or store sees a new result.
 *
 * <p>Threads: {@link #evaluate} is called by one strategy thread at a time; listeners are called on worker
 * threads, one result at a time (under the runner's delivery lock), in the order the results finish. Result ids
 * follow the order in which the strategy proposed the points, so the same sweep gives the same ids on any number of
 * threads.
 */
public final class SweepRunner implements AutoCloseable {
    /** Receives results and progress; called on worker threads, one call at a time. */
    public interface Listener {
        void result(PointResult r);

        default void progress(Progress p) {
        }
    }

    /**
     * Counts so far: results delivered, planned (points the strategy announced), evaluations (computed), cache hits
     * (known keys or accuracy reused), failures; rate and time left.
     */
    public record Progress(long done, long planned, long evaluations, long cacheHits, long failures,
                           double wallSeconds, double pointsPerSecond, double etaSeconds) {
    }

    private final EvaluationBackend backend;
    private final int threads;
    private final ExecutorService pool;
    private final PointStore store;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, PointResult> known = new ConcurrentHashMap<>();
    private final Object delivery = new Object();
    private final Object gate = new Object();
    private final AtomicLong nextId = new AtomicLong();
    private final AtomicLong evaluations = new AtomicLong();
    private final AtomicLong cacheHits = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong planned = new AtomicLong();
    private final AtomicLong done = new AtomicLong();
    private final List<PointResult> results = new ArrayList<>();
    private final long started = System.nanoTime();
    private volatile boolean paused;
    private volatile boolean cancelled;

    /**
     * @param store   where results are appended (null: nowhere)
     * @param earlier results of an earlier run of the same sweep (resume): their keys are not evaluated again
     */
    public SweepRunner(EvaluationBackend backend, int threads, PointStore store, List<PointResult> earlier) {
        this.backend = backend;
        this.threads = Math.max(1, threads);
        this.store = store;
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(this.threads, r -> {
            Thread t = new Thread(r, "sparsimony-sweep-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        if (earlier != null) {
            for (PointResult r : earlier) {
                known.put(r.key(), r);
                results.add(r);
                nextId.set(Math.max(nextId.get(), r.id() + 1));
            }
        }
    }

    public void addListener(Listener l) {
        listeners.add(l);
    }

    public int threads() {
        return threads;
    }

    public EvaluationBackend backend() {
        return backend;
    }

    /** Announces more points to come (for progress and time left). */
    public void plan(long points) {
        planned.addAndGet(points);
    }

    /**
     * Evaluates points (in parallel) and returns their results in the given order; {@code choices.get(i)} are the
     * axis values of point i (may be null). Entries are null for points not evaluated because the sweep was
     * cancelled.
     */
    public List<PointResult> evaluate(List<DesignPoint> points, List<Map<String, Object>> choices) {
        List<Future<PointResult>> futures = new ArrayList<>();
        Map<String, Future<PointResult>> inBatch = new LinkedHashMap<>();
        for (int i = 0; i < points.size(); i++) {
            DesignPoint p = points.get(i);
            Map<String, Object> c = choices == null ? null : choices.get(i);
            String key;
            try {
                key = p.key();
            } catch (dev.sparsimony.engine.model.ModelException e) {
                key = null;
            }
            if (key != null && inBatch.containsKey(key)) {
                futures.add(inBatch.get(key)); // the same point twice in one batch: evaluated once
                planned.decrementAndGet(); // and delivered once: progress counts it once (35/35, not 35/40)
                continue;
            }
            long id = nextId.getAndIncrement(); // ids follow the strategy's order, whatever finishes first
            Future<PointResult> f = pool.submit(() -> run(p, c, id));
            futures.add(f);
            if (key != null) {
                inBatch.put(key, f);
            }
        }
        List<PointResult> out = new ArrayList<>();
        for (Future<PointResult> f : futures) {
            try {
                out.add(f.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                cancel();
                out.add(null);
            } catch (java.util.concurrent.ExecutionException e) {
                throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
            }
        }
        return out;
    }

    private PointResult run(DesignPoint p, Map<String, Object> choices, long id) throws InterruptedException {
        awaitGate();
        if (cancelled) {
            return null;
        }
        String key;
        try {
            key = p.key();
        } catch (dev.sparsimony.engine.model.ModelException e) {
            key = "";
        }
        PointResult prior = key.isEmpty() ? null : known.get(key);
        if (prior != null) {
            cacheHits.incrementAndGet();
            done.incrementAndGet();
            progress();
            return prior;
        }
        PointResult r;
        try {
            r = backend.evaluate(p);
        } catch (DesignPointEvaluator.Cancelled c) {
            return null;
        }
        synchronized (delivery) {
            if (cancelled) {
                return null;
            }
            PointResult again = key.isEmpty() ? null : known.get(key);
            if (again != null) {
                return again; // another worker finished the same point first
            }
            r = r.withId(id).withChoices(choices);
            if (r.cached()) {
                cacheHits.incrementAndGet();
            } else {
                evaluations.incrementAndGet();
            }
            if (!r.ok()) {
                failures.incrementAndGet();
            }
            if (!key.isEmpty()) {
                known.put(key, r);
            }
            results.add(r);
            done.incrementAndGet();
            if (store != null) {
                store.add(r);
            }
            for (Listener l : listeners) {
                l.result(r);
            }
            progressLocked();
        }
        return r;
    }

    private void awaitGate() throws InterruptedException {
        synchronized (gate) {
            while (paused && !cancelled) {
                gate.wait();
            }
        }
    }

    private void progress() {
        synchronized (delivery) {
            if (!cancelled) {
                progressLocked();
            }
        }
    }

    private void progressLocked() {
        Progress p = progress(System.nanoTime());
        for (Listener l : listeners) {
            l.progress(p);
        }
    }

    public Progress progress(long now) {
        double wall = (now - started) / 1e9;
        long d = done.get();
        long ev = evaluations.get();
        double rate = wall > 0 ? d / wall : 0;
        long left = Math.max(0, planned.get() - d);
        return new Progress(d, Math.max(planned.get(), d), ev, cacheHits.get(), failures.get(), wall, rate,
                rate > 0 ? left / rate : Double.NaN);
    }

    /** Workers finish the point in hand and wait before the next one. */
    public void pause() {
        paused = true;
    }

    public void resume() {
        synchronized (gate) {
            paused = false;
            gate.notifyAll();
        }
    }

    public boolean paused() {
        return paused;
    }

    /**
     * Stops the sweep: running evaluations stop at their next tile (the MIP is interrupted), queued points are
     * dropped, and no result is delivered or stored after this returns.
     */
    public void cancel() {
        synchronized (delivery) {
            cancelled = true;
        }
        backend.cancel();
        synchronized (gate) {
            gate.notifyAll();
        }
    }

    public boolean cancelled() {
        return cancelled;
    }

    /** Every result so far (earlier ones of a resumed sweep first), in delivery order; a copy. */
    public List<PointResult> results() {
        synchronized (delivery) {
            return new ArrayList<>(results);
        }
    }

    /** Results delivered by this run (not from an earlier run); evaluations; cache hits; failures. */
    public long evaluations() {
        return evaluations.get();
    }

    public long cacheHits() {
        return cacheHits.get();
    }

    public long failures() {
        return failures.get();
    }

    @Override
    public void close() {
        pool.shutdownNow();
        try {
            pool.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
