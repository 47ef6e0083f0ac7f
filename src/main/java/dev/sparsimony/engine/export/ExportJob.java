package dev.sparsimony.engine.export;

import dev.sparsimony.engine.explore.DesignPoint;
import dev.sparsimony.engine.explore.DesignResult;
import dev.sparsimony.engine.explore.PointResult;
import dev.sparsimony.engine.explore.Provenance;
import dev.sparsimony.engine.hardware.FpgaEstimate;
import dev.sparsimony.engine.hardware.HardwareConfig;
import dev.sparsimony.engine.model.Model;
import java.util.List;
import java.util.Map;

/**
 * Everything the exporters need, computed once ({@link Export#prepare}).
 *
 * @param original   the model as loaded
 * @param compressed the model with the point's pruned and quantized weights; layer output types in its metadata
 *                   ({@code sparsimony.outputType.<layer>})
 * @param point      the design point as given
 * @param masks      per prunable layer, which weights pruning kept (true), in kernel order
 * @param estimate   the hardware estimate with the point's settings
 * @param hardware   the point's hls4ml settings ({@code PointHardware.config}), what the hls4ml export writes
 * @param result     the point's evaluation on the data (quality, storage), null when there was no data
 * @param reference  the unpruned design with the same types and hardware, null when there was no data or a sweep
 *                   is given
 * @param sweep      results of a sweep to plot (empty when none)
 * @param provenance where the model and data come from
 */
public record ExportJob(Model original, Model compressed, DesignPoint point, Map<String, boolean[]> masks,
                        FpgaEstimate estimate, HardwareConfig hardware, DesignResult result, DesignResult reference,
                        List<PointResult> sweep, Provenance provenance, ExportOptions options) {
    public ExportJob {
        masks = Map.copyOf(masks);
        sweep = List.copyOf(sweep);
        options = options == null ? ExportOptions.DEFAULTS : options;
    }

    /** The model's name as a file name stem ("jet-mlp"). */
    public String fileStem() {
        String s = original.name() == null ? "" : original.name().replaceAll("[^A-Za-z0-9._-]", "_");
        return s.isEmpty() || s.startsWith(".") ? "model" + s : s;
    }
}
