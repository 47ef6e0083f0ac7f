package dev.sparsimony.bench;

import dev.sparsimony.engine.data.Dataset;
import dev.sparsimony.engine.explore.Bench;
import dev.sparsimony.engine.explore.DesignPointEvaluator;
import dev.sparsimony.engine.hardware.DeviceCatalogue;
import dev.sparsimony.engine.infer.Nd4jRuntime;
import dev.sparsimony.engine.model.Model;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;

/**
 * Full design points per second as a sweep evaluates them (the CLI's {@code bench}, under JMH): every point differs
 * (Bench.point), each thread has its own workspace, rankings are shared. Run with {@code -t 1} and {@code -t 2}:
 * <pre>
 * java -cp target/test-classes:target/classes:CP org.openjdk.jmh.Main ExploreBench -t 1
 * java -cp target/test-classes:target/classes:CP org.openjdk.jmh.Main ExploreBench -t 2
 * </pre>
 */
@BenchmarkMode(Mode.Throughput)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
@Threads(1)
public class ExploreBench {
    /** The model and data, loaded once and shared by every thread. */
    @State(Scope.Benchmark)
    public static class Shared {
        @Param({"jet-mlp"})
        public String model;
        Model m;
        Dataset data;
        final DesignPointEvaluator.Shared rankings = new DesignPointEvaluator.Shared();

        @Setup(Level.Trial)
        public void load() throws IOException {
            Nd4jRuntime.useSingleThread();
            m = DesignPointBench.load(model);
            data = DesignPointBench.sampleData(model, m, 10_000);
        }
    }

    /** One workspace per thread, as a sweep worker has. */
    @State(Scope.Thread)
    public static class Worker {
        DesignPointEvaluator evaluator;
        int next;

        @Setup(Level.Trial)
        public void open(Shared s) {
            evaluator = new DesignPointEvaluator(s.m, s.data).share(s.rankings).catalogue(DeviceCatalogue.builtIn());
            next = (int) (Thread.currentThread().getId() * 97);
        }

        @TearDown(Level.Trial)
        public void close() {
            evaluator.close();
        }
    }

    @Benchmark
    public Object fullPoint(Worker w) {
        return w.evaluator.evaluate(Bench.point(w.next++ % 1235));
    }
}
