package dev.sparsimony.engine.export;

import com.google.protobuf.ByteString;
import dev.sparsimony.engine.io.onnx.proto.OnnxProto.AttributeProto;
import dev.sparsimony.engine.io.onnx.proto.OnnxProto.GraphProto;
import dev.sparsimony.engine.io.onnx.proto.OnnxProto.ModelProto;
import dev.sparsimony.engine.io.onnx.proto.OnnxProto.NodeProto;
import dev.sparsimony.engine.io.onnx.proto.OnnxProto.OperatorSetIdProto;
import dev.sparsimony.engine.io.onnx.proto.OnnxProto.StringStringEntryProto;
import dev.sparsimony.engine.io.onnx.proto.OnnxProto.TensorProto;
import dev.sparsimony.engine.io.onnx.proto.OnnxProto.TensorShapeProto;
import dev.sparsimony.engine.io.onnx.proto.OnnxProto.TypeProto;
import dev.sparsimony.engine.io.onnx.proto.OnnxProto.ValueInfoProto;
import dev.sparsimony.engine.model.ActivationKind;
import dev.sparsimony.engine.model.Layout;
import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.model.Node;
import dev.sparsimony.engine.model.Op;
import dev.sparsimony.engine.model.Ops;
import dev.sparsimony.engine.model.QuantOps;
import dev.sparsimony.engine.model.Tensor;
import dev.sparsimony.engine.model.ValueInfo;
import dev.sparsimony.engine.quantize.FixedPoint;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Writes a model of the IR as an ONNX {@code ModelProto} (IR version 7, opset 13; ONNX operator specification,
 * onnx.ai/onnx/operators) in the form hls4ml's ONNX front end reads without clean-up
 * ({@code hls4ml/converters/onnx_to_hls.py} at v1.3.0): every node named, a {@code value_info} shape for every
 * tensor and initializer (hls4ml does not infer shapes), Dense layers as {@code MatMul} + {@code Add} (hls4ml has
 * no Gemm handler), and each layer output type as a QONNX {@code Quant} node (domain {@code
 * qonnx.custom_op.general}, qonnx docs/qonnx-custom-ops/quant_op.md) with a power-of-two scale, which hls4ml's
 * {@code QuantToActivation} pass turns into that {@code fixed<W,I>} type.
 *
 * <p>Names: the node computing layer {@code L} is named {@code L} and so is the tensor holding the layer's value
 * before its output quantization (so re-importing the file gives the layer its name back); helper nodes and
 * initializers get {@code L_}-prefixed names. Feature maps of channels-last layers are computed channels-first
 * (ONNX Conv/Pool/BatchNormalization are NCHW) with a {@code Transpose} only where the layout changes.
 */
final class OnnxWriter {
    static final int OPSET = 13;
    static final long IR_VERSION = 7;
    static final String QONNX_DOMAIN = "qonnx.custom_op.general";

    /**
     * What was written.
     *
     * @param bytes      the serialized ModelProto
     * @param nodeNames  ONNX node name of each IR layer's main node (hls4ml's layer name at parse time)
     * @param biasNodes  the bias {@code Add} node of each Dense layer with a bias
     * @param inputNames ONNX name of each graph input
     */
    record Result(byte[] bytes, Map<String, String> nodeNames, Map<String, String> biasNodes,
                  Map<String, String> inputNames) {
    }

    private final Model model;
    private final Map<String, FixedPoint> outputTypes;
    private final UnaryOperator<String> rename;
    private final GraphProto.Builder graph = GraphProto.newBuilder();
    private final Set<String> nodeSpace = new HashSet<>();
    private final Set<String> valueSpace = new HashSet<>();
    private final Map<String, int[]> shapes1;
    private final Map<String, int[]> shapes2;
    /** IR value -> tensor holding it in the IR's own layout / channels-first (for channels-last feature maps). */
    private final Map<String, String> ir = new HashMap<>();
    private final Map<String, String> cf = new HashMap<>();
    private final Set<String> primaryCf = new HashSet<>();
    private final Map<String, String> constants = new HashMap<>();
    private final Map<String, String> nodeNames = new LinkedHashMap<>();
    private final Map<String, String> biasNodes = new LinkedHashMap<>();
    private final Map<String, String> inputNames = new LinkedHashMap<>();
    private final Set<String> valueInfoWritten = new HashSet<>();
    /** Shapes of every tensor written, for value_info (hls4ml looks every node input up there). */
    private final Map<String, ValueInfoProto> pendingInfos = new LinkedHashMap<>();
    private boolean usesQonnx;

