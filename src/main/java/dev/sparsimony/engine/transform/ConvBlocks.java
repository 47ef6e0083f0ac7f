package dev.sparsimony.engine.transform;

import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.model.Node;
import dev.sparsimony.engine.model.Ops;
import dev.sparsimony.engine.model.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The inverted residual blocks of {@link DepthShrinker}: finding them, merging one into a dense conv, and the
 * activation-free form the merge is exact for.
 */
public final class ConvBlocks {
    private ConvBlocks() {
    }

    /**
     * One inverted residual block: its input value and its nodes (null where the block has none of that kind).
     *
     * @param input the value the expand conv reads (and the skip connection adds, if any)
     */
    public record Block(String input, String expand, String norm1, String act1, String depthwise, String norm2,
                        String act2, String project, String norm3, String add) {
        /** The block's nodes in graph order. */
        public List<String> nodes() {
            List<String> out = new ArrayList<>();
            for (String s : new String[] {expand, norm1, act1, depthwise, norm2, act2, project, norm3, add}) {
                if (s != null) {
                    out.add(s);
                }
            }
            return out;
        }

        /** The block's last node, whose name the merged conv takes. */
        public String last() {
            List<String> n = nodes();
            return n.get(n.size() - 1);
        }
    }

    /** Every mergeable block, in graph order. */
    static List<Block> blocks(Model model) {
        List<Block> out = new ArrayList<>();
        for (Node n : model.nodes()) {
            if (n.op() instanceof Ops.Conv c && pointwise(c, true)) {
                try {
                    out.add(block(model, n.name()));
                } catch (ModelException e) {
                    // not the start of a block
                }
            }
        }
        return out;
    }

    /** The block starting at the expand conv {@code name}; ModelException saying why when there is none. */
    static Block block(Model model, String name) {
        String why = "depth shrinking: layer '" + name + "' does not start an inverted residual block "
                + "(1x1 conv, depthwise conv, 1x1 conv, with optional batch norms and activations between them and "
                + "each value read only by the next layer): ";
        Node expand = model.node(name);
        if (!(expand.op() instanceof Ops.Conv e) || !pointwise(e, true)) {
            throw new ModelException(why + "it is not a 1x1 conv with stride 1 and one group");
        }
        String input = expand.inputs().get(0);
        Walk w = new Walk(model, why);
        Optional first = w.optional(w.next(expand));
        String norm1 = first.norm();
        String act1 = first.act();
        Node cur = first.next();
        if (!(cur.op() instanceof Ops.Conv d) || !depthwise(d, e.outChannels()) || d.layout() != e.layout()
                || d.spatialRank() != e.spatialRank()) {
            throw new ModelException(why + "'" + cur.name() + "' after it is not a depthwise conv over its "
                    + e.outChannels() + " channels");
        }
        String dw = cur.name();
        Optional second = w.optional(w.next(cur));
        String norm2 = second.norm();
        String act2 = second.act();
        cur = second.next();
        if (!(cur.op() instanceof Ops.Conv p) || !pointwise(p, false) || p.inChannelsPerGroup() != e.outChannels()
                || p.layout() != e.layout()) {
            throw new ModelException(why + "'" + cur.name() + "' after the depthwise conv is not a 1x1 conv over its "
                    + e.outChannels() + " channels");
        }
        String project = cur.name();
        String norm3 = null;
        String add = null;
        Node after = w.nextOrNull(cur);
        if (after != null && after.op() instanceof Ops.BatchNorm) {
            norm3 = after.name();
            after = w.nextOrNull(after);
        }
        if (after != null && after.op() instanceof Ops.Binary b && b.op() == Ops.BinaryKind.ADD
                && after.inputs().size() == 2 && after.inputs().contains(input)
                && !after.inputs().get(0).equals(after.inputs().get(1))) {
            if (identityTap(d, pads(e, d, true), pads(e, d, false)) == null
                    || p.outChannels() != e.inChannelsPerGroup()) {
                throw new ModelException(why + "its skip connection '" + after.name() + "' needs a stride-1 "
                        + "depthwise conv whose padding keeps the map size, and as many output as input channels");
            }
            add = after.name();
        }
        for (String bn : new String[] {norm1, norm2, norm3}) {
            if (bn != null && ((Ops.BatchNorm) model.node(bn).op()).channelAxis(e.spatialRank() + 2)
                    != e.layout().channelAxis(e.spatialRank() + 2)) {
                throw new ModelException(why + "batch norm '" + bn + "' normalises another axis than the channels");
            }
        }
        for (String a : new String[] {act1, act2}) {
            if (a != null && model.outputs().contains(a)) {
                throw new ModelException(why + "'" + a + "' is a model output");
            }
        }
        return new Block(input, name, norm1, act1, dw, norm2, act2, project, norm3, add);
    }

