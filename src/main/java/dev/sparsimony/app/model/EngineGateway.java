package dev.sparsimony.app.model;

import dev.sparsimony.engine.data.Dataset;
import dev.sparsimony.engine.explore.DesignPoint;
import dev.sparsimony.engine.explore.DesignPointEvaluator;
import dev.sparsimony.engine.explore.EvaluationBackend;
import dev.sparsimony.engine.explore.LocalBackend;
import dev.sparsimony.engine.explore.Provenance;
import dev.sparsimony.engine.hardware.DeviceCatalogue;
import dev.sparsimony.engine.metric.Quality;
import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.prune.StructureMap;
import dev.sparsimony.engine.hardware.Device;
import dev.sparsimony.engine.hardware.FpgaEstimate;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The engine calls the GUI makes, in one narrow seam so that view-models can be tested with a slow or failing
 * engine. Every method may block and is called from a background thread, never from the JavaFX thread.
 * Implementations only delegate: the GUI never computes pruning masks or accuracies itself.
 */
public interface EngineGateway {
    /** Loads a model file or folder; throws {@link dev.sparsimony.engine.model.ModelException} with a one-line message. */
    Model loadModel(Path path);

    /**
     * Loads a model under a NaN/Inf policy: {@code REFUSE} throws a
     * {@link dev.sparsimony.engine.model.NonFiniteException} naming where non-finite weights are, {@code ALLOW}
     * (after the user said so) takes them.
     */
    default Model loadModel(Path path, dev.sparsimony.engine.model.NonFinite.Policy policy) {
        return loadModel(path);
    }

    /** The validation data shipped beside a model (project format convention), if any. */
    Optional<Path> defaultValidationData(Path modelPath);

    /** Loads a data file (inputs and optional labels). */
    Dataset loadData(Path path);

    /** Loads a data file under a NaN/Inf policy (see {@link #loadModel(Path, dev.sparsimony.engine.model.NonFinite.Policy)}). */
    default Dataset loadData(Path path, dev.sparsimony.engine.model.NonFinite.Policy policy) {
        return loadData(path);
    }

    /** Global magnitude pruning of all prunable kernels to the given fraction of zeros (0..1). */
    Model pruneGlobalMagnitude(Model model, double sparsity);

    /**
     * Quality of {@code candidate} on {@code data}: top-1 accuracy against the labels, or, when the data carries
     * none, agreement with {@code reference} (the unpruned model).
     */
    Quality evaluate(Model candidate, Model reference, Dataset data);

    /**
     * An evaluator of design points on one model and data set (compiles the model once, caches rankings). Not
     * thread-safe: the caller uses it from one thread and closes it.
     */
    DesignPointEvaluator designEvaluator(Model model, Dataset data);

    /**
     * The pruning structures of every prunable layer under a design point's granularity (for drawing), keyed by
     * layer name; empty for unstructured pruning.
     */
    Map<String, StructureMap> structures(Model model, DesignPoint point);

    /** The FPGA parts of the engine's device catalogue (built-in, then ~/.sparsimony/devices.json). */
    List<Device> devices();

    /**
     * hls4ml-style resources and timing of a model already compressed by {@code point}, with the point's hardware
     * settings on {@code device}. Throws ModelException for settings the model cannot be mapped with (invalid reuse
     * factor in strict mode, unsupported layer).
     */
    FpgaEstimate estimateFpga(Model compressed, DesignPoint point, Device device);

    /**
     * A backend that evaluates design points of this model and data for a sweep runner (one workspace per worker
     * thread). The caller closes it.
     */
    default EvaluationBackend evaluationBackend(Model model, Dataset data) {
        return evaluationBackend(model, data, null, null, 1);
    }

    /**
     * The same for a sweep whose results are saved: the provenance carries the SHA-256 of the model and data files
     * (null paths: a built-in model or data, hashed as empty).
     */
    default EvaluationBackend evaluationBackend(Model model, Dataset data, Path modelPath, Path dataPath,
                                                int threads) {
        return new LocalBackend(model, data, DeviceCatalogue.standard(), new Provenance(
                modelPath == null ? model.name() : modelPath.toString(),
                modelPath == null ? "" : LocalBackend.modelHash(modelPath),
                dataPath == null ? data.name() : dataPath.toString(),
                dataPath == null ? "" : LocalBackend.fileHash(dataPath), Provenance.engineVersion(), 0, null,
                threads, 0));
    }

    /** Starts the numeric runtime in the background so the first evaluation does not pay for it. */
    void warmUpAsync();

    /** The gateway to the real engine. */
    static EngineGateway defaultGateway() {
        return EngineServices.INSTANCE;
    }
}
