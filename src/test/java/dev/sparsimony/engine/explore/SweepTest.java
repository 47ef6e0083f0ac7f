package dev.sparsimony.engine.explore;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sparsimony.engine.CompressFixtures;
import dev.sparsimony.engine.data.Dataset;
import dev.sparsimony.engine.hardware.DeviceCatalogue;
import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.model.ModelException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sweep runner and its result files: parallel = sequential, seeds, cancel, failures, resume. */
class SweepTest {
    static Model mlp;
    static Dataset data;
    static final Provenance PROV = new Provenance("mlp", "aa", "data", "bb", "test", 0, null, 2, 0);

    @TempDir
    Path tmp;

    @BeforeAll
    static void setUp() {
        mlp = CompressFixtures.mlp(7, 16, 32, 16, 5);
        data = CompressFixtures.randomData(9, 400, 16, 5);
    }

    static SearchSpace space(String extraAxis) {
        String json = "{\"base\": {\"prune\": {\"selection\": \"global\"}, \"outputs\": {\"hls\": \"ap_fixed<16,6>\","
                + " \"type\": \"fixed\"}}, \"axes\": ["
                + "{\"name\": \"sparsity\", \"field\": \"prune.sparsity\", \"range\": {\"from\": 0, \"to\": 0.8, \"step\": 0.2}},"
                + "{\"name\": \"bits\", \"field\": \"weights\", \"bits\": [4, 8, 16]},"
                + "{\"name\": \"rf\", \"field\": \"hardware.reuseFactor\", \"values\": [1, 2]}"
                + extraAxis + "]}";
        return SearchSpace.read(read(json), "test");
    }

