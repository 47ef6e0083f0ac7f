package dev.sparsimony.engine.train;

import static dev.sparsimony.engine.train.TrainFixtures.random;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparsimony.engine.data.Dataset;
import dev.sparsimony.engine.model.ActivationKind;
import dev.sparsimony.engine.model.Layout;
import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.model.Node;
import dev.sparsimony.engine.model.Ops;
import dev.sparsimony.engine.model.Tensor;
import dev.sparsimony.engine.model.ValueInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TrainerTest {

    /** Random non-zero biases too, so that their gradients are checked from a generic point. */
    private static Model randomBiases(Model m, long seed) {
        Model out = m;
        for (Node n : m.prunableNodes()) {
            Tensor b = n.op().weights().get("bias");
            out = out.withWeight(n.name(), "bias", b.withData(random(b.size(), seed++, 0.2)));
        }
        return out;
    }

    /**
     * Central finite differences of the mean loss against the analytic gradients, for every weight, with steps 1e-3
     * and 1e-4: small enough that a ReLU kink or max-pool switch is rarely crossed by both, large enough for float
     * rounding.
     */
    private static void gradientCheck(Model model, int batch, long seed) {
        gradientCheck(model, batch, seed, false);
    }

    /** With {@code trainBatchNorm} the loss is that of the training-mode forward pass (batch statistics). */
    private static void gradientCheck(Model model, int batch, long seed, boolean trainBatchNorm) {
        Network net = Network.compile(model, null, trainBatchNorm);
        float[] x = random(batch * net.inSize, seed, 1.0);
        int[] y = new int[batch];
        for (int i = 0; i < batch; i++) {
            y[i] = i % net.classes;
        }
        net.lossAndGradients(x, y, batch);
        int checked = 0;
        for (Param p : net.params) {
            float[] analytic = p.g.clone();
            for (int i = 0; i < p.w.length; i++) {
                float orig = p.w[i];
                // a kink (ReLU, ReLU6, a max-pool switch) within the step spoils one estimate: either step may match
                double best = Double.NaN;
                for (float eps : new float[] {1e-3f, 1e-4f}) {
                    p.w[i] = orig + eps;
                    double plus = net.softmaxCrossEntropy(net.forward(x, batch, trainBatchNorm), y, 0, batch, null)[0]
                            / batch;
                    p.w[i] = orig - eps;
                    double minus = net.softmaxCrossEntropy(net.forward(x, batch, trainBatchNorm), y, 0, batch, null)[0]
                            / batch;
                    p.w[i] = orig;
                    double numeric = (plus - minus) / (2 * eps);
                    if (Double.isNaN(best) || Math.abs(numeric - analytic[i]) < Math.abs(best - analytic[i])) {
                        best = numeric;
                    }
                }
                double tol = 5e-4 + 1e-2 * Math.abs(best);
                assertEquals(best, analytic[i], tol, p.node + "." + p.weight + "[" + i + "]");
                checked++;
            }
        }
        assertTrue(checked > 20);
    }

    @Test
    void gradientsMatchFiniteDifferencesChannelsLast() {
        Model m = SequentialBuilder.input("in", 6, 6, 2)
                .conv2d("conv1", 3, 3, SequentialBuilder.Padding.SAME).relu("relu1")
                .maxPool2d("pool1", 2)
                .conv2d("conv2", 4, 2, SequentialBuilder.Padding.VALID).relu("relu2")
                .flatten("flat")
                .dense("fc1", 5).relu("relu3")
                .dense("out", 3).softmax("softmax")
                .build("tiny", 7);
        gradientCheck(randomBiases(m, 100), 4, 11);
    }

    @Test
    void gradientsMatchFiniteDifferencesChannelsFirstStridedAvgPool() {
        Tensor k = Tensor.of(random(3 * 3 * 2 * 3, 5, 0.5), 3, 3, 2, 3);
        Ops.Conv conv = new Ops.Conv(k, Tensor.of(random(3, 6, 0.1), 3), new int[] {2, 1}, new int[] {1, 2},
                new int[] {1, 0}, new int[] {1, 1}, 1, Layout.CHANNELS_FIRST);
        Ops.Pool pool = new Ops.Pool(Ops.PoolKind.AVG, new int[] {2, 2}, new int[] {2, 2}, new int[] {1, 0},
                new int[] {0, 1}, true, false, Layout.CHANNELS_FIRST);
        List<Node> nodes = new ArrayList<>();
        nodes.add(new Node("conv", conv, List.of("in")));
        nodes.add(new Node("tanh", Ops.Activation.of(ActivationKind.TANH), List.of("conv")));
        nodes.add(new Node("pool", pool, List.of("tanh")));
        nodes.add(new Node("flat", new Ops.Flatten(1), List.of("pool")));
        nodes.add(new Node("leaky", Ops.Activation.of(ActivationKind.LEAKY_RELU), List.of("flat")));
        Model probe = new Model("probe", List.of(new ValueInfo("in", new int[] {-1, 2, 7, 6})), nodes,
                List.of("leaky"));
        int flat = probe.inferShapes(1).get("leaky")[1];
        nodes.add(new Node("fc", new Ops.Dense(Tensor.of(random(flat * 4, 8, 0.5), flat, 4),
                Tensor.of(random(4, 9, 0.1), 4)), List.of("leaky")));
        Model m = new Model("cf", List.of(new ValueInfo("in", new int[] {-1, 2, 7, 6})), nodes, List.of("fc"));
        gradientCheck(m, 3, 12);
    }

    @Test
    void gradientsMatchWithMaxPoolPaddingAndSigmoid() {
        Tensor k = Tensor.of(random(2 * 1 * 2, 21, 0.7), 2, 1, 2);
        Ops.Conv conv1d = new Ops.Conv(k, Tensor.of(random(2, 22, 0.1), 2), new int[] {1}, new int[] {1},
                new int[] {1}, new int[] {0}, 1, Layout.CHANNELS_LAST);
        Ops.Pool pool = new Ops.Pool(Ops.PoolKind.MAX, new int[] {3}, new int[] {2}, new int[] {1}, new int[] {1},
                false, false, Layout.CHANNELS_LAST);
        List<Node> nodes = List.of(
                new Node("conv", conv1d, List.of("in")),
                new Node("sig", Ops.Activation.of(ActivationKind.SIGMOID), List.of("conv")),
                new Node("pool", pool, List.of("sig")),
                new Node("flat", new Ops.Flatten(1), List.of("pool")),
                new Node("fc", new Ops.Dense(Tensor.of(random(4 * 2 * 3, 23, 0.8), 8, 3),
                        Tensor.of(random(3, 24, 0.1), 3)), List.of("flat")),
                new Node("sm", new Ops.Softmax(1, false), List.of("fc")));
        Model m = new Model("c1d", List.of(new ValueInfo("in", new int[] {-1, 8, 1})), nodes, List.of("sm"));
        assertEquals(8, m.inferShapes(1).get("flat")[1]);
        gradientCheck(m, 5, 25);
    }

    /** Frozen BatchNorm (4-D channels-last and 2-D) and global pooling of both kinds and layouts. */
    @Test
    void gradientsMatchWithFrozenBatchNormAndGlobalPooling() {
        for (Layout layout : Layout.values()) {
            for (Ops.PoolKind kind : Ops.PoolKind.values()) {
                boolean cl = layout == Layout.CHANNELS_LAST;
                Tensor k = Tensor.of(random(3 * 3 * 2 * 3, 31, 0.6), 3, 3, 2, 3);
                Ops.Conv conv = new Ops.Conv(k, Tensor.of(random(3, 32, 0.1), 3), new int[] {1, 1},
                        new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1}, 1, layout);
                Ops.BatchNorm bn1 = new Ops.BatchNorm(Tensor.of(random(3, 33, 1.0), 3), Tensor.of(random(3, 34, 0.5), 3),
                        Tensor.of(random(3, 35, 0.5), 3), Tensor.of(new float[] {0.5f, 1.5f, 2f}, 3), 1e-3f, layout);
                Ops.BatchNorm bn2 = new Ops.BatchNorm(Tensor.of(random(3, 36, 1.0), 3), Tensor.of(random(3, 37, 0.5), 3),
                        Tensor.of(random(3, 38, 0.5), 3), Tensor.of(new float[] {2f, 0.7f, 1f}, 3), 1e-3f, layout);
                List<Node> nodes = List.of(
                        new Node("conv", conv, List.of("in")),
                        new Node("bn1", bn1, List.of("conv")),
                        new Node("relu", Ops.Activation.of(ActivationKind.RELU), List.of("bn1")),
                        new Node("gp", new Ops.GlobalPool(kind, layout, false), List.of("relu")),
                        new Node("bn2", bn2, List.of("gp")),
                        new Node("fc", new Ops.Dense(Tensor.of(random(3 * 4, 39, 0.8), 3, 4),
                                Tensor.of(random(4, 40, 0.1), 4)), List.of("bn2")),
                        new Node("sm", new Ops.Softmax(-1, false), List.of("fc")));
                int[] shape = cl ? new int[] {-1, 5, 4, 2} : new int[] {-1, 2, 5, 4};
                Model m = new Model("bn-gp", List.of(new ValueInfo("in", shape)), nodes, List.of("sm"));
                gradientCheck(m, 3, 41);
            }
        }
    }

    /**
     * An inverted residual block (1x1 expand, trained batch norms, ReLU6, depthwise 3x3, 1x1 project, skip Add),
     * a strided grouped conv and a global average pooling: the gradients of the graph trainer.
     */
    @Test
    void gradientsMatchForResidualDepthwiseBlocksWithTrainedBatchNorm() {
        for (Layout layout : Layout.values()) {
            for (boolean trainBn : new boolean[] {false, true}) {
                residualBlockGradients(layout, trainBn);
            }
        }
    }

    /**
     * With trained batch norms every expand weight moves every normalised value of the block, so ReLU6 kinks fall
     * within any finite-difference step: there the activations are smooth (linear, tanh); ReLU6 is checked with
     * frozen batch norms.
     */
    private static void residualBlockGradients(Layout layout, boolean trainBn) {
        {
            boolean cl = layout == Layout.CHANNELS_LAST;
            int[] one = {1, 1};
            int[] zero = {0, 0};
            Ops.Conv expand = new Ops.Conv(Tensor.of(random(3 * 6, 51, 0.6), 1, 1, 3, 6), null, one, one, zero, zero,
                    1, layout);
            Ops.Conv dw = new Ops.Conv(Tensor.of(random(9 * 6, 52, 0.6), 3, 3, 1, 6),
                    Tensor.of(random(6, 53, 0.1), 6), one, one, one, one, 6, layout);
            Ops.Conv project = new Ops.Conv(Tensor.of(random(6 * 3, 54, 0.6), 1, 1, 6, 3),
                    Tensor.of(random(3, 55, 0.1), 3), one, one, zero, zero, 1, layout);
            Ops.Conv grouped = new Ops.Conv(Tensor.of(random(2 * 2 * 1 * 6, 56, 0.6), 2, 2, 1, 6),
                    Tensor.of(random(6, 57, 0.1), 6), new int[] {2, 2}, one, zero, zero, 3, layout);
            Ops.BatchNorm bn1 = new Ops.BatchNorm(Tensor.of(random(6, 58, 1.0), 6), Tensor.of(random(6, 59, 0.5), 6),
                    Tensor.zeros(6), Tensor.of(new float[] {1, 1, 1, 1, 1, 1}, 6), 1e-3f, layout);
            Ops.Activation relu6 = new Ops.Activation(ActivationKind.CLIP, 0f, 6f);
            List<Node> nodes = List.of(
                    new Node("expand", expand, List.of("in")),
                    new Node("bn1", bn1, List.of("expand")),
                    new Node("r6a", trainBn ? Ops.Activation.of(ActivationKind.LINEAR) : relu6, List.of("bn1")),
                    new Node("dw", dw, List.of("r6a")),
                    new Node("r6b", trainBn ? Ops.Activation.of(ActivationKind.TANH) : relu6, List.of("dw")),
                    new Node("project", project, List.of("r6b")),
                    new Node("add", new Ops.Binary(Ops.BinaryKind.ADD), List.of("in", "project")),
                    new Node("grouped", grouped, List.of("add")),
                    new Node("gp", new Ops.GlobalPool(Ops.PoolKind.AVG, layout, false), List.of("grouped")),
                    new Node("fc", new Ops.Dense(Tensor.of(random(6 * 3, 60, 0.8), 6, 3),
                            Tensor.of(random(3, 61, 0.1), 3)), List.of("gp")),
                    new Node("sm", new Ops.Softmax(-1, false), List.of("fc")));
            int[] in = cl ? new int[] {-1, 4, 6, 3} : new int[] {-1, 3, 4, 6};
            Model m = new Model("block", List.of(new ValueInfo("in", in)), nodes, List.of("sm"));
            gradientCheck(m, 4, 62, trainBn);
        }
    }

    @Test
    void trainedBatchNormLearnsStatisticsAndMatchesEngineInference() {
        Ops.BatchNorm bn = new Ops.BatchNorm(Tensor.of(new float[] {1, 1}, 2), Tensor.zeros(2), Tensor.zeros(2),
                Tensor.of(new float[] {1, 1}, 2), 1e-3f, Layout.CHANNELS_LAST);
        List<Node> nodes = List.of(
                new Node("fc1", new Ops.Dense(Tensor.of(random(4, 70, 1.0), 2, 2), Tensor.zeros(2)), List.of("in")),
                new Node("bn", bn, List.of("fc1")),
                new Node("relu", Ops.Activation.of(ActivationKind.RELU), List.of("bn")),
                new Node("out", new Ops.Dense(Tensor.of(random(4, 71, 1.0), 2, 2), Tensor.zeros(2)), List.of("relu")),
                new Node("sm", new Ops.Softmax(-1, false), List.of("out")));
        Model m = new Model("bn", List.of(new ValueInfo("in", new int[] {-1, 2})), nodes, List.of("sm"));
        Dataset d = spirals(400, 5);
        TrainConfig cfg = TrainConfig.defaults().withEpochs(4).withSeed(2).withTrainBatchNorm(true);
        Model trained = Trainer.train(m, d, cfg, null, null).model();
        Ops.BatchNorm t = (Ops.BatchNorm) trained.node("bn").op();
        assertFalse(java.util.Arrays.equals(new float[] {0, 0}, t.mean().data()), "moving mean learned");
        assertFalse(java.util.Arrays.equals(new float[] {1, 1}, t.variance().data()), "moving variance learned");
        // the trainer's inference mode is the engine's batch norm
        Evaluation mine = Trainer.evaluate(trained, d);
        double engine = dev.sparsimony.engine.metric.Accuracy.top1(
                dev.sparsimony.engine.infer.Inference.predict(trained, d.x()).data(), 2, d.labels());
        assertEquals(mine.accuracy(), engine, 1e-9);
        Model again = Trainer.train(m, d, cfg, null, null).model();
        assertArrayEquals(t.gamma().data(), ((Ops.BatchNorm) again.node("bn").op()).gamma().data(), "deterministic");
    }

    /** Two interleaved spirals: not linearly separable. */
    static Dataset spirals(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * 2];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            int c = i % 2;
            double t = r.nextDouble() * 3 * Math.PI;
            double rad = 0.3 + t / (3 * Math.PI);
            x[2 * i] = (float) (rad * Math.cos(t + c * Math.PI) + r.nextGaussian() * 0.03);
            x[2 * i + 1] = (float) (rad * Math.sin(t + c * Math.PI) + r.nextGaussian() * 0.03);
            y[i] = c;
        }
        return new Dataset("spirals", Tensor.of(x, n, 2), y);
    }

    private static Model mlp(long seed) {
        return SequentialBuilder.input("in", 2).dense("fc1", 32).relu("r1").dense("fc2", 32).relu("r2")
                .dense("out", 2).softmax("sm").build("mlp", seed);
    }

    @Test
    void learnsANonLinearProblem() {
        Dataset d = spirals(1000, 1);
        TrainConfig cfg = TrainConfig.defaults().withEpochs(60).withLearningRate(1e-2).withSeed(3);
        TrainResult r = Trainer.train(mlp(1), d, spirals(400, 2), cfg, null, null);
        assertEquals(60, r.history().size());
        assertFalse(r.cancelled());
        assertTrue(r.last().validationAccuracy() > 0.9, "accuracy " + r.last().validationAccuracy());
        assertEquals(r.last().validationAccuracy(), Trainer.evaluate(r.model(), spirals(400, 2)).accuracy(), 1e-12);
    }

    @Test
    void sameSeedGivesIdenticalWeightsAndOtherSeedDiffers() {
        Dataset d = spirals(300, 4);
        TrainConfig cfg = TrainConfig.defaults().withEpochs(3).withL2(1e-4).withSeed(9);
        Model a = Trainer.train(mlp(5), d, cfg, null, null).model();
        Model b = Trainer.train(mlp(5), d, cfg, null, null).model();
        Model c = Trainer.train(mlp(5), d, cfg.withSeed(10), null, null).model();
        for (Node n : a.prunableNodes()) {
            assertArrayEquals(n.op().weights().get("kernel").data(),
                    b.node(n.name()).op().weights().get("kernel").data());
            assertArrayEquals(n.op().weights().get("bias").data(), b.node(n.name()).op().weights().get("bias").data());
        }
        assertFalse(java.util.Arrays.equals(a.node("fc1").op().weights().get("kernel").data(),
                c.node("fc1").op().weights().get("kernel").data()));
        assertEquals(mlp(5).nodes().size(), a.nodes().size());
        assertEquals("mlp", a.name());
    }

    @Test
    void maskedWeightsStayExactlyZero() {
        Model init = mlp(6);
        float[] mask1 = new float[2 * 32];
        float[] mask2 = new float[32 * 32];
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < mask1.length; i++) {
            mask1[i] = r.nextDouble() < 0.5 ? 0f : 1f;
        }
        for (int i = 0; i < mask2.length; i++) {
            mask2[i] = r.nextDouble() < 0.8 ? 0f : 1f;
        }
        TrainConfig cfg = TrainConfig.defaults().withEpochs(5).withL2(1e-3).withLearningRate(1e-2);
        Model out = Trainer.train(init, spirals(500, 7), cfg, Map.of("fc1", mask1, "fc2", mask2), null).model();
        float[] before1 = init.node("fc1").op().weights().get("kernel").data();
        float[] w1 = out.node("fc1").op().weights().get("kernel").data();
        float[] w2 = out.node("fc2").op().weights().get("kernel").data();
        int changed = 0;
        for (int i = 0; i < w1.length; i++) {
            if (mask1[i] == 0f) {
                assertEquals(0f, w1[i]);
            } else if (w1[i] != before1[i]) {
                changed++;
            }
        }
        for (int i = 0; i < w2.length; i++) {
            if (mask2[i] == 0f) {
                assertEquals(0f, w2[i]);
            }
        }
        assertTrue(changed > 20);
        assertTrue(out.node("fc2").op().weights().get("kernel").data()[0] == 0f || mask2[0] != 0f);
    }

    @Test
    void listenerSeesProgressAndCanCancel() {
        AtomicInteger batches = new AtomicInteger();
        ProgressListener stopAfter3 = new ProgressListener() {
            @Override
            public void onBatch(int epoch, int batch, int perEpoch) {
                batches.incrementAndGet();
            }

            @Override
            public boolean isCancelled() {
                return batches.get() >= 3;
            }
        };
        TrainResult r = Trainer.train(mlp(1), spirals(500, 1), TrainConfig.defaults().withEpochs(5), null,
                stopAfter3);
        assertTrue(r.cancelled());
        assertEquals(3, batches.get());
        assertTrue(r.history().isEmpty());
        assertEquals(null, r.last());
    }

    @Test
    void clearErrorsForUnsupportedInput() {
        Dataset unlabelled = new Dataset("u", Tensor.zeros(4, 2), null);
        ModelException e = assertThrows(ModelException.class,
                () -> Trainer.train(mlp(1), unlabelled, TrainConfig.defaults(), null, null));
        assertTrue(e.getMessage().contains("no labels"), e.getMessage());
        Dataset wrongWidth = new Dataset("w", Tensor.zeros(4, 3), new int[4]);
        e = assertThrows(ModelException.class,
                () -> Trainer.train(mlp(1), wrongWidth, TrainConfig.defaults(), null, null));
        assertTrue(e.getMessage().contains("3 values per sample"), e.getMessage());
        Dataset badLabel = new Dataset("b", Tensor.zeros(2, 2), new int[] {0, 5});
        e = assertThrows(ModelException.class,
                () -> Trainer.train(mlp(1), badLabel, TrainConfig.defaults(), null, null));
        assertTrue(e.getMessage().contains("label 5"), e.getMessage());
        e = assertThrows(ModelException.class, () -> Trainer.train(mlp(1), spirals(10, 1), TrainConfig.defaults(),
                Map.of("r1", new float[64]), null));
        assertTrue(e.getMessage().contains("r1"), e.getMessage());
        e = assertThrows(ModelException.class, () -> Trainer.train(mlp(1), spirals(10, 1), TrainConfig.defaults(),
                Map.of("fc1", new float[3]), null));
        assertTrue(e.getMessage().contains("3 values"), e.getMessage());
        List<Node> elu = List.of(new Node("elu", Ops.Activation.of(ActivationKind.ELU), List.of("in")));
        Model withElu = new Model("elu", List.of(new ValueInfo("in", new int[] {-1, 2})), elu, List.of("elu"));
        e = assertThrows(ModelException.class,
                () -> Trainer.train(withElu, spirals(10, 1), TrainConfig.defaults(), null, null));
        assertTrue(e.getMessage().contains("'elu' (ELU)"), e.getMessage());
        assertThrows(ModelException.class, () -> TrainConfig.defaults().withBatchSize(0));
    }
}
