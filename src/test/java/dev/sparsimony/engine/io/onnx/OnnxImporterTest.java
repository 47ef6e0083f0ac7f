package dev.sparsimony.engine.io.onnx;

import static dev.sparsimony.engine.io.onnx.OnnxBuild.af;
import static dev.sparsimony.engine.io.onnx.OnnxBuild.ai;
import static dev.sparsimony.engine.io.onnx.OnnxBuild.ais;
import static dev.sparsimony.engine.io.onnx.OnnxBuild.as;
import static dev.sparsimony.engine.io.onnx.OnnxBuild.at;
import static dev.sparsimony.engine.io.onnx.OnnxBuild.in;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparsimony.engine.io.onnx.proto.OnnxProto.TensorProto;
import dev.sparsimony.engine.model.ActivationKind;
import dev.sparsimony.engine.model.Layout;
import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.model.Node;
import dev.sparsimony.engine.model.Ops;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The IR the ONNX importer produces, on hand-built models (attribute variants the shared cases miss). */
class OnnxImporterTest {

    private static float[] range(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = i;
        }
        return v;
    }

    private static Node only(Model m, Class<?> type) {
        List<Node> ns = m.nodes().stream().filter(n -> type.isInstance(n.op())).toList();
        assertEquals(1, ns.size(), "one " + type.getSimpleName() + " in " + m.nodes());
        return ns.get(0);
    }

    @Test
    void convWeightsBecomeHwioWithPadsStridesDilationsGroups() {
        // W [O=4, I/g=1, kH=2, kW=3], group 2 over 2 input channels
        Model m = new OnnxBuild(13).input("x", 1, 2, 7, 9).init("W", range(24), 4, 1, 2, 3)
                .init("B", new float[] {1, 2, 3, 4}, 4)
                .node("Conv", in("x", "W", "B"), "y", ais("pads", 1, 0, 0, 2), ais("strides", 2, 1),
                        ais("dilations", 1, 2), ai("group", 2))
                .output("y").load();
        Ops.Conv c = (Ops.Conv) only(m, Ops.Conv.class).op();
        assertArrayEquals(new int[] {2, 3, 1, 4}, c.kernel().shape());
        // HWIO[h][w][i][o] == OIHW[o][i][h][w] = o*6 + h*3 + w
        float[] k = c.kernel().data();
        for (int h = 0; h < 2; h++) {
            for (int w = 0; w < 3; w++) {
                for (int o = 0; o < 4; o++) {
                    assertEquals(o * 6 + h * 3 + w, k[((h * 3 + w) * 1) * 4 + o]);
                }
            }
        }
        assertArrayEquals(new int[] {1, 0}, c.padsBegin());
        assertArrayEquals(new int[] {0, 2}, c.padsEnd());
        assertArrayEquals(new int[] {2, 1}, c.strides());
        assertArrayEquals(new int[] {1, 2}, c.dilations());
        assertEquals(2, c.groups());
        assertEquals(Layout.CHANNELS_FIRST, c.layout());
        assertArrayEquals(new float[] {1, 2, 3, 4}, c.bias().data());
        // H: (7+1-2)/2+1 = 4; W: (9+2-5)/1+1 = 7
        assertArrayEquals(new int[] {1, 4, 4, 7}, m.inferShapes(1).get("y"));
        assertEquals(-1, m.inputs().get(0).shape()[0], "batch 1 becomes a free batch");
    }

    @Test
    void autoPadSameUpperLowerAndValid() {
        for (String mode : List.of("SAME_UPPER", "SAME_LOWER", "VALID")) {
            Model m = new OnnxBuild(11).input("x", -1, 1, 5, 6).init("W", range(9), 1, 1, 3, 3)
                    .node("Conv", in("x", "W"), "y", as("auto_pad", mode), ais("strides", 2, 2))
                    .node("MaxPool", in("y"), "z", as("auto_pad", mode), ais("kernel_shape", 2, 2))
                    .output("z").load();
            Ops.Conv c = (Ops.Conv) only(m, Ops.Conv.class).op();
            Ops.Pool p = (Ops.Pool) only(m, Ops.Pool.class).op();
            switch (mode) {
                case "SAME_UPPER" -> {
                    // H 5, stride 2: out 3, total pad (3-1)*2+3-5 = 2 -> 1/1; W 6: out 3, total 1 -> 0/1
                    assertArrayEquals(new int[] {1, 0}, c.padsBegin());
                    assertArrayEquals(new int[] {1, 1}, c.padsEnd());
                    // pool k2 s1 on 3x3: total 1 -> 0 begin, 1 end
                    assertArrayEquals(new int[] {0, 0}, p.padsBegin());
                    assertArrayEquals(new int[] {1, 1}, p.padsEnd());
                    assertArrayEquals(new int[] {2, 1, 3, 3}, m.inferShapes(2).get("z"));
                }
                case "SAME_LOWER" -> {
                    assertArrayEquals(new int[] {1, 1}, c.padsBegin());
                    assertArrayEquals(new int[] {1, 0}, c.padsEnd());
                    assertArrayEquals(new int[] {1, 1}, p.padsBegin());
                    assertArrayEquals(new int[] {0, 0}, p.padsEnd());
                }
                default -> {
                    assertArrayEquals(new int[] {0, 0}, c.padsBegin());
                    assertArrayEquals(new int[] {0, 0}, c.padsEnd());
                    assertArrayEquals(new int[] {2, 1, 1, 1}, m.inferShapes(2).get("z"));
                }
            }
        }
    }

    @Test
    void gemmWithConstantBFoldsTransposeAlphaBetaIntoDense() {
        // B [out=2, in=3] with transB; C [2]
        Model m = new OnnxBuild(13).input("a", -1, 3).init("B", range(6), 2, 3).init("C", new float[] {1, 2}, 2)
                .node("Gemm", in("a", "B", "C"), "y", ai("transB", 1), af("alpha", 2f), af("beta", 0.5f))
                .output("y").load();
        Ops.Dense d = (Ops.Dense) only(m, Ops.Dense.class).op();
        assertArrayEquals(new int[] {3, 2}, d.kernel().shape());
        assertArrayEquals(new float[] {0, 6, 2, 8, 4, 10}, d.kernel().data());
        assertArrayEquals(new float[] {0.5f, 1f}, d.bias().data());
        assertTrue(m.nodes().get(0).op().isPrunable());
    }

    @Test
    void gemmWithMatrixBiasKeepsAnAdd() {
        Model m = new OnnxBuild(13).input("a", 2, 3).init("B", range(6), 3, 2).init("C", range(4), 2, 2)
                .node("Gemm", in("a", "B", "C"), "y").output("y").load();
        assertNull(((Ops.Dense) only(m, Ops.Dense.class).op()).bias());
        assertInstanceOf(Ops.Binary.class, m.node("y").op());
    }

    @Test
    void dynamicGemmAndMatMulStayGeneral() {
        Model m = new OnnxBuild(13).input("a", 3, 4).input("b", 4, 5)
                .node("MatMul", in("a", "b"), "c").node("Gemm", in("c", "c"), "d", ai("transB", 1))
                .output("d").load();
        assertInstanceOf(Ops.MatMul.class, m.node("c").op());
        assertEquals(new Ops.Gemm(1f, 1f, false, true), m.node("d").op());
    }

    @Test
    void matMulPlusBiasBecomesOneDenseNamedAfterTheAdd() {
        Model m = new OnnxBuild(9).input("x", -1, 4).init("W", range(8), 4, 2).init("b", new float[] {5, 6}, 1, 2)
                .node("Add", in("mm", "b"), "y").node("MatMul", in("x", "W"), "mm") // out of order on purpose
                .node("Relu", in("y"), "z").output("z").load();
        assertEquals(2, m.nodes().size());
        Ops.Dense d = (Ops.Dense) m.node("y").op();
        assertArrayEquals(new float[] {5, 6}, d.bias().data());
        assertArrayEquals(range(8), d.kernel().data());
    }

    @Test
    void convPlusChannelBiasIsMerged() {
        Model m = new OnnxBuild(9).input("x", 1, 1, 4, 4).init("W", range(8), 2, 1, 2, 2)
                .init("b", new float[] {1, 2}, 2, 1, 1)
                .node("Conv", in("x", "W"), "c").node("Add", in("c", "b"), "y").output("y").load();
        assertEquals(1, m.nodes().size());
        assertArrayEquals(new float[] {1, 2}, ((Ops.Conv) m.node("y").op()).bias().data());
    }

    @Test
    void softmaxSemanticsDependOnOpset() {
        Model old = new OnnxBuild(11).input("x", 2, 3, 4).node("Softmax", in("x"), "y").output("y").load();
        assertEquals(new Ops.Softmax(1, true), old.node("y").op());
        Model now = new OnnxBuild(13).input("x", 2, 3, 4).node("Softmax", in("x"), "y").output("y").load();
        assertEquals(new Ops.Softmax(-1, false), now.node("y").op());
        Model ax = new OnnxBuild(1).input("x", 2, 3, 4).node("Softmax", in("x"), "y", ai("axis", 2)).output("y")
                .load();
        assertEquals(new Ops.Softmax(2, true), ax.node("y").op());
    }

    @Test
    void clipAttributesBeforeOpset11InputsAfter() {
        Model old = new OnnxBuild(6).input("x", 2, 3).node("Clip", in("x"), "y", af("min", -1f), af("max", 6f))
                .output("y").load();
        assertEquals(new Ops.Activation(ActivationKind.CLIP, -1f, 6f), old.node("y").op());
        OnnxBuild b = new OnnxBuild(13).input("x", 2, 3).init("lo", new float[] {0f}).init("hi", new float[] {6f});
        Model now = b.node("Clip", in("x", "lo", "hi"), "y").output("y").load();
        assertEquals(new Ops.Activation(ActivationKind.CLIP, 0f, 6f), now.node("y").op());
        Model open = new OnnxBuild(13).input("x", 2, 3).init("hi", new float[] {6f})
                .node("Clip", in("x", "", "hi"), "y").output("y").load();
        assertEquals(new Ops.Activation(ActivationKind.CLIP, Float.NEGATIVE_INFINITY, 6f), open.node("y").op());
    }

    @Test
    void reshapeAttributeBeforeOpset5AndBatchIsKeptFree() {
        Model old = new OnnxBuild(1).input("x", 1, 2, 3).node("Reshape", in("x"), "y", ais("shape", 1, 6))
                .output("y").load();
        assertArrayEquals(new int[] {-1, 6}, ((Ops.Reshape) old.node("y").op()).shape());
        assertArrayEquals(new int[] {5, 6}, old.inferShapes(5).get("y"));
        Model fixed = new OnnxBuild(13).input("x", 2, 3).init(OnnxBuild.int64s("s", 3, 2))
                .node("Reshape", in("x", "s"), "y").output("y").load();
        assertArrayEquals(new int[] {3, 2}, ((Ops.Reshape) fixed.node("y").op()).shape());
    }

    @Test
    void constantsShapeArithmeticAndConstantOfShapeAreFolded() {
        TensorProto one = OnnxBuild.floats("", new float[] {0.5f}, 1);
        OnnxBuild b = new OnnxBuild(11).input("x", -1, 2, 3)
                .node("Shape", in("x"), "shp")
                .node("Constant", in(), "idx", at("value", OnnxBuild.int64s("", 0)))
                .node("Gather", in("shp", "idx"), "n", ai("axis", 0))
                .node("Constant", in(), "minus1", ais("value_ints", -1))
                .node("Concat", in("n", "minus1"), "target", ai("axis", 0))
                .node("Reshape", in("x", "target"), "flat")
                .node("Constant", in(), "wshape", ais("value_ints", 6, 4))
                .node("ConstantOfShape", in("wshape"), "W", at("value", one))
                .node("MatMul", in("flat", "W"), "y")
                .node("Constant", in(), "k", af("value_float", 2f))
                .node("Mul", in("y", "k"), "z")
                .output("z");
        Model m = b.load();
        assertEquals(java.util.Set.of("flat", "y", "k", "z"), java.util.Set.copyOf(m.nodes().stream().map(Node::name).toList()));
        Ops.Dense d = (Ops.Dense) m.node("y").op();
        assertArrayEquals(new int[] {6, 4}, d.kernel().shape());
        assertEquals(0.5f, d.kernel().data()[23]);
        assertArrayEquals(new int[] {7, 4}, m.inferShapes(7).get("z"));
        assertEquals(2f, ((Ops.Constant) m.node("k").op()).value().data()[0]);
    }

    @Test
    void typedInitializerFieldsAreRead() {
        TensorProto fd = TensorProto.newBuilder().setName("f").setDataType(1).addDims(2).addFloatData(1.5f)
                .addFloatData(-2f).build();
        TensorProto dd = TensorProto.newBuilder().setName("d").setDataType(11).addDims(2).addDoubleData(0.25)
                .addDoubleData(4).build();
        TensorProto id = TensorProto.newBuilder().setName("i").setDataType(6).addDims(2).addInt32Data(3)
                .addInt32Data(-7).build();
        Model m = new OnnxBuild(13).input("x", 3, 2).init(fd).init(dd).init(id)
                .node("Add", in("x", "f"), "a").node("Mul", in("a", "d"), "b").node("Sub", in("b", "i"), "c")
                .output("c").load();
        assertArrayEquals(new float[] {1.5f, -2f}, ((Ops.Constant) m.node("f").op()).value().data());
        assertArrayEquals(new float[] {0.25f, 4f}, ((Ops.Constant) m.node("d").op()).value().data());
        assertArrayEquals(new float[] {3f, -7f}, ((Ops.Constant) m.node("i").op()).value().data());
    }

    @Test
    void graphInputsThatAreInitializersAreNotModelInputs() {
        OnnxBuild b = new OnnxBuild(9).input("x", -1, 2).input("W", 2, 2).init("W", range(4), 2, 2)
                .node("MatMul", in("x", "W"), "y").output("y");
        Model m = b.load();
        assertEquals(1, m.inputs().size());
        assertEquals("x", m.inputs().get(0).name());
    }

    @Test
    void legacyBatchNormAndBroadcastAndDropout() {
        float[] c2 = {1, 2};
        Model m = new OnnxBuild(6).input("x", -1, 2, 3, 3).init("s", c2, 2).init("b", c2, 2).init("m", c2, 2)
                .init("v", c2, 2).init("k", c2, 2)
                .node("BatchNormalization", in("x", "s", "b", "m", "v"), "bn", ai("spatial", 1), af("epsilon", 1e-3f))
                .node("Dropout", in("bn"), "dr", ai("is_test", 1))
                .node("Mul", in("dr", "k"), "y", ai("broadcast", 1), ai("axis", 1))
                .output("y").load();
        Ops.BatchNorm bn = (Ops.BatchNorm) only(m, Ops.BatchNorm.class).op();
        assertEquals(1e-3f, bn.epsilon());
        // the legacy axis-1 broadcast of a [2] constant becomes a [2, 1, 1] constant
        Node mul = m.node("y");
        assertArrayEquals(new int[] {2, 1, 1}, m.inferShapes(1).get(mul.inputs().get(1)));
        assertArrayEquals(new int[] {4, 2, 3, 3}, m.inferShapes(4).get("y"));
        ModelException e = assertThrows(ModelException.class, () -> new OnnxBuild(7).input("x", -1, 2, 3)
                .init("s", c2, 2).init("b", c2, 2).init("m", c2, 2).init("v", c2, 2)
                .node("BatchNormalization", in("x", "s", "b", "m", "v"), "bn", ai("spatial", 0)).output("bn").load());
        assertTrue(e.getMessage().contains("spatial=0"), e.getMessage());
    }

    @Test
    void sumLrnAndTransposeImport() {
        Model m = new OnnxBuild(9).input("x", -1, 3, 4, 4).input("y", -1, 3, 4, 4).input("z", -1, 3, 4, 4)
                .node("Sum", in("x", "y", "z"), "s")
                .node("LRN", in("s"), "l", ai("size", 3))
                .node("Transpose", in("l"), "t", ais("perm", 0, 2, 3, 1))
                .output("t").load();
        assertEquals(new Ops.Lrn(3, 1e-4f, 0.75f, 1f, Layout.CHANNELS_FIRST), m.node("l").op());
        assertEquals(2, m.nodes().stream().filter(n -> n.op() instanceof Ops.Binary).count());
        assertArrayEquals(new int[] {2, 4, 4, 3}, m.inferShapes(2).get("t"));
    }

    @Test
    void unsupportedOperatorMessageNamesNodeOperatorAndSupportedList() {
        OnnxBuild b = new OnnxBuild(19).input("x", 1, 3).node("Relu", in("x"), "r")
                .node("DeformConv", in("r"), "y").output("y");
        b.graph().getNodeBuilder(1).setName("conv_3");
        ModelException e = assertThrows(ModelException.class, b::load);
        assertTrue(e.getMessage().startsWith("test.onnx: ONNX node 1 'conv_3' uses operator 'DeformConv' (domain"
                + " ai.onnx, opset 19), which Sparsimony does not support; supported: Add, AveragePool, "),
                e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void customDomainIsUnsupported() {
        OnnxBuild b = new OnnxBuild(13).input("x", 1, 3).node("Relu", in("x"), "y").output("y");
        b.graph().getNodeBuilder(0).setDomain("com.microsoft");
        ModelException e = assertThrows(ModelException.class, b::load);
        assertTrue(e.getMessage().contains("(domain com.microsoft"), e.getMessage());
    }

    @Test
    void shapesThatDoNotChainNameTheNode() {
        OnnxBuild b = new OnnxBuild(13).input("x", -1, 5).init("W", range(12), 4, 3)
                .node("MatMul", in("x", "W"), "y").output("y");
        ModelException e = assertThrows(ModelException.class, b::load);
        assertTrue(e.getMessage().startsWith("test.onnx: ONNX node 0 'y_node' (MatMul): "), e.getMessage());
        assertTrue(e.getMessage().contains("Dense expects last input dimension 4"), e.getMessage());
    }

    @Test
    void missingProducerAndNonConstantWeightsAreReported() {
        ModelException e = assertThrows(ModelException.class, () -> new OnnxBuild(13).input("x", 1, 3)
                .node("Relu", in("nowhere"), "y").output("y").load());
        assertTrue(e.getMessage().contains("reads 'nowhere', which no node, initializer or graph input provides"),
                e.getMessage());
        e = assertThrows(ModelException.class, () -> new OnnxBuild(13).input("x", 1, 1, 3, 3).input("w", 1, 1, 1, 1)
                .node("Conv", in("x", "w"), "y").output("y").load());
        assertTrue(e.getMessage().contains("weights (input 1, 'w') must be a constant"), e.getMessage());
    }

    @Test
    void quantizeLinearTypeFollowsTheZeroPoint() {
        TensorProto zp = TensorProto.newBuilder().setName("zp").setDataType(3).addInt32Data(-3).build();
        Model m = new OnnxBuild(13).input("x", 4).init("sc", new float[] {0.5f}).init(zp)
                .node("QuantizeLinear", in("x", "sc", "zp"), "q").node("DequantizeLinear", in("q", "sc", "zp"), "y")
                .output("y").load();
        assertEquals(new Ops.QuantizeLinear(1, Ops.QuantType.INT8), m.node("q").op());
        assertEquals(-3f, ((Ops.Constant) m.node("zp").op()).value().data()[0]);
    }

    @Test
    void castFoldsConstantsWithNumericAndLegacyStringTypes() {
        Model m = new OnnxBuild(13).input("x", -1, 2).init("c", new float[] {1.7f, -2.2f}, 2)
                .node("Cast", in("c"), "ci", ai("to", 7)).node("Cast", in("ci"), "cf", ai("to", 1))
                .node("Add", in("x", "cf"), "y").node("Cast", in("y"), "z", ai("to", 1)).output("z").load();
        assertArrayEquals(new float[] {1f, -2f}, ((Ops.Constant) m.node("cf").op()).value().data());
        Model old = new OnnxBuild(5).input("x", -1, 2).init("c", new float[] {1.7f, -2.2f}, 2)
                .node("Cast", in("c"), "ci", as("to", "INT32")).node("Add", in("x", "ci"), "y").output("y").load();
        assertArrayEquals(new float[] {1f, -2f}, ((Ops.Constant) old.node("ci").op()).value().data());
        // a runtime cast to an integer type truncates toward zero (issue 13; it was refused before)
        Model rt = new OnnxBuild(13).input("x", -1, 2).node("Cast", in("x"), "y", ai("to", 7)).output("y").load();
        assertEquals(new Ops.Cast(Ops.CastType.INT64), rt.node("y").op());
    }

    @Test
    void biasIsNotMergedWhenTheLayerOutputHasOtherReaders() {
        Model m = new OnnxBuild(13).input("x", -1, 4).init("W", range(8), 4, 2).init("b", new float[] {5, 6}, 2)
                .node("MatMul", in("x", "W"), "mm").node("Relu", in("mm"), "r").node("Add", in("mm", "b"), "y")
                .node("Add", in("r", "y"), "z").output("z").load();
        assertNull(((Ops.Dense) m.node("mm").op()).bias());
        assertInstanceOf(Ops.Binary.class, m.node("y").op());
    }

    @Test
    void sliceOfShapeFeedsAReshape() {
        // PyTorch-style flatten: Reshape(x, Concat(Slice(Shape(x), 0, 1), [-1]))
        Model m = new OnnxBuild(13).input("x", -1, 2, 3, 4).init(OnnxBuild.int64s("s0", 0))
                .init(OnnxBuild.int64s("s1", 1)).init(OnnxBuild.int64s("m1", -1))
                .node("Shape", in("x"), "shp").node("Slice", in("shp", "s0", "s1"), "n")
                .node("Concat", in("n", "m1"), "t", ai("axis", 0)).node("Reshape", in("x", "t"), "y")
                .output("y").load();
        assertArrayEquals(new int[] {5, 24}, m.inferShapes(5).get("y"));
        Const c = ConstFold.slice(Const.ofInt64(0, 1, 2, 3, 4, 5), new long[] {-1}, new long[] {-100},
                null, new long[] {-2});
        assertArrayEquals(new long[] {5, 3, 1}, c.longs());
    }
}
