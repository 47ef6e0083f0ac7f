package dev.sparsimony.engine.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sparsimony.engine.data.DataFiles;
import dev.sparsimony.engine.data.DataOptions;
import dev.sparsimony.engine.data.Dataset;
import dev.sparsimony.engine.io.onnx.OnnxImporter;
import dev.sparsimony.engine.metric.Evaluator;
import dev.sparsimony.engine.metric.Quality;
import dev.sparsimony.engine.model.Model;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** ONNX Model Zoo mnist-8 on the 10,000 MNIST test images (raw 0..255): 98.91 % top-1 (conformance README). */
class MnistConformanceTest {
    @Test
    void mnist8Accuracy() throws Exception {
        Path shared = Path.of(System.getProperty("sparsimony.shared", "../shared"), "conformance");
        Path model = shared.resolve("models/onnx2c/mnist/model.onnx");
        Path images = shared.resolve("data/mnist/t10k-images-idx3-ubyte.gz");
        Path labels = shared.resolve("data/mnist/t10k-labels-idx1-ubyte.gz");
        Assumptions.assumeTrue(Files.exists(model) && Files.exists(images), "shared MNIST material not found");
        Model m = new OnnxImporter().load(model);
        Dataset d = DataFiles.load(images, DataOptions.DEFAULT.withLabelsFile(labels));
        Quality q = Evaluator.evaluate(m, d);
        assertEquals(Quality.Metric.ACCURACY, q.metric());
        assertEquals(10_000, q.samples());
        assertEquals(0.9891, q.value(), 1e-9);
    }
}
