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
 * of Compact Neural Networks", ICML 2022): the activations inside a block are removed and the now linear block is
 * merged into one layer. Two kinds of block, each named by its first layer:
 * <ul>
 *   <li>Dense → activation → Dense: x W1 + b1 then (.) W2 + b2 equals x (W1 W2) + (b1 W2 + b2). A pair qualifies
 *       when the first Dense feeds only an element-wise Activation (or Identity) that feeds only the second Dense, or
 *       feeds the second Dense directly, and no intermediate value is a model output.</li>
 *   <li>the inverted residual block of MobileNetV2 (Sandler et al. 2018), the paper's target: 1x1 conv (expand) →
 *       [BatchNorm] → [activation] → depthwise kxk conv → [BatchNorm] → [activation] → 1x1 conv (project) →
 *       [BatchNorm] → [Add of the block input]. Without its activations the block is linear, and it becomes one dense
 *       kxk conv with the depthwise conv's strides, dilations and padding: W[ki][kj][ci][co] = Σ_m W1[ci][m] ·
 *       Wd[ki][kj][m] · W3[m][co] (batch norms folded), the skip connection added as an identity kernel at the tap
 *       that reads the output pixel's own input (stride 1). See {@link #activationFree} for the exact equivalence.</li>
 * </ul>
 * The merged layer keeps the name of the block's last node (so later nodes and outputs still resolve) and reads the
 * block's input.
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

    /**
     * Merges the block starting at {@code first}: a Dense layer (Dense → activation → Dense) or the 1x1 expand conv
     * of an inverted residual block.
     */
    public static Model merge(Model model, String first) {
        if (!model.hasNode(first)) {
            throw new ModelException("depth shrinking: the model has no layer named '" + first + "'");
        }
        if (model.node(first).op() instanceof Ops.Conv) {
            return ConvBlocks.merge(model, ConvBlocks.block(model, first));
        }
        return mergePair(model, first);
    }

    /**
     * The block starting at {@code expand} with its activations removed and the depthwise conv's padding moved to
     * the expand conv (which then pads the block input with zeros), as DepthShrinker fine-tunes and merges it: this
     * model and {@link #merge} compute the same function (up to float rounding). Moving the padding changes nothing
     * where the expand conv and its batch norm have no bias; otherwise only the border outputs, where the original
     * block sees zeros after the expand conv and the merged conv its bias.
     */
    public static Model activationFree(Model model, String expand) {
        return ConvBlocks.activationFree(model, ConvBlocks.block(model, expand));
    }

    /** Every mergeable inverted residual block, in graph order. */
    public static List<ConvBlocks.Block> blocks(Model model) {
        return ConvBlocks.blocks(model);
    }

    /**
     * The names {@link #merge} accepts, in graph order: the first Dense of every pair and the expand conv of every
     * inverted residual block (a design point's {@code depthShrink} entries).
     */
    public static List<String> candidates(Model model) {
        java.util.Set<String> names = new java.util.HashSet<>();
        pairs(model).forEach(p -> names.add(p.first()));
        blocks(model).forEach(b -> names.add(b.expand()));
        return model.nodes().stream().map(Node::name).filter(names::contains).toList();
    }

    private static Model mergePair(Model model, String firstDense) {
        Node first = model.node(firstDense);
        if (!(first.op() instanceof Ops.Dense)) {
            throw new ModelException("depth shrinking: layer '" + firstDense + "' is a " + first.op().kind()
                    + ", not a Dense layer or the 1x1 conv that starts an inverted residual block");
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

    /** Merges several blocks, named by their first layers, in the given order. */
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
