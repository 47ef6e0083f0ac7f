package dev.sparsimony.app.model;

import dev.sparsimony.engine.data.DataFiles;
import dev.sparsimony.engine.data.Dataset;
import dev.sparsimony.engine.infer.Nd4jRuntime;
import dev.sparsimony.engine.io.ModelFiles;
import dev.sparsimony.engine.io.npyjson.ProjectFormat;
import dev.sparsimony.engine.metric.Evaluator;
import dev.sparsimony.engine.metric.Quality;
import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.prune.Pruning;
import java.nio.file.Path;
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
    public Optional<Path> defaultValidationData(Path modelPath) {
        return ProjectFormat.defaultValidationData(modelPath);
    }

    @Override
    public Dataset loadData(Path path) {
        return DataFiles.load(path);
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
    public void warmUpAsync() {
        Nd4jRuntime.warmUpAsync();
    }
}
