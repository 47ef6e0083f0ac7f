package dev.sparsimony.engine.infer;

import dev.sparsimony.engine.infer.kernels.NdUtil;
import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.model.Node;
import dev.sparsimony.engine.model.Op;
import dev.sparsimony.engine.model.Tensor;
import dev.sparsimony.engine.model.ValueInfo;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The model bound to concrete input shapes: one pre-allocated buffer per value and one prepared step per node.
 *
 * <p>Buffer sharing: view ops (Reshape, Flatten, Identity) alias their input; element-wise ops write into
 * their input's buffer when they are its last reader and it backs no model output. So a Dense → ReLU chain
 * needs one buffer.
 */
final class Plan {
    private final Node[] nodes;
    private final OpKernel.Step[] steps;
    private final INDArray[] outputs;
    private final Map<String, INDArray> values = new HashMap<>();
    private final Map<String, int[]> shapes = new HashMap<>();
    private final Scratch scratch = new Scratch();
    /** Fused step starting at node i (null when none) and, for every node it covers, the index of its head. */
    private final OpKernel.FusedStep[] fused;
    private final int[] fusedHead;

    Plan(Model model, Map<String, int[]> inputShapes, WeightStore weights) {
        List<Node> ns = model.nodes();
        nodes = ns.toArray(new Node[0]);
        steps = new OpKernel.Step[nodes.length];
        outputs = new INDArray[nodes.length];
        OpKernel.Context[] contexts = new OpKernel.Context[nodes.length];

        Map<String, Integer> lastReader = new HashMap<>();
        for (int i = 0; i < nodes.length; i++) {
            for (String in : nodes[i].inputs()) {
                lastReader.put(in, i);
            }
        }
        Set<String> modelOutputs = new HashSet<>(model.outputs());
        // storage groups: values sharing one buffer
        Map<String, Integer> group = new HashMap<>();
        List<List<String>> members = new ArrayList<>();
        // the buffer each group was allocated as: views are taken of it, never of another view, because ND4J makes
        // a view of a view walk its whole ancestry (a chain of 2,000 Identity layers took 10 s to plan)
        List<INDArray> roots = new ArrayList<>();

        for (ValueInfo v : model.inputs()) {
            int[] s = inputShapes.get(v.name());
            if (s == null) {
                throw new ModelException("no data given for model input '" + v.name() + "'");
            }
            shapes.put(v.name(), s.clone());
            INDArray buf = NdUtil.zeros(NdUtil.longs(s));
            values.put(v.name(), buf);
            group.put(v.name(), members.size());
            members.add(new ArrayList<>(List.of(v.name())));
            roots.add(buf);
        }
        for (int i = 0; i < nodes.length; i++) {
            Node n = nodes[i];
            Op op = n.op();
            OpKernel<Op> kernel = Kernels.forOp(op);
            List<int[]> inShapes = new ArrayList<>();
            INDArray[] ins = new INDArray[n.inputs().size()];
            for (int k = 0; k < ins.length; k++) {
                inShapes.add(shapes.get(n.inputs().get(k)));
                ins[k] = values.get(n.inputs().get(k));
            }
            int[] outShape;
            try {
                outShape = op.outputShape(inShapes);
            } catch (ModelException e) {
                throw new ModelException("layer '" + n.name() + "' (" + op.kind() + "): " + e.getMessage(), e);
            } catch (RuntimeException e) {
                throw new ModelException("layer '" + n.name() + "' (" + op.kind() + "): cannot infer its shape ("
                        + dev.sparsimony.engine.model.Problems.inUserWords(e) + ")", e);
            }
            shapes.put(n.name(), outShape);
            INDArray out = null;
            int g = -1;
            if (ins.length > 0) {
                String in0 = n.inputs().get(0);
                int g0 = group.get(in0);
                if (kernel.isView() && ins[0].length() == Tensor.numel(outShape)
                        && roots.get(g0).length() == ins[0].length()) {
                    out = NdUtil.view(roots.get(g0), NdUtil.longs(outShape));
                    g = g0;
                } else if (kernel.supportsInPlace() && Arrays.equals(outShape, inShapes.get(0))
                        && canOverwrite(g0, i, n, group, members, lastReader, modelOutputs)) {
                    out = ins[0];
                    g = g0;
                }
            }
            if (out == null) {
                activationBytes += 4 * Tensor.numel(outShape);
                checkBudget(n, outShape);
                out = NdUtil.zeros(NdUtil.longs(outShape));
                g = members.size();
                members.add(new ArrayList<>());
                roots.add(out);
            }
            group.put(n.name(), g);
            members.get(g).add(n.name());
            values.put(n.name(), out);
            outputs[i] = out;
            try {
                contexts[i] = new OpKernel.Context(n.name(), ins, out, weights.of(n.name()), scratch);
                steps[i] = kernel.prepare(op, contexts[i]);
            } catch (ModelException e) {
                throw new ModelException("layer '" + n.name() + "' (" + op.kind() + "): " + e.getMessage(), e);
            }
        }
        fused = new OpKernel.FusedStep[nodes.length];
        fusedHead = new int[nodes.length];
        Arrays.fill(fusedHead, -1);
        prepareFusion(model, contexts);
    }