    private OnnxWriter(Model model, Map<String, FixedPoint> outputTypes, UnaryOperator<String> rename) {
        this.model = model;
        this.outputTypes = outputTypes;
        this.rename = rename;
        this.shapes1 = model.inferShapes(1);
        this.shapes2 = model.inferShapes(2);
    }

    /**
     * The model as ONNX.
     *
     * @param outputTypes layer -&gt; type of its output (a QONNX Quant node after the layer)
     * @param rename      the ONNX name of an IR name (identity, or C identifiers for hls4ml); must be injective
     * @param metadata    written as the model's metadata_props
     */
    static Result write(Model model, Map<String, FixedPoint> outputTypes, UnaryOperator<String> rename,
                        Map<String, String> metadata) {
        return new OnnxWriter(model, outputTypes, rename).build(metadata);
    }

    /** The layer output types recorded in a compressed model's metadata ({@code sparsimony.outputType.<layer>}). */
    static Map<String, FixedPoint> outputTypes(Model compressed) {
        Map<String, FixedPoint> out = new LinkedHashMap<>();
        String prefix = "sparsimony.outputType.";
        compressed.metadata().forEach((k, v) -> {
            if (k.startsWith(prefix) && compressed.hasNode(k.substring(prefix.length()))) {
                out.put(k.substring(prefix.length()), FixedPoint.parse(v));
            }
        });
        return out;
    }