    /** The optional batch norm and activation from {@code n} on, and the node after them. */
    private record Optional(String norm, String act, Node next) {
    }

    /** Follows single-reader values; a value with another reader or that is a model output ends the block. */
    private record Walk(Model model, String why) {
        Optional optional(Node n) {
            String norm = null;
            String act = null;
            Node cur = n;
            if (cur.op() instanceof Ops.BatchNorm) {
                norm = cur.name();
                cur = next(cur);
            }
            if (cur.op() instanceof Ops.Activation || cur.op() instanceof Ops.Identity) {
                act = cur.name();
                cur = next(cur);
            }
            return new Optional(norm, act, cur);
        }

        Node next(Node n) {
            Node c = nextOrNull(n);
            if (c == null) {
                throw new ModelException(why + "the value of '" + n.name() + "' is read by "
                        + readers(n.name()).size() + " layers or is a model output");
            }
            return c;
        }

        Node nextOrNull(Node n) {
            List<Node> r = readers(n.name());
            if (r.size() != 1 || model.outputs().contains(n.name())) {
                return null;
            }
            return r.get(0);
        }

        List<Node> readers(String value) {
            List<Node> out = new ArrayList<>();
            for (Node c : model.nodes()) {
                if (c.inputs().contains(value)) {
                    out.add(c);
                }
            }
            return out;
        }
    }

    /**
     * A 1x1 conv of stride 1 and one group; padded only if {@code padded} (the expand conv of an activation-free
     * block, whose depthwise padding moved to it).
     */
    private static boolean pointwise(Ops.Conv c, boolean padded) {
        for (int i = 0; i < c.spatialRank(); i++) {
            if (c.kernelSize()[i] != 1 || c.strides()[i] != 1
                    || !padded && (c.padsBegin()[i] != 0 || c.padsEnd()[i] != 0)) {
                return false;
            }
        }
        return c.groups() == 1;
    }

    /** The merged conv's padding: the depthwise conv's plus any moved to the expand conv. */
    private static int[] pads(Ops.Conv e, Ops.Conv d, boolean begin) {
        int[] p = (begin ? d.padsBegin() : d.padsEnd()).clone();
        for (int i = 0; i < p.length; i++) {
            p[i] += begin ? e.padsBegin()[i] : e.padsEnd()[i];
        }
        return p;
    }

    private static boolean depthwise(Ops.Conv d, int channels) {
        return d.groups() == channels && d.inChannelsPerGroup() == 1 && d.outChannels() == channels;
    }

    /** The kernel tap reading each output pixel's own input pixel (stride 1, map size kept), or null. */
    private static int[] identityTap(Ops.Conv d, int[] padsBegin, int[] padsEnd) {
        int r = d.spatialRank();
        int[] tap = new int[r];
        for (int i = 0; i < r; i++) {
            int k = d.kernelSize()[i];
            int pb = padsBegin[i];
            int dil = d.dilations()[i];
            if (d.strides()[i] != 1 || pb % dil != 0 || pb / dil >= k || pb + padsEnd[i] != (k - 1) * dil) {
                return null;
            }
            tap[i] = pb / dil;
        }
        return tap;
    }

    /** Per-channel scale and shift of a batch norm node (identity when absent). */
    private static double[][] affine(Model model, String bn, int channels) {
        if (bn != null) {
            return ((Ops.BatchNorm) model.node(bn).op()).affine();
        }
        double[] scale = new double[channels];
        Arrays.fill(scale, 1);
        return new double[][] {scale, new double[channels]};
    }

