package dev.sparsimony.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sparsimony export}: every format, and bad input as one line with the previous files left intact. */
class ExportCommandTest {
    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = SparsimonyCli.commandLine(new PrintWriter(out), new PrintWriter(err)).execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private Path point() throws Exception {
        return Files.writeString(dir.resolve("point.json"), """
                {"version": 2, "name": "p60",
                 "prune": {"granularity": "unstructured", "sparsity": 0.6},
                 "weights": {"type": "fixed", "hls": "ap_fixed<8,2>"},
                 "outputs": {"type": "fixed", "hls": "ap_fixed<16,6>"},
                 "hardware": {"device": "xczu9eg", "reuseFactor": 2}}""");
    }

    @Test
    void everyFormatIntoOneFolder() throws Exception {
        Path out = dir.resolve("out");
        Run r = run("export", "sample-models/jet-mlp", "--point", point().toString(), "--format", "all", "--out",
                out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("exported design point 'p60' (key "), r.out());
        for (String f : List.of("jet-mlp.onnx", "hls4ml_config.yml", "hls4ml_config.json", "convert.py",
                "model.json", "masks.npz", "point.json", "report.html", "report.csv", "provenance.json",
                "pareto-accuracy-dsp.svg", "pareto-accuracy-dsp.png")) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f);
            assertTrue(r.out().contains("  " + f + "\n") || r.out().contains("  " + f + "\r"), f);
        }
        assertTrue(Files.readString(out.resolve("hls4ml_config.yml")).contains("Part: xczu9eg-ffvb1156-2-e"));
    }

    @Test
    void badInputIsOneLineAndLeavesThePreviousFiles() throws Exception {
        Path out = dir.resolve("out");
        assertEquals(0, run("export", "sample-models/jet-mlp", "--point", point().toString(), "--format", "onnx",
                "--out", out.toString()).code());
        byte[] before = Files.readAllBytes(out.resolve("jet-mlp.onnx"));

        // an output "folder" that is a file
        Path file = Files.writeString(dir.resolve("a-file"), "keep");
        Run r = run("export", "sample-models/jet-mlp", "--point", point().toString(), "--format", "onnx", "--out",
                file.toString());
        assertEquals(1, r.code());
        assertEquals("sparsimony: cannot export into " + file + ": it is a file, not a folder\n", r.err());
        assertEquals("keep", Files.readString(file));

        // a corrupt design point, an unknown format, a layer the point names that the model does not have
        Path corrupt = Files.writeString(dir.resolve("corrupt.json"), "{\"version\": 2, \"prune\": {\"sparsty\"");
        r = run("export", "sample-models/jet-mlp", "--point", corrupt.toString(), "--format", "onnx", "--out",
                out.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().startsWith("sparsimony: ") && r.err().lines().count() == 1, r.err());
        r = run("export", "sample-models/jet-mlp", "--point", point().toString(), "--format", "vhdl", "--out",
                out.toString());
        assertEquals(1, r.code());
        assertEquals("sparsimony: unknown export format 'vhdl'; use hls4ml, onnx, native, report or all\n", r.err());
        Path wrongLayer = Files.writeString(dir.resolve("wrong.json"),
                "{\"version\": 2, \"layers\": {\"conv9\": {\"reuseFactor\": 2}}}");
        r = run("export", "sample-models/jet-mlp", "--point", wrongLayer.toString(), "--format", "onnx", "--out",
                out.toString());
        assertEquals(1, r.code());
        assertEquals("sparsimony: layers.conv9: the model has no layer named 'conv9'\n", r.err());
        // a folder in the way of one file: nothing of the export is replaced
        Files.createDirectory(out.resolve("hls4ml_config.yml"));
        r = run("export", "sample-models/jet-mlp", "--point", point().toString(), "--format", "onnx,hls4ml",
                "--out", out.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().endsWith("hls4ml_config.yml: a folder of that name is in the way\n"), r.err());
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(out.resolve("jet-mlp.onnx"))));
        assertFalse(Files.exists(out.resolve("convert.py")));
        try (var s = Files.list(out)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary files left");
        }
    }
}
