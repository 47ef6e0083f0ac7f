package dev.sparsimony.engine.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.model.Node;
import dev.sparsimony.engine.model.Op;
import dev.sparsimony.engine.model.Tensor;
import dev.sparsimony.engine.model.ValueInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Builders for small test graphs. */
final class TestModels {
    private TestModels() {
    }

    static int[] s(int... d) {
        return d;
    }

    static Tensor t(int[] shape, float... v) {
        return new Tensor(shape, v);
    }

    /** A chain x -> n1 -> n2 ...; input shape with -1 as batch. */
    static Model chain(int[] inputShape, Op... ops) {
        List<Node> nodes = new ArrayList<>();
        String prev = "x";
        for (int i = 0; i < ops.length; i++) {
            String name = "n" + (i + 1);
            nodes.add(new Node(name, ops[i], List.of(prev)));
            prev = name;
        }
        return new Model("test", List.of(new ValueInfo("x", inputShape)), nodes, List.of(prev));
    }

    /** Runs a single-input, single-output model on x and returns the output tensor. */
    static Tensor run(Model m, Tensor x) {
        Map<String, Tensor> out = Inference.run(m, Map.of(m.inputs().get(0).name(), x));
        return out.get(m.outputs().get(0));
    }

    /** Runs a single op on the given inputs (named a, b, c...), input shapes taken from the tensors. */
    static Tensor op(Op op, Tensor... inputs) {
        List<ValueInfo> vis = new ArrayList<>();
        List<String> names = new ArrayList<>();
        Map<String, Tensor> feed = new java.util.HashMap<>();
        for (int i = 0; i < inputs.length; i++) {
            String n = String.valueOf((char) ('a' + i));
            vis.add(new ValueInfo(n, inputs[i].shape()));
            names.add(n);
            feed.put(n, inputs[i]);
        }
        if (vis.isEmpty()) {
            vis.add(new ValueInfo("unused", new int[] {-1, 1}));
            feed.put("unused", Tensor.zeros(1, 1));
        }
        Model m = new Model("op", vis, List.of(new Node("y", op, names)), List.of("y"));
        return Inference.run(m, feed).get("y");
    }

    static void assertClose(float[] expected, float[] actual, float tol) {
        assertEquals(expected.length, actual.length, "length");
        for (int i = 0; i < expected.length; i++) {
            if (Float.isNaN(expected[i])) {
                assertEquals(expected[i], actual[i], "index " + i);
            } else {
                assertEquals(expected[i], actual[i], tol * Math.max(1, Math.abs(expected[i])), "index " + i);
            }
        }
    }

    static void assertShape(int[] expected, Tensor t) {
        assertArrayEquals(expected, t.shape(), "shape");
    }

    static float[] randomFloats(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }

    static Tensor random(Random r, int... shape) {
        return new Tensor(shape, randomFloats(r, Math.toIntExact(Tensor.numel(shape))));
    }
}
