package dev.sparsimony.engine.hardware.hls4ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sparsimony.engine.hardware.DeviceCatalogue;
import dev.sparsimony.engine.hardware.FpgaEstimate;
import dev.sparsimony.engine.hardware.FpgaModel;
import dev.sparsimony.engine.hardware.FpgaParams;
import dev.sparsimony.engine.hardware.Hls4mlVersion;
import dev.sparsimony.engine.model.ActivationKind;
import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.model.Node;
import dev.sparsimony.engine.model.Ops;
import dev.sparsimony.engine.model.Tensor;
import dev.sparsimony.engine.model.ValueInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real hls4ml synthesis report: the one hls4ml keeps for its own report-parsing test
 * (fastmachinelearning/hls4ml, test/pytest/test_report/Vivado/myproject_csynth.rpt, Apache-2.0: a Dense(5) on 16
 * inputs with ReLU, ap_fixed&lt;16,6&gt;, RF 1, Latency, io_stream, xc7z020clg400-1, Vivado HLS 2020.1; built by
 * test/pytest/test_report.py). The report is not shipped with the project (fetched material stays out of its
 * commits): put the folder {@code hls4ml-test-report/myproject_prj/solution1/syn/report} under
 * {@code ../shared/hls4ml-projects/} or point {@code -Dsparsimony.hls4mlProjects} at its parent; the test skips
 * otherwise. hls4ml's own test states what its parser reads from the file; ours must read the same.
 */
class Hls4mlReportsTest {
    @TempDir
    Path dir;

    static Path projects() {
        String p = System.getProperty("sparsimony.hls4mlProjects");
        if (p == null) {
            p = Path.of(System.getProperty("sparsimony.shared", "../shared"), "hls4ml-projects").toString();
        }
        return Path.of(p);
    }

    @Test
    void hls4mlsOwnTestReport() throws Exception {
        Path report = projects().resolve("hls4ml-test-report/myproject_prj/solution1/syn/report/myproject_csynth.rpt");
        assumeTrue(Files.isRegularFile(report), "hls4ml's test report not found at " + report
                + " (see the class comment)");
        CsynthReport r = CsynthReport.readRpt(report);
        // what hls4ml's test_report.py expects its parser to print for this file
        assertEquals(10, r.latencyMin());
        assertEquals(10, r.latencyMax());
        assertEquals(8, r.intervalMin());
        assertEquals(8, r.intervalMax());
        assertEquals(4.049, r.estimatedNs(), 1e-9);
        assertEquals(new CsynthReport.Resources(0, 73, 7969, 2532, 0), r.total());
        assertEquals(List.of("dense", "relu"), r.instances().stream().map(CsynthReport.Instance::function).toList());
        // its project: the configuration test_report.py creates, a model drawn from the same initializer
        // (Keras glorot_uniform; the synthesised weights were not kept)
        Path prj = dir.resolve("prj");
        Files.createDirectories(prj.resolve("myproject_prj/solution1/syn/report"));
        Files.copy(report, prj.resolve("myproject_prj/solution1/syn/report/myproject_csynth.rpt"));
        Files.writeString(prj.resolve("hls4ml_config.yml"), """
                Backend: Vivado
                ClockPeriod: 5
                HLSConfig:
                  Model: {BramFactor: 1000000000, Precision: 'fixed<16,6>', ReuseFactor: 1, Strategy: Latency,
                          TraceOutput: false}
                IOType: io_stream
                KerasModel: !keras_model 'keras_model.keras'
                Part: xc7z020clg400-1
                ProjectName: myproject
                """);
        Model m = dense16x5(0);
        Hls4mlConfig.Result hc = Hls4mlConfig.read(prj.resolve("hls4ml_config.yml"), m, DeviceCatalogue.builtIn(),
                Hls4mlVersion.parse("0.7.0"), FpgaParams.defaults());
        assertEquals("xc7z020", hc.device().name());
        FpgaEstimate e = FpgaModel.estimate(m, hc.config(), hc.device());
        Comparison c = Comparison.of(m, e, CsynthReport.find(prj));
        assertEquals(List.of("fc1", "fc1_relu"), c.rows().stream().map(Comparison.Row::layer).toList());
        // 80 random 16-bit weights times 16-bit data: most constants need a DSP (73 reported; this draw gives 65,
        // another (numpy, seed 0) 73: which constants are cheap depends on the draw)
        assertTrue(Math.abs(c.total().dsp().relativeError()) <= 0.15, c.total().dsp().toString());
        // the FIFOs between the two stages (5 of depth 1, 16 bits) are the top level's: 25 FF in the report
        assertEquals(25, c.top().ff().report());
        assertEquals(25, c.top().ff().estimate());
    }

    /** Dense(5) on 16 inputs with ReLU, weights uniform in +/-sqrt(6 / (16 + 5)) (glorot_uniform), zero bias. */
    static Model dense16x5(long seed) {
        Random r = new Random(seed);
        double limit = Math.sqrt(6.0 / 21);
        float[] k = new float[80];
        for (int i = 0; i < k.length; i++) {
            k[i] = (float) ((r.nextDouble() * 2 - 1) * limit);
        }
        return new Model("dense", List.of(new ValueInfo("fc1_input", new int[] {-1, 16})),
                List.of(new Node("fc1", new Ops.Dense(Tensor.of(k, 16, 5), Tensor.zeros(5)), List.of("fc1_input")),
                        new Node("fc1_relu", Ops.Activation.of(ActivationKind.RELU), List.of("fc1"))),
                List.of("fc1_relu"));
    }
}
