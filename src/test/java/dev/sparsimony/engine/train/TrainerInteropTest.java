package dev.sparsimony.engine.train;

import static dev.sparsimony.engine.train.TrainFixtures.random;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sparsimony.engine.data.Dataset;
import dev.sparsimony.engine.infer.Inference;
import dev.sparsimony.engine.io.ModelFiles;
import dev.sparsimony.engine.model.ActivationKind;
import dev.sparsimony.engine.model.Layout;
import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.model.Node;
import dev.sparsimony.engine.model.Ops;
import dev.sparsimony.engine.model.Tensor;
import dev.sparsimony.engine.model.ValueInfo;
import dev.sparsimony.engine.samples.DigitGenerator;
import dev.sparsimony.engine.samples.JetGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The trainer's forward pass agrees with the inference engine, and it fine-tunes imported models. */
class TrainerInteropTest {

    /** Softmax of the trainer's logits against the inference engine's softmax output. */
    private static void assertSameOutputs(Model model, Tensor x) {
        Network net = Network.compile(model, null);
        int n = x.dim(0);
        float[] logits = net.forward(x.data(), n).clone();
        float[] probs = new float[logits.length];
        net.softmaxCrossEntropy(logits, new int[n], 0, n, probs);
        float[] ref = Inference.predict(model, x).data();
        assertEquals(probs.length, ref.length);
        for (int i = 0; i < ref.length; i++) {
            assertEquals(ref[i], probs[i], 1e-5, model.name() + " output " + i);
        }
    }

    @Test
    void forwardPassMatchesInferenceChannelsLastCnn() {
        Model cnn = SequentialBuilder.input("input_1", 28, 28, 1)
                .conv2d("conv1", 4, 3, SequentialBuilder.Padding.SAME).relu("relu1").maxPool2d("pool1", 2)
                .conv2d("conv2", 6, 3, SequentialBuilder.Padding.VALID).relu("relu2").maxPool2d("pool2", 2)
                .flatten("flatten").dense("fc1", 12).relu("relu3").dense("output", 10).softmax("softmax")
                .build("cl-cnn", 4);
        assertSameOutputs(cnn, DigitGenerator.generate("d", 16, 1).x());
    }

    /** The CNN samples' graphs (residual Adds, depthwise and strided convs, batch norms) with random statistics. */
    @Test
    void forwardPassMatchesInferenceOnTheCnnSampleArchitectures() {
        for (Model fresh : new Model[] {dev.sparsimony.engine.samples.SampleModels.mobileCnn(3, Map.of()),
                dev.sparsimony.engine.samples.SampleModels.svhnCnn(4, Map.of())}) {
            Model m = fresh;
            long seed = 90;
            for (Node n : fresh.nodes()) {
                if (n.op() instanceof Ops.BatchNorm bn) {
                    int c = bn.channels();
                    float[] var = random(c, seed++, 0.5);
                    for (int i = 0; i < c; i++) {
                        var[i] = 0.5f + Math.abs(var[i]);
                    }
                    m = m.withNodes(Map.of(n.name(), n.withOp(new Ops.BatchNorm(Tensor.of(random(c, seed++, 1.0), c),
                            Tensor.of(random(c, seed++, 0.5), c), Tensor.of(random(c, seed++, 0.5), c),
                            Tensor.of(var, c), bn.epsilon(), bn.layout()))));
                }
            }
            assertSameOutputs(m, dev.sparsimony.engine.samples.HouseDigitGenerator.generate("h", 8, 1).x());
        }
    }

    @Test
    void forwardPassMatchesInferenceChannelsFirstStridedConvAndAvgPool() {
        Ops.Conv conv = new Ops.Conv(Tensor.of(random(3 * 3 * 2 * 4, 1, 0.5), 3, 3, 2, 4),
                Tensor.of(random(4, 2, 0.1), 4), new int[] {2, 1}, new int[] {1, 1}, new int[] {1, 1},
                new int[] {1, 1}, 1, Layout.CHANNELS_FIRST);
        Ops.Pool pool = new Ops.Pool(Ops.PoolKind.AVG, new int[] {2, 2}, new int[] {2, 2}, new int[] {0, 0},
                new int[] {0, 0}, false, false, Layout.CHANNELS_FIRST);
        List<Node> nodes = new java.util.ArrayList<>(List.of(
                new Node("conv", conv, List.of("x")),
                new Node("relu", Ops.Activation.of(ActivationKind.RELU), List.of("conv")),
                new Node("pool", pool, List.of("relu")),
                new Node("flat", new Ops.Flatten(1), List.of("pool"))));
        ValueInfo in = new ValueInfo("x", new int[] {-1, 2, 9, 8});
        int flat = new Model("p", List.of(in), nodes, List.of("flat")).inferShapes(1).get("flat")[1];
        nodes.add(new Node("fc", new Ops.Dense(Tensor.of(random(flat * 3, 3, 0.5), flat, 3), null), List.of("flat")));
        nodes.add(new Node("sm", new Ops.Softmax(-1, false), List.of("fc")));
        Model m = new Model("cf-cnn", List.of(in), nodes, List.of("sm"));
        assertSameOutputs(m, Tensor.of(random(5 * 2 * 9 * 8, 4, 1.0), 5, 2, 9, 8));
    }

