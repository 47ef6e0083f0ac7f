package dev.sparsimony.engine.export;

import java.nio.file.Path;

/**
 * Choices of an export besides the design point.
 *
 * @param projectName hls4ml's ProjectName (the top-level C++ function); null: the model's name as a C identifier
 * @param backend     hls4ml backend (Vivado, Vitis, ...); null: Vivado, hls4ml's default
 * @param hlsOutputDir hls4ml's OutputDir, relative to the export folder; null: "hls4ml_prj"
 * @param sweepDir    a sweep folder (points.jsonl) whose results the report plots; null: none
 */
public record ExportOptions(String projectName, String backend, String hlsOutputDir, Path sweepDir) {
    public static final ExportOptions DEFAULTS = new ExportOptions(null, null, null, null);

    public ExportOptions withSweep(Path dir) {
        return new ExportOptions(projectName, backend, hlsOutputDir, dir);
    }
}