    static JsonNode read(String json) {
        try {
            return DesignPointCodec.JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static LocalBackend backend(Provenance p) {
        return new LocalBackend(mlp, data, DeviceCatalogue.builtIn(), p);
    }

    static Exploration.Summary run(SearchSpace s, String strategy, Integer evals, int threads, long seed, Path out,
                                   boolean resume) {
        try (LocalBackend b = backend(PROV)) {
            Exploration ex = new Exploration(b, s, new Exploration.Options(strategy, evals, threads, seed, resume),
                    out);
            try {
                return ex.run();
            } finally {
                ex.close();
            }
        }
    }

    static Map<String, String> figures(Path dir) {
        Map<String, String> m = new TreeMap<>();
        for (PointResult r : PointStore.read(dir)) {
            m.put(r.key(), r.status() + " " + r.accuracy() + " " + r.dsp() + " " + r.bram18() + " " + r.lut() + " "
                    + r.ff() + " " + r.latencyCycles() + " " + r.storageBytes() + " " + r.error());
        }
        return m;
    }

    @Test
    void parallelSweepGivesExactlyTheSequentialResults() {
        SearchSpace s = space("");
        Exploration.Summary one = run(s, "grid", null, 1, 1, tmp.resolve("one"), false);
        Exploration.Summary two = run(s, "grid", null, 2, 1, tmp.resolve("two"), false);
        assertEquals(30, one.points());
        assertEquals(one.points(), two.points());
        assertEquals(figures(tmp.resolve("one")), figures(tmp.resolve("two")));
        // hardware-only differences reuse the accuracy: 15 accuracy keys, 30 points
        assertEquals(15, one.evaluations());
        assertEquals(15, one.cacheHits());
        assertTrue(Files.exists(tmp.resolve("one/points.csv")) && Files.exists(tmp.resolve("one/summary.json")));
    }

    @Test
    void sameSpaceAndSeedGiveTheSameFront() throws Exception {
        SearchSpace s = space(",{\"name\": \"gran\", \"field\": \"prune.granularity\", \"values\": [\"unstructured\","
                + " \"rows\", \"columns\"]}");
        for (String strategy : List.of("nsga2", "random")) {
            run(s, strategy, 40, 2, 11, tmp.resolve(strategy + "a"), false);
            run(s, strategy, 40, 1, 11, tmp.resolve(strategy + "b"), false);
            assertEquals(Files.readString(tmp.resolve(strategy + "a/front.csv")),
                    Files.readString(tmp.resolve(strategy + "b/front.csv")), strategy);
            assertEquals(figures(tmp.resolve(strategy + "a")), figures(tmp.resolve(strategy + "b")), strategy);
        }
        run(s, "random", 40, 2, 12, tmp.resolve("other-seed"), false);
        assertTrue(!figures(tmp.resolve("randoma")).keySet().equals(figures(tmp.resolve("other-seed")).keySet()));
    }

    @Test
    void cancelLeavesNoNewResultsAfterItReturns() throws Exception {
        SearchSpace s = space(",{\"name\": \"gran\", \"field\": \"prune.granularity\", \"values\": [\"unstructured\","
                + " \"rows\", \"columns\", \"block\"]}");
        try (LocalBackend b = backend(PROV)) {
            Exploration ex = new Exploration(b, s, new Exploration.Options("grid", null, 2, 1, false),
                    tmp.resolve("cancel"));
            AtomicInteger delivered = new AtomicInteger();
            CountDownLatch first = new CountDownLatch(3);
            ex.runner().addListener(r -> {
                delivered.incrementAndGet();
                first.countDown();
            });
            Thread t = new Thread(ex::run);
            t.start();
            assertTrue(first.await(60, TimeUnit.SECONDS));
            long t0 = System.nanoTime();
            ex.cancel();
            int atCancel = delivered.get();
            t.join(10_000);
            assertTrue(!t.isAlive(), "the sweep stops after cancel");
            assertTrue((System.nanoTime() - t0) / 1e9 < 5);
            Thread.sleep(200);
            assertEquals(atCancel, delivered.get(), "no result after cancel returned");
            assertEquals(atCancel, PointStore.read(tmp.resolve("cancel")).size());
            assertTrue(atCancel < 120);
            ex.close();
        }
    }

    @Test
    void progressCountsAPointThatTheGridNamesTwiceOnce() {
        // at sparsity 0 both granularities are the same point: 2 x 2 grid points, 3 distinct
        SearchSpace s = SearchSpace.read(read("{\"axes\": [{\"field\": \"prune.granularity\", \"values\":"
                + " [\"unstructured\", \"rows\"]}, {\"field\": \"prune.sparsity\", \"values\": [0, 0.5]}]}"), "dups");
        java.util.Set<String> keys = new java.util.HashSet<>();
        for (int g = 0; g < 2; g++) {
            for (int v = 0; v < 2; v++) {
                keys.add(s.point(new int[] {g, v}).key());
            }
        }
        assertEquals(3, keys.size(), "the canonical form makes the two unpruned points one");
        java.util.concurrent.atomic.AtomicReference<SweepRunner.Progress> last = new java.util.concurrent.atomic.AtomicReference<>();
        try (LocalBackend b = backend(PROV)) {
            Exploration ex = new Exploration(b, s, new Exploration.Options("grid", null, 1, 1, false), null);
            ex.runner().addListener(new SweepRunner.Listener() {
                @Override
                public void result(PointResult r) {
                }

                @Override
                public void progress(SweepRunner.Progress p) {
                    last.set(p);
                }
            });
            Exploration.Summary sum;
            try {
                sum = ex.run();
            } finally {
                ex.close();
            }
            assertEquals(3, sum.points());
        }
        assertEquals(3, last.get().done());
        assertEquals(3, last.get().planned(), "the progress bar ends full");
    }

    @Test
    void aFrontBeyondTheDeviceHasAVolumeWhenTheSpaceAllowsIt() {
        String axes = "\"axes\": [{\"field\": \"prune.sparsity\", \"values\": [0, 0.3, 0.6]}]";
        String base = "\"base\": {\"hardware\": {\"device\": \"xc7z020\"}}";
        SearchSpace free = SearchSpace.read(read("{" + base + ", " + axes + ", \"constraints\": {\"fitsDevice\": false}}"),
                "free");
        SearchSpace fits = SearchSpace.read(read("{" + base + ", " + axes + "}"), "fits");
        Exploration.Summary a = run(free, "grid", null, 1, 1, tmp.resolve("free"), false);
        List<PointResult> rs = PointStore.read(tmp.resolve("free"));
        assertTrue(rs.stream().allMatch(r -> r.ok() && r.dsp() > 220), "every design is over the xc7z020's 220 DSP");
        assertTrue(a.front() > 0 && a.hypervolume() > 0, a.front() + " " + a.hypervolume());
        Exploration.Summary b = run(fits, "grid", null, 1, 1, tmp.resolve("fits"), false);
        assertEquals(0, b.front());
        assertEquals(0.0, b.hypervolume());
    }

    @Test
    void aFailingPointIsRecordedAndTheSweepCompletes() {
        // RF 3 does not divide 16x32 = 512 weights: refused in strict mode, the other points go on
        SearchSpace s = SearchSpace.read(read("{\"base\": {\"hardware\": {\"strategy\": \"resource\","
                + " \"strictReuse\": true}}, \"axes\": [{\"field\": \"hardware.reuseFactor\", \"values\": [1, 2, 3, 4]},"
                + "{\"field\": \"prune.sparsity\", \"values\": [0, 0.5]}]}"), "strict");
        Exploration.Summary sum = run(s, "grid", null, 2, 1, tmp.resolve("fail"), false);
        assertEquals(8, sum.points());
        assertEquals(2, sum.failures());
        List<PointResult> rs = PointStore.read(tmp.resolve("fail"));
        List<String> errors = rs.stream().filter(r -> !r.ok()).map(PointResult::error).toList();
        assertEquals(2, errors.size());
        assertTrue(errors.get(0).contains("reuse factor 3 is not valid"), errors.get(0));
    }

    @Test
    void resumeEvaluatesNothingAlreadyInPointsJsonl() throws Exception {
        Path dir = tmp.resolve("resume");
        // half a sweep: only the first sparsity values
        SearchSpace half = SearchSpace.read(read("{\"axes\": [{\"field\": \"prune.sparsity\", \"values\": [0, 0.2]},"
                + "{\"field\": \"weights\", \"bits\": [4, 8]}]}"), "half");
        assertEquals(4, run(half, "grid", null, 2, 1, dir, false).evaluations());
        SearchSpace full = SearchSpace.read(read("{\"axes\": [{\"field\": \"prune.sparsity\", \"values\": [0, 0.2, 0.4]},"
                + "{\"field\": \"weights\", \"bits\": [4, 8]}]}"), "full");
        Exploration.Summary s = run(full, "grid", null, 2, 1, dir, true);
        assertEquals(2, s.evaluations(), "only the new points are evaluated");
        assertEquals(6, s.points());
        assertEquals(6, PointStore.read(dir).size());
        Set<Long> ids = PointStore.read(dir).stream().map(PointResult::id).collect(Collectors.toSet());
        assertEquals(6, ids.size(), "ids stay unique across runs");
        assertEquals(0, run(full, "grid", null, 2, 1, dir, true).evaluations());
        // without --resume the folder is not overwritten
        byte[] before = Files.readAllBytes(dir.resolve("points.jsonl"));
        String e = assertThrows(ModelException.class, () -> run(full, "grid", null, 2, 1, dir, false)).getMessage();
        assertTrue(e.contains("--resume"), e);
        assertArrayEquals(before, Files.readAllBytes(dir.resolve("points.jsonl")));
    }

    @Test
    void resumeRefusesAnotherModelOrACorruptFileAndLeavesItIntact() throws Exception {
        Path dir = tmp.resolve("guarded");
        SearchSpace s = SearchSpace.read(read("{\"axes\": [{\"field\": \"prune.sparsity\", \"values\": [0, 0.5]}]}"),
                "s");
        run(s, "grid", null, 1, 1, dir, false);
        byte[] before = Files.readAllBytes(dir.resolve("points.jsonl"));
        try (LocalBackend other = backend(new Provenance("other", "cc", "data", "bb", "test", 0, null, 1, 0))) {
            String e = assertThrows(ModelException.class, () -> new Exploration(other, s,
                    new Exploration.Options("grid", null, 1, 1, true), dir)).getMessage();
            assertTrue(e.contains("another model"), e);
        }
        assertArrayEquals(before, Files.readAllBytes(dir.resolve("points.jsonl")));
        List<String> lines = new ArrayList<>(Files.readAllLines(dir.resolve("points.jsonl")));
        lines.add(0, "{\"id\": 0, \"point\": {\"prune\": {\"sparsty\": 1}}}");
        Files.write(dir.resolve("points.jsonl"), lines);
        byte[] corrupt = Files.readAllBytes(dir.resolve("points.jsonl"));
        String e = assertThrows(ModelException.class, () -> run(s, "grid", null, 1, 1, dir, true)).getMessage();
        assertTrue(e.contains("points.jsonl line 1") && e.contains("sparsty"), e);
        assertArrayEquals(corrupt, Files.readAllBytes(dir.resolve("points.jsonl")));
    }

    @Test
    void badSpacesAreRefusedByName() {
        String e = assertThrows(ModelException.class, () -> SearchSpace.read(read("{\"axes\": [{\"field\":"
                + " \"prune.sparsty\", \"values\": [0.1]}]}"), "s.json")).getMessage();
        assertTrue(e.contains("axis 'prune.sparsty'") && e.contains("unknown field 'prune.sparsty'"), e);
        e = assertThrows(ModelException.class, () -> SearchSpace.read(read("{\"axes\": [{\"field\":"
                + " \"prune.sparsity\", \"values\": [1.5]}]}"), "s.json")).getMessage();
        assertTrue(e.contains("prune.sparsity") && e.contains("1.5"), e);
        e = assertThrows(ModelException.class, () -> SearchSpace.read(read("{\"axes\": [{\"field\":"
                + " \"prune.params.foo\", \"values\": [2]}], \"base\": {\"prune\": {\"granularity\": \"block\"}}}"),
                "s.json")).getMessage();
        assertTrue(e.contains("'foo'"), e);
        e = assertThrows(ModelException.class, () -> SearchSpace.read(read("{\"axes\": [], \"constraints\":"
                + " {\"minAccuracy\": 1.5}}"), "s.json")).getMessage();
        assertTrue(e.contains("minAccuracy") && e.contains("never"), e);
        e = assertThrows(ModelException.class, () -> SearchSpace.read(read("{\"axis\": []}"), "s.json")).getMessage();
        assertTrue(e.contains("unknown field 'axis'"), e);
        e = assertThrows(ModelException.class, () -> SearchSpace.read(read("{\"axes\": [{\"field\":"
                + " \"prune.sparsity\", \"values\": []}]}"), "s.json")).getMessage();
        assertTrue(e.contains("no values"), e);
        SearchSpace empty = SearchSpace.read(read("{}"), "empty");
        e = assertThrows(ModelException.class, () -> run(empty, "grid", null, 1, 1, tmp.resolve("e"), false))
                .getMessage();
        assertTrue(e.contains("no axes"), e);
        e = assertThrows(ModelException.class, () -> run(space(""), "annealing", null, 1, 1, tmp.resolve("a"), false))
                .getMessage();
        assertTrue(e.contains("annealing") && e.contains("nsga2"), e);
    }

    @Test
    void sensitivityAndBudgetWalk() {
        SearchSpace s = SearchSpace.read(read("{\"sensitivity\": {\"sparsities\": [0.5, 0.9], \"bits\": [4]},"
                + " \"budgetWalk\": {\"resource\": \"DSP\", \"from\": 1, \"to\": 0.2, \"step\": 0.4},"
                + " \"base\": {\"weights\": {\"hls\": \"ap_fixed<16,6>\"}, \"hardware\": {\"strategy\": \"resource\","
                + " \"reuseFactor\": 4}}}"), "s");
        Exploration.Summary sens = run(s, "sensitivity", null, 2, 1, tmp.resolve("sens"), false);
        assertEquals(1 + 3 * 3, sens.points()); // reference + 3 layers x (2 sparsities + 1 width)
        List<PointResult> rs = PointStore.read(tmp.resolve("sens"));
        PointResult one = rs.stream().filter(r -> "sparsity".equals(r.choices().get("axis"))
                && Double.valueOf(0.9).equals(r.choices().get("value"))).findFirst().orElseThrow();
        String layer = (String) one.choices().get("layer");
        for (PointResult.Layer l : one.layers()) {
            assertEquals(l.name().equals(layer) ? 0.9 : 0.0, l.sparsity(), 0.02, l.name());
        }
        Exploration.Summary walk = run(s, "budget-walk", null, 2, 1, tmp.resolve("walk"), false);
        assertEquals(3, walk.points());
        List<PointResult> w = new ArrayList<>(PointStore.read(tmp.resolve("walk")));
        w.sort((a, b) -> Double.compare((Double) b.choices().get("budget_DSP"), (Double) a.choices().get("budget_DSP")));
        long full = w.get(0).dsp();
        for (PointResult r : w) {
            assertTrue(r.dsp() <= (Double) r.choices().get("budget_DSP") * full + 1e-9, r.choices() + " " + r.dsp());
        }
        assertTrue(w.get(2).dsp() < w.get(0).dsp());
        Collections.reverse(w);
    }
}
