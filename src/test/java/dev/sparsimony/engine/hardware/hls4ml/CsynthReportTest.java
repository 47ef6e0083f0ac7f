package dev.sparsimony.engine.hardware.hls4ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sparsimony.engine.hardware.Calibration;
import dev.sparsimony.engine.hardware.CostTerms;
import dev.sparsimony.engine.hardware.DeviceCatalogue;
import dev.sparsimony.engine.hardware.FpgaEstimate;
import dev.sparsimony.engine.hardware.FpgaModel;
import dev.sparsimony.engine.hardware.HardwareConfig;
import dev.sparsimony.engine.hardware.TestModels;
import dev.sparsimony.engine.model.ActivationKind;
import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.model.Node;
import dev.sparsimony.engine.model.Ops;
import dev.sparsimony.engine.model.ValueInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading csynth reports in both layouts, matching their instances to layers, and fitting a calibration. */
class CsynthReportTest {
    @TempDir
    Path dir;

    @Test
    void vitisLayoutWithConfigIndices() {
        ReportFixtures.writeReport(dir, ReportFixtures.VITIS);
        CsynthReport r = CsynthReport.find(dir);
        assertEquals("xcvu9p-flga2104-2L-e", r.part());
        assertEquals(5.0, r.targetNs());
        assertEquals(4.2, r.estimatedNs());
        assertEquals(6, r.latencyMax());
        assertEquals(1, r.intervalMax());
        assertEquals(new CsynthReport.Resources(0, 30, 650, 5020, 0), r.total());
        // instances in design order (config 2, 4, 5), each with its latency and resources joined by name
        assertEquals(List.of("dense_latency", "relu", "dense_latency"), r.instances().stream()
                .map(CsynthReport.Instance::function).toList());
        CsynthReport.Instance fc1 = r.instances().get(0);
        assertEquals(2, fc1.config());
        assertEquals(1, fc1.latencyMax());
        assertEquals(new CsynthReport.Resources(0, 20, 300, 3000, 0), fc1.resources());
    }

    @Test
    void vivado2019LayoutOrdersByInstanceNumber() {
        ReportFixtures.writeReport(dir, ReportFixtures.VIVADO_2019);
        CsynthReport r = CsynthReport.find(dir);
        assertEquals(4, r.latencyMax());
        assertEquals(1, r.intervalMin());
        assertEquals(new CsynthReport.Resources(2, 12, 340, 2200, 0), r.total());
        // no config index in the names: fu_12 comes before fu_40
        assertEquals("grp_dense_latency_0_0_1_fu_12", r.instances().get(0).name());
        assertEquals(8, r.instances().get(0).resources().dsp());
    }

    static Model twoDense() {
        Model jet = TestModels.jetMlp(5);
        Ops.Dense fc1 = (Ops.Dense) jet.node("fc1").op();
        Ops.Dense fc2 = (Ops.Dense) jet.node("fc2").op();
        return new Model("two", List.of(new ValueInfo("input_1", new int[] {-1, 16})),
                List.of(new Node("fc1", fc1, List.of("input_1")),
                        new Node("relu1", Ops.Activation.of(ActivationKind.RELU), List.of("fc1")),
                        new Node("fc2", fc2, List.of("relu1"))), List.of("fc2"));
    }

    @Test
    void comparisonMatchesLayersToInstancesAndSplitsTheTopLevel() {
        ReportFixtures.writeReport(dir, ReportFixtures.VITIS);
        CsynthReport r = CsynthReport.find(dir);
        Model m = twoDense();
        FpgaEstimate e = FpgaModel.estimate(m, HardwareConfig.hls4mlDefaults(), DeviceCatalogue.builtIn().get("xcvu9p"));
        Comparison c = Comparison.of(m, e, r);
        assertEquals(List.of("fc1", "relu1", "fc2"), c.rows().stream().map(Comparison.Row::layer).toList());
        assertEquals(20, c.rows().get(0).dsp().report());
        assertEquals(e.layers().get(0).dsp(), c.rows().get(0).dsp().estimate());
        // top level: report total minus its instances (650 - 400 FF, 5020 - 5000 LUT, 6 - 2 cycles)
        assertEquals(250, c.top().ff().report());
        assertEquals(20, c.top().lut().report());
        assertEquals(4, c.top().latency().report());
        assertEquals(e.topFf(), c.top().ff().estimate());
        assertEquals(30, c.total().dsp().report());
        assertEquals((e.dsp() - 30) / 30.0, c.total().dsp().relativeError(), 1e-12);
    }

    @Test
    void calibrationFitsFactorsThatReproduceTheReport() {
        ReportFixtures.writeReport(dir, ReportFixtures.VITIS);
        Model m = twoDense();
        FpgaEstimate e = FpgaModel.estimate(m, HardwareConfig.hls4mlDefaults(), DeviceCatalogue.builtIn().get("xcvu9p"));
        Comparison c = Comparison.of(m, e, CsynthReport.find(dir));
        Calibration cal = Calibrator.fit(List.of(c), List.of("fixture"));
        // latency: the report's top level adds 4 cycles over 2 weighted layers, one project: 2 cycles per boundary
        assertEquals(2.0, cal.boundaryCycles(), 1e-9);
        assertEquals(0.0, cal.latencyOffset(), 1e-9);
        // the relu's LUTs are one term (ACTIVATION) in one row: the fit reproduces them (the prior pulls a little)
        double relu = e.layers().get(1).terms().get(CostTerms.Lut.ACTIVATION);
        double fitted = relu * cal.factor(CostTerms.Lut.ACTIVATION);
        assertTrue(Math.abs(fitted - 500) / 500 < 0.05, fitted + " vs 500");
        assertTrue(cal.points() > 0 && cal.lutBand() >= 0);
        // the calibrated estimate reproduces the reported latency and moves the totals towards the report
        FpgaEstimate again = FpgaModel.estimate(m, HardwareConfig.hls4mlDefaults().withParams(
                HardwareConfig.hls4mlDefaults().params().withCalibration(cal)), DeviceCatalogue.builtIn().get("xcvu9p"));
        assertEquals(6, again.latencyCycles());
        assertTrue(Math.abs(again.lut() - 5020) < Math.abs(e.lut() - 5020), again.lut() + " vs " + e.lut());
        // the profile round-trips through its JSON file
        Path f = dir.resolve("profile.json");
        try {
            Files.writeString(f, cal.toJson());
        } catch (java.io.IOException ex) {
            throw new AssertionError(ex);
        }
        assertEquals(cal, Calibration.read(f));
    }

    @Test
    void aFolderWithoutReportsIsOneLine() throws Exception {
        Files.createDirectories(dir.resolve("empty_prj"));
        ModelException e = assertThrows(ModelException.class, () -> CsynthReport.find(dir));
        assertTrue(e.getMessage().startsWith("no HLS synthesis report under " + dir), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
        ReportFixtures.writeReport(dir, "not a report\n");
        assertTrue(assertThrows(ModelException.class, () -> CsynthReport.find(dir)).getMessage()
                .contains("is not a Vivado/Vitis HLS synthesis report"));
        assertTrue(assertThrows(ModelException.class, () -> Hls4mlProject.open(dir.resolve("nope"))).getMessage()
                .startsWith("hls4ml project folder not found"));
    }
}
