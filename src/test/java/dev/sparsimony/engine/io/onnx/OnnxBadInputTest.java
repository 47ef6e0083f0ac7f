package dev.sparsimony.engine.io.onnx;

import static dev.sparsimony.engine.io.onnx.OnnxBuild.in;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparsimony.engine.io.ModelFiles;
import dev.sparsimony.engine.model.ModelException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Broken or foreign files give one clear ModelException line; nothing else escapes, nothing hangs. */
@Timeout(120)
class OnnxBadInputTest {
    @TempDir
    Path dir;

    private static byte[] goodModel() {
        float[] w = new float[12];
        Arrays.fill(w, 0.5f);
        return new OnnxBuild(13).input("x", -1, 1, 4, 4).init("W", w, 3, 1, 2, 2).init("B", new float[] {1, 2, 3}, 3)
                .node("Conv", in("x", "W", "B"), "c").node("Relu", in("c"), "r").node("Flatten", in("r"), "f")
                .node("Softmax", in("f"), "y").output("y").bytes();
    }

    private ModelException loadFails(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        ModelException e = assertThrows(ModelException.class, () -> ModelFiles.load(p));
        String m = e.getMessage();
        assertTrue(m != null && !m.isBlank() && !m.contains("\n"), "one-line message: " + m);
        return e;
    }

    @Test
    void goodModelLoads() throws IOException {
        Path p = dir.resolve("good.onnx");
        Files.write(p, goodModel());
        assertTrue(ModelFiles.load(p).nodes().size() >= 3);
    }

    @Test
    void emptyFile() throws IOException {
        assertTrue(loadFails("empty.onnx", new byte[0]).getMessage().contains("empty.onnx is empty"));
    }

    @Test
    void truncatedFiles() throws IOException {
        byte[] g = goodModel();
        for (int cut : new int[] {1, 3, g.length / 4, g.length / 2, 3 * g.length / 4, g.length - 1}) {
            ModelException e = loadFails("cut" + cut + ".onnx", Arrays.copyOf(g, cut));
            assertTrue(e.getMessage().startsWith("cut" + cut + ".onnx"), e.getMessage());
        }
    }

    @Test
    void randomBytes() throws IOException {
        Random r = new Random(42);
        for (int i = 0; i < 40; i++) {
            byte[] b = new byte[1 + r.nextInt(4096)];
            r.nextBytes(b);
            loadFails("random" + i + ".onnx", b);
        }
    }

    @Test
    void pngRenamedToOnnx() throws IOException {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
        ModelException e = loadFails("picture.onnx", png);
        assertTrue(e.getMessage().contains("picture.onnx is not an ONNX model (it looks like a PNG image)"),
                e.getMessage());
    }

    @Test
    void textAndWrongExtension() throws IOException {
        loadFails("notes.onnx", "this is not a model, just some text\n".getBytes());
        ModelException e = loadFails("model.onnx.txt", goodModel());
        assertTrue(e.getMessage().contains("unsupported model file"), e.getMessage());
    }

    @Test
    void unsupportedOperatorThroughModelFiles() throws IOException {
        byte[] b = new OnnxBuild(19).input("x", 1, 3).node("NonMaxSuppression", in("x"), "y").output("y").bytes();
        ModelException e = loadFails("nms.onnx", b);
        assertTrue(e.getMessage().contains("uses operator 'NonMaxSuppression' (domain ai.onnx, opset 19)"),
                e.getMessage());
    }

    @Test
    void shapesThatDoNotChain() throws IOException {
        byte[] b = new OnnxBuild(13).input("x", -1, 2, 4, 4).init("W", new float[3 * 3 * 4], 3, 3, 2, 2)
                .node("Conv", in("x", "W"), "y").output("y").bytes();
        ModelException e = loadFails("chain.onnx", b);
        assertTrue(e.getMessage().contains("(Conv): Conv2D expects 3 input channels"), e.getMessage());
    }

    @Test
    void tensorFileErrors() throws IOException {
        Path p = dir.resolve("input_0.pb");
        Files.write(p, new byte[] {(byte) 0x89, 'P', 'N', 'G'});
        ModelException e = assertThrows(ModelException.class, () -> OnnxTensors.read(p));
        assertFalse(e.getMessage().contains("\n"));
        assertThrows(ModelException.class, () -> OnnxTensors.read(dir.resolve("missing.pb")));
    }
}
