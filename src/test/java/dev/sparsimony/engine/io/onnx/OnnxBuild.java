package dev.sparsimony.engine.io.onnx;

import com.google.protobuf.ByteString;
import dev.sparsimony.engine.io.onnx.proto.OnnxProto.AttributeProto;
import dev.sparsimony.engine.io.onnx.proto.OnnxProto.GraphProto;
import dev.sparsimony.engine.io.onnx.proto.OnnxProto.ModelProto;
import dev.sparsimony.engine.io.onnx.proto.OnnxProto.NodeProto;
import dev.sparsimony.engine.io.onnx.proto.OnnxProto.OperatorSetIdProto;
import dev.sparsimony.engine.io.onnx.proto.OnnxProto.TensorProto;
import dev.sparsimony.engine.io.onnx.proto.OnnxProto.TensorShapeProto;
import dev.sparsimony.engine.io.onnx.proto.OnnxProto.TypeProto;
import dev.sparsimony.engine.io.onnx.proto.OnnxProto.ValueInfoProto;
import dev.sparsimony.engine.model.Model;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Builds small ONNX models in Java for tests (like onnx.helper in Python). */
public final class OnnxBuild {
    private final GraphProto.Builder g = GraphProto.newBuilder().setName("test");
    private final int opset;

    public OnnxBuild(int opset) {
        this.opset = opset;
    }

    public static ValueInfoProto vi(String name, long... dims) {
        TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
        for (long d : dims) {
            s.addDim(d < 0 ? TensorShapeProto.Dimension.newBuilder().setDimParam("N")
                    : TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder().setElemType(1).setShape(s))).build();
    }

    public OnnxBuild input(String name, long... dims) {
        g.addInput(vi(name, dims));
        return this;
    }

    public OnnxBuild output(String name) {
        g.addOutput(ValueInfoProto.newBuilder().setName(name));
        return this;
    }

    public static TensorProto floats(String name, float[] v, long... dims) {
        ByteBuffer bb = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bb.asFloatBuffer().put(v);
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(1)
                .setRawData(ByteString.copyFrom(bb.array()));
        for (long d : dims) {
            t.addDims(d);
        }
        return t.build();
    }

    public static TensorProto int64s(String name, long... v) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(7).addDims(v.length);
        for (long x : v) {
            t.addInt64Data(x);
        }
        return t.build();
    }

    OnnxBuild init(TensorProto t) {
        g.addInitializer(t);
        return this;
    }

    public OnnxBuild init(String name, float[] v, long... dims) {
        return init(floats(name, v, dims));
    }

    public static AttributeProto ai(String name, long v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(v).build();
    }

    static AttributeProto af(String name, float v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(v).build();
    }

    static AttributeProto as(String name, String v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRING)
                .setS(ByteString.copyFromUtf8(v)).build();
    }

    public static AttributeProto ais(String name, long... v) {
        AttributeProto.Builder b = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long x : v) {
            b.addInts(x);
        }
        return b.build();
    }

    static AttributeProto at(String name, TensorProto t) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.TENSOR).setT(t).build();
    }

    public OnnxBuild node(String op, String[] in, String out, AttributeProto... attrs) {
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(out + "_node").addOutput(out);
        for (String s : in) {
            n.addInput(s);
        }
        for (AttributeProto a : attrs) {
            n.addAttribute(a);
        }
        g.addNode(n);
        return this;
    }

    public GraphProto.Builder graph() {
        return g;
    }

    public ModelProto proto() {
        return ModelProto.newBuilder().setIrVersion(7).setProducerName("test")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset))
                .setGraph(g).build();
    }

    byte[] bytes() {
        return proto().toByteArray();
    }

    Model load() {
        return OnnxImporter.load(bytes(), "test.onnx");
    }

    static String[] in(String... s) {
        return s;
    }
}
