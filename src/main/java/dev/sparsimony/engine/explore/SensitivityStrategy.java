package dev.sparsimony.engine.explore;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The per-layer sensitivity scan (the per-layer curves of NNI's sensitivity analysis): every prunable layer alone
 * across the space's sparsities (the layer pruned with the base's granularity, every other layer untouched) and
 * across weight widths (only that layer's weights quantized), plus the base point itself as the reference. Each
 * result's choices say which layer, which axis ("sparsity" or "bits") and which value.
 */
final class SensitivityStrategy implements SearchStrategy {
    @Override
    public String id() {
        return "sensitivity";
    }

    @Override
    public void run(Context ctx) {
        SearchSpace s = ctx.space();
        DesignPoint base = s.base();
        PruneSpec bp = base.prune();
        // the reference: the base point with nothing pruned
        DesignPoint ref = base.withPrune(new PruneSpec(bp.granularity(), bp.params(), bp.importance(), "layer", 0.0,
                null, null, null));
        SearchSpace.Sensitivity sens = s.sensitivity();
        List<Candidate> all = new ArrayList<>();
        all.add(new Candidate(ref, choices("(none)", "reference", 0)));
        for (String layer : ctx.prunableLayers()) {
            LayerSpec own = ref.layers().getOrDefault(layer, LayerSpec.empty());
            for (double sp : sens.sparsities()) {
                all.add(new Candidate(ref.withLayer(layer, own.withSparsity(sp)), choices(layer, "sparsity", sp)));
            }
            for (int b : sens.bits()) {
                var q = s.with(ref, "layers[" + layer + "].weights", SearchSpace.fixedBits(b, sens.integerBits()));
                all.add(new Candidate(q, choices(layer, "bits", b)));
            }
        }
        ctx.plan(all.size());
        for (int i = 0; i < all.size() && !ctx.cancelled(); i += GridStrategy.BATCH) {
            ctx.evaluate(all.subList(i, Math.min(all.size(), i + GridStrategy.BATCH)));
        }
    }

    private static Map<String, Object> choices(String layer, String axis, Object value) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("layer", layer);
        m.put("axis", axis);
        m.put("value", value);
        return m;
    }
}
