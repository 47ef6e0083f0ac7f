package dev.sparsimony.bench;

import dev.sparsimony.engine.CompressFixtures;
import dev.sparsimony.engine.data.DataFiles;
import dev.sparsimony.engine.data.Dataset;
import dev.sparsimony.engine.explore.DesignPoint;
import dev.sparsimony.engine.explore.DesignPointEvaluator;
import dev.sparsimony.engine.explore.PruneSpec;
import dev.sparsimony.engine.infer.CompiledModel;
import dev.sparsimony.engine.infer.Nd4jRuntime;
import dev.sparsimony.engine.infer.kernels.Sgemm;
import dev.sparsimony.engine.io.ModelFiles;
import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.model.Node;
import dev.sparsimony.engine.prune.KernelView;
import dev.sparsimony.engine.prune.LayerContext;
import dev.sparsimony.engine.model.Tensor;
import dev.sparsimony.engine.quantize.QuantizerSpec;
import org.nd4j.linalg.factory.Nd4j;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Design points per second on one core: magnitude pruning (per-layer, sparsity cycling 0..0.9) with ap_fixed&lt;16,6&gt;
 * weights, biases and layer outputs, evaluated on 10,000 samples.
 * Models: {@code jet-mlp} (sample-models/jet-mlp with its 10,000 validation samples; a random-weight 16-64-32-32-5
 * MLP on Gaussian inputs when absent), {@code digits-cnn}, {@code svhn-cnn} and {@code mobile-cnn} (their 1,000
 * samples). Also measures the plain forward pass (same tiles as the evaluator) and the bare sgemm of every weighted
 * layer on the same tiles through the same direct OpenBLAS call (a conv as its im2col product [tile x output pixels,
 * k·k·cIn/g] x [k·k·cIn/g, cOut]): the same multiply-accumulates at the machine's sgemm rate, the roofline.
 * Run: OMP_NUM_THREADS=1 java -cp target/test-classes:target/classes:CP org.openjdk.jmh.Main DesignPointBench
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
@Threads(1)
public class DesignPointBench {
    @Param({"jet-mlp", "digits-cnn", "svhn-cnn", "mobile-cnn"})
    public String model;