    private Result build(Map<String, String> metadata) {
        // the names of the model's own values first: helpers never take them
        for (ValueInfo v : model.inputs()) {
            reserve(rename.apply(v.name()), "input");
        }
        for (Node n : model.nodes()) {
            reserve(rename.apply(n.name()), "layer");
        }
        for (ValueInfo v : model.inputs()) {
            String name = rename.apply(v.name());
            inputNames.put(v.name(), name);
            graph.addInput(valueInfo(name, inputShape(v.shape())));
            valueInfoWritten.add(name);
            ir.put(v.name(), name);
        }
        for (Node n : model.nodes()) {
            try {
                emit(n);
            } catch (ModelException e) {
                throw new ModelException("layer '" + n.name() + "' (" + n.op().kind() + "): " + e.getMessage(), e);
            }
        }
        for (String o : model.outputs()) {
            String t = constants.containsKey(o) ? constants.get(o) : asIr(o);
            graph.addOutput(valueInfo(t, shape(o, false)));
            valueInfoWritten.add(t);
        }
        // value_info of every other tensor, including initializers: hls4ml looks every node input up there
        List<ValueInfoProto> infos = new ArrayList<>(pendingInfos.values());
        infos.removeIf(v -> valueInfoWritten.contains(v.getName()));
        graph.addAllValueInfo(infos);
        graph.setName(model.name());
        ModelProto.Builder m = ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setProducerName("Sparsimony")
                .setProducerVersion(dev.sparsimony.engine.explore.Provenance.engineVersion())
                .setGraph(graph);
        if (usesQonnx) {
            m.addOpsetImport(OperatorSetIdProto.newBuilder().setDomain(QONNX_DOMAIN).setVersion(1));
        }
        metadata.forEach((k, v) -> m.addMetadataProps(StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        return new Result(m.build().toByteArray(), nodeNames, biasNodes, inputNames);
    }

    // ------------------------------------------------------------------ one IR node

    private void emit(Node n) {
        String name = n.name();
        String onnx = rename.apply(name);
        Op op = n.op();
        nodeNames.put(name, onnx);
        boolean outCf = false;
        if (op instanceof Ops.Constant c) {
            constants.put(name, initializer(onnx, c.value()));
            nodeNames.remove(name); // an initializer, not a node
            return;
        } else if (op instanceof Ops.Dense d) {
            String x = asIr(in(n, 0));
            String w = initializer(uniqueInit(onnx + "_kernel"), d.kernel());
            if (d.bias() == null) {
                node("MatMul", onnx, List.of(x, w), onnx, shape(name, false));
            } else {
                String mm = uniqueValue(onnx + "_matmul");
                node("MatMul", onnx, List.of(x, w), mm, shape(name, false));
                String b = initializer(uniqueInit(onnx + "_bias"), d.bias());
                String add = uniqueNode(onnx + "_bias_add");
                node("Add", add, List.of(mm, b), onnx, shape(name, false));
                biasNodes.put(name, add);
            }
        } else if (op instanceof Ops.Conv c) {
            outCf = c.layout() == Layout.CHANNELS_LAST;
            String x = outCf ? asCf(in(n, 0)) : asIr(in(n, 0));
            List<String> inputs = new ArrayList<>(List.of(x, initializer(uniqueInit(onnx + "_kernel"),
                    oihw(c.kernel()))));
            if (c.bias() != null) {
                inputs.add(initializer(uniqueInit(onnx + "_bias"), c.bias()));
            }
            NodeProto.Builder b = node("Conv", onnx, inputs, onnx, shape(name, outCf));
            b.addAttribute(ints("kernel_shape", c.kernelSize())).addAttribute(ints("strides", c.strides()))
                    .addAttribute(ints("dilations", c.dilations()))
                    .addAttribute(ints("pads", concat(c.padsBegin(), c.padsEnd())))
                    .addAttribute(integer("group", c.groups()));
        } else if (op instanceof Ops.BatchNorm bn) {
            outCf = bn.layout() == Layout.CHANNELS_LAST && shapes1.get(name).length > 2;
            String x = outCf ? asCf(in(n, 0)) : asIr(in(n, 0));
            List<String> inputs = List.of(x, initializer(uniqueInit(onnx + "_gamma"), bn.gamma()),
                    initializer(uniqueInit(onnx + "_beta"), bn.beta()),
                    initializer(uniqueInit(onnx + "_mean"), bn.mean()),
                    initializer(uniqueInit(onnx + "_variance"), bn.variance()));
            node("BatchNormalization", onnx, inputs, onnx, shape(name, outCf))
                    .addAttribute(real("epsilon", bn.epsilon()));
        } else if (op instanceof Ops.Activation a) {
            outCf = agnosticCf(in(n, 0));
            String x = outCf ? cf.get(in(n, 0)) : asIr(in(n, 0));
            activation(a, onnx, x, shape(name, outCf));
        } else if (op instanceof Ops.Identity i) {
            outCf = agnosticCf(in(n, 0));
            node("Identity", onnx, List.of(outCf ? cf.get(in(n, 0)) : asIr(in(n, 0))), onnx, shape(name, outCf));
        } else if (op instanceof Ops.ThresholdedRelu t) {
            outCf = agnosticCf(in(n, 0));
            node("ThresholdedRelu", onnx, List.of(outCf ? cf.get(in(n, 0)) : asIr(in(n, 0))), onnx,
                    shape(name, outCf)).addAttribute(real("alpha", t.theta()));
        } else if (op instanceof Ops.Cast c) {
            outCf = agnosticCf(in(n, 0));
            node("Cast", onnx, List.of(outCf ? cf.get(in(n, 0)) : asIr(in(n, 0))), onnx, shape(name, outCf))
                    .addAttribute(integer("to", castType(c.to())));
        } else if (op instanceof Ops.Softmax s) {
            axisOp("Softmax", n, onnx, s.axis(), s.coerce2d());
        } else if (op instanceof Ops.LogSoftmax s) {
            axisOp("LogSoftmax", n, onnx, s.axis(), s.coerce2d());
        } else if (op instanceof Ops.Pool p) {
            outCf = p.layout() == Layout.CHANNELS_LAST;
            String x = outCf ? asCf(in(n, 0)) : asIr(in(n, 0));
            NodeProto.Builder b = node(p.pool() == Ops.PoolKind.MAX ? "MaxPool" : "AveragePool", onnx,
                    List.of(x), onnx, shape(name, outCf));
            b.addAttribute(ints("kernel_shape", p.kernel())).addAttribute(ints("strides", p.strides()))
                    .addAttribute(ints("pads", concat(p.padsBegin(), p.padsEnd())))
                    .addAttribute(integer("ceil_mode", p.ceilMode() ? 1 : 0));
            if (p.pool() == Ops.PoolKind.AVG) {
                b.addAttribute(integer("count_include_pad", p.countIncludePad() ? 1 : 0));
            }
        } else if (op instanceof Ops.GlobalPool p) {
            boolean channelsLast = p.layout() == Layout.CHANNELS_LAST;
            String x = channelsLast ? asCf(in(n, 0)) : asIr(in(n, 0));
            String opType = p.pool() == Ops.PoolKind.MAX ? "GlobalMaxPool" : "GlobalAveragePool";
            int rank = shapes1.get(in(n, 0)).length;
            if (p.keepDims()) {
                outCf = channelsLast;
                node(opType, onnx, List.of(x), onnx, shape(name, outCf));
            } else {
                String pooled = uniqueValue(onnx + "_pooled");
                int[][] s = shape(name, false);
                node(opType, onnx, List.of(x), pooled, new int[][] {keepDims(s[0], rank), keepDims(s[1], rank)});
                node("Flatten", uniqueNode(onnx + "_flatten"), List.of(pooled), onnx, s)
                        .addAttribute(integer("axis", 1));
            }
        } else if (op instanceof Ops.Flatten f) {
            node("Flatten", onnx, List.of(asIr(in(n, 0))), onnx, shape(name, false))
                    .addAttribute(integer("axis", f.axis()));
        } else if (op instanceof Ops.Reshape r) {
            if (r.allowZero() && Arrays.stream(r.shape()).anyMatch(v -> v == 0)) {
                throw new ModelException("a Reshape with allowzero needs opset 14; the export writes opset "
                        + OPSET);
            }
            String target = initializerLongs(uniqueInit(onnx + "_shape"), Arrays.stream(r.shape())
                    .asLongStream().toArray(), new int[] {r.shape().length});
            node("Reshape", onnx, List.of(asIr(in(n, 0)), target), onnx, shape(name, false));
        } else if (op instanceof Ops.Transpose t) {
            node("Transpose", onnx, List.of(asIr(in(n, 0))), onnx, shape(name, false))
                    .addAttribute(ints("perm", t.perm()));
        } else if (op instanceof Ops.Binary b) {
            String a0 = operand(n, 0);
            String a1 = operand(n, 1);
            node(b.kind(), onnx, List.of(a0, a1), onnx, shape(name, false));
        } else if (op instanceof Ops.Concat c) {
            List<String> xs = new ArrayList<>();
            for (int i = 0; i < n.inputs().size(); i++) {
                xs.add(operand(n, i));
            }
            node("Concat", onnx, xs, onnx, shape(name, false)).addAttribute(integer("axis", c.axis()));
        } else if (op instanceof Ops.PRelu p) {
            node("PRelu", onnx, List.of(asIr(in(n, 0)), initializer(uniqueInit(onnx + "_slope"),
                    p.slope())), onnx, shape(name, false));
        } else if (op instanceof Ops.Pad p) {
            if (p.mode() == Ops.PadMode.WRAP) {
                throw new ModelException("wrap padding needs opset 19; the export writes opset " + OPSET);
            }
            String pads = initializerLongs(uniqueInit(onnx + "_pads"),
                    Arrays.stream(concat(p.padsBegin(), p.padsEnd())).asLongStream().toArray(),
                    new int[] {2 * p.padsBegin().length});
            String value = initializer(uniqueInit(onnx + "_value"), Tensor.scalar(p.value()));
            node("Pad", onnx, List.of(asIr(in(n, 0)), pads, value), onnx, shape(name, false))
                    .addAttribute(text("mode", p.mode().name().toLowerCase(Locale.ROOT)));
        } else if (op instanceof Ops.Lrn l) {
            outCf = l.layout() == Layout.CHANNELS_LAST && shapes1.get(name).length > 2;
            String x = outCf ? asCf(in(n, 0)) : asIr(in(n, 0));
            node("LRN", onnx, List.of(x), onnx, shape(name, outCf)).addAttribute(integer("size", l.size()))
                    .addAttribute(real("alpha", l.alpha())).addAttribute(real("beta", l.beta()))
                    .addAttribute(real("bias", l.bias()));
        } else if (op instanceof Ops.MatMul mm) {
            node("MatMul", onnx, List.of(operand(n, 0), operand(n, 1)), onnx,
                    shape(name, false));
        } else if (op instanceof Ops.Gemm g) {
            List<String> xs = new ArrayList<>();
            for (int i = 0; i < n.inputs().size(); i++) {
                xs.add(operand(n, i));
            }
            node("Gemm", onnx, xs, onnx, shape(name, false)).addAttribute(real("alpha", g.alpha()))
                    .addAttribute(real("beta", g.beta())).addAttribute(integer("transA", g.transA() ? 1 : 0))
                    .addAttribute(integer("transB", g.transB() ? 1 : 0));
        } else if (op instanceof QuantOps.Quant q) {
            outCf = agnosticCf(in(n, 0)) && q.scale().size() == 1 && q.zeroPoint().size() == 1;
            String x = outCf ? cf.get(in(n, 0)) : asIr(in(n, 0));
            quant(onnx, onnx, x, q.scale(), q.zeroPoint(), q.bits(), q.signed(), q.narrow(),
                    q.rounding().name(), shape(name, outCf));
        } else if (op instanceof QuantOps.BipolarQuant q) {
            outCf = agnosticCf(in(n, 0)) && q.scale().size() == 1;
            String x = outCf ? cf.get(in(n, 0)) : asIr(in(n, 0));
            usesQonnx = true;
            node("BipolarQuant", onnx, List.of(x, initializer(uniqueInit(onnx + "_scale"), q.scale())), onnx,
                    shape(name, outCf)).setDomain(QONNX_DOMAIN);
        } else if (op instanceof QuantOps.Trunc t) {
            usesQonnx = true;
            List<String> xs = new ArrayList<>(List.of(asIr(in(n, 0)),
                    initializer(uniqueInit(onnx + "_scale"), t.scale()),
                    initializer(uniqueInit(onnx + "_zeropt"), t.zeroPoint()),
                    initializer(uniqueInit(onnx + "_in_bitwidth"), Tensor.scalar(t.inBits()))));
            if (t.outScale() != null) {
                xs.add(initializer(uniqueInit(onnx + "_out_scale"), t.outScale()));
            }
            xs.add(initializer(uniqueInit(onnx + "_out_bitwidth"), Tensor.scalar(t.outBits())));
            node("Trunc", onnx, xs, onnx, shape(name, false)).setDomain(QONNX_DOMAIN)
                    .addAttribute(integer("signed", t.signed() ? 1 : 0))
                    .addAttribute(integer("narrow", t.narrow() ? 1 : 0))
                    .addAttribute(text("rounding_mode", t.rounding().name()));
        } else {
            throw new ModelException("the ONNX export does not write " + op.kind() + " layers");
        }
        String value = onnx;
        FixedPoint type = outputTypes.get(name);
        if (type != null) {
            value = outputQuant(onnx, value, type, shape(name, outCf));
        }
        (outCf ? cf : ir).put(name, value);
        if (outCf) {
            primaryCf.add(name);
        }
    }

    /** Softmax/LogSoftmax along an axis (opset 13 semantics; the pre-13 2-D coercion only where it is the same). */
    private void axisOp(String opType, Node n, String onnx, int axis, boolean coerce2d) {
        int rank = shapes1.get(n.name()).length;
        int a = axis < 0 ? axis + rank : axis;
        if (coerce2d && a != rank - 1) {
            throw new ModelException("a " + opType + " over the flattened axes from " + axis
                    + " (ONNX before opset 13) cannot be written at opset " + OPSET);
        }
        node(opType, onnx, List.of(asIr(in(n, 0))), onnx, shape(n.name(), false)).addAttribute(integer("axis", axis));
    }

    private void activation(Ops.Activation a, String onnx, String x, int[][] s) {
        ActivationKind k = a.activation();
        switch (k) {
            case LINEAR -> node("Identity", onnx, List.of(x), onnx, s);
            case RELU -> node("Relu", onnx, List.of(x), onnx, s);
            case LEAKY_RELU -> node("LeakyRelu", onnx, List.of(x), onnx, s).addAttribute(real("alpha", a.alpha()));
            case ELU -> node("Elu", onnx, List.of(x), onnx, s).addAttribute(real("alpha", a.alpha()));
            case SELU -> node("Selu", onnx, List.of(x), onnx, s); // ONNX's defaults are the IR's fixed constants
            case SIGMOID -> node("Sigmoid", onnx, List.of(x), onnx, s);
            case HARD_SIGMOID -> node("HardSigmoid", onnx, List.of(x), onnx, s)
                    .addAttribute(real("alpha", a.alpha())).addAttribute(real("beta", a.beta()));
            case TANH -> node("Tanh", onnx, List.of(x), onnx, s);
            case SOFTPLUS -> node("Softplus", onnx, List.of(x), onnx, s);
            case SOFTSIGN -> node("Softsign", onnx, List.of(x), onnx, s);
            case CLIP -> {
                String lo = Float.isInfinite(a.alpha()) ? ""
                        : initializer(uniqueInit(onnx + "_min"), Tensor.scalar(a.alpha()));
                String hi = Float.isInfinite(a.beta()) ? ""
                        : initializer(uniqueInit(onnx + "_max"), Tensor.scalar(a.beta()));
                List<String> xs = new ArrayList<>(List.of(x, lo, hi));
                while (xs.get(xs.size() - 1).isEmpty()) {
                    xs.remove(xs.size() - 1);
                }
                node("Clip", onnx, xs, onnx, s);
            }
        }
    }

    /**
     * The ap_fixed rounding of a layer's output as a QONNX Quant with scale 2^-F: y = clamp(rounding(x * 2^F)) * 2^-F.
     * AP_TRN is rounding FLOOR, AP_RND_CONV is ROUND (half to even); AP_RND (ties towards +inf) is a FLOOR after
     * adding half an LSB. The Quant clamps, as AP_SAT does; for AP_WRAP types it clamps where the hardware wraps,
     * which gives the same values whenever the output fits its type.
     */
    private String outputQuant(String layer, String x, FixedPoint t, int[][] s) {
        int f = t.fractionalBits();
        String rounding = switch (t.rounding()) {
            case TRUNCATE, ROUND_HALF_UP -> "FLOOR";
            case CONVERGENT -> "ROUND";
            // hls4ml maps a Quant's FLOOR and ROUND back to AP_TRN and AP_RND_CONV only; the other ap_fixed modes
            // would come back as something else, so they are refused rather than silently changed
            default -> throw new ModelException("the output type " + t + " rounds with " + t.rounding().hls
                    + ", which the ONNX export cannot express for hls4ml; use AP_TRN, AP_RND or AP_RND_CONV");
        };
        String in = x;
        if (t.rounding() == FixedPoint.Rounding.ROUND_HALF_UP) {
            String half = initializer(uniqueInit(layer + "_half_lsb"), Tensor.scalar((float) Math.scalb(1.0, -f - 1)));
            in = uniqueValue(layer + "_round_half");
            node("Add", uniqueNode(layer + "_round_half"), List.of(x, half), in, s);
        }
        String q = uniqueNode(layer + "_quant");
        String out = uniqueValue(layer + "_quant");
        quant(q, out, in, Tensor.scalar((float) Math.scalb(1.0, -f)), Tensor.scalar(0f), t.width(), t.signed(),
                false, rounding, s);
        return out;
    }

    private void quant(String nodeName, String out, String x, Tensor scale, Tensor zeroPoint, int bits,
                       boolean signed, boolean narrow, String rounding, int[][] s) {
        usesQonnx = true;
        // every Quant its own parameter tensors: hls4ml folds and then removes them per node
        List<String> xs = List.of(x, initializer(uniqueInit(nodeName + "_scale"), scale),
                initializer(uniqueInit(nodeName + "_zeropt"), zeroPoint),
                initializer(uniqueInit(nodeName + "_bitwidth"), Tensor.scalar(bits)));
        node("Quant", nodeName, xs, out, s).setDomain(QONNX_DOMAIN)
                .addAttribute(integer("signed", signed ? 1 : 0)).addAttribute(integer("narrow", narrow ? 1 : 0))
                .addAttribute(text("rounding_mode", rounding));
    }

    // ------------------------------------------------------------------ layouts

    private static String in(Node n, int i) {
        return n.inputs().get(i);
    }

    /** An operand that may be a constant (then its initializer) or a runtime value in the IR's layout. */
    private String operand(Node n, int i) {
        String v = in(n, i);
        return constants.containsKey(v) ? constants.get(v) : asIr(v);
    }

    /** True when a layout-free op should work on the channels-first form (its input was made there). */
    private boolean agnosticCf(String v) {
        return primaryCf.contains(v);
    }

    /** The tensor holding IR value {@code v} in the IR's layout (a Transpose back from channels-first if needed). */
    private String asIr(String v) {
        if (constants.containsKey(v)) {
            throw new ModelException("a constant input where the export expects a computed value");
        }
        String t = ir.get(v);
        if (t != null) {
            return t;
        }
        String src = cf.get(v);
        if (src == null) {
            throw new ModelException("internal: value '" + v + "' was not written");
        }
        int r = shapes1.get(v).length;
        int[] perm = new int[r];
        perm[0] = 0;
        for (int i = 1; i < r - 1; i++) {
            perm[i] = i + 1;
        }
        perm[r - 1] = 1;
        String base = rename.apply(v);
        String out = uniqueValue(base + "_nhwc");
        node("Transpose", uniqueNode(base + "_to_nhwc"), List.of(src), out, shape(v, false))
                .addAttribute(ints("perm", perm));
        ir.put(v, out);
        return out;
    }

    /** The tensor holding channels-last IR value {@code v} channels-first (a Transpose if needed). */
    private String asCf(String v) {
        String t = cf.get(v);
        if (t != null) {
            return t;
        }
        String src = asIr(v);
        int r = shapes1.get(v).length;
        int[] perm = new int[r];
        perm[1] = r - 1;
        for (int i = 2; i < r; i++) {
            perm[i] = i - 1;
        }
        String base = rename.apply(v);
        String out = uniqueValue(base + "_nchw");
        node("Transpose", uniqueNode(base + "_to_nchw"), List.of(src), out, shape(v, true))
                .addAttribute(ints("perm", perm));
        cf.put(v, out);
        return out;
    }

    /** Shapes of IR value {@code v} at batch 1 and 2, channels-first when {@code channelsFirst}. */
    private int[][] shape(String v, boolean channelsFirst) {
        int[] a = shapes1.get(v);
        int[] b = shapes2.get(v);
        return channelsFirst ? new int[][] {toCf(a), toCf(b)} : new int[][] {a, b};
    }

    private static int[] toCf(int[] s) {
        if (s.length < 3) {
            return s;
        }
        int[] o = new int[s.length];
        o[0] = s[0];
        o[1] = s[s.length - 1];
        System.arraycopy(s, 1, o, 2, s.length - 2);
        return o;
    }

    private static int[] keepDims(int[] nc, int rank) {
        int[] o = new int[rank];
        Arrays.fill(o, 1);
        o[0] = nc[0];
        o[1] = nc[1];
        return o;
    }

    private static int[][] inputShape(int[] declared) {
        int[] a = declared.clone();
        int[] b = declared.clone();
        for (int i = 0; i < a.length; i++) {
            if (a[i] < 0) {
                a[i] = 1;
                b[i] = 2;
            }
        }
        return new int[][] {a, b};
    }

    /** The IR's HWIO kernel [k1, (k2,) cIn/g, cOut] as ONNX's OIHW [cOut, cIn/g, k1, (k2)]. */
    private static Tensor oihw(Tensor k) {
        int r = k.rank();
        int[] s = k.shape();
        int cout = s[r - 1];
        int cin = s[r - 2];
        int spatial = k.size() / (cin * cout);
        float[] src = k.data();
        float[] dst = new float[src.length];
        for (int p = 0; p < spatial; p++) {
            for (int i = 0; i < cin; i++) {
                for (int o = 0; o < cout; o++) {
                    dst[(o * cin + i) * spatial + p] = src[(p * cin + i) * cout + o];
                }
            }
        }
        int[] shape = new int[r];
        shape[0] = cout;
        shape[1] = cin;
        System.arraycopy(s, 0, shape, 2, r - 2);
        return new Tensor(shape, dst);
    }

    private static int[] concat(int[] a, int[] b) {
        int[] o = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, o, a.length, b.length);
        return o;
    }

    private static int castType(Ops.CastType t) {
        return switch (t) {
            case FLOAT -> TensorProto.DataType.FLOAT_VALUE;
            case DOUBLE -> TensorProto.DataType.DOUBLE_VALUE;
            case FLOAT16 -> TensorProto.DataType.FLOAT16_VALUE;
            case BFLOAT16 -> TensorProto.DataType.BFLOAT16_VALUE;
            case INT8 -> TensorProto.DataType.INT8_VALUE;
            case UINT8 -> TensorProto.DataType.UINT8_VALUE;
            case INT16 -> TensorProto.DataType.INT16_VALUE;
            case UINT16 -> TensorProto.DataType.UINT16_VALUE;
            case INT32 -> TensorProto.DataType.INT32_VALUE;
            case UINT32 -> TensorProto.DataType.UINT32_VALUE;
            case INT64 -> TensorProto.DataType.INT64_VALUE;
            case UINT64 -> TensorProto.DataType.UINT64_VALUE;
            case BOOL -> TensorProto.DataType.BOOL_VALUE;
        };
    }

    // ------------------------------------------------------------------ names

    private void reserve(String name, String what) {
        if (!nodeSpace.add(name) | !valueSpace.add(name)) {
            throw new ModelException("two " + what + "s are both named '" + name + "' in the exported file");
        }
    }

    private static String fresh(Set<String> space, String base) {
        String s = base;
        for (int k = 2; space.contains(s); k++) {
            s = base + "_" + k;
        }
        return s;
    }

    private String uniqueNode(String base) {
        String s = fresh(nodeSpace, base);
        nodeSpace.add(s);
        return s;
    }

    private String uniqueValue(String base) {
        String s = fresh(valueSpace, base);
        valueSpace.add(s);
        return s;
    }

    /** Initializers are values, and hls4ml also makes each one a layer: unique in both. */
    private String uniqueInit(String base) {
        String s = base;
        for (int k = 2; nodeSpace.contains(s) || valueSpace.contains(s); k++) {
            s = base + "_" + k;
        }
        nodeSpace.add(s);
        valueSpace.add(s);
        return s;
    }

    // ------------------------------------------------------------------ protobuf

    private NodeProto.Builder node(String opType, String name, List<String> inputs, String output, int[][] s) {
        NodeProto.Builder b = graph.addNodeBuilder().setOpType(opType).setName(name).addAllInput(inputs)
                .addOutput(output);
        pendingInfos.put(output, valueInfo(output, s));
        return b;
    }

    private String initializer(String name, Tensor t) {
        ByteBuffer buf = ByteBuffer.allocate(4 * t.size()).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : t.data()) {
            buf.putFloat(v);
        }
        TensorProto.Builder p = graph.addInitializerBuilder().setName(name)
                .setDataType(TensorProto.DataType.FLOAT_VALUE).setRawData(ByteString.copyFrom(buf.array()));
        for (int d : t.shape()) {
            p.addDims(d);
        }
        pendingInfos.put(name, valueInfo(name, new int[][] {t.shape(), t.shape()}, TensorProto.DataType.FLOAT_VALUE));
        return name;
    }

