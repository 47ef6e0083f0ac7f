package dev.sparsimony.engine.hardware;

import dev.sparsimony.engine.model.ActivationKind;
import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.model.Node;
import dev.sparsimony.engine.model.Ops;
import dev.sparsimony.engine.model.Tensor;
import dev.sparsimony.engine.model.ValueInfo;
import dev.sparsimony.engine.prune.StructureMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** Models and structure maps built in code for the hardware tests. */
public final class TestModels {
    private TestModels() {
    }

    /** 341/1024 = 0.3330078125: code 341 = 101010101b, five CSD digits, needs a real multiplier at 2^-10 LSB. */
    public static final float HARD = 341f / 1024f;

    public static Model singleDense(float[] kernel, int nIn, int nOut) {
        Ops.Dense d = new Ops.Dense(Tensor.of(kernel, nIn, nOut), Tensor.zeros(nOut));
        return new Model("dense", List.of(new ValueInfo("x", new int[] {-1, nIn})),
                List.of(new Node("fc", d, List.of("x"))), List.of("fc"));
    }

    public static float[] filled(int n, float v) {
        float[] w = new float[n];
        Arrays.fill(w, v);
        return w;
    }

    /** The hls4ml jet-tagging MLP 16-64-32-32-5 (ReLU, softmax) with seeded random weights. */
    public static Model jetMlp(long seed) {
        Random r = new Random(seed);
        int[] sizes = {16, 64, 32, 32, 5};
        List<Node> nodes = new ArrayList<>();
        String prev = "input_1";
        for (int l = 0; l < 4; l++) {
            float[] k = new float[sizes[l] * sizes[l + 1]];
            for (int i = 0; i < k.length; i++) {
                k[i] = (float) (r.nextGaussian() * Math.sqrt(2.0 / sizes[l]));
            }
            float[] b = new float[sizes[l + 1]];
            String name = l < 3 ? "fc" + (l + 1) : "output";
            nodes.add(new Node(name, new Ops.Dense(Tensor.of(k, sizes[l], sizes[l + 1]), Tensor.of(b, sizes[l + 1])),
                    List.of(prev)));
            prev = name;
            if (l < 3) {
                String act = "relu" + (l + 1);
                nodes.add(new Node(act, Ops.Activation.of(ActivationKind.RELU), List.of(prev)));
                prev = act;
            }
        }
        nodes.add(new Node("softmax", new Ops.Softmax(-1, false), List.of(prev)));
        return new Model("jet-mlp", List.of(new ValueInfo("input_1", new int[] {-1, 16})), nodes,
                List.of("softmax"));
    }

    /** hls4ml's DSP pattern: RF consecutive weights of the transposed [nOut, nIn] kernel (index t = o*nIn + i). */
    public static StructureMap patternMap(int nIn, int nOut, int rf) {
        int[] s = new int[nIn * nOut];
        for (int t = 0; t < s.length; t++) {
            int o = t / nIn;
            int i = t % nIn;
            s[i * nOut + o] = t / rf;
        }
        return new StructureMap("pattern", nIn, nOut, s, s.length / rf);
    }

    /** hls4ml's BRAM block: {@code patternsPerGroup} consecutive patterns (the weights of one 36/72-bit word). */
    public static StructureMap groupMap(int nIn, int nOut, int rf, int patternsPerGroup) {
        int[] s = new int[nIn * nOut];
        int groupSize = rf * patternsPerGroup;
        for (int t = 0; t < s.length; t++) {
            int o = t / nIn;
            int i = t % nIn;
            s[i * nOut + o] = t / groupSize;
        }
        return new StructureMap("bram", nIn, nOut, s, (s.length + groupSize - 1) / groupSize);
    }

    public static StructureMap unstructured(int nIn, int nOut) {
        int[] s = new int[nIn * nOut];
        for (int k = 0; k < s.length; k++) {
            s[k] = k;
        }
        return new StructureMap("weight", nIn, nOut, s, s.length);
    }

    /** The kernel with every structure in {@code pruned} set to zero. */
    public static float[] prune(float[] kernel, StructureMap map, boolean[] pruned) {
        float[] w = kernel.clone();
        for (int k = 0; k < w.length; k++) {
            int s = map.structureOf()[k];
            if (s >= 0 && pruned[s]) {
                w[k] = 0;
            }
        }
        return w;
    }
}
