package dev.sparsimony.app.model;

import dev.sparsimony.engine.data.Dataset;
import dev.sparsimony.engine.io.ModelFiles;
import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.model.Node;
import dev.sparsimony.engine.model.Ops;
import dev.sparsimony.engine.model.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * TEMPORARY stand-in for engine pieces that have not landed yet (pruning, evaluation, data loading).
 * Deleted once {@code engine.prune.Pruning}, {@code engine.metric.Evaluator} and {@code engine.data.DataFiles} are on
 * main; {@link EngineGateway#defaultGateway()} then delegates to them.
 */
final class InterimEngine implements EngineGateway {
    @Override
    public Model loadModel(Path path) {
        return ModelFiles.load(path);
    }

    @Override
    public Optional<Path> defaultValidationData(Path modelPath) {
        Path dir = Files.isDirectory(modelPath) ? modelPath : modelPath.toAbsolutePath().getParent();
        Path p = dir == null ? null : dir.resolve("validation.npz");
        return p != null && Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
    }

    @Override
    public Dataset loadData(Path path) {
        throw new ModelException("reading data files is not available yet: " + path.getFileName());
    }

    @Override
    public Model pruneGlobalMagnitude(Model model, double sparsity) {
        int total = 0;
        for (Node n : model.prunableNodes()) {
            total += n.op().weights().get("kernel").size();
        }
        float[] mags = new float[total];
        int k = 0;
        for (Node n : model.prunableNodes()) {
            for (float v : n.op().weights().get("kernel").data()) {
                mags[k++] = Math.abs(v);
            }
        }
        int prune = (int) Math.round(sparsity * total);
        if (prune <= 0) {
            return model;
        }
        float[] sorted = mags.clone();
        Arrays.sort(sorted);
        float threshold = sorted[Math.min(prune, total) - 1];
        int budget = prune;
        // ties at the threshold are cut in graph order so that exactly `prune` weights go
        int below = 0;
        for (float m : mags) {
            if (m < threshold) {
                below++;
            }
        }
        int tiesToCut = budget - below;
        Map<String, Node> repl = new HashMap<>();
        for (Node n : model.prunableNodes()) {
            Tensor kt = n.op().weights().get("kernel");
            float[] w = kt.data().clone();
            for (int i = 0; i < w.length; i++) {
                float m = Math.abs(w[i]);
                if (m < threshold) {
                    w[i] = 0f;
                } else if (m == threshold && tiesToCut > 0) {
                    w[i] = 0f;
                    tiesToCut--;
                }
            }
            repl.put(n.name(), n.withOp(n.op().withWeight("kernel", kt.withData(w))));
        }
        return model.withNodes(repl);
    }

    @Override
    public double accuracy(Model model, Model reference, Dataset data) {
        int[] pred = predict(model, data);
        int[] truth = data.hasLabels() ? data.labels() : predict(reference, data);
        int ok = 0;
        for (int i = 0; i < pred.length; i++) {
            if (pred[i] == truth[i]) {
                ok++;
            }
        }
        return pred.length == 0 ? Double.NaN : (double) ok / pred.length;
    }

    @Override
    public void warmUpAsync() {
        // nothing to warm up in the interim implementation
    }

    /** Arg-max class per sample for chains of Dense/activation/Softmax/Flatten layers. */
    private static int[] predict(Model model, Dataset data) {
        int n = data.size();
        int f = data.featuresPerSample();
        float[] x = data.x().data();
        int[] out = new int[n];
        for (int s = 0; s < n; s++) {
            float[] a = Arrays.copyOfRange(x, s * f, (s + 1) * f);
            for (Node node : model.nodes()) {
                a = apply(node, a);
            }
            int best = 0;
            for (int i = 1; i < a.length; i++) {
                if (a[i] > a[best]) {
                    best = i;
                }
            }
            out[s] = best;
        }
        return out;
    }

    private static float[] apply(Node node, float[] a) {
        if (node.op() instanceof Ops.Dense d) {
            int nIn = d.nIn();
            int nOut = d.nOut();
            float[] w = d.kernel().data();
            float[] y = new float[nOut];
            if (d.bias() != null) {
                System.arraycopy(d.bias().data(), 0, y, 0, nOut);
            }
            for (int i = 0; i < nIn; i++) {
                float xi = a[i];
                if (xi != 0f) {
                    for (int j = 0; j < nOut; j++) {
                        y[j] += xi * w[i * nOut + j];
                    }
                }
            }
            return y;
        }
        if (node.op() instanceof Ops.Activation act) {
            float[] y = a.clone();
            for (int i = 0; i < y.length; i++) {
                y[i] = switch (act.activation()) {
                    case RELU -> Math.max(0f, y[i]);
                    case TANH -> (float) Math.tanh(y[i]);
                    case SIGMOID -> (float) (1 / (1 + Math.exp(-y[i])));
                    default -> y[i];
                };
            }
            return y;
        }
        if (node.op() instanceof Ops.Softmax || node.op() instanceof Ops.Flatten
                || node.op() instanceof Ops.Identity) {
            return a; // arg-max is unchanged by softmax
        }
        throw new ModelException("the interim evaluator cannot run layer '" + node.name() + "' ("
                + node.op().kind() + ")");
    }
}
