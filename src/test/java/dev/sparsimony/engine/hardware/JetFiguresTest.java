package dev.sparsimony.engine.hardware;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sparsimony.engine.io.ModelFiles;
import dev.sparsimony.engine.model.Model;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The jet-tagging figures quoted in docs/hardware-models.md section 1.10, on hls4ml's real KERAS_3layer model
 * (ap_fixed&lt;16,6&gt;, RF 1, Latency, io_parallel, 200 MHz, xcku115). Skips when ../shared is absent.
 */
class JetFiguresTest {
    static Path model(String rel) {
        String shared = System.getProperty("sparsimony.shared", "../shared");
        Path p = Path.of(shared, "conformance", "models", "hls4ml", "example-models-2020", rel);
        assumeTrue(Files.isRegularFile(p), "shared conformance model not found: " + p
                + " (set -Dsparsimony.shared to the shared folder)");
        return p;
    }

    @Test
    void documentedFiguresOfTheDenseModel() {
        Model m = ModelFiles.load(model("keras/KERAS_3layer.json"));
        FpgaEstimate e = FpgaModel.estimate(m, HardwareConfig.hls4mlDefaults(),
                DeviceCatalogue.builtIn().get("xcku115"));
        assertEquals(3423, e.dsp());
        assertEquals(4, e.bram18());
        assertEquals(93992, e.lut());
        assertEquals(29728, e.ff());
        assertEquals(20, e.latencyCycles());
        assertEquals(100.0, e.latencyNs(), 1e-9);
        assertEquals(1, e.intervalCycles());
        // the ONNX export of the same network gives the same estimate
        FpgaEstimate o = FpgaModel.estimate(ModelFiles.load(model("onnx/three_layer_keras.onnx")),
                HardwareConfig.hls4mlDefaults(), DeviceCatalogue.builtIn().get("xcku115"));
        assertEquals(e.dsp(), o.dsp());
        assertEquals(e.lut(), o.lut());
        assertEquals(e.latencyCycles(), o.latencyCycles());
    }
}
