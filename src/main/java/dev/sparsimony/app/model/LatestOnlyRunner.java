package dev.sparsimony.app.model;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.concurrent.Task;

/**
 * Runs background computations of which only the latest request matters (slider moves): a new request cancels the
 * previous one; a cancelled request that has not started is skipped, and one already running is told through
 * {@link Job#cancelled()} and its result is dropped. One worker thread, so requests never race each other.
 *
 * <p>Threading: {@link #submit} and the callbacks run on the JavaFX thread; {@link Work#run} on the worker.
 */
public final class LatestOnlyRunner<T> {
    /** The computation; may poll {@link Job#cancelled()} between expensive steps. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Job job) throws Exception;
    }

    /** What a running computation may ask or report. */
    public interface Job {
        boolean cancelled();

        void progress(double fraction, String message);
    }

    private final ExecutorService executor;
    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(this, "running");
    private final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(this, "progress", 0);
    private final AtomicInteger started = new AtomicInteger();
    private Task<T> current;
    /** Set by {@link #shutdown}: later requests and late results are dropped (the window is closing). */
    private volatile boolean closed;

    public LatestOnlyRunner(String threadName) {
        this.executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
    }

    /** Replaces any pending or running request by this one. Call on the JavaFX thread. */
    public void submit(Work<T> work, Consumer<T> onSuccess, Consumer<Throwable> onFailure) {
        if (closed) {
            return; // a result of another runner arriving while the window closes: nothing left to compute for
        }
        if (current != null) {
            // no interrupt: native code (ND4J) must not be interrupted mid-call; the result is ignored instead
            current.cancel(false);
        }
        Task<T> task = new Task<>() {
            @Override
            protected T call() throws Exception {
                started.incrementAndGet();
                Task<T> self = this;
                return work.run(new Job() {
                    @Override
                    public boolean cancelled() {
                        return self.isCancelled();
                    }

                    @Override
                    public void progress(double fraction, String message) {
                        updateProgress(fraction, 1.0);
                        updateMessage(message);
                    }
                });
            }
        };
        task.setOnSucceeded(e -> {
            if (task == current && !closed) {
                finish();
                onSuccess.accept(task.getValue());
            }
        });
        task.setOnFailed(e -> {
            if (task == current && !closed) {
                finish();
                onFailure.accept(task.getException());
            }
        });
        current = task;
        running.set(true);
        progress.unbind();
        progress.bind(task.progressProperty());
        executor.execute(task);
    }

    /** Drops the pending or running request, if any. */
    public void cancel() {
        if (current != null) {
            current.cancel(false);
            finish();
        }
    }

    private void finish() {
        current = null;
        progress.unbind();
        progress.set(0);
        running.set(false);
    }

    public ReadOnlyBooleanProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    /** Progress of the current request (-1 indeterminate), 0 when idle. */
    public ReadOnlyDoubleProperty progressProperty() {
        return progress.getReadOnlyProperty();
    }

    /** How many computations actually started (skipped requests are not counted); for tests and logs. */
    public int startedCount() {
        return started.get();
    }

    public void shutdown() {
        closed = true;
        executor.shutdownNow();
    }
}
