package dev.sparsimony.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** explore, evaluate --config and bench on the jet-mlp sample and its example space, as a user runs them. */
class ExploreCommandTest {
    static final Path JET = Path.of("sample-models", "jet-mlp");

    @TempDir
    static Path dir;
    static Path out;
    static CliEndToEndTest.Run explore;

    @BeforeAll
    static void exploreTheExampleSpace() {
        Assumptions.assumeTrue(Files.isDirectory(JET), "sample-models/jet-mlp is not in this checkout");
        out = dir.resolve("sweep");
        explore = run("explore", JET.toString(), "--space", JET.resolve("space.json").toString(), "--out",
                out.toString(), "--threads", "2", "--quiet");
    }

    static CliEndToEndTest.Run run(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = SparsimonyCli.commandLine(new PrintWriter(o, true), new PrintWriter(e, true)).execute(args);
        return new CliEndToEndTest.Run(code, o.toString(), e.toString());
    }

    @Test
    void exploreWritesEveryResultFile() throws Exception {
        assertEquals(0, explore.code(), explore.err());
        List<String> csv = Files.readAllLines(out.resolve("points.csv"));
        assertEquals("id,key,status,error,feasible,accuracy,dsp,bram18,lut,ff,latency_cycles,ii_cycles,storage_bytes,"
                + "sparsity,weight_bits,reuse_factor", csv.get(0));
        assertEquals(1 + 10 * 6 * 3, csv.size());
        assertEquals(180, Files.readAllLines(out.resolve("points.jsonl")).size());
        JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        for (String k : List.of("points", "evaluations", "cache_hits", "failures", "wall_seconds",
                "evaluations_per_second", "threads", "hypervolume")) {
            assertTrue(summary.has(k), k);
        }
        assertEquals(180, summary.get("points").asInt());
        assertEquals(60, summary.get("evaluations").asInt(), "the reuse factor does not change the accuracy");
        assertTrue(summary.get("hypervolume").asDouble() > 0.5);
        assertTrue(explore.out().contains("accuracy-DSP front"), explore.out());
    }

    @Test
    void theAccuracyDspFrontIsMonotone() throws Exception {
        List<String> front = Files.readAllLines(out.resolve("front.csv"));
        assertTrue(front.size() >= 3, "front of " + (front.size() - 1));
        double lastAcc = -1;
        long lastDsp = -1;
        for (String line : front.subList(1, front.size())) {
            String[] c = line.split(",");
            double acc = Double.parseDouble(c[5]);
            long dsp = Long.parseLong(c[6]);
            assertTrue(dsp >= lastDsp, "ordered by DSP");
            assertTrue(dsp == lastDsp ? acc == lastAcc : acc > lastAcc, "more DSP never lowers the best accuracy: "
                    + line);
            lastAcc = acc;
            lastDsp = dsp;
        }
    }

    @Test
    void frontPointsAreDesignPointFilesThatEvaluateAndEstimateRead() throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.list(out.resolve("front"))) {
            files = s.sorted().toList();
        }
        assertTrue(!files.isEmpty());
        Path p = files.get(files.size() - 1);
        String id = p.getFileName().toString().replace(".json", "");
        String row = Files.readAllLines(out.resolve("front.csv")).stream().filter(l -> l.startsWith(id + ","))
                .findFirst().orElseThrow();
        CliEndToEndTest.Run ev = run("evaluate", JET.toString(), "--config", p.toString(), "--json");
        assertEquals(0, ev.code(), ev.err());
        JsonNode e = new ObjectMapper().readTree(ev.out());
        assertEquals(Double.parseDouble(row.split(",")[5]), e.get("value").asDouble(), 1e-12,
                "evaluate --config reproduces the sweep's accuracy");
        assertEquals(Long.parseLong(row.split(",")[6]), e.get("hardware").get("dsp").asLong());
        CliEndToEndTest.Run est = run("estimate", JET.toString(), "--config", p.toString(), "--json");
        assertEquals(0, est.code(), est.err());
        JsonNode t = new ObjectMapper().readTree(est.out());
        assertEquals(Long.parseLong(row.split(",")[6]), t.get("total").get("DSP").asLong(),
                "estimate --config gives the sweep's DSP");
        CliEndToEndTest.Run table = run("evaluate", JET.toString(), "--config", p.toString());
        assertTrue(table.out().contains("fc1") && table.out().contains("storage"), table.out());
    }

    @Test
    void badInputIsOneLineAndLeavesResultsAlone() throws Exception {
        byte[] before = Files.readAllBytes(out.resolve("points.jsonl"));
        CliEndToEndTest.Run again = run("explore", JET.toString(), "--space", JET.resolve("space.json").toString(),
                "--out", out.toString(), "--quiet");
        assertEquals(1, again.code());
        assertTrue(again.err().contains("--resume"), again.err());
        assertEquals(1, again.err().strip().lines().count(), again.err());
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"axes\": [{\"field\": \"hardware.reuse\", \"values\": [1]}]}");
        CliEndToEndTest.Run r = run("explore", JET.toString(), "--space", bad.toString(), "--out",
                dir.resolve("x").toString(), "--quiet");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("hardware.reuse"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        CliEndToEndTest.Run strategy = run("explore", JET.toString(), "--space", JET.resolve("space.json").toString(),
                "--out", dir.resolve("y").toString(), "--strategy", "simplex");
        assertEquals(1, strategy.code());
        assertTrue(strategy.err().contains("simplex"), strategy.err());
        org.junit.jupiter.api.Assertions.assertArrayEquals(before, Files.readAllBytes(out.resolve("points.jsonl")));
        Path copy = dir.resolve("resumed");
        Files.createDirectories(copy);
        Files.copy(out.resolve("points.jsonl"), copy.resolve("points.jsonl"));
        CliEndToEndTest.Run resumed = run("explore", JET.toString(), "--space", JET.resolve("space.json").toString(),
                "--out", copy.toString(), "--resume", "--quiet");
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.out().contains("(0 evaluated"), resumed.out());
    }

    @Test
    void listsTheAxesOfTheModel() {
        CliEndToEndTest.Run r = run("explore", JET.toString(), "--list-axes");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("prune.params.n") && r.out().contains("[0, 63]"), r.out());
        assertTrue(r.out().contains("layers[fc1].sparsity") && r.out().contains("hardware.reuseFactor"), r.out());
        CliEndToEndTest.Run missing = run("explore", JET.toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("--space"), missing.err());
    }

    @Test
    void benchReportsTheRoofline() throws Exception {
        CliEndToEndTest.Run b = run("bench", JET.toString(), "--threads", "2", "--seconds", "0.3", "--json");
        assertEquals(0, b.code(), b.err());
        JsonNode j = new ObjectMapper().readTree(b.out());
        for (String k : List.of("points_per_second_1", "points_per_second_n", "threads",
                "roofline_points_per_second")) {
            assertTrue(j.has(k), k);
        }
        assertTrue(j.get("points_per_second_1").asDouble() > 0);
        assertTrue(j.get("roofline_points_per_second").asDouble() > 0);
        assertEquals(2, j.get("threads").asInt());
    }
}
