package dev.sparsimony.engine.explore;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparsimony.engine.data.DataFiles;
import dev.sparsimony.engine.data.Dataset;
import dev.sparsimony.engine.io.ModelFiles;
import dev.sparsimony.engine.model.Model;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every sample model ships an example space, and every value of every axis of it makes a point its model accepts
 * (layer names, granularity parameters, devices, depthShrink blocks), so {@code sparsimony explore MODEL --space
 * MODEL/space.json} never fails on the examples the docs point to.
 */
class ExampleSpacesTest {
    private static final Path SAMPLES = Path.of("sample-models");

    static List<Path> samples() throws IOException {
        if (!Files.isDirectory(SAMPLES)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(SAMPLES)) {
            return s.filter(p -> Files.isRegularFile(p.resolve("model.json"))).sorted().toList();
        }
    }

    @ParameterizedTest
    @MethodSource("samples")
    void everyAxisValueOfTheExampleSpaceIsAPointTheModelAccepts(Path sample) {
        Path spaceFile = sample.resolve("space.json");
        assertTrue(Files.isRegularFile(spaceFile), sample + " has no example space.json");
        Model model = ModelFiles.load(sample);
        Path data = sample.resolve("validation.npz");
        Assumptions.assumeTrue(Files.isRegularFile(data), sample + " has no validation data");
        Dataset d = DataFiles.load(data);
        SearchSpace space = SearchSpace.read(spaceFile);
        assertFalse(space.axes().isEmpty(), sample + ": the example space has no axes");
        try (DesignPointEvaluator ev = new DesignPointEvaluator(model, d)) {
            int[] index = new int[space.axes().size()];
            for (int a = 0; a < index.length; a++) {
                for (int v = 0; v < space.axes().get(a).values().size(); v++) {
                    int[] at = index.clone();
                    at[a] = v;
                    DesignPoint p = space.point(at);
                    String what = sample.getFileName() + " axis " + space.axes().get(a).field() + " value "
                            + space.axes().get(a).label(v);
                    assertDoesNotThrow(() -> ev.validate(p), what);
                }
            }
        }
    }
}
