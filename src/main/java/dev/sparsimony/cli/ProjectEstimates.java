package dev.sparsimony.cli;

import dev.sparsimony.engine.hardware.Calibration;
import dev.sparsimony.engine.hardware.Device;
import dev.sparsimony.engine.hardware.DeviceCatalogue;
import dev.sparsimony.engine.hardware.FpgaEstimate;
import dev.sparsimony.engine.hardware.FpgaModel;
import dev.sparsimony.engine.hardware.FpgaParams;
import dev.sparsimony.engine.hardware.HardwareConfig;
import dev.sparsimony.engine.hardware.Hls4mlVersion;
import dev.sparsimony.engine.hardware.ModelPrecisions;
import dev.sparsimony.engine.hardware.hls4ml.Comparison;
import dev.sparsimony.engine.hardware.hls4ml.Hls4mlConfig;
import dev.sparsimony.engine.hardware.hls4ml.Hls4mlProject;
import dev.sparsimony.engine.io.ModelFiles;
import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.model.NonFinite;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** An hls4ml project folder estimated as its configuration says and set against its own synthesis report. */
final class ProjectEstimates {
    private ProjectEstimates() {
    }

    /** The comparison of one project and what was decided on the way. */
    record Result(Hls4mlProject project, Comparison comparison, List<String> notes) {
    }

    static Result compare(Path dir, Path modelFile, Hls4mlVersion version, Calibration calibration,
                          DeviceCatalogue catalogue) {
        Hls4mlProject p = Hls4mlProject.open(dir);
        Path mf = modelFile != null ? modelFile : p.model();
        if (mf == null || !Files.exists(mf)) {
            throw new ModelException("no model found for the project " + dir + (p.model() == null ? ""
                    : " (its configuration names " + p.model().getFileName() + ", which is not there)")
                    + ": give it with --model FILE");
        }
        Model model = ModelFiles.load(mf, NonFinite.Policy.REFUSE);
        List<String> notes = new ArrayList<>();
        FpgaParams params = FpgaParams.defaults().withCalibration(calibration);
        HardwareConfig cfg;
        Device device;
        if (p.config() != null) {
            Hls4mlConfig.Result hc = Hls4mlConfig.read(p.config(), model, catalogue, version, params);
            cfg = hc.config();
            device = hc.device();
            notes.addAll(hc.notes());
            notes.addAll(EstimateCommand.grouped(hc.ignored()));
        } else {
            // no configuration: hls4ml's defaults, the report's part, the model's own quantizers
            cfg = HardwareConfig.hls4mlDefaults().withParams(params).withVersion(version);
            ModelPrecisions.Result mp = ModelPrecisions.apply(model, cfg);
            cfg = mp.config();
            notes.addAll(mp.notes());
            String part = p.report().part();
            device = catalogue.findPart(part).map(DeviceCatalogue.PartMatch::device).orElseThrow(() ->
                    new ModelException("the report's part '" + part + "' is not in the device catalogue; add it"
                            + " with --devices FILE"));
            notes.add("no hls4ml_config.yml in " + dir + ": hls4ml's defaults (ap_fixed<16,6>, RF 1, Latency,"
                    + " io_parallel) on the report's part " + part);
        }
        if (!Double.isNaN(p.report().targetNs()) && Math.abs(1000.0 / cfg.clockFor(device) - p.report().targetNs())
                > 1e-6) {
            notes.add(String.format(java.util.Locale.ROOT, "the report's target clock is %.2f ns, the"
                    + " configuration's %.2f ns: the configuration's is estimated", p.report().targetNs(),
                    1000.0 / cfg.clockFor(device)));
        }
        FpgaEstimate e = FpgaModel.estimate(model, cfg, device);
        Comparison c = Comparison.of(model, e, p.report());
        notes.addAll(c.notes());
        return new Result(p, c, notes);
    }
}
