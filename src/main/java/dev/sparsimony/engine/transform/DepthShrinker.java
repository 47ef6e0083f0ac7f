package dev.sparsimony.engine.transform;

import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.model.Node;
import dev.sparsimony.engine.model.Ops;
import dev.sparsimony.engine.model.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * Depth shrinking (Fu et al., "DepthShrinker: A New Compression Paradigm Towards Boosting Real-Hardware Efficiency
 * of Compact Neural Networks", ICML 2022): the activation between two consecutive Dense layers is removed and the
 * now linear pair is merged into one Dense: x W1 + b1 then (.) W2 + b2 equals x (W1 W2) + (b1 W2 + b2).
 * The merged layer keeps the second layer's name (so later nodes and outputs still resolve) and reads the first
 * layer's input. A pair qualifies when the first Dense feeds only an element-wise Activation (or Identity) that
 * feeds only the second Dense, or feeds the second Dense directly, and no intermediate value is a model output.
 */
public final class DepthShrinker {
    private DepthShrinker() {
    }

    /** A mergeable pair: {@code first} Dense, optional {@code activation} node (null if none), {@code second} Dense. */
    public record Pair(String first, String activation, String second) {
    }

    /** Every mergeable pair, in graph order, named by its first Dense. */
    public static List<Pair> pairs(Model model) {
        List<Pair> out = new ArrayList<>();
        for (Node n : model.nodes()) {
            if (n.op() instanceof Ops.Dense) {
                Pair p = pairAfter(model, n);
                if (p != null) {
                    out.add(p);
                }
            }
        }
        return out;
    }

    private static Pair pairAfter(Model model, Node first) {
        List<Node> c = consumers(model, first.name());
        if (c.size() != 1 || model.outputs().contains(first.name())) {
            return null;
        }
        Node next = c.get(0);
        if (next.op() instanceof Ops.Dense) {
            return new Pair(first.name(), null, next.name());
        }
        if (!(next.op() instanceof Ops.Activation || next.op() instanceof Ops.Identity)
                || model.outputs().contains(next.name())) {
            return null;
        }
        List<Node> c2 = consumers(model, next.name());
        if (c2.size() != 1 || !(c2.get(0).op() instanceof Ops.Dense) || !c2.get(0).inputs().equals(List.of(next.name()))) {
            return null;
        }
        return new Pair(first.name(), next.name(), c2.get(0).name());
    }

    private static List<Node> consumers(Model model, String value) {
        List<Node> out = new ArrayList<>();
        for (Node n : model.nodes()) {
            if (n.inputs().contains(value)) {
                out.add(n);
            }
        }
        return out;
    }

    /** Merges the pair starting at Dense layer {@code firstDense}. */
    public static Model merge(Model model, String firstDense) {
        Node first = model.node(firstDense);
        if (!(first.op() instanceof Ops.Dense)) {
            throw new ModelException("depth shrinking: layer '" + firstDense + "' is a " + first.op().kind()
                    + ", not a Dense layer");
        }
        Pair p = pairAfter(model, first);
        if (p == null) {
            throw new ModelException("depth shrinking: layer '" + firstDense + "' is not followed by a single "
                    + "activation and a Dense layer that only it feeds");
        }
        Ops.Dense d1 = (Ops.Dense) first.op();
        Node secondNode = model.node(p.second());
        Ops.Dense d2 = (Ops.Dense) secondNode.op();
        Node merged = new Node(p.second(), mergeDense(d1, d2), first.inputs());
        List<Node> nodes = new ArrayList<>();
        for (Node n : model.nodes()) {
            if (n.name().equals(p.first()) || n.name().equals(p.activation())) {
                continue;
            }
            nodes.add(n.name().equals(p.second()) ? merged : n);
        }
        return model.withGraph(nodes, model.outputs());
    }

    /** Merges several pairs, named by their first Dense layers, in the given order. */
    public static Model merge(Model model, List<String> firstDenses) {
        Model m = model;
        for (String f : firstDenses) {
            m = merge(m, f);
        }
        return m;
    }

    /** W = W1 W2, b = b1 W2 + b2 (a missing bias counts as zero), computed in double. */
    public static Ops.Dense mergeDense(Ops.Dense d1, Ops.Dense d2) {
        int a = d1.nIn();
        int b = d1.nOut();
        int c = d2.nOut();
        if (d2.nIn() != b) {
            throw new ModelException("depth shrinking: Dense widths do not chain (" + b + " vs " + d2.nIn() + ")");
        }
        float[] w1 = d1.kernel().data();
        float[] w2 = d2.kernel().data();
        float[] w = new float[a * c];
        double[] row = new double[c];
        for (int i = 0; i < a; i++) {
            java.util.Arrays.fill(row, 0);
            for (int k = 0; k < b; k++) {
                double x = w1[i * b + k];
                if (x != 0) {
                    for (int j = 0; j < c; j++) {
                        row[j] += x * w2[k * c + j];
                    }
                }
            }
            for (int j = 0; j < c; j++) {
                w[i * c + j] = (float) row[j];
            }
        }
        float[] bias = new float[c];
        for (int j = 0; j < c; j++) {
            double s = d2.bias() == null ? 0 : d2.bias().data()[j];
            if (d1.bias() != null) {
                for (int k = 0; k < b; k++) {
                    s += (double) d1.bias().data()[k] * w2[k * c + j];
                }
            }
            bias[j] = (float) s;
        }
        return new Ops.Dense(Tensor.of(w, a, c), Tensor.of(bias, c));
    }
}
