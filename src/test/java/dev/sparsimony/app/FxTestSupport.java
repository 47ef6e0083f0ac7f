package dev.sparsimony.app;

import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/** Helpers for tests that need the JavaFX thread (headless Monocle, set up by surefire) but no window. */
public final class FxTestSupport {
    private FxTestSupport() {
    }

    public static void startToolkit() throws TimeoutException {
        FxToolkit.registerPrimaryStage();
    }

    /** Runs on the JavaFX thread and waits for the result. */
    public static <T> T onFx(Callable<T> c) throws Exception {
        return WaitForAsyncUtils.asyncFx(c).get(10, TimeUnit.SECONDS);
    }

    public static void onFx(Runnable r) throws Exception {
        WaitForAsyncUtils.asyncFx(r).get(10, TimeUnit.SECONDS);
    }

    /** Waits (polling on the JavaFX thread) until the condition holds, at most 20 s. */
    public static void waitUntil(Callable<Boolean> condition) throws TimeoutException {
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> onFx(condition));
    }
}
