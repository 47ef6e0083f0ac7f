package dev.sparsimony.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fuzz suite: every format of {@link FuzzFormats#ALL} damaged many ways, each load a result or one line in the
 * user's words within a time limit. In CI a bounded run (fixed seed, 600 cases, at most 30 s); the long run is
 * {@code mvn -B -o test -Dtest=FuzzTest -Dsparsimony.fuzz.cases=10000} (docs/importers.md, "Fuzzing").
 */
class FuzzTest {
    @Test
    void everyDamagedFileEndsInAResultOrOneLine(@TempDir Path work) throws Exception {
        long cases = Long.getLong("sparsimony.fuzz.cases", 600);
        long seed = Long.getLong("sparsimony.fuzz.seed", 13);
        boolean longRun = System.getProperty("sparsimony.fuzz.cases") != null;
        Duration budget = longRun ? Duration.ofHours(12) : Duration.ofSeconds(30);
        FuzzRunner.Report r = FuzzRunner.run(FuzzFormats.ALL, cases, seed, work, Duration.ofSeconds(20), budget);
        System.out.println(r.summary());
        String findings = r.findings().stream().limit(30).map(String::valueOf).collect(Collectors.joining("\n"));
        assertEquals(0, r.findings().size(), r.summary() + "\n" + findings);
        assertTrue(r.cases() >= Math.min(cases, 100), "too few cases ran: " + r.summary());
        assertTrue(r.loaded() > 0 && r.refused() > 0, "the mutations neither all pass nor all fail: " + r.summary());
    }
}
