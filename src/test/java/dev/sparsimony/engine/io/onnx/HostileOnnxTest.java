package dev.sparsimony.engine.io.onnx;

import static dev.sparsimony.engine.io.onnx.OnnxBuild.in;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparsimony.engine.infer.Inference;
import dev.sparsimony.engine.io.ModelFiles;
import dev.sparsimony.engine.io.onnx.proto.OnnxProto.TensorProto;
import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.model.NonFinite;
import dev.sparsimony.engine.model.NonFiniteException;
import dev.sparsimony.engine.model.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Regressions for the hostile ONNX files of issue 13: each ends in one line in the user's words. */
class HostileOnnxTest {
    private static OnnxBuild conv(long[] dilations, long[] strides) {
        return new OnnxBuild(13).input("x", -1, 1, 8, 8).init("W", new float[9], 1, 1, 3, 3)
                .node("Conv", in("x", "W"), "y", OnnxBuild.ais("dilations", dilations),
                        OnnxBuild.ais("strides", strides)).output("y");
    }

    private static void userWords(String m) {
        assertFalse(m.matches("(?s).*\\b\\w*(Exception|Error)\\b.*") || m.contains("\n"), m);
    }

    @Test
    void convAttributesThatNoFrameworkDefinesAreRefused() {
        // dilations 100000: the window is larger than the input (was an ArrayIndexOutOfBoundsException in ConvKernel)
        ModelException big = assertThrows(ModelException.class, () -> conv(new long[] {100000, 100000},
                new long[] {1, 1}).load());
        assertTrue(big.getMessage().contains("larger than its padded input"), big.getMessage());
        // dilations [0, 0] ran and gave 47 % instead of 99 %; strides 0 divided by zero
        ModelException zero = assertThrows(ModelException.class, () -> conv(new long[] {0, 0}, new long[] {1, 1})
                .load());
        assertTrue(zero.getMessage().contains("dilations [0, 0]"), zero.getMessage());
        ModelException stride = assertThrows(ModelException.class, () -> conv(new long[] {1, 1}, new long[] {0, 1})
                .load());
        assertTrue(stride.getMessage().contains("strides [0, 1]"), stride.getMessage());
        for (ModelException e : new ModelException[] {big, zero, stride}) {
            userWords(e.getMessage());
        }
    }

    /** [65536]^4 overflowed a long to 0 values before the size check. */
    @Test
    void dimensionProductsDoNotOverflow() {
        TensorProto t = TensorProto.newBuilder().setName("W").setDataType(1).addDims(65536).addDims(65536)
                .addDims(65536).addDims(65536).build();
        ModelException e = assertThrows(ModelException.class, () -> new OnnxBuild(13).input("x", -1, 4).init(t)
                .node("Add", in("x", "W"), "y").output("y").load());
        assertTrue(e.getMessage().contains("too many values"), e.getMessage());
        userWords(e.getMessage());
    }

    /** NaN weights from ONNX were accepted silently (evaluate printed 0.00 %): refused with where they are. */
    @Test
    void nonFiniteWeightsAreReportedAndRefusedUnlessAllowed(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("nan.onnx");
        Files.write(f, new OnnxBuild(13).input("x", -1, 2)
                .init("W", new float[] {1, Float.NaN, Float.POSITIVE_INFINITY, 0}, 2, 2)
                .node("MatMul", in("x", "W"), "y").output("y").bytes());
        NonFiniteException e = assertThrows(NonFiniteException.class, () -> ModelFiles.load(f));
        assertTrue(e.getMessage().startsWith("nan.onnx has NaN or infinite weights: layer 'y' kernel (1 NaN, 1 +Inf of"
                + " 4 values)"), e.getMessage());
        Model m = ModelFiles.load(f, NonFinite.Policy.ALLOW);
        Tensor y = Inference.run(m, Map.of("x", Tensor.of(new float[] {1, 0}, 1, 2))).get("y");
        assertTrue(Float.isNaN(y.data()[1]));
    }
}
