package dev.sparsimony.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Runs the packaged fat jar as a user would (after `mvn package`): proves the shaded jar is complete. */
class LauncherIT {
    record Result(int code, String out, String err) {
    }

    static Result java(String... args) throws IOException, InterruptedException {
        Path jar = Path.of(System.getProperty("sparsimony.jar", "target/sparsimony.jar"));
        Assumptions.assumeTrue(Files.exists(jar), "fat jar not built: " + jar);
        String cache = System.getProperty("native.cache", "target/native-cache");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-Dorg.bytedeco.javacpp.cachedir=" + cache + "/javacpp",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-jar", jar.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).start();
        p.getOutputStream().close();
        var out = p.getInputStream().readAllBytes();
        var err = p.getErrorStream().readAllBytes();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "launcher hung");
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    @Test
    void evaluatesTheSampleModelFromTheJar() throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(Path.of("sample-models/jet-mlp")), "sample model missing");
        Result r = java("evaluate", "sample-models/jet-mlp", "--limit", "2000");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("accuracy"), r.out());
    }

    @Test
    void badFileGivesOneLineAndExitOne() throws Exception {
        Result r = java("info", "no/such/model.onnx");
        assertEquals(1, r.code());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }
}
