package dev.sparsimony.engine.samples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparsimony.engine.data.DataFiles;
import dev.sparsimony.engine.data.Dataset;
import dev.sparsimony.engine.infer.Inference;
import dev.sparsimony.engine.io.ModelFiles;
import dev.sparsimony.engine.metric.Accuracy;
import dev.sparsimony.engine.model.Model;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The files in sample-models/ load through the public loaders and score exactly what their README says. */
class CommittedSamplesTest {
    private static final Pattern ACCURACY = Pattern.compile("\\*\\*(\\d+\\.\\d\\d) %\\*\\*");

    @ParameterizedTest
    @CsvSource({"jet-mlp, 10000, 5", "digits-cnn, 1000, 10", "svhn-cnn, 1000, 10", "mobile-cnn, 1000, 10"})
    void sampleLoadsAndScoresAsDocumented(String name, int samples, int classes) throws IOException {
        Path dir = Path.of("sample-models", name);
        Assumptions.assumeTrue(Files.isDirectory(dir), "sample-models/" + name + " is absent (run from the repo root)");
        Model model = ModelFiles.load(dir.resolve("model.json"));
        Dataset val = DataFiles.load(dir.resolve("validation.npz"));
        assertEquals(samples, val.size());
        assertTrue(val.hasLabels());
        int[] s = model.inputs().get(0).shape();
        s[0] = samples;
        assertArrayEquals(s, val.x().shape());
        double acc = Accuracy.top1(Inference.predict(model, val.x()).data(), classes, val.labels());
        Matcher m = ACCURACY.matcher(Files.readString(dir.resolve("README.md")));
        assertTrue(m.find(), "README states the accuracy");
        assertEquals(Double.parseDouble(m.group(1)), 100 * acc, 0.005 + 1e-9);
    }
}
