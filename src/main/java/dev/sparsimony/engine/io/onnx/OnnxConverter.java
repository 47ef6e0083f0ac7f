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
            "Add", "AveragePool", "BatchNormalization", "Cast", "Clip", "Concat", "Constant", "ConstantOfShape",
            "Conv", "DequantizeLinear", "Div", "Dropout", "Elu", "Flatten", "Gather", "Gemm", "GlobalAveragePool",
            "GlobalMaxPool", "HardSigmoid", "Identity", "LRN", "LeakyRelu", "MatMul", "MaxPool", "Mul",
            "QuantizeLinear", "Relu", "Reshape", "Selu", "Shape", "Sigmoid", "Slice", "Softmax", "Softplus", "Softsign",
            "Squeeze", "Sub", "Sum", "Tanh", "Transpose", "Unsqueeze"));

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
        if (!(domain.isEmpty() || domain.equals("ai.onnx")) || !SUPPORTED.contains(n.op)) {
            int ver = opset;
            for (OperatorSetIdProto o : mp.getOpsetImportList()) {
                if (o.getDomain().equals(domain) || (domain.isEmpty() && o.getDomain().equals("ai.onnx"))) {
                    ver = (int) o.getVersion();
                }
            }
            throw new ModelException(n.label() + " uses operator '" + n.op + "' (domain "
                    + (domain.isEmpty() ? "ai.onnx" : domain) + ", opset " + ver
                    + "), which Sparsimony does not support; supported: " + String.join(", ", SUPPORTED));
        }
        if (n.p.getOutputCount() == 0) {
            throw new ModelException(n.label() + " (" + n.op + ") has no outputs");
        }
        n.onlyFirstOutputUsed();
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
        Const c = n.cst(0);
        if (c != null) {
            consts.put(n.out(), ConstFold.cast(c, to));
        } else if (OnnxTensors.isFloatType(to)) {
            alias.put(n.out(), n.rt(0)); // runtime tensors are float already
        } else {
            throw new ModelException("Cast of a runtime tensor to " + OnnxTensors.typeName(to)
                    + " is not supported (Sparsimony computes in float)");
        }
    }

    private void identity(N n) {
        if (n.op.equals("Dropout") && n.has(2) && n.isConst(2) && n.cst(2).get(0) != 0) {
            throw new ModelException("Dropout in training mode is not supported (inference only)");
        }
        Const c = n.cst(0);
        if (c != null) {
            consts.put(n.out(), c);
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
        String x = n.rt(0);
        int[] in = shapes.get(x);
        if (in.length != r + 2) {
            throw new ModelException("Conv with " + r + "-D weights expects a rank-" + (r + 2) + " input, got shape "
                    + Arrays.toString(in));
        }
        int[][] p = pads(n, Arrays.copyOfRange(in, 2, in.length), kShape, strides, dil);
        // OIHW -> HWIO (IR layout: [k1, (k2,) cIn/g, cOut])
        int[] perm = r == 2 ? new int[] {2, 3, 1, 0} : new int[] {2, 1, 0};
        Tensor kernel = ConstFold.transpose(w, perm).toTensor();
        Tensor bias = null;
        if (n.has(2)) {
            Const b = n.requireConst(2, "bias");
            bias = b.reshape(new int[] {b.size()}).toTensor();
        }
        emit(n.out(), new Ops.Conv(kernel, bias, strides, dil, p[0], p[1], group, LAYOUT), List.of(x),
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
}
