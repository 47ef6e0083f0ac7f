package dev.sparsimony.engine;

import dev.sparsimony.engine.model.ActivationKind;
import dev.sparsimony.engine.model.Layout;
import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.model.Node;
import dev.sparsimony.engine.model.Ops;
import dev.sparsimony.engine.model.Tensor;
import dev.sparsimony.engine.model.ValueInfo;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Random-weight models for the compression engine's tests and benchmarks. */
public final class CompressFixtures {
    private CompressFixtures() {
    }

    public static Tensor random(Random r, int... shape) {
        float[] d = new float[Math.toIntExact(Tensor.numel(shape))];
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) (r.nextGaussian() * 0.5);
        }
        return new Tensor(shape, d);
    }

    /** An MLP with ReLU between Dense layers, e.g. widths 16,64,32,32,5 (jet-mlp shape), softmax-free. */
    public static Model mlp(long seed, int... widths) {
        Random r = new Random(seed);
        List<Node> nodes = new ArrayList<>();
        String prev = "x";
        for (int i = 0; i + 1 < widths.length; i++) {
            String d = "dense" + (i + 1);
            nodes.add(new Node(d, new Ops.Dense(random(r, widths[i], widths[i + 1]), random(r, widths[i + 1])),
                    List.of(prev)));
            prev = d;
            if (i + 2 < widths.length) {
                String a = "relu" + (i + 1);
                nodes.add(new Node(a, Ops.Activation.of(ActivationKind.RELU), List.of(prev)));
                prev = a;
            }
        }
        return new Model("mlp", List.of(new ValueInfo("x", new int[] {-1, widths[0]})), nodes, List.of(prev));
    }

    /** A small channels-last CNN: conv(3x3, cIn->c1) BN ReLU conv(3x3, c1->c2) ReLU flatten dense. */
    public static Model cnn(long seed, int h, int cIn, int c1, int c2, int classes) {
        Random r = new Random(seed);
        Layout L = Layout.CHANNELS_LAST;
        List<Node> nodes = new ArrayList<>();
        int[] one = {1, 1};
        int[] zero = {0, 0};
        nodes.add(new Node("conv1", new Ops.Conv(random(r, 3, 3, cIn, c1), random(r, c1), one, one, zero, zero, 1, L),
                List.of("x")));
        float[] g = new float[c1];
        for (int i = 0; i < c1; i++) {
            g[i] = (float) (r.nextGaussian());
        }
        nodes.add(new Node("bn1", new Ops.BatchNorm(Tensor.of(g, c1), random(r, c1), random(r, c1),
                Tensor.of(filled(c1, 1f), c1), 1e-3f, L), List.of("conv1")));
        nodes.add(new Node("relu1", Ops.Activation.of(ActivationKind.RELU), List.of("bn1")));
        nodes.add(new Node("conv2", new Ops.Conv(random(r, 3, 3, c1, c2), random(r, c2), one, one, zero, zero, 1, L),
                List.of("relu1")));
        nodes.add(new Node("relu2", Ops.Activation.of(ActivationKind.RELU), List.of("conv2")));
        nodes.add(new Node("flat", new Ops.Flatten(1), List.of("relu2")));
        int f = (h - 4) * (h - 4) * c2;
        nodes.add(new Node("dense", new Ops.Dense(random(r, f, classes), random(r, classes)), List.of("flat")));
        return new Model("cnn", List.of(new ValueInfo("x", new int[] {-1, h, h, cIn})), nodes, List.of("dense"));
    }

    public static float[] filled(int n, float v) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, v);
        return a;
    }

    /** n samples of Gaussian features with uniformly random labels in [0, classes) (a labelled data set for tests). */
    public static dev.sparsimony.engine.data.Dataset randomData(long seed, int n, int features, int classes) {
        Random r = new Random(seed);
        float[] x = new float[n * features];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = r.nextInt(classes);
        }
        return new dev.sparsimony.engine.data.Dataset("val", Tensor.of(x, n, features), labels);
    }
}