    /**
     * Offers every {@link OpKernel.Fusing} node the chain after it: node k + 1 reads only node k's value, which has
     * no other reader and is no model output.
     */
    private void prepareFusion(Model model, OpKernel.Context[] contexts) {
        Map<String, Integer> readers = new HashMap<>();
        for (Node n : nodes) {
            for (String in : n.inputs()) {
                readers.merge(in, 1, Integer::sum);
            }
        }
        Set<String> modelOutputs = new HashSet<>(model.outputs());
        for (int i = 0; i < nodes.length; i++) {
            if (!(Kernels.forOp(nodes[i].op()) instanceof OpKernel.Fusing<?>)) {
                continue;
            }
            List<OpKernel.Member> tail = new ArrayList<>();
            for (int j = i + 1; j < nodes.length; j++) {
                String prev = nodes[j - 1].name();
                if (!nodes[j].inputs().equals(List.of(prev)) || readers.getOrDefault(prev, 0) != 1
                        || modelOutputs.contains(prev)) {
                    break;
                }
                tail.add(new OpKernel.Member(nodes[j], contexts[j], steps[j]));
            }
            if (tail.isEmpty()) {
                continue;
            }
            @SuppressWarnings("unchecked")
            OpKernel.Fusing<Op> k = (OpKernel.Fusing<Op>) Kernels.forOp(nodes[i].op());
            OpKernel.FusedStep f;
            try {
                f = k.prepareFused(nodes[i].op(), contexts[i], List.copyOf(tail));
            } catch (ModelException e) {
                throw new ModelException("layer '" + nodes[i].name() + "' (" + nodes[i].op().kind() + "): "
                        + e.getMessage(), e);
            }
            if (f != null) {
                fused[i] = f;
                for (int j = i; j <= i + f.members(); j++) {
                    fusedHead[j] = i;
                }
                i += f.members();
            }
        }
    }

    /** Bytes of activation buffers allocated so far by this plan. */
    private long activationBytes;

    /**
     * Refuses a plan whose activations exceed the native memory Sparsimony may use (a damaged or hostile model can
     * declare any size), before allocating: a one-line error instead of an out-of-memory failure.
     */
    private void checkBudget(Node n, int[] outShape) {
        long limit = org.bytedeco.javacpp.Pointer.maxBytes();
        if (limit <= 0) {
            limit = Runtime.getRuntime().maxMemory();
        }
        if (activationBytes > limit / 2) {
            throw new ModelException("layer '" + n.name() + "' (" + n.op().kind() + ") output " + Arrays.toString(outShape)
                    + " brings the activations to " + (activationBytes >> 20) + " MB, more than half of the "
                    + (limit >> 20) + " MB of native memory Sparsimony may use (use fewer samples, or raise"
                    + " -Dorg.bytedeco.javacpp.maxbytes)");
        }
    }

    private static boolean canOverwrite(int g, int i, Node n, Map<String, Integer> group, List<List<String>> members,
                                        Map<String, Integer> lastReader, Set<String> modelOutputs) {
        for (String m : members.get(g)) {
            if (modelOutputs.contains(m) || lastReader.getOrDefault(m, -1) > i) {
                return false;
            }
        }
        for (int k = 1; k < n.inputs().size(); k++) {
            if (group.get(n.inputs().get(k)) == g) {
                return false;
            }
        }
        return true;
    }

    int nodeCount() {
        return nodes.length;
    }

    /** Runs node i. */
    void run(int i) {
        steps[i].run();
    }

    INDArray output(int i) {
        return outputs[i];
    }

    /** The buffer of a value (graph input or node output). */
    INDArray value(String name) {
        return values.get(name);
    }

    int[] shape(String name) {
        return shapes.get(name).clone();
    }

    /**
     * True when node i is an element-wise step that runs in place on the output of node i - 1 (its only input),
     * so the two can share one pass over the buffer.
     */
    boolean fusesWithPrevious(int i) {
        return i > 0 && steps[i] instanceof OpKernel.ElementwiseStep && outputs[i] == outputs[i - 1]
                && nodes[i].inputs().size() == 1 && nodes[i].inputs().get(0).equals(nodes[i - 1].name());
    }

    OpKernel.ElementwiseStep elementwise(int i) {
        return (OpKernel.ElementwiseStep) steps[i];
    }

    /** The fused step whose head is node i, or null. */
    OpKernel.FusedStep fused(int i) {
        return fused[i];
    }

    void weightsChanged(int nodeIndex) {
        steps[nodeIndex].weightsChanged();
        if (fusedHead[nodeIndex] >= 0) {
            fused[fusedHead[nodeIndex]].weightsChanged();
        }
    }
}