    private DesignPointEvaluator evaluator;
    private DesignPointEvaluator evaluatorNoStorage;
    private CompiledModel compiled;
    private float[] x;
    private float[] out;
    private int n;
    private final List<DesignPoint> points = new ArrayList<>();
    private int next;
    private Sgemm[] gemm;
    private int tile;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        Nd4jRuntime.useSingleThread();
        Model m = load(model);
        Dataset data = sampleData(model, m, 10_000);
        evaluator = new DesignPointEvaluator(m, data);
        evaluatorNoStorage = new DesignPointEvaluator(m, data).computeStorage(false);
        for (int i = 0; i < 10; i++) {
            points.add(DesignPoint.of(PruneSpec.magnitude(i * 0.1, false)).withQuantizers(
                    QuantizerSpec.fixed(16, 6), QuantizerSpec.fixed(16, 6), QuantizerSpec.fixed(16, 6)));
        }
        n = data.size();
        x = data.x().data();
        tile = Math.min(n, DesignPointEvaluator.tileFor(m));
        compiled = CompiledModel.compile(m, tile);
        out = new float[n * compiled.outputSize()];
        // the sgemm of every weighted layer on one tile, convs in their im2col form
        List<Sgemm> g = new ArrayList<>();
        java.util.Map<String, int[]> shapes = m.inferShapes(1);
        for (Node nd : m.prunableNodes()) {
            KernelView k = KernelView.of(nd);
            long rows = (long) tile * new LayerContext(m, shapes.get(nd.name()), 0, 16, 1).outputPositions(nd);
            g.add(new Sgemm(Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, rows, k.rows()),
                    Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, k.rows(), k.cols()),
                    Nd4j.create(org.nd4j.linalg.api.buffer.DataType.FLOAT, rows, k.cols())));
        }
        gemm = g.toArray(Sgemm[]::new);
        long macs = 0;
        for (Node nd : m.prunableNodes()) {
            macs += evaluator.evaluate(DesignPoint.of(PruneSpec.none())).layers().stream()
                    .filter(l -> l.layer().equals(nd.name())).mapToLong(l -> l.macs()).sum();
        }
        System.out.println("# data " + data.name() + (data.hasLabels() ? " (labelled)" : " (no labels: fidelity)"));
        System.out.println("# " + model + ": " + m.prunableNodes().size() + " weighted layers, " + macs
                + " MACs per sample, " + macs * n + " MACs per point (" + n + " samples, tiles of " + tile + ")");
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        evaluator.close();
        evaluatorNoStorage.close();
        compiled.close();
    }

    @Benchmark
    public Object point() {
        return evaluator.evaluate(points.get(next++ % points.size()));
    }

    @Benchmark
    public Object pointWithoutStorage() {
        return evaluatorNoStorage.evaluate(points.get(next++ % points.size()));
    }

    @Benchmark
    public float[] forwardOnly() {
        for (int s = 0; s < n; s += tile) {
            compiled.forward(x, s, Math.min(tile, n - s), out, s);
        }
        return out;
    }

    @Benchmark
    public Object sgemmOnly() {
        for (int s = 0; s < n; s += tile) {
            for (Sgemm g : gemm) {
                g.run(0f);
            }
        }
        return gemm;
    }

    /**
     * The same four measurements in thread CPU time (robust on a shared, overloaded machine where JMH's wall-clock
     * figures mostly measure the scheduler): {@code java ... dev.sparsimony.bench.DesignPointBench [model] [seconds]}.
     */
    public static void main(String[] args) throws Exception {
        java.lang.management.ThreadMXBean tm = java.lang.management.ManagementFactory.getThreadMXBean();
        DesignPointBench b = new DesignPointBench();
        b.model = args.length > 0 ? args[0] : "jet-mlp";
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 10;
        b.setUp();
        java.util.Map<String, java.util.function.Supplier<Object>> ops = new java.util.LinkedHashMap<>();
        ops.put("point", b::point);
        ops.put("pointWithoutStorage", b::pointWithoutStorage);
        ops.put("forwardOnly", b::forwardOnly);
        ops.put("sgemmOnly", b::sgemmOnly);
        for (int round = 0; round < 2; round++) {
            for (var e : ops.entrySet()) {
                long end = tm.getCurrentThreadCpuTime() + (long) (seconds * 1e9 / ops.size() / 2);
                long start = tm.getCurrentThreadCpuTime();
                int k = 0;
                long now;
                do {
                    e.getValue().get();
                    k++;
                    now = tm.getCurrentThreadCpuTime();
                } while (now < end);
                if (round == 1) {
                    System.out.printf("%-20s %8.1f ops per CPU-second (%.3f ms CPU each)%n", e.getKey(),
                            k / ((now - start) / 1e9), (now - start) / 1e6 / k);
                }
            }
        }
        b.tearDown();
    }

    static Model load(String name) throws IOException {
        Path dir = sampleDir(name);
        if (dir != null) {
            if (Files.exists(dir.resolve("model.json"))) {
                return ModelFiles.load(dir.resolve("model.json"));
            }
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.sorted().toList()) {
                    try {
                        return ModelFiles.load(f);
                    } catch (RuntimeException e) {
                        // not a model file: try the next one
                    }
                }
            }
        }
        if (name.equals("jet-mlp")) {
            return CompressFixtures.mlp(1, 16, 64, 32, 32, 5);
        }
        throw new IllegalStateException("sample model " + name + " not found (sample-models/" + name + ")");
    }

    static Path sampleDir(String name) {
        for (Path p : new Path[] {Path.of("sample-models", name), Path.of("..", "main", "sample-models", name)}) {
            if (Files.isDirectory(p)) {
                return p;
            }
        }
        return null;
    }

    /** The sample's own validation data when present (repeated/truncated to n), else Gaussian inputs. */
    static Dataset sampleData(String name, Model m, int n) throws IOException {
        Path dir = sampleDir(name);
        int features = m.inputs().get(0).featuresPerSample();
        int[] shape = m.inputs().get(0).shapeWithBatch(n);
        if (dir != null) {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.sorted((p, q) -> Boolean.compare(!p.toString().endsWith("validation.npz"),
                        !q.toString().endsWith("validation.npz"))).toList()) {
                    try {
                        Dataset d = DataFiles.load(f);
                        if (d.featuresPerSample() == features && d.size() > 0) {
                            n = Math.min(n, d.size()); // the sample's own validation set (up to n samples)
                            shape = m.inputs().get(0).shapeWithBatch(n);
                            float[] x = new float[n * features];
                            int[] labels = d.hasLabels() ? new int[n] : null;
                            for (int i = 0; i < n; i++) {
                                System.arraycopy(d.x().data(), (i % d.size()) * features, x, i * features, features);
                                if (labels != null) {
                                    labels[i] = d.labels()[i % d.size()];
                                }
                            }
                            return new Dataset(d.name(), Tensor.of(x, shape), labels);
                        }
                    } catch (RuntimeException e) {
                        // not data: next file
                    }
                }
            }
        }
        Random r = new Random(7);
        float[] x = new float[n * features];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return new Dataset("random", Tensor.of(x, shape), null);
    }
}
