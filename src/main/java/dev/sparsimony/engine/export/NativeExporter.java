package dev.sparsimony.engine.export;

import dev.sparsimony.engine.explore.DesignPointCodec;
import dev.sparsimony.engine.io.AtomicFiles;
import dev.sparsimony.engine.io.npy.NpyArray;
import dev.sparsimony.engine.io.npy.Npz;
import dev.sparsimony.engine.io.npyjson.ProjectFormat;
import dev.sparsimony.engine.model.Node;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The compressed model in the project format (model.json + .npy tensors, {@link ProjectFormat}) with its pruning
 * masks ({@code masks.npz}: one boolean array per prunable layer, in the kernel's shape, true = kept) and the design
 * point ({@code point.json}). The folder opens like any project model; {@code sparsimony.masks} in its metadata
 * names the masks file.
 */
final class NativeExporter implements Exporter {
    static final String MASKS = "masks.npz";
    static final String POINT = "point.json";

    @Override
    public String id() {
        return "native";
    }

    @Override
    public String description() {
        return "the compressed model as a project folder (model.json + .npy) with " + MASKS + " and " + POINT;
    }

    @Override
    public void write(ExportJob job, Path dir, AtomicFiles.Batch files) {
        Map<String, NpyArray> masks = new LinkedHashMap<>();
        for (Node n : job.compressed().prunableNodes()) {
            boolean[] keep = job.masks().get(n.name());
            if (keep == null) {
                continue;
            }
            long[] bits = new long[keep.length];
            for (int i = 0; i < keep.length; i++) {
                bits[i] = keep[i] ? 1 : 0;
            }
            masks.put(n.name(), NpyArray.ofLongs(bits, n.op().weights().get("kernel").shape()).withDtype("|b1"));
        }
        files.add(dir.resolve(MASKS), out -> Npz.write(out, masks));
        files.add(dir.resolve(POINT), DesignPointCodec.write(job.point()));
    }

    /** The model folder itself, written after the other files by the project format's own protocol. */
    @Override
    public List<Path> writeAfter(ExportJob job, Path dir) {
        Map<String, String> md = new LinkedHashMap<>(job.compressed().metadata());
        md.put("sparsimony.masks", MASKS);
        md.put("sparsimony.key", job.point().key());
        ProjectFormat.write(job.compressed().withMetadata(md), dir);
        List<Path> out = new ArrayList<>();
        out.add(dir.resolve(ProjectFormat.MANIFEST).toAbsolutePath().normalize());
        return out;
    }
}
