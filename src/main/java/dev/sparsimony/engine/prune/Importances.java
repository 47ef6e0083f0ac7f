package dev.sparsimony.engine.prune;

import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.model.Node;
import dev.sparsimony.engine.model.Ops;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/** Registry of importance criteria by id: {@code l1}, {@code l2}, {@code bn-gamma}. */
public final class Importances {
    /** Copy-on-write: sweep workers read it on every point without taking a lock. */
    private static volatile Map<String, Supplier<Importance>> registry = Map.of();

    static {
        register("l1", L1::new);
        register("l2", L2::new);
        register("bn-gamma", BnGamma::new);
    }

    private Importances() {
    }

    public static synchronized void register(String id, Supplier<Importance> factory) {
        Map<String, Supplier<Importance>> m = new LinkedHashMap<>(registry);
        m.put(id, factory);
        registry = java.util.Collections.unmodifiableMap(m);
    }

    public static Set<String> ids() {
        return Set.copyOf(registry.keySet());
    }

    public static Importance create(String id) {
        Supplier<Importance> f = registry.get(id == null ? "l1" : id);
        if (f == null) {
            throw new ModelException("importance '" + id + "' is unknown; known: " + registry.keySet());
        }
        return f.get();
    }

    /** Sum over each structure of |w| (or w^2 when {@code squares}); weights in no structure are skipped. */
    static double[] perStructure(float[] w, StructureMap map, boolean squares) {
        double[] s = new double[map.count()];
        int[] of = map.structureOf();
        for (int i = 0; i < w.length; i++) {
            if (of[i] >= 0) {
                s[of[i]] += squares ? (double) w[i] * w[i] : Math.abs(w[i]);
            }
        }
        return s;
    }

    /** L1 norm of the structure's weights (sum |w|); magnitude for single weights. */
    public static final class L1 implements Importance {
        @Override
        public String id() {
            return "l1";
        }

        @Override
        public double[] scores(Node layer, float[] w, StructureMap map, LayerContext ctx) {
            return perStructure(w, map, false);
        }
    }

    /** L2 norm of the structure's weights. */
    public static final class L2 implements Importance {
        @Override
        public String id() {
            return "l2";
        }

        @Override
        public double[] scores(Node layer, float[] w, StructureMap map, LayerContext ctx) {
            double[] s = perStructure(w, map, true);
            for (int i = 0; i < s.length; i++) {
                s[i] = Math.sqrt(s[i]);
            }
            return s;
        }

        @Override
        public double normalised(double score, int size) {
            return size == 0 ? score : score / Math.sqrt(size);
        }
    }

    /**
     * Network slimming (Liu et al., "Learning Efficient Convolutional Networks through Network Slimming", ICCV
     * 2017): an output channel's importance is |gamma| of the BatchNorm that directly follows the layer. A structure
     * scores the mean |gamma| of its weights' output columns (exactly |gamma_c| for filters / columns). Layers with
     * no following BatchNorm fall back to L1.
     */
    public static final class BnGamma implements Importance {
        @Override
        public String id() {
            return "bn-gamma";
        }

        @Override
        public double[] scores(Node layer, float[] w, StructureMap map, LayerContext ctx) {
            float[] gamma = followingGamma(layer, ctx);
            if (gamma == null || gamma.length != map.cols()) {
                return new L1().scores(layer, w, map, ctx);
            }
            double[] s = new double[map.count()];
            int[] of = map.structureOf();
            int cols = map.cols();
            for (int i = 0; i < of.length; i++) {
                if (of[i] >= 0) {
                    s[of[i]] += Math.abs(gamma[i % cols]);
                }
            }
            int[] sizes = map.sizes();
            for (int i = 0; i < s.length; i++) {
                s[i] = sizes[i] == 0 ? 0 : s[i] / sizes[i];
            }
            return s;
        }

        @Override
        public double normalised(double score, int size) {
            return score;
        }

        /** gamma of the BatchNorm that is the only consumer of {@code layer}, or null. */
        static float[] followingGamma(Node layer, LayerContext ctx) {
            if (ctx == null || ctx.model() == null) {
                return null;
            }
            Node found = null;
            for (Node n : ctx.model().nodes()) {
                if (n.inputs().contains(layer.name())) {
                    if (found != null) {
                        return null;
                    }
                    found = n;
                }
            }
            return found != null && found.op() instanceof Ops.BatchNorm bn ? bn.gamma().data() : null;
        }
    }
}
