package dev.sparsimony.fuzz;

import com.google.protobuf.ByteString;
import static dev.sparsimony.engine.io.onnx.OnnxBuild.ai;
import static dev.sparsimony.engine.io.onnx.OnnxBuild.ais;
import static dev.sparsimony.engine.io.onnx.OnnxBuild.floats;
import static dev.sparsimony.engine.io.onnx.OnnxBuild.int64s;
import static dev.sparsimony.engine.io.onnx.OnnxBuild.vi;

import dev.sparsimony.engine.io.keras.H5Fixture;
import dev.sparsimony.engine.io.npyjson.ProjectFormat;
import dev.sparsimony.engine.io.onnx.proto.OnnxProto.AttributeProto;
import dev.sparsimony.engine.io.onnx.proto.OnnxProto.GraphProto;
import dev.sparsimony.engine.io.onnx.proto.OnnxProto.ModelProto;
import dev.sparsimony.engine.io.onnx.proto.OnnxProto.NodeProto;
import dev.sparsimony.engine.io.onnx.proto.OnnxProto.OperatorSetIdProto;
import dev.sparsimony.engine.io.onnx.proto.OnnxProto.TensorProto;
import dev.sparsimony.engine.io.onnx.proto.OnnxProto.ValueInfoProto;
import dev.sparsimony.engine.model.ActivationKind;
import dev.sparsimony.engine.model.Layout;
import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.model.Node;
import dev.sparsimony.engine.model.Ops;
import dev.sparsimony.engine.model.QuantOps;
import dev.sparsimony.engine.model.Tensor;
import dev.sparsimony.engine.model.ValueInfo;
import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Small valid files of every format, made here (the project ships only what it makes itself). */
final class Seeds {
    private Seeds() {
    }

