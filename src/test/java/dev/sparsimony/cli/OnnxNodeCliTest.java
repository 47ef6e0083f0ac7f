package dev.sparsimony.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparsimony.engine.io.npy.Npy;
import dev.sparsimony.engine.io.onnx.OnnxTensors;
import dev.sparsimony.engine.model.Tensor;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The ONNX backend node cases of ../shared/conformance/onnx-node run as a user would run them:
 * {@code sparsimony predict model.onnx --input input_0.pb --input input_1.pb ... --output DIR}, every input file of
 * a test data set bound in order, every output written and compared with {@code output_K.pb} within the ONNX
 * runner's tolerance (rtol 1e-3, atol 1e-7; the README's pass criterion). Skips when the shared folder is absent.
 */
class OnnxNodeCliTest {
    private static final Pattern WROTE = Pattern.compile("^wrote (.+): output '(.*)' shape .*$", Pattern.MULTILINE);

    static Path root() {
        return Path.of(System.getProperty("sparsimony.shared", "../shared"), "conformance", "onnx-node", "public");
    }

    static Stream<String> cases() throws IOException {
        if (!Files.isDirectory(root())) {
            return Stream.of("(shared conformance folder absent)");
        }
        try (Stream<Path> s = Files.list(root())) {
            return s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void predictReproducesEveryOutput(String name, @TempDir Path out) throws IOException {
        Path dir = root().resolve(name);
        Assumptions.assumeTrue(Files.isDirectory(dir), "shared conformance material not found at " + root());
        List<Path> sets;
        try (Stream<Path> s = Files.list(dir)) {
            sets = s.filter(p -> p.getFileName().toString().startsWith("test_data_set_")).sorted().toList();
        }
        for (Path set : sets) {
            List<String> args = new ArrayList<>(List.of("predict", dir.resolve("model.onnx").toString()));
            for (Path in : numbered(set, "input_")) {
                args.add("--input");
                args.add(in.toString());
            }
            Path target = out.resolve(set.getFileName().toString());
            args.add("--output");
            args.add(target.toString());
            StringWriter o = new StringWriter();
            StringWriter e = new StringWriter();
            int code = SparsimonyCli.commandLine(new PrintWriter(o, true), new PrintWriter(e, true))
                    .execute(args.toArray(String[]::new));
            assertEquals(0, code, name + " " + set.getFileName() + ": " + e);
            List<Path> written = new ArrayList<>();
            Matcher m = WROTE.matcher(o.toString());
            while (m.find()) {
                written.add(Path.of(m.group(1)));
            }
            List<Path> expected = numbered(set, "output_");
            assertEquals(expected.size(), written.size(), name + ": outputs written\n" + o);
            for (int k = 0; k < expected.size(); k++) {
                Tensor want = OnnxTensors.read(expected.get(k)).tensor();
                Tensor got = Npy.read(written.get(k)).toTensor();
                assertTrue(Arrays.equals(want.shape(), got.shape()), name + " output " + k + ": shape "
                        + got.shapeString() + ", expected " + want.shapeString());
                for (int i = 0; i < want.size(); i++) {
                    float a = got.data()[i];
                    float b = want.data()[i];
                    assertTrue(Math.abs(a - b) <= 1e-7 + 1e-3 * Math.abs(b), name + " output " + k + " [" + i
                            + "]: " + a + ", expected " + b);
                }
            }
        }
    }

    static List<Path> numbered(Path set, String prefix) throws IOException {
        List<Path> files = new ArrayList<>();
        for (int k = 0; Files.exists(set.resolve(prefix + k + ".pb")); k++) {
            files.add(set.resolve(prefix + k + ".pb"));
        }
        return files;
    }
}
