package dev.sparsimony.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sparsimony.engine.hardware.TestModels;
import dev.sparsimony.engine.io.npyjson.ProjectFormat;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class EstimateCommandTest {
    @TempDir
    static Path dir;
    static Path model;

    record Run(int code, String out, String err) {
    }

    @BeforeAll
    static void writeModel() {
        Path d = dir.resolve("jet");
        ProjectFormat.write(TestModels.jetMlp(1), d);
        model = d.resolve(ProjectFormat.MANIFEST);
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new EstimateCommand());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void tableWithPerLayerRowsAndTotals() {
        Run r = run(model.toString(), "--target", "xcku115");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("fc1"), r.out());
        assertTrue(r.out().contains("total"), r.out());
        assertTrue(r.out().contains("latency ns:"), r.out());
        assertTrue(r.out().contains("dsp percent:"), r.out());
    }

    @Test
    void jsonOutput() throws Exception {
        Run r = run(model.toString(), "--target", "zcu102", "--precision", "ap_fixed<8,3>", "--reuse-factor", "4",
                "--strategy", "resource", "--io", "stream", "--clock", "250", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals("xczu9eg", j.get("target").asText());
        // 8-bit weights: LUT multipliers; only softmax's 5 products of its 18-bit table values use DSPs
        assertEquals(0, j.get("layers").get(0).get("DSP").asLong());
        assertEquals(5, j.get("total").get("DSP").asLong());
        assertEquals(250.0, j.get("summary").get("clock_mhz").asDouble());
        assertEquals("io_stream", j.get("summary").get("io").asText());
        // 4 Dense, 3 ReLU, softmax and the top level (FIFO hand-overs between the dataflow stages)
        assertEquals(9, j.get("layers").size());
        assertEquals("(top level)", j.get("layers").get(8).get("name").asText());
    }

    @Test
    void perLayerOverridesFromConfig() throws Exception {
        Path cfg = dir.resolve("point.json");
        Files.writeString(cfg, "{\"precision\": \"ap_fixed<16,6>\", \"layers\": {\"fc2\": {\"reuseFactor\": 8,"
                + " \"strategy\": \"resource\", \"precision\": \"ap_fixed<18,8>\"}}}");
        Run r = run(model.toString(), "--target", "xcvu9p", "--config", cfg.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode fc2 = new ObjectMapper().readTree(r.out()).get("layers").get(2);
        assertEquals("fc2", fc2.get("name").asText());
        assertEquals(256, fc2.get("DSP").asLong()); // 64*32/8
        assertEquals(128, fc2.get("BRAM18").asLong()); // ceil(2048*18/(8*36))
    }

    @Test
    void hls4mlConfigShape() throws Exception {
        Path cfg = dir.resolve("hls4ml.json");
        Files.writeString(cfg, "{\"Model\": {\"Precision\": \"ap_fixed<16,6>\", \"ReuseFactor\": 1,"
                + " \"Strategy\": \"Latency\"}, \"LayerName\": {\"fc1\": {\"ReuseFactor\": 4,"
                + " \"Precision\": {\"weight\": \"ap_fixed<8,3>\"}}}, \"ClockPeriod\": 4}");
        Run r = run(model.toString(), "--target", "xcvu9p", "--config", cfg.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals(250.0, j.get("summary").get("clock_mhz").asDouble(), 1e-9);
        // 8-bit constant weights times 16-bit data: only constants of at least 5 bits with 3 or more CSD digits
        // take a DSP (Vitis HLS binds mul cores from 5-bit constants with 16-bit data), far fewer than at 16 bits
        long dsp8 = j.get("layers").get(0).get("DSP").asLong();
        Run wide = run(model.toString(), "--target", "xcvu9p", "--json");
        long dsp16 = new ObjectMapper().readTree(wide.out()).get("layers").get(0).get("DSP").asLong();
        assertTrue(dsp8 > 0 && dsp8 < dsp16 / 2, dsp8 + " vs " + dsp16);
        assertEquals("4", j.get("layers").get(0).get("RF").asText());
    }

    @Test
    void otherTargets() {
        Run eie = run(model.toString(), "--target", "eie");
        assertEquals(0, eie.code(), eie.err());
        assertTrue(eie.out().contains("energy"), eie.out());
        Run gpu = run(model.toString(), "--target", "a100", "--batch", "256");
        assertEquals(0, gpu.code(), gpu.err());
        assertTrue(gpu.out().contains("2:4"), gpu.out());
    }

    @Test
    void oneLineErrorsAndNonZeroExit() {
        assertError(run(model.toString(), "--target", "xc9000"), "sparsimony: unknown device or target 'xc9000'; known: ");
        assertError(run(model.toString(), "--target", "xcku115", "--reuse-factor", "0"),
                "sparsimony: reuse factor must be at least 1, got 0");
        assertError(run(model.toString(), "--target", "xcku115", "--precision", "ap_fixed<80,6>"),
                "sparsimony: precision 'ap_fixed<80,6>' is out of range: fixed-point width W must be in 1..64, got 80");
        assertError(run(model.toString(), "--target", "xcku115", "--strategy", "resource", "--reuse-factor", "7",
                "--strict-reuse"), "sparsimony: reuse factor 7 is not valid for layer 'fc1' (16x64); nearest valid: 4 or 8");
        assertError(run(dir.resolve("missing.onnx").toString(), "--target", "xcku115"), "sparsimony: model file not found");
        assertError(run(model.toString(), "--target", "xcku115", "--clock", "-5"), "sparsimony: clock must be positive");
    }

    static void assertError(Run r, String prefix) {
        assertEquals(1, r.code(), r.out());
        assertTrue(r.err().startsWith(prefix), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }

    @Test
    void designPointIsAppliedThenEstimated() throws Exception {
        Path point = dir.resolve("design.json");
        Files.writeString(point, "{\"name\": \"p\", \"prune\": {\"granularity\": \"unstructured\","
                + " \"importance\": \"l1\", \"selection\": \"layer\", \"sparsity\": 0.5},"
                + " \"weights\": {\"type\": \"fixed\", \"fixed\": {\"width\": 16, \"integer\": 6, \"signed\": true,"
                + " \"rounding\": \"TRUNCATE\", \"overflow\": \"WRAP\"}},"
                + " \"layers\": {\"fc2\": {\"reuseFactor\": 4}}}");
        Run dense = run(model.toString(), "--target", "xcvu9p", "--json");
        Run pruned = run(model.toString(), "--target", "xcvu9p", "--config", point.toString(), "--json");
        assertEquals(0, pruned.code(), pruned.err());
        JsonNode d = new ObjectMapper().readTree(dense.out());
        JsonNode p = new ObjectMapper().readTree(pruned.out());
        assertEquals("4", p.get("layers").get(2).get("RF").asText());
        // half of fc1's 1024 weights pruned: at most 512 multipliers remain (fewer than before)
        long dspAfter = p.get("layers").get(0).get("DSP").asLong();
        assertTrue(dspAfter <= 512 && dspAfter < d.get("layers").get(0).get("DSP").asLong(), p.toString());
        assertTrue(p.get("layers").get(0).get("note").asText().contains("of 512 non-zero"), p.toString());
    }

    @Test
    void registeredInTheRootCommand() {
        StringWriter out = new StringWriter();
        CommandLine cl = new CommandLine(new SparsimonyCli());
        cl.setOut(new PrintWriter(out));
        int code = cl.execute("estimate", model.toString(), "--target", "xcku115");
        assertEquals(0, code);
        assertTrue(out.toString().contains("total"), out.toString());
    }

    @Test
    void layerTheTargetCannotMapAndExtraDevices() throws Exception {
        dev.sparsimony.engine.model.Ops.Conv c = new dev.sparsimony.engine.model.Ops.Conv(
                dev.sparsimony.engine.model.Tensor.zeros(3, 3, 2, 4), null, new int[] {1, 1}, new int[] {1, 1},
                new int[] {0, 0}, new int[] {0, 0}, 1, dev.sparsimony.engine.model.Layout.CHANNELS_LAST);
        dev.sparsimony.engine.model.Model m = new dev.sparsimony.engine.model.Model("c",
                java.util.List.of(new dev.sparsimony.engine.model.ValueInfo("x", new int[] {-1, 8, 8, 2})),
                java.util.List.of(new dev.sparsimony.engine.model.Node("conv", c, java.util.List.of("x"))),
                java.util.List.of("conv"));
        Path d = dir.resolve("conv");
        ProjectFormat.write(m, d);
        String conv = d.resolve(ProjectFormat.MANIFEST).toString();
        assertError(run(conv, "--target", "eie"),
                "sparsimony: layer 'conv' (Conv2D) cannot be mapped to EIE: it accelerates fully connected layers only");
        Path devices = dir.resolve("devices.json");
        Files.writeString(devices, "{\"devices\": [{\"name\": \"tiny\", \"dsp\": 2, \"bram18\": 1,"
                + " \"lut\": 100, \"ff\": 100, \"source\": \"test\"}]}");
        Run r = run(model.toString(), "--target", "tiny", "--devices", devices.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("DOES NOT FIT:"), r.out());
        assertTrue(r.out().contains("  DSP: "), r.out());
    }
}
