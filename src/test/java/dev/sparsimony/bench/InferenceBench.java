package dev.sparsimony.bench;

import dev.sparsimony.engine.infer.CompiledModel;
import dev.sparsimony.engine.infer.Nd4jRuntime;
import dev.sparsimony.engine.model.ActivationKind;
import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.model.Node;
import dev.sparsimony.engine.model.Op;
import dev.sparsimony.engine.model.Ops;
import dev.sparsimony.engine.model.Tensor;
import dev.sparsimony.engine.model.ValueInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * CompiledModel.forward on the hls4ml jet-tagging MLP topology 16-64-32-32-5 (ReLU, softmax; 4,256 MACs per
 * sample) with random weights and 10,000 samples, one thread. Score = forward passes (design points) per second.
 * Run: java -cp target/test-classes:$(cat cp.txt) org.openjdk.jmh.Main InferenceBench -f 1 -wi 3 -i 5
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
public class InferenceBench {
    static final int SAMPLES = 10_000;
    static final int[] WIDTHS = {16, 64, 32, 32, 5};

    CompiledModel model;
    float[] x;
    float[] out;
    float[] maskedKernel;
    float[][] kernels;
    float[][] biases;

    static Model mlp(Random r) {
        List<Node> nodes = new ArrayList<>();
        String prev = "x";
        for (int i = 0; i + 1 < WIDTHS.length; i++) {
            int in = WIDTHS[i];
            int o = WIDTHS[i + 1];
            nodes.add(new Node("dense" + i, new Ops.Dense(random(r, in, o), random(r, o)), List.of(prev)));
            prev = "dense" + i;
            Op act = i + 2 < WIDTHS.length ? Ops.Activation.of(ActivationKind.RELU) : new Ops.Softmax(-1, false);
            nodes.add(new Node("act" + i, act, List.of(prev)));
            prev = "act" + i;
        }
        return new Model("jet-mlp", List.of(new ValueInfo("x", new int[] {-1, WIDTHS[0]})), nodes, List.of(prev));
    }

    static Tensor random(Random r, int... shape) {
        float[] v = new float[Math.toIntExact(Tensor.numel(shape))];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (r.nextGaussian() * 0.3);
        }
        return new Tensor(shape, v);
    }

    @Setup(Level.Trial)
    public void setUp() {
        Nd4jRuntime.useSingleThread();
        Random r = new Random(7);
        Model m = mlp(r);
        model = CompiledModel.compile(m, SAMPLES);
        x = random(r, SAMPLES, WIDTHS[0]).data();
        out = new float[SAMPLES * WIDTHS[WIDTHS.length - 1]];
        maskedKernel = m.node("dense1").op().weights().get("kernel").data().clone();
        for (int i = 0; i < maskedKernel.length; i += 2) {
            maskedKernel[i] = 0f;
        }
        kernels = new float[WIDTHS.length - 1][];
        biases = new float[WIDTHS.length - 1][];
        for (int i = 0; i < kernels.length; i++) {
            kernels[i] = m.node("dense" + i).op().weights().get("kernel").data().clone();
            biases[i] = m.node("dense" + i).op().weights().get("bias").data().clone();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        model.close();
    }

    /** One evaluation on the fixed validation data. */
    @Benchmark
    public float[] forward() {
        model.forward(x, SAMPLES, out);
        return out;
    }

    /** A design point as the compression engine runs it: install a masked kernel, then evaluate. */
    @Benchmark
    public float[] setWeightAndForward() {
        model.setWeight("dense1", "kernel", maskedKernel);
        model.forward(x, SAMPLES, out);
        return out;
    }

    /** A full design point as DesignPointEvaluator runs it: kernel and bias of every layer installed, then a pass. */
    @Benchmark
    public float[] setAllWeightsAndForward() {
        for (int i = 0; i < kernels.length; i++) {
            model.setWeight("dense" + i, "kernel", kernels[i]);
            model.setWeight("dense" + i, "bias", biases[i]);
        }
        model.forward(x, SAMPLES, out);
        return out;
    }

    /**
     * CPU-time figure for shared machines, where JMH's wall-clock score mostly measures the load:
     * {@code java -cp target/test-classes:target/classes:$(cat cp.txt) dev.sparsimony.bench.InferenceBench}.
     */
    public static void main(String[] args) {
        java.lang.management.ThreadMXBean tm = java.lang.management.ManagementFactory.getThreadMXBean();
        InferenceBench b = new InferenceBench();
        b.setUp();
        for (int round = 0; round < 5; round++) {
            int reps = 200;
            for (boolean withWeights : new boolean[] {false, true}) {
                long cpu0 = tm.getCurrentThreadCpuTime();
                long wall0 = System.nanoTime();
                for (int i = 0; i < reps; i++) {
                    if (withWeights) {
                        b.setAllWeightsAndForward();
                    } else {
                        b.forward();
                    }
                }
                double cpuMs = (tm.getCurrentThreadCpuTime() - cpu0) / 1e6 / reps;
                double wallMs = (System.nanoTime() - wall0) / 1e6 / reps;
                System.out.printf("%s of %d samples: %.3f ms CPU (%.0f points/s per core), %.3f ms wall%n",
                        withWeights ? "setWeight x8 + forward" : "forward", SAMPLES, cpuMs, 1000 / cpuMs, wallMs);
            }
        }
        b.tearDown();
    }
}
