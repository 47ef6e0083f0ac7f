package dev.sparsimony.app.model;

import dev.sparsimony.engine.data.Dataset;
import dev.sparsimony.engine.model.ActivationKind;
import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.model.Node;
import dev.sparsimony.engine.model.Ops;
import dev.sparsimony.engine.model.Tensor;
import dev.sparsimony.engine.model.ValueInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A built-in demonstration model, shown when no model file is given and no sample folder exists: a jet-tagging
 * shaped MLP 16-64-32-5 (the layer sizes of hls4ml's jet-tagging example, minus one hidden layer) with seeded random
 * weights, plus random validation inputs without labels (quality is then agreement with the unpruned model).
 * Only builds IR values; all computation stays in the engine.
 */
public final class SampleModels {
    public static final String DEMO_NAME = "demo-mlp-16-64-32-5";

    private SampleModels() {
    }

    public static Model demoMlp(long seed) {
        Random rnd = new Random(seed);
        int[] sizes = {16, 64, 32, 5};
        List<Node> nodes = new ArrayList<>();
        String prev = "input";
        for (int l = 0; l + 1 < sizes.length; l++) {
            int nIn = sizes[l];
            int nOut = sizes[l + 1];
            float[] w = new float[nIn * nOut];
            // He initialisation, with per-input and per-output scales so that the heat map has visible structure
            double he = Math.sqrt(2.0 / nIn);
            double[] rowScale = new double[nIn];
            for (int i = 0; i < nIn; i++) {
                rowScale[i] = 0.3 + 1.4 * rnd.nextDouble();
            }
            double[] colScale = new double[nOut];
            for (int j = 0; j < nOut; j++) {
                colScale[j] = 0.5 + rnd.nextDouble();
            }
            for (int i = 0; i < nIn; i++) {
                for (int j = 0; j < nOut; j++) {
                    w[i * nOut + j] = (float) (rnd.nextGaussian() * he * rowScale[i] * colScale[j]);
                }
            }
            float[] b = new float[nOut];
            for (int j = 0; j < nOut; j++) {
                b[j] = (float) (0.05 * rnd.nextGaussian());
            }
            String name = l + 2 < sizes.length ? "fc" + (l + 1) : "output";
            nodes.add(new Node(name, new Ops.Dense(Tensor.of(w, nIn, nOut), Tensor.of(b, nOut)), List.of(prev)));
            prev = name;
            if (l + 2 < sizes.length) {
                String act = "relu" + (l + 1);
                nodes.add(new Node(act, Ops.Activation.of(ActivationKind.RELU), List.of(prev)));
                prev = act;
            }
        }
        nodes.add(new Node("softmax", new Ops.Softmax(-1, false), List.of(prev)));
        return new Model(DEMO_NAME, List.of(new ValueInfo("input", new int[] {-1, 16})), nodes,
                List.of("softmax"), Map.of("source", "built-in demo"));
    }

    /** Random standard-normal inputs for {@link #demoMlp}, no labels. */
    public static Dataset demoData(long seed, int samples) {
        Random rnd = new Random(seed);
        float[] x = new float[samples * 16];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        return new Dataset("demo inputs", Tensor.of(x, samples, 16), null);
    }
}
