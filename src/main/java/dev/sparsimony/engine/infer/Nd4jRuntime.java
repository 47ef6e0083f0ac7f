package dev.sparsimony.engine.infer;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One place that starts ND4J: FLOAT as default data type, optional background warm-up, thread limits.
 * Every entry point of the inference package calls {@link #ensureInitialized()} first.
 */
public final class Nd4jRuntime {
    private static volatile boolean initialized;

    private Nd4jRuntime() {
    }

    /** Loads the ND4J backend (native libraries are extracted on first use: seconds) and sets FLOAT defaults. */
    public static void ensureInitialized() {
        if (initialized) {
            return;
        }
        synchronized (Nd4jRuntime.class) {
            if (!initialized) {
                Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
                Nd4j.create(DataType.FLOAT, 1); // forces backend and native library loading
                initialized = true;
            }
        }
    }

    /** Initialises ND4J on a background daemon thread so that a window can appear first. */
    public static void warmUpAsync() {
        if (initialized) {
            return;
        }
        Thread t = new Thread(() -> {
            try {
                ensureInitialized();
            } catch (Throwable e) {
                // the first real use reports the problem to the user; a warm-up must never kill the app
                System.err.println("ND4J warm-up failed: " + e);
            }
        }, "nd4j-warmup");
        t.setDaemon(true);
        t.start();
    }

    /** Limits ND4J's OpenMP pool and OpenBLAS to one thread (benchmarks, or one CompiledModel per core). */
    public static void useSingleThread() {
        ensureInitialized();
        Nd4j.getEnvironment().setMaxThreads(1);
        Nd4j.getEnvironment().setMaxMasterThreads(1);
        Nd4j.factory().blas().setMaxThreads(1);
    }
}
