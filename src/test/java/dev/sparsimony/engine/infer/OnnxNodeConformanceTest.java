package dev.sparsimony.engine.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sparsimony.engine.io.onnx.OnnxImporter;
import dev.sparsimony.engine.io.onnx.OnnxTensors;
import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.model.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import dev.sparsimony.engine.io.onnx.proto.OnnxProto.ModelProto;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * ONNX backend node cases (../shared/conformance/onnx-node): each output reproduced from its inputs within the
 * ONNX runner's tolerance (rtol 1e-3, atol 1e-7); we hold inference to rtol 1e-5. Skips when the shared
 * folder is absent.
 */
class OnnxNodeConformanceTest {
    static Path root() {
        String p = System.getProperty("sparsimony.shared", "../shared");
        return Path.of(p, "conformance", "onnx-node", "public");
    }

    static Stream<String> cases() throws IOException {
        Path r = root();
        if (!Files.isDirectory(r)) {
            return Stream.of("(shared conformance folder absent)");
        }
        try (Stream<Path> s = Files.list(r)) {
            return s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void reproducesReferenceOutputs(String name) throws IOException {
        Path dir = root().resolve(name);
        Assumptions.assumeTrue(Files.isDirectory(dir), "shared conformance material not found at " + root());
        byte[] bytes = Files.readAllBytes(dir.resolve("model.onnx"));
        ModelProto mp = ModelProto.parseFrom(bytes);
        Set<String> inits = new HashSet<>();
        mp.getGraph().getInitializerList().forEach(t -> inits.add(t.getName()));
        List<String> graphInputs = new ArrayList<>();
        mp.getGraph().getInputList().forEach(v -> {
            if (!inits.contains(v.getName())) {
                graphInputs.add(v.getName());
            }
        });
        List<Path> sets;
        try (Stream<Path> s = Files.list(dir)) {
            sets = s.filter(p -> p.getFileName().toString().startsWith("test_data_set_")).sorted().toList();
        }
        for (Path set : sets) {
            // the backend cases pass weights as graph inputs: the import takes their values where a layer needs
            // constants, and every input is fed as well
            Map<String, Tensor> feed = new HashMap<>();
            for (int k = 0; k < graphInputs.size(); k++) {
                feed.put(graphInputs.get(k), OnnxTensors.read(set.resolve("input_" + k + ".pb")).tensor());
            }
            Model model = OnnxImporter.load(bytes, name, feed);
            Map<String, Tensor> out = Inference.run(model, feed);
            List<String> outs = new ArrayList<>(model.outputs());
            for (int k = 0; k < outs.size(); k++) {
                Tensor expected = OnnxTensors.read(set.resolve("output_" + k + ".pb")).tensor();
                Tensor actual = out.get(outs.get(k));
                assertArrayEquals(expected.shape(), actual.shape(), name + " output " + k + " shape");
                float[] e = expected.data();
                float[] a = actual.data();
                assertEquals(e.length, a.length);
                for (int i = 0; i < e.length; i++) {
                    double tol = 1e-7 + 1e-5 * Math.abs(e[i]);
                    if (!(Math.abs(e[i] - a[i]) <= tol)) {
                        fail(name + " " + set.getFileName() + " output " + k + " index " + i + ": expected " + e[i]
                                + " got " + a[i]);
                    }
                }
            }
        }
    }
}