    @Test
    void forwardPassMatchesInferenceWithBatchNormAndGlobalPool() {
        Ops.Conv conv = new Ops.Conv(Tensor.of(random(3 * 3 * 1 * 4, 11, 0.5), 3, 3, 1, 4),
                Tensor.of(random(4, 12, 0.1), 4), new int[] {1, 1}, new int[] {1, 1}, new int[] {0, 0},
                new int[] {0, 0}, 1, Layout.CHANNELS_LAST);
        Ops.BatchNorm bn = new Ops.BatchNorm(Tensor.of(random(4, 13, 1.0), 4), Tensor.of(random(4, 14, 0.5), 4),
                Tensor.of(random(4, 15, 0.5), 4), Tensor.of(new float[] {0.5f, 1f, 2f, 3f}, 4), 1e-3f,
                Layout.CHANNELS_LAST);
        List<Node> nodes = List.of(
                new Node("conv", conv, List.of("x")),
                new Node("bn", bn, List.of("conv")),
                new Node("relu", Ops.Activation.of(ActivationKind.RELU), List.of("bn")),
                new Node("gap", new Ops.GlobalPool(Ops.PoolKind.AVG, Layout.CHANNELS_LAST, false), List.of("relu")),
                new Node("fc", new Ops.Dense(Tensor.of(random(4 * 10, 16, 0.8), 4, 10), null), List.of("gap")),
                new Node("sm", new Ops.Softmax(-1, false), List.of("fc")));
        Model m = new Model("bn-gap", List.of(new ValueInfo("x", new int[] {-1, 28, 28, 1})), nodes, List.of("sm"));
        assertSameOutputs(m, DigitGenerator.generate("d", 8, 3).x());
    }

    /**
     * Fine-tuning of a real imported model (hls4ml's KERAS_3layer jet tagger) with half of fc1 pruned: the pruned
     * weights stay zero and the model learns to agree with its unpruned self on (synthetic) jets.
     */
    @Test
    void finetunesAnImportedKerasModelUnderAMask() {
        String shared = System.getProperty("sparsimony.shared");
        Path json = shared == null ? null
                : Path.of(shared, "conformance/models/hls4ml/example-models-2020/keras/KERAS_3layer.json");
        assumeTrue(json != null && Files.exists(json),
                "shared conformance material not found (system property sparsimony.shared -> ../shared/conformance)");
        Model original = ModelFiles.load(json);
        Dataset jets = JetGenerator.generate("jets", 3000, 5);
        // labels: the original model's own decisions, so agreement ("fidelity") is the training target
        float[] out = Inference.predict(original, jets.x()).data();
        int[] labels = new int[jets.size()];
        for (int i = 0; i < labels.length; i++) {
            int best = 0;
            for (int c = 1; c < 5; c++) {
                if (out[i * 5 + c] > out[i * 5 + best]) {
                    best = c;
                }
            }
            labels[i] = best;
        }
        Dataset target = new Dataset("fidelity", jets.x(), labels);
        String first = original.prunableNodes().get(0).name();
        float[] w = original.node(first).op().weights().get("kernel").data();
        float[] sorted = w.clone();
        for (int i = 0; i < sorted.length; i++) {
            sorted[i] = Math.abs(sorted[i]);
        }
        Arrays.sort(sorted);
        float threshold = sorted[sorted.length / 2];
        float[] mask = new float[w.length];
        for (int i = 0; i < w.length; i++) {
            mask[i] = Math.abs(w[i]) >= threshold ? 1f : 0f;
        }
        Model pruned = original.withWeight(first, "kernel",
                original.node(first).op().weights().get("kernel").withData(apply(w, mask)));
        double before = Trainer.evaluate(pruned, target).accuracy();
        TrainResult r = Trainer.train(pruned, target, TrainConfig.defaults().withEpochs(3).withBatchSize(64),
                Map.of(first, mask), null);
        double after = Trainer.evaluate(r.model(), target).accuracy();
        float[] tuned = r.model().node(first).op().weights().get("kernel").data();
        for (int i = 0; i < tuned.length; i++) {
            if (mask[i] == 0f) {
                assertEquals(0f, tuned[i]);
            }
        }
        assertTrue(after >= before, "fidelity before " + before + ", after " + after);
        assertTrue(after > 0.9, "fidelity after fine-tuning " + after);
    }

    private static float[] apply(float[] w, float[] mask) {
        float[] o = w.clone();
        for (int i = 0; i < o.length; i++) {
            o[i] *= mask[i];
        }
        return o;
    }
}
