package dev.sparsimony.app.model;

import static dev.sparsimony.app.FxTestSupport.onFx;
import static dev.sparsimony.app.FxTestSupport.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sparsimony.app.FxTestSupport;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LatestOnlyRunnerTest {
    @BeforeAll
    static void toolkit() throws Exception {
        FxTestSupport.startToolkit();
    }

    @Test
    void onlyTheLatestResultIsDeliveredAndStaleWorkSeesCancellation() throws Exception {
        LatestOnlyRunner<Integer> runner = new LatestOnlyRunner<>("test-runner");
        CountDownLatch hold = new CountDownLatch(1);
        CountDownLatch firstStarted = new CountDownLatch(1);
        List<Integer> delivered = new CopyOnWriteArrayList<>();
        List<Boolean> firstSawCancel = new CopyOnWriteArrayList<>();
        onFx(() -> runner.submit(job -> {
            firstStarted.countDown();
            hold.await(10, TimeUnit.SECONDS);
            firstSawCancel.add(job.cancelled());
            return 1;
        }, delivered::add, e -> { }));
        firstStarted.await(10, TimeUnit.SECONDS);
        onFx(() -> {
            for (int i = 2; i <= 5; i++) {
                int v = i;
                runner.submit(job -> v, delivered::add, e -> { });
            }
        });
        hold.countDown();
        waitUntil(() -> !runner.runningProperty().get());
        assertEquals(List.of(5), delivered);
        assertEquals(List.of(true), firstSawCancel);
        assertEquals(2, runner.startedCount());
        runner.shutdown();
    }

    @Test
    void failuresReachTheFailureCallback() throws Exception {
        LatestOnlyRunner<Integer> runner = new LatestOnlyRunner<>("test-runner");
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        onFx(() -> runner.submit(job -> {
            throw new IllegalStateException("boom");
        }, v -> { }, failures::add));
        waitUntil(() -> !failures.isEmpty());
        assertEquals("boom", failures.get(0).getMessage());
        runner.shutdown();
    }

    @Test
    void afterShutdownRequestsAndLateResultsAreDroppedQuietly() throws Exception {
        LatestOnlyRunner<Integer> runner = new LatestOnlyRunner<>("test-runner");
        CountDownLatch hold = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        List<Integer> delivered = new CopyOnWriteArrayList<>();
        CountDownLatch finished = new CountDownLatch(1);
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        onFx(() -> runner.submit(job -> {
            started.countDown();
            try {
                hold.await(10, TimeUnit.SECONDS);
                return 1;
            } finally {
                finished.countDown();
            }
        }, delivered::add, failures::add));
        started.await(10, TimeUnit.SECONDS);
        runner.shutdown();
        hold.countDown();
        // a view-model reacting to another runner's result while the window closes: no RejectedExecutionException
        onFx(() -> runner.submit(job -> 2, delivered::add, e -> { }));
        finished.await(10, TimeUnit.SECONDS); // the first task ends after shutdown: its outcome must not arrive
        org.testfx.util.WaitForAsyncUtils.waitForFxEvents();
        assertEquals(List.of(), delivered);
        assertEquals(List.of(), failures);
    }
}
