package dev.sparsimony.engine.explore;

import dev.sparsimony.engine.data.DataFiles;
import dev.sparsimony.engine.data.Dataset;
import dev.sparsimony.engine.hardware.DeviceCatalogue;
import dev.sparsimony.engine.io.AtomicFiles;
import dev.sparsimony.engine.io.ModelFiles;
import dev.sparsimony.engine.io.npyjson.ProjectFormat;
import dev.sparsimony.engine.metric.Quality;
import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.model.NonFinite;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;

/**
 * Evaluates points in this process: one immutable model and data set shared by every worker, one workspace
 * ({@link DesignPointEvaluator}: compiled model and scratch buffers) per worker thread, rankings shared between
 * them. Quality is computed once per {@link DesignPoint#accuracyKey()}: points that differ only in hardware
 * settings reuse it and cost no inference.
 */
public final class LocalBackend implements EvaluationBackend {
    private final Model model;
    private final Dataset data;
    private final DeviceCatalogue catalogue;
    private final Provenance provenance;
    private final DesignPointEvaluator.Shared shared = new DesignPointEvaluator.Shared();
    private final ThreadLocal<DesignPointEvaluator> workspace = new ThreadLocal<>();
    private final List<DesignPointEvaluator> all = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final ConcurrentHashMap<String, CompletableFuture<Quality>> quality = new ConcurrentHashMap<>();
    private volatile boolean cancelled;
    private volatile boolean closed;

    public LocalBackend(Model model, Dataset data, DeviceCatalogue catalogue, Provenance provenance) {
        if (data.size() == 0) {
            throw new ModelException("validation data '" + data.name() + "' has no samples");
        }
        this.model = model;
        this.data = data;
        this.catalogue = catalogue;
        this.provenance = provenance;
    }

    /**
     * Loads the model and its data (default: the validation.npz beside a project folder) under a NaN/Inf policy and
     * hashes both.
     */
    public static LocalBackend open(Path modelPath, Path dataPath, DeviceCatalogue catalogue, int threads,
                                    NonFinite.Policy policy) {
        Model m = ModelFiles.load(modelPath, policy);
        Path d = dataPath != null ? dataPath : ProjectFormat.defaultValidationData(modelPath).orElseThrow(
                () -> new ModelException("no data given and no validation.npz beside " + modelPath));
        Dataset ds = DataFiles.load(d, dev.sparsimony.engine.data.DataOptions.DEFAULT, policy);
        Provenance p = new Provenance(modelPath.toString(), modelHash(modelPath), d.toString(), fileHash(d),
                Provenance.engineVersion(), 0, null, threads, 0);
        return new LocalBackend(m, ds, catalogue, p);
    }

    public Model model() {
        return model;
    }

    public Dataset data() {
        return data;
    }

    @Override
    public Provenance provenance() {
        return provenance;
    }

    @Override
    public PointResult evaluate(DesignPoint point) {
        long t0 = System.nanoTime();
        String key;
        String accKey;
        try {
            key = point.key();
            accKey = point.accuracyKey();
        } catch (ModelException e) {
            return PointResult.failed(-1, point, "", null, e.getMessage(), provenance.with(point.seed(), null, 0));
        }
        DesignPointEvaluator ws = workspace();
        try {
            CompletableFuture<Quality> mine = new CompletableFuture<>();
            CompletableFuture<Quality> known = quality.putIfAbsent(accKey, mine);
            Quality q = known == null ? null : await(known);
            DesignResult r;
            boolean cached = q != null;
            if (q == null) {
                try {
                    r = ws.evaluate(point);
                } catch (RuntimeException e) {
                    if (known == null) {
                        quality.remove(accKey, mine);
                        mine.completeExceptionally(e);
                    }
                    throw e;
                }
                if (known == null) {
                    mine.complete(r.quality());
                }
            } else {
                r = ws.evaluateKnownQuality(point, q);
            }
            double ms = (System.nanoTime() - t0) / 1e6;
            return PointResult.of(-1, key, point, null, r, cached, provenance.with(point.seed(), r.solver(),
                    cached ? 0 : ms));
        } catch (DesignPointEvaluator.Cancelled c) {
            throw c;
        } catch (ModelException e) {
            return PointResult.failed(-1, point, key, null, e.getMessage(), provenance.with(point.seed(), null, 0));
        } catch (OutOfMemoryError e) {
            return PointResult.failed(-1, point, key, null, "out of memory while evaluating this point",
                    provenance.with(point.seed(), null, 0));
        }
    }

    /** The quality another worker computed for the same accuracy key, or null when that worker failed. */
    private static Quality await(CompletableFuture<Quality> f) {
        try {
            return f.join();
        } catch (CompletionException | java.util.concurrent.CancellationException e) {
            return null;
        }
    }

    private DesignPointEvaluator workspace() {
        if (closed) {
            throw new ModelException("the evaluation backend is closed");
        }
        DesignPointEvaluator ws = workspace.get();
        if (ws == null) {
            ws = new DesignPointEvaluator(model, data).share(shared).catalogue(catalogue).cancelWhen(() -> cancelled);
            workspace.set(ws);
            all.add(ws);
        }
        return ws;
    }

    @Override
    public void cancel() {
        cancelled = true;
        all.forEach(DesignPointEvaluator::interrupt);
    }

    @Override
    public void close() {
        closed = true;
        all.forEach(DesignPointEvaluator::close);
        all.clear();
    }

    // ------------------------------------------------------------------ hashes for provenance

    /**
     * SHA-256 over a model's bytes: a file, or every model file of a folder (model.json, tensors, ONNX/Keras files)
     * in name order, each preceded by its name; data files beside it (validation.npz, CSV, ...) are not the model.
     */
    public static String modelHash(Path model) {
        try {
            if (!Files.isDirectory(model)) {
                List<Path> files = new ArrayList<>(List.of(model));
                String name = model.getFileName().toString().toLowerCase(Locale.ROOT);
                if (name.endsWith(".json")) {
                    Path weights = model.resolveSibling(name.substring(0, name.length() - 5) + ".h5");
                    if (Files.isRegularFile(weights)) {
                        files.add(weights);
                    }
                }
                return hash(files, model.getParent());
            }
            List<Path> files;
            try (Stream<Path> s = Files.list(model)) {
                files = s.filter(Files::isRegularFile).filter(p -> {
                    String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                    return n.endsWith(".json") || n.endsWith(".npy") || n.endsWith(".onnx") || n.endsWith(".h5");
                }).sorted().toList();
            }
            return hash(files, model);
        } catch (IOException e) {
            throw new ModelException("cannot read " + model + ": " + AtomicFiles.describe(e), e);
        }
    }

    public static String fileHash(Path file) {
        try {
            return hash(List.of(file), null);
        } catch (IOException e) {
            throw new ModelException("cannot read " + file + ": " + AtomicFiles.describe(e), e);
        }
    }

    private static String hash(List<Path> files, Path base) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        for (Path f : files) {
            if (base != null && files.size() > 1) {
                md.update((base.relativize(f) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            try (InputStream in = new DigestInputStream(Files.newInputStream(f), md)) {
                in.transferTo(java.io.OutputStream.nullOutputStream());
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
