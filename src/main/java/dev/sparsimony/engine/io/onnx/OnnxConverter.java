package dev.sparsimony.engine.io.onnx;

import dev.sparsimony.engine.io.onnx.proto.OnnxProto.AttributeProto;
import dev.sparsimony.engine.io.onnx.proto.OnnxProto.GraphProto;
import dev.sparsimony.engine.io.onnx.proto.OnnxProto.ModelProto;
import dev.sparsimony.engine.io.onnx.proto.OnnxProto.NodeProto;
import dev.sparsimony.engine.io.onnx.proto.OnnxProto.OperatorSetIdProto;
import dev.sparsimony.engine.io.onnx.proto.OnnxProto.StringStringEntryProto;
import dev.sparsimony.engine.io.onnx.proto.OnnxProto.TensorProto;
import dev.sparsimony.engine.io.onnx.proto.OnnxProto.TensorShapeProto;
import dev.sparsimony.engine.io.onnx.proto.OnnxProto.ValueInfoProto;
import dev.sparsimony.engine.model.ActivationKind;
import dev.sparsimony.engine.model.BatchAxis;
import dev.sparsimony.engine.model.Layout;
import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.model.Node;
import dev.sparsimony.engine.model.Op;
import dev.sparsimony.engine.model.Ops;
import dev.sparsimony.engine.model.QuantOps;
import dev.sparsimony.engine.model.Quantization;
import dev.sparsimony.engine.model.Shapes;
import dev.sparsimony.engine.model.Tensor;
import dev.sparsimony.engine.model.ValueInfo;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Converts one ONNX {@link ModelProto} into the IR. Semantics follow the ONNX operator specification
 * (https://onnx.ai/onnx/operators/), including the opset-dependent variants noted per operator.
 *
 * <p>Constants (initializers, {@code Constant} nodes and everything computed only from them, e.g. the
 * {@code ConstantOfShape} weight generators or {@code Shape -> Gather -> Concat} shape arithmetic) are folded
 * here; what remains are runtime nodes, named after their ONNX output. Weighted operators become the IR's
 * prunable layers: Conv (OIHW to HWIO), Gemm/MatMul with a constant right-hand side (to Dense [in, out]), and a
 * following Add of a constant bias is merged into them.
 *
 * <p>The batch: a graph input whose first dimension is symbolic, unknown or 1 gets a free batch (-1). Import
 * itself works with batch 1, and a Reshape whose constant target keeps the batch axis (first entry 1, 0 or -1
 * with the per-sample size unchanged) is rewritten to infer it, so models exported with a baked batch of 1
 * (e.g. mnist-8's Reshape to [1, 256]) run on any batch.
 */
final class OnnxConverter {
    /** Operators this importer handles (the ai.onnx domain). */
    static final Set<String> SUPPORTED = new TreeSet<>(List.of(
            "Add", "AveragePool", "BatchNormalization", "Cast", "CastLike", "Clip", "Concat", "Constant",
            "ConstantOfShape", "Conv", "DequantizeLinear", "Div", "Dropout", "Elu", "Flatten", "Gather", "Gemm",
            "GlobalAveragePool", "GlobalMaxPool", "HardSigmoid", "Identity", "LRN", "LeakyRelu", "LogSoftmax", "MatMul",
            "MaxPool", "Mul", "Neg", "PRelu", "Pad", "QLinearConv", "QLinearMatMul", "QuantizeLinear", "Relu",
            "Reshape", "Selu", "Shape", "Sigmoid", "Slice", "Softmax", "Softplus", "Softsign", "Squeeze", "Sub", "Sum",
            "Tanh", "ThresholdedRelu", "Transpose", "Unsqueeze"));

    /** QONNX quantizers (Brevitas/FINN exports) and the custom domains they are written in. */
    static final Set<String> QONNX_OPS = new TreeSet<>(List.of("BipolarQuant", "IntQuant", "Quant", "Trunc"));
    static final Set<String> QONNX_DOMAINS = Set.of("qonnx.custom_op.general", "finn.custom_op.general",
            "onnx.brevitas", "finn");

    private static final Layout LAYOUT = Layout.CHANNELS_FIRST;

    private final ModelProto mp;
    private final String fileLabel;
    private int opset = 1;
    private final Map<String, Const> consts = new HashMap<>();
    private final Map<String, String> alias = new HashMap<>();
    private final Map<String, int[]> shapes = new HashMap<>();
    private final Set<String> batched = new HashSet<>();
    private final LinkedHashMap<String, Node> nodes = new LinkedHashMap<>();
    /** Number of readers of each ONNX value (node inputs and graph outputs). */
    private final Map<String, Integer> uses = new HashMap<>();
    /** Readers not yet converted, for releasing constants early. */
    private final Map<String, Integer> remaining = new HashMap<>();
    private final Set<String> graphOutputs = new HashSet<>();
    private final Set<String> taken = new HashSet<>();
    private final List<ValueInfo> inputs = new ArrayList<>();
    private final Map<String, Integer> inputTypes = new HashMap<>();
    /** Values of graph inputs known for this import, used where a layer needs a constant operand. */
    private final Map<String, Tensor> known;
    private final Set<String> inputNames = new HashSet<>();
    /** Element types of runtime values that are not float (casts, QuantizeLinear, QLinear outputs). */
    private final Map<String, Integer> valueTypes = new HashMap<>();
    /** Quantizers folded into constants, by the constant's name (QONNX Quant of a weight). */
    private final Map<String, Quantization> quantOf = new HashMap<>();
    /** Quantizers of layer weights, by IR node name and weight ("fc1|kernel"). */
    private final Map<String, Quantization> layerQuant = new LinkedHashMap<>();
    /** Graph inputs whose declared first dimension 1 was taken as a free batch. */
    private final Set<String> fixedOne = new HashSet<>();

    /**
     * @param known values of graph inputs for a run on those values (e.g. the weights that ONNX backend test
     *              cases pass as inputs: the IR keeps weights inside its layers); may be empty. They are taken
     *              only where an operand must be constant; the inputs stay graph inputs.
     */
    OnnxConverter(ModelProto mp, String fileLabel, Map<String, Tensor> known) {
        this.mp = mp;
        this.fileLabel = fileLabel;
        this.known = known;
    }

    Model convert() {
        if (!mp.hasGraph()) {
            throw new ModelException(fileLabel + " is not an ONNX model (it has no graph)");
        }
        GraphProto g = mp.getGraph();
        boolean haveOnnxOpset = false;
        for (OperatorSetIdProto o : mp.getOpsetImportList()) {
            if (o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx")) {
                opset = (int) o.getVersion();
                haveOnnxOpset = true;
            }
        }
        if (!haveOnnxOpset && mp.getOpsetImportCount() > 0 && g.getNodeCount() > 0) {
            // only custom domains imported: ai.onnx nodes cannot appear; opset stays 1 for messages
            opset = 1;
        }
        if (g.getSparseInitializerCount() > 0) {
            throw new ModelException(fileLabel + " has sparse initializers, which Sparsimony does not support");
        }
        for (NodeProto n : g.getNodeList()) {
            for (String s : n.getInputList()) {
                if (!s.isEmpty()) {
                    uses.merge(s, 1, Integer::sum);
                }
                taken.add(s);
            }
            taken.addAll(n.getOutputList());
        }
        for (ValueInfoProto o : g.getOutputList()) {
            graphOutputs.add(o.getName());
            uses.merge(o.getName(), 1, Integer::sum);
        }
        remaining.putAll(uses);
        Set<String> initNames = new HashSet<>();
        for (TensorProto t : g.getInitializerList()) {
            if (t.getName().isEmpty()) {
                throw new ModelException(fileLabel + ": an initializer has no name");
            }
            initNames.add(t.getName());
            taken.add(t.getName());
            consts.put(t.getName(), OnnxTensors.decode(t, "initializer '" + t.getName() + "'"));
        }
        for (ValueInfoProto v : g.getInputList()) {
            taken.add(v.getName());
            if (initNames.contains(v.getName())) {
                continue;
            }
            addInput(v);
        }
        if (inputs.isEmpty()) {
            throw new ModelException(fileLabel + ": the graph has no inputs besides its initializers");
        }
        if (g.getOutputCount() == 0) {
            throw new ModelException(fileLabel + ": the graph has no outputs");
        }
        for (int i : topologicalOrder(g)) {
            NodeProto p = g.getNode(i);
            N n = new N(p, i);
            try {
                convertNode(n);
                release(p);
            } catch (ModelException e) {
                if (e.getMessage() != null && e.getMessage().startsWith("ONNX node ")) {
                    throw e;
                }
                throw new ModelException(n.label() + " (" + p.getOpType() + "): " + e.getMessage(), e);
            }
        }
        List<String> outs = new ArrayList<>();
        for (ValueInfoProto o : g.getOutputList()) {
            String name = o.getName();
            Const c = consts.get(name);
            if (c != null && !inputNames.contains(name)) {
                if (!nodes.containsKey(name)) {
                    emit(name, new Ops.Constant(c.toTensor()), List.of(), false);
                }
            } else if (!resolve(name).equals(name)) {
                emit(name, new Ops.Identity(), List.of(resolve(name)), batched.contains(resolve(name)));
            } else if (!nodes.containsKey(name) && inputs.stream().noneMatch(v -> v.name().equals(name))) {
                throw new ModelException(fileLabel + ": graph output '" + name + "' is not produced by any node");
            }
            outs.add(name);
        }
        Map<String, String> md = new LinkedHashMap<>();
        md.put("format", "ONNX");
        md.put("onnx.ir_version", String.valueOf(mp.getIrVersion()));
        md.put("onnx.opset", String.valueOf(opset));
        if (!mp.getProducerName().isEmpty()) {
            md.put("onnx.producer", (mp.getProducerName() + " " + mp.getProducerVersion()).trim());
        }
        for (StringStringEntryProto e : mp.getMetadataPropsList()) {
            md.put("onnx.meta." + e.getKey(), e.getValue());
        }
        for (Quantization q : layerQuant.values()) {
            if (nodes.containsKey(q.layer())) {
                md.put(q.key(), q.value());
            }
        }
        String name = g.getName().isEmpty() ? fileLabel : g.getName();
        Model m = new Model(name, inputs, new ArrayList<>(nodes.values()), outs, md);
        if (!fixedOne.isEmpty() && !BatchAxis.outputsKeepBatch(m)) {
            // a declared batch of 1 is free only when that provably changes nothing (every output keeps the batch);
            // otherwise it stays 1 and a larger data set runs sample by sample (e.g. keras2onnx's Flatten(axis=0))
            List<ValueInfo> declared = new ArrayList<>();
            for (ValueInfo v : inputs) {
                int[] sh = v.shape();
                if (fixedOne.contains(v.name())) {
                    sh[0] = 1;
                }
                declared.add(new ValueInfo(v.name(), sh));
            }
            m = new Model(name, declared, m.nodes(), outs, md);
        }
        return m;
    }

    // ------------------------------------------------------------------ graph set-up

    /** A known graph input as a constant of its declared element type. */
    private Const knownConst(String name) {
        Tensor fv = known.get(name);
        int et = inputTypes.getOrDefault(name, OnnxTensors.FLOAT);
        return OnnxTensors.isFloatType(et) || et == 0 ? Const.ofFloats(fv.shape(), fv.data())
                : Const.ofLongs(fv.shape(), et, toLongs(fv.data()));
    }

    private void addInput(ValueInfoProto v) {
        String name = v.getName();
        inputNames.add(name);
        Tensor kv = known.get(name);
        if (kv != null && !hasFixedShape(v)) {
            // a known value stands in for a declaration that cannot be bound (no shape, symbolic feature axes)
            inputTypes.put(name, v.getType().getTensorType().getElemType());
            ValueInfo vi = new ValueInfo(name, kv.shape());
            inputs.add(vi);
            shapes.put(name, kv.shape());
            return;
        }
        if (!v.hasType() || !v.getType().hasTensorType()) {
            throw new ModelException(fileLabel + ": graph input '" + name + "' is not a tensor (or has no type)");
        }
        var tt = v.getType().getTensorType();
        if (!tt.hasShape()) {
            throw new ModelException(fileLabel + ": graph input '" + name + "' has no shape; Sparsimony needs input"
                    + " shapes (all dimensions fixed except the batch)");
        }
        List<TensorShapeProto.Dimension> dims = tt.getShape().getDimList();
        int[] shape = new int[dims.size()];
        for (int i = 0; i < shape.length; i++) {
            TensorShapeProto.Dimension d = dims.get(i);
            // a zero-sized dimension is data (an empty tensor), never the batch; a symbolic or unknown first
            // dimension is the batch, and so is a fixed 1 while every output keeps the batch (checked in convert)
            boolean known = d.hasDimValue() && d.getDimValue() >= 0;
            if (i == 0 && (!known || (d.getDimValue() == 1 && shape.length >= 2))) {
                shape[i] = -1;
                if (known) {
                    fixedOne.add(name);
                }
            } else if (!known) {
                throw new ModelException(fileLabel + ": graph input '" + name + "' has dimension " + i + " "
                        + (d.hasDimParam() ? "'" + d.getDimParam() + "'" : "unknown")
                        + "; Sparsimony needs every dimension except the first (batch) fixed");
            } else if (d.getDimValue() > Integer.MAX_VALUE) {
                throw new ModelException(fileLabel + ": graph input '" + name + "' has dimension " + d.getDimValue());
            } else {
                shape[i] = (int) d.getDimValue();
            }
        }
        ValueInfo vi = new ValueInfo(name, shape);
        inputTypes.put(name, tt.getElemType());
        inputs.add(vi);
        shapes.put(name, vi.shapeWithBatch(1));
        if (shape.length > 0 && shape[0] == -1) {
            batched.add(name);
        }
    }

    private static boolean hasFixedShape(ValueInfoProto v) {
        if (!v.hasType() || !v.getType().hasTensorType() || !v.getType().getTensorType().hasShape()) {
            return false;
        }
        List<TensorShapeProto.Dimension> dims = v.getType().getTensorType().getShape().getDimList();
        for (int i = 1; i < dims.size(); i++) {
            if (!dims.get(i).hasDimValue() || dims.get(i).getDimValue() < 0) {
                return false;
            }
        }
        return true;
    }

    /** Node indices in an order where producers come first (ONNX graphs must be sorted, but not all are). */
    private List<Integer> topologicalOrder(GraphProto g) {
        Map<String, Integer> producer = new HashMap<>();
        for (int i = 0; i < g.getNodeCount(); i++) {
            for (String o : g.getNode(i).getOutputList()) {
                if (o.isEmpty()) {
                    continue;
                }
                if (producer.put(o, i) != null || consts.containsKey(o) || shapes.containsKey(o)) {
                    throw new ModelException(fileLabel + ": value '" + o + "' is produced twice (ONNX node " + i + ")");
                }
            }
        }
        int n = g.getNodeCount();
        int[] pending = new int[n];
        Map<Integer, List<Integer>> consumers = new HashMap<>();
        Deque<Integer> ready = new ArrayDeque<>();
        for (int i = 0; i < n; i++) {
            NodeProto p = g.getNode(i);
            Set<Integer> deps = new HashSet<>();
            for (String in : p.getInputList()) {
                if (in.isEmpty() || consts.containsKey(in) || shapes.containsKey(in)) {
                    continue;
                }
                Integer pr = producer.get(in);
                if (pr == null) {
                    throw new ModelException(new N(p, i).label() + " (" + p.getOpType() + ") reads '" + in
                            + "', which no node, initializer or graph input provides");
                }
                deps.add(pr);
            }
            pending[i] = deps.size();
            for (int d : deps) {
                consumers.computeIfAbsent(d, k -> new ArrayList<>()).add(i);
            }
            if (deps.isEmpty()) {
                ready.add(i);
            }
        }
        List<Integer> order = new ArrayList<>(n);
        while (!ready.isEmpty()) {
            int i = ready.poll();
            order.add(i);
            for (int c : consumers.getOrDefault(i, List.of())) {
                if (--pending[c] == 0) {
                    ready.add(c);
                }
            }
        }
        if (order.size() != n) {
            throw new ModelException(fileLabel + ": the ONNX graph has a cycle");
        }
        return order;
    }

    // ------------------------------------------------------------------ helpers

    /** Drops constants no later node reads, so a weight's ONNX layout and its IR copy are not both kept. */
    private void release(NodeProto p) {
        for (String in : p.getInputList()) {
            if (!in.isEmpty() && remaining.merge(in, -1, Integer::sum) <= 0 && !graphOutputs.contains(in)) {
                consts.remove(in);
            }
        }
    }

    private String resolve(String onnxName) {
        String r = onnxName;
        while (alias.containsKey(r)) {
            r = alias.get(r);
        }
        return r;
    }

    private String unique(String base) {
        String s = base;
        int k = 1;
        while (taken.contains(s) || nodes.containsKey(s) || shapes.containsKey(s)) {
            s = base + "_" + k++;
        }
        taken.add(s);
        return s;
    }

    /** Adds an IR node, inferring its shape (which checks that the inputs chain). */
    private void emit(String name, Op op, List<String> in, boolean isBatched) {
        List<int[]> inShapes = new ArrayList<>(in.size());
        for (String s : in) {
            int[] sh = shapes.get(s);
            if (sh == null) {
                throw new ModelException("internal: no shape for '" + s + "'");
            }
            inShapes.add(sh);
        }
        Node node = new Node(name, op, in);
        int[] out = op.outputShape(inShapes);
        nodes.put(name, node);
        shapes.put(name, out);
        if (isBatched && out.length > 0) {
            batched.add(name);
        }
    }

    private boolean anyBatched(List<String> in) {
        return in.stream().anyMatch(batched::contains);
    }

    private static long[] toLongs(float[] v) {
        long[] o = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            o[i] = Math.round(v[i]);
        }
        return o;
    }

    /** One ONNX node with attribute and input accessors. */
    private final class N {
        final NodeProto p;
        final int index;
        final String op;
        final Map<String, AttributeProto> attrs = new HashMap<>();

        N(NodeProto p, int index) {
            this.p = p;
            this.index = index;
            this.op = p.getOpType();
            for (AttributeProto a : p.getAttributeList()) {
                attrs.put(a.getName(), a);
            }
        }

        String label() {
            if (!p.getName().isEmpty()) {
                return "ONNX node " + index + " '" + p.getName() + "'";
            }
            return "ONNX node " + index + (p.getOutputCount() > 0 ? " (output '" + p.getOutput(0) + "')" : "");
        }

        String out() {
            if (p.getOutputCount() == 0 || p.getOutput(0).isEmpty()) {
                throw new ModelException("the node has no output");
            }
            return p.getOutput(0);
        }

        int inputCount() {
            return p.getInputCount();
        }

        boolean has(int i) {
            return i < p.getInputCount() && !p.getInput(i).isEmpty();
        }

        String in(int i) {
            if (!has(i)) {
                throw new ModelException("input " + i + " is missing");
            }
            return p.getInput(i);
        }

        Const cst(int i) {
            return has(i) ? consts.get(p.getInput(i)) : null;
        }

        boolean isConst(int i) {
            return cst(i) != null;
        }

        Const requireConst(int i, String what) {
            Const c = cst(i);
            if (c == null && has(i) && inputNames.contains(p.getInput(i)) && known.containsKey(p.getInput(i))) {
                c = knownConst(p.getInput(i)); // a weight passed as a graph input, known for this run
                consts.put(p.getInput(i), c);
            }
            if (c == null) {
                throw new ModelException("its " + what + " (input " + i + ", '" + in(i) + "') must be a constant"
                        + " (initializer or constant sub-graph); computed " + what + " are not supported");
            }
            return c;
        }

        /** IR name of input i as a runtime value; a constant becomes an IR Constant node (once). */
        String rt(int i) {
            String name = in(i);
            if (inputNames.contains(name)) {
                return name; // a graph input is fed at run time, even when its value was also taken as a constant
            }
            Const c = consts.get(name);
            if (c != null) {
                if (!nodes.containsKey(name)) {
                    emit(name, new Ops.Constant(c.toTensor()), List.of(), false);
                }
                return name;
            }
            return resolve(name);
        }

        int[] shapeOf(int i) {
            Const c = cst(i);
            return c != null ? c.shape.clone() : shapes.get(resolve(in(i))).clone();
        }

        boolean batchedIn(int i) {
            return !isConst(i) && batched.contains(resolve(in(i)));
        }

        AttributeProto attr(String name) {
            return attrs.get(name);
        }

        long i(String name, long def) {
            AttributeProto a = attrs.get(name);
            return a == null ? def : a.getI();
        }

        float f(String name, float def) {
            AttributeProto a = attrs.get(name);
            return a == null ? def : a.getF();
        }

        String s(String name, String def) {
            AttributeProto a = attrs.get(name);
            return a == null ? def : a.getS().toStringUtf8();
        }

        int[] ints(String name, int[] def) {
            AttributeProto a = attrs.get(name);
            if (a == null) {
                return def;
            }
            return Const.toInts(a.getIntsList().stream().mapToLong(Long::longValue).toArray(), "attribute " + name);
        }

        /** Only the first output may be consumed (e.g. MaxPool's Indices, Dropout's mask are not computed). */
        void onlyFirstOutputUsed() {
            for (int k = 1; k < p.getOutputCount(); k++) {
                String o = p.getOutput(k);
                if (!o.isEmpty() && uses.getOrDefault(o, 0) > 0) {
                    throw new ModelException("its output " + k + " ('" + o + "') is used, but Sparsimony computes only"
                            + " the first output of " + op);
                }
            }
        }
    }

    // ------------------------------------------------------------------ operators

    private void convertNode(N n) {
        String domain = n.p.getDomain();
        boolean qonnx = QONNX_DOMAINS.contains(domain) && QONNX_OPS.contains(n.op);
        if (!qonnx && (!(domain.isEmpty() || domain.equals("ai.onnx")) || !SUPPORTED.contains(n.op))) {
            int ver = opset;
            for (OperatorSetIdProto o : mp.getOpsetImportList()) {
                if (o.getDomain().equals(domain) || (domain.isEmpty() && o.getDomain().equals("ai.onnx"))) {
                    ver = (int) o.getVersion();
                }
            }
            throw new ModelException(n.label() + " uses operator '" + n.op + "' (domain "
                    + (domain.isEmpty() ? "ai.onnx" : domain) + ", opset " + ver
                    + "), which Sparsimony does not support; supported: " + String.join(", ", SUPPORTED)
                    + "; QONNX: " + String.join(", ", QONNX_OPS));
        }
        if (n.p.getOutputCount() == 0) {
            throw new ModelException(n.label() + " (" + n.op + ") has no outputs");
        }
        if (qonnx) {
            n.onlyFirstOutputUsed();
            qonnx(n);
            return;
        }
        if (!n.op.equals("MaxPool")) {
            n.onlyFirstOutputUsed(); // MaxPool computes its Indices output too
        }
        switch (n.op) {
            case "Constant" -> constant(n);
            case "ConstantOfShape" -> constantOfShape(n);
            case "Shape" -> shape(n);
            case "Gather" -> consts.put(n.out(), ConstFold.gather(n.requireConst(0, "data"),
                    n.requireConst(1, "indices"), (int) n.i("axis", 0)));
            case "Cast" -> cast(n);
            case "Slice" -> slice(n);
            case "Identity", "Dropout" -> identity(n);
            case "Add", "Sub", "Mul", "Div" -> arithmetic(n);
            case "Sum" -> sum(n);
            case "Conv" -> conv(n);
            case "MaxPool", "AveragePool" -> pool(n);
            case "GlobalAveragePool", "GlobalMaxPool" -> emit(n.out(), new Ops.GlobalPool(
                    n.op.equals("GlobalMaxPool") ? Ops.PoolKind.MAX : Ops.PoolKind.AVG, LAYOUT, true),
                    List.of(n.rt(0)), n.batchedIn(0));
            case "BatchNormalization" -> batchNorm(n);
            case "Relu", "Sigmoid", "Tanh", "Softplus", "Softsign", "LeakyRelu", "Elu", "HardSigmoid", "Selu", "Clip" ->
                    activation(n);
            case "Softmax" -> softmax(n);
            case "LRN" -> {
                if (!n.attrs.containsKey("size")) {
                    throw new ModelException("LRN needs the 'size' attribute");
                }
                emit(n.out(), new Ops.Lrn((int) n.i("size", 1), n.f("alpha", 1e-4f), n.f("beta", 0.75f),
                        n.f("bias", 1f), LAYOUT), List.of(n.rt(0)), n.batchedIn(0));
            }
            case "Flatten" -> flatten(n);
            case "Reshape" -> reshape(n);
            case "Transpose" -> transpose(n);
            case "Concat" -> concat(n);
            case "Squeeze", "Unsqueeze" -> squeeze(n);
            case "Gemm" -> gemm(n);
            case "MatMul" -> matmul(n);
            case "QuantizeLinear", "DequantizeLinear" -> quant(n);
            case "PRelu" -> emit(n.out(), new Ops.PRelu(n.requireConst(1, "slope").toTensor()), List.of(n.rt(0)),
                    n.batchedIn(0));
            case "ThresholdedRelu" -> emit(n.out(), new Ops.ThresholdedRelu(n.f("alpha", 1f)), List.of(n.rt(0)),
                    n.batchedIn(0));
            case "Neg" -> neg(n);
            case "LogSoftmax" -> {
                boolean legacy = opset < 13;
                emit(n.out(), new Ops.LogSoftmax((int) n.i("axis", legacy ? 1 : -1), legacy), List.of(n.rt(0)),
                        n.batchedIn(0));
            }
            case "Pad" -> pad(n);
            case "CastLike" -> castTo(n, typeOf(n, 1));
            case "QLinearConv" -> qlinearConv(n);
            case "QLinearMatMul" -> qlinearMatMul(n);
            default -> throw new ModelException("internal: operator " + n.op + " listed but not converted");
        }
    }

    private void constant(N n) {
        if (n.attrs.size() != 1) {
            throw new ModelException("Constant needs exactly one value attribute, got " + n.attrs.keySet());
        }
        AttributeProto a = n.attrs.values().iterator().next();
        Const c = switch (a.getName()) {
            case "value" -> OnnxTensors.decode(a.getT(), "Constant value");
            case "value_float" -> Const.ofFloats(new int[0], new float[] {a.getF()});
            case "value_floats" -> {
                float[] v = new float[a.getFloatsCount()];
                for (int k = 0; k < v.length; k++) {
                    v[k] = a.getFloats(k);
                }
                yield Const.ofFloats(new int[] {v.length}, v);
            }
            case "value_int" -> Const.ofLongs(new int[0], OnnxTensors.INT64, new long[] {a.getI()});
            case "value_ints" -> Const.ofInt64(a.getIntsList().stream().mapToLong(Long::longValue).toArray());
            default -> throw new ModelException("Constant attribute '" + a.getName() + "' is not supported"
                    + " (supported: value, value_float, value_floats, value_int, value_ints)");
        };
        consts.put(n.out(), c);
    }

    private void constantOfShape(N n) {
        int[] shape = n.requireConst(0, "shape").intsOf("ConstantOfShape shape");
        for (int d : shape) {
            if (d < 0) {
                throw new ModelException("ConstantOfShape shape " + Arrays.toString(shape) + " has a negative entry");
            }
        }
        AttributeProto a = n.attr("value");
        if (a == null) {
            consts.put(n.out(), Const.filled(shape, OnnxTensors.FLOAT, 0));
            return;
        }
        Const v = OnnxTensors.decode(a.getT(), "ConstantOfShape value");
        if (v.size() != 1) {
            throw new ModelException("ConstantOfShape value must hold one element, got " + v.size());
        }
        consts.put(n.out(), Const.filled(shape, v.dtype, v.get(0)));
    }

    private void shape(N n) {
        int[] s = n.shapeOf(0);
        int r = s.length;
        int start = (int) n.i("start", 0);
        int end = (int) n.i("end", r);
        start = Math.max(0, Math.min(r, start < 0 ? start + r : start));
        end = Math.max(0, Math.min(r, end < 0 ? end + r : end));
        long[] v = new long[Math.max(0, end - start)];
        for (int k = 0; k < v.length; k++) {
            v[k] = s[start + k]; // a free batch appears as 1 (see class comment)
        }
        consts.put(n.out(), Const.ofInt64(v));
    }

    /** Slice of a constant (shape arithmetic of exported graphs); opset < 10 attributes, later inputs. */
    private void slice(N n) {
        Const data = n.requireConst(0, "data");
        long[] starts;
        long[] ends;
        long[] axes = null;
        long[] steps = null;
        if (opset < 10) {
            starts = toLongArray(n.ints("starts", null), "starts");
            ends = toLongArray(n.ints("ends", null), "ends");
            int[] ax = n.ints("axes", null);
            axes = ax == null ? null : toLongArray(ax, "axes");
        } else {
            starts = n.requireConst(1, "starts").longs();
            ends = n.requireConst(2, "ends").longs();
            if (n.has(3)) {
                axes = n.requireConst(3, "axes").longs();
            }
            if (n.has(4)) {
                steps = n.requireConst(4, "steps").longs();
            }
        }
        consts.put(n.out(), ConstFold.slice(data, starts, ends, axes, steps));
    }

    private static long[] toLongArray(int[] v, String what) {
        if (v == null) {
            throw new ModelException("Slice needs the '" + what + "' attribute");
        }
        return java.util.Arrays.stream(v).asLongStream().toArray();
    }

    private void cast(N n) {
        AttributeProto toAttr = n.attr("to");
        if (toAttr == null) {
            throw new ModelException("Cast needs the 'to' attribute");
        }
        int to;
        if (toAttr.getType() == AttributeProto.AttributeType.STRING || (!toAttr.hasI() && toAttr.hasS())) {
            // opset < 6: the target type is a string such as "FLOAT"
            String name = toAttr.getS().toStringUtf8();
            TensorProto.DataType dt;
            try {
                dt = TensorProto.DataType.valueOf(name);
            } catch (IllegalArgumentException e) {
                throw new ModelException("Cast to unknown type '" + name + "'");
            }
            to = dt.getNumber();
        } else {
            to = (int) toAttr.getI();
        }
        castTo(n, to);
    }

    /** Cast (or CastLike) of input 0 to element type {@code to}. */
    private void castTo(N n, int to) {
        Const c = n.cst(0);
        if (c != null) {
            consts.put(n.out(), ConstFold.cast(c, to));
            propagateQuant(n.in(0), n.out());
            return;
        }
        valueTypes.put(n.out(), to);
        if (to == OnnxTensors.FLOAT || to == OnnxTensors.DOUBLE) {
            alias.put(n.out(), n.rt(0)); // runtime tensors are float32 already
            return;
        }
        Ops.CastType t;
        try {
            t = Ops.CastType.valueOf(OnnxTensors.typeName(to));
        } catch (IllegalArgumentException e) {
            throw new ModelException("Cast to " + OnnxTensors.typeName(to) + " is not supported");
        }
        String x = n.rt(0);
        emit(n.out(), new Ops.Cast(t), List.of(x), batched.contains(x));
    }

    /** Element type of input i: a constant's, a graph input's declared type, a cast's target, else FLOAT. */
    private int typeOf(N n, int i) {
        Const c = n.cst(i);
        if (c != null) {
            return c.dtype;
        }
        String name = n.in(i);
        Integer t = inputTypes.get(name);
        if (t == null) {
            t = valueTypes.get(name);
        }
        return t == null || t == 0 ? OnnxTensors.FLOAT : t;
    }

    private void identity(N n) {
        if (n.op.equals("Dropout") && n.has(2) && n.isConst(2) && n.cst(2).get(0) != 0) {
            throw new ModelException("Dropout in training mode is not supported (inference only)");
        }
        Const c = n.cst(0);
        if (c != null) {
            consts.put(n.out(), c);
            propagateQuant(n.in(0), n.out());
        } else {
            alias.put(n.out(), n.rt(0));
        }
    }

    /** Opset < 7 "broadcast" with "axis": reshape the constant right operand so NumPy broadcasting matches. */
    private Const legacyBroadcast(N n, Const b) {
        if (opset >= 7 || n.i("broadcast", 0) == 0 || b == null) {
            return b;
        }
        int rankA = n.shapeOf(0).length;
        int axis = (int) n.i("axis", rankA - b.rank());
        if (axis < 0) {
            axis += rankA;
        }
        int trailing = rankA - axis - b.rank();
        if (trailing <= 0) {
            return b;
        }
        int[] s = Arrays.copyOf(b.shape, b.rank() + trailing);
        Arrays.fill(s, b.rank(), s.length, 1);
        return b.reshape(s);
    }

    private void arithmetic(N n) {
        ConstFold.Arith kind = ConstFold.Arith.valueOf(n.op.toUpperCase());
        Const a = n.cst(0);
        Const b = legacyBroadcast(n, n.cst(1));
        if (opset < 7 && n.i("broadcast", 0) != 0 && b == null) {
            throw new ModelException(n.op + " with legacy broadcast needs a constant second operand");
        }
        if (a != null && b != null) {
            consts.put(n.out(), ConstFold.binary(kind, a, b));
            return;
        }
        if (kind == ConstFold.Arith.ADD && (a == null) != (b == null)) {
            int ri = a == null ? 0 : 1;
            if (fuseBias(n, n.in(ri), a == null ? b : a)) {
                return;
            }
        }
        String x = n.rt(0);
        String y;
        if (b != null && b != n.cst(1)) {
            y = unique(n.in(1) + "_bcast");
            emit(y, new Ops.Constant(b.toTensor()), List.of(), false);
        } else {
            y = n.rt(1);
        }
        Ops.BinaryKind bk = Ops.BinaryKind.valueOf(kind.name());
        emit(n.out(), new Ops.Binary(bk), List.of(x, y), anyBatched(List.of(x, y)));
    }

    /** Merges Add(Dense/Conv without bias, constant) into the layer's bias when nothing else reads the layer. */
    private boolean fuseBias(N n, String layerOut, Const bias) {
        if (!resolve(layerOut).equals(layerOut) || uses.getOrDefault(layerOut, 0) != 1
                || graphOutputs.contains(layerOut)) {
            return false;
        }
        Node layer = nodes.get(layerOut);
        if (layer == null) {
            return false;
        }
        int[] s = bias.shape;
        int lead = 0;
        while (lead < s.length && s[lead] == 1 && s.length - lead > 1) {
            lead++;
        }
        int[] core = Arrays.copyOfRange(s, lead, s.length);
        int outRank = shapes.get(layerOut).length;
        if (s.length > outRank) {
            return false;
        }
        Op fused = null;
        if (layer.op() instanceof Ops.Dense d && d.bias() == null) {
            boolean row = core.length == 1 && core[0] == d.nOut();
            if (row) {
                fused = new Ops.Dense(d.kernel(), bias.reshape(new int[] {d.nOut()}).toTensor());
            }
        } else if (layer.op() instanceof Ops.Conv c && c.bias() == null) {
            boolean chan = core.length == c.spatialRank() + 1 && core[0] == c.outChannels();
            for (int k = 1; chan && k < core.length; k++) {
                chan = core[k] == 1;
            }
            if (chan) {
                fused = new Ops.Conv(c.kernel(), bias.reshape(new int[] {c.outChannels()}).toTensor(), c.strides(),
                        c.dilations(), c.padsBegin(), c.padsEnd(), c.groups(), c.layout());
            }
        }
        if (fused == null) {
            return false;
        }
        nodes.remove(layerOut);
        boolean wasBatched = batched.contains(layerOut);
        emit(n.out(), fused, layer.inputs(), wasBatched);
        shapes.remove(layerOut);
        Quantization kq = layerQuant.remove(layerOut + "|kernel");
        if (kq != null) {
            layerQuant.put(n.out() + "|kernel", new Quantization(n.out(), "kernel", kq.bits(), kq.signed(),
                    kq.narrow(), kq.scale()));
        }
        recordQuant(n.in(n.in(0).equals(layerOut) ? 1 : 0), n.out(), "bias");
        return true;
    }

    private void sum(N n) {
        int k = n.inputCount();
        if (k == 0) {
            throw new ModelException("Sum needs at least one input");
        }
        boolean allConst = true;
        for (int i = 0; i < k; i++) {
            allConst &= n.isConst(i);
        }
        if (allConst) {
            Const acc = n.cst(0);
            for (int i = 1; i < k; i++) {
                acc = ConstFold.binary(ConstFold.Arith.ADD, acc, n.cst(i));
            }
            consts.put(n.out(), acc);
            return;
        }
        if (k == 1) {
            alias.put(n.out(), n.rt(0));
            return;
        }
        String acc = n.rt(0);
        for (int i = 1; i < k; i++) {
            String b = n.rt(i);
            String name = i == k - 1 ? n.out() : unique(n.out() + "_sum" + i);
            emit(name, new Ops.Binary(Ops.BinaryKind.ADD), List.of(acc, b), anyBatched(List.of(acc, b)));
            acc = name;
        }
    }

    /** Begin/end pads per spatial axis from "pads" or "auto_pad" (ONNX Conv/Pool spec). */
    private int[][] pads(N n, int[] inSpatial, int[] k, int[] strides, int[] dil) {
        int r = k.length;
        String auto = n.s("auto_pad", "NOTSET");
        int[] begin = new int[r];
        int[] end = new int[r];
        switch (auto) {
            case "NOTSET", "" -> {
                int[] p = n.ints("pads", new int[2 * r]);
                if (p.length != 2 * r) {
                    throw new ModelException("pads must have " + 2 * r + " entries, got " + Arrays.toString(p));
                }
                for (int i = 0; i < r; i++) {
                    begin[i] = p[i];
                    end[i] = p[i + r];
                    if (begin[i] < 0 || end[i] < 0) {
                        throw new ModelException("negative pads " + Arrays.toString(p) + " are not supported");
                    }
                }
            }
            case "VALID" -> {
                // no padding
            }
            case "SAME_UPPER", "SAME_LOWER" -> {
                for (int i = 0; i < r; i++) {
                    int out = (inSpatial[i] + strides[i] - 1) / strides[i];
                    int eff = (k[i] - 1) * dil[i] + 1;
                    int total = Math.max(0, (out - 1) * strides[i] + eff - inSpatial[i]);
                    int small = total / 2;
                    begin[i] = auto.equals("SAME_UPPER") ? small : total - small;
                    end[i] = total - begin[i];
                }
            }
            default -> throw new ModelException("auto_pad '" + auto + "' is not valid (NOTSET, SAME_UPPER,"
                    + " SAME_LOWER or VALID)");
        }
        return new int[][] {begin, end};
    }

    private static int[] ones(int r) {
        int[] o = new int[r];
        Arrays.fill(o, 1);
        return o;
    }

    private void conv(N n) {
        Const w = n.requireConst(1, "weights");
        Tensor bias = null;
        if (n.has(2)) {
            Const b = n.requireConst(2, "bias");
            bias = b.reshape(new int[] {b.size()}).toTensor();
        }
        emitConv(n, n.rt(0), w, bias, n.out());
        recordQuant(n.in(1), n.out(), "kernel");
        if (bias != null) {
            recordQuant(n.in(2), n.out(), "bias");
        }
    }

    /** A Conv node {@code out} of input {@code x} with OIHW weights {@code w}; attributes from the ONNX node. */
    private void emitConv(N n, String x, Const w, Tensor bias, String out) {
        int r = w.rank() - 2;
        if (r != 1 && r != 2) {
            throw new ModelException("only 1-D and 2-D convolutions are supported, got weights of shape "
                    + Arrays.toString(w.shape));
        }
        int[] kShape = Arrays.copyOfRange(w.shape, 2, w.rank());
        int[] ks = n.ints("kernel_shape", kShape);
        if (!Arrays.equals(ks, kShape)) {
            throw new ModelException("kernel_shape " + Arrays.toString(ks) + " does not match the weights "
                    + Arrays.toString(w.shape));
        }
        int[] strides = n.ints("strides", ones(r));
        int[] dil = n.ints("dilations", ones(r));
        int group = (int) n.i("group", 1);
        if (strides.length != r || dil.length != r) {
            throw new ModelException("strides and dilations need " + r + " entries");
        }
        int[] in = shapes.get(x);
        if (in.length != r + 2) {
            throw new ModelException("Conv with " + r + "-D weights expects a rank-" + (r + 2) + " input, got shape "
                    + Arrays.toString(in));
        }
        int[][] p = pads(n, Arrays.copyOfRange(in, 2, in.length), kShape, strides, dil);
        // OIHW -> HWIO (IR layout: [k1, (k2,) cIn/g, cOut])
        int[] perm = r == 2 ? new int[] {2, 3, 1, 0} : new int[] {2, 1, 0};
        Tensor kernel = ConstFold.transpose(w, perm).toTensor();
        emit(out, new Ops.Conv(kernel, bias, strides, dil, p[0], p[1], group, LAYOUT), List.of(x),
                batched.contains(x));
    }

    private void pool(N n) {
        boolean max = n.op.equals("MaxPool");
        int[] k = n.ints("kernel_shape", null);
        if (k == null) {
            throw new ModelException(n.op + " needs the 'kernel_shape' attribute");
        }
        int r = k.length;
        int[] strides = n.ints("strides", ones(r));
        int[] dil = n.ints("dilations", ones(r));
        for (int d : dil) {
            if (d != 1) {
                throw new ModelException("dilated pooling (dilations " + Arrays.toString(dil) + ") is not supported");
            }
        }
        if (strides.length != r) {
            throw new ModelException("strides need " + r + " entries");
        }
        String x = n.rt(0);
        int[] in = shapes.get(x);
        if (in.length != r + 2) {
            throw new ModelException(n.op + " with a " + r + "-D window expects a rank-" + (r + 2)
                    + " input, got shape " + Arrays.toString(in));
        }
        int[][] p = pads(n, Arrays.copyOfRange(in, 2, in.length), k, strides, dil);
        boolean ceil = n.i("ceil_mode", 0) != 0;
        boolean includePad = !max && n.i("count_include_pad", 0) != 0;
        emit(n.out(), new Ops.Pool(max ? Ops.PoolKind.MAX : Ops.PoolKind.AVG, k, strides, p[0], p[1], includePad,
                ceil, LAYOUT), List.of(x), batched.contains(x));
        if (max && n.p.getOutputCount() > 1 && !n.p.getOutput(1).isEmpty() && uses.getOrDefault(n.p.getOutput(1), 0) > 0) {
            // the Indices output: positions in the flattened input, so it never keeps the batch (see BatchAxis)
            emit(n.p.getOutput(1), new Ops.MaxPoolIndices(k, strides, p[0], p[1], ceil, n.i("storage_order", 0) != 0),
                    List.of(x), false);
            valueTypes.put(n.p.getOutput(1), OnnxTensors.INT64);
        }
    }

    private void batchNorm(N n) {
        if (opset < 9 && n.i("spatial", 1) == 0) {
            throw new ModelException("BatchNormalization with spatial=0 (per-activation statistics) is not supported");
        }
        if (n.i("training_mode", 0) != 0) {
            throw new ModelException("BatchNormalization in training mode is not supported (inference only)");
        }
        String[] what = {"scale", "bias", "mean", "variance"};
        Tensor[] t = new Tensor[4];
        for (int i = 0; i < 4; i++) {
            Const c = n.requireConst(i + 1, what[i]);
            t[i] = c.reshape(new int[] {c.size()}).toTensor();
        }
        String x = n.rt(0);
        emit(n.out(), new Ops.BatchNorm(t[0], t[1], t[2], t[3], n.f("epsilon", 1e-5f), LAYOUT), List.of(x),
                batched.contains(x));
    }

    private void activation(N n) {
        Ops.Activation a = switch (n.op) {
            case "Relu" -> Ops.Activation.of(ActivationKind.RELU);
            case "Sigmoid" -> Ops.Activation.of(ActivationKind.SIGMOID);
            case "Tanh" -> Ops.Activation.of(ActivationKind.TANH);
            case "Softplus" -> Ops.Activation.of(ActivationKind.SOFTPLUS);
            case "Softsign" -> Ops.Activation.of(ActivationKind.SOFTSIGN);
            case "LeakyRelu" -> new Ops.Activation(ActivationKind.LEAKY_RELU, n.f("alpha", 0.01f), 0f);
            case "Elu" -> new Ops.Activation(ActivationKind.ELU, n.f("alpha", 1f), 0f);
            case "HardSigmoid" -> new Ops.Activation(ActivationKind.HARD_SIGMOID, n.f("alpha", 0.2f),
                    n.f("beta", 0.5f));
            case "Selu" -> {
                // the IR's SELU has the fixed constants of Klambauer et al. 2017 (also ONNX's defaults)
                if (Math.abs(n.f("alpha", 1.67326319f) - 1.67326319f) > 1e-6
                        || Math.abs(n.f("gamma", 1.05070102f) - 1.05070102f) > 1e-6) {
                    throw new ModelException("Selu with non-default alpha/gamma is not supported");
                }
                yield Ops.Activation.of(ActivationKind.SELU);
            }
            case "Clip" -> {
                float lo = Float.NEGATIVE_INFINITY;
                float hi = Float.POSITIVE_INFINITY;
                if (opset < 11) {
                    lo = n.f("min", lo);
                    hi = n.f("max", hi);
                } else {
                    if (n.has(1)) {
                        lo = (float) n.requireConst(1, "min").get(0);
                    }
                    if (n.has(2)) {
                        hi = (float) n.requireConst(2, "max").get(0);
                    }
                }
                yield new Ops.Activation(ActivationKind.CLIP, lo, hi);
            }
            default -> throw new ModelException("internal: activation " + n.op);
        };
        String x = n.rt(0);
        emit(n.out(), a, List.of(x), batched.contains(x));
    }

    private void softmax(N n) {
        // opset < 13: input coerced to 2-D at axis (default 1); opset 13+: normalise along axis (default -1)
        boolean legacy = opset < 13;
        int axis = (int) n.i("axis", legacy ? 1 : -1);
        String x = n.rt(0);
        emit(n.out(), new Ops.Softmax(axis, legacy), List.of(x), batched.contains(x));
    }

    private void flatten(N n) {
        int axis = (int) n.i("axis", 1);
        int[] s = n.shapeOf(0);
        int[] out = new Ops.Flatten(axis).outputShape(List.of(s));
        if (foldReshape(n, out)) {
            return;
        }
        String x = n.rt(0);
        int a = axis < 0 ? axis + s.length : axis;
        emit(n.out(), new Ops.Flatten(axis), List.of(x), batched.contains(x) && a >= 1);
    }

    private void reshape(N n) {
        int[] target;
        if (opset < 5) {
            target = n.ints("shape", null);
            if (target == null) {
                throw new ModelException("Reshape needs the 'shape' attribute (opset " + opset + ")");
            }
        } else {
            target = n.requireConst(1, "target shape").intsOf("Reshape shape");
        }
        boolean allowZero = n.i("allowzero", 0) != 0;
        int[] in = n.shapeOf(0);
        int[] out = Shapes.reshape(in, target, allowZero);
        if (foldReshape(n, out)) {
            return;
        }
        String x = n.rt(0);
        boolean keepsBatch = batched.contains(x) && out.length > 0 && out[0] == 1
                && Tensor.numel(out) == Tensor.numel(in);
        emitReshape(n, x, out, keepsBatch);
    }

    /** Folds the op into a constant of shape {@code out} when input 0 is constant; false when it is a runtime value. */
    private boolean foldReshape(N n, int[] out) {
        Const c = n.cst(0);
        if (c == null) {
            return false;
        }
        consts.put(n.out(), c.reshape(out));
        propagateQuant(n.in(0), n.out());
        return true;
    }

    /** A static runtime reshape of {@code x} to {@code out}; with {@code keepsBatch} axis 0 stays the batch. */
    private void emitReshape(N n, String x, int[] out, boolean keepsBatch) {
        int[] target = out.clone();
        if (keepsBatch) {
            target[0] = -1; // infer the batch at run time (see class comment)
        }
        emit(n.out(), new Ops.Reshape(target, false), List.of(x), keepsBatch);
    }

    private void transpose(N n) {
        int[] s = n.shapeOf(0);
        int[] rev = new int[s.length];
        for (int i = 0; i < rev.length; i++) {
            rev[i] = s.length - 1 - i;
        }
        int[] perm = n.ints("perm", rev);
        Const c = n.cst(0);
        if (c != null) {
            consts.put(n.out(), ConstFold.transpose(c, perm));
            propagateQuant(n.in(0), n.out());
            return;
        }
        String x = n.rt(0);
        emit(n.out(), new Ops.Transpose(perm), List.of(x), batched.contains(x) && perm.length > 0 && perm[0] == 0);
    }

    private void concat(N n) {
        int k = n.inputCount();
        int axis = (int) n.i("axis", opset < 4 ? 1 : Integer.MIN_VALUE);
        if (axis == Integer.MIN_VALUE) {
            throw new ModelException("Concat needs the 'axis' attribute");
        }
        List<Const> cs = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            if (n.isConst(i)) {
                cs.add(n.cst(i));
            }
        }
        if (cs.size() == k) {
            consts.put(n.out(), ConstFold.concat(cs, axis));
            return;
        }
        List<String> ins = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            ins.add(n.rt(i));
        }
        int rank = shapes.get(ins.get(0)).length;
        int a = axis < 0 ? axis + rank : axis;
        emit(n.out(), new Ops.Concat(axis), ins, a != 0 && anyBatched(ins));
    }

    private void squeeze(N n) {
        boolean un = n.op.equals("Unsqueeze");
        int[] axes;
        if (opset < 13) {
            axes = n.ints("axes", null);
        } else {
            axes = n.has(1) ? n.requireConst(1, "axes").intsOf("axes") : null;
        }
        if (un && axes == null) {
            throw new ModelException("Unsqueeze needs axes");
        }
        int[] in = n.shapeOf(0);
        int[] out = un ? ConstFold.unsqueezeShape(in, axes) : ConstFold.squeezeShape(in, axes);
        if (foldReshape(n, out)) {
            return;
        }
        String x = n.rt(0);
        // a runtime (un)squeeze is a static reshape; the batch stays free when axis 0 is neither added nor removed
        boolean keep = batched.contains(x) && out.length > 0 && in.length > 0 && out[0] == in[0];
        if (axes != null) {
            for (int ax : axes) {
                int r = un ? out.length : in.length;
                keep &= (ax < 0 ? ax + r : ax) != 0;
            }
        } else {
            keep = false;
        }
        emitReshape(n, x, out, keep);
    }

    private void gemm(N n) {
        float alpha = n.f("alpha", 1f);
        float beta = n.f("beta", 1f);
        boolean transA = n.i("transA", 0) != 0;
        boolean transB = n.i("transB", 0) != 0;
        Const b = n.cst(1);
        if (b != null && !n.isConst(0) && b.rank() == 2) {
            Const kc = transB ? ConstFold.transpose(b, new int[] {1, 0}) : b;
            if (alpha != 1f) {
                kc = ConstFold.binary(ConstFold.Arith.MUL, kc, Const.filled(new int[0], OnnxTensors.FLOAT, alpha));
            }
            int nOut = kc.shape[1];
            String a = n.rt(0);
            boolean isBatched = batched.contains(a) && !transA;
            if (transA) {
                String t = unique(n.out() + "_transA");
                emit(t, new Ops.Transpose(new int[] {1, 0}), List.of(a), false);
                a = t;
            }
            Tensor bias = null;
            Const c = n.has(2) ? n.cst(2) : null;
            boolean cAsBias = c != null && (c.size() == 1 || (c.size() == nOut && c.shape[c.rank() - 1] == nOut
                    && c.rank() <= 2));
            if (cAsBias) {
                Const scaled = beta == 1f ? c : ConstFold.binary(ConstFold.Arith.MUL, c,
                        Const.filled(new int[0], OnnxTensors.FLOAT, beta));
                bias = scaled.size() == 1 ? Const.filled(new int[] {nOut}, OnnxTensors.FLOAT, scaled.get(0)).toTensor()
                        : scaled.reshape(new int[] {nOut}).toTensor();
            }
            boolean extraC = n.has(2) && !cAsBias;
            String denseName = extraC ? unique(n.out() + "_dense") : n.out();
            emit(denseName, new Ops.Dense(kc.toTensor(), bias), List.of(a), isBatched);
            recordQuant(n.in(1), denseName, "kernel");
            if (bias != null) {
                recordQuant(n.in(2), denseName, "bias");
            }
            if (extraC) {
                String cName;
                if (c != null) {
                    Const scaled = beta == 1f ? c : ConstFold.binary(ConstFold.Arith.MUL, c,
                            Const.filled(new int[0], OnnxTensors.FLOAT, beta));
                    cName = unique(n.in(2) + "_scaled");
                    emit(cName, new Ops.Constant(scaled.toTensor()), List.of(), false);
                } else {
                    cName = n.rt(2);
                    if (beta != 1f) {
                        String bn = unique(n.out() + "_beta");
                        emit(bn, new Ops.Constant(Tensor.scalar(beta)), List.of(), false);
                        String m = unique(n.out() + "_betaC");
                        emit(m, new Ops.Binary(Ops.BinaryKind.MUL), List.of(cName, bn), batched.contains(cName));
                        cName = m;
                    }
                }
                emit(n.out(), new Ops.Binary(Ops.BinaryKind.ADD), List.of(denseName, cName), isBatched);
            }
            return;
        }
        List<String> ins = new ArrayList<>(List.of(n.rt(0), n.rt(1)));
        if (n.has(2)) {
            ins.add(n.rt(2));
        }
        emit(n.out(), new Ops.Gemm(alpha, beta, transA, transB), ins, n.batchedIn(0) && !transA);
    }

    private void matmul(N n) {
        Const b = n.cst(1);
        if (b != null && !n.isConst(0) && b.rank() == 2 && n.shapeOf(0).length >= 2) {
            String a = n.rt(0);
            emit(n.out(), new Ops.Dense(b.toTensor(), null), List.of(a), batched.contains(a));
            recordQuant(n.in(1), n.out(), "kernel");
            return;
        }
        String a = n.rt(0);
        emit(n.out(), new Ops.MatMul(), List.of(a, n.rt(1)),
                batched.contains(a) && shapes.get(a).length >= 2 && n.shapeOf(1).length <= 2);
    }

    private void quant(N n) {
        int axis = (int) n.i("axis", 1);
        if (n.i("block_size", 0) != 0) {
            throw new ModelException(n.op + " with blocked quantization (block_size) is not supported");
        }
        List<String> ins = new ArrayList<>(List.of(n.rt(0), n.rt(1)));
        if (n.has(2)) {
            ins.add(n.rt(2));
        }
        String x = ins.get(0);
        if (n.op.equals("QuantizeLinear")) {
            int type;
            if (n.has(2)) {
                Integer declared = inputTypes.get(resolve(n.in(2)));
                if (n.isConst(2)) {
                    type = n.cst(2).dtype;
                } else if (declared != null) {
                    type = declared; // a graph input: its declared element type
                } else {
                    throw new ModelException("QuantizeLinear zero point must be a constant or a graph input");
                }
            } else {
                type = (int) n.i("output_dtype", OnnxTensors.UINT8);
                if (type == 0) {
                    type = OnnxTensors.UINT8;
                }
            }
            Ops.QuantType qt = switch (type) {
                case OnnxTensors.UINT8 -> Ops.QuantType.UINT8;
                case OnnxTensors.INT8 -> Ops.QuantType.INT8;
                default -> throw new ModelException("QuantizeLinear to " + OnnxTensors.typeName(type)
                        + " is not supported (UINT8 and INT8 are)");
            };
            emit(n.out(), new Ops.QuantizeLinear(axis, qt), ins, batched.contains(x));
        } else {
            emit(n.out(), new Ops.DequantizeLinear(axis), ins, batched.contains(x));
        }
    }

    // ------------------------------------------------------------------ operators added for issue 13

    /** Neg: a constant is folded; a runtime value is multiplied by -1 (exact, and -0 for 0 as Neg gives). */
    private void neg(N n) {
        Const minusOne = Const.filled(new int[0], OnnxTensors.FLOAT, -1);
        Const c = n.cst(0);
        if (c != null) {
            consts.put(n.out(), ConstFold.binary(ConstFold.Arith.MUL, c, minusOne));
            return;
        }
        String x = n.rt(0);
        String k = unique(n.out() + "_minus_one");
        emit(k, new Ops.Constant(Tensor.scalar(-1f)), List.of(), false);
        emit(n.out(), new Ops.Binary(Ops.BinaryKind.MUL), List.of(x, k), batched.contains(x));
    }

    /** Pad: opset 1 "paddings", 2-10 "pads"/"value" attributes, 11+ inputs pads, constant_value, axes (18+). */
    private void pad(N n) {
        int rank = n.shapeOf(0).length;
        int[] pads;
        float value = 0;
        int[] axes = null;
        if (opset < 11) {
            pads = n.ints(opset < 2 ? "paddings" : "pads", null);
            value = n.f("value", 0f);
        } else {
            pads = n.requireConst(1, "pads").intsOf("Pad pads");
            if (n.has(2)) {
                value = (float) n.requireConst(2, "constant_value").get(0);
            }
            if (n.has(3)) {
                axes = n.requireConst(3, "axes").intsOf("Pad axes");
            }
        }
        if (pads == null) {
            throw new ModelException("Pad needs pads");
        }
        if (axes == null) {
            axes = new int[rank];
            for (int i = 0; i < rank; i++) {
                axes[i] = i;
            }
        }
        if (pads.length != 2 * axes.length) {
            throw new ModelException("Pad has " + pads.length + " pads for " + axes.length + " axes (needs "
                    + 2 * axes.length + ")");
        }
        int[] begin = new int[rank];
        int[] end = new int[rank];
        for (int i = 0; i < axes.length; i++) {
            int a = Shapes.axis(axes[i], rank, "Pad");
            begin[a] = pads[i];
            end[a] = pads[i + axes.length];
        }
        String mode = n.s("mode", "constant").toLowerCase(java.util.Locale.ROOT);
        Ops.PadMode pm = switch (mode) {
            case "constant" -> Ops.PadMode.CONSTANT;
            case "reflect" -> Ops.PadMode.REFLECT;
            case "edge" -> Ops.PadMode.EDGE;
            case "wrap" -> Ops.PadMode.WRAP;
            default -> throw new ModelException("Pad mode '" + mode + "' is not supported (constant, reflect, edge,"
                    + " wrap)");
        };
        String x = n.rt(0);
        emit(n.out(), new Ops.Pad(begin, end, pm, value), List.of(x),
                batched.contains(x) && rank > 0 && begin[0] == 0 && end[0] == 0);
    }

    /** A scalar of a constant input (a per-tensor scale or zero point); absent inputs give {@code dflt}. */
    private double scalar(N n, int i, String what, double dflt) {
        if (!n.has(i)) {
            return dflt;
        }
        Const c = n.requireConst(i, what);
        if (c.size() != 1) {
            throw new ModelException(what + " must be a single value here, got shape " + Arrays.toString(c.shape));
        }
        return c.get(0);
    }

    /** Per-channel (or one) float32 values of a constant input. */
    private float[] perChannel(N n, int i, String what, int channels) {
        Const c = n.requireConst(i, what);
        if (c.size() != 1 && c.size() != channels) {
            throw new ModelException(what + " has " + c.size() + " values for " + channels + " channels");
        }
        float[] v = new float[channels];
        for (int k = 0; k < channels; k++) {
            v[k] = (float) c.get(c.size() == 1 ? 0 : k);
        }
        return v;
    }

    /** Output type of a QLinear op: its y zero point's (UINT8 when absent). */
    private Ops.QuantType qlinearType(N n, int zpInput) {
        int t = n.has(zpInput) ? n.requireConst(zpInput, "y_zero_point").dtype : OnnxTensors.UINT8;
        return switch (t) {
            case OnnxTensors.UINT8 -> Ops.QuantType.UINT8;
            case OnnxTensors.INT8 -> Ops.QuantType.INT8;
            default -> throw new ModelException(n.op + " output type " + OnnxTensors.typeName(t)
                    + " is not supported (UINT8 and INT8 are)");
        };
    }

    /** x minus its zero point (a constant), as a runtime value; the input itself when the zero point is 0. */
    private String shifted(N n, double zp) {
        String x = n.rt(0);
        if (zp == 0) {
            return x;
        }
        String k = unique(n.out() + "_x_zero_point");
        emit(k, new Ops.Constant(Tensor.scalar((float) zp)), List.of(), false);
        String s = unique(n.out() + "_x_shifted");
        emit(s, new Ops.Binary(Ops.BinaryKind.SUB), List.of(x, k), batched.contains(x));
        return s;
    }

    /** multiplier[c] = x_scale * w_scale[c] / y_scale in float32, as the ONNX reference computes it. */
    private static Tensor multipliers(float xs, float[] ws, float ys) {
        float[] m = new float[ws.length];
        for (int c = 0; c < ws.length; c++) {
            m[c] = (xs * ws[c]) / ys;
        }
        return Tensor.of(m, m.length);
    }

    /**
     * QLinearConv = (x - x_zero_point) -> Conv with integer weights (w - w_zero_point) and the int32 bias -> the
     * requantization (ONNX reference, onnx/reference/ops/op_qlinear_conv.py). The accumulation is exact in float32
     * while |sums| stay below 2^24, which holds for the kernels of the models met so far (documented limit).
     */
    private void qlinearConv(N n) {
        double xzp = scalar(n, 2, "x_zero_point", 0);
        float xs = (float) scalar(n, 1, "x_scale", 1);
        Const w = n.requireConst(3, "w");
        int cOut = w.shape[0];
        float[] ws = perChannel(n, 4, "w_scale", cOut);
        float[] wzp = n.has(5) ? perChannel(n, 5, "w_zero_point", cOut) : new float[cOut];
        float ys = (float) scalar(n, 6, "y_scale", 1);
        double yzp = scalar(n, 7, "y_zero_point", 0);
        float[] wv = w.floats().clone();
        int per = wv.length / Math.max(1, cOut);
        for (int i = 0; i < wv.length; i++) {
            wv[i] -= wzp[i / per];
        }
        Tensor bias = null;
        if (n.has(8)) {
            Const b = n.requireConst(8, "B");
            bias = b.reshape(new int[] {b.size()}).toTensor();
        }
        String acc = unique(n.out() + "_acc");
        emitConv(n, shifted(n, xzp), Const.ofFloats(w.shape, wv), bias, acc);
        emit(n.out(), new QuantOps.Requantize(multipliers(xs, ws, ys), 1, (float) yzp, qlinearType(n, 7)),
                List.of(acc), batched.contains(acc));
        Ops.QuantType wt = w.dtype == OnnxTensors.INT8 ? Ops.QuantType.INT8 : Ops.QuantType.UINT8;
        layerQuant.put(acc + "|kernel", new Quantization(acc, "kernel", 8, wt == Ops.QuantType.INT8, false,
                ws.length > 1 && n.requireConst(4, "w_scale").size() > 1 ? "per-channel" : "per-tensor"));
        valueTypes.put(n.out(), qlinearType(n, 7) == Ops.QuantType.INT8 ? OnnxTensors.INT8 : OnnxTensors.UINT8);
    }

    /** QLinearMatMul with a constant 2-D b: (a - a_zero_point) -> Dense (b - b_zero_point) -> requantization. */
    private void qlinearMatMul(N n) {
        Const b = n.cst(3);
        if (b == null || b.rank() != 2) {
            throw new ModelException("QLinearMatMul needs a constant 2-D b (a weight matrix); a computed b is not"
                    + " supported");
        }
        int cols = b.shape[1];
        double azp = scalar(n, 2, "a_zero_point", 0);
        float as = (float) scalar(n, 1, "a_scale", 1);
        float[] bs = perChannel(n, 4, "b_scale", cols);
        float[] bzp = n.has(5) ? perChannel(n, 5, "b_zero_point", cols) : new float[cols];
        float ys = (float) scalar(n, 6, "y_scale", 1);
        double yzp = scalar(n, 7, "y_zero_point", 0);
        float[] bv = b.floats().clone();
        for (int i = 0; i < bv.length; i++) {
            bv[i] -= bzp[i % cols];
        }
        String a = shifted(n, azp);
        if (shapes.get(a).length < 2) {
            throw new ModelException("QLinearMatMul needs a input of rank 2 or more");
        }
        String acc = unique(n.out() + "_acc");
        emit(acc, new Ops.Dense(Tensor.of(bv, b.shape[0], cols), null), List.of(a), batched.contains(a));
        emit(n.out(), new QuantOps.Requantize(multipliers(as, bs, ys), -1, (float) yzp, qlinearType(n, 7)),
                List.of(acc), batched.contains(acc));
        layerQuant.put(acc + "|kernel", new Quantization(acc, "kernel", 8, b.dtype == OnnxTensors.INT8, false,
                n.requireConst(4, "b_scale").size() > 1 ? "per-channel" : "per-tensor"));
        valueTypes.put(n.out(), qlinearType(n, 7) == Ops.QuantType.INT8 ? OnnxTensors.INT8 : OnnxTensors.UINT8);
    }

    /**
     * QONNX Quant (IntQuant), BipolarQuant, Trunc. On a constant (a weight) the quantizer is applied here and
     * recorded, so the layer that takes the weight carries its precision ({@link Quantization}); on a runtime value
     * it stays in the graph as the quantizer op.
     */
    private void qonnx(N n) {
        int[] shape = n.shapeOf(0);
        Tensor scale = n.requireConst(1, "scale").toTensor();
        Op op;
        switch (n.op) {
            case "BipolarQuant" -> op = new QuantOps.BipolarQuant(scale);
            case "Quant", "IntQuant" -> {
                Tensor zp = n.requireConst(2, "zero point").toTensor();
                int bits = bitWidth(n, 3, "bit width");
                QuantOps.Rounding r = rounding(n, "ROUND");
                op = new QuantOps.Quant(scale, zp, bits, n.i("signed", 1) != 0, n.i("narrow", 0) != 0, r);
            }
            case "Trunc" -> {
                Tensor zp = n.requireConst(2, "zero point").toTensor();
                int inBits = bitWidth(n, 3, "input bit width");
                boolean v2 = n.inputCount() >= 6;
                Tensor outScale = v2 ? n.requireConst(4, "output scale").toTensor() : null;
                int outBits = bitWidth(n, v2 ? 5 : 4, "output bit width");
                op = new QuantOps.Trunc(scale, zp, outScale, inBits, outBits, n.i("signed", 1) != 0,
                        n.i("narrow", 0) != 0, rounding(n, "FLOOR"));
            }
            default -> throw new ModelException("internal: QONNX operator " + n.op);
        }
        op.outputShape(List.of(shape)); // checks that the parameters broadcast
        Const c = n.cst(0);
        if (c != null) {
            consts.put(n.out(), Const.ofFloats(c.shape, quantized(op, c)));
            quantOf.put(n.out(), Quantization.ofOp(n.out(), op));
            return;
        }
        String x = n.rt(0);
        emit(n.out(), op, List.of(x), batched.contains(x));
    }

    private int bitWidth(N n, int i, String what) {
        double b = scalar(n, i, what, 8);
        if (b != Math.rint(b) || b < 1 || b > 32) {
            throw new ModelException(n.op + " " + what + " must be a whole number of bits from 1 to 32, got " + b);
        }
        return (int) b;
    }

    private QuantOps.Rounding rounding(N n, String dflt) {
        String name = n.s("rounding_mode", dflt);
        QuantOps.Rounding r = QuantOps.Rounding.of(name);
        if (r == null) {
            throw new ModelException(n.op + " rounding_mode '" + dev.sparsimony.engine.model.Problems.excerpt(name)
                    + "' is not supported (ROUND, CEIL, FLOOR, UP, DOWN, HALF_UP, HALF_DOWN)");
        }
        return r;
    }

    /** A quantizer applied to a constant, element by element, with its parameters broadcast to the constant. */
    private static float[] quantized(Op op, Const c) {
        float[] x = c.floats();
        float[] y = new float[x.length];
        Map<String, Tensor> w = op.weights();
        float[] s = ConstFold.broadcastTo(w.get("scale"), c.shape);
        float[] z = w.containsKey("zeroPoint") ? ConstFold.broadcastTo(w.get("zeroPoint"), c.shape) : null;
        float[] os = w.containsKey("outScale") ? ConstFold.broadcastTo(w.get("outScale"), c.shape) : null;
        for (int i = 0; i < x.length; i++) {
            if (op instanceof QuantOps.Quant q) {
                y[i] = q.apply(x[i], s[i], z[i]);
            } else if (op instanceof QuantOps.Trunc t) {
                y[i] = t.apply(x[i], s[i], z[i], os == null ? 1f : os[i]);
            } else {
                y[i] = QuantOps.BipolarQuant.apply(x[i], s[i]);
            }
        }
        return y;
    }

    /** A constant made from a quantized one by a layout change keeps its quantizer. */
    private void propagateQuant(String from, String to) {
        Quantization q = quantOf.get(from);
        if (q != null) {
            quantOf.put(to, q);
        }
    }

    /** Records that weight {@code weight} of IR node {@code layer} came from quantized constant {@code constName}. */
    private void recordQuant(String constName, String layer, String weight) {
        Quantization q = quantOf.get(constName);
        if (q != null) {
            layerQuant.put(layer + "|" + weight, new Quantization(layer, weight, q.bits(), q.signed(), q.narrow(),
                    q.scale()));
        }
    }
}