    private String initializerLongs(String name, long[] values, int[] dims) {
        ByteBuffer buf = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            buf.putLong(v);
        }
        TensorProto.Builder p = graph.addInitializerBuilder().setName(name)
                .setDataType(TensorProto.DataType.INT64_VALUE).setRawData(ByteString.copyFrom(buf.array()));
        for (int d : dims) {
            p.addDims(d);
        }
        pendingInfos.put(name, valueInfo(name, new int[][] {dims, dims}, TensorProto.DataType.INT64_VALUE));
        return name;
    }

    private static ValueInfoProto valueInfo(String name, int[][] s) {
        return valueInfo(name, s, TensorProto.DataType.FLOAT_VALUE);
    }

    /**
     * A float tensor's name and shape: a dimension equal at batch 1 and 2 is fixed, one that is 1 and 2 is the
     * batch ("N"), any other that changes with the batch is left unknown.
     */
    private static ValueInfoProto valueInfo(String name, int[][] s, int elemType) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (int i = 0; i < s[0].length; i++) {
            TensorShapeProto.Dimension.Builder d = shape.addDimBuilder();
            if (s[0][i] == s[1][i]) {
                d.setDimValue(s[0][i]);
            } else if (s[0][i] == 1 && s[1][i] == 2) {
                d.setDimParam("N");
            }
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(elemType).setShape(shape))).build();
    }

    private static AttributeProto integer(String name, long v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(v).build();
    }

    private static AttributeProto real(String name, float v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(v).build();
    }

    private static AttributeProto text(String name, String v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRING)
                .setS(ByteString.copyFromUtf8(v)).build();
    }

    private static AttributeProto ints(String name, int[] v) {
        AttributeProto.Builder b = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (int x : v) {
            b.addInts(x);
        }
        return b.build();
    }
}
