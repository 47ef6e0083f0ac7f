package dev.sparsimony.engine.model;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An immutable directed acyclic graph of {@link Node}s. Nodes are kept in topological order (the constructor
 * sorts them if needed); every node's inputs name a graph input or an earlier node.
 */
public final class Model {
    private final String name;
    private final List<ValueInfo> inputs;
    private final List<Node> nodes;
    private final List<String> outputs;
    private final Map<String, String> metadata;
    private final Map<String, Integer> index = new HashMap<>();

    public Model(String name, List<ValueInfo> inputs, List<Node> nodes, List<String> outputs,
                 Map<String, String> metadata) {
        this.name = name;
        this.inputs = List.copyOf(inputs);
        this.outputs = List.copyOf(outputs);
        this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        if (this.inputs.isEmpty()) {
            throw new ModelException("model '" + name + "' has no inputs");
        }
        if (this.outputs.isEmpty()) {
            throw new ModelException("model '" + name + "' has no outputs");
        }
        this.nodes = List.copyOf(topologicalSort(this.inputs, nodes));
        for (int i = 0; i < this.nodes.size(); i++) {
            index.put(this.nodes.get(i).name(), i);
        }
        Set<String> inputNames = new HashSet<>();
        this.inputs.forEach(v -> inputNames.add(v.name()));
        for (String o : this.outputs) {
            if (!index.containsKey(o) && !inputNames.contains(o)) {
                throw new ModelException("model output '" + o + "' is not produced by any node");
            }
        }
    }

    public Model(String name, List<ValueInfo> inputs, List<Node> nodes, List<String> outputs) {
        this(name, inputs, nodes, outputs, Map.of());
    }

    private static List<Node> topologicalSort(List<ValueInfo> inputs, List<Node> nodes) {
        Map<String, Node> byName = new LinkedHashMap<>();
        Set<String> available = new HashSet<>();
        for (ValueInfo v : inputs) {
            if (!available.add(v.name())) {
                throw new ModelException("duplicate graph input '" + v.name() + "'");
            }
        }
        for (Node n : nodes) {
            if (byName.put(n.name(), n) != null || available.contains(n.name())) {
                throw new ModelException("duplicate node name '" + n.name() + "'");
            }
        }
        for (Node n : nodes) {
            for (String in : n.inputs()) {
                if (!available.contains(in) && !byName.containsKey(in)) {
                    throw new ModelException("node '" + n.name() + "' reads '" + in + "', which no node produces");
                }
            }
        }
        // Kahn's algorithm, stable with respect to the given order
        Map<String, Integer> pending = new HashMap<>();
        Map<String, List<Node>> consumers = new HashMap<>();
        Deque<Node> ready = new ArrayDeque<>();
        for (Node n : nodes) {
            int p = 0;
            for (String in : new HashSet<>(n.inputs())) {
                if (!available.contains(in)) {
                    p++;
                    consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(n);
                }
            }
            pending.put(n.name(), p);
            if (p == 0) {
                ready.add(n);
            }
        }
        List<Node> sorted = new ArrayList<>(nodes.size());
        while (!ready.isEmpty()) {
            Node n = ready.poll();
            sorted.add(n);
            for (Node c : consumers.getOrDefault(n.name(), List.of())) {
                if (pending.merge(c.name(), -1, Integer::sum) == 0) {
                    ready.add(c);
                }
            }
        }
        if (sorted.size() != nodes.size()) {
            throw new ModelException("the model graph has a cycle");
        }
        return sorted;
    }

    public String name() {
        return name;
    }

    public List<ValueInfo> inputs() {
        return inputs;
    }

    /** Nodes in topological order. */
    public List<Node> nodes() {
        return nodes;
    }

    public List<String> outputs() {
        return outputs;
    }

    public Map<String, String> metadata() {
        return metadata;
    }

    public Node node(String nodeName) {
        Integer i = index.get(nodeName);
        if (i == null) {
            throw new ModelException("model '" + name + "' has no layer named '" + nodeName + "'");
        }
        return nodes.get(i);
    }

    public boolean hasNode(String nodeName) {
        return index.containsKey(nodeName);
    }

    /** Nodes whose weights the compression engine works on (Dense and Conv), in graph order. */
    public List<Node> prunableNodes() {
        return nodes.stream().filter(n -> n.op().isPrunable()).toList();
    }

    /** A copy of this model with nodes replaced by name (same names, new ops or inputs). */
    public Model withNodes(Map<String, Node> replacements) {
        List<Node> ns = new ArrayList<>(nodes.size());
        for (Node n : nodes) {
            ns.add(replacements.getOrDefault(n.name(), n));
        }
        return new Model(name, inputs, ns, outputs, metadata);
    }

    public Model withNode(Node replacement) {
        node(replacement.name());
        return withNodes(Map.of(replacement.name(), replacement));
    }

    /** A copy of this model with one layer's weight replaced. */
    public Model withWeight(String nodeName, String weightName, Tensor value) {
        Node n = node(nodeName);
        return withNode(n.withOp(n.op().withWeight(weightName, value)));
    }

    /** A copy with a different node list (re-validated and re-sorted), e.g. after a graph transform. */
    public Model withGraph(List<Node> newNodes, List<String> newOutputs) {
        return new Model(name, inputs, newNodes, newOutputs, metadata);
    }

    public Model withName(String newName) {
        return new Model(newName, inputs, nodes, outputs, metadata);
    }

    public Model withMetadata(Map<String, String> md) {
        return new Model(name, inputs, nodes, outputs, md);
    }

    /**
     * Output shape of every value (graph inputs and nodes) for a concrete batch size.
     * Throws {@link ModelException} naming the node whose input shapes do not chain.
     */
    public Map<String, int[]> inferShapes(int batch) {
        Map<String, int[]> shapes = new LinkedHashMap<>();
        for (ValueInfo v : inputs) {
            shapes.put(v.name(), v.shapeWithBatch(batch));
        }
        for (Node n : nodes) {
            List<int[]> in = new ArrayList<>(n.inputs().size());
            for (String s : n.inputs()) {
                in.add(shapes.get(s));
            }
            try {
                shapes.put(n.name(), n.op().outputShape(in));
            } catch (ModelException e) {
                throw new ModelException("layer '" + n.name() + "' (" + n.op().kind() + "): " + e.getMessage(), e);
            } catch (RuntimeException e) {
                throw new ModelException("layer '" + n.name() + "' (" + n.op().kind() + "): cannot infer its shape ("
                        + Problems.inUserWords(e) + ")", e);
            }
        }
        return shapes;
    }

    /** Total number of weight values (all named tensors of all nodes, constants excluded). */
    public long parameterCount() {
        long n = 0;
        for (Node node : nodes) {
            if (!(node.op() instanceof Ops.Constant)) {
                for (Tensor t : node.op().weights().values()) {
                    n += t.size();
                }
            }
        }
        return n;
    }

    /** Fraction of exactly-zero values over the kernels of the prunable layers. */
    public double kernelSparsity() {
        long zeros = 0;
        long total = 0;
        for (Node node : prunableNodes()) {
            float[] w = node.op().weights().get("kernel").data();
            total += w.length;
            for (float v : w) {
                if (v == 0f) {
                    zeros++;
                }
            }
        }
        return total == 0 ? 0 : (double) zeros / total;
    }

    @Override
    public String toString() {
        return "Model[" + name + ", " + nodes.size() + " nodes]";
    }
}