    static float[] ramp(int n, float scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = ((i * 37 % 17) - 8) * scale;
        }
        return v;
    }

    // ------------------------------------------------------------------ ONNX

    static TensorProto bytesOf(String name, int type, byte[] v, long... dims) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(type)
                .setRawData(ByteString.copyFrom(v));
        for (long d : dims) {
            t.addDims(d);
        }
        return t.build();
    }

    static NodeProto node(String op, String domain, List<String> in, List<String> out, AttributeProto... a) {
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(out.get(0) + "_n").setDomain(domain)
                .addAllInput(in).addAllOutput(out);
        for (AttributeProto x : a) {
            n.addAttribute(x);
        }
        return n.build();
    }

    static byte[] onnx(GraphProto.Builder g, int opset, boolean qonnx) {
        ModelProto.Builder m = ModelProto.newBuilder().setIrVersion(8).setProducerName("fuzz-seed")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset));
        if (qonnx) {
            m.addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("qonnx.custom_op.general").setVersion(1));
        }
        return m.setGraph(g).build().toByteArray();
    }

    /** A small CNN: Conv, BatchNorm, Relu, MaxPool with indices, Pad, PRelu, Flatten, Gemm, LogSoftmax. */
    static byte[] onnxCnn() {
        GraphProto.Builder g = GraphProto.newBuilder().setName("cnn").addInput(vi("x", -1, 2, 6, 6))
                .addOutput(ValueInfoProto.newBuilder().setName("y")).addOutput(ValueInfoProto.newBuilder().setName("idx"))
                .addInitializer(floats("W", ramp(3 * 2 * 3 * 3, 0.1f), 3, 2, 3, 3))
                .addInitializer(floats("B", ramp(3, 0.2f), 3))
                .addInitializer(floats("g", new float[] {1, 2, 0.5f}, 3)).addInitializer(floats("b", ramp(3, 0.1f), 3))
                .addInitializer(floats("m", ramp(3, 0.05f), 3)).addInitializer(floats("v", new float[] {1, 2, 3}, 3))
                .addInitializer(int64s("pads", 0, 0, 1, 1, 0, 0, 1, 1))
                .addInitializer(floats("slope", new float[] {0.1f, 0.2f, 0.3f}, 3, 1, 1))
                .addInitializer(floats("F", ramp(3 * 9 * 4, 0.05f), 4, 27))
                .addInitializer(floats("FB", ramp(4, 0.1f), 4));
        g.addNode(node("Conv", "", List.of("x", "W", "B"), List.of("c"), ais("pads", 1, 1, 1, 1)));
        g.addNode(node("BatchNormalization", "", List.of("c", "g", "b", "m", "v"), List.of("bn")));
        g.addNode(node("Relu", "", List.of("bn"), List.of("r")));
        g.addNode(node("MaxPool", "", List.of("r"), List.of("p", "idx"), ais("kernel_shape", 2, 2), ais("strides", 2, 2)));
        g.addNode(node("Pad", "", List.of("p", "pads"), List.of("pd")));
        g.addNode(node("PRelu", "", List.of("pd", "slope"), List.of("pr")));
        g.addNode(node("Flatten", "", List.of("pr"), List.of("f")));
        g.addNode(node("Gemm", "", List.of("f", "F", "FB"), List.of("gm"), ai("transB", 1)));
        g.addNode(node("LogSoftmax", "", List.of("gm"), List.of("y")));
        return onnx(g, 13, false);
    }

    /** A Brevitas-style MLP: QONNX Quant on the weights and the activations, MatMul, Add, Reshape. */
    static byte[] onnxQonnx() {
        GraphProto.Builder g = GraphProto.newBuilder().setName("tfc").addInput(vi("x", 1, 1, 4, 4))
                .addOutput(ValueInfoProto.newBuilder().setName("y"))
                .addInitializer(int64s("shape", 1, 16)).addInitializer(floats("W", ramp(16 * 5, 0.1f), 16, 5))
                .addInitializer(floats("s", new float[] {0.125f})).addInitializer(floats("z", new float[] {0}))
                .addInitializer(floats("bw", new float[] {4})).addInitializer(floats("b", ramp(5, 0.3f), 5))
                .addInitializer(floats("as", new float[] {0.5f}));
        g.addNode(node("Reshape", "", List.of("x", "shape"), List.of("flat")));
        g.addNode(node("Quant", "qonnx.custom_op.general", List.of("flat", "as", "z", "bw"), List.of("qx"),
                ai("signed", 0), ai("narrow", 0)));
        g.addNode(node("Quant", "qonnx.custom_op.general", List.of("W", "s", "z", "bw"), List.of("qW"),
                ai("signed", 1), ai("narrow", 1)));
        g.addNode(node("MatMul", "", List.of("qx", "qW"), List.of("mm")));
        g.addNode(node("Add", "", List.of("mm", "b"), List.of("a")));
        g.addNode(node("BipolarQuant", "qonnx.custom_op.general", List.of("a", "s"), List.of("y")));
        return onnx(g, 13, true);
    }

    /** QLinearConv then DequantizeLinear, with uint8 tensors. */
    static byte[] onnxQLinear() {
        GraphProto.Builder g = GraphProto.newBuilder().setName("q").addInput(vi("x", -1, 1, 5, 5))
                .addOutput(ValueInfoProto.newBuilder().setName("y"))
                .addInitializer(floats("xs", new float[] {0.02f})).addInitializer(bytesOf("xz", 2, new byte[] {(byte) 128}))
                .addInitializer(bytesOf("w", 3, new byte[] {1, -2, 3, 4, 5, -6, 7, 8, 9, 10, 11, -12, 13, 14, 15, 16,
                    17, 18}, 2, 1, 3, 3))
                .addInitializer(floats("ws", new float[] {0.01f, 0.02f}, 2)).addInitializer(bytesOf("wz", 3, new byte[2], 2))
                .addInitializer(floats("ys", new float[] {0.05f})).addInitializer(bytesOf("yz", 2, new byte[] {10}));
        g.addNode(node("QLinearConv", "", List.of("x", "xs", "xz", "w", "ws", "wz", "ys", "yz"), List.of("qc")));
        g.addNode(node("DequantizeLinear", "", List.of("qc", "ys", "yz"), List.of("y")));
        return onnx(g, 13, false);
    }

    // ------------------------------------------------------------------ Keras

    static final String KERAS_CNN = ("{'class_name': 'Sequential', 'config': {'name': 'cnn', 'layers': ["
            + "{'class_name': 'InputLayer', 'config': {'name': 'img', 'batch_input_shape': [null, 4, 4, 1]}},"
            + "{'class_name': 'ZeroPadding2D', 'config': {'name': 'zp', 'padding': [[1, 0], [0, 1]]}},"
            + "{'class_name': 'Conv2D', 'config': {'name': 'conv', 'filters': 2, 'kernel_size': [2, 2], 'strides': [1, 1],"
            + " 'padding': 'same', 'activation': 'relu', 'use_bias': true}},"
            + "{'class_name': 'BatchNormalization', 'config': {'name': 'bn', 'axis': [3], 'epsilon': 0.001}},"
            + "{'class_name': 'PReLU', 'config': {'name': 'pr', 'shared_axes': [1, 2]}},"
            + "{'class_name': 'MaxPooling2D', 'config': {'name': 'pool', 'pool_size': [2, 2]}},"
            + "{'class_name': 'UpSampling2D', 'config': {'name': 'up', 'size': [2, 2]}},"
            + "{'class_name': 'Flatten', 'config': {'name': 'flat'}},"
            + "{'class_name': 'Dense', 'config': {'name': 'out', 'units': 3, 'activation': 'softmax'}}"
            + "], 'keras_version': '2.13.1'}}").replace('\'', '"');

    static Map<String, Map<String, Tensor>> kerasWeights() {
        return Map.of(
                "conv", Map.of("kernel", Tensor.of(ramp(8, 0.2f), 2, 2, 1, 2), "bias", Tensor.of(ramp(2, 0.1f), 2)),
                "bn", Map.of("gamma", Tensor.of(new float[] {1, 2}, 2), "beta", Tensor.of(new float[] {0, 1}, 2),
                        "moving_mean", Tensor.of(new float[] {1, 0}, 2), "moving_variance", Tensor.of(new float[] {4, 1}, 2)),
                "pr", Map.of("alpha", Tensor.of(new float[] {0.1f, 0.2f}, 1, 1, 2)),
                "out", Map.of("kernel", Tensor.of(ramp(32 * 3, 0.05f), 32, 3), "bias", Tensor.of(ramp(3, 0.1f), 3)));
    }

    /** Keras' H5 layout: one group per layer, a subgroup of the same name, "kernel:0"..., weight_names. */
    static void writeKerasH5(java.nio.file.Path path, String modelConfig) {
        try (WritableHdfFile f = HdfFile.write(path)) {
            WritableGroup root = f;
            if (modelConfig != null) {
                f.putAttribute("model_config", modelConfig);
                root = f.putGroup("model_weights");
            }
            f.putAttribute("keras_version", "2.13.1");
            f.putAttribute("backend", "tensorflow");
            Map<String, Map<String, Tensor>> w = kerasWeights();
            List<String> layers = List.of("conv", "bn", "pr", "out");
            root.putAttribute("layer_names", layers.toArray(String[]::new));
            for (String layer : layers) {
                WritableGroup g = root.putGroup(layer);
                WritableGroup inner = g.putGroup(layer);
                List<String> names = new ArrayList<>();
                for (Map.Entry<String, Tensor> e : new java.util.TreeMap<>(w.get(layer)).entrySet()) {
                    names.add(layer + "/" + e.getKey() + ":0");
                    inner.putDataset(e.getKey() + ":0", H5Fixture.nested(e.getValue()));
                }
                g.putAttribute("weight_names", names.toArray(String[]::new));
            }
        }
    }

    // ------------------------------------------------------------------ project format

    /** A model of many op kinds, new ones included, in the project format. */
    static Model projectModel() {
        List<Node> n = new ArrayList<>();
        n.add(new Node("conv", new Ops.Conv(Tensor.of(ramp(2 * 2 * 2 * 3, 0.1f), 2, 2, 2, 3), Tensor.of(ramp(3, 0.1f), 3),
                new int[] {1, 1}, new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1}, 1, Layout.CHANNELS_LAST),
                List.of("x")));
        n.add(new Node("relu", Ops.Activation.of(ActivationKind.RELU), List.of("conv")));
        n.add(new Node("pad", new Ops.Pad(new int[] {0, 1, 0, 0}, new int[] {0, 0, 1, 0}, Ops.PadMode.REFLECT, 0f),
                List.of("relu")));
        n.add(new Node("q", new QuantOps.Quant(Tensor.scalar(0.25f), Tensor.scalar(0), 4, true, false,
                QuantOps.Rounding.ROUND), List.of("pad")));
        n.add(new Node("pool", new Ops.Pool(Ops.PoolKind.MAX, new int[] {2, 2}, new int[] {2, 2}, new int[] {0, 0},
                new int[] {0, 0}, false, false, Layout.CHANNELS_LAST), List.of("q")));
        n.add(new Node("flat", new Ops.Flatten(1), List.of("pool")));
        n.add(new Node("fc", new Ops.Dense(Tensor.of(ramp(12 * 4, 0.1f), 12, 4), Tensor.of(ramp(4, 0.1f), 4)),
                List.of("flat")));
        n.add(new Node("prelu", new Ops.PRelu(Tensor.of(new float[] {0.1f, 0.2f, 0.3f, 0.4f}, 4)), List.of("fc")));
        n.add(new Node("out", new Ops.Softmax(-1, false), List.of("prelu")));
        return new Model("fuzz", List.of(new ValueInfo("x", new int[] {-1, 4, 4, 2})), n, List.of("out"),
                Map.of("quant.kernel.fc", "bits=6,signed=true,narrow=false,scale=per-tensor"));
    }

    static void writeProject(java.nio.file.Path dir) {
        ProjectFormat.write(projectModel(), dir);
    }
}
