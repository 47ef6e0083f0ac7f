package dev.sparsimony.fuzz;

import dev.sparsimony.engine.model.ModelException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * Runs fuzz cases: for each case a format, one of its seeds, and a mutation chosen by a seeded random generator;
 * the damaged file is loaded on a worker thread with a time limit. A case passes when the load ends in a result or
 * in a {@link ModelException} whose message is one printable line without Java exception names. Everything else is
 * a finding: another exception or error (a stack trace for the user), out of memory, a hang, a bad message.
 *
 * <p>Long run (the acceptance figure): {@code mvn -B -o test -Dtest=FuzzTest -Dsparsimony.fuzz.cases=10000}
 * (optionally {@code -Dsparsimony.fuzz.seed=N}); the counts are printed at the end.
 */
public final class FuzzRunner {
    private static final Pattern CLASS_NAME = Pattern.compile("\\b[A-Z][A-Za-z0-9]*(Exception|Error)\\b");
    private static final Pattern PACKAGE = Pattern.compile("\\b(java|javax|jdk|sun|io\\.jhdf|com\\.google|"
            + "com\\.fasterxml|org\\.nd4j|picocli)\\.[a-z]");

    /** One finding: what was loaded, how it was damaged, what happened. */
    public record Finding(String kind, String format, String seed, String mutation, long caseNo, String detail) {
        @Override
        public String toString() {
            return kind + " in " + format + "/" + seed + " case " + caseNo + " (" + mutation + "): " + detail;
        }
    }

    /** Counts of a run. */
    public record Report(long cases, long loaded, long refused, Map<String, Long> perFormat, long hangs, long oom,
                         long stackTraces, long badMessages, List<Finding> findings, double seconds) {
        public String summary() {
            return String.format("fuzz: %,d cases in %.1f s: %,d loaded, %,d refused with one line; %d stack traces,"
                    + " %d hangs, %d out of memory, %d bad messages; per format %s", cases, seconds, loaded, refused,
                    stackTraces, hangs, oom, badMessages, perFormat);
        }
    }

    private FuzzRunner() {
    }

    /**
     * Runs up to {@code cases} cases (fewer when {@code budget} runs out) in {@code work}; each load may take at most
     * {@code perCase}.
     */
    public static Report run(List<FuzzFormat> formats, long cases, long seed, Path work, Duration perCase,
                             Duration budget) throws Exception {
        long t0 = System.nanoTime();
        List<List<FuzzFormat.Seed>> seeds = new ArrayList<>();
        List<Map<Path, byte[]>> originals = new ArrayList<>();
        for (int f = 0; f < formats.size(); f++) {
            Path dir = Files.createDirectories(work.resolve(f + "-" + formats.get(f).name()));
            List<FuzzFormat.Seed> s = formats.get(f).seeds(dir);
            seeds.add(s);
            Map<Path, byte[]> orig = new LinkedHashMap<>();
            for (FuzzFormat.Seed x : s) {
                orig.put(x.damage(), Files.readAllBytes(x.damage()));
            }
            originals.add(orig);
        }
        ExecutorService worker = newWorker();
        Random rng = new Random(seed);
        long loaded = 0;
        long refused = 0;
        long hangs = 0;
        long oom = 0;
        long traces = 0;
        long bad = 0;
        Map<String, Long> perFormat = new LinkedHashMap<>();
        List<Finding> findings = new ArrayList<>();
        long done = 0;
        for (; done < cases; done++) {
            if (System.nanoTime() - t0 > budget.toNanos()) {
                break;
            }
            int f = (int) (done % formats.size());
            FuzzFormat format = formats.get(f);
            List<FuzzFormat.Seed> ss = seeds.get(f);
            FuzzFormat.Seed s = ss.get(rng.nextInt(ss.size()));
            byte[] original = originals.get(f).get(s.damage());
            Mutator.Damaged d = Mutator.damage(original, format.text(s), new Random(rng.nextLong()));
            perFormat.merge(format.name(), 1L, Long::sum);
            Files.write(s.damage(), d.bytes());
            Future<Throwable> result = worker.submit(() -> {
                try {
                    format.load(s.load());
                    return null;
                } catch (Throwable t) {
                    return t;
                }
            });
            Throwable t;
            try {
                t = result.get(perCase.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                hangs++;
                findings.add(new Finding("hang", format.name(), s.label(), d.how(), done, "no answer within "
                        + perCase.toSeconds() + " s"));
                worker.shutdownNow();
                worker = newWorker();
                Files.write(s.damage(), original);
                continue;
            }
            Files.write(s.damage(), original);
            if (t == null) {
                loaded++;
            } else if (t instanceof ModelException) {
                String problem = messageProblem(t.getMessage());
                if (problem == null) {
                    refused++;
                } else {
                    bad++;
                    findings.add(new Finding("bad message", format.name(), s.label(), d.how(), done, problem + ": "
                            + t.getMessage()));
                }
            } else if (t instanceof OutOfMemoryError) {
                oom++;
                findings.add(new Finding("out of memory", format.name(), s.label(), d.how(), done, String.valueOf(t)));
            } else {
                traces++;
                StringWriter sw = new StringWriter();
                t.printStackTrace(new PrintWriter(sw));
                findings.add(new Finding("stack trace", format.name(), s.label(), d.how(), done,
                        sw.toString().lines().limit(8).reduce((a, b) -> a + " | " + b).orElse("")));
            }
        }
        worker.shutdownNow();
        return new Report(done, loaded, refused, perFormat, hangs, oom, traces, bad, findings,
                (System.nanoTime() - t0) / 1e9);
    }

    private static ExecutorService newWorker() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread th = new Thread(r, "fuzz-load");
            th.setDaemon(true);
            return th;
        });
    }

    /** Why a user-facing message is not one line in the user's words, or null when it is. */
    static String messageProblem(String m) {
        if (m == null || m.isBlank()) {
            return "empty message";
        }
        if (m.length() > 1500) {
            return "message of " + m.length() + " characters";
        }
        for (int i = 0; i < m.length(); i++) {
            char c = m.charAt(i);
            if (Character.isISOControl(c) || c == '\uFFFD') {
                return "non-printable character " + (int) c;
            }
        }
        if (CLASS_NAME.matcher(m).find()) {
            return "Java exception name";
        }
        if (PACKAGE.matcher(m).find()) {
            return "Java package name";
        }
        return null;
    }
}
