package dev.sparsimony.bench;

import dev.sparsimony.engine.infer.CompiledModel;
import dev.sparsimony.engine.infer.Nd4jRuntime;
import dev.sparsimony.engine.model.ActivationKind;
import dev.sparsimony.engine.model.Layout;
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
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The measurement behind the conv method per layer shape: one conv layer of the sample models with what follows it
 * there (BatchNorm / ReLU / ReLU6 / 2x2 max pooling), on a tile of 64 samples (the evaluator's tile for these
 * models), by each method: {@code im2col} (im2col + direct OpenBLAS sgemm, then each following node on its own),
 * {@code direct} (the fused planar chain, taps one by one, zero weights skipped) and {@code winograd} (the fused chain
 * with Winograd F(2x2,3x3) where it applies; direct elsewhere). {@code sparsity} zeroes that fraction of the kernel
 * (magnitude pruning's effect on the work). Score: microseconds per tile.
 * Run: {@code java -cp target/test-classes:target/classes:CP org.openjdk.jmh.Main ConvBench -f 1}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
@Threads(1)
public class ConvBench {
    /**
     * Layer: name_h_w_cin_cout_kernel_stride_groups_tail (tail p = ReLU + 2x2 max pool, b = BatchNorm + ReLU + pool,
     * 6 = BatchNorm + ReLU6, n = BatchNorm only); underscores, as JMH's -p splits values at commas.
     */
    @Param({"digits.conv1_28_28_1_8_3_1_1_p", "digits.conv2_13_13_8_16_3_1_1_p", "svhn.conv0_32_32_3_16_3_1_1_b",
            "svhn.conv1_15_15_16_16_3_1_1_b", "svhn.conv2_6_6_16_24_3_1_1_b", "mobile.expand_16_16_16_64_1_1_1_6",
            "mobile.dw_16_16_64_64_3_1_64_6", "mobile.project_16_16_64_16_1_1_1_n", "wide_16_16_64_64_3_1_1_b"})
    public String layer;

    @Param({"im2col", "direct", "winograd"})
    public String method;

    @Param({"0", "0.5"})
    public double sparsity;

    static final int TILE = 64;
    private CompiledModel cm;
    private float[] x;
    private float[] out;

    @Setup(Level.Trial)
    public void setUp() {
        Nd4jRuntime.useSingleThread();
        System.setProperty("sparsimony.conv.planar", method);
        String[] v = layer.substring(layer.indexOf('_') + 1).split("_");
        int h = Integer.parseInt(v[0]);
        int w = Integer.parseInt(v[1]);
        int cin = Integer.parseInt(v[2]);
        int cout = Integer.parseInt(v[3]);
        int k = Integer.parseInt(v[4]);
        int s = Integer.parseInt(v[5]);
        int g = Integer.parseInt(v[6]);
        String tail = v[7];
        Random r = new Random(1);
        float[] kernel = new float[k * k * cin / g * cout];
        for (int i = 0; i < kernel.length; i++) {
            kernel[i] = r.nextDouble() < sparsity ? 0f : (float) r.nextGaussian();
        }
        int pad = k == 3 && !tail.equals("p") && !tail.equals("b") ? 1 : 0;
        List<Op> ops = new ArrayList<>();
        ops.add(new Ops.Conv(Tensor.of(kernel, k, k, cin / g, cout), Tensor.zeros(cout), new int[] {s, s},
                new int[] {1, 1}, new int[] {pad, pad}, new int[] {pad, pad}, g, Layout.CHANNELS_LAST));
        if (!tail.equals("p")) {
            float[] ones = new float[cout];
            java.util.Arrays.fill(ones, 1f);
            ops.add(new Ops.BatchNorm(Tensor.of(ones, cout), Tensor.zeros(cout), Tensor.zeros(cout),
                    Tensor.of(ones.clone(), cout), 1e-3f, Layout.CHANNELS_LAST));
        }
        if (tail.equals("p") || tail.equals("b")) {
            ops.add(Ops.Activation.of(ActivationKind.RELU));
            ops.add(new Ops.Pool(Ops.PoolKind.MAX, new int[] {2, 2}, new int[] {2, 2}, new int[] {0, 0},
                    new int[] {0, 0}, false, false, Layout.CHANNELS_LAST));
        } else if (tail.equals("6")) {
            ops.add(new Ops.Activation(ActivationKind.CLIP, 0f, 6f));
        }
        List<Node> nodes = new ArrayList<>();
        String prev = "x";
        for (int i = 0; i < ops.size(); i++) {
            nodes.add(new Node("n" + i, ops.get(i), List.of(prev)));
            prev = "n" + i;
        }
        Model m = new Model(layer, List.of(new ValueInfo("x", new int[] {-1, h, w, cin})), nodes, List.of(prev));
        cm = CompiledModel.compile(m, TILE);
        x = new float[TILE * h * w * cin];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextFloat();
        }
        out = new float[TILE * cm.outputSize()];
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        cm.close();
        System.clearProperty("sparsimony.conv.planar");
    }

    @Benchmark
    public float[] tile() {
        cm.forward(x, TILE, out);
        return out;
    }
}
