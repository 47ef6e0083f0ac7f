package dev.sparsimony.engine.export;

import dev.sparsimony.engine.data.Dataset;
import dev.sparsimony.engine.explore.DesignPoint;
import dev.sparsimony.engine.explore.DesignPointEvaluator;
import dev.sparsimony.engine.explore.DesignResult;
import dev.sparsimony.engine.explore.LayerSpec;
import dev.sparsimony.engine.explore.LocalBackend;
import dev.sparsimony.engine.explore.PointHardware;
import dev.sparsimony.engine.explore.PointResult;
import dev.sparsimony.engine.explore.PointStore;
import dev.sparsimony.engine.explore.Provenance;
import dev.sparsimony.engine.explore.PruneSpec;
import dev.sparsimony.engine.hardware.DeviceCatalogue;
import dev.sparsimony.engine.hardware.FpgaEstimate;
import dev.sparsimony.engine.io.AtomicFiles;
import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.model.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The entry point of exports (CLI, window): {@link #prepare} compresses and measures a design point once,
 * {@link #write} writes the chosen formats into a folder. All files of one export are written together
 * ({@link AtomicFiles.Batch}): a failure leaves the folder's previous files as they were.
 */
public final class Export {
    private Export() {
    }

    /**
     * Compresses the point (weights, masks, output types) and estimates its hardware; with data also evaluates it
     * and, without a sweep, the unpruned design for the report's plots.
     *
     * @param data validation data, or null (the report needs it; the other formats do not read data)
     */
    public static ExportJob prepare(Model model, Dataset data, DesignPoint point, Provenance provenance,
                                    ExportOptions options) {
        return prepare(model, data, point, provenance, options, List.of());
    }

    /**
     * As {@link #prepare(Model, Dataset, DesignPoint, Provenance, ExportOptions)}, with the results of a sweep held
     * in memory (the window's exploration) for the report's plots when the options name no sweep folder.
     */
    public static ExportJob prepare(Model model, Dataset data, DesignPoint point, Provenance provenance,
                                    ExportOptions options, List<PointResult> results) {
        ExportOptions opts = options == null ? ExportOptions.DEFAULTS : options;
        List<PointResult> sweep = List.copyOf(results);
        if (opts.sweepDir() != null) {
            if (!Files.isDirectory(opts.sweepDir())) {
                throw new ModelException("sweep folder " + opts.sweepDir() + " does not exist");
            }
            sweep = PointStore.read(opts.sweepDir());
            if (sweep.isEmpty()) {
                throw new ModelException("sweep folder " + opts.sweepDir() + " holds no results (no "
                        + PointStore.FILE + ")");
            }
        }
        Dataset ds = data != null ? data : placeholder(model);
        try (DesignPointEvaluator ev = new DesignPointEvaluator(model, ds)) {
            ev.validate(point);
            Model compressed;
            DesignResult result = null;
            DesignResult reference = null;
            FpgaEstimate estimate;
            if (data != null) {
                DesignPointEvaluator.Compressed c = ev.evaluateWithModel(point);
                compressed = c.model();
                result = c.result();
                estimate = result.hardware();
                if (sweep.isEmpty()) {
                    reference = ev.evaluate(unpruned(point));
                }
            } else {
                compressed = ev.compress(point);
                estimate = PointHardware.estimate(compressed, point,
                        PointHardware.device(point, DeviceCatalogue.builtIn()));
            }
            Map<String, boolean[]> masks = ev.masks(point);
            Provenance p = provenance.with(point.seed(), result == null ? null : result.solver(),
                    provenance.wallMillis());
            return new ExportJob(model, compressed, point, masks, estimate, PointHardware.config(point), result,
                    reference, sweep, p, opts);
        }
    }

    /**
     * Writes the formats ({@link Exporters} ids) into {@code dir} (created when absent) and returns the files
     * written. Nothing is replaced unless every file could be made and written.
     */
    public static List<Path> write(ExportJob job, List<String> formats, Path dir) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new ModelException("cannot export into " + dir + ": it is a file, not a folder");
        }
        List<Exporter> exporters = formats.stream().map(Exporters::get).distinct().toList();
        for (Exporter e : exporters) {
            if (e.needsData() && job.result() == null) {
                throw new ModelException("the " + e.id() + " needs validation data to measure the point's accuracy"
                        + " (give --data, or put validation.npz beside the model)");
            }
        }
        List<Path> written = new ArrayList<>();
        try (AtomicFiles.Batch files = new AtomicFiles.Batch()) {
            for (Exporter e : exporters) {
                e.write(job, dir, files);
            }
            List<Path> targets = files.targets();
            files.commit();
            written.addAll(targets);
        }
        for (Exporter e : exporters) {
            written.addAll(e.writeAfter(job, dir));
        }
        return written;
    }

    /** The formats of a command-line value: "all", or ids separated by commas. */
    public static List<String> formats(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new ModelException("no export format given; use " + String.join(", ", Exporters.ids()) + " or all");
        }
        LinkedHashSet<String> out = new LinkedHashSet<>();
        for (String s : spec.split(",")) {
            String id = s.trim().toLowerCase(java.util.Locale.ROOT);
            if (id.equals("all")) {
                out.addAll(Exporters.ids());
            } else {
                out.add(Exporters.get(id).id());
            }
        }
        return List.copyOf(out);
    }

    /** Provenance of an export: the model and data files with their SHA-256 (as a sweep records them). */
    public static Provenance provenance(Path modelPath, Path dataPath) {
        return new Provenance(modelPath == null ? "built-in demo" : modelPath.toString(),
                modelPath == null ? "" : LocalBackend.modelHash(modelPath),
                dataPath == null ? "" : dataPath.toString(), dataPath == null ? "" : LocalBackend.fileHash(dataPath),
                Provenance.engineVersion(), 0, null, 1, 0);
    }

    /** The point without any pruning (same types, hardware and depth shrinking): the report's reference design. */
    static DesignPoint unpruned(DesignPoint p) {
        Map<String, LayerSpec> layers = new LinkedHashMap<>();
        p.layers().forEach((k, v) -> {
            LayerSpec s = v.withGranularity(null, null).withSparsity(null).withExempt(null);
            if (!s.overridesNothing()) {
                layers.put(k, s);
            }
        });
        return p.withPrune(PruneSpec.none()).withLayers(layers).withName("unpruned");
    }

    /** One all-zero sample: the evaluator needs data, compression does not read it. */
    private static Dataset placeholder(Model model) {
        return new Dataset("none", Tensor.zeros(model.inputs().get(0).shapeWithBatch(1)), null);
    }
}
