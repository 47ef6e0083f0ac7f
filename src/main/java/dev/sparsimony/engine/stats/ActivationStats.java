package dev.sparsimony.engine.stats;

import dev.sparsimony.engine.data.Dataset;
import dev.sparsimony.engine.infer.CompiledModel;
import dev.sparsimony.engine.model.ActivationKind;
import dev.sparsimony.engine.model.Model;
import dev.sparsimony.engine.model.Node;
import dev.sparsimony.engine.model.Ops;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Activation sparsity from validation data: for every ReLU node, the fraction of its outputs that are exactly zero
 * over all samples (dead or rarely active neurons are candidates for structured pruning; zero activations are also
 * what zero-skipping accelerators such as EIE exploit). Runs the model in batches through
 * {@link CompiledModel#forwardCapture}.
 */
public final class ActivationStats {
    private ActivationStats() {
    }

    /** Per ReLU node (graph order): fraction of exact zeros in its output. */
    public static Map<String, Double> zeroFractions(Model model, Dataset data, int maxBatch) {
        Set<String> relus = new LinkedHashSet<>();
        for (Node n : model.nodes()) {
            if (n.op() instanceof Ops.Activation a && a.activation() == ActivationKind.RELU) {
                relus.add(n.name());
            }
        }
        Map<String, long[]> counts = new LinkedHashMap<>();
        relus.forEach(r -> counts.put(r, new long[2]));
        if (relus.isEmpty() || data.size() == 0) {
            Map<String, Double> out = new LinkedHashMap<>();
            relus.forEach(r -> out.put(r, 0.0));
            return out;
        }
        int n = data.size();
        int batch = Math.max(1, Math.min(n, maxBatch));
        float[] x = data.x().data();
        int in = data.featuresPerSample();
        try (CompiledModel cm = CompiledModel.compile(model, batch)) {
            float[] xb = new float[batch * in];
            for (int s = 0; s < n; s += batch) {
                int m = Math.min(batch, n - s);
                float[] chunk = x;
                if (s != 0 || m != n) {
                    System.arraycopy(x, s * in, xb, 0, m * in);
                    chunk = xb;
                }
                Map<String, float[]> cap = cm.forwardCapture(chunk, m, relus);
                for (Map.Entry<String, float[]> e : cap.entrySet()) {
                    long[] c = counts.get(e.getKey());
                    for (float v : e.getValue()) {
                        if (v == 0f) {
                            c[0]++;
                        }
                    }
                    c[1] += e.getValue().length;
                }
            }
        }
        Map<String, Double> out = new LinkedHashMap<>();
        counts.forEach((k, c) -> out.put(k, c[1] == 0 ? 0.0 : (double) c[0] / c[1]));
        return out;
    }

    public static Map<String, Double> zeroFractions(Model model, Dataset data) {
        return zeroFractions(model, data, 4096);
    }
}
