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
 * (ap_fixed&lt;16,6&gt;, RF 1, Latency, io_parallel, 200 MHz, xcku115), and the same network against the published
 * synthesis of Fahim et al. 2021 (arXiv:2103.05579, Table 1: hls4ml v0.5.0, VU9P, 200 MHz). Skips when ../shared is
 * absent.
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
        // issue 12: DSP by both operand widths (3423 -> 3405), latency by delay cuts and one register stage per
        // weighted layer (20 -> 12 cycles), FF without per-constant and per-ReLU registers (29,728 -> 10,052)
        assertEquals(3405, e.dsp());
        assertEquals(4, e.bram18());
        assertEquals(63183, e.lut());
        assertEquals(10052, e.ff());
        assertEquals(12, e.latencyCycles());
        assertEquals(60.0, e.latencyNs(), 1e-9);
        assertEquals(1, e.intervalCycles());
        // the ONNX export of the same network gives the same estimate
        FpgaEstimate o = FpgaModel.estimate(ModelFiles.load(model("onnx/three_layer_keras.onnx")),
                HardwareConfig.hls4mlDefaults(), DeviceCatalogue.builtIn().get("xcku115"));
        assertEquals(e.dsp(), o.dsp());
        assertEquals(e.lut(), o.lut());
        assertEquals(e.latencyCycles(), o.latencyCycles());
    }

    @Test
    void publishedV050BuildOfTheSameNetwork() {
        Model m = ModelFiles.load(model("keras/KERAS_3layer.json"));
        HardwareConfig c = HardwareConfig.hls4mlDefaults().withVersion(Hls4mlVersion.parse("0.5.0"));
        FpgaEstimate e = FpgaModel.estimate(m, c, DeviceCatalogue.builtIn().get("xcvu9p"));
        // Table 1, 16-bit PTQ: 50 ns (10 cycles): 4 dense layers of one cycle, softmax_latency (v0.5's default for
        // the Latency strategy) of two, one register stage after each dense layer
        assertEquals(50.0, e.latencyNs(), 1e-9);
        // FF 11,266: the weights behind the table are not public, so only the structure-driven FF are compared
        assertEquals(11266, e.ff(), 0.15 * 11266);
    }
}
