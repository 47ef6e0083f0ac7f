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
}
