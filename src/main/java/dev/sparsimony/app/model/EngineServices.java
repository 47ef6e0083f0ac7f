package dev.sparsimony.app.model;

import dev.sparsimony.engine.data.DataFiles;
import dev.sparsimony.engine.data.Dataset;
import dev.sparsimony.engine.explore.DesignPoint;
import dev.sparsimony.engine.explore.DesignPointEvaluator;
import dev.sparsimony.engine.infer.Nd4jRuntime;
import dev.sparsimony.engine.io.ModelFiles;
import dev.sparsimony.engine.io.npyjson.ProjectFormat;
import dev.sparsimony.engine.metric.Evaluator;
import dev.sparsimony.engine.metric.Quality;
import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.prune.Pruning;
import dev.sparsimony.engine.prune.StructureMap;
import java.util.Map;
import dev.sparsimony.engine.explore.PointHardware;
import dev.sparsimony.engine.hardware.Device;
import dev.sparsimony.engine.hardware.DeviceCatalogue;
import dev.sparsimony.engine.hardware.FpgaEstimate;
import dev.sparsimony.engine.hardware.FpgaModel;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** {@link EngineGateway} onto the engine's static entry points; nothing but delegation. */
final class EngineServices implements EngineGateway {
    static final EngineServices INSTANCE = new EngineServices();

    private EngineServices() {
    }

    @Override
    public Model loadModel(Path path) {
        return ModelFiles.load(path);
    }

    @Override
    public Model loadModel(Path path, dev.sparsimony.engine.model.NonFinite.Policy policy) {
        return ModelFiles.load(path, policy);
    }

    @Override
    public Optional<Path> defaultValidationData(Path modelPath) {
        return ProjectFormat.defaultValidationData(modelPath);
    }

    @Override
    public Dataset loadData(Path path) {
        return DataFiles.load(path);
    }

    @Override
    public Dataset loadData(Path path, dev.sparsimony.engine.model.NonFinite.Policy policy) {
        return DataFiles.load(path, dev.sparsimony.engine.data.DataOptions.DEFAULT, policy);
    }

    @Override
    public Model pruneGlobalMagnitude(Model model, double sparsity) {
        return Pruning.globalMagnitude(model, sparsity);
    }

    @Override
    public Quality evaluate(Model candidate, Model reference, Dataset data) {
        return Evaluator.evaluate(candidate, reference, data);
    }

    @Override
    public DesignPointEvaluator designEvaluator(Model model, Dataset data) {
        // the window's hardware panel estimates on its own (and shows its errors inline)
        return new DesignPointEvaluator(model, data).computeHardware(false);
    }

    @Override
    public Map<String, StructureMap> structures(Model model, DesignPoint point) {
        return DesignPointEvaluator.structures(model, point);
    }

    @Override
    public List<Device> devices() {
        return DeviceCatalogue.standard().devices();
    }

    @Override
    public FpgaEstimate estimateFpga(Model compressed, DesignPoint point, Device device) {
        return FpgaModel.estimate(compressed, PointHardware.config(point), device);
    }

    @Override
    public void warmUpAsync() {
        Nd4jRuntime.warmUpAsync();
    }
}
