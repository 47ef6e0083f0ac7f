package dev.sparsimony.engine.explore;

import dev.sparsimony.engine.hardware.FpgaEstimate;
import dev.sparsimony.engine.hardware.LayerEstimate;
import dev.sparsimony.engine.model.ModelException;
import dev.sparsimony.engine.model.Node;
import dev.sparsimony.engine.prune.Granularities;
import dev.sparsimony.engine.prune.KernelView;
import dev.sparsimony.engine.prune.StructureMap;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The teaching view's comparison: one layer pruned alone, at one sparsity, under every granularity, with what each
 * keeps and frees in hardware and costs in accuracy. Every figure is the evaluator's and the hardware model's for a
 * real design point (the base point with only that layer pruned), not a second rule.
 */
public final class Teaching {
    private Teaching() {
    }

    /**
     * One granularity's outcome for the layer.
     *
     * @param structures which structure every weight of the layer belongs to (null for unstructured)
     * @param kept       the layer's weights after pruning (0 = pruned), row-major [rows, cols]
     * @param accuracy   quality of the whole model with only this layer pruned
     * @param dsp        the layer's DSP; {@code bram18} its BRAM; {@code baseDsp}/{@code baseBram} unpruned
     * @param error      why this granularity cannot prune the layer (e.g. a block larger than the layer), or null
     */
    public record Row(String granularity, String explanation, StructureMap structures, float[] kept, int rows,
                      int cols, double sparsity, double accuracy, long dsp, long bram18, long lut, long baseDsp,
                      long baseBram18, long baseLut, String error) {
        /**
         * What one step of this granularity is on this layer: "8 structures of 9 weights (one is 12.5 % of the
         * layer)"; the coarser the structure, the fewer sparsities the layer can take (one input channel of a
         * first conv is all of it). Empty when the granularity cannot prune the layer.
         */
        public String structureSummary() {
            int n = rows * cols;
            if (error != null || n == 0) {
                return "";
            }
            int count = n;
            int min = 1;
            int max = 1;
            if (structures != null) {
                int[] sizes = structures.sizes();
                count = sizes.length;
                min = Integer.MAX_VALUE;
                max = 0;
                for (int z : sizes) {
                    min = Math.min(min, z);
                    max = Math.max(max, z);
                }
                if (count == 0) {
                    return "no structure of this kind in the layer";
                }
            }
            return String.format(java.util.Locale.ROOT, "%,d structure%s of %s weight%s (one is %.1f %% of the layer)",
                    count, count == 1 ? "" : "s", min == max ? String.valueOf(min) : min + " to " + max,
                    max == 1 ? "" : "s", 100.0 * max / n);
        }
    }

    /** The layer's unpruned figures and every granularity's row. */
    public record Comparison(String layer, double baseAccuracy, List<Row> rows) {
    }

    /**
     * Prunes {@code layer} alone at {@code sparsity} under every registered granularity (defaults for their
     * parameters), with the base point's quantizers and hardware settings (its reuse factor decides the DSP
     * patterns and BRAM words).
     */
    public static Comparison compare(DesignPointEvaluator ev, DesignPoint base, String layer, double sparsity) {
        List<String> others = ev.model().prunableNodes().stream().map(Node::name).filter(n -> !n.equals(layer)).toList();
        Map<String, LayerSpec> exempt = new LinkedHashMap<>();
        for (String o : others) {
            exempt.put(o, LayerSpec.exempted());
        }
        DesignPoint unpruned = base.withPrune(PruneSpec.none()).withLayers(Map.of());
        DesignResult ref = ev.evaluate(unpruned);
        LayerEstimate refLayer = layerOf(ref.hardware(), layer);
        List<Row> rows = new ArrayList<>();
        List<String> ids = new ArrayList<>(Granularities.ids());
        ids.sort((a, b) -> a.equals("unstructured") ? -1 : b.equals("unstructured") ? 1 : a.compareTo(b));
        for (String g : ids) {
            String expl = Granularities.registration(g).explanation();
            DesignPoint p = base.withPrune(PruneSpec.structured(g, null, "l1", "layer", sparsity))
                    .withLayers(exempt).withName("teach-" + g);
            try {
                DesignPointEvaluator.Compressed c = ev.evaluateWithModel(p);
                Node n = c.model().node(layer);
                KernelView k = KernelView.of(n);
                StructureMap map = g.equals("unstructured") ? null
                        : DesignPointEvaluator.structures(ev.model(), p).get(layer);
                LayerResult lr = c.result().layers().stream().filter(l -> l.layer().equals(layer)).findFirst()
                        .orElseThrow();
                LayerEstimate le = layerOf(c.result().hardware(), layer);
                rows.add(new Row(g, expl, map, k.data().clone(), k.rows(), k.cols(), lr.sparsity(),
                        c.result().quality().value(), le.dsp(), le.bram18(), le.lut(), refLayer.dsp(),
                        refLayer.bram18(), refLayer.lut(), null));
            } catch (ModelException e) {
                rows.add(new Row(g, expl, null, null, 0, 0, Double.NaN, Double.NaN, 0, 0, 0, refLayer.dsp(),
                        refLayer.bram18(), refLayer.lut(), e.getMessage()));
            }
        }
        return new Comparison(layer, ref.quality().value(), rows);
    }

    private static LayerEstimate layerOf(FpgaEstimate e, String layer) {
        if (e == null) {
            throw new ModelException("the teaching view needs the hardware estimate");
        }
        return e.layers().stream().filter(l -> l.name().equals(layer)).findFirst().orElseThrow(
                () -> new ModelException("layer '" + layer + "' has no hardware estimate"));
    }

    /**
     * A convolution kernel [kh*kw*cIn, cOut] (rows in (kh, kw, cIn) order, HWIO) laid out as kh x kw tiles: tile
     * (ci, co) at tile row ci and tile column co, one blank cell between tiles (NaN). Dense kernels come back as
     * they are. Returns {height, width} in {@code size}.
     */
    public static double[] tiles(float[] kernel, int kh, int kw, int cIn, int cOut, int[] size) {
        int h = cIn * (kh + 1) - 1;
        int w = cOut * (kw + 1) - 1;
        double[] img = new double[h * w];
        java.util.Arrays.fill(img, Double.NaN);
        for (int i = 0; i < kh; i++) {
            for (int j = 0; j < kw; j++) {
                for (int ci = 0; ci < cIn; ci++) {
                    int row = (i * kw + j) * cIn + ci;
                    for (int co = 0; co < cOut; co++) {
                        img[(ci * (kh + 1) + i) * w + co * (kw + 1) + j] = kernel[row * cOut + co];
                    }
                }
            }
        }
        size[0] = h;
        size[1] = w;
        return img;
    }
}
