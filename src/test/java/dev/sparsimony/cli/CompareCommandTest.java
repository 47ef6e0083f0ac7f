package dev.sparsimony.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sparsimony.engine.hardware.TestModels;
import dev.sparsimony.engine.hardware.hls4ml.ReportFixtures;
import dev.sparsimony.engine.io.npyjson.ProjectFormat;
import dev.sparsimony.engine.model.ActivationKind;
import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.model.Node;
import dev.sparsimony.engine.model.Ops;
import dev.sparsimony.engine.model.ValueInfo;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** compare, calibrate and estimate --hls4ml-config / --hls4ml-version / --profile end to end. */
class CompareCommandTest {
    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = SparsimonyCli.commandLine(new PrintWriter(out), new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    static Model twoDense() {
        Model jet = TestModels.jetMlp(5);
        return new Model("two", List.of(new ValueInfo("input_1", new int[] {-1, 16})),
                List.of(new Node("fc1", jet.node("fc1").op(), List.of("input_1")),
                        new Node("relu1", Ops.Activation.of(ActivationKind.RELU), List.of("fc1")),
                        new Node("fc2", jet.node("fc2").op(), List.of("relu1"))), List.of("fc2"));
    }

    /** A project folder: configuration, the model saved beside it, the (hand-written) report. */
    Path project(String name) throws Exception {
        Path p = dir.resolve(name);
        ProjectFormat.write(twoDense(), p);
        Files.writeString(p.resolve("hls4ml_config.yml"), """
                Backend: Vitis
                ClockPeriod: 5
                ClockUncertainty: 12.5%
                HLSConfig:
                  Model: {Precision: 'fixed<16,6>', ReuseFactor: 1, Strategy: Latency}
                IOType: io_parallel
                KerasModel: !keras_model 'somewhere/else/keras_model.keras'
                Part: xcvu9p-flga2104-2L-e
                """);
        ReportFixtures.writeReport(p, ReportFixtures.VITIS);
        return p;
    }

    @Test
    void compareATableAndJson() throws Exception {
        Path p = project("prj");
        // the configuration names a .keras file that is not there: the model saved in the folder is used
        Run t = run("compare", p.toString());
        assertEquals(0, t.code(), t.err());
        assertTrue(t.out().contains("estimate / report (error)"), t.out());
        assertTrue(t.out().lines().anyMatch(l -> l.startsWith("fc1 ") && l.contains(" / 20 (")), t.out());
        assertTrue(t.out().lines().anyMatch(l -> l.startsWith("(top level)")), t.out());
        Run j = run("compare", p.toString(), "--json", "--model", p.resolve("model.json").toString());
        assertEquals(0, j.code(), j.err());
        JsonNode root = new ObjectMapper().readTree(j.out());
        assertEquals(30, root.get("total").get("DSP").get("report").asLong());
        assertEquals(6, root.get("total").get("latency").get("report").asLong());
        assertEquals("fc1", root.get("layers").get(0).get("layer").asText());
        assertEquals("1.3.0", root.get("hls4ml_version").asText());
    }

    @Test
    void calibrateWritesAProfileThatEstimatesCarry() throws Exception {
        Path p = project("prj");
        Path profile = dir.resolve("profile.json");
        Run c = run("calibrate", p.toString(), "--out", profile.toString());
        assertEquals(0, c.code(), c.err());
        assertTrue(c.out().contains("error band: LUT"), c.out());
        assertTrue(Files.isRegularFile(profile));
        Run e = run("estimate", p.resolve("model.json").toString(), "--hls4ml-config",
                p.resolve("hls4ml_config.yml").toString(), "--profile", profile.toString(), "--json");
        assertEquals(0, e.code(), e.err());
        JsonNode root = new ObjectMapper().readTree(e.out());
        // the report's 4 top-level cycles over 2 weighted layers: 2 cycles per boundary, total as reported
        assertEquals(6, root.get("total").get("latency").asLong());
        assertTrue(root.get("notes").toString().contains("calibrated on"), root.get("notes").toString());
        assertEquals("xcvu9p", root.get("target").asText());
        assertEquals("xcvu9p-flga2104-2L-e", root.get("hls4ml_config").get("part").asText());
    }

    @Test
    void hls4mlVersionChangesTheRules() throws Exception {
        Path m = dir.resolve("m");
        ProjectFormat.write(twoDense(), m);
        String model = m.resolve("model.json").toString();
        JsonNode latest = new ObjectMapper().readTree(run("estimate", model, "--target", "xcvu9p", "--json").out());
        Run old = run("estimate", model, "--target", "xcvu9p", "--hls4ml-version", "0.4.0", "--json");
        assertEquals(0, old.code(), old.err());
        JsonNode v04 = new ObjectMapper().readTree(old.out());
        // v0.4: product not inlined, every non-zero weight is a 16x16 multiplier (1024 of fc1); v0.5+: only the
        // constants that need one
        assertEquals(1024, v04.get("layers").get(0).get("DSP").asLong());
        assertTrue(latest.get("layers").get(0).get("DSP").asLong() < 1024);
        assertEquals("0.4.0", v04.get("summary").get("hls4ml_version").asText());
        // a design point carries its own version
        Path point = Files.writeString(dir.resolve("p.json"), "{\"version\": 2, \"name\": \"p\", \"hardware\":"
                + " {\"hls4mlVersion\": \"0.4.0\"}}");
        JsonNode fromPoint = new ObjectMapper().readTree(run("estimate", model, "--config", point.toString(), "--json")
                .out());
        assertEquals("0.4.0", fromPoint.get("summary").get("hls4ml_version").asText());
    }

    @Test
    void badInputIsOneLine() throws Exception {
        Path empty = dir.resolve("empty");
        Files.createDirectories(empty);
        assertError(run("compare", empty.toString()), "sparsimony: no HLS synthesis report under " + empty);
        Path p = project("prj");
        Files.delete(p.resolve("model.json"));
        assertError(run("compare", p.toString()), "sparsimony: no model found for the project");
        Path m = dir.resolve("m");
        ProjectFormat.write(twoDense(), m);
        Path cfg = dir.resolve("bad.yml");
        Files.writeString(cfg, "HLSConfig: {Model: {Precision: 'fixed<16,6>'}, LayerName: {fc7: {ReuseFactor: 2}}}");
        assertError(run("estimate", m.resolve("model.json").toString(), "--hls4ml-config", cfg.toString()),
                "sparsimony: hls4ml configuration bad.yml: LayerName 'fc7' is not a layer of the model");
        Files.writeString(cfg, "Part: xcfoo-1\nHLSConfig: {Model: {Precision: 'fixed<16,6>'}}");
        assertError(run("estimate", m.resolve("model.json").toString(), "--hls4ml-config", cfg.toString()),
                "sparsimony: hls4ml configuration bad.yml: unknown part 'xcfoo-1' (Part)");
        Files.writeString(cfg, "HLSConfig: {Model: {Precision: 'ap_fixed<16;6>'}}");
        assertError(run("estimate", m.resolve("model.json").toString(), "--hls4ml-config", cfg.toString()),
                "sparsimony: hls4ml configuration bad.yml: Model.Precision: cannot read precision");
        assertError(run("estimate", m.resolve("model.json").toString(), "--hls4ml-version", "9.1"),
                "sparsimony: hls4ml 9.1.0 is newer than the latest release");
        assertError(run("estimate", m.resolve("model.json").toString(), "--hls4ml-config", cfg.toString(),
                "--reuse-factor", "2"), "sparsimony: --hls4ml-config sets precision");
        // --config never drops what it does not read: a nested HLSConfig, a design point's layer fields
        Path nested = Files.writeString(dir.resolve("nested.json"), "{\"HLSConfig\": {\"Model\": {}}}");
        assertError(run("estimate", m.resolve("model.json").toString(), "--config", nested.toString()),
                "sparsimony: configuration nested.json: this is an hls4ml project configuration: give it with"
                        + " --hls4ml-config");
        Path layers = Files.writeString(dir.resolve("layers.json"), "{\"layers\": {\"fc1\": {\"sparsity\": 0.5}}}");
        assertError(run("estimate", m.resolve("model.json").toString(), "--config", layers.toString()),
                "sparsimony: configuration layers.json: layer 'fc1': unknown setting 'sparsity'");
    }

    static void assertError(Run r, String prefix) {
        assertEquals(1, r.code(), r.out());
        assertTrue(r.err().startsWith(prefix), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }
}