    /** The merged dense kxk conv of a block (computed in double). */
    static Ops.Conv mergedConv(Model model, Block b) {
        Ops.Conv e = (Ops.Conv) model.node(b.expand()).op();
        Ops.Conv d = (Ops.Conv) model.node(b.depthwise()).op();
        Ops.Conv p = (Ops.Conv) model.node(b.project()).op();
        int cin = e.inChannelsPerGroup();
        int m = e.outChannels();
        int cout = p.outChannels();
        int taps = d.kernel().size() / m;
        double[][] a1 = affine(model, b.norm1(), m);
        double[][] a2 = affine(model, b.norm2(), m);
        double[][] a3 = affine(model, b.norm3(), cout);
        float[] w1 = e.kernel().data();
        float[] wd = d.kernel().data();
        float[] w3 = p.kernel().data();
        // folded expand bias b1' and depthwise kernel/bias: the depthwise conv sees b1' on every tap
        double[] b1 = new double[m];
        double[] bd = new double[m];
        double[][] kd = new double[taps][m];
        for (int j = 0; j < m; j++) {
            b1[j] = (e.bias() == null ? 0 : e.bias().data()[j]) * a1[0][j] + a1[1][j];
            double sum = 0;
            for (int t = 0; t < taps; t++) {
                kd[t][j] = wd[t * m + j] * a2[0][j];
                sum += kd[t][j];
            }
            bd[j] = ((d.bias() == null ? 0 : d.bias().data()[j]) * a2[0][j] + a2[1][j]) + b1[j] * sum;
        }
        double[][] k3 = new double[m][cout];
        for (int j = 0; j < m; j++) {
            for (int o = 0; o < cout; o++) {
                k3[j][o] = w3[j * cout + o] * a3[0][o];
            }
        }
        // W[t][ci][o] = Σ_j W1'[ci][j] · Wd'[t][j] · W3'[j][o]
        float[] k = new float[taps * cin * cout];
        double[] row = new double[cout];
        for (int t = 0; t < taps; t++) {
            for (int ci = 0; ci < cin; ci++) {
                Arrays.fill(row, 0);
                for (int j = 0; j < m; j++) {
                    double f = w1[ci * m + j] * a1[0][j] * kd[t][j];
                    if (f != 0) {
                        for (int o = 0; o < cout; o++) {
                            row[o] += f * k3[j][o];
                        }
                    }
                }
                for (int o = 0; o < cout; o++) {
                    k[(t * cin + ci) * cout + o] = (float) row[o];
                }
            }
        }
        if (b.add() != null) {
            int[] tap = identityTap(d, pads(e, d, true), pads(e, d, false));
            int[] ks = d.kernelSize();
            int t = tap.length == 1 ? tap[0] : tap[0] * ks[1] + tap[1];
            for (int c = 0; c < cin; c++) {
                k[(t * cin + c) * cout + c] += 1f;
            }
        }
        float[] bias = new float[cout];
        for (int o = 0; o < cout; o++) {
            double s = (p.bias() == null ? 0 : p.bias().data()[o]) * a3[0][o] + a3[1][o];
            for (int j = 0; j < m; j++) {
                s += bd[j] * k3[j][o];
            }
            bias[o] = (float) s;
        }
        int[] shape = new int[d.spatialRank() + 2];
        System.arraycopy(d.kernelSize(), 0, shape, 0, d.spatialRank());
        shape[shape.length - 2] = cin;
        shape[shape.length - 1] = cout;
        return new Ops.Conv(Tensor.of(k, shape), Tensor.of(bias, cout), d.strides(), d.dilations(), pads(e, d, true),
                pads(e, d, false), 1, d.layout());
    }

    static Model merge(Model model, Block b) {
        Node merged = new Node(b.last(), mergedConv(model, b), List.of(b.input()));
        List<String> drop = b.nodes();
        List<Node> nodes = new ArrayList<>();
        for (Node n : model.nodes()) {
            if (n.name().equals(b.last())) {
                nodes.add(merged);
            } else if (!drop.contains(n.name())) {
                nodes.add(n);
            }
        }
        return model.withGraph(nodes, model.outputs());
    }

    static Model activationFree(Model model, Block b) {
        Ops.Conv e = (Ops.Conv) model.node(b.expand()).op();
        Ops.Conv d = (Ops.Conv) model.node(b.depthwise()).op();
        int[] zero = new int[d.spatialRank()];
        Ops.Conv e2 = new Ops.Conv(e.kernel(), e.bias(), e.strides(), e.dilations(), pads(e, d, true),
                pads(e, d, false), e.groups(), e.layout());
        Ops.Conv d2 = new Ops.Conv(d.kernel(), d.bias(), d.strides(), d.dilations(), zero, zero, d.groups(),
                d.layout());
        Map<String, String> rewire = new HashMap<>();
        for (String a : new String[] {b.act1(), b.act2()}) {
            if (a != null) {
                rewire.put(a, model.node(a).inputs().get(0));
            }
        }
        List<Node> nodes = new ArrayList<>();
        for (Node n : model.nodes()) {
            if (rewire.containsKey(n.name())) {
                continue;
            }
            List<String> in = n.inputs().stream().map(v -> rewire.getOrDefault(v, v)).toList();
            Node r = n.name().equals(b.expand()) ? n.withOp(e2) : n.name().equals(b.depthwise()) ? n.withOp(d2) : n;
            nodes.add(in.equals(n.inputs()) ? r : new Node(r.name(), r.op(), in));
        }
        return model.withGraph(nodes, model.outputs());
    }
}
